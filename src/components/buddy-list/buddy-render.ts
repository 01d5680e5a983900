/**
 * Templates of `<impp-buddy-list>`: one contact row, group headers, subscription requests and
 * the add-contact form. Untrusted text (names, notes, addresses) only in text bindings, in
 * `<bdi>` so bidi controls cannot reorder the UI around them (BAD-INPUTS #17, #40, #47).
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Watcher } from '../../core/index.js';
import { presenceIndicator } from '../presence-icon.js';
import { strings } from '../strings.js';
import type { Row } from './buddy-rows.js';

/** DOM id of a row, for `aria-activedescendant`. */
export const rowId = (index: number): string => `row-${index}`;

/**
 * One row of the window, absolutely positioned at `top` px: a group header (presentational) or
 * a contact option. The position is set through CSSOM (`.style`), which a strict `style-src`
 * CSP allows, unlike a `style` attribute.
 */
export function renderRow(row: Row, index: number, top: number, activeKey: string | undefined, setSize: number): TemplateResult {
  const s = strings();
  const style = `transform:translateY(${top}px)`;
  if (row.kind === 'header') {
    return html`<div class="group" part="group" role="presentation" .style=${style}><bdi>${row.group}</bdi> (${row.count})</div>`;
  }
  const active = row.key === activeKey;
  return html`<div id=${rowId(index)} class="buddy ${active ? 'active' : ''}" part="buddy${active ? ' active' : ''}"
    role="option" aria-selected=${active ? 'true' : 'false'} aria-setsize=${setSize} aria-posinset=${row.position}
    data-key=${row.key} .style=${style}>
    <div class="line">
      ${presenceIndicator(row.availability, true)}
      <bdi class="name" part="name">${row.name}</bdi>
      ${row.unread > 0
        ? html`<span class="unread" part="unread"><span aria-hidden="true">${row.unread}</span><span class="sr-only">${s.unread(row.unread)}</span></span>`
        : nothing}
    </div>
    <div class="line detail">
      <span class="presence-text presence-${row.availability}">${s.availability[row.availability]}</span>
      ${row.buddy.pendingOut ? html`<span>· ${s.awaitingApproval}</span>` : nothing}
      ${row.note ? html`<span>·</span> <bdi class="note" part="note">${row.note}</bdi>` : nothing}
    </div>
  </div>`;
}

/** Handlers for a subscription request. */
export type DecisionHandler = (watcher: Watcher, decision: 'approve' | 'deny' | 'block') => void;

/** Pending subscription requests with approve / deny / block buttons. */
export function renderRequests(pending: readonly Watcher[], decide: DecisionHandler): TemplateResult | typeof nothing {
  if (pending.length === 0) return nothing;
  const s = strings();
  return html`<section part="requests" class="requests" aria-labelledby="requests-heading">
    <h3 id="requests-heading">${s.requestsHeading}</h3>
    <ul>
      ${pending.map((w, i) => {
        const label = `request-${i}`;
        return html`<li><div part="request" class="request" role="group" aria-labelledby=${label}>
          <span id=${label}
            >${w.name ? html`<bdi class="name">${w.name}</bdi> ` : nothing}<bdi class="address">${w.address.id}</bdi></span
          >
          <span class="muted">${s.requestText}</span>
          <span class="actions">
            <button type="button" class="primary" @click=${() => decide(w, 'approve')}>${s.approve}</button>
            <button type="button" @click=${() => decide(w, 'deny')}>${s.deny}</button>
            <button type="button" @click=${() => decide(w, 'block')}>${s.block}</button>
          </span>
        </div></li>`;
      })}
    </ul>
  </section>`;
}

/** State of the add-contact form. */
export interface AddFormState {
  readonly error: string | undefined;
  readonly done: string | undefined;
  readonly busy: boolean;
}

/** The add-contact form (inside a disclosure). */
export function renderAddForm(state: AddFormState, submit: (e: SubmitEvent) => void): TemplateResult {
  const s = strings();
  return html`<details part="add" class="add">
    <summary>${s.addHeading}</summary>
    <form @submit=${submit} novalidate>
      <label for="add-address">${s.addAddressLabel}</label>
      <input id="add-address" name="address" part="add-address" type="text" autocomplete="off" spellcheck="false"
        required aria-invalid=${state.error ? 'true' : 'false'} aria-describedby="add-message" />
      <label for="add-name">${s.addNameLabel}</label>
      <input id="add-name" name="name" part="add-name" type="text" autocomplete="off" />
      <button type="submit" class="primary" part="add-button" ?disabled=${state.busy}>${s.addButton}</button>
      <p id="add-message" class=${state.error ? 'error' : 'muted'} role="status">${state.error ?? state.done ?? ''}</p>
    </form>
  </details>`;
}
