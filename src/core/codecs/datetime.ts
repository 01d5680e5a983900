/**
 * RFC 3339 `date-time`, as PIDF `<timestamp>` (RFC 3863 §4.1.7) and CPIM `DateTime`
 * (RFC 3862 §5.7) use it. Unusable values give `undefined`, never an error: the caller falls
 * back to its own time (BAD-INPUTS #12, #25).
 * @module
 */

// RFC 3339 §5.6: full-date "T" full-time, with an optional fraction and a Z or ±hh:mm offset.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Options of {@link parseDateTime}. */
export interface DateTimeOptions {
  /** The receiver's clock, ms since the epoch; default `Date.now()`. */
  now?: number;
  /** How far ahead of `now` a time may be before it is distrusted; default one day. */
  maxSkewMs?: number;
}

/**
 * Parses an RFC 3339 date-time into milliseconds since the epoch.
 * Returns `undefined` for malformed, out-of-range or far-future (> 1 day ahead) values.
 *
 * @example
 * ```ts
 * parseDateTime('2001-10-27T16:49:29Z'); // 1004201369000
 * parseDateTime('yesterday'); // undefined
 * ```
 */
export function parseDateTime(text: string, options: DateTimeOptions = {}): number | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  // RFC 3339 §5.7: months 1-12, days per month, hours 0-23, minutes 0-59, seconds 0-60 (leap).
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined;
  if (h > 23 || mi > 59 || s > 60) return undefined;
  let offset = 0;
  const zone = m[8]!;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(m[7]) * 1000);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, fraction) - offset;
  if (y < 100) return undefined; // Date.UTC maps years 0-99 to 1900-1999
  const now = options.now ?? Date.now();
  return ms > now + (options.maxSkewMs ?? DAY_MS) ? undefined : ms;
}

/**
 * Formats milliseconds since the epoch as an RFC 3339 date-time in UTC.
 * @example
 * ```ts
 * formatDateTime(1004201369000); // '2001-10-27T16:49:29Z'
 * ```
 */
export function formatDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
