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
import type { OutboxStore, StoredMessage } from './outbox-store.js';
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
 * How long a message the service confirmed (`sent`) but nobody receipted is offered again after
 * a new session or a reload: a server can acknowledge and then lose it in a restart (BAD-INPUTS
 * #51). Receivers deduplicate by (sender, id), so the repeat is harmless; the window bounds it.
 */
export const RESEND_WINDOW_MS = 120_000;

export class Sender {
  private readonly outbox = new Outbox();
  /** Sent but not receipted: id → when it was sent, until a receipt or the window closes. */
  private readonly inflight = new Set<string>();
  private readonly unconfirmed = new Map<string, { sentAt: number; timer: ReturnType<typeof setTimeout> }>();
  /** Pending store writes: a message reaches the wire only after its write committed. */
  private readonly writes = new Map<string, Promise<void>>();
  private readonly store: Promise<OutboxStore>;

  constructor(private readonly host: SenderHost, private readonly transport: Transport, store: Promise<OutboxStore>) {
    this.store = store.then(async (s) => {
      await this.restore(s);
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
    this.persist(message);
    if (this.host.online) this.transmit(message);
    return { id: message.id, message, state$ };
  }

  /** Sends a failed message again, same id (receivers deduplicate). */
  retry(id: string): void {
    const message = this.outbox.get(id);
    if (message === undefined || this.outbox.delivery(id)?.state !== 'failed') return;
    this.advance(id, { state: 'queued' });
    this.persist(message);
    if (this.host.online) this.transmit(message);
  }

  /**
   * After (re)connecting: everything still queued goes out; unless the session was resumed (the
   * server kept it), recent sent-but-unreceipted messages go out again too. All in the order they
   * were written, so a receiver that missed some sees them before newer ones (per-sender order).
   */
  flush(resumed = false): void {
    const connectedAt = Date.now(); // only what an earlier session sent is offered again
    void this.store.then(() => {
      const again = new Set(resumed ? [] : [...this.unconfirmed].filter(([, u]) => u.sentAt < connectedAt).map(([id]) => id));
      const all = [...this.outbox.queued(), ...[...again].flatMap((id) => this.outbox.get(id) ?? [])];
      for (const message of all.sort((a, b) => a.timestamp - b.timestamp)) {
        if (!again.has(message.id)) this.transmit(message);
        else this.transport.command({ type: 'send', message }).catch(() => undefined);
      }
    });
  }

  onReceipt(id: string, peer: Address, delivery: Delivery): void {
    // XEP-0333 §3: a displayed marker acknowledges every earlier message too.
    const ids = delivery.state === 'read' ? this.host.convos.outgoingUpTo(bareAddress(peer).id, id) : [];
    for (const each of ids.length > 0 ? ids : [id]) this.advance(each, delivery);
  }

  private persist(message: InstantMessage): void {
    const write = this.store
      .then((store) => store.put(message))
      .catch((e: unknown) => this.host.report(ImppError.from(e, 'storage/unavailable', 'Could not store the message; it is kept in memory.')))
      .finally(() => this.writes.delete(message.id));
    this.writes.set(message.id, write);
  }

  /** Messages a previous page left unconfirmed come back as queued, with their ids, oldest first. */
  private async restore(store: OutboxStore): Promise<void> {
    try {
      this.adopt(store, await store.load((rows) => this.adopt(store, rows)));
    } catch (e) {
      this.host.report(ImppError.from(e, 'storage/unavailable', 'Could not read unsent messages from browser storage.'));
    }
  }

  /** Takes over stored messages (this page's from before a reload, or a closed tab's). */
  private adopt(store: OutboxStore, rows: StoredMessage[]): void {
    for (const { message, sentAt } of rows) {
      if (this.outbox.get(message.id) !== undefined) continue;
      if (sentAt !== undefined && Date.now() - sentAt > RESEND_WINDOW_MS) {
        void store.delete(message.id).catch(() => undefined); // sent long ago: the window closed
        continue;
      }
      this.outbox.add(message);
      this.host.dedupe.first(message);
      this.host.convos.add(message.to.id, { message, direction: 'out', delivery: { state: 'queued' } });
      if (this.host.online) this.transmit(message);
    }
  }

  /** Sends once its store write committed; at once when none is pending (keeps flush order). */
  private transmit(message: InstantMessage): void {
    const write = this.writes.get(message.id);
    if (write === undefined) this.sendNow(message);
    else void write.then(() => this.sendNow(message));
  }

  private sendNow(message: InstantMessage): void {
    const { id } = message;
    // Confirmed meanwhile, or already on its way (a restore and a reconnect flush can meet).
    if (this.outbox.delivery(id)?.state !== 'queued' || this.inflight.has(id)) return;
    this.inflight.add(id);
    this.transport.command({ type: 'send', message }).then(
      () => {
        this.inflight.delete(id);
        this.advance(id, { state: 'sent' });
      },
      (e: unknown) => {
        this.inflight.delete(id);
        const error = ImppError.from(e, 'transport/closed', 'The message could not be sent.');
        // A dropped connection leaves it queued for the next session; anything else fails it.
        if (error.code === 'client/disconnected' || error.code === 'transport/closed') return;
        this.advance(id, { state: 'failed', error });
      },
    );
  }

  private advance(id: string, delivery: Delivery): void {
    // A receipt can overtake the server's ack of the same message (it proves the server had it):
    // the message passes through `sent` on its way, so every state is seen in order.
    if ((delivery.state === 'delivered' || delivery.state === 'read') && this.outbox.delivery(id)?.state === 'queued') {
      this.advance(id, { state: 'sent' });
    }
    if (!this.outbox.advance(id, delivery)) return;
    this.host.convos.setDelivery(id, delivery);
    const storage = (e: unknown) => this.host.report(ImppError.from(e, 'storage/unavailable', 'Could not update browser storage.'));
    const pending = this.unconfirmed.get(id);
    if (pending !== undefined) clearTimeout(pending.timer);
    this.unconfirmed.delete(id);
    if (delivery.state === 'sent') {
      // Taken but not receipted: keep it (marked) for a bounded resend window.
      const sentAt = Date.now();
      const timer = setTimeout(() => this.forget(id), RESEND_WINDOW_MS);
      (timer as { unref?: () => void }).unref?.(); // housekeeping: never keeps a Node process alive
      this.unconfirmed.set(id, { sentAt, timer });
      void this.store.then((s) => s.put(this.outbox.get(id)!, sentAt)).catch(storage);
    } else if (delivery.state !== 'queued') {
      // Receipted, read or failed for good: no longer ours to resend.
      void this.store.then((s) => s.delete(id)).catch(storage);
    }
  }

  /** The resend window of a sent message closed without a receipt. */
  private forget(id: string): void {
    this.unconfirmed.delete(id);
    void this.store.then((s) => s.delete(id)).catch(() => undefined);
  }
}
