/**
 * The one table of UI text. Every visible or announced string of every component comes from
 * here, so a page can translate impp-kit with one `setStrings()` call.
 * @module
 */
import type { Availability, ConnectionState, DeliveryState } from '../core/index.js';

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
};

let current: ImppStrings = { ...defaultStrings };

/** Partial strings: top-level keys, and single entries of the record-valued keys. */
export type ImppStringsOverride = {
  [K in keyof ImppStrings]?: ImppStrings[K] extends Record<string, string> ? Partial<ImppStrings[K]> : ImppStrings[K];
};

/**
 * Replaces some strings (merged into the current table). Call it before elements render;
 * elements already on the page pick the new text up on their next update.
 *
 * @example
 * ```ts
 * setStrings({ send: 'Senden', availability: { away: 'Abwesend' } });
 * ```
 */
export function setStrings(override: ImppStringsOverride): void {
  const next = { ...current } as Record<string, unknown>;
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined || !Object.hasOwn(defaultStrings, key)) continue; // no prototype keys
    const old = next[key];
    next[key] = isRecord(value) && isRecord(old) ? { ...old, ...value } : value;
  }
  current = next as unknown as ImppStrings;
}

/** Restores the English defaults. */
export function resetStrings(): void {
  current = { ...defaultStrings };
}

/** The current strings table. */
export function strings(): Readonly<ImppStrings> {
  return current;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
