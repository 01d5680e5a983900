/**
 * The hover/focus card of `<impp-presence>`: availability, note, devices (tuples) and the two
 * actions. Untrusted text (names, notes, device ids) only in text bindings inside `<bdi>`
 * (BAD-INPUTS #17, #40, #47).
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { aggregateAvailability, presenceNote, type Address, type Tuple } from '../../core/index.js';
import { presenceIndicator } from '../presence-icon.js';
import { formatTime } from '../format-time.js';
import { strings } from '../strings.js';
import type { BadgePresence } from './presence-source.js';
import { presenceStrings } from './presence.strings.js';

/** What the card shows and what its buttons do. */
export interface CardModel {
  readonly address: Address;
  readonly name: string | undefined;
  readonly value: BadgePresence | undefined;
  readonly onChat: () => void;
  readonly onSession: () => void;
}

/** DOM id of the card, for `aria-controls`. */
export const CARD_ID = 'card';


function device(t: Tuple): TemplateResult {
  const note = t.notes[0]?.text;
  return html`<li part="device">
    <bdi class="device-id">${t.id || presenceStrings().unnamedDevice}</bdi>
    ${presenceIndicator(aggregateAvailability([t]))}
    ${note ? html`<bdi class="note">${note}</bdi>` : nothing}
  </li>`;
}

/**
 * The card: a non-modal dialog (it holds buttons, so not a tooltip) labelled by the name.
 * `popover="manual"` puts it in the top layer, so no scrolling ancestor clips it.
 */
export function renderCard(m: CardModel): TemplateResult {
  const p = presenceStrings();
  const presence = m.value?.presence;
  const note = presence ? presenceNote(presence) : undefined;
  const tuples = presence?.tuples ?? [];
  const fetchedAt = m.value?.fetchedAt;
  return html`<div id=${CARD_ID} class="card" part="card" role="dialog" aria-labelledby="card-title" popover="manual">
    <div class="card-head">
      <bdi id="card-title" class="card-title" part="card-title">${m.name || m.address.id}</bdi>
      ${m.name ? html`<bdi class="card-address" part="card-address">${m.address.id}</bdi>` : nothing}
    </div>
    <p class="card-availability" part="card-availability">
      ${presenceIndicator(presence?.availability ?? 'unknown')}
      <span class="freshness">${fetchedAt === undefined ? (presence ? p.live : nothing) : p.checkedAt(formatTime(fetchedAt))}</span>
    </p>
    ${note ? html`<p class="card-note" part="card-note"><bdi>${note}</bdi></p>` : nothing}
    ${tuples.length > 0
      ? html`<h3 class="devices-heading" id="devices-heading">${p.devicesHeading}</h3>
          <ul class="devices" part="devices" aria-labelledby="devices-heading">${tuples.map(device)}</ul>`
      : nothing}
    <div class="actions" part="actions">
      <button type="button" part="chat-button" @click=${m.onChat}>${p.chat}</button>
      <button type="button" class="primary" part="session-button" @click=${m.onSession}>${p.startSession}</button>
    </div>
  </div>`;
}
