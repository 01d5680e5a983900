import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { createClient, type ImppClient, type Transport, type TransportCommand } from '../../core/index.js';
import { inPage } from '../../core/transports/in-page/index.js';
import '../define-all.js';
import { addressOf, signIn, signOut, uniqueChannel, until, XSS } from '../test-support.js';
import './define.js';
import type { ImppPresence } from './impp-presence.js';
import type { ImppPresenceActionDetail } from '../events.js';
import { presenceTiming } from './presence-source.js';
import { visibilityStats } from './visibility.js';

const LINGER = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const $ = <T extends Element>(el: ImppPresence, sel: string) => el.shadowRoot!.querySelector<T>(sel);

/** Counts the protocol commands a real in-page transport receives, per address. */
function countCommands(transport: Transport) {
  const log: { type: string; id: string }[] = [];
  const wrapped: Transport = {
    self: transport.self,
    protocol: transport.protocol,
    events$: transport.events$,
    connect: (signal) => transport.connect(signal),
    disconnect: () => transport.disconnect(),
    command: ((cmd: TransportCommand) => {
      if ('address' in cmd) log.push({ type: cmd.type, id: cmd.address.id });
      return transport.command(cmd);
    }) as Transport['command'],
  };
  const count = (type: string) => log.filter((c) => c.type === type).length;
  /** Addresses watched now: watches minus unwatches. */
  const watching = () => {
    const net = new Map<string, number>();
    for (const c of log) if (c.type === 'watch' || c.type === 'unwatch') net.set(c.id, (net.get(c.id) ?? 0) + (c.type === 'watch' ? 1 : -1));
    return new Set([...net].filter(([, n]) => n > 0).map(([id]) => id));
  };
  const perAddress = (type: string) => {
    const m = new Map<string, number>();
    for (const c of log) if (c.type === type) m.set(c.id, (m.get(c.id) ?? 0) + 1);
    return m;
  };
  return { transport: wrapped, count, watching, perAddress };
}

function captureWarnings(): { messages: string[]; restore(): void } {
  const original = console.warn;
  const messages: string[] = [];
  console.warn = (...args: unknown[]) => void messages.push(args.map(String).join(' '));
  return { messages, restore: () => (console.warn = original) };
}

const text = (el: ImppPresence) => ($(el, '[part=trigger]')?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<impp-presence>', () => {
  const saved = { ...presenceTiming };
  let channel: string;
  let counted: ReturnType<typeof countCommands>;
  let visitor: ImppClient;
  let staff: ImppClient[];

  /** Signs staff in on the channel; those listed in `approve` let the visitor watch them. */
  async function hire(users: string[], approve = users): Promise<ImppClient[]> {
    const clients = await Promise.all(users.map((u) => signIn(u, channel)));
    await Promise.all(clients.filter((c) => approve.includes(c.self.local)).map((c) => c.approve(visitor.self)));
    staff.push(...clients);
    return clients;
  }

  before(() => Object.assign(presenceTiming, { linger: LINGER, fetchGrace: 100 }));
  after(() => Object.assign(presenceTiming, saved));

  beforeEach(async () => {
    channel = uniqueChannel('presence');
    counted = countCommands(inPage({ user: 'visitor', channel }));
    visitor = createClient({ transport: counted.transport, outbox: 'memory' });
    await until(visitor.connection$, (c) => c.state === 'online');
    staff = [];
  });
  afterEach(() => signOut(visitor, ...staff));

  it('shows the availability as icon AND text, the name in <bdi>, the note only with show-note', async () => {
    const [alice] = await hire(['alice']);
    await alice!.setPresence({ availability: 'away', note: 'Back at 3' });
    const el = await fixture<ImppPresence>(html`<impp-presence .client=${visitor} address=${addressOf('alice')} name="Alice Martin"></impp-presence>`);
    await waitUntil(() => text(el).includes('Away'), 'badge never showed Away');
    expect($(el, '[part=presence-icon]')!.getAttribute('aria-hidden')).to.equal('true');
    expect($(el, '[part=presence]')!.className).to.contain('presence-away');
    expect($(el, '[part=name]')!.localName).to.equal('bdi');
    expect($(el, '[part=name]')!.textContent).to.equal('Alice Martin');
    expect($(el, '[part=note]')).to.be.null;
    el.showNote = true;
    await waitUntil(() => $(el, '[part=note]')?.textContent === 'Back at 3');
    expect($(el, '[part=note]')!.localName).to.equal('bdi');
  });

  it('1,000 badges over 50 addresses hold exactly 50 watches, released after removal + linger', async () => {
    const live = Array.from({ length: 5 }, (_, i) => `staff${i}`);
    await hire(live);
    const ids = Array.from({ length: 50 }, (_, i) => addressOf(i < 5 ? `staff${i}` : `nobody${i}`));
    const before = visibilityStats().tracked;
    // 40 × 25 cells of 20×12 px: every badge is on screen.
    const grid = await fixture<HTMLDivElement>(html`<div
      style="display:grid;grid-template-columns:repeat(40,20px);grid-auto-rows:12px;inline-size:800px;overflow:hidden">
      ${Array.from({ length: 1000 }, (_, i) => html`<impp-presence .client=${visitor} address=${ids[i % 50]!}
        style="display:block;overflow:hidden;font-size:8px"></impp-presence>`)}
    </div>`);
    await waitUntil(() => counted.watching().size === 50, `watching ${counted.watching().size} of 50`, { timeout: 5000 });
    await sleep(300); // late duplicates would show up here
    const watches = counted.perAddress('watch');
    expect(watches.size).to.equal(50);
    expect([...watches.values()].every((n) => n === 1)).to.be.true;
    expect(visibilityStats().observers).to.equal(1);
    expect(visibilityStats().tracked - before).to.equal(1000);
    // The 45 addresses we may not watch fall back to ONE fetch each, shared by their 20 badges.
    await waitUntil(() => counted.count('fetch') === 45, `${counted.count('fetch')} fetches`, { timeout: 5000 });
    await sleep(200);
    expect(counted.count('fetch')).to.equal(45);
    const badges = [...grid.querySelectorAll('impp-presence')];
    await waitUntil(() => badges.slice(0, 5).every((b) => text(b).includes('Available')), 'live badges never showed Available');
    console.log(`[impp-presence] 1,000 badges / 50 addresses: ${counted.count('watch')} watches, ${counted.count('fetch')} fetches`);

    // Re-creating the badges within the linger costs nothing.
    const parent = grid.parentNode!;
    grid.remove();
    parent.appendChild(grid);
    await sleep(LINGER / 2);
    expect(counted.count('watch')).to.equal(50);
    expect(counted.count('unwatch')).to.equal(0);

    grid.remove();
    await sleep(LINGER / 2);
    expect(counted.count('unwatch'), 'still lingering').to.equal(0);
    await waitUntil(() => counted.count('unwatch') === 50, `${counted.count('unwatch')} unwatches`, { timeout: 3000 });
    expect(counted.watching().size).to.equal(0);
    expect(visibilityStats().tracked).to.equal(before);
  });

  it('subscribes only while on screen: scrolling a fixed-height scroller moves the watches', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => addressOf(`row${i}`));
    const scroller = await fixture<HTMLDivElement>(html`<div style="block-size:120px;overflow:auto">
      ${ids.map((id) => html`<div style="block-size:40px"><impp-presence .client=${visitor} address=${id}></impp-presence></div>`)}
    </div>`);
    const rowsWatched = () => [...counted.watching()].map((id) => ids.indexOf(id)).sort((a, b) => a - b);
    await waitUntil(() => counted.watching().size >= 3, 'the visible rows were not watched');
    await sleep(150);
    expect(rowsWatched().slice(0, 3)).to.deep.equal([0, 1, 2]);
    expect(Math.max(...rowsWatched())).to.be.lessThan(4);
    scroller.scrollTop = scroller.scrollHeight;
    await waitUntil(() => counted.watching().has(ids[29]!), 'the last row was not watched after scrolling');
    expect(counted.watching().has(ids[0]!), 'lingering after scrolling away').to.be.true;
    await waitUntil(() => Math.min(...rowsWatched()) > 25, `rows ${rowsWatched().join()} still watched`, { timeout: 3000 });
    expect(Math.max(...rowsWatched())).to.equal(29);
    expect(counted.perAddress('watch').size, 'rows scrolled past never watched').to.be.lessThan(12);
  });

  it('follows the page scroll: far-away badges are parked, and watched once scrolled to', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => addressOf(`page${i}`));
    const tall = await fixture<HTMLDivElement>(html`<div>
      ${ids.map((id) => html`<div style="block-size:100px"><impp-presence .client=${visitor} address=${id}></impp-presence></div>`)}
    </div>`);
    scrollTo(0, 0);
    await waitUntil(() => counted.watching().has(ids[0]!), 'the top row was not watched');
    await waitUntil(() => visibilityStats().parked > 100, `only ${visibilityStats().parked} parked`);
    expect(counted.watching().has(ids[150]!)).to.be.false;
    const target = tall.children[150]!.getBoundingClientRect().top + scrollY;
    scrollTo(0, target);
    await waitUntil(() => counted.watching().has(ids[150]!), 'a parked badge scrolled into view was never watched');
    await waitUntil(() => !counted.watching().has(ids[0]!), 'the top row was never released', { timeout: 3000 });
    expect(counted.watching().size, 'watches follow the viewport').to.be.lessThan(20);
    scrollTo(0, 0);
  });

  it('falls back to one shared fetch per address when we may not subscribe, and says so in the card', async () => {
    const [bob] = await hire(['bob'], []); // bob does not approve the visitor
    await bob!.setPresence({ availability: 'busy', note: 'In a call' });
    const render = () => fixture<HTMLDivElement>(html`<div>
      ${[1, 2, 3].map(() => html`<impp-presence .client=${visitor} address=${addressOf('bob')}></impp-presence>`)}
    </div>`);
    let host = await render();
    const badges = () => [...host.querySelectorAll('impp-presence')];
    await waitUntil(() => badges().every((b) => text(b).includes('Busy')), 'fetched presence never shown');
    expect(counted.perAddress('fetch').get(addressOf('bob'))).to.equal(1);
    const first = badges()[0]!;
    $<HTMLButtonElement>(first, '[part=trigger]')!.click();
    await first.updateComplete;
    expect($(first, '[part=card]')!.textContent).to.match(/Checked at/);
    host.remove();
    await sleep(LINGER + 100); // the watch is gone; the fetch is still fresh (TTL)
    host = await render();
    await waitUntil(() => badges().every((b) => text(b).includes('Busy')));
    expect(counted.perAddress('fetch').get(addressOf('bob'))).to.equal(1);
    expect(counted.perAddress('watch').get(addressOf('bob'))).to.equal(2);
  });

  it('updates live, emitting nothing, when the presentity changes', async () => {
    const [carol] = await hire(['carol']);
    const el = await fixture<ImppPresence>(html`<impp-presence .client=${visitor} address=${addressOf('carol')}></impp-presence>`);
    let events = 0;
    el.addEventListener('impp-chat-request', () => events++);
    el.addEventListener('impp-session-request', () => events++);
    await waitUntil(() => text(el).includes('Available'));
    await carol!.setPresence({ availability: 'busy' });
    await waitUntil(() => text(el).includes('Busy'), 'badge never showed Busy');
    expect(events).to.equal(0);
    expect(counted.count('fetch')).to.equal(0);
  });

  it('lists every device (tuple) with its availability and note in the card', async () => {
    await hire(['dave']);
    const phone = createClient({ transport: inPage({ user: 'dave', channel, device: 'phone' }), outbox: 'memory' });
    staff.push(phone);
    await until(phone.connection$, (c) => c.state === 'online');
    await phone.setPresence({ availability: 'away', note: 'On the train' });
    const el = await fixture<ImppPresence>(html`<impp-presence .client=${visitor} address=${addressOf('dave')} name="Dave"></impp-presence>`);
    $<HTMLButtonElement>(el, '[part=trigger]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelectorAll('[part=device]').length === 2, 'two devices never listed');
    const phoneRow = [...el.shadowRoot!.querySelectorAll('[part=device]')].find((d) => d.textContent!.includes('phone'))!;
    expect(phoneRow.textContent).to.contain('Away');
    expect(phoneRow.textContent).to.contain('On the train');
  });

  it('renders hostile names and notes as inert text inside <bdi> (BAD-INPUTS #17, #40, #47)', async () => {
    const hostile = `${XSS.img}${XSS.svg}${XSS.rlo}`;
    const [eve] = await hire(['eve']);
    await eve!.setPresence({ availability: 'available', note: hostile });
    const el = await fixture<ImppPresence>(html`<impp-presence .client=${visitor} address=${addressOf('eve')} name=${hostile} show-note></impp-presence>`);
    await waitUntil(() => $(el, '[part=note]')?.textContent === hostile, 'note never shown');
    $<HTMLButtonElement>(el, '[part=trigger]')!.click();
    await el.updateComplete;
    await sleep(50); // an injected onerror/onload would have run by now
    const root = el.shadowRoot!;
    expect(root.querySelector('img, script, svg[onload], [onerror]')).to.be.null;
    expect($(el, '[part=name]')!.textContent).to.equal(hostile);
    expect($(el, '[part=card-title]')!.localName).to.equal('bdi');
    expect($(el, '[part=card-title]')!.textContent).to.equal(hostile);
    expect($(el, '[part=card-note] bdi')!.textContent).to.equal(hostile);
    expect((window as { __impp_xss?: number }).__impp_xss).to.be.undefined;
  });

  it('an invalid address shows an inert error state and warns with a code, without throwing (#46)', async () => {
    const warnings = captureWarnings();
    try {
      const el = await fixture<ImppPresence>(html`<impp-presence .client=${visitor} address="not an address" name="Zed"></impp-presence>`);
      expect($(el, '[part=error]')!.textContent).to.contain('Invalid address');
      expect($(el, '[part=trigger]')).to.be.null;
      expect(warnings.messages.some((m) => m.includes('component/invalid-attribute') && m.includes('not an address'))).to.be.true;
      const missing = await fixture<ImppPresence>(html`<impp-presence .client=${visitor}></impp-presence>`);
      expect($(missing, '[part=error]')).to.exist;
      await sleep(100);
      expect(counted.count('watch') + counted.count('fetch')).to.equal(0);
      el.address = addressOf('fixed');
      await waitUntil(() => counted.watching().has(addressOf('fixed')), 'a corrected address was never watched');
      expect($(el, '[part=trigger]')).to.exist;
    } finally {
      warnings.restore();
    }
  });

  it('keyboard: Tab opens the card, Tab reaches its buttons, Escape closes it and returns focus', async () => {
    await hire(['fay']);
    const wrap = await fixture<HTMLDivElement>(html`<div>
      <button id="before">before</button>
      <impp-presence .client=${visitor} address=${addressOf('fay')} name="Fay"></impp-presence>
      <button id="after">after</button>
    </div>`);
    const el = wrap.querySelector('impp-presence')!;
    const card = () => $<HTMLElement>(el, '[part=card]');
    wrap.querySelector<HTMLButtonElement>('#before')!.focus();
    await sendKeys({ press: 'Tab' });
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part=trigger]'));
    expect(card()!.getAttribute('role')).to.equal('dialog');
    expect(card()!.matches(':popover-open')).to.be.true;
    expect($(el, '[part=trigger]')!.getAttribute('aria-expanded')).to.equal('true');
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part=chat-button]'));
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(card()).to.be.null;
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part=trigger]'));
    expect($(el, '[part=trigger]')!.getAttribute('aria-expanded')).to.equal('false');
    await sendKeys({ press: 'Enter' }); // reopens
    await el.updateComplete;
    expect(card()).to.exist;
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' }); // past "Start session": out of the badge
    await sleep(20);
    await el.updateComplete;
    expect(document.activeElement!.id).to.equal('after');
    expect(card()).to.be.null;
  });

  it('hovering opens the card; leaving closes it', async () => {
    await hire(['gus']);
    const el = await fixture<ImppPresence>(html`<impp-presence .client=${visitor} address=${addressOf('gus')} name="Gus"></impp-presence>`);
    const r = $(el, '[part=trigger]')!.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(r.left + 5), Math.round(r.top + r.height / 2)] });
    await waitUntil(() => $(el, '[part=card]') !== null, 'hover never opened the card');
    await sendMouse({ type: 'move', position: [700, 580] });
    await waitUntil(() => $(el, '[part=card]') === null, 'leaving never closed the card');
  });

  it('"Chat" and "Start session" emit impp-chat-request / impp-session-request (bubbling, composed)', async () => {
    await hire(['hal']);
    const el = await fixture<ImppPresence>(html`<impp-presence .client=${visitor} address=${'xmpp:Hal@In-Page.Invalid'}></impp-presence>`);
    $<HTMLButtonElement>(el, '[part=trigger]')!.click();
    await el.updateComplete;
    setTimeout(() => $<HTMLButtonElement>(el, '[part=chat-button]')!.click());
    const chat = await oneEvent(document, 'impp-chat-request');
    expect(chat.bubbles && chat.composed).to.be.true;
    expect((chat.detail as ImppPresenceActionDetail).address.id).to.equal(addressOf('hal'));
    $<HTMLButtonElement>(el, '[part=trigger]')!.click();
    await el.updateComplete;
    setTimeout(() => $<HTMLButtonElement>(el, '[part=session-button]')!.click());
    const session = await oneEvent(document, 'impp-session-request');
    expect((session.detail as ImppPresenceActionDetail).address.id).to.equal(addressOf('hal'));
  });

  it('gets its client from <impp-client>', async () => {
    await hire(['ivy']);
    const host = await fixture(html`<impp-client .client=${visitor}><impp-presence address=${addressOf('ivy')}></impp-presence></impp-client>`);
    const el = host.querySelector('impp-presence')!;
    await waitUntil(() => text(el).includes('Available'), 'no presence through the context');
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe in the ${theme} theme, with the card open`, async () => {
      const [jo] = await hire(['jo']);
      await jo!.setPresence({ availability: 'away', note: 'Lunch' });
      const el = await fixture<ImppPresence>(html`<impp-presence .client=${visitor} address=${addressOf('jo')} name="Jo" show-note theme=${theme}></impp-presence>`);
      await waitUntil(() => text(el).includes('Away'));
      await expect(el).to.be.accessible();
      $<HTMLButtonElement>(el, '[part=trigger]')!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  }
});
