// The in-page Transport: one device of one user on the shared in-page service. It validates
// every command (bad input rejects with a typed ImppError, never throws synchronously) and
// maps the port's commands onto the service.
import { Subject, type Observable } from 'rxjs';
import { bareAddress, parseAddress, type Address } from '../../address.js';
import { ImppError } from '../../errors.js';
import { MAX_BODY_BYTES, type InstantMessage } from '../../message.js';
import { AVAILABILITIES } from '../../presence.js';
import type { CommandResult, Transport, TransportCommand, TransportEvent } from '../transport.js';
import { randomId } from './channel.js';
import { newSession, type InPageService, type Session } from './service.js';

/** Options of `inPage()`. */
export interface InPageOptions {
  /** Who signs in: `'alice'` (becomes `im:alice@<domain>`) or a full address. */
  readonly user: string;
  /** This device's id: the presence tuple id (default: random). */
  readonly device?: string;
  /** Clients on the same channel share one service, across tabs of one origin (default `'impp-kit'`). */
  readonly channel?: string;
  /** Domain for bare user names (default {@link DEFAULT_DOMAIN}). */
  readonly domain?: string;
  /** This device's tuple priority, 0..1 (RFC 3863 §4.1.5); highest open tuple leads. */
  readonly priority?: number;
}

/** Default domain: `.invalid` is reserved (RFC 2606 §2), so it never clashes with a real one. */
export const DEFAULT_DOMAIN = 'in-page.invalid';
/** Default channel name; the BroadcastChannel is named `'impp-kit:' + channel`. */
export const DEFAULT_CHANNEL = 'impp-kit';

const MAX_TEXT = 1024;
const encoder = new TextEncoder();

function bad(what: string): ImppError {
  return new ImppError('client/invalid-argument', `Invalid ${what}.`);
}

function text(value: unknown, what: string, optional = true): string | undefined {
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value.length > MAX_TEXT || /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) {
    throw bad(`${what}: expected a string of at most ${MAX_TEXT} characters without control characters`);
  }
  return value;
}

/** The bare principal id of an address-like command argument. */
function peer(value: unknown): string {
  return bareAddress(parseAddress(value as Address)).id;
}

/** Parses the signed-in user and device from the options; throws `address/invalid`. */
export function selfAddress(options: InPageOptions): Address {
  const user = String(options?.user ?? '');
  const domain = options?.domain ?? DEFAULT_DOMAIN;
  return bareAddress(parseAddress(/[@:]/.test(user) ? user : `im:${user}@${domain}`));
}

/**
 * A Transport backed by `service`. Prefer `inPage()`, which picks the shared service of the
 * channel; tests use this to put two "tabs" (two services) in one page.
 */
export class InPageTransport implements Transport {
  readonly protocol = 'in-page';
  readonly self: Address;
  /** Group sessions live at `rooms.<domain>` (any domain works; this is what `room()` uses). */
  readonly roomDomain: string;
  readonly events$: Observable<TransportEvent>;
  private readonly events = new Subject<TransportEvent>();
  private readonly session: Session;
  private connecting: Promise<void> | undefined;
  private abandoned = false;

  constructor(options: InPageOptions, private readonly service: InPageService) {
    this.self = selfAddress(options);
    this.roomDomain = `rooms.${this.self.domain}`;
    const device = text(options?.device ?? randomId(), 'device id', false)!;
    const priority = options?.priority;
    if (device === '' || (priority !== undefined && !(priority >= 0 && priority <= 1))) throw bad('device id or priority');
    this.events$ = this.events.asObservable();
    this.session = newSession(this.self.id, device, (e) => this.events.next(e), priority);
  }

  connect(signal?: AbortSignal): Promise<void> {
    if (this.session.online) return Promise.resolve();
    return (this.connecting ??= this.open(signal).finally(() => (this.connecting = undefined)));
  }

  private async open(signal?: AbortSignal): Promise<void> {
    const aborted = () => new ImppError('transport/closed', 'Connecting was aborted.');
    if (signal?.aborted) throw aborted();
    this.abandoned = false;
    this.service.post(this.session, { type: 'connection', state: 'connecting' });
    await this.service.ready; // a new tab first learns who exists from the other tabs
    if (signal?.aborted || this.abandoned) {
      this.service.post(this.session, { type: 'connection', state: 'offline' });
      throw aborted();
    }
    this.service.join(this.session);
    await this.service.settled(); // resolve after 'online' and the initial roster were emitted
  }

  async disconnect(): Promise<void> {
    this.abandoned = this.connecting !== undefined;
    if (!this.session.online) return;
    this.service.leave(this.session);
    await this.service.settled();
  }

  async command<C extends TransportCommand>(cmd: C): Promise<CommandResult<C>> {
    try {
      return (await this.run(cmd)) as CommandResult<C>;
    } catch (e) {
      throw ImppError.from(e, 'client/invalid-argument', 'The command was malformed.');
    }
  }

  private async run(cmd: TransportCommand): Promise<unknown> {
    if (cmd === null || typeof cmd !== 'object') throw bad('command');
    if (!this.session.online) throw new ImppError('client/disconnected', 'Not connected: call connect() first.');
    const s = this.session;
    const svc = this.service;
    switch (cmd.type) {
      case 'watch':
      case 'unwatch':
        return svc.watch(s, peer(cmd.address), cmd.type === 'watch');
      case 'fetch':
        return svc.fetch(s, peer(cmd.address));
      case 'publish': {
        if (!AVAILABILITIES.includes(cmd.availability) || cmd.availability === 'unknown') throw bad('availability');
        return svc.publish(s, cmd.availability, text(cmd.note, 'note') || undefined);
      }
      case 'approve':
      case 'deny':
        return svc.subscribe(peer(cmd.address), s.user, cmd.type === 'approve' ? 'approved' : 'denied');
      case 'block':
      case 'unblock':
        return svc.block(s, peer(cmd.address), cmd.type === 'block');
      case 'add-buddy': {
        const groups = cmd.groups ?? [];
        if (!Array.isArray(groups) || groups.length > 64) throw bad('groups: expected at most 64 strings');
        const target = peer(cmd.address);
        if (target === s.user) throw bad('contact: you cannot add yourself');
        return svc.addBuddy(s, target, text(cmd.name, 'name'), [...new Set(groups.map((g) => text(g, 'group')!))]);
      }
      case 'remove-buddy':
        return svc.removeBuddy(s, peer(cmd.address));
      case 'send':
        return this.send(cmd.message);
      case 'typing':
        return svc.typing(s, peer(cmd.to), cmd.typing === true);
      case 'mark-read':
        return svc.markRead(s, peer(cmd.peer), text(cmd.id, 'message id', false)!);
      case 'history': {
        const max = cmd.max;
        if (!Number.isInteger(max) || max < 1) throw bad('history size: expected a positive integer');
        return svc.history(s, peer(cmd.peer), text(cmd.before, 'message id'), Math.min(max, 500));
      }
      default: // room-* commands, and unknown ones (it rejects them), go to the lazily loaded room part
        return (await svc.loadRooms()).command(s, cmd);
    }
  }

  private send(m: InstantMessage): void {
    if (m === null || typeof m !== 'object') throw bad('message');
    const id = text(m.id, 'message id', false)!;
    if (id === '') throw bad('message id: it is empty');
    if (typeof m.body !== 'string' || m.body === '') throw new ImppError('message/empty', 'The message has no body; type something first.');
    if (encoder.encode(m.body).length > MAX_BODY_BYTES) {
      throw new ImppError('message/too-large', `The message is larger than ${MAX_BODY_BYTES} bytes; shorten it or send a link.`);
    }
    const contentType = typeof m.contentType === 'string' && m.contentType !== '' ? text(m.contentType, 'content type')! : 'text/plain';
    const ts = typeof m.timestamp === 'number' && Number.isFinite(m.timestamp) ? m.timestamp : Date.now();
    const thread = text(m.thread, 'thread');
    this.service.send(this.session, { id, to: peer(m.to), body: m.body, contentType, ts, ...(thread === undefined ? {} : { thread }) });
  }
}
