// XEP-0313 §4 + XEP-0059 §2.2: catch-up after a new (not resumed) session. Messages the server
// accepted for a session that then died (Prosody's mod_smacks drops archived ones instead of
// bouncing them) exist only in our archive: page it forward from the last archive id we saw
// (archive-pages.ts), in one ordered flow with the live messages.
import type { XmlElement } from '../../codecs/xml.js';
import type { ImppError } from '../../errors.js';
import type { InstantMessage } from '../../message.js';
import type { TransportEvent } from '../transport.js';
import { CATCH_UP_LIMITS, catchUp, type CatchUpLimits } from './archive-pages.js';
import type { ArchiveResult, Mam } from './mam.js';
import { cursorStore, type CursorStore } from './local-store.js';
import { recentlySeen } from './seen.js';

export type { CatchUpLimits } from './archive-pages.js';
export type { CursorStore } from './local-store.js';

/** (Sender, id) keys of recently passed messages kept in memory. */
const PASSED_KEYS = 20_000;
/** Catch-ups cut by their bounds go on from where they stopped this many times more. */
const MORE_RUNS = 2;
/**
 * Messages that waited behind a catch-up which found the archive lost our place wait this long
 * (at least) for their senders' repeats; see `park` below.
 */
export const PARK_MS = 30_000;

/** Handed over late (a XEP-0203 `<delay>` before `since`, when the session began). */
const delayed = (m: InstantMessage, since: number) => m.timestamp < since;

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
  /** Live events waiting behind a catch-up, with the session (`epoch`) each came in. */
  let held: { e: TransportEvent; epoch: number }[] | undefined;
  /** New sessions so far. */
  let epoch = 0;
  let runs = 0;
  /** No gap before what we pass on: false from a new session until its catch-up completed. */
  let contiguous = true;
  /** When the current session began (its hold). */
  let epochSince = 0;
  /** The first session whose catch-up found the archive lost our place, and when it began; until one completes. */
  let lostIn: { epoch: number; since: number } | undefined;
  /** Recently passed (sender, id) keys, to tell which waiting messages the archive covered. */
  const passed = new Set<string>();
  const parked = new Map<string, TransportEvent & { type: 'message' }>();
  let parkTimer: ReturnType<typeof setTimeout> | undefined;
  const key = (m: InstantMessage) => `${m.from.id}\u0000${m.id}`;
  /** `record`: the message counts as shown (cursor, seen); not for those a dying session lets go. */
  const pass = (e: TransportEvent, record = true) => {
    if (e.type === 'message') {
      const k = key(e.message);
      parked.delete(k); // its sender's repeat: shown in the sender's order, not the parked copy
      passed.add(k);
      if (passed.size > PASSED_KEYS) passed.delete(passed.values().next().value!);
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
    events.forEach(({ e }) => pass(e, record));
  };
  const unpark = (record = true) => {
    clearTimeout(parkTimer);
    parkTimer = undefined;
    const events = [...parked.values()];
    parked.clear();
    events.forEach((e) => pass(e, record));
  };
  /**
   * The archive lost our place (the server restarted) while messages that came in before waited
   * behind the catch-up: the messages before them that we had not read yet are gone from it, and
   * only their senders' repeats (sender.ts offers unreceipted messages again after the server
   * lost them, oldest first) bring them back. Showing the waiting ones now would put them before
   * those repeats, so they wait for a repeat of themselves (then shown in its place): PARK_MS at
   * least, then until a catch-up has read the archive to its end (the repeats may be in it), at
   * most 4 × PARK_MS. Unreceipted meanwhile: their senders keep them. What came in on the session
   * that found the loss, or later, is newer than the loss and goes on in order, except what the
   * server kept elsewhere and hands over late with its old time (XEP-0203 `<delay>`: its offline
   * store, which may outlive a restart that wiped the archive): that is older than the loss too,
   * unless the archive has its id (`fresh`): then it was stored after the loss (a sender's
   * repeat that waited in the offline store) and no other repeat of it will come.
   */
  const park = (lost: { epoch: number; since: number }, fresh: ReadonlySet<string>) => {
    const events = held ?? [];
    held = undefined;
    for (const { e, epoch: from } of events) {
      const older = e.type === 'message' && (from < lost.epoch || (delayed(e.message, lost.since) && !fresh.has(e.message.serverId!)));
      if (older && !passed.has(key(e.message))) parked.set(key(e.message), e);
      else pass(e);
    }
    if (parked.size === 0 || parkTimer !== undefined) return;
    const since = Date.now();
    const due = () => {
      if (parked.size === 0) return void (parkTimer = undefined);
      if ((contiguous && held === undefined) || Date.now() - since >= 4 * PARK_MS) return unpark();
      parkTimer = setTimeout(due, PARK_MS / 10);
    };
    parkTimer = setTimeout(due, PARK_MS);
  };
  return {
    /** A live event: a message waits while a catch-up runs; anything else goes on at once. */
    live(e: TransportEvent): void {
      if (held !== undefined && e.type === 'message') held.push({ e, epoch });
      else pass(e);
    },
    /** A new session: live messages wait from now until {@link run} ends. */
    hold(): void {
      held ??= [];
      epoch++;
      epochSince = Date.now();
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
      const session = { epoch, since: epochSince };
      const each = (x: ArchiveResult) => {
        if (run !== runs) return;
        const e = toEvent(x);
        if (e) pass(e);
        cursors.set(opts.account, x.id); // contiguous: everything before it was handed over
      };
      // A loss is a loss even when a newer session superseded this run: what waited is older than it.
      const lost = (r: { lost?: boolean }) => void (r.lost && (lostIn ??= session));
      // Superseded: a newer run started, or a newer session began (its run starts after its login's
      // round trips; ending this one meanwhile would let that session's live messages through).
      const over = () => run !== runs || session.epoch !== epoch;
      let r = await catchUp(archive, cursors.get(opts.account), each, limits, onIntact);
      lost(r);
      // Cut by its bounds: go on from where it stopped (live messages keep waiting: they are newer).
      for (let more = 0; more < MORE_RUNS && !over() && r.error?.code === 'transport/timeout'; more++) {
        if (r.cursor !== undefined) cursors.set(opts.account, r.cursor);
        r = await catchUp(archive, cursors.get(opts.account), each, limits);
        lost(r);
      }
      if (over()) return undefined;
      if (r.cursor !== undefined) cursors.set(opts.account, r.cursor);
      contiguous = r.error === undefined; // after a failure the next new session starts from here again
      // The session ended under it: live messages keep waiting for the next session's catch-up.
      if (r.error?.code === 'transport/closed') return r.error;
      if (lostIn !== undefined && r.error === undefined) {
        const loss = lostIn;
        // Which of the late deliveries the archive has: one query (none known if it fails).
        const ids = (held ?? []).flatMap(({ e }) =>
          (e.type === 'message' && e.message.serverId !== undefined && delayed(e.message, loss.since) ? [e.message.serverId] : []));
        const fresh = ids.length === 0 ? new Set<string>()
          : await archive.page({ max: ids.length, ids }, limits.timeoutMs).then((p) => new Set(p.results.map((x) => x.id)), () => new Set<string>());
        if (over()) return undefined;
        park(loss, fresh);
      } else release();
      lostIn = undefined;
      return r.error;
    },
    /** The session ended: nothing waits for a catch-up that will not finish (the cursor stays). */
    stop(): void {
      runs++;
      release(false); // handed to the app, but the next session's catch-up still covers them
      unpark(false);
    },
  };
}
