/**
 * The buddy list as flat rows (group headers and contacts), ready for a virtualizer.
 * Pure functions: no DOM, no streams.
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

const RANK = new Map<Availability, number>(AVAILABILITIES.map((a, i) => [a, i]));

/** The name a contact is shown with: its roster name, else its address. */
export function displayName(buddy: Buddy): string {
  const name = buddy.name?.trim();
  return name ? name : buddy.address.id;
}

/**
 * Groups contacts by their first group (`defaultGroup` when none), sorts groups by name with
 * the default group last, and contacts by availability (AVAILABILITIES order) then name.
 * `filter` keeps contacts whose name or address contains it (case-insensitive).
 */
export function buildRows(
  buddies: readonly Buddy[],
  unread: ReadonlyMap<string, number>,
  filter: string,
  defaultGroup: string,
  locale?: string,
): RowModel {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  const needle = filter.trim().toLocaleLowerCase(locale);
  const groups = new Map<string, Omit<BuddyRow, 'position'>[]>();
  for (const buddy of buddies) {
    const name = displayName(buddy);
    if (needle && !name.toLocaleLowerCase(locale).includes(needle) && !buddy.address.id.includes(needle)) continue;
    const group = buddy.groups[0]?.trim() || defaultGroup;
    let list = groups.get(group);
    if (list === undefined) groups.set(group, (list = []));
    list.push({
      kind: 'buddy',
      key: buddy.address.id,
      buddy,
      name,
      availability: buddy.presence.availability,
      note: presenceNote(buddy.presence),
      unread: unread.get(buddy.address.id) ?? 0,
    });
  }
  const names = [...groups.keys()].sort((a, b) =>
    a === defaultGroup ? 1 : b === defaultGroup ? -1 : collator.compare(a, b),
  );
  const rows: Row[] = [];
  const buddyIndexes: number[] = [];
  const indexByKey = new Map<string, number>();
  for (const group of names) {
    const list = groups.get(group)!;
    list.sort((a, b) => (RANK.get(a.availability) ?? 9) - (RANK.get(b.availability) ?? 9) || collator.compare(a.name, b.name));
    rows.push({ kind: 'header', key: `group:${group}`, group, count: list.length });
    for (const row of list) {
      indexByKey.set(row.key, rows.length);
      buddyIndexes.push(rows.length);
      rows.push({ ...row, position: buddyIndexes.length });
    }
  }
  return { rows, buddyIndexes, indexByKey };
}
