// Where the outbox keeps messages between page loads: IndexedDB when the page has it, memory
// otherwise; five small promise wrappers instead of `idb` (they decide the 15 KB budget).
// A message is written here before it reaches the transport and deleted
// only once the transport confirmed it (BAD-INPUTS #54, "Reliability promise").
import { parseAddress } from './address.js';
import { ImppError } from './errors.js';
import type { InstantMessage } from './message.js';

/** A message waiting in the outbox; `sentAt` once the transport took it (no receipt yet). */
export interface StoredMessage {
  readonly message: InstantMessage;
  readonly sentAt?: number;
}

/** Persistence behind the outbox. Every method rejects only with an ImppError `storage/*`. */
export interface OutboxStore {
  readonly kind: 'indexeddb' | 'memory';
  /** Messages of this owner still waiting to be confirmed, oldest first. */
  load(): Promise<StoredMessage[]>;
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
}

const DB = 'impp-kit';
const STORE = 'outbox';

/** Resolves with a request's result (or rejects with its error). */
function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Runs one request in its own transaction; a write resolves only once the transaction commits. */
function run<T>(db: IDBDatabase, mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const tx = db.transaction(STORE, mode);
  const result = done(op(tx.objectStore(STORE)));
  const committed = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
  });
  return Promise.all([result, committed]).then(([r]) => r);
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

function storageError(e: unknown): ImppError {
  const quota = e instanceof DOMException && e.name === 'QuotaExceededError';
  return quota
    ? new ImppError('storage/quota-exceeded', 'The browser storage quota is full: queued messages are kept in memory only until some space is freed.', { cause: e })
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
  let seq = Date.now() * 1000;
  const seqs = new Map<string, number>(); // message id → its row's seq, for rows this page knows
  // Writes run one after another, in the order issued: a put spans two transactions (read the
  // old row, write), and a delete issued meanwhile (a receipt right after the ack) must not be
  // undone by it.
  let writes: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = writes.then(fn, fn);
    writes = next.catch(() => undefined);
    return next;
  };
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw storageError(e);
    }
  };
  return {
    kind: 'indexeddb',
    load: () =>
      guard(async () => {
        const range = IDBKeyRange.bound([owner, -Infinity], [owner, Infinity]);
        const rows = (await run(db, 'readonly', (s) => s.index('owner').getAll(range))) as Row[];
        rows.forEach((r) => seqs.set(r.id, r.seq));
        return rows.flatMap((r): StoredMessage[] => {
          try {
            const message = { id: r.id, from: parseAddress(r.from), to: parseAddress(r.to), body: r.body, contentType: r.contentType, timestamp: r.timestamp, thread: r.thread };
            return [r.sentAt === undefined ? { message } : { message, sentAt: r.sentAt }];
          } catch {
            return []; // a row we cannot read back is not ours to resend
          }
        });
      }),
    put: (m, sentAt) =>
      serial(() => guard(async () => {
        const key = `${owner}\u0000${m.id}`;
        // Keep the row's place (restore order); read it back only for a row this page did not write.
        const known = seqs.get(m.id);
        const old = sentAt === undefined || known !== undefined ? undefined : ((await run(db, 'readonly', (s) => s.get(key))) as Row | undefined);
        const rowSeq = known ?? old?.seq ?? seq++;
        seqs.set(m.id, rowSeq);
        const row: Row = { key, owner, seq: rowSeq, id: m.id, from: m.from.toString(), to: m.to.toString(), body: m.body, contentType: m.contentType, timestamp: m.timestamp, thread: m.thread, sentAt };
        await run(db, 'readwrite', (s) => s.put(row)); // resolves after the transaction commits
      })),
    delete: (id) => serial(() => guard(() => (seqs.delete(id), run(db, 'readwrite', (s) => s.delete(`${owner}\u0000${id}`))))),
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
