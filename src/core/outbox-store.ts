// Where the outbox keeps messages between page loads: IndexedDB when the page has it, memory
// otherwise; five small promise wrappers instead of `idb` (they decide the 15 KB budget).
// A message is written here before it reaches the transport and deleted
// only once the transport confirmed it (BAD-INPUTS #54, "Reliability promise").
import { parseAddress } from './address.js';
import { ImppError } from './errors.js';
import { newMessageId, type InstantMessage } from './message.js';

/** A message waiting in the outbox; `sentAt` once the transport took it (no receipt yet). */
export interface StoredMessage {
  readonly message: InstantMessage;
  readonly sentAt?: number;
}

/** Persistence behind the outbox. Every method rejects only with an ImppError `storage/*`. */
export interface OutboxStore {
  readonly kind: 'indexeddb' | 'memory';
  /**
   * Messages of this owner still waiting to be confirmed, oldest first. Messages another live
   * tab owns are left to it; `adopted` receives them later if that tab goes away unconfirmed.
   */
  load(adopted?: (messages: StoredMessage[]) => void): Promise<StoredMessage[]>;
  /** Stores (or updates) a message; `sentAt` marks it sent but not yet receipted. */
  put(message: InstantMessage, sentAt?: number): Promise<void>;
  delete(id: string): Promise<void>;
}

interface Row {
  key: string; // owner NUL id
  owner: string;
  seq: number;
  id: string;
  from: string;
  to: string;
  body: string;
  contentType: string;
  timestamp: number;
  thread?: string;
  sentAt?: number;
  /** The page that owns the row (wrote or adopted it); absent in rows from before ownership. */
  page?: string;
}

const DB = 'impp-kit';
const STORE = 'outbox';

// Ownership: every page holds a Web Lock named after itself for as long as it lives, and owns the
// rows it wrote. A page loads only its own rows and those whose page is gone (its lock released:
// closed, reloaded, crashed), adopting them under one lock per account so two tabs opening at
// once do not both take them. Without Web Locks (insecure contexts) every row is everyone's.
const PAGE = newMessageId();
const pageLock = (id: string) => `impp-kit outbox page ${id}`;
let held: Promise<LockManager | undefined> | undefined;

/** The page's own lock, granted (or no Web Locks here: undefined). */
function pageLocks(): Promise<LockManager | undefined> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return (held ??= locks === undefined
    ? Promise.resolve(undefined)
    : new Promise((granted) => {
        locks.request(pageLock(PAGE), () => (granted(locks), new Promise<never>(() => undefined))).catch(() => granted(undefined));
      }));
}

/** Resolves with a request's result (or rejects with its error). */
function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Runs `fn` in one transaction over the outbox and resolves, once the transaction committed,
 * with the result of the request `fn` returned (if any).
 */
function run<T>(db: IDBDatabase, mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request?.result as T);
    tx.onerror = tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
  });
}

/** An in-memory store: survives reconnects, not reloads. */
export function memoryOutboxStore(): OutboxStore {
  const rows = new Map<string, StoredMessage>();
  return {
    kind: 'memory',
    load: async () => [...rows.values()],
    put: async (message, sentAt) => void rows.set(message.id, sentAt === undefined ? { message } : { message, sentAt }),
    delete: async (id) => void rows.delete(id),
  };
}

export function storageError(e: unknown): ImppError {
  const quota = e instanceof DOMException && e.name === 'QuotaExceededError';
  return quota
    ? new ImppError('storage/quota-exceeded', 'Browser storage is full: queued messages are kept in memory only until space is freed.', { cause: e })
    : ImppError.from(e, 'storage/unavailable', 'Browser storage (IndexedDB) failed: queued messages are kept in memory only.');
}

/**
 * An IndexedDB store for one principal (`owner`, e.g. `Address.id` plus protocol).
 * @throws {ImppError} `storage/unavailable` when IndexedDB cannot be opened.
 */
export async function indexedDbOutboxStore(owner: string): Promise<OutboxStore> {
  let db: IDBDatabase;
  try {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'key' }).createIndex('owner', ['owner', 'seq']);
    db = await done(open);
  } catch (e) {
    throw storageError(e);
  }
  await pageLocks(); // rows are written as this page's only once its lock is held
  let seq = Date.now() * 1000;
  const seqs = new Map<string, number>(); // message id → its row's seq, for rows this page knows
  // Writes are batched: what is issued while a transaction runs goes into the next one, and a
  // batch keeps only the last write of each message, so a delete issued after a put (a receipt
  // right after the ack) is never undone by it. One transaction per batch, not per write: a
  // commit costs milliseconds, and one per write held every send behind the store (#6).
  type Write = { id: string; message?: InstantMessage; sentAt?: number };
  /** The batch still taking writes (it commits once the one before it has), and its commit. */
  let pending: Map<string, Write> | undefined;
  let committed: Promise<void> = Promise.resolve();
  const commit = (writes: Iterable<Write>) => run<void>(db, 'readwrite', (store) => {
    for (const { id, message: m, sentAt } of writes) {
      const key = `${owner}\u0000${id}`;
      if (m === undefined) {
        seqs.delete(id);
        store.delete(key);
        continue;
      }
      // Keep the row's place (restore order); read it back only for a row this page did not write.
      const put = (old?: Row) => {
        const rowSeq = seqs.get(id) ?? old?.seq ?? seq++;
        seqs.set(id, rowSeq);
        store.put({ key, owner, seq: rowSeq, id, from: m.from.toString(), to: m.to.toString(), body: m.body, contentType: m.contentType, timestamp: m.timestamp, thread: m.thread, sentAt, page: PAGE } satisfies Row);
      };
      if (sentAt === undefined || seqs.has(id)) put();
      else {
        const old = store.get(key);
        old.onsuccess = () => put(old.result as Row | undefined);
      }
    }
  });
  const write = (id: string, message?: InstantMessage, sentAt?: number): Promise<void> => {
    if (message && sentAt === undefined && !seqs.has(id)) seqs.set(id, seq++); // a new row: its place is now
    let batch = pending;
    if (batch === undefined) {
      const writes = (batch = pending = new Map<string, Write>());
      committed = committed.catch(() => undefined).then(() => {
        if (pending === writes) pending = undefined; // later writes go to the next batch
        return commit(writes.values());
      }).catch((e: unknown) => {
        throw storageError(e);
      });
    }
    batch.set(id, { id, message, sentAt }); // the last write of a message counts, in the place of its first (row order)
    return committed;
  };
  return {
    kind: 'indexeddb',
    load: (adopted) =>
      (async () => {
        const locks = await pageLocks();
        const range = IDBKeyRange.bound([owner, -Infinity], [owner, Infinity]);
        const watched = new Set<string>();
        const read = async (): Promise<Row[]> => {
          let rows = (await run(db, 'readonly', (s) => s.index('owner').getAll(range))) as Row[];
          if (locks === undefined) return rows;
          const live = new Set((await locks.query()).held?.map((l) => l.name));
          const theirs = (r: Row) => r.page !== undefined && r.page !== PAGE && live.has(pageLock(r.page));
          for (const page of new Set(rows.filter(theirs).map((r) => r.page!))) {
            if (adopted === undefined || watched.has(page)) continue;
            watched.add(page); // its lock is ours to take only once that tab is gone
            void locks.request(pageLock(page), () => undefined)
              .then(() => adopt((r) => r.page !== PAGE)) // what was not ours until now
              .then((m) => m.length > 0 && adopted(m), () => undefined);
          }
          rows = rows.filter((r) => !theirs(r));
          const foreign = rows.filter((r) => r.page !== PAGE);
          if (foreign.length > 0) await run(db, 'readwrite', (s) => foreign.forEach((r) => s.put({ ...r, page: PAGE })));
          return rows;
        };
        // Every row now ours, or (`only`) some of them; adopting orphans on the way.
        const adopt = async (only?: (r: Row) => boolean) => {
          let rows: Row[] = [];
          const take = async () => (rows = (await read()).filter((r) => only?.(r) ?? true));
          await (locks === undefined ? take() : locks.request(`impp-kit outbox adopt ${owner}`, take));
          rows.forEach((r) => seqs.set(r.id, r.seq));
          return rows.flatMap((r): StoredMessage[] => {
            try {
              const message = { id: r.id, from: parseAddress(r.from), to: parseAddress(r.to), body: r.body, contentType: r.contentType, timestamp: r.timestamp, thread: r.thread };
              return [r.sentAt === undefined ? { message } : { message, sentAt: r.sentAt }];
            } catch {
              return []; // a row we cannot read back is not ours to resend
            }
          });
        };
        return adopt();
      })().catch((e: unknown) => {
        throw storageError(e);
      }),
    put: (m, sentAt) => write(m.id, m, sentAt),
    delete: (id) => write(id),
  };
}

let fallbackReported = false;

/**
 * Opens the store a client asked for. `'auto'` falls back to memory when IndexedDB is missing
 * or broken, reporting that once per page through `report`.
 */
export async function openOutboxStore(
  choice: 'auto' | 'memory' | OutboxStore,
  owner: string,
  report: (e: ImppError) => void,
): Promise<OutboxStore> {
  if (typeof choice === 'object') return choice;
  await Promise.resolve(); // let the caller subscribe to errors$ before anything is reported
  if (choice === 'auto' && typeof indexedDB !== 'undefined') {
    try {
      return await indexedDbOutboxStore(owner);
    } catch (e) {
      if (!fallbackReported) report(storageError(e));
      fallbackReported = true;
    }
  } else if (choice === 'auto' && !fallbackReported) {
    fallbackReported = true;
    report(new ImppError('storage/unavailable', 'No IndexedDB here: unsent messages are kept in memory and do not survive a reload.'));
  }
  return memoryOutboxStore();
}
