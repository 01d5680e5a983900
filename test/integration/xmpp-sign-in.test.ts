// Drop-in XMPP: <impp-client transport="xmpp"> loads the XMPP chunk on demand, asks for the
// password with an accessible form (never an attribute), signs in against the real Prosody,
// shows auth failures without retrying, and signs out.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/define-all.js';
import type { ImppClientElement } from '../../src/components/client/impp-client.js';
import { newAccount, prosody } from './xmpp-helpers.js';

const until = async (ok: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

function form(el: ImppClientElement) {
  const signIn = el.shadowRoot!.querySelector('impp-sign-in');
  const root = signIn?.shadowRoot;
  return {
    signIn,
    jid: root?.querySelector<HTMLInputElement>('input[name="jid"]'),
    password: root?.querySelector<HTMLInputElement>('input[name="password"]'),
    error: root?.querySelector('[part="error"]')?.textContent ?? '',
    submit(password: string) {
      this.password!.value = password;
      root!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    },
  };
}

describe('<impp-client transport="xmpp"> sign-in (Chromium ↔ Prosody)', () => {
  it('asks for the password, refuses a wrong one once, signs in with the right one and signs out', async () => {
    const { wsUrl } = await prosody();
    const account = await newAccount();
    const el = await fixture<ImppClientElement>(html`
      <impp-client transport="xmpp" service=${wsUrl} jid=${account.jid}><impp-status></impp-status></impp-client>`);
    await until(() => form(el).password != null);
    const f = form(el);
    expect(f.jid!.value).to.equal(account.jid);
    expect(el.hasAttribute('password')).to.equal(false);
    await expect(f.signIn!).to.be.accessible();

    form(el).submit('wrong password');
    await until(() => form(el).error !== '' && !form(el).signIn!.hasAttribute('busy'));
    expect(form(el).error).to.match(/password|authori/i);
    expect(el.client).to.equal(undefined);
    expect(form(el).password!.value, 'the password field is cleared').to.equal('');

    form(el).submit(account.password);
    await until(() => el.client !== undefined && el.shadowRoot!.querySelector('impp-sign-in') === null);
    const client = el.client!;
    await until(() => {
      let state = '';
      client.connection$.subscribe((c) => (state = c.state)).unsubscribe();
      return state === 'online';
    });
    expect(client.self.id).to.equal(account.jid);

    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="sign-out"]')!.click();
    await until(() => form(el).password != null);
    expect(el.client).to.equal(undefined);
    let after = '';
    client.connection$.subscribe((c) => (after = c.state)).unsubscribe();
    expect(after).to.equal('offline');
  });

  it('refuses a password given as an attribute', async () => {
    const { wsUrl } = await prosody();
    const el = await fixture<ImppClientElement>(html`
      <impp-client transport="xmpp" service=${wsUrl} jid="nobody@localhost" password="leaked"></impp-client>`);
    await el.whenReady();
    await until(() => el.error !== undefined);
    expect(el.error!.message).to.match(/never put a password in an attribute/i);
    expect(el.client).to.equal(undefined);
  });
});
