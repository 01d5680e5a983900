/**
 * The one table of UI text. Every visible or announced string of every component comes from
 * here, so a page can translate impp-kit with one `setStrings()` call.
 * @module
 */
import type { Availability, ConnectionState, DeliveryState } from '../core/index.js';
import type { PresenceStrings } from './presence/presence.strings.js';
import type { SessionStrings } from './session/session.strings.js';
import type { SignInStrings } from './sign-in/sign-in.strings.js';

/** All UI strings. Functions build sentences around untrusted values (rendered as text). */
export interface ImppStrings {
  /** BCP 47 locale for dates and times; `undefined` uses the browser's. */
  locale: string | undefined;
  availability: Record<Availability, string>;
  /** The "invisible" choice of the status picker (published as offline). */
  invisible: string;
  connection: Record<ConnectionState, string>;
  connectionFailed: (reason: string) => string;
  delivery: Record<DeliveryState, string>;
  deliveryFailed: (reason: string) => string;
  noClient: string;
  // <impp-status>
  statusLabel: string;
  availabilityLabel: string;
  noteLabel: string;
  notePlaceholder: string;
  unknownStatus: string;
  /** Button that skips the reconnect wait. */
  retryNow: string;
  // <impp-buddy-list>
  contactsLabel: string;
  defaultGroup: string;
  filterLabel: string;
  filterPlaceholder: string;
  noMatches: string;
  noContacts: string;
  unread: (count: number) => string;
  awaitingApproval: string;
  requestsHeading: string;
  requestText: string;
  approve: string;
  deny: string;
  block: string;
  addHeading: string;
  addAddressLabel: string;
  addNameLabel: string;
  addButton: string;
  addedBuddy: (name: string) => string;
  // <impp-chat>
  chatLabel: (peer: string) => string;
  messagesLabel: string;
  /** An empty conversation or session log. */
  noMessages: string;
  composerLabel: string;
  composerPlaceholder: string;
  send: string;
  retry: string;
  you: string;
  typing: (name: string) => string;
  newMessages: string;
  loadOlder: string;
  loadingOlder: string;
  noOlder: string;
  showMore: string;
  showLess: string;
  today: string;
  yesterday: string;
  announceInbound: (sender: string, body: string) => string;
  unverified: string;
  // <impp-client>
  unknownTransport: (name: string) => string;
  clientFailed: (reason: string) => string;
  signOut: string;
}

/** The English defaults. */
export const defaultStrings: Readonly<ImppStrings> = {
  locale: undefined,
  availability: { available: 'Available', away: 'Away', busy: 'Busy', offline: 'Offline', unknown: 'Unknown' },
  invisible: 'Invisible',
  connection: {
    offline: 'Offline',
    connecting: 'Connecting…',
    online: 'Online',
    reconnecting: 'Reconnecting…',
    failed: 'Connection failed',
  },
  connectionFailed: (reason) => `Connection failed: ${reason}`,
  delivery: { queued: 'Queued', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Failed' },
  deliveryFailed: (reason) => `Failed: ${reason}`,
  noClient: 'Not connected',
  statusLabel: 'My status',
  availabilityLabel: 'Availability',
  noteLabel: 'Status note',
  notePlaceholder: 'What are you up to?',
  unknownStatus: 'Unknown status',
  retryNow: 'Retry now',
  contactsLabel: 'Contacts',
  defaultGroup: 'Contacts',
  filterLabel: 'Filter contacts',
  filterPlaceholder: 'Filter',
  noMatches: 'No contacts match the filter.',
  noContacts: 'No contacts yet.',
  unread: (count) => (count === 1 ? '1 unread message' : `${count} unread messages`),
  awaitingApproval: 'Awaiting approval',
  requestsHeading: 'Contact requests',
  requestText: 'wants to see your presence',
  approve: 'Approve',
  deny: 'Deny',
  block: 'Block',
  addHeading: 'Add a contact',
  addAddressLabel: 'Address',
  addNameLabel: 'Name (optional)',
  addButton: 'Add',
  addedBuddy: (name) => `Added ${name}.`,
  chatLabel: (peer) => `Conversation with ${peer}`,
  messagesLabel: 'Messages',
  noMessages: 'No messages yet.',
  composerLabel: 'Message',
  composerPlaceholder: 'Write a message',
  send: 'Send',
  retry: 'Retry',
  you: 'You',
  typing: (name) => `${name} is typing…`,
  newMessages: 'New messages',
  loadOlder: 'Load older messages',
  loadingOlder: 'Loading…',
  noOlder: 'No older messages',
  showMore: 'Show more',
  showLess: 'Show less',
  today: 'Today',
  yesterday: 'Yesterday',
  announceInbound: (sender, body) => `${sender}: ${body}`,
  unverified: 'Sender not verified',
  unknownTransport: (name) => `Unknown transport "${name}".`,
  clientFailed: (reason) => `Could not start the client: ${reason}`,
  signOut: 'Sign out',
};

/** Every key `setStrings` knows: the shared table and the tables of the elements loaded on use. */
export type AllStrings = ImppStrings & PresenceStrings & SessionStrings & SignInStrings;

/** Partial strings: top-level keys, and single entries of the record-valued keys. */
export type ImppStringsOverride = {
  [K in keyof AllStrings]?: AllStrings[K] extends Record<string, string> ? Partial<AllStrings[K]> : AllStrings[K];
};

/**
 * What `setStrings` was given. Kept apart from the tables so keys of elements whose code has
 * not loaded yet (`<impp-presence>`, `<impp-session>`, `<impp-sign-in>`) still apply when it does.
 * No prototype: a `__proto__` key is only a key, and only keys a table has are ever read.
 */
let overrides: Record<string, unknown> = Object.create(null);
let version = 0;
const tables = new WeakMap<object, { version: number; table: object }>();

/**
 * Replaces some strings (merged into earlier overrides), for every element including those
 * loaded later. Call it before elements render; elements already on the page pick the new text
 * up on their next update.
 *
 * @example
 * ```ts
 * setStrings({ send: 'Senden', availability: { away: 'Abwesend' }, signInButton: 'Anmelden' });
 * ```
 */
export function setStrings(override: ImppStringsOverride): void {
  const next: Record<string, unknown> = Object.assign(Object.create(null), overrides);
  for (const [key, value] of Object.entries(override)) {
    if (value !== undefined) next[key] = merge(next[key], value);
  }
  overrides = next;
  version++;
}

/** Restores the English defaults. */
export function resetStrings(): void {
  overrides = Object.create(null);
  version++;
}

/**
 * `defaults` with the overrides of its own keys (cached until the next `setStrings`). The
 * elements loaded on use read their tables through this.
 */
export function stringsFor<T extends object>(defaults: Readonly<T>): Readonly<T> {
  const hit = tables.get(defaults);
  if (hit?.version === version) return hit.table as T;
  const table: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(table)) if (key in overrides) table[key] = merge(table[key], overrides[key]);
  tables.set(defaults, { version, table });
  return table as T;
}

/** The current strings table. */
export function strings(): Readonly<ImppStrings> {
  return stringsFor(defaultStrings);
}

/** `value`, or the entries of both when both are records (`{ availability: { away } }`). */
function merge(old: unknown, value: unknown): unknown {
  return isRecord(value) && isRecord(old) ? { ...old, ...value } : value;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
