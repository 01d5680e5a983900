/**
 * Dates and times in the locale of the strings table, with one cached `Intl.DateTimeFormat`
 * per locale and style (creating one resolves locale data: far dearer than formatting).
 * @module
 */
import { strings } from './strings.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The time of day of `ts` (e.g. "14:05"), or with `date` its date, in the locale of {@link strings}. */
export function formatTime(ts: number, date?: boolean): string {
  const { locale } = strings();
  const key = `${locale}${date}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale, date ? { dateStyle: 'medium' } : { hour: 'numeric', minute: '2-digit' })));
  return f.format(ts);
}
