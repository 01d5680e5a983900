/**
 * Templates of `<impp-chat>`: day separators, one message, its body and delivery state.
 * Bodies are untrusted: text bindings only, links from {@link linkify} (BAD-INPUTS #24, #40,
 * #42); sender names in `<bdi>` (#17).
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationEntry } from '../../core/index.js';
import { deliveryIndicator } from '../presence-icon.js';
import { strings } from '../strings.js';
import { linkify, type BodyPart } from './linkify.js';

/** Bodies longer than this many characters are collapsed behind "Show more" (BAD-INPUTS #42). */
export const COLLAPSE_AT = 4096;

const parsed = new WeakMap<object, BodyPart[]>();

/** What rendering a message needs from the component. */
export interface MessageView {
  readonly peerName: string;
  /** Keys (`direction:id`) of long messages the user expanded. */
  readonly expanded: ReadonlySet<string>;
  toggle(key: string): void;
  retry(id: string): void;
}

/** Local calendar day of a timestamp, as a comparable key. */
export function dayKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** "Today", "Yesterday" or the date. */
export function dayLabel(ts: number, now = Date.now()): string {
  const s = strings();
  if (dayKey(ts) === dayKey(now)) return s.today;
  if (dayKey(ts) === dayKey(now - 86_400_000)) return s.yesterday;
  return new Intl.DateTimeFormat(s.locale, { dateStyle: 'medium' }).format(ts);
}

/** Key of a log entry: ids are unique per sender, so ours and theirs may collide. */
export const entryKey = (e: ConversationEntry): string => `${e.direction}:${e.message.id}`;

/** The log: messages with a day separator before each new day, keyed for `repeat()`. */
export function logItems(entries: readonly ConversationEntry[]): { key: string; template: (v: MessageView) => TemplateResult }[] {
  const out: { key: string; template: (v: MessageView) => TemplateResult }[] = [];
  let day: string | undefined;
  for (const entry of entries) {
    const d = dayKey(entry.message.timestamp);
    if (d !== day) {
      day = d;
      const ts = entry.message.timestamp;
      out.push({ key: `day:${d}`, template: () => renderDay(ts) });
    }
    out.push({ key: entryKey(entry), template: (v) => renderMessage(entry, v) });
  }
  return out;
}

/** A day separator. */
export function renderDay(ts: number): TemplateResult {
  return html`<li class="day" part="day"><span>${dayLabel(ts)}</span></li>`;
}

/** One message: sender, time, body, and for ours the delivery state (and Retry when failed). */
export function renderMessage(entry: ConversationEntry, view: MessageView): TemplateResult {
  const s = strings();
  const { message, direction, delivery } = entry;
  const time = new Date(message.timestamp);
  const timeText = new Intl.DateTimeFormat(s.locale, { hour: 'numeric', minute: '2-digit' }).format(time);
  return html`<li class="msg ${direction}" part="message message-${direction}" data-id=${message.id}>
    <div class="meta">
      <bdi class="sender" part="sender">${direction === 'out' ? s.you : view.peerName}</bdi>
      <time part="time" datetime=${time.toISOString()}>${timeText}</time>
      ${message.verified === false ? html`<span class="unverified">⚠ ${s.unverified}</span>` : nothing}
    </div>
    ${renderBody(`${direction}:${message.id}`, message.body, message, view)}
    ${direction === 'out' && delivery
      ? html`<div class="state">
          ${deliveryIndicator(delivery.state, delivery.error?.message)}
          ${delivery.state === 'failed'
            ? html`<button type="button" part="retry" @click=${() => view.retry(message.id)}>${s.retry}</button>`
            : nothing}
        </div>`
      : nothing}
  </li>`;
}

function renderBody(key: string, body: string, cacheKey: object, view: MessageView): TemplateResult {
  const s = strings();
  const long = body.length > COLLAPSE_AT;
  const open = view.expanded.has(key);
  if (long && !open) {
    return html`<p class="body" part="body" id="body-${domId(key)}">${body.slice(0, COLLAPSE_AT)}…</p>
      <button type="button" class="more" part="show-more" aria-expanded="false" aria-controls="body-${domId(key)}"
        @click=${() => view.toggle(key)}>${s.showMore}</button>`;
  }
  let parts = parsed.get(cacheKey);
  if (parts === undefined) parsed.set(cacheKey, (parts = linkify(body)));
  return html`<p class="body" part="body" id="body-${domId(key)}">${parts.map((p) =>
      typeof p === 'string' ? p : html`<a href=${p.href} target="_blank" rel="noopener noreferrer">${p.text}</a>`,
    )}</p>${long
      ? html`<button type="button" class="more" part="show-more" aria-expanded="true" aria-controls="body-${domId(key)}"
          @click=${() => view.toggle(key)}>${s.showLess}</button>`
      : nothing}`;
}

/** An id usable in IDREF attributes: message ids come from remote senders and may hold spaces. */
function domId(id: string): string {
  return encodeURIComponent(id);
}
