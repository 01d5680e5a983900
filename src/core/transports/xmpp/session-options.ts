// Options, status and timings of an XMPP session (RFC 6120 over RFC 7395) — https://www.rfc-editor.org/rfc/rfc6120
import type { Address } from '../../address.js';
import type { ImppError } from '../../errors.js';
import type { ConnectionState } from '../transport.js';
import { isFatal as cannotRetry, type BackoffOptions } from '../../backoff.js';
import { StreamError } from './framing.js';
import type { ScramKeys } from './scram.js';
import type { WebSocketFactory } from './socket.js';

/** Options of `createSession`. */
export interface SessionOptions {
  /** WebSocket endpoint, e.g. `wss://example.com/xmpp-websocket`. */
  readonly service: string;
  /** Account (bare JID); a resource here is ignored, use `resource`. */
  readonly jid: string | Address;
  /** Used for the first login only, then dropped (SCRAM keys are kept instead; PLAIN keeps it). */
  readonly password?: string;
  /** SCRAM keys from an earlier `session.credentials`, instead of a password. */
  readonly credentials?: ScramKeys;
  /** Resource to ask for (RFC 6120 §7.6); the server chooses when absent. */
  readonly resource?: string;
  /** Allow SASL PLAIN when SCRAM is not offered (default false). */
  readonly allowPlain?: boolean;
  /** Bound of each negotiation step and of the closing handshake, ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Default `iq()` timeout, ms (default 15 000). */
  readonly iqTimeoutMs?: number;
  /** Silence before a keepalive probe, ms (default 30 000; 0 disables). */
  readonly keepaliveMs?: number;
  /** Probe answer bound, ms (default 10 000). */
  readonly keepaliveTimeoutMs?: number;
  /**
   * Reconnect delays after a lost link: full jitter under a ceiling of at least `spreadMs`
   * (default 30 s, the herd window of issue #6), growing from `baseMs` (500 ms) to 60 s. The
   * browser's `online` event or calling `connect()` while reconnecting retries at once;
   * `spreadMs: 0` retries within `baseMs` (few clients per server, tests).
   */
  readonly backoff?: BackoffOptions;
  /** Reconnect automatically after a lost link (default true). */
  readonly reconnect?: boolean;
  /** WebSocket constructor replacement (tests, non-browser hosts). */
  readonly webSocket?: WebSocketFactory;
}

/** Session lifecycle; `resumed` is true when XEP-0198 kept the previous session. */
export interface SessionStatus {
  readonly state: ConnectionState;
  readonly resumed?: boolean;
  readonly error?: ImppError;
}

/** Measurements of the last successful (re)connect, ms. */
export interface SessionTimings {
  /** WebSocket open + stream open + first features. */
  readonly socketMs: number;
  /** SASL exchange (PBKDF2 included unless cached). */
  readonly authMs: number;
  /** Socket to online (restart, resume or bind + enable included). */
  readonly totalMs: number;
  readonly mechanism: string;
  readonly resumed: boolean;
}

// RFC 6120 §4.9.3 conditions a reconnect cannot fix.
const FATAL = new Set(['conflict', 'not-authorized', 'host-unknown', 'host-gone', 'see-other-host', 'improper-addressing',
  'invalid-from', 'invalid-namespace', 'unsupported-version', 'unsupported-stanza-type']);

/** True when reconnecting after `e` would only repeat it (auth failures: BAD-INPUTS #52). */
export function isFatal(e: ImppError): boolean {
  return cannotRetry(e) || (e instanceof StreamError && e.byPeer && FATAL.has(e.condition));
}
