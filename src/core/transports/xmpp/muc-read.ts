// XEP-0045: Multi-User Chat, the reading side — https://xmpp.org/extensions/xep-0045.html
// Pure functions: occupant presence (§7.2.3, §5 roles/affiliations), room messages (§7.2.15
// history with `<delay>`, §7.4), status codes (§15.6) and error conditions (§7.2.6–§7.2.11).
import type { Address } from '../../address.js';
import { child, childrenOf, textOf, type XmlElement } from '../../codecs/xml.js';
import { ImppError } from '../../errors.js';
import { newMessageId, type InstantMessage } from '../../message.js';
import { makePresence, offlinePresence } from '../../presence.js';
import type { Occupant, OccupantAffiliation, OccupantRole } from '../transport.js';
import { DELAY_NS, readDelay } from './delay.js';
import { bareJid, parseJid } from './jid.js';
import { readTuple } from './presence.js';
import { readOriginId, trustedStanzaId } from './stanza-id.js';

const ROLES: ReadonlySet<string> = new Set(['moderator', 'participant', 'visitor', 'none']);
const AFFILIATIONS: ReadonlySet<string> = new Set(['owner', 'admin', 'member', 'outcast', 'none']);

/** §15.6 `<status code>` values of a `muc#user` `<x>`. */
export function statusCodes(x: XmlElement | undefined): Set<string> {
  return new Set(x === undefined ? [] : childrenOf(x, 'status').map((s) => s.attrs['code'] ?? ''));
}

const quoted = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 197)}...` : text);

/** An occupant from its presence (`from` = room/nick); unknown roles or affiliations are `none`. */
export function readOccupant(p: XmlElement, from: Address, x: XmlElement | undefined): Occupant {
  const item = x && child(x, 'item');
  const role = item?.attrs['role'] ?? 'none';
  const affiliation = item?.attrs['affiliation'] ?? 'none';
  const real = parseJid(item?.attrs['jid']); // §7.2.3: only non-anonymous rooms (or moderators) see it
  return {
    nick: from.resource ?? '',
    ...(real ? { address: bareJid(real) } : {}),
    role: (ROLES.has(role) ? role : 'none') as OccupantRole,
    affiliation: (AFFILIATIONS.has(affiliation) ? affiliation : 'none') as OccupantAffiliation,
    presence: p.attrs['type'] === 'unavailable' ? offlinePresence(from) : makePresence(from, [readTuple(p, from)]),
  };
}

/** An occupant we can no longer see. */
export function vacated(room: Address, nick: string): Occupant {
  return { nick, role: 'none', affiliation: 'none', presence: offlinePresence(parseJid(`${room.id}/${nick}`) ?? room) };
}

/**
 * A groupchat `<message>` with a body from `room/nick`: id from XEP-0359 origin-id, else the
 * stanza id; `serverId` only from a stanza-id `by` the room; the `<delay>` time only when the
 * room stamped it (§7.2.15), else arrival time. Body and nick stay verbatim text.
 */
export function readRoomMessage(m: XmlElement, room: Address, from: Address): InstantMessage | undefined {
  const body = child(m, 'body');
  if (body === undefined) return undefined;
  const serverId = trustedStanzaId(m, room);
  const by = parseJid(child(m, 'delay', DELAY_NS)?.attrs['from']);
  const stamped = by !== undefined && by.resource === undefined && by.id === room.id ? readDelay(m) : undefined;
  return {
    id: readOriginId(m) ?? (m.attrs['id'] || undefined) ?? serverId ?? newMessageId(),
    from,
    to: room,
    body: textOf(body),
    contentType: 'text/plain',
    timestamp: stamped ?? Date.now(),
    ...(serverId ? { serverId } : {}),
  };
}

/** The typed error of a refused join (§7.2.6–§7.2.11, §10.1.1). */
export function joinError(condition: string, room: Address, nick: string): ImppError {
  const r = room.id;
  switch (condition) {
    case 'forbidden': return new ImppError('presence/forbidden', `You are banned from the room ${r}.`);
    case 'registration-required': return new ImppError('presence/forbidden', `The room ${r} is members-only; ask an owner for membership or an invitation.`);
    case 'not-authorized': return new ImppError('presence/forbidden', `The room ${r} is protected by a password.`);
    case 'not-allowed': return new ImppError('presence/forbidden', `The service does not let you create the room ${r}; join an existing room or ask an administrator.`);
    case 'conflict': return new ImppError('client/invalid-argument', `The nicknames ${quoted(nick)} to ${quoted(`${nick}-10`)} are all taken in ${r}; choose another nickname.`);
    case 'jid-malformed':
    case 'not-acceptable': return new ImppError('client/invalid-argument', `The room ${r} does not accept the nickname ${quoted(nick)}; choose another.`);
    case 'item-not-found':
    case 'remote-server-not-found': return new ImppError('recipient/unknown', `The room ${r} does not exist or is still being set up by its creator (${condition}); check the name and try again.`);
    case 'service-unavailable': return new ImppError('recipient/unavailable', `The room ${r} is full or unavailable; try again later.`);
    default: return new ImppError('recipient/unavailable', `The room ${r} refused the join (${condition}).`);
  }
}

/** Why our own unavailable presence came (§9.2 kick 307, §9.1 ban 301, §9.4/§9.9 321/322, §10.9 destroy); undefined for a plain exit. */
export function leftError(codes: Set<string>, x: XmlElement | undefined, room: Address): ImppError | undefined {
  const reason = x && textOf(child(child(x, 'item') ?? x, 'reason'));
  const why = reason ? ` Reason: ${quoted(reason)}.` : '';
  const destroy = x && child(x, 'destroy');
  if (destroy) {
    const said = textOf(child(destroy, 'reason'));
    return new ImppError('recipient/unknown', `The room ${room.id} was destroyed.${said ? ` Reason: ${quoted(said)}.` : ''}`);
  }
  if (codes.has('307')) return new ImppError('presence/forbidden', `A moderator removed you from the room ${room.id}.${why}`);
  if (codes.has('301')) return new ImppError('presence/forbidden', `You were banned from the room ${room.id}.${why}`);
  if (codes.has('321') || codes.has('322')) return new ImppError('presence/forbidden', `The room ${room.id} is now members-only and you are not a member.`);
  if (codes.has('332')) return new ImppError('transport/closed', `The chat service of ${room.id} is shutting down.`);
  return undefined;
}
