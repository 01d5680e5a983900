// RFC 7395 §3.1–3.2: the WebSocket under an XMPP stream — https://www.rfc-editor.org/rfc/rfc7395
// Browser-native WebSocket with the 'xmpp' subprotocol; a factory can be injected (tests, Node).
import { ImppError, TransportError } from '../../errors.js';

/** The part of the WHATWG WebSocket we use. */
export interface WebSocketLike {
  readonly protocol: string;
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Creates a socket; the default is `new WebSocket(url, protocols)`. */
export type WebSocketFactory = (url: string, protocols: string) => WebSocketLike;

/** An open XMPP WebSocket. Inbound text goes to `onText`; a close (either side) to `onClose` once. */
export interface XmppSocket {
  send(text: string): void;
  /** Closes the socket (1000) without waiting; `onClose` still fires once. */
  close(): void;
  readonly open: boolean;
}

export interface SocketHandlers {
  onText(text: string): void;
  onBinary(): void;
  onClose(code: number, reason: string): void;
}

// RFC 6455 §7.4.1 1001 "going away"; IANA registry 1012 "service restart", 1013 "try again later".
const SERVER_GOING_AWAY = new Set([1001, 1012, 1013]);

/** The error for a WebSocket that closed after opening: `transport/server-shutdown` when the server said it is going away. */
export function closedError(code: number, reason = ''): TransportError {
  const why = `WebSocket code ${code}${reason ? `, ${JSON.stringify(reason.slice(0, 100))}` : ''}`;
  return SERVER_GOING_AWAY.has(code)
    ? new TransportError('transport/server-shutdown', `The server is going away (${why}); reconnecting later.`)
    : new TransportError('transport/closed', `The connection closed (${why}).`);
}

const defaultFactory: WebSocketFactory = (url, protocols) => new WebSocket(url, protocols) as unknown as WebSocketLike;

/**
 * Opens a WebSocket and resolves once it is open with the `xmpp` subprotocol (§3.2).
 * @throws {TransportError} `transport/unreachable`, `transport/unsupported`, `transport/timeout`;
 *   `client/disconnected` when `signal` aborts.
 */
export function openSocket(url: string, handlers: SocketHandlers, opts: { factory?: WebSocketFactory; signal?: AbortSignal; timeoutMs: number }): Promise<XmppSocket> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new ImppError('client/disconnected', 'Connecting was aborted.'));
    let ws: WebSocketLike;
    try {
      ws = (opts.factory ?? defaultFactory)(url, 'xmpp');
    } catch (cause) {
      return reject(new TransportError('transport/unreachable', `Cannot open a WebSocket to ${url}; check the service URL.`, { cause }));
    }
    let settled = false;
    let closed = false;
    const fail = (err: ImppError): void => {
      if (settled) return;
      settled = true;
      cleanup();
      try { ws.close(); } catch { /* already closing */ }
      reject(err);
    };
    const onAbort = (): void => fail(new ImppError('client/disconnected', 'Connecting was aborted.'));
    const timer = setTimeout(() => fail(new TransportError('transport/timeout', `No WebSocket to ${url} within ${opts.timeoutMs} ms.`)), opts.timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const socket: XmppSocket = {
      send: (text) => { if (!closed) ws.send(text); },
      close: () => {
        if (closed) return;
        try { ws.close(1000); } catch { /* ignore */ }
        finish(1000, 'closed by client');
      },
      get open() { return !closed; },
    };
    const finish = (code: number, reason: string): void => {
      if (closed) return;
      closed = true;
      ws.onmessage = ws.onclose = ws.onerror = ws.onopen = null;
      handlers.onClose(code, reason);
    };
    ws.onopen = () => {
      if (ws.protocol !== 'xmpp') {
        return fail(new TransportError('transport/unsupported', `${url} did not accept the "xmpp" WebSocket subprotocol (RFC 7395 §3.2).`));
      }
      settled = true;
      cleanup();
      resolve(socket);
    };
    ws.onmessage = (ev) => (typeof ev.data === 'string' ? handlers.onText(ev.data) : handlers.onBinary());
    ws.onerror = () => { /* a close event always follows */ };
    ws.onclose = (ev) => {
      if (!settled) return fail(new TransportError('transport/unreachable', `The WebSocket to ${url} closed before opening (code ${ev.code}); is the server running?`));
      finish(ev.code, ev.reason);
    };
  });
}
