/**
 * Availability from rich presence: RFC 4480 (RPID) `<activities>` and `<user-input>`, and the
 * `<im:im>` status extension of the RFC 3863 §4.4 example. Namespaces of the PIDF family.
 * @module
 */
import type { Availability } from '../presence.js';
import { childrenOf, textOf, type XmlElement } from './xml.js';

/** RFC 3863 §4: PIDF. */
export const PIDF_NS = 'urn:ietf:params:xml:ns:pidf';
/** RFC 4480 §3: RPID. */
export const RPID_NS = 'urn:ietf:params:xml:ns:pidf:rpid';
/** RFC 4479 §4: the presence data model (`<dm:person>`, `<dm:device>`, `<dm:note>`). */
export const DM_NS = 'urn:ietf:params:xml:ns:pidf:data-model';
/** The instant-messaging status extension used in the RFC 3863 §4.4 example. */
export const PIDF_IM_NS = 'urn:ietf:params:xml:ns:pidf:im';

// RFC 4480 §3.2 activities. "Busy" ones make the person hard to interrupt; "away" ones mean
// not at the device. Others (working, unknown, other) say nothing about availability.
const BUSY = new Set(['appointment', 'busy', 'meeting', 'on-the-phone', 'performance', 'presentation', 'spectator', 'steering', 'worship']);
const AWAY = new Set([
  'away', 'breakfast', 'dinner', 'holiday', 'in-transit', 'looking-for-work', 'lunch', 'meal',
  'permanent-absence', 'playing', 'shopping', 'sleeping', 'travel', 'tv', 'vacation',
]);
// RFC 3863 §4.4 example values of <im:im> (from the IMPP drafts' instant-inbox status).
const IM_STATUS: Readonly<Record<string, Availability>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Availability>, {
    busy: 'busy', onthephone: 'busy', away: 'away', berightback: 'away', lunch: 'away', vacation: 'away',
  }),
);

/**
 * The availability an element's RPID children imply (`undefined` when they imply none).
 * Busy wins over away when activities mix; `<user-input>idle</user-input>` means away.
 */
export function rpidAvailability(parent: XmlElement): Availability | undefined {
  let result: Availability | undefined;
  for (const activities of childrenOf(parent, 'activities', RPID_NS)) {
    for (const activity of childrenOf(activities, undefined, RPID_NS)) {
      if (BUSY.has(activity.local)) return 'busy';
      if (AWAY.has(activity.local)) result = 'away';
    }
  }
  if (result !== undefined) return result;
  const input = childrenOf(parent, 'user-input', RPID_NS)[0];
  return input !== undefined && textOf(input).trim() === 'idle' ? 'away' : undefined;
}

/** The availability of an `<im:im>` status extension, if any. */
export function imAvailability(status: XmlElement): Availability | undefined {
  const im = childrenOf(status, 'im', PIDF_IM_NS)[0];
  return im === undefined ? undefined : IM_STATUS[textOf(im).trim().toLowerCase()];
}

/** True for the RPID and `im:` elements these functions read. */
export function isAvailabilityElement(e: XmlElement): boolean {
  return (e.ns === RPID_NS && (e.local === 'activities' || e.local === 'user-input')) || (e.ns === PIDF_IM_NS && e.local === 'im');
}
