// Where the outbox keeps messages between page loads: IndexedDB (via `idb`) when the page has
// it, memory otherwise. A message is written here before it reaches the transport and deleted
// only once the transport confirmed it (BAD-INPUTS #54, "Reliability promise").
import type { IDBPDatabase } from 'idb';
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
  let db: IDBPDatabase;
  try {
    // Loaded on demand: pages without IndexedDB (and bundles for them) never carry idb.
    const { openDB } = await import('idb');
    db = await openDB(DB, 1, {
      upgrade(d) {
        d.createObjectStore(STORE, { keyPath: 'key' }).createIndex('owner', ['owner', 'seq']);
      },
    });
  } catch (e) {
    throw storageError(e);
  }
  let seq = Date.now() * 1000;
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
        const rows = (await db.getAllFromIndex(STORE, 'owner', IDBKeyRange.bound([owner, -Infinity], [owner, Infinity]))) as Row[];
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
      guard(async () => {
        const key = `${owner}\u0000${m.id}`;
        const old = sentAt === undefined ? undefined : ((await db.get(STORE, key)) as Row | undefined);
        const row: Row = { key, owner, seq: old?.seq ?? seq++, id: m.id, from: m.from.toString(), to: m.to.toString(), body: m.body, contentType: m.contentType, timestamp: m.timestamp, thread: m.thread, sentAt };
        await db.put(STORE, row); // resolves after the transaction commits
      }),
    delete: (id) => guard(() => db.delete(STORE, `${owner}\u0000${id}`)),
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
