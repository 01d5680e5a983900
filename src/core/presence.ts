/**
 * The presence model of RFC 2778 §2.2, shaped like PIDF (RFC 3863).
 * @module
 */
import type { Address } from './address.js';

/** The aggregate availability vocabulary (DESIGN.md); protocols map into it in transports. */
export type Availability = 'available' | 'away' | 'busy' | 'offline' | 'unknown';

/** All {@link Availability} values, most available first (the sort order of buddy lists). */
export const AVAILABILITIES: readonly Availability[] = ['available', 'away', 'busy', 'offline', 'unknown'];

/** PIDF `<basic>`: RFC 3863 §4.1.4. `unknown` is what an unrecognised value maps to. */
export type BasicStatus = 'open' | 'closed' | 'unknown';

/** A human-readable note with an optional language (PIDF `<note xml:lang>`). */
export interface Note {
  readonly text: string;
  readonly lang?: string;
}

/**
 * One presence tuple: a device or route of the presentity (RFC 2778 §2.2, RFC 3863 §4.1).
 * Several devices of one user are several tuples.
 */
export interface Tuple {
  /** Unique within the presence document (PIDF `id`, XMPP resource). */
  readonly id: string;
  readonly status: BasicStatus;
  readonly availability?: Availability;
  /** How to reach this device (PIDF `<contact>`), e.g. `xmpp:alice@example.com/phone`. */
  readonly contact?: string;
  /** Contact priority 0..1 (PIDF); XMPP priorities are mapped into it by the transport. */
  readonly priority?: number;
  readonly notes: readonly Note[];
  /** Milliseconds since the epoch, or undefined when absent or unusable. */
  readonly timestamp?: number;
}

/** Presence information of one presentity (RFC 2778 §2.2). */
export interface Presence {
  readonly entity: Address;
  readonly tuples: readonly Tuple[];
  /** Notes about the presentity as a whole (PIDF `<presence><note>`). */
  readonly notes: readonly Note[];
  readonly timestamp?: number;
  /** Derived from the tuples by {@link aggregateAvailability}; never stored separately. */
  readonly availability: Availability;
}

const RANK: Record<Availability, number> = { available: 4, busy: 3, away: 2, unknown: 1, offline: 0 };

function tupleAvailability(t: Tuple): Availability {
  if (t.status === 'closed') return 'offline';
  if (t.status === 'unknown') return t.availability ?? 'unknown';
  return t.availability === undefined || t.availability === 'offline' || t.availability === 'unknown'
    ? 'available'
    : t.availability;
}

/**
 * The tuple that speaks for the presentity: open beats closed (and unknown), then the
 * highest priority, then the most recent timestamp, then the most available.
 */
export function leadingTuple(tuples: readonly Tuple[]): Tuple | undefined {
  let best: Tuple | undefined;
  for (const t of tuples) if (best === undefined || compareTuples(t, best) > 0) best = t;
  return best;
}

function statusRank(t: Tuple): number {
  return t.status === 'open' ? 2 : t.status === 'unknown' ? 1 : 0;
}

function compareTuples(a: Tuple, b: Tuple): number {
  return (
    statusRank(a) - statusRank(b) ||
    (a.priority ?? 0) - (b.priority ?? 0) ||
    (a.timestamp ?? 0) - (b.timestamp ?? 0) ||
    RANK[tupleAvailability(a)] - RANK[tupleAvailability(b)]
  );
}

/**
 * The presentity's availability from its tuples. No tuple, or no open tuple, is `offline`
 * (RFC 3863 §4.1.4 and BAD-INPUTS #13); a tuple whose basic status is unknown gives `unknown`.
 *
 * @example
 * ```ts
 * aggregateAvailability([{ id: 'pc', status: 'closed', notes: [] },
 *                        { id: 'phone', status: 'open', availability: 'busy', notes: [] }]); // 'busy'
 * ```
 */
export function aggregateAvailability(tuples: readonly Tuple[]): Availability {
  const lead = leadingTuple(tuples);
  return lead === undefined ? 'offline' : tupleAvailability(lead);
}

/** Builds a {@link Presence} whose `availability` is derived from its tuples. */
export function makePresence(
  entity: Address,
  tuples: readonly Tuple[],
  notes: readonly Note[] = [],
  timestamp?: number,
): Presence {
  return { entity, tuples, notes, timestamp, availability: aggregateAvailability(tuples) };
}

/** Presence of a presentity we may not see: `unknown` with no tuples. */
export function unknownPresence(entity: Address): Presence {
  return { entity, tuples: [], notes: [], availability: 'unknown' };
}

/** Presence of a presentity with no open device (also what a politely blocked watcher sees). */
export function offlinePresence(entity: Address): Presence {
  return { entity, tuples: [], notes: [], availability: 'offline' };
}

/** The first note of the leading tuple, else of the presence: what a UI shows as "status". */
export function presenceNote(p: Presence): string | undefined {
  return leadingTuple(p.tuples)?.notes[0]?.text ?? p.notes[0]?.text;
}
