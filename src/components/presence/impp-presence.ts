import { html, nothing, type PropertyValues } from 'lit';
import type { Subscription } from 'rxjs';
import { bareAddress, parseAddress, presenceNote, type Address, type Availability, type ImppClient } from '../../core/index.js';
import { ClientController } from '../client-controller.js';
import { emit } from '../emit.js';
import { ImppElement } from '../impp-element.js';
import { strings } from '../strings.js';
import { warn } from '../warn.js';
import { presenceStyles } from './impp-presence.styles.js';
import { CARD_ID, renderCard } from './presence-card.js';
import { badgePresence$, type BadgePresence } from './presence-source.js';
import { presenceStrings } from './presence.strings.js';
import { VisibilityController } from './visibility.js';

/** Delays of the hover card, in ms: open after resting on the badge, close after leaving. */
const HOVER_OPEN = 300;
const HOVER_CLOSE = 250;

// Chromium 125+: the card follows its badge with CSS anchor positioning; elsewhere it is placed
// once from the badge's rectangle when it opens.
const ANCHORS = typeof CSS !== 'undefined' && CSS.supports?.('position-area', 'block-end');

/**
 * @summary A compact presence badge (icon and text) with a hover/focus card, for portals.
 *
 * @description Shows the live availability of `address`. Badges are cheap to repeat: every
 * badge of one address shares one presence watch (ref-counted in the client), a badge only
 * subscribes while it is on screen (one shared IntersectionObserver), and a watch outlives
 * its last visible badge by a short linger. When we may not subscribe to the address (the
 * watch stays `unknown`), the badge shows a one-shot fetch shared by every badge of the
 * address for a minute. Hovering or focusing the badge opens a card with the availability,
 * note, devices and two actions; Escape closes it. An invalid `address` shows an inert error
 * state and logs a `component/invalid-attribute` warning; it never throws.
 *
 * @example
 * ```html
 * <impp-client transport="in-page" user="visitor" channel="portal">
 *   <impp-presence address="alice@in-page.invalid" name="Alice Martin" show-note></impp-presence>
 * </impp-client>
 * ```
 *
 * @event {CustomEvent<ImppPresenceActionDetail>} impp-chat-request - The user pressed "Chat" on the card.
 * @event {CustomEvent<ImppPresenceActionDetail>} impp-session-request - The user pressed "Start session" on the card.
 *
 * @csspart base - The wrapper.
 * @csspart trigger - The badge button that opens the card.
 * @csspart name - The name, when given.
 * @csspart presence - The availability icon and label (badge and card).
 * @csspart presence-icon - The availability icon.
 * @csspart note - The note on the badge (with `show-note`).
 * @csspart error - The text of the invalid-address state.
 * @csspart card - The hover/focus card.
 * @csspart card-title - The name (or address) heading the card.
 * @csspart card-address - The address under the name.
 * @csspart card-availability - The availability line of the card.
 * @csspart card-note - The note in the card.
 * @csspart devices - The list of devices (presence tuples).
 * @csspart device - One device.
 * @csspart actions - The action buttons.
 * @csspart chat-button - The "Chat" button.
 * @csspart session-button - The "Start session" button.
 *
 * @cssproperty --impp-color-available - Colour of the "available" icon and text (also away, busy, offline).
 * @cssproperty --impp-color-bg - Background of the card.
 * @cssproperty --impp-color-surface - Background of the badge on hover.
 * @cssproperty --impp-color-border - Border of the card.
 * @cssproperty --impp-color-muted - Colour of the note and secondary text.
 * @cssproperty --impp-radius - Corner radius of the card.
 * @cssproperty --impp-space - Base spacing unit.
 * @cssproperty --impp-presence-card-width - Inline size of the card (default `18rem`).
 */
export class ImppPresence extends ImppElement {
  static override styles = presenceStyles;
  static override properties = {
    client: { attribute: false },
    address: {},
    name: {},
    showNote: { type: Boolean, attribute: 'show-note' },
    value: { state: true },
    open: { state: true },
  };

  /** The client to use; by default the one of the nearest `<impp-client>`. */
  client: ImppClient | undefined;

  /** Whose presence to show: `alice@example.com`, `xmpp:…`, `pres:…`, `sip:…`. */
  address: string | undefined;

  /** Display name shown before the availability (untrusted text, shown as text). */
  name: string | undefined;

  /** Also show the presence note on the badge (the card always shows it). */
  showNote = false;

  private value: BadgePresence | undefined;
  private open = false;

  /** The parsed bare address, or undefined while `address` is missing or invalid. */
  private parsed: Address | undefined;
  private hovered = false;
  /** Escape closed the card: focus alone does not reopen it until focus or pointer leave. */
  private dismissed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private readonly visibility = new VisibilityController(this, () => this.clientCtl.rebind());
  private readonly clientCtl = new ClientController(this, (client) => this.bind(client));

  constructor() {
    super();
    this.addEventListener('pointerenter', this.onPointerEnter);
    this.addEventListener('pointerleave', this.onPointerLeave);
    this.addEventListener('focusin', this.onFocusIn);
    this.addEventListener('focusout', this.onFocusOut);
    this.addEventListener('keydown', this.onKeyDown);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    this.open = this.hovered = this.dismissed = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('address')) return;
    const before = this.parsed;
    this.parsed = undefined;
    try {
      this.parsed = bareAddress(parseAddress(this.address ?? ''));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      warn('component/invalid-attribute', `<impp-presence address="${this.address ?? ''}">: ${why}`);
    }
    if (before?.id !== this.parsed?.id) {
      this.value = undefined;
      this.open = false;
      this.clientCtl.rebind();
    }
  }

  protected override render() {
    const address = this.parsed;
    if (address === undefined) {
      return html`<span part="base" class="badge invalid">
        ${this.name ? html`<bdi class="name" part="name">${this.name}</bdi>` : nothing}
        <span part="error" class="error"><span aria-hidden="true">⚠ </span>${presenceStrings().invalidAddress}</span>
      </span>`;
    }
    const presence = this.value?.presence;
    const note = this.showNote && presence ? presenceNote(presence) : undefined;
    return html`<span part="base" class=${this.open ? 'badge open' : 'badge'}>
      <button type="button" part="trigger" class="trigger" aria-haspopup="dialog" aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls=${this.open ? CARD_ID : nothing} @click=${this.onClick}
        >${this.name ? html`<bdi class="name" part="name">${this.name}</bdi> ` : nothing}${badgeIndicator(presence?.availability ?? 'unknown')}${note
          ? html` <bdi class="note" part="note">${note}</bdi>`
          : nothing}</button
      >${this.open
        ? renderCard({ address, name: this.name, value: this.value, onChat: () => this.act('impp-chat-request'), onSession: () => this.act('impp-session-request') })
        : nothing}
    </span>`;
  }

  protected override updated(): void {
    const card = this.renderRoot.querySelector<HTMLElement>('.card');
    if (card === null || typeof card.showPopover !== 'function' || card.matches(':popover-open')) return;
    card.showPopover();
    if (!ANCHORS) this.place(card);
  }

  /** Subscribes to the shared presence of the address while the badge is visible. */
  private bind(client: ImppClient): Subscription | undefined {
    const address = this.parsed;
    if (address === undefined || !this.visibility.visible) return undefined;
    return badgePresence$(client, address).subscribe((value) => (this.value = value));
  }

  /** Without anchor positioning: below the badge, aligned to its inline start, kept on screen. */
  private place(card: HTMLElement): void {
    const trigger = this.renderRoot.querySelector('.trigger');
    if (trigger === null) return;
    const r = trigger.getBoundingClientRect();
    const rtl = getComputedStyle(this).direction === 'rtl';
    const width = card.offsetWidth;
    const left = Math.min(Math.max(4, rtl ? r.right - width : r.left), innerWidth - width - 4);
    const below = r.bottom + 4 + card.offsetHeight <= innerHeight;
    card.style.left = `${left}px`;
    card.style.top = `${below ? r.bottom + 4 : Math.max(4, r.top - 4 - card.offsetHeight)}px`;
  }

  private act(type: 'impp-chat-request' | 'impp-session-request'): void {
    if (this.parsed === undefined) return;
    emit(this, type, { address: this.parsed });
    this.close(true);
  }

  private close(refocus: boolean): void {
    clearTimeout(this.timer);
    if (!this.open) return;
    this.open = false;
    if (refocus && this.hasFocus()) {
      this.dismissed = true;
      this.renderRoot.querySelector<HTMLElement>('.trigger')?.focus();
    }
  }

  /** Focus is on the badge or in its card (`:focus-within` misses the top-layer card in some engines). */
  private hasFocus(): boolean {
    return this.shadowRoot?.activeElement != null;
  }

  private later(fn: () => void, ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(fn, ms);
  }

  private readonly onClick = (): void => {
    this.dismissed = false;
    clearTimeout(this.timer);
    this.open = true;
  };

  private readonly onPointerEnter = (e: PointerEvent): void => {
    if (e.pointerType === 'touch' || this.parsed === undefined) return; // touch: tap opens it
    this.hovered = true;
    if (!this.open) this.later(() => (this.open = true), HOVER_OPEN);
    else clearTimeout(this.timer);
  };

  private readonly onPointerLeave = (e: PointerEvent): void => {
    if (e.pointerType === 'touch') return;
    this.hovered = false;
    this.dismissed = false;
    if (this.hasFocus()) clearTimeout(this.timer);
    else this.later(() => this.close(false), HOVER_CLOSE);
  };

  private readonly onFocusIn = (): void => {
    clearTimeout(this.timer);
    if (!this.dismissed && this.parsed !== undefined) this.open = true;
  };

  private readonly onFocusOut = (): void => {
    // Focus moving between the badge and its card passes through "nothing focused": decide
    // once it has landed.
    setTimeout(() => {
      if (this.hasFocus()) return;
      this.dismissed = false;
      if (!this.hovered) this.close(false);
    });
  };

  private readonly onKeyDown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || !this.open) return;
    e.preventDefault();
    this.close(true);
  };
}

/** Icon (CSS-drawn, decorative) and label of the badge; the card uses the shared SVG icons. */
function badgeIndicator(availability: Availability) {
  return html`<span class="presence presence-${availability}" part="presence"
    ><span class="dot" part="presence-icon" aria-hidden="true"></span><span class="presence-label">${strings().availability[availability]}</span></span
  >`;
}
