/**
 * `createClient`: the RxJS store that turns a transport's protocol-neutral events into the
 * IMPP model of RFC 2778 — presence, watchers, inbox — one source of truth per client.
 * @module
 */
import { BehaviorSubject, NEVER, Observable, Subject } from 'rxjs';
import { shareLatest } from './share-latest.js';
import { bareAddress, parseAddress, type Address } from './address.js';
import type { AddBuddyOptions, AddressLike, Buddy, ConnectionStatus, Conversation, ImppClient, OutgoingMessage } from './client-api.js';
import { Backoff, isFatal, onOnline, type BackoffOptions } from './backoff.js';
import { createConversation, type ConversationHost } from './conversation.js';
import { ConversationStore } from './conversations.js';
import { Dedupe } from './dedupe.js';
import { ImppError } from './errors.js';
import type { InstantMessage } from './message.js';
import { openOutboxStore, type OutboxStore } from './outbox-store.js';
import { makePresence, type Presence } from './presence.js';
import { PresenceStore } from './presence-store.js';
import { RosterStore } from './roster-store.js';
import { Sender } from './sender.js';
import type { CommandResult, PresenceUpdate, Transport, TransportCommand, TransportEvent, Watcher } from './transports/transport.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The protocol binding, e.g. `inPage({ user: 'alice' })` or `xmppWebSocket({ … })`. */
  readonly transport: Transport;
  /** Connect right away (default `true`). */
  readonly autoConnect?: boolean;
  /**
   * Where unsent messages wait: `'auto'` (default) uses IndexedDB when the page has it, so a
   * reload restores them, and memory otherwise (reported once on `errors$`); `'memory'` never
   * persists; or pass your own {@link OutboxStore}.
   */
  readonly outbox?: 'auto' | 'memory' | OutboxStore;
  /**
   * Delays of the retries after a failed first connect (default: full jitter over the 30 s herd
   * window, see {@link BackoffOptions}). The browser's `online` event and `connect()` retry at
   * once. Transports that reconnect by themselves (XMPP) take their own `backoff` option.
   */
  readonly backoff?: BackoffOptions;
}

/**
 * Creates an IMPP client over a transport.
 *
 * @example
 * ```ts
 * import { createClient } from 'impp-kit';
 * import { inPage } from 'impp-kit/transports/in-page';
 *
 * const client = createClient({ transport: inPage({ user: 'alice' }) });
 * client.presence$('bob@in-page.invalid').subscribe((p) => console.log(p.availability));
 * client.send('bob@in-page.invalid', 'Hi Bob!').state$.subscribe((d) => console.log(d.state));
 * ```
 */
export function createClient(options: ClientOptions): ImppClient {
  return new Client(options.transport, options.autoConnect !== false, options.outbox ?? 'auto', options.backoff);
}

class Client implements ImppClient, ConversationHost {
  readonly self: Address;
  readonly #connection = new BehaviorSubject<ConnectionStatus>({ state: 'offline' });
  readonly #errors = new Subject<ImppError>();
  readonly #inbox = new Subject<InstantMessage>();
  readonly #watcherMap = new Map<string, Watcher>();
  readonly #watcherList = new BehaviorSubject<readonly Watcher[]>([]);
  readonly #presences = new PresenceStore();
  readonly #roster = new RosterStore(this.#presences);
  readonly convos = new ConversationStore();
  readonly dedupe = new Dedupe();
  readonly #watched = new Map<string, Address>();
  readonly #presenceStreams = new Map<string, Observable<Presence>>();
  readonly #conversations = new Map<string, Conversation>();
  readonly #selfPresence = new BehaviorSubject<Presence>({ entity: undefined!, tuples: [], notes: [], availability: 'offline' });
  #connecting: Promise<void> | undefined;
  #published: PresenceUpdate = { availability: 'available' };
  #wanted = false;
  readonly #backoff: Backoff;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopRetry = (): void => undefined;
  private readonly sender: Sender;

  readonly connection$ = this.#connection.asObservable();
  readonly errors$ = this.#errors.asObservable();
  readonly inbox$ = this.#inbox.asObservable();
  readonly buddies$: Observable<readonly Buddy[]> = this.#roster.buddies$;
  readonly watchers$: Observable<readonly Watcher[]> = this.#watcherList.asObservable();
  readonly unread$ = this.convos.unread$;
  readonly selfPresence$: Observable<Presence>;

  constructor(readonly transport: Transport, autoConnect: boolean, outbox: 'auto' | 'memory' | OutboxStore, backoff?: BackoffOptions) {
    this.#backoff = new Backoff(backoff);
    this.self = bareAddress(transport.self);
    this.sender = new Sender(this, transport, openOutboxStore(outbox, `${transport.protocol}:${this.self.id}`, (e) => this.report(e)));
    this.#selfPresence.next(makePresence(this.self, []));
    this.selfPresence$ = this.#selfPresence.asObservable();
    transport.events$.subscribe({
      next: (e) => this.#safely(() => this.#onEvent(e)),
      error: (e: unknown) => this.report(ImppError.from(e, 'transport/closed', 'The transport failed unexpectedly.')),
    });
    if (autoConnect) this.connect().catch(() => undefined); // the failure is on connection$
  }

  connect(): Promise<void> {
    this.#wanted = true;
    clearTimeout(this.#retryTimer);
    this.#stopRetry();
    this.#connecting ??= this.transport.connect().then(
      () => {
        this.#connecting = undefined;
        this.#backoff.reset();
        if (this.#wanted) this.#setConnection({ state: 'online' });
        else void this.transport.disconnect(); // disconnect() was called while connecting
      },
      (e: unknown) => {
        this.#connecting = undefined;
        const error = ImppError.from(e, 'transport/unreachable', 'Could not connect. Check the service address and your network, then try again.');
        if (this.#wanted && !isFatal(error)) this.#retryLater(error);
        else this.#setConnection({ state: 'failed', error });
        throw error;
      },
    );
    if (this.#connection.value.state !== 'online' && this.#connection.value.state !== 'reconnecting') this.#setConnection({ state: 'connecting' });
    return this.#connecting;
  }

  /** A transient failure (even on the first connect) is retried with the shared {@link Backoff} (full jitter, ≤ 60 s, herd-aware). */
  #retryLater(error: ImppError): void {
    this.#setConnection({ state: 'reconnecting', error });
    const retry = (): void => void this.connect().catch(() => undefined);
    this.#retryTimer = setTimeout(retry, this.#backoff.next());
    this.#stopRetry = onOnline(retry); // the network is back: no reason to wait
  }

  async disconnect(): Promise<void> {
    this.#wanted = false;
    clearTimeout(this.#retryTimer);
    this.#stopRetry();
    await this.transport.disconnect();
    this.#setConnection({ state: 'offline' });
  }

  presence$(input: AddressLike): Observable<Presence> {
    let address: Address;
    try {
      address = bareAddress(parseAddress(input));
    } catch (e) {
      const error = ImppError.from(e, 'address/invalid', 'Invalid address.');
      return new Observable<Presence>((subscriber) => {
        this.report(error);
        return NEVER.subscribe(subscriber);
      });
    }
    if (address.id === this.self.id) return this.selfPresence$;
    let stream = this.#presenceStreams.get(address.id);
    if (stream === undefined) {
      stream = this.#watchStream(address);
      this.#presenceStreams.set(address.id, stream);
    }
    return stream;
  }

  /** One protocol watch per address, shared by every subscriber, released by the last one. */
  #watchStream(address: Address): Observable<Presence> {
    const id = address.id;
    return new Observable<Presence>((subscriber) => {
      this.#watched.set(id, address);
      if (this.online) this.run({ type: 'watch', address });
      let last: Presence | undefined;
      const emit = (): void => {
        const p = this.#presenceOf(address);
        if (p !== last) subscriber.next((last = p));
      };
      emit();
      const inner = this.#presences.changed$.subscribe((changed) => { if (changed === id) emit(); });
      return () => {
        inner.unsubscribe();
        this.#watched.delete(id);
        if (this.online) this.run({ type: 'unwatch', address });
      };
    }).pipe(shareLatest());
  }

  #presenceOf(address: Address): Presence {
    const item = this.#roster.get(address.id);
    return this.#presences.get(address.id) ?? (item ? this.#roster.defaultPresence(item) : { entity: address, tuples: [], notes: [], availability: 'unknown' });
  }

  async fetchPresence(input: AddressLike): Promise<Presence> {
    return this.command({ type: 'fetch', address: bareAddress(parseAddress(input)) });
  }

  async setPresence(update: PresenceUpdate): Promise<void> {
    await this.command({ type: 'publish', availability: update.availability, note: update.note });
    this.#published = update;
    this.#showSelf();
  }

  /**
   * Our own presence as watchers see it: what we last published (transports publish
   * `available` on sign-in), or offline while not connected.
   */
  #showSelf(): void {
    const { availability, note } = this.#published;
    const open = this.online && availability !== 'offline';
    const tuple = { id: 'self', status: open ? 'open' as const : 'closed' as const, availability: open ? availability : 'offline' as const, notes: note ? [{ text: note }] : [], timestamp: Date.now() };
    this.#selfPresence.next(makePresence(this.self, [tuple]));
  }

  approve(a: AddressLike): Promise<void> { return this.#addressCommand('approve', a); }
  deny(a: AddressLike): Promise<void> { return this.#addressCommand('deny', a); }
  block(a: AddressLike): Promise<void> { return this.#addressCommand('block', a); }
  unblock(a: AddressLike): Promise<void> { return this.#addressCommand('unblock', a); }
  removeBuddy(a: AddressLike): Promise<void> { return this.#addressCommand('remove-buddy', a); }

  async addBuddy(input: AddressLike, options: AddBuddyOptions = {}): Promise<void> {
    const address = bareAddress(parseAddress(input));
    if (address.id === this.self.id) throw new ImppError('client/invalid-argument', 'You cannot add yourself as a contact.');
    await this.command({ type: 'add-buddy', address, name: options.name, groups: options.groups });
  }

  conversation(input: AddressLike): Conversation {
    const peer = bareAddress(parseAddress(input));
    let c = this.#conversations.get(peer.id);
    if (c === undefined) {
      c = createConversation(this, peer);
      this.#conversations.set(peer.id, c);
    }
    return c;
  }

  send(input: AddressLike, body: string): OutgoingMessage {
    return this.sender.send(input, body);
  }

  retry(id: string): void {
    this.sender.retry(id);
  }

  get online(): boolean {
    return this.#connection.value.state === 'online';
  }

  #onEvent(e: TransportEvent): void {
    switch (e.type) {
      case 'connection': return this.#setConnection({ state: e.state, error: e.error });
      case 'roster': return this.#roster.replace(e.items);
      case 'roster-item': return e.removed ? this.#roster.remove(e.item.address.id) : this.#roster.upsert(e.item);
      case 'presence': {
        const entity = bareAddress(e.presence.entity);
        return entity.id === this.self.id ? undefined : this.#presences.set(entity === e.presence.entity ? e.presence : { ...e.presence, entity });
      }
      case 'watcher': return this.#setWatcher(e.watcher.address.id, e.watcher);
      case 'watcher-removed': return this.#setWatcher(e.address.id, undefined);
      case 'message': return this.#onMessage(e.message);
      case 'receipt': return this.sender.onReceipt(e.id, e.peer, { state: e.state, error: e.error });
      case 'typing': return this.convos.setTyping(bareAddress(e.from).id, e.typing);
      case 'error': return this.report(e.error);
    }
  }

  #onMessage(m: InstantMessage): void {
    if (!this.dedupe.first(m)) return;
    const outbound = m.from.id === this.self.id; // a copy of what our other device sent (carbons)
    const peer = (outbound ? m.to : m.from).id;
    this.convos.add(peer, { message: m, direction: outbound ? 'out' : 'in', delivery: outbound ? { state: 'sent' } : undefined });
    if (!outbound) this.#inbox.next(m);
  }

  #setWatcher(id: string, w: Watcher | undefined): void {
    if (w) this.#watcherMap.set(id, w);
    else if (!this.#watcherMap.delete(id)) return;
    this.#watcherList.next([...this.#watcherMap.values()]);
  }

  #setConnection(status: ConnectionStatus): void {
    const was = this.#connection.value.state;
    if (status.state === was && status.error === this.#connection.value.error) return;
    this.#connection.next(status);
    if (status.state === 'online' && was !== 'online') this.#resume();
    if ((status.state === 'online') !== (was === 'online')) this.#showSelf();
    if (status.state !== 'online' && was === 'online') this.#presences.forgetAll((id) => this.#watched.get(id) ?? this.#roster.get(id)?.address ?? parseAddress(id));
  }

  /** After (re)connecting: watch again what is watched, then flush the outbox in order. */
  #resume(): void {
    for (const address of this.#watched.values()) this.run({ type: 'watch', address });
    this.sender.flush();
  }

  #addressCommand(type: 'approve' | 'deny' | 'block' | 'unblock' | 'remove-buddy', input: AddressLike): Promise<void> {
    return this.command({ type, address: bareAddress(parseAddress(input)) });
  }

  async command<C extends TransportCommand>(cmd: C): Promise<CommandResult<C>> {
    if (!this.online) throw new ImppError('client/disconnected', 'Not connected. Wait for connection$ to be online, or call connect().');
    return this.transport.command(cmd);
  }

  /** Fire-and-forget command: a failure is reported on errors$. */
  run(cmd: TransportCommand): void {
    this.transport.command(cmd).catch((e: unknown) => this.report(ImppError.from(e, 'transport/closed', `The ${cmd.type} request failed.`)));
  }

  report(error: ImppError): void {
    this.#errors.next(error);
  }

  #safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.report(ImppError.from(e, 'transport/stream-error', 'An event from the transport could not be handled.'));
    }
  }
}
