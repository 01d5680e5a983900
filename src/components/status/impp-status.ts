import { html, nothing, type PropertyValues } from 'lit';
import { Subscription } from 'rxjs';
import { presenceNote, type Availability, type ConnectionStatus, type ImppClient, type Presence } from '../../core/index.js';
import { ClientController } from '../client-controller.js';
import { emit } from '../emit.js';
import { ImppElement } from '../impp-element.js';
import { ObserveController, once } from '../observe.js';
import { presenceIndicator } from '../presence-icon.js';
import { strings } from '../strings.js';
import { warn } from '../warn.js';
import { statusStyles } from './impp-status.styles.js';

/** What the picker offers; `offline` is labelled "Invisible" (we publish no open tuple). */
const CHOICES: readonly Availability[] = ['available', 'away', 'busy', 'offline'];

/**
 * @summary My availability and status note, editable, with the connection state.
 *
 * @description Shows the signed-in user's published presence (from `client.selfPresence$`) and
 * lets the user change it: the availability commits on change, the note on Enter or blur
 * (Escape reverts it). `status` and `note` attributes give an initial presence published once
 * the client is online. An unknown `status` shows "Unknown status" and logs a
 * `component/invalid-attribute` warning; it never throws.
 *
 * @example
 * ```html
 * <impp-status status="away" note="Back at 3"></impp-status>
 * ```
 *
 * @event {CustomEvent<ImppStatusChangeDetail>} impp-status-change - The user changed the availability or committed a note.
 *
 * @csspart base - The wrapper.
 * @csspart self - My address.
 * @csspart presence - The availability icon and label.
 * @csspart presence-icon - The availability icon.
 * @csspart select - The availability picker.
 * @csspart note - The note input.
 * @csspart connection - The connection state text.
 * @csspart retry - "Retry now", shown while reconnecting (skips the backoff wait).
 *
 * @cssproperty --impp-color-available - Colour of the "available" icon (also away, busy, offline).
 * @cssproperty --impp-color-bg - Background.
 * @cssproperty --impp-color-border - Border colour.
 * @cssproperty --impp-space - Base spacing unit.
 */
export class ImppStatus extends ImppElement {
  static override styles = statusStyles;
  static override properties = {
    client: { attribute: false },
    status: {},
    note: {},
    invalidStatus: { state: true },
    draftNote: { state: true },
    failure: { state: true },
  };

  /** The client to use; by default the one of the nearest `<impp-client>`. */
  client: ImppClient | undefined;

  /** Initial availability to publish once online: `available`, `away`, `busy` or `offline`. */
  status: string | undefined;

  /** Initial note to publish with `status`. */
  note: string | undefined;

  /** Set while `status` holds a value that is not an availability. */
  private invalidStatus = false;
  private draftNote: string | undefined;
  private failure: string | undefined;

  readonly #connection = new ObserveController<ConnectionStatus | undefined>(this, undefined);
  readonly #self = new ObserveController<Presence | undefined>(this, undefined, (p) => {
    // Our edit arrived: show the published note again.
    if (p !== undefined && this.draftNote === (presenceNote(p) ?? '')) this.draftNote = undefined;
  });
  /** The note last committed, so Enter followed by blur publishes once. */
  #committedNote: string | undefined;
  readonly #clientCtl = new ClientController(this, (client) => this.#bind(client));

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('status')) {
      this.invalidStatus = this.status !== undefined && !CHOICES.includes(this.status as Availability);
      if (this.invalidStatus) {
        warn('component/invalid-attribute', `<impp-status status="${this.status}">: use available, away, busy or offline.`);
      }
    }
  }

  protected override render() {
    const s = strings();
    const client = this.#clientCtl.client;
    const presence = this.#self.value;
    const availability: Availability = this.invalidStatus ? 'unknown' : (presence?.availability ?? 'unknown');
    const note = this.draftNote ?? (presence ? (presenceNote(presence) ?? '') : '');
    return html`<div part="base" class="base" role="group" aria-label=${s.statusLabel}>
      ${client ? html`<bdi part="self">${client.self.id}</bdi>` : nothing} ${presenceIndicator(availability, true)}
      <label class="sr-only" for="availability">${s.availabilityLabel}</label>
      <select id="availability" part="select" ?disabled=${!client} @change=${this.#onSelect}>
        ${availability === 'unknown' ? html`<option value="" selected disabled>${s.unknownStatus}</option>` : nothing}
        ${CHOICES.map(
          (a) => html`<option value=${a} ?selected=${a === availability}>
            ${a === 'offline' ? s.invisible : s.availability[a]}
          </option>`,
        )}
      </select>
      <label class="sr-only" for="note">${s.noteLabel}</label>
      <input id="note" part="note" type="text" .value=${note} placeholder=${s.notePlaceholder} ?disabled=${!client}
        @input=${this.#onNoteInput} @keydown=${this.#onNoteKey} @blur=${this.#commitNote} />
      ${this.#renderConnection()}
    </div>`;
  }

  #renderConnection() {
    const s = strings();
    const status = this.#connection.value;
    let text: string;
    if (this.failure !== undefined) text = this.failure;
    else if (status === undefined) text = s.noClient;
    else if (status.state === 'failed') text = s.connectionFailed(status.error?.message ?? s.connection.failed);
    else text = s.connection[status.state];
    const failed = this.failure !== undefined || status?.state === 'failed';
    // Waiting out a reconnect backoff (up to the 30 s herd window): let the user skip the wait.
    const retry = status?.state === 'reconnecting'
      ? html` <button part="retry" @click=${this.#retryNow}>${s.retryNow}</button>` : nothing;
    return html`<span part="connection" class=${failed ? 'failed' : ''} role="status">${text}</span>${retry}`;
  }

  #bind(client: ImppClient): Subscription {
    this.#connection.observe(client.connection$);
    this.#self.observe(client.selfPresence$);
    const sub = new Subscription(() => {
      this.#connection.observe(undefined);
      this.#self.observe(undefined);
    });
    const initial = this.status;
    if (initial !== undefined && !this.invalidStatus) {
      // The page asked for an initial presence: publish it once we are online.
      sub.add(once(client.connection$, (c) => c.state === 'online', () => this.#publish(client, initial as Availability, this.note ?? '')));
    }
    return sub;
  }

  #publish(client: ImppClient, availability: Availability, note: string): void {
    this.failure = undefined;
    client.setPresence({ availability, note }).catch((e: unknown) => {
      this.failure = e instanceof Error ? e.message : String(e);
    });
  }

  #currentNote(): string {
    const p = this.#self.value;
    return p ? (presenceNote(p) ?? '') : '';
  }

  #retryNow(): void {
    void this.#clientCtl.client?.connect().catch(() => undefined); // the outcome shows on connection$
  }

  #onSelect(e: Event): void {
    const client = this.#clientCtl.client;
    const value = (e.target as HTMLSelectElement).value as Availability;
    if (client === undefined || !CHOICES.includes(value)) return;
    this.invalidStatus = false;
    const note = this.draftNote ?? this.#currentNote();
    if (this.draftNote !== undefined) this.#committedNote = note;
    this.#publish(client, value, note);
    emit(this, 'impp-status-change', { availability: value, note });
  }

  #onNoteInput(e: Event): void {
    this.draftNote = (e.target as HTMLInputElement).value;
    this.#committedNote = undefined;
  }

  #onNoteKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.isComposing) {
      e.preventDefault();
      this.#commitNote();
    } else if (e.key === 'Escape' && this.draftNote !== undefined) {
      e.preventDefault();
      this.draftNote = undefined;
      this.#committedNote = undefined;
      // The binding may not have seen the draft (no render between input and Escape): reset the field here.
      (e.target as HTMLInputElement).value = this.#currentNote();
    }
  }

  #commitNote(): void {
    const client = this.#clientCtl.client;
    const note = this.draftNote;
    if (client === undefined || note === undefined || note === this.#committedNote) return;
    if (note === this.#currentNote()) {
      this.draftNote = undefined;
      return;
    }
    this.#committedNote = note;
    const p = this.#self.value;
    const availability: Availability = p !== undefined && p.availability !== 'unknown' ? p.availability : 'available';
    this.#publish(client, availability, note);
    emit(this, 'impp-status-change', { availability, note });
  }
}
