// The delivery pipeline of outgoing messages: validate → outbox (memory + store) → wire →
// receipts. At-least-once on the wire: a message is `sent` only when the transport confirmed
// that the service has it (XMPP: the XEP-0198 ack), and a dropped connection leaves it queued
// for the next session.
import { bareAddress, type Address } from './address.js';
import type { AddressLike, OutgoingMessage } from './client-api.js';
import type { ConversationStore } from './conversations.js';
import type { Dedupe } from './dedupe.js';
import { ImppError } from './errors.js';
import type { Delivery, InstantMessage } from './message.js';
import { Outbox } from './outbox.js';
import { storageError, type OutboxStore, type StoredMessage } from './outbox-store.js';
import { prepareMessage } from './send.js';
import type { Transport } from './transports/transport.js';

export interface SenderHost {
  readonly self: Address;
  readonly online: boolean;
  readonly convos: ConversationStore;
  /** Our own messages are registered too: archive and carbon copies of them are repeats. */
  readonly dedupe: Dedupe;
  report(error: ImppError): void;
}

/**
 * How long a message the service confirmed (`sent`) but nobody receipted is kept and offered
 * again after a new session or a reload: a server can acknowledge and then lose it in a restart
 * (BAD-INPUTS #51). The transport skips a repeat when it knows its service kept the message (XMPP:
 * no session found the archive lost our place since), so only a loss costs traffic; receivers
 * deduplicate by (sender, id). Long enough for a repeat to get through a long outage or backlog
 * (the #6 soak lost messages whose 2-minute window closed first); a repeat the service confirms
 * again starts a new window.
 */
export const RESEND_WINDOW_MS = 600_000;

/**
 * Messages on the wire awaiting the service's confirmation, at most. A backlog (a reload, a
 * restart, a long outage) goes out in steps a short-lived link can finish, instead of one burst
 * that a lost link makes the next session send again from the start.
 */
export const SEND_WINDOW = 64;

export class Sender {
  private readonly outbox = new Outbox();
  /** Sent but not receipted: id → when it was sent, until a receipt or the window closes. */
  readonly #inflight = new Set<string>();
  /** Waiting for room in the send window, oldest first: id → is a repeat of a sent message. */
  readonly #waiting = new Map<string, boolean>();
  readonly #unconfirmed = new Map<string, { sentAt: number; timer: ReturnType<typeof setTimeout> }>();
  /** Pending store writes: a message reaches the wire only after its write committed. */
  private readonly writes = new Map<string, Promise<void>>();
  readonly #store: Promise<OutboxStore>;

  constructor(private readonly host: SenderHost, private readonly transport: Transport, store: Promise<OutboxStore>) {
    this.#store = store.then(async (s) => {
      await this.#restore(s);
      return s;
    });
  }

  send(input: AddressLike, body: string): OutgoingMessage {
    const prepared = prepareMessage(this.host.self, input, body);
    if ('error' in prepared) {
      this.host.report(prepared.error);
      const { message } = prepared;
      return { id: message.id, message, state$: this.outbox.add(message, { state: 'failed', error: prepared.error }) };
    }
    const { message } = prepared;
    const state$ = this.outbox.add(message);
    this.host.dedupe.first(message);
    this.host.convos.add(message.to.id, { message, direction: 'out', delivery: { state: 'queued' } });
    this.#persist(message);
    if (this.host.online) this.#transmit(message);
    return { id: message.id, message, state$ };
  }

  /** Sends a failed message again, same id (receivers deduplicate). */
  retry(id: string): void {
    const message = this.outbox.get(id);
    if (message === undefined || this.outbox.delivery(id)?.state !== 'failed') return;
    this.#advance(id, { state: 'queued' });
    this.#persist(message);
    if (this.host.online) this.#transmit(message);
  }

  /**
   * After (re)connecting: everything still queued goes out, and recent sent-but-unreceipted
   * messages are offered again (the transport skips those its service certainly kept, e.g. after
   * a resume). All in the order they were written, so a receiver that missed some sees them
   * before newer ones (per-sender order).
   */
  flush(): void {
    const connectedAt = Date.now(); // only what an earlier session sent is offered again
    void this.#store.then(() => {
      const again = new Set([...this.#unconfirmed].filter(([, u]) => u.sentAt < connectedAt).map(([id]) => id));
      this.#waiting.clear(); // in order again: what a lost link handed back goes before what waited
      for (const message of this.outbox.queued(again)) this.#transmit(message, again.has(message.id));
    });
  }

  onReceipt(id: string, peer: Address, delivery: Delivery): void {
    // XEP-0333 §3: a displayed marker acknowledges every earlier message too.
    const ids = delivery.state === 'read' ? this.host.convos.outgoingUpTo(bareAddress(peer).id, id) : [];
    for (const each of ids.length > 0 ? ids : [id]) this.#advance(each, delivery);
  }

  #persist(message: InstantMessage): void {
    const write = this.#store
      .then((store) => store.put(message))
      .catch(this.#storageFailed)
      .finally(() => this.writes.delete(message.id));
    this.writes.set(message.id, write);
  }

  /** Messages a previous page left unconfirmed come back as queued, with their ids, oldest first. */
  async #restore(store: OutboxStore): Promise<void> {
    try {
      this.#adopt(store, await store.load((rows) => this.#adopt(store, rows, true)));
    } catch (e) {
      this.#storageFailed(e);
    }
  }

  /**
   * Takes over stored messages (this page's from before a reload, or a closed tab's). One the
   * service had confirmed stays `sent` (it is not queued again: the service had it) and is
   * offered again on the next session, as a repeat the transport skips when its service kept it.
   */
  #adopt(store: OutboxStore, rows: StoredMessage[], later = false): void {
    for (const { message, sentAt } of rows) {
      if (this.outbox.get(message.id) !== undefined) continue;
      if (sentAt !== undefined && Date.now() - sentAt > RESEND_WINDOW_MS) {
        void store.delete(message.id).catch(() => undefined); // sent long ago: the window closed
        continue;
      }
      const delivery: Delivery = { state: sentAt === undefined ? 'queued' : 'sent' };
      this.outbox.add(message, delivery);
      this.host.dedupe.first(message);
      this.host.convos.add(message.to.id, { message, direction: 'out', delivery });
      if (sentAt !== undefined) this.#keep(message.id, sentAt);
      // A repeat goes out now only when adopted later (a tab closed): at first the flush of the
      // next online offers it (one waits for this restore), and a queued one is sent once anyway.
      if (this.host.online && (sentAt === undefined || later)) this.#transmit(message, sentAt !== undefined);
    }
  }

  /** Sends once its store write committed (at once when none is pending) and the window has room. */
  #transmit(message: InstantMessage, again = false): void {
    const enqueue = () => {
      if (!this.#waiting.has(message.id)) this.#waiting.set(message.id, again);
      this.#drain();
    };
    void (this.writes.get(message.id)?.then(enqueue) ?? enqueue());
  }

  /** Sends what waits, oldest first, while the window has room and the transport is online. */
  #drain(): void {
    for (const [id, again] of this.#waiting) {
      if (this.#inflight.size >= SEND_WINDOW || !this.host.online) return;
      this.#waiting.delete(id);
      const message = this.outbox.get(id);
      // Confirmed meanwhile, or already on its way (a restore and a reconnect flush can meet).
      if (!message || this.#inflight.has(id) || this.outbox.delivery(id)?.state !== (again ? 'sent' : 'queued')) continue;
      this.#inflight.add(id);
      const done = (delivery?: Delivery) => {
        this.#inflight.delete(id);
        if (delivery && !again) this.#advance(id, delivery);
        this.#drain();
      };
      this.transport.command({ type: 'send', message, confirmedAt: again ? this.#unconfirmed.get(id)?.sentAt : undefined }).then((r) => {
        // Sent again and confirmed (the service had lost it): its window starts again from now.
        if (r === 'repeated' && this.#unconfirmed.has(id)) this.#confirmed(id);
        done({ state: 'sent' });
      }, (e: unknown) => {
        const error = ImppError.from(e, 'transport/closed', 'The message could not be sent.');
        // A dropped connection leaves it queued for the next session; anything else fails it.
        done(error.code === 'client/disconnected' || error.code === 'transport/closed' ? undefined : { state: 'failed', error });
      });
    }
  }

  #advance(id: string, delivery: Delivery): void {
    // A receipt can overtake the server's ack of the same message (it proves the server had it):
    // the message passes through `sent` on its way, so every state is seen in order.
    if ((delivery.state === 'delivered' || delivery.state === 'read') && this.outbox.delivery(id)?.state === 'queued') {
      this.#advance(id, { state: 'sent' });
    }
    if (!this.outbox.advance(id, delivery)) return;
    this.host.convos.setDelivery(id, delivery);
    const pending = this.#unconfirmed.get(id);
    if (pending !== undefined) clearTimeout(pending.timer);
    this.#unconfirmed.delete(id);
    if (delivery.state === 'sent') {
      this.#confirmed(id);
    } else if (delivery.state !== 'queued') {
      // Receipted, read or failed for good: no longer ours to resend.
      void this.#store.then((s) => s.delete(id)).catch(this.#storageFailed);
    }
  }

  /** Store failures are reported (`storage/*`); the messages stay in memory. */
  readonly #storageFailed = (e: unknown): void => this.host.report(storageError(e));

  /** The service confirmed it now (no receipt yet): kept, marked, for its resend window. */
  #confirmed(id: string): void {
    const sentAt = Date.now();
    clearTimeout(this.#unconfirmed.get(id)?.timer);
    this.#keep(id, sentAt);
    void this.#store.then((s) => s.put(this.outbox.get(id)!, sentAt)).catch(this.#storageFailed);
  }

  /** Confirmed at `sentAt` but not receipted: kept (marked) until its resend window closes. */
  #keep(id: string, sentAt: number): void {
    const timer = setTimeout(() => this.#forget(id), Math.max(0, sentAt + RESEND_WINDOW_MS - Date.now()));
    (timer as { unref?: () => void }).unref?.(); // housekeeping: never keeps a Node process alive
    this.#unconfirmed.set(id, { sentAt, timer });
  }

  /** The resend window of a sent message closed without a receipt. */
  #forget(id: string): void {
    this.#unconfirmed.delete(id);
    void this.#store.then((s) => s.delete(id)).catch(() => undefined);
  }
}
