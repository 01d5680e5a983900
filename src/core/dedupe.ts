// Exactly-once inbox (BAD-INPUTS #39, "Reliability promise"): a message is new unless its
// trusted server stanza-id or its (sender, id) pair was seen — never by body or timestamp.
import type { InstantMessage } from './message.js';

const MAX_KEYS = 100_000;

export class Dedupe {
  private readonly seen = new Set<string>();

  /** True the first time a message is seen (and remembers it); false for every repeat. */
  first(m: InstantMessage): boolean {
    const byId = `m\u0000${m.from.id}\u0000${m.id}`;
    const byServer = m.serverId === undefined ? undefined : `s\u0000${m.serverId}`;
    if (this.seen.has(byId) || (byServer !== undefined && this.seen.has(byServer))) {
      if (byServer !== undefined) this.remember(byServer); // learn the alias for later copies
      this.remember(byId);
      return false;
    }
    this.remember(byId);
    if (byServer !== undefined) this.remember(byServer);
    return true;
  }

  private remember(key: string): void {
    this.seen.add(key);
    // Bounded memory: forget the oldest keys (a Set iterates in insertion order).
    if (this.seen.size > MAX_KEYS) for (const k of this.seen) { this.seen.delete(k); if (this.seen.size <= MAX_KEYS * 0.9) break; }
  }
}
