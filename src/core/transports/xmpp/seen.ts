// Exactly-once across reloads (BAD-INPUTS "Reliability promise", #39): a page remembers the
// (sender, id) of the last inbound messages it passed on, so the next page of the same account
// drops those an earlier page already showed when they come again (a sender's resend after a
// lost receipt, an archive replay). Within a page the client's Dedupe does this.
import type { InstantMessage } from '../../message.js';
import { cursorStore, type CursorStore } from './local-store.js';

/**
 * Keys kept. A later page meets again what a sender offered again (its unreceipted messages
 * after the server lost some, sender.ts) and what the archive holds after our stored position:
 * at soak rates (20 messages a second) 2,000 keys were too few, and a reloaded page showed old
 * messages again after newer ones (#6). ~11 bytes a key.
 */
const MAX = 10_000;
/** Writes at most this often during a burst (a catch-up passes messages one task at a time). */
const SAVE_MS = 200;

/** cyrb53: a 53-bit string hash; keys stay small (≤ 11 chars) in storage. */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The recent inbound messages of `account`, as earlier pages left them and as this one adds. */
export function recentlySeen(account: string, store: CursorStore = cursorStore('impp-kit:seen:', new Map())) {
  const ring = (store.get(account) ?? '').split(' ').filter((k) => k !== '');
  const earlier = new Set(ring);
  let saving = false;
  let savedAt = -Infinity;
  const key = (m: InstantMessage) => hash(`${m.from.id}\u0000${m.id}`);
  const g = globalThis as { addEventListener?: typeof addEventListener; removeEventListener?: typeof removeEventListener };
  const save = (): void => {
    if (!saving) return;
    saving = false;
    savedAt = Date.now();
    g.removeEventListener?.('pagehide', save);
    store.set(account, ring.join(' '));
  };
  return {
    /** True when an earlier page of this account already passed `m` on. */
    before: (m: InstantMessage): boolean => earlier.has(key(m)),
    /**
     * Remembers `m`: written at the end of the current task's microtasks, or during a burst at
     * most every SAVE_MS (and when the page goes away).
     */
    add(m: InstantMessage): void {
      ring.push(key(m));
      if (ring.length > MAX) ring.splice(0, ring.length - MAX);
      if (saving) return;
      saving = true;
      g.addEventListener?.('pagehide', save);
      const wait = savedAt + SAVE_MS - Date.now();
      if (wait <= 0) queueMicrotask(save);
      else setTimeout(save, wait);
    },
  };
}
