// XEP-0313 §4 + XEP-0059 §2.2: pages our archive forward from an archive id (the catch-up of a
// new session, catch-up.ts), handing each archived stanza over as it arrives.
import { ImppError } from '../../errors.js';
import { isItemNotFound, type ArchivePage, type ArchiveResult, type Mam } from './mam.js';

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
/** Results asked for on the first page of a catch-up. */
const FIRST_PAGE = 20;

export interface CatchUpResult {
  /** The archive id to continue from next time (undefined: keep the old one). */
  readonly cursor?: string;
  /** The archive no longer had our place (a restart with a memory archive, expiry). */
  readonly lost?: boolean;
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
  let lost = false;
  try {
    if (cursor === undefined) {
      onIntact(false);
      const p = await archive.page({ max: 1, before: '' }, left());
      return { cursor: p.last ?? '' };
    }
    for (let pages = 0; ; pages++) {
      if (pages >= limits.maxPages || Date.now() >= deadline) return { cursor: after, ...(lost ? { lost } : {}), error: tooMuch(limits) };
      // Each result is handed over as it arrives: a session lost mid-page keeps the progress.
      // An empty cursor (the archive was empty when we first looked, or lost our place) pages
      // from the archive's start.
      const from = after;
      // The first page is small: the login waits for its answer (our place kept or not), over a
      // link that may not last long.
      const max = pages === 0 ? Math.min(FIRST_PAGE, limits.pageSize) : limits.pageSize;
      let p: ArchivePage;
      try {
        p = await archive.page(from === '' ? { max } : { max, after: from }, left(), (r) => {
          each(r);
          after = r.id;
        });
      } catch (e) {
        // RSM §2.6: the archive lost our place (a restart with a memory archive, expiry): the
        // server may have lost more, so say so, and read what it has from the start. Reading
        // from the start again is also the answer when it loses our place during that read (an
        // archive at its size limit drops its oldest items, the very ones we are reading).
        if (!isItemNotFound(e) || from === '') throw e;
        if (!lost) onIntact(false);
        lost = true;
        after = '';
        continue;
      }
      if (pages === 0) onIntact(from !== ''); // an empty archive proves nothing (it may have been wiped)
      after = p.last ?? after;
      if (p.complete) return { cursor: after, ...(lost ? { lost } : {}) };
    }
  } catch (e) {
    onIntact(false);
    return { ...(after !== cursor ? { cursor: after } : {}), ...(lost ? { lost } : {}), error: ImppError.from(e, 'transport/unsupported', 'Catching up from the message archive (XEP-0313) failed; messages sent while the connection was down may be missing until the next reconnect.') };
  }
}

const tooMuch = (l: CatchUpLimits) =>
  new ImppError('transport/timeout', `Catching up from the message archive stopped after ${l.maxPages} pages or ${l.timeoutMs / 1000} s; older missed messages are in the history.`);
