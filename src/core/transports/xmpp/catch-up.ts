// XEP-0313 §4 + XEP-0059 §2.2: catch-up after a new (not resumed) session. Messages the server
// accepted for a session that then died (Prosody's mod_smacks drops archived ones instead of
// bouncing them) exist only in our archive: page it forward from the last archive id we saw.
import type { XmlElement } from '../../codecs/xml.js';
import { ImppError } from '../../errors.js';
import type { InstantMessage } from '../../message.js';
import type { TransportEvent } from '../transport.js';
import { isItemNotFound, type ArchivePage, type ArchiveResult, type Mam } from './mam.js';
import { cursorStore, type CursorStore } from './local-store.js';
import { recentlySeen } from './seen.js';

export type { CursorStore } from './local-store.js';

/** Bounds of one catch-up. */
export interface CatchUpLimits {
  readonly pageSize: number;
  readonly maxPages: number;
  /** Whole catch-up; checked between pages and used as each page's IQ timeout. */
  readonly timeoutMs: number;
}

// Servers cap a page (Prosody: `max_archive_query_results`, 50 by default); asking for more
// costs nothing and finishes a long catch-up in fewer round trips where the server allows it.
export const CATCH_UP_LIMITS: CatchUpLimits = { pageSize: 250, maxPages: 50, timeoutMs: 30_000 };

export interface CatchUpResult {
  /** The archive id to continue from next time (undefined: keep the old one). */
  readonly cursor?: string;
  readonly error?: ImppError;
}

/**
 * Pages the archive forward from `cursor` to its end, handing every archived stanza to `each`
 * in archive order. Without a cursor (first run) it only finds the archive's end (`''` when it
 * is empty: everything later is ours to catch up). When the server no longer has the cursor (a
 * restart with a memory archive, expiry), it pages from the archive's start (bounded).
 * `onIntact` is called once, early: true when the archive still had our place, so whatever the
 * server acknowledged since is in it (and in our local peers' archives).
 */
export async function catchUp(archive: Mam, cursor: string | undefined, each: (r: ArchiveResult) => void,
  limits: CatchUpLimits = CATCH_UP_LIMITS, onIntact: (intact: boolean) => void = () => undefined): Promise<CatchUpResult> {
  const deadline = Date.now() + limits.timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  let after = cursor;
  try {
    if (cursor === undefined) {
      onIntact(false);
      const p = await archive.page({ max: 1, before: '' }, left());
      return { cursor: p.last ?? '' };
    }
    let lost = false;
    for (let pages = 0; ; pages++) {
      if (pages >= limits.maxPages || Date.now() >= deadline) return { cursor: after, error: tooMuch(limits) };
      // Each result is handed over as it arrives: a session lost mid-page keeps the progress.
      // An empty cursor (the archive was empty when we first looked, or lost our place) pages
      // from the archive's start.
      const from = after;
      let p: ArchivePage;
      try {
        p = await archive.page(from === '' ? { max: limits.pageSize } : { max: limits.pageSize, after: from }, left(), (r) => {
          each(r);
          after = r.id;
        });
      } catch (e) {
        // RSM §2.6: the archive lost our place (a restart with a memory archive, expiry): the
        // server may have lost more, so say so, and read what it has from the start.
        if (!isItemNotFound(e) || from === '' || lost) throw e;
        lost = true;
        onIntact(false);
        after = '';
        continue;
      }
      if (pages === 0) onIntact(from !== ''); // an empty archive proves nothing (it may have been wiped)
      after = p.last ?? after;
      if (p.complete) return { cursor: after };
    }
  } catch (e) {
    onIntact(false);
    return { ...(after !== cursor ? { cursor: after } : {}), error: ImppError.from(e, 'transport/unsupported', 'Catching up from the message archive (XEP-0313) failed; messages sent while the connection was down may be missing until the next reconnect.') };
  }
}

const tooMuch = (l: CatchUpLimits) =>
  new ImppError('transport/timeout', `Catching up from the message archive stopped after ${l.maxPages} pages or ${l.timeoutMs / 1000} s; older missed messages are in the history.`);

/** Options of {@link archiveCatchUp}. */
export interface CatchUpOptions {
  /** Bare account id: the key of the stored cursor. */
  readonly account: string;
  readonly cursors?: CursorStore;
  /** Where the recently seen inbound message keys are kept (see seen.ts). */
  readonly seen?: CursorStore;
  /** Called for each message passed on as shown (or dropped as shown by an earlier page). */
  readonly shown?: (m: InstantMessage) => void;
  readonly limits?: Partial<CatchUpLimits>;
}

/**
 * Live inbound messages and archive catch-up in one ordered flow: while a catch-up runs, live
 * messages wait and follow the archived ones (per-sender order); the archive id of every message
 * passed on becomes the stored cursor, so a reloaded page continues where this one stopped, and
 * what an earlier page passed on is not passed on again (seen.ts).
 */
export function archiveCatchUp(emit: (e: TransportEvent) => void, opts: CatchUpOptions) {
  const cursors = opts.cursors ?? cursorStore();
  const limits = { ...CATCH_UP_LIMITS, ...opts.limits };
  const seen = recentlySeen(opts.account, opts.seen);
  let held: TransportEvent[] | undefined;
  let runs = 0;
  /** No gap before what we pass on: false from a new session until its catch-up completed. */
  let contiguous = true;
  /** `record`: the message counts as shown (cursor, seen); not for those a dying session lets go. */
  const pass = (e: TransportEvent, record = true) => {
    if (e.type === 'message') {
      if (e.message.serverId !== undefined && contiguous && record) cursors.set(opts.account, e.message.serverId);
      if (e.message.from.id !== opts.account && record) {
        if (seen.before(e.message)) return void opts.shown?.(e.message); // an earlier page showed it
        seen.add(e.message);
      }
    }
    emit(e);
    if (e.type === 'message' && record) opts.shown?.(e.message);
  };
  const release = (record = true) => {
    const events = held ?? [];
    held = undefined;
    events.forEach((e) => pass(e, record));
  };
  return {
    /** A live event: a message waits while a catch-up runs; anything else goes on at once. */
    live(e: TransportEvent): void {
      if (held !== undefined && e.type === 'message') held.push(e);
      else pass(e);
    },
    /** A new session: live messages wait from now until {@link run} ends. */
    hold(): void {
      held ??= [];
      contiguous = false;
    },
    /**
     * Catches up from the stored cursor: archived messages (`toEvent` maps each, `undefined`
     * skips it) are passed on in archive order, then the live ones that waited. Never throws;
     * a failure comes back as a typed error to report. A newer run supersedes this one.
     * `onIntact` hears first whether the archive still had our place (see {@link catchUp}).
     */
    async run(archive: Mam, toEvent: (r: { inner: XmlElement; message?: InstantMessage }) => TransportEvent | undefined,
      onIntact?: (intact: boolean) => void): Promise<ImppError | undefined> {
      const run = ++runs;
      const r = await catchUp(archive, cursors.get(opts.account), (x) => {
        if (run !== runs) return;
        const e = toEvent(x);
        if (e) pass(e);
        cursors.set(opts.account, x.id); // contiguous: everything before it was handed over
      }, limits, onIntact);
      if (run !== runs) return undefined;
      if (r.cursor !== undefined) cursors.set(opts.account, r.cursor);
      contiguous = r.error === undefined; // after a failure the next new session starts from here again
      // The session ended under it: live messages keep waiting for the next session's catch-up.
      if (r.error?.code !== 'transport/closed') release();
      return r.error;
    },
    /** The session ended: nothing waits for a catch-up that will not finish (the cursor stays). */
    stop(): void {
      runs++;
      release(false); // handed to the app, but the next session's catch-up still covers them
    },
  };
}
