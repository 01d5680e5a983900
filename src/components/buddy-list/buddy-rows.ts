/**
 * The buddy list as flat rows (group headers and contacts), ready for windowing.
 * No DOM, no streams.
 * @module
 */
import { AVAILABILITIES, presenceNote, type Availability, type Buddy } from '../../core/index.js';

/** A group header row. */
export interface HeaderRow {
  readonly kind: 'header';
  readonly key: string;
  readonly group: string;
  readonly count: number;
}

/** A contact row. */
export interface BuddyRow {
  readonly kind: 'buddy';
  /** `Address.id`: stable across updates, used for focus and keys. */
  readonly key: string;
  readonly buddy: Buddy;
  readonly name: string;
  readonly availability: Availability;
  readonly note: string | undefined;
  readonly unread: number;
  /** 1-based position among contact rows (`aria-posinset`). */
  readonly position: number;
}

export type Row = HeaderRow | BuddyRow;

/** Rows plus what keyboard navigation needs. */
export interface RowModel {
  readonly rows: readonly Row[];
  /** Indexes (into `rows`) of contact rows, in order. */
  readonly buddyIndexes: readonly number[];
  /** Row index by contact key. */
  readonly indexByKey: ReadonlyMap<string, number>;
}

/** What a row needs from a contact; the client reuses unchanged `Buddy` objects, so it is cached. */
interface Entry {
  readonly buddy: Buddy;
  readonly key: string;
  readonly name: string;
  readonly group: string;
  readonly note: string | undefined;
}

const RANK = new Map<Availability, number>(AVAILABILITIES.map((a, i) => [a, i]));
const entries = new WeakMap<Buddy, Entry>();

function entryOf(buddy: Buddy): Entry {
  let e = entries.get(buddy);
  if (e === undefined) {
    const key = buddy.address.id;
    const group = buddy.groups[0]?.trim() ?? '';
    entries.set(buddy, (e = { buddy, key, name: displayName(buddy), group, note: presenceNote(buddy.presence) }));
  }
  return e;
}

/** The name a contact is shown with: its roster name, else its address. */
export function displayName(buddy: Buddy): string {
  const name = buddy.name?.trim();
  return name ? name : buddy.address.id;
}

/**
 * Builds rows from successive `buddies$` values. Contacts are grouped by their first group
 * (`defaultGroup` when none, listed last), groups sorted by name, contacts by availability
 * (AVAILABILITIES order) then name; `filter` keeps contacts whose name or address contains it
 * (case-insensitive). The name order is sorted only when names or membership change: a presence
 * update costs one linear pass (bucketed by availability), not a collated sort.
 */
export class RowBuilder {
  #collator: Intl.Collator | undefined;
  #locale: string | undefined;
  /** The last sort by name: rank by key, and the name at each rank. */
  #rank = new Map<string, number>();
  #names: string[] = [];

  build(
    buddies: readonly Buddy[],
    unread: ReadonlyMap<string, number>,
    filter: string,
    defaultGroup: string,
    locale?: string,
  ): RowModel {
    if (this.#collator === undefined || locale !== this.#locale) {
      this.#collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
      this.#locale = locale;
      this.#names = [];
    }
    const collator = this.#collator;
    const list = buddies.map(entryOf);
    let byName: Entry[] = [];
    let stale = list.length !== this.#names.length;
    for (let i = 0; i < list.length && !stale; i++) {
      const e = list[i]!;
      const r = this.#rank.get(e.key);
      if (r === undefined || this.#names[r] !== e.name) stale = true;
      else byName[r] = e;
    }
    if (stale) {
      byName = list.sort((a, b) => collator.compare(a.name, b.name));
      this.#rank = new Map(byName.map((e, i) => [e.key, i]));
      this.#names = byName.map((e) => e.name);
    }

    const needle = filter.trim().toLocaleLowerCase(locale);
    // group → one bucket per availability rank (+1 for unknown values), each in name order.
    const groups = new Map<string, Entry[][]>();
    for (const e of byName) {
      if (e === undefined) continue; // a hole left by a duplicate key
      if (needle && !e.name.toLocaleLowerCase(locale).includes(needle) && !e.key.includes(needle)) continue;
      const group = e.group || defaultGroup;
      let buckets = groups.get(group);
      if (buckets === undefined) groups.set(group, (buckets = AVAILABILITIES.map(() => []).concat([[]])));
      buckets[RANK.get(e.buddy.presence.availability) ?? AVAILABILITIES.length]!.push(e);
    }
    const names = [...groups.keys()].sort((a, b) =>
      a === defaultGroup ? 1 : b === defaultGroup ? -1 : collator.compare(a, b),
    );
    const rows: Row[] = [];
    const buddyIndexes: number[] = [];
    const indexByKey = new Map<string, number>();
    for (const group of names) {
      const members = groups.get(group)!.flat();
      rows.push({ kind: 'header', key: `group:${group}`, group, count: members.length });
      for (const { buddy, key, name, note } of members) {
        indexByKey.set(key, rows.length);
        buddyIndexes.push(rows.length);
        const availability = buddy.presence.availability;
        const count = unread.get(key) ?? 0;
        rows.push({ kind: 'buddy', key, buddy, name, availability, note, unread: count, position: buddyIndexes.length });
      }
    }
    return { rows, buddyIndexes, indexByKey };
  }
}
