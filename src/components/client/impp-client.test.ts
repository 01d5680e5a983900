import { expect, fixture, html } from '@open-wc/testing';
import '../define-all.js';
import { createClient, type ImppClient } from '../../core/index.js';
import { inPage } from '../../core/transports/in-page/index.js';
import { defineAll } from '../index.js';
import { defineElement } from '../define.js';
import { resetStrings, setStrings } from '../strings.js';
import type { ImppStatus } from '../status/impp-status.js';
import { addressOf, signIn, signOut, uniqueChannel, until, eventually, captureWarnings } from '../test-support.js';
import type { ImppClientElement } from './impp-client.js';
import { registerTransportLoader } from './transport-loaders.js';


const connectionText = (status: ImppStatus) => status.shadowRoot!.querySelector('[part=connection]')!.textContent;

describe('<impp-client>', () => {
  it('creates an in-page client from attributes and provides it to descendants (zero JS)', async () => {
    const channel = uniqueChannel('client');
    const el = await fixture<ImppClientElement>(html`
      <impp-client transport="in-page" user="alice" channel=${channel} device="laptop">
        <impp-status></impp-status>
      </impp-client>`);
    const client = await el.whenReady();
    expect(client!.self.id).to.equal(addressOf('alice'));
    const status = el.querySelector('impp-status')!;
    await eventually(() => connectionText(status) === 'Online', 'status never showed Online');
    el.remove();
  });

  it('disconnects a client it created when removed from the DOM', async () => {
    const el = await fixture<ImppClientElement>(
      html`<impp-client transport="in-page" user="carol" channel=${uniqueChannel('client')}></impp-client>`,
    );
    const client = (await el.whenReady())!;
    await until(client.connection$, (c) => c.state === 'online');
    el.remove();
    await until(client.connection$, (c) => c.state === 'offline');
    expect(el.client).to.be.undefined;
  });

  it('provides a client given as a property, and leaves it connected when removed', async () => {
    const client = await signIn('dave', uniqueChannel('client'));
    const el = await fixture<ImppClientElement>(html`<impp-client .client=${client}><impp-status></impp-status></impp-client>`);
    const status = el.querySelector('impp-status')!;
    await eventually(() => connectionText(status) === 'Online');
    el.remove();
    await new Promise((r) => setTimeout(r, 50));
    expect((await until(client.connection$, () => true)).state).to.equal('online');
    await signOut(client);
  });

  it('replaces its own client when given one, and re-creates one when the user changes', async () => {
    const channel = uniqueChannel('client');
    const el = await fixture<ImppClientElement>(html`<impp-client transport="in-page" user="erin" channel=${channel}></impp-client>`);
    const first = (await el.whenReady())!;
    el.user = 'frank';
    const second = (await el.whenReady())!;
    expect(second.self.id).to.equal(addressOf('frank'));
    await until(first.connection$, (c) => c.state === 'offline');
    const mine = await signIn('gina', channel);
    el.client = mine;
    await el.updateComplete;
    await until(second.connection$, (c) => c.state === 'offline');
    expect(el.client).to.equal(mine);
    el.remove();
    await signOut(mine);
  });

  it('warns with a code and shows an error for an unknown transport, without throwing', async () => {
    const warnings = captureWarnings();
    try {
      const el = await fixture<ImppClientElement>(html`<impp-client transport="carrier-pigeon" user="x"><p>hi</p></impp-client>`);
      expect(await el.whenReady()).to.be.undefined;
      expect(el.error?.code).to.equal('component/invalid-attribute');
      const error = el.shadowRoot!.querySelector('[part=error]')!;
      expect(error.getAttribute('role')).to.equal('alert');
      expect(error.textContent).to.contain('carrier-pigeon');
      expect(warnings.messages.some((m) => m.includes('component/invalid-attribute') && m.includes('carrier-pigeon'))).to.be.true;
    } finally {
      warnings.restore();
    }
  });

  it('reports an in-page client without a user as an error, not an exception', async () => {
    const warnings = captureWarnings();
    try {
      const el = await fixture<ImppClientElement>(html`<impp-client transport="in-page"></impp-client>`);
      expect(await el.whenReady()).to.be.undefined;
      expect(el.shadowRoot!.querySelector('[part=error]')!.textContent).to.contain('user');
    } finally {
      warnings.restore();
    }
  });

  it('uses a transport registered with registerTransportLoader (the XMPP hook)', async () => {
    const channel = uniqueChannel('client');
    const seen: (string | undefined)[] = [];
    registerTransportLoader('test-loader', async (ctx) => {
      seen.push(ctx.attribute('user'), ctx.attribute('url'));
      return createClient({ transport: inPage({ user: ctx.attribute('user')!, channel }) });
    });
    const el = await fixture<ImppClientElement>(html`<impp-client transport="test-loader" user="hank" url="wss://example.test/ws"></impp-client>`);
    const client = (await el.whenReady()) as ImppClient;
    expect(client.self.id).to.equal(addressOf('hank'));
    expect(seen).to.deep.equal(['hank', 'wss://example.test/ws']);
    el.remove();
  });

  it('hands credentials from signIn() to the loader once, never via attributes', async () => {
    const channel = uniqueChannel('client');
    const seen: unknown[] = [];
    registerTransportLoader('test-credentials', async (ctx) => {
      seen.push(ctx.credentials);
      if (ctx.credentials === undefined) throw new Error('Sign in with your address and password.');
      return createClient({ transport: inPage({ user: ctx.credentials.jid, channel }) });
    });
    const warnings = captureWarnings();
    try {
      const el = await fixture<ImppClientElement>(html`<impp-client transport="test-credentials"></impp-client>`);
      expect(await el.whenReady()).to.be.undefined;
      const client = await el.signIn({ jid: 'lena', password: 'secret' });
      expect(client!.self.id).to.equal(addressOf('lena'));
      expect(seen).to.deep.equal([undefined, { jid: 'lena', password: 'secret' }]);
      expect([...el.attributes].map((a) => a.value).join(' ')).not.to.contain('secret');
      el.remove();
    } finally {
      warnings.restore();
    }
  });

  it('applies theme="dark" to the components inside it', async () => {
    const client = await signIn('ivy', uniqueChannel('client'));
    const el = await fixture<ImppClientElement>(html`<impp-client theme="dark" .client=${client}><impp-status></impp-status></impp-client>`);
    const status = el.querySelector('impp-status')!;
    await status.updateComplete;
    expect(getComputedStyle(status).colorScheme).to.equal('dark');
    const dark = getComputedStyle(status.shadowRoot!.querySelector('[part=base]')!).backgroundColor;
    el.theme = 'light';
    await el.updateComplete;
    expect(getComputedStyle(status).colorScheme).to.equal('light');
    const light = getComputedStyle(status.shadowRoot!.querySelector('[part=base]')!).backgroundColor;
    expect(dark).to.not.equal(light);
    status.theme = 'dark'; // a component's own theme wins inside its subtree
    await status.updateComplete;
    expect(getComputedStyle(status).colorScheme).to.equal('dark');
    await expect(el).to.be.accessible();
    await signOut(client);
  });

  it('takes its UI text from the strings table', async () => {
    const client = await signIn('jack', uniqueChannel('client'));
    setStrings({ connection: { online: 'Verbunden' } });
    try {
      const el = await fixture<ImppStatus>(html`<impp-status .client=${client}></impp-status>`);
      expect(connectionText(el)).to.equal('Verbunden');
      expect(el.shadowRoot!.textContent).to.contain('Available'); // untouched keys keep their defaults
    } finally {
      resetStrings();
      await signOut(client);
    }
  });

  it('tolerates being defined twice', () => {
    const warnings = captureWarnings();
    try {
      expect(() => defineAll()).not.to.throw();
      expect(() => defineElement('impp-client', class extends HTMLElement {})).not.to.throw();
      expect(warnings.messages.some((m) => m.includes('impp-client'))).to.be.true;
    } finally {
      warnings.restore();
    }
  });

  it('passes axe', async () => {
    const el = await fixture<ImppClientElement>(
      html`<impp-client transport="in-page" user="kim" channel=${uniqueChannel('client')}><impp-status></impp-status></impp-client>`,
    );
    await el.whenReady();
    await expect(el).to.be.accessible();
    el.remove();
  });
});
