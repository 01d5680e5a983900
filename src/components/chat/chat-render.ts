/**
 * Templates of `<impp-chat>`: the log, day separators, one message, its body and delivery state.
 * Bodies are untrusted: text bindings only, links from {@link linkify} (BAD-INPUTS #24, #40,
 * #42); sender names in `<bdi>` (#17). Rendering is incremental: a row is templated again only
 * when its entry (delivery state), day label, expansion, the peer's name or the strings change.
 * @module
 */
import { html, noChange, nothing, type TemplateResult } from 'lit';
import type { ConversationEntry, InstantMessage } from '../../core/index.js';
import { deliveryIndicator } from '../presence-icon.js';
import { strings } from '../strings.js';
import { formatTime } from '../format-time.js';
import { linkify } from './linkify.js';

/** Bodies longer than this many characters are collapsed behind "Show more" (BAD-INPUTS #42). */
export const COLLAPSE_AT = 4096;

/** What the rows need from the component. */
export interface LogView {
  readonly peerName: string;
  /** Long messages the user expanded. */
  readonly expanded: ReadonlySet<InstantMessage>;
  toggle(message: InstantMessage): void;
  retry(message: InstantMessage): void;
  /**
   * The inputs each position of the log was last rendered with (owned by the element, empty at
   * first). Lit renders an array position by position; a position whose inputs are the same
   * gets `noChange`, so its row is not even walked: `guard` without the directive's bytes.
   */
  readonly rendered: unknown[][];
}

// The local day asked for last, [start, end): consecutive rows mostly share a day.
let day = [0, 0];

/** Start of the local calendar day of `ts` (a day may last 23 or 25 hours). */
export function dayStart(ts: number): number {
  if (ts < day[0]! || ts >= day[1]!) {
    const d = new Date(ts);
    day = [new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime(), new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime()];
  }
  return day[0]!;
}

/** The log: every message, after a separator ("Today", "Yesterday" or the date) when it opens a day. */
export function renderLog(entries: readonly ConversationEntry[], view: LogView) {
  const s = strings();
  const today = dayStart(Date.now());
  const yesterday = dayStart(today - 1);
  let last: number | undefined;
  const labels = entries.map(({ message: { timestamp } }) => {
    const d = dayStart(timestamp);
    if (d === last) return undefined;
    last = d;
    return d === today ? s.today : d === yesterday ? s.yesterday : formatTime(timestamp, true);
  });
  // New messages are appended, so rows keep their positions (an entry changes identity only with
  // its delivery state); history prepended by "Load older" renders every row once more.
  const rendered = view.rendered;
  rendered.length = entries.length; // positions past the end lost their DOM
  return entries.map((e, i) => {
    const label = labels[i];
    const open = view.expanded.has(e.message);
    const inputs = [e, label, open, view.peerName, s];
    const last = rendered[i];
    if (last !== undefined && inputs.every((v, k) => v === last[k])) return noChange;
    rendered[i] = inputs;
    return html`${label === undefined ? nothing : html`<li class="day" part="day"><span>${label}</span></li>`}${renderMessage(e, open, view)}`;
  });
}

/** One message: sender, time, body, and for ours the delivery state (and Retry when failed). */
function renderMessage({ message, direction, delivery }: ConversationEntry, open: boolean, view: LogView): TemplateResult {
  const s = strings();
  const { body, timestamp } = message;
  // Long bodies need an id for the toggle's aria-controls; ids are remote input and may hold spaces.
  const id = `body-${encodeURIComponent(`${direction}:${message.id}`)}`;
  const long = body.length > COLLAPSE_AT;
  // No whitespace between elements: a long log clones this for every row.
  return html`<li class="msg ${direction}" part="message message-${direction}" data-id=${message.id}
    ><div class="meta"
      ><bdi class="sender" part="sender">${direction === 'out' ? s.you : view.peerName}</bdi
      ><time part="time" datetime=${new Date(timestamp).toISOString()}>${formatTime(timestamp)}</time
      >${message.verified === false ? html`<span class="unverified">⚠ ${s.unverified}</span>` : nothing}</div
    ><p class="body" part="body" id=${long ? id : nothing}>${long && !open ? `${body.slice(0, COLLAPSE_AT)}…` : linkify(body).map((p) =>
      typeof p === 'string' ? p : html`<a href=${p.href} target="_blank" rel="noopener noreferrer">${p.text}</a>`)}</p
    >${long
      ? html`<button type="button" class="more" part="show-more" aria-expanded=${open} aria-controls=${id}
          @click=${() => view.toggle(message)}>${open ? s.showLess : s.showMore}</button>`
      : nothing}${delivery
      ? html`<div class="state">${deliveryIndicator(delivery.state, delivery.error?.message)}${delivery.state === 'failed'
          ? html`<button type="button" part="retry" @click=${() => view.retry(message)}>${s.retry}</button>`
          : nothing}</div>`
      : nothing}</li>`;
}
