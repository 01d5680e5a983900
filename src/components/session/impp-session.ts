import { html, nothing, type PropertyValues } from 'lit';
import { filter, firstValueFrom, Subscription, timeout } from 'rxjs';
import { room as roomOf, roomInvitations$, roomNameForBooking, tryParseAddress, type Address, type ImppClient, type Occupant, type Room, type RoomEntry, type RoomInvitation, type RoomStatus } from '../../core/index.js';
import { ClientController } from '../client-controller.js';
import { emit } from '../emit.js';
import { ImppElement } from '../impp-element.js';
import { ObserveController } from '../observe.js';
import { strings } from '../strings.js';
import { warn } from '../warn.js';
import { sessionStyles } from './impp-session.styles.js';
import { participantRows, renderEntry, renderParticipant } from './session-render.js';
import { sessionStrings } from './session.strings.js';

const IDLE: RoomStatus = { state: 'idle' };
const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * @summary The group session of a booking: start it, invite the attendees, see who joined, chat.
 *
 * @description Maps `booking` to a room with `roomNameForBooking()` (deterministic, so every
 * attendee's page finds the same room; nothing in the id reaches the room address's syntax).
 * "Start session" (or `autostart`) joins the room — creating it if needed —, sets `subject`
 * when the room has none, and invites the `participants` who are not in it. It lists everyone
 * in the room with their presence (icon and text) and role, the invitees with their state
 * (invited, not joined yet, invitation failed), and the group chat: nick, time and delivery
 * state of every message, a composer (Enter sends, Shift+Enter adds a line) and a Leave
 * button. Subjects, nicks and bodies are shown as text. Invalid `participants` entries are
 * listed in an inline error (and a `component/invalid-attribute` warning); it never throws.
 *
 * @example
 * ```html
 * <impp-client transport="in-page" user="alice">
 *   <impp-session booking="room-4/2026-11-26T10:00" participants="bob@in-page.invalid, carol@in-page.invalid"
 *     subject="Design review"></impp-session>
 * </impp-client>
 * ```
 *
 * @event {CustomEvent<ImppSessionStartDetail>} impp-session-start - The user started the session (not fired by `autostart`).
 * @event {CustomEvent<ImppSessionLeaveDetail>} impp-session-leave - The user left the session.
 *
 * @csspart base - The wrapper.
 * @csspart header - Subject and actions.
 * @csspart subject - The room subject.
 * @csspart start - The "Start session" button.
 * @csspart leave - The Leave button.
 * @csspart error - An error line (missing booking, invalid participants, failed start).
 * @csspart status - The session state line.
 * @csspart invitation - Who invited us (and why), until we join.
 * @csspart participants - The participant list.
 * @csspart participant - One participant (also `participant-joined|invited|not-joined|failed`).
 * @csspart participant-name - A participant's nick or address.
 * @csspart role - "Moderator" on moderators.
 * @csspart presence - Presence icon and text of someone in the room.
 * @csspart join-state - Joined / invited / not joined yet.
 * @csspart log - The scrolling group chat.
 * @csspart message - A message (also `message-in` or `message-out`).
 * @csspart sender - The sender's nick.
 * @csspart time - The time of a message.
 * @csspart body - The text of a message.
 * @csspart delivery - The delivery state of one of our messages.
 * @csspart composer - The composer form.
 * @csspart textarea - The message input.
 * @csspart send - The Send button.
 *
 * @cssproperty --impp-session-height - Height of the component (default `30rem`).
 * @cssproperty --impp-color-bubble-in - Background of others' messages.
 * @cssproperty --impp-color-bubble-out - Background of our messages.
 * @cssproperty --impp-color-accent - Start and Send buttons.
 */
export class ImppSession extends ImppElement {
  static override styles = sessionStyles;
  static override properties = {
    client: { attribute: false },
    booking: {},
    participants: {},
    subject: {},
    nick: {},
    autostart: { type: Boolean, reflect: true },
    room: { state: true },
    roomError: { state: true },
    actionError: { state: true },
    composerError: { state: true },
    busy: { state: true },
    invites: { state: true },
    invitation: { state: true },
  };

  /** The client to use; by default the one of the nearest `<impp-client>`. */
  client: ImppClient | undefined;
  /** The booking id (any string); every attendee's page maps it to the same room. */
  booking: string | undefined;
  /** Comma-separated addresses of the attendees to invite. */
  participants: string | undefined;
  /** Subject to set when the session starts and the room has none (untrusted text). */
  subject: string | undefined;
  /** Nick to join with; by default the local part of our address. */
  nick: string | undefined;
  /** Start (join and invite) as soon as the client is online, without a click. */
  autostart = false;

  private room: Room | undefined;
  private roomError: string | undefined;
  private actionError: string | undefined;
  private composerError: string | undefined;
  private busy = false;
  /** Invitation outcome per address id: true when sent, else why it failed. */
  private invites: ReadonlyMap<string, string | true> = new Map();
  /** The latest invitation to this session we received while shown. */
  private invitation: RoomInvitation | undefined;

  private get logEl(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('.log') ?? null;
  }
  private get composer(): HTMLTextAreaElement | null {
    return this.renderRoot?.querySelector<HTMLTextAreaElement>('#composer') ?? null;
  }

  private valid: Address[] = [];
  private invalid: string[] = [];
  private toEnd = false;
  private readonly status = new ObserveController<RoomStatus>(this, IDLE);
  private readonly occupants = new ObserveController<readonly Occupant[]>(this, []);
  private readonly entries = new ObserveController<readonly RoomEntry[]>(this, [], () => (this.toEnd = true));
  private readonly roomSubject = new ObserveController<string>(this, '');
  private readonly clientCtl = new ClientController(this, (client) => this.bind(client));

  /** Joins the room, sets the subject if it has none, and invites who is not in it yet. */
  async start(): Promise<void> {
    await this.run(false);
  }

  /** Leaves the room (the session goes on for the others). */
  async leave(): Promise<void> {
    await this.room?.leave();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('participants')) {
      const entries = (this.participants ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
      this.valid = [];
      this.invalid = [];
      for (const p of entries) {
        const a = tryParseAddress(p);
        if (a === undefined) this.invalid.push(p);
        else if (!this.valid.some((v) => v.id === a.id)) this.valid.push(a);
      }
      if (this.invalid.length > 0) warn('component/invalid-attribute', `<impp-session participants>: not addresses: ${JSON.stringify(this.invalid)}`);
    }
    if (changed.has('booking') && this.hasUpdated) this.clientCtl.rebind();
  }

  protected override render() {
    const s = strings(), t = sessionStrings();
    const status = this.status.value;
    const active = status.state === 'joined' || status.state === 'joining';
    const subject = this.roomSubject.value;
    const client = this.clientCtl.client;
    const rows = participantRows(this.occupants.value, this.valid, client?.self, status.nick, this.invites);
    return html`<section part="base" class="base" aria-label=${t.sessionLabel(subject)}>
      <header part="header" class="header">
        <h2 part="subject" class="subject"><bdi>${subject || this.subject || t.untitled}</bdi></h2>
        ${active
          ? html`<button type="button" part="leave" @click=${this.onLeave}>${t.leave}</button>`
          : html`<button type="button" part="start" class="primary" ?disabled=${!this.room || this.busy} @click=${this.onStart}>${this.busy ? t.starting : this.invitation ? t.join : t.start}</button>`}
      </header>
      <div class="notes">
        ${client === undefined ? html`<p part="error" class="error">${s.noClient}</p>` : nothing}
        ${this.roomError ? html`<p part="error" class="error" role="alert">${this.roomError}</p>` : nothing}
        ${this.invalid.length > 0
          ? html`<p part="error" class="error">${t.invalidParticipant} ${this.invalid.map((p, i) => html`${i ? ', ' : ''}<bdi>${p}</bdi>`)}</p>`
          : nothing}
        ${this.actionError ? html`<p part="error" class="error" role="alert">${this.actionError}</p>` : nothing}
        ${this.invitation && !active
          ? html`<p part="invitation" role="status">${t.invitedBy} <bdi>${this.invitation.from.id}</bdi>${this.invitation.reason ? html`: <bdi>${this.invitation.reason}</bdi>` : nothing}</p>`
          : nothing}
        <p part="status" class="muted" role="status">${this.statusText(status)}</p>
      </div>
      <div class="columns">
        <section part="participants" class="people" aria-labelledby="people-heading">
          <h3 id="people-heading">${t.participantsHeading}</h3>
          <ul>${rows.map(renderParticipant)}</ul>
        </section>
        <section class="chat" aria-label=${s.messagesLabel}>
          <div class="log" part="log" role="log" tabindex="0" aria-label=${s.messagesLabel}>
            ${this.entries.value.length === 0
              ? html`<p class="muted">${s.noMessages}</p>`
              : html`<ol class="messages">${this.entries.value.map(renderEntry)}</ol>`}
          </div>
          <form part="composer" class="composer" @submit=${this.onSubmit}>
            <label class="sr-only" for="composer">${s.composerLabel}</label>
            <textarea id="composer" part="textarea" rows="2" placeholder=${s.composerPlaceholder} ?disabled=${!active}
              aria-describedby="composer-error" @keydown=${this.onKey}></textarea>
            <button type="submit" class="primary" part="send" ?disabled=${!active}>${s.send}</button>
            <p id="composer-error" class="error" role="status">${this.composerError ?? ''}</p>
          </form>
        </section>
      </div>
    </section>`;
  }

  protected override updated(): void {
    if (this.toEnd && this.logEl) this.logEl.scrollTop = this.logEl.scrollHeight;
    this.toEnd = false;
  }

  private statusText(status: RoomStatus): string {
    const t = sessionStrings();
    if (status.state === 'joining') return t.joining;
    if (status.state === 'left') return t.left;
    if (status.state === 'failed') return t.failed(status.error?.message ?? '');
    return '';
  }

  private bind(client: ImppClient): Subscription {
    const sub = new Subscription();
    for (const o of [this.status, this.occupants, this.entries, this.roomSubject] as ObserveController<unknown>[]) o.observe(undefined);
    this.room = undefined;
    this.roomError = undefined;
    this.invitation = undefined;
    const booking = this.booking ?? '';
    if (booking.trim() === '') {
      this.roomError = sessionStrings().missingBooking;
      return sub;
    }
    let live = true;
    sub.add(() => (live = false));
    roomNameForBooking(booking).then((name) => {
      if (!live) return;
      const r = roomOf(client, name);
      this.room = r;
      this.status.observe(r.status$);
      this.occupants.observe(r.occupants$);
      this.entries.observe(r.messages$);
      this.roomSubject.observe(r.subject$);
      sub.add(roomInvitations$(client).pipe(filter((i) => i.room.id === r.address.id)).subscribe((i) => (this.invitation = i)));
      if (this.autostart && this.status.value.state === 'idle') void this.run(false);
    }).catch((e: unknown) => {
      if (!live) return;
      this.roomError = reason(e);
      warn('component/invalid-attribute', `<impp-session booking>: ${this.roomError}`);
    });
    return sub;
  }

  /** Start: join, then (once we see ourselves in the room) subject and invitations. */
  private async run(user: boolean): Promise<void> {
    const r = this.room, client = this.clientCtl.client;
    if (r === undefined || client === undefined || this.busy) return;
    this.busy = true;
    this.actionError = undefined;
    try {
      await r.join(this.nick ? { nick: this.nick } : {});
      // Offline, join() returns at once and the room is joined when the client comes online.
      const joined = await firstValueFrom(r.status$.pipe(filter((x) => x.state === 'joined' || x.state === 'failed' || x.state === 'left')));
      if (joined.state !== 'joined') throw joined.error ?? new Error(sessionStrings().left);
      this.invitation = undefined;
      const nick = joined.nick;
      // The room tells us who is in it and its subject right after the join (XEP-0045 §7.2).
      const inRoom = await firstValueFrom(r.occupants$.pipe(filter((os) => os.some((o) => o.nick === nick)), timeout({ first: 3000 }))).catch(() => this.occupants.value);
      const wanted = this.subject?.trim();
      if (wanted) {
        const current = await firstValueFrom(r.subject$.pipe(filter((x) => x !== ''), timeout({ first: 250 }))).catch(() => '');
        if (current === '') await r.setSubject(wanted);
      }
      const present = new Set(inRoom.flatMap((o) => (o.address ? [o.address.id] : [])));
      const targets = this.valid.filter((a) => a.id !== client.self.id && !present.has(a.id));
      const why = sessionStrings().inviteReason(wanted || this.roomSubject.value);
      const results = await Promise.allSettled(targets.map((a) => r.invite([a], why)));
      const next = new Map(this.invites);
      results.forEach((res, i) => next.set(targets[i]!.id, res.status === 'fulfilled' ? true : reason(res.reason)));
      this.invites = next;
      const invited = targets.filter((_, i) => results[i]!.status === 'fulfilled');
      if (user) emit(this, 'impp-session-start', { booking: this.booking ?? '', room: r.address, invited });
    } catch (e) {
      this.actionError = reason(e);
    } finally {
      this.busy = false;
    }
  }

  private onStart(): void {
    void this.run(true);
  }

  private async onLeave(): Promise<void> {
    const r = this.room;
    if (r === undefined) return;
    try {
      await r.leave();
      this.invites = new Map();
      emit(this, 'impp-session-leave', { booking: this.booking ?? '', room: r.address });
    } catch (e) {
      this.actionError = reason(e);
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.sendComposer();
    }
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    this.sendComposer();
  }

  private sendComposer(): void {
    const box = this.composer, r = this.room;
    if (box === null || r === undefined || box.value.trim() === '') return;
    this.composerError = undefined;
    const out = r.send(box.value);
    out.state$.pipe(filter((d) => d.state === 'failed')).subscribe((d) => (this.composerError = d.error?.message)).unsubscribe();
    if (this.composerError === undefined) box.value = '';
  }
}
