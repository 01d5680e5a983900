import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ImppClient } from '../../core/index.js';
import '../define-all.js';
import { ImppError } from '../../core/index.js';
import type { ImppClientElement } from '../client/impp-client.js';
import type { ImppStatusChangeDetail } from '../events.js';
import { countingClient, staged, signIn, signOut, uniqueChannel, until, XSS, eventually, captureWarnings } from '../test-support.js';
import type { ImppStatus } from './impp-status.js';

const $ = <T extends Element>(el: ImppStatus, sel: string) => el.shadowRoot!.querySelector<T>(sel)!;


describe('<impp-status>', () => {
  let client: ImppClient;
  let channel: string;
  beforeEach(async () => {
    channel = uniqueChannel('status');
    client = await signIn('alice', channel);
  });
  afterEach(() => signOut(client));

  it('shows my address, availability (icon and text) and the connection state', async () => {
    await client.setPresence({ availability: 'away', note: 'lunch' });
    const el = await fixture<ImppStatus>(html`<impp-status .client=${client}></impp-status>`);
    expect($(el, '[part=self]').textContent).to.equal(client.self.id);
    expect($(el, '[part=self]').localName).to.equal('bdi');
    expect($<HTMLSelectElement>(el, 'select').value).to.equal('away');
    expect($<HTMLInputElement>(el, '[part=note]').value).to.equal('lunch');
    expect($(el, '[part=presence] svg')).to.exist;
    expect($(el, '[part=presence]').textContent).to.contain('Away');
    expect($(el, '[part=connection]').textContent).to.equal('Online');
  });

  it('publishes a picked availability and emits impp-status-change (bubbling, composed)', async () => {
    const el = await fixture<ImppStatus>(html`<impp-status .client=${client}></impp-status>`);
    const select = $<HTMLSelectElement>(el, 'select');
    select.value = 'busy';
    setTimeout(() => select.dispatchEvent(new Event('change')));
    const event = await oneEvent(document, 'impp-status-change');
    expect(event.bubbles && event.composed).to.be.true;
    expect((event.detail as ImppStatusChangeDetail).availability).to.equal('busy');
    await until(client.selfPresence$, (p) => p.availability === 'busy');
  });

  it('"Invisible" publishes offline', async () => {
    const el = await fixture<ImppStatus>(html`<impp-status .client=${client}></impp-status>`);
    const select = $<HTMLSelectElement>(el, 'select');
    expect([...select.options].find((o) => o.value === 'offline')!.textContent!.trim()).to.equal('Invisible');
    select.value = 'offline';
    select.dispatchEvent(new Event('change'));
    await until(client.selfPresence$, (p) => p.availability === 'offline');
  });

  it('commits the note on Enter once (the blur that follows does not repeat it)', async () => {
    const el = await fixture<ImppStatus>(html`<impp-status .client=${client}></impp-status>`);
    const events: ImppStatusChangeDetail[] = [];
    el.addEventListener('impp-status-change', (e) => events.push(e.detail));
    const input = $<HTMLInputElement>(el, '[part=note]');
    input.focus();
    input.value = 'In a meeting';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    input.blur();
    await until(client.selfPresence$, (p) => p.tuples.some((t) => t.notes[0]?.text === 'In a meeting'));
    expect(events).to.have.length(1);
    expect(events[0]!.note).to.equal('In a meeting');
  });

  it('commits the note on blur; Escape reverts an edit', async () => {
    await client.setPresence({ availability: 'available', note: 'here' });
    const el = await fixture<ImppStatus>(html`<impp-status .client=${client}></impp-status>`);
    const input = $<HTMLInputElement>(el, '[part=note]');
    input.value = 'typo';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await el.updateComplete;
    expect(input.value).to.equal('here');
    input.value = 'gone fishing';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
    await until(client.selfPresence$, (p) => p.tuples.some((t) => t.notes[0]?.text === 'gone fishing'));
  });

  it('emits nothing when presence changes without a user action', async () => {
    const el = await fixture<ImppStatus>(html`<impp-status .client=${client}></impp-status>`);
    let events = 0;
    el.addEventListener('impp-status-change', () => events++);
    await client.setPresence({ availability: 'away', note: 'brb' });
    await eventually(() => $<HTMLSelectElement>(el, 'select').value === 'away');
    expect(events).to.equal(0);
  });

  it('publishes the status and note attributes once online', async () => {
    await fixture<ImppStatus>(html`<impp-status .client=${client} status="busy" note="Do not disturb"></impp-status>`);
    const p = await until(client.selfPresence$, (x) => x.availability === 'busy');
    expect(p.tuples[0]?.notes[0]?.text).to.equal('Do not disturb');
  });

  it('status="bogus" shows an unknown state and warns with a code, without throwing (#46)', async () => {
    const warnings = captureWarnings();
    try {
      const el = await fixture<ImppStatus>(html`<impp-status .client=${client} status="bogus"></impp-status>`);
      const select = $<HTMLSelectElement>(el, 'select');
      expect(select.selectedOptions[0]!.textContent!.trim()).to.equal('Unknown status');
      expect($(el, '[part=presence]').textContent).to.contain('Unknown');
      expect(warnings.messages.some((m) => m.includes('component/invalid-attribute') && m.includes('bogus'))).to.be.true;
    } finally {
      warnings.restore();
    }
  });

  it('renders a hostile note as inert text in an input (#17, #40)', async () => {
    const note = `${XSS.img}${XSS.svg}${XSS.rlo}`;
    await client.setPresence({ availability: 'available', note });
    const el = await fixture<ImppStatus>(html`<impp-status .client=${client}></impp-status>`);
    expect($<HTMLInputElement>(el, '[part=note]').value).to.equal(note);
    expect(el.shadowRoot!.querySelector('img, svg[onload]')).to.be.null;
    expect((window as { __impp_xss?: number }).__impp_xss).to.be.undefined;
  });

  it('shows connecting, reconnecting and a failure with its reason', async () => {
    const offline = staged(client);
    const el = await fixture<ImppStatus>(html`<impp-status .client=${offline.client}></impp-status>`);
    const text = () => $(el, '[part=connection]').textContent;
    expect(text()).to.equal('Offline');
    offline.setConnection({ state: 'connecting' });
    await el.updateComplete;
    expect(text()).to.equal('Connecting…');
    expect(el.shadowRoot!.querySelector('[part=retry]'), 'no "Retry now" unless reconnecting').to.be.null;
    offline.setConnection({ state: 'reconnecting' });
    await el.updateComplete;
    expect(text()).to.equal('Reconnecting…');
    // The reconnect backoff can wait up to 30 s (herd window): "Retry now" calls connect().
    let connects = 0;
    const connect = offline.client.connect;
    (offline.client as { connect: () => Promise<void> }).connect = () => { connects++; return connect(); };
    $<HTMLButtonElement>(el, '[part=retry]').click();
    expect(connects).to.equal(1);
    offline.setConnection({ state: 'failed', error: new ImppError('auth/not-authorized', 'Wrong password for alice.') });
    await el.updateComplete;
    expect(text()).to.equal('Connection failed: Wrong password for alice.');
    expect($(el, '[part=connection]').getAttribute('role')).to.equal('status');
  });

  it('gets its client from <impp-client> and unsubscribes when removed', async () => {
    const counted = countingClient(client);
    const host = await fixture<ImppClientElement>(html`<impp-client .client=${counted.client}><impp-status></impp-status></impp-client>`);
    const el = host.querySelector('impp-status')!;
    await el.updateComplete;
    expect($(el, '[part=connection]').textContent).to.equal('Online');
    expect(counted.active()).to.be.greaterThan(0);
    el.remove();
    expect(counted.active()).to.equal(0);
  });

  it('is keyboard operable: Tab reaches the picker and the note', async () => {
    const el = await fixture<ImppStatus>(html`<impp-status .client=${client}></impp-status>`);
    const select = $<HTMLSelectElement>(el, 'select');
    const input = $<HTMLInputElement>(el, '[part=note]');
    expect(select.tabIndex).to.equal(0);
    expect(input.tabIndex).to.equal(0);
    expect(select.disabled || input.disabled).to.be.false;
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe in the ${theme} theme`, async () => {
      const el = await fixture<ImppStatus>(html`<impp-status .client=${client} theme=${theme}></impp-status>`);
      await expect(el).to.be.accessible();
    });
  }
});
