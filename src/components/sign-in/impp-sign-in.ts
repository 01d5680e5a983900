import { html, nothing } from 'lit';
import type { ImppError } from '../../core/index.js';
import type { ImppSignInDetail } from '../events.js';
import { ImppElement } from '../impp-element.js';
import { signInStyles } from './impp-sign-in.styles.js';
import { signInStrings } from './sign-in.strings.js';


/**
 * @summary An accessible sign-in form for a protocol account (XMPP). `<impp-client
 * transport="xmpp">` shows it when it has no credentials; it can also be used on its own.
 *
 * @description The password is read once on submit, handed over in the `impp-sign-in` event and
 * cleared from the field: it is never reflected to an attribute or stored.
 *
 * @example
 * ```html
 * <impp-sign-in jid="alice@example.com" service="wss://chat.example.com/xmpp-websocket"></impp-sign-in>
 * ```
 *
 * @event impp-sign-in - `{ jid, password }` when the user submits the form.
 *
 * @csspart form - The form.
 * @csspart heading - The heading.
 * @csspart address - The address field.
 * @csspart password - The password field.
 * @csspart button - The submit button.
 * @csspart error - Why the last attempt failed.
 *
 * @cssproperty --impp-accent - Background of the submit button.
 * @cssproperty --impp-radius - Corner radius.
 */
export class ImppSignIn extends ImppElement {
  static override styles = signInStyles;
  static override properties = {
    jid: {},
    service: {},
    busy: { type: Boolean, reflect: true },
    error: { attribute: false },
  };

  /** Account address to prefill, e.g. `alice@example.com`. */
  jid = '';
  /** The server, shown as a hint (`wss://…`). */
  service = '';
  /** True while a sign-in attempt is under way: the form is disabled. */
  busy = false;
  /** Why the last attempt failed; shown in an alert. */
  error: ImppError | undefined;

  private get passwordInput(): HTMLInputElement | null {
    return this.renderRoot?.querySelector<HTMLInputElement>('input[name="password"]') ?? null;
  }
  private get jidInput(): HTMLInputElement | null {
    return this.renderRoot?.querySelector<HTMLInputElement>('input[name="jid"]') ?? null;
  }

  /** Moves focus to the first empty field. */
  override focus(): void {
    (this.jidInput?.value ? this.passwordInput : this.jidInput)?.focus();
  }

  protected override render() {
    const t = signInStrings();
    return html`<form part="form" aria-labelledby="heading" @submit=${this.submit} aria-busy=${this.busy ? 'true' : 'false'}>
      <h2 id="heading" part="heading">${t.signInHeading}</h2>
      ${this.service ? html`<p class="hint">${t.signInService(this.service)}</p>` : nothing}
      <label>${t.signInAddressLabel}
        <input part="address" name="jid" type="text" inputmode="email" autocomplete="username" required spellcheck="false"
          .value=${this.jid} ?disabled=${this.busy} aria-invalid=${this.error ? 'true' : 'false'} />
      </label>
      <label>${t.signInPasswordLabel}
        <input part="password" name="password" type="password" autocomplete="current-password" required ?disabled=${this.busy}
          aria-invalid=${this.error ? 'true' : 'false'} aria-describedby=${this.error ? 'error' : nothing} />
      </label>
      <p id="error" part="error" class="error" role="alert">${this.error?.message ?? ''}</p>
      <button part="button" class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? t.signingIn : t.signInButton}</button>
    </form>`;
  }

  private submit(e: SubmitEvent): void {
    e.preventDefault();
    const jid = this.jidInput?.value.trim() ?? '';
    const pw = this.passwordInput;
    const password = pw?.value ?? '';
    if (pw) pw.value = ''; // the password leaves with the event, nowhere else
    if (jid === '' || password === '') return;
    this.jid = jid;
    this.dispatchEvent(new CustomEvent<ImppSignInDetail>('impp-sign-in', { bubbles: true, composed: true, detail: { jid, password } }));
  }
}
