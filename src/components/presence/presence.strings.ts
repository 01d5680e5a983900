/**
 * UI text of `<impp-presence>`, in the element's own chunk. `setStrings` (../strings.ts) sets
 * these keys like any other; availability labels come from the shared table.
 * @module
 */
import { stringsFor } from '../strings.js';

/** The strings `<impp-presence>` adds to {@link ImppStrings}. */
export interface PresenceStrings {
  /** Accessible name of the hover/focus card. */
  cardLabel: (name: string) => string;
  devicesHeading: string;
  /** A device (tuple) with no id the user would recognise. */
  unnamedDevice: string;
  chat: string;
  startSession: string;
  /** Shown by a badge whose `address` is missing or invalid. */
  invalidAddress: string;
  /** Presence we could only fetch once (no subscription allowed), with the time of the fetch. */
  checkedAt: (time: string) => string;
  /** Presence that updates live. */
  live: string;
}

/** The English defaults. */
export const defaultPresenceStrings: Readonly<PresenceStrings> = {
  cardLabel: (name) => `Presence of ${name}`,
  devicesHeading: 'Devices',
  unnamedDevice: 'Device',
  chat: 'Chat',
  startSession: 'Start session',
  invalidAddress: 'Invalid address',
  checkedAt: (time) => `Checked at ${time}`,
  live: 'Live',
};

/** The current `<impp-presence>` strings: the defaults with what `setStrings` gave for their keys. */
export function presenceStrings(): Readonly<PresenceStrings> {
  return stringsFor(defaultPresenceStrings);
}
