// Small per-account strings that outlive the page: the XEP-0313 catch-up cursor and the recently
// seen inbound message keys (#6). Storage is best effort: it never throws.
/** Small per-account strings that outlive the page (the archive cursor, recently seen ids). */
export interface CursorStore {
  get(account: string): string | undefined;
  set(account: string, value: string): void;
}

const shared = new Map<string, string>();

/**
 * localStorage under `prefix` when the page has it, else memory (`shared` across clients of this
 * realm, or private); never throws (private mode, quota, sandbox).
 */
export function cursorStore(prefix = 'impp-kit:mam-cursor:', memory: Map<string, string> = shared): CursorStore {
  const KEY = prefix;
  const ls = (): Storage | undefined => {
    try {
      return (globalThis as { localStorage?: Storage }).localStorage;
    } catch {
      return undefined;
    }
  };
  return {
    get(account) {
      try {
        const v = ls()?.getItem(KEY + account);
        if (typeof v === 'string') return v;
      } catch { /* fall back to memory */ }
      return memory.get(account);
    },
    set(account, id) {
      memory.set(account, id);
      try {
        ls()?.setItem(KEY + account, id);
      } catch { /* memory has it */ }
    },
  };
}
