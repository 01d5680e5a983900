// The outbox: every send() lives here from `queued` until it is confirmed or fails, so a
// dropped socket never loses it (BAD-INPUTS "Reliability promise"). In memory for now;
// IndexedDB durability is a later step behind the same interface.
import { BehaviorSubject, type Observable } from 'rxjs';
import { isProgress, type Delivery, type InstantMessage } from './message.js';

interface OutboxEntry {
  readonly message: InstantMessage;
  readonly state: BehaviorSubject<Delivery>;
}

export class Outbox {
  readonly #entries = new Map<string, OutboxEntry>();

  add(message: InstantMessage, initial: Delivery = { state: 'queued' }): Observable<Delivery> {
    const state = new BehaviorSubject<Delivery>(initial);
    this.#entries.set(message.id, { message, state });
    return this.state$(message.id)!;
  }

  state$(id: string): Observable<Delivery> | undefined {
    return this.#entries.get(id)?.state.asObservable(); // advance() only moves forward: no repeats
  }

  get(id: string): InstantMessage | undefined {
    return this.#entries.get(id)?.message;
  }

  delivery(id: string): Delivery | undefined {
    return this.#entries.get(id)?.state.value;
  }

  /** Moves a message forward (never backwards); returns the new delivery if it changed. */
  advance(id: string, next: Delivery): Delivery | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined || !isProgress(entry.state.value.state, next.state)) return undefined;
    entry.state.next(next);
    return next;
  }

  /**
   * Messages still waiting for the wire, and those of `also` (repeats), oldest first (restored
   * ones before newer ones); equal times keep the order they were sent in.
   */
  queued(also?: ReadonlySet<string>): InstantMessage[] {
    return [...this.#entries.values()]
      .filter((e) => e.state.value.state === 'queued' || also?.has(e.message.id))
      .map((e) => e.message)
      .sort((a, b) => a.timestamp - b.timestamp); // stable: equal times keep insertion order
  }
}
