/**
 * UI text of `<impp-session>`, in the element's own chunk. `setStrings` (../strings.ts) sets
 * these keys like any other; availability, delivery, composer and send labels come from the
 * shared table.
 * @module
 */
import { stringsFor } from '../strings.js';

/** The strings `<impp-session>` adds to {@link ImppStrings}. */
export interface SessionStrings {
  /** Accessible name of the component; `subject` may be empty (untrusted text). */
  sessionLabel: (subject: string) => string;
  /** Heading shown while the room has no subject. */
  untitled: string;
  start: string;
  /** The start button once someone invited us to this session. */
  join: string;
  /** An invitation to this session arrived; `reason` may be empty (both untrusted, shown in `<bdi>`). */
  invitedBy: string;
  starting: string;
  leave: string;
  participantsHeading: string;
  /** Appended to our own entry in the participant list. */
  you: string;
  joined: string;
  invited: string;
  notJoined: string;
  inviteFailed: (reason: string) => string;
  /** Inline error for a `participants` entry that is not an address (shown in `<bdi>`). */
  invalidParticipant: string;
  missingBooking: string;
  joining: string;
  left: string;
  failed: (reason: string) => string;
  /** Accessible names of the roles worth telling apart (XEP-0045 §5.1). */
  moderator: string;
  /** Default reason sent with an invitation; `subject` may be empty. */
  inviteReason: (subject: string) => string;
}

/** The English defaults. */
export const defaultSessionStrings: Readonly<SessionStrings> = {
  sessionLabel: (subject) => (subject ? `Group session: ${subject}` : 'Group session'),
  untitled: 'Group session',
  start: 'Start session',
  join: 'Join session',
  invitedBy: 'Invitation from',
  starting: 'Starting…',
  leave: 'Leave',
  participantsHeading: 'Participants',
  you: '(you)',
  joined: 'Joined',
  invited: 'Invited',
  notJoined: 'Not joined yet',
  inviteFailed: (reason) => `Invitation failed: ${reason}`,
  invalidParticipant: 'Not a valid address:',
  missingBooking: 'No booking id: set the booking attribute.',
  joining: 'Joining…',
  left: 'You left the session.',
  failed: (reason) => `Could not join: ${reason}`,
  moderator: 'Moderator',
  inviteReason: (subject) => (subject ? `Join the session: ${subject}` : 'Join the session'),
};

/** The current `<impp-session>` strings: the defaults with what `setStrings` gave for their keys. */
export function sessionStrings(): Readonly<SessionStrings> {
  return stringsFor(defaultSessionStrings);
}
