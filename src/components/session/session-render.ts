/**
 * Templates of `<impp-session>`: the participant list and the group chat. Nicknames, subjects
 * and bodies are untrusted: text bindings only, names in `<bdi>` (BAD-INPUTS #17, #40, #47).
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Address, Availability, Occupant, RoomEntry } from '../../core/index.js';
import { deliveryIndicator, presenceIndicator } from '../presence-icon.js';
import { formatTime } from '../format-time.js';
import { strings } from '../strings.js';
import { sessionStrings } from './session.strings.js';

/** One line of the participant list. */
export interface ParticipantRow {
  readonly key: string;
  /** Nick in the room, or the address for someone not in it. */
  readonly label: string;
  readonly state: 'joined' | 'invited' | 'not-joined' | 'failed';
  readonly presence?: Availability;
  readonly error?: string;
  readonly self: boolean;
  readonly moderator: boolean;
}

/** Occupants first (in the room), then invitees who are not in it, each once. */
export function participantRows(
  occupants: readonly Occupant[],
  participants: readonly Address[],
  self: Address | undefined,
  ownNick: string | undefined,
  invites: ReadonlyMap<string, string | true>,
): ParticipantRow[] {
  const rows: ParticipantRow[] = occupants.map((o) => ({
    key: `o:${o.nick}`,
    label: o.nick,
    state: 'joined',
    presence: o.presence.availability,
    self: o.nick === ownNick || (o.address !== undefined && o.address.id === self?.id),
    moderator: o.role === 'moderator',
  }));
  const inRoom = new Set(occupants.flatMap((o) => (o.address ? [o.address.id] : [])));
  for (const p of participants) {
    if (inRoom.has(p.id) || p.id === self?.id) continue;
    const invite = invites.get(p.id);
    const state = invite === undefined ? 'not-joined' : invite === true ? 'invited' : 'failed';
    rows.push({ key: `p:${p.id}`, label: p.id, state, self: false, moderator: false, ...(typeof invite === 'string' ? { error: invite } : {}) });
  }
  return rows;
}

/** One participant: presence (icon and text) when in the room, and the joined/invited state. */
export function renderParticipant(row: ParticipantRow): TemplateResult {
  const t = sessionStrings();
  const stateText = row.state === 'joined' ? t.joined : row.state === 'invited' ? t.invited : row.state === 'failed' ? t.inviteFailed(row.error ?? '') : t.notJoined;
  return html`<li class="participant ${row.state}" part="participant participant-${row.state}">
    <bdi class="name" part="participant-name">${row.label}</bdi>${row.self ? html` <span class="muted">${t.you}</span>` : nothing}
    ${row.moderator ? html`<span class="role muted" part="role">${t.moderator}</span>` : nothing}
    <span class="state-line">
      ${row.presence === undefined ? nothing : presenceIndicator(row.presence)}
      <span class="join-state ${row.state === 'failed' ? 'error' : 'muted'}" part="join-state">${stateText}</span>
    </span>
  </li>`;
}

/** One group message: nick, time, body and, for ours, the delivery state. */
export function renderEntry(entry: RoomEntry): TemplateResult {
  const s = strings();
  const { message, direction, delivery } = entry;
  const time = new Date(message.timestamp);
  const timeText = formatTime(message.timestamp);
  return html`<li class="msg ${direction}" part="message message-${direction}">
    <div class="meta">
      <bdi class="sender" part="sender">${entry.nick}</bdi>
      <time part="time" datetime=${time.toISOString()}>${timeText}</time>
    </div>
    <p class="body" part="body">${message.body}</p>
    ${direction === 'out' && delivery ? html`<div class="state">${deliveryIndicator(delivery.state, delivery.error?.message)}</div>` : nothing}
  </li>`;
}
