// XEP-0249: Direct MUC Invitations — https://xmpp.org/extensions/xep-0249.html
// XEP-0045 §7.8.2: mediated invitations, relayed by the room (`from` = the room).
// An invitation whose room is not a valid bare room JID is dropped and reported (BAD-INPUTS).
import type { Address } from '../../address.js';
import { child, el, textOf, type XmlElement } from '../../codecs/xml.js';
import { ImppError } from '../../errors.js';
import { newMessageId } from '../../message.js';
import type { RoomInvitation, TransportEvent } from '../transport.js';
import { errorCondition } from './iq.js';
import { bareJid, jidString, parseJid } from './jid.js';
import type { StanzaLink } from './link.js';
import { isWrapper, messageType } from './messages.js';

export const CONFERENCE_NS = 'jabber:x:conference';
const MUC_USER_NS = 'http://jabber.org/protocol/muc#user';
const UNKNOWN: ReadonlySet<string> = new Set(['item-not-found', 'service-unavailable', 'remote-server-not-found']);

const isRoom = (a: Address | undefined): a is Address => a !== undefined && a.local !== '' && a.resource === undefined;
const shown = (s: string | undefined) => JSON.stringify((s ?? '').slice(0, 80));

/**
 * The invitation a message carries: mediated (§7.8.2, preferred: Prosody adds a
 * `jabber:x:conference` copy to it) or direct (XEP-0249 §2); an ImppError for a malformed
 * one; `undefined` when there is none.
 */
export function readInvitation(m: XmlElement): RoomInvitation | ImppError | undefined {
  const sender = parseJid(m.attrs['from']);
  const x = child(m, 'x', MUC_USER_NS);
  const mediated = x && child(x, 'invite');
  if (mediated) {
    const inviter = parseJid(mediated.attrs['from']);
    if (!isRoom(sender) || inviter === undefined) {
      return new ImppError('address/invalid', `Ignored a room invitation from ${shown(m.attrs['from'])}: it did not come from a room, or names no valid inviter.`);
    }
    const reason = textOf(child(mediated, 'reason'));
    const password = textOf(child(x, 'password'));
    return { room: sender, from: bareJid(inviter), ...(reason ? { reason } : {}), ...(password ? { password } : {}) };
  }
  const direct = child(m, 'x', CONFERENCE_NS);
  if (direct === undefined || sender === undefined) return undefined;
  const room = parseJid(direct.attrs['jid']);
  if (!isRoom(room)) return new ImppError('address/invalid', `Ignored a room invitation from ${sender.id}: ${shown(direct.attrs['jid'])} is not a room address.`);
  const { reason, password } = direct.attrs;
  return { room: bareJid(room), from: bareJid(sender), ...(reason ? { reason } : {}), ...(password ? { password } : {}) };
}

/** Inbound invitations → `room-invite` events; sends direct invitations. */
export function mucInvites(link: StanzaLink, emit: (e: TransportEvent) => void) {
  const bounces = new Map<string, { to: Address; condition?: string }>(); // our invitation id → invitee
  const sub = link.stanza$.subscribe((m) => {
    if (m.local !== 'message' || isWrapper(m)) return;
    const sent = bounces.get(m.attrs['id'] ?? '');
    if (messageType(m) === 'error' && sent !== undefined && parseJid(m.attrs['from'])?.id === sent.to.id) sent.condition = errorCondition(m) ?? 'undefined-condition';
    if (messageType(m) === 'error' || messageType(m) === 'groupchat') return;
    const invitation = readInvitation(m);
    if (invitation instanceof ImppError) emit({ type: 'error', error: invitation });
    else if (invitation) emit({ type: 'room-invite', invitation });
  });
  return {
    /**
     * XEP-0249 §2: one `<x jid reason/>` message to each invitee. Rejects with
     * `recipient/unknown` when our server bounces one (RFC 6120 §8.3): it processes our stanzas
     * in order (§10.1), so its bounces for local invitees arrive before the answer to a ping.
     */
    async invite(room: Address, invitees: readonly Address[], reason?: string): Promise<void> {
      const jid = bareJid(room).id;
      const ids = invitees.map((invitee) => {
        const id = newMessageId();
        const to = bareJid(invitee);
        bounces.set(id, { to });
        link.send(el('message', { to: jidString(to), id }, el('x', { xmlns: CONFERENCE_NS, jid, reason: reason || undefined })));
        return id;
      });
      try {
        await link.iq(el('iq', { type: 'get', to: link.jid.domain, id: newMessageId() }, el('ping', { xmlns: 'urn:xmpp:ping' }))).catch(() => undefined);
        const failed = ids.map((id) => bounces.get(id)!).filter((b) => b.condition !== undefined);
        if (failed.length > 0) {
          const who = failed.map((b) => `${b.to.id} (${b.condition})`).join(', ');
          throw UNKNOWN.has(failed[0]!.condition!)
            ? new ImppError('recipient/unknown', `The invitation to ${jid} could not be delivered to ${who}: check the address.`)
            : new ImppError('recipient/unavailable', `The invitation to ${jid} could not be delivered to ${who}; try again later.`);
        }
      } finally {
        ids.forEach((id) => bounces.delete(id));
      }
    },
    dispose: (): void => sub.unsubscribe(),
  };
}
