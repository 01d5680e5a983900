/**
 * UI text of `<impp-presence>`. Kept here until it is merged into the shared table in
 * `../strings.ts`; availability labels already come from there.
 * @module
 */

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

let current: PresenceStrings = { ...defaultPresenceStrings };

/**
 * Replaces some `<impp-presence>` strings (merged into the current ones).
 *
 * @example
 * ```ts
 * setPresenceStrings({ chat: 'Chatten', startSession: 'Sitzung starten' });
 * ```
 */
export function setPresenceStrings(override: Partial<PresenceStrings>): void {
  const next = { ...current } as Record<string, unknown>;
  for (const [key, value] of Object.entries(override)) {
    if (value !== undefined && Object.hasOwn(defaultPresenceStrings, key)) next[key] = value; // no prototype keys
  }
  current = next as unknown as PresenceStrings;
}

/** Restores the English defaults. */
export function resetPresenceStrings(): void {
  current = { ...defaultPresenceStrings };
}

/** The current `<impp-presence>` strings. */
export function presenceStrings(): Readonly<PresenceStrings> {
  return current;
}
