// Per-peer message logs: inbound and outbound entries, delivery updates, typing and unread
// counts. Emissions are batched per microtask so a burst of N messages costs one list copy.
import { BehaviorSubject, type Observable } from 'rxjs';
import type { ConversationEntry } from './client-api.js';
import type { Delivery } from './message.js';

/** Messages kept in memory per peer; older ones stay in the server archive. */
const MAX_ENTRIES = 20_000;
/** XEP-0085 §5.2: a composing notice older than this is stale. */
const TYPING_TIMEOUT_MS = 30_000;

interface PeerLog {
  readonly entries: ConversationEntry[];
  readonly messages: BehaviorSubject<readonly ConversationEntry[]>;
  readonly typing: BehaviorSubject<boolean>;
  typingTimer?: ReturnType<typeof setTimeout>;
  dirty: boolean;
}

export class ConversationStore {
  private readonly logs = new Map<string, PeerLog>();
  private readonly peerOf = new Map<string, string>(); // outgoing message id → peer id
  private readonly unread = new BehaviorSubject<ReadonlyMap<string, number>>(new Map());
  readonly unread$: Observable<ReadonlyMap<string, number>> = this.unread.asObservable();

  messages$(peer: string): Observable<readonly ConversationEntry[]> {
    return this.log(peer).messages.asObservable();
  }

  typing$(peer: string): Observable<boolean> {
    return this.log(peer).typing.asObservable();
  }

  entries(peer: string): readonly ConversationEntry[] {
    return this.log(peer).entries;
  }

  add(peer: string, entry: ConversationEntry): void {
    const log = this.log(peer);
    log.entries.push(entry);
    if (log.entries.length > MAX_ENTRIES) log.entries.splice(0, log.entries.length - MAX_ENTRIES);
    if (entry.direction === 'out') this.peerOf.set(entry.message.id, peer);
    else this.bumpUnread(peer, 1);
    if (entry.direction === 'in') this.setTyping(peer, false);
    this.touch(log);
  }

  /** Older entries from an archive, already deduplicated, oldest first. */
  prepend(peer: string, older: readonly ConversationEntry[]): void {
    if (older.length === 0) return;
    const log = this.log(peer);
    log.entries.unshift(...older);
    for (const e of older) if (e.direction === 'out') this.peerOf.set(e.message.id, peer);
    this.touch(log);
  }

  /** Updates the delivery state of an outgoing message; returns false if unknown. */
  setDelivery(id: string, delivery: Delivery): boolean {
    const peer = this.peerOf.get(id);
    if (peer === undefined) return false;
    const log = this.log(peer);
    const i = log.entries.findLastIndex((e) => e.direction === 'out' && e.message.id === id);
    if (i === -1) return false;
    log.entries[i] = { ...log.entries[i]!, delivery };
    this.touch(log);
    return true;
  }

  /** Outgoing ids sent to `peer` before (and including) `id`: XEP-0333 markers cover them all. */
  outgoingUpTo(peer: string, id: string): string[] {
    const entries = this.log(peer).entries;
    const end = entries.findLastIndex((e) => e.direction === 'out' && e.message.id === id);
    const ids: string[] = [];
    for (let i = 0; i <= end; i++) if (entries[i]!.direction === 'out') ids.push(entries[i]!.message.id);
    return ids;
  }

  setTyping(peer: string, typing: boolean): void {
    const log = this.log(peer);
    clearTimeout(log.typingTimer);
    if (typing) log.typingTimer = setTimeout(() => log.typing.next(false), TYPING_TIMEOUT_MS);
    if (log.typing.value !== typing) log.typing.next(typing);
  }

  clearUnread(peer: string): void {
    this.bumpUnread(peer, -Infinity);
  }

  private bumpUnread(peer: string, by: number): void {
    const next = new Map(this.unread.value);
    const n = Math.max(0, (next.get(peer) ?? 0) + by);
    if (n === (next.get(peer) ?? 0)) return;
    if (n === 0) next.delete(peer);
    else next.set(peer, n);
    this.unread.next(next);
  }

  private log(peer: string): PeerLog {
    let log = this.logs.get(peer);
    if (log === undefined) {
      log = { entries: [], messages: new BehaviorSubject<readonly ConversationEntry[]>([]), typing: new BehaviorSubject(false), dirty: false };
      this.logs.set(peer, log);
    }
    return log;
  }

  private touch(log: PeerLog): void {
    if (log.dirty) return;
    log.dirty = true;
    queueMicrotask(() => {
      log.dirty = false;
      log.messages.next(log.entries.slice());
    });
  }
}
