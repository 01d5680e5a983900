import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { AddBuddyOptions, ImppClient } from '../../core/index.js';
import '../define-all.js';
import type { ImppBuddyAddDetail, ImppSelectDetail, ImppWatcherDecisionDetail } from '../events.js';
import { addressOf, countingClient, signIn, signOut, uniqueChannel, until, XSS, eventually } from '../test-support.js';
import type { ImppBuddyList } from './impp-buddy-list.js';

/** `a` adds `b` (with options) and `b` approves: `a` now sees `b`'s presence. */
async function follow(a: ImppClient, b: ImppClient, options: AddBuddyOptions = {}): Promise<void> {
  await a.addBuddy(b.self, options);
  await until(b.watchers$, (ws) => ws.some((w) => w.address.id === a.self.id && w.state === 'pending'));
  await b.approve(a.self);
}

const root = (el: ImppBuddyList) => el.shadowRoot!;
const options = (el: ImppBuddyList) => [...root(el).querySelectorAll<HTMLElement>('[role=option]')];
const names = (el: ImppBuddyList) => options(el).map((o) => o.querySelector('[part=name]')!.textContent);
const list = (el: ImppBuddyList) => root(el).querySelector<HTMLElement>('[role=listbox]')!;
const key = (el: ImppBuddyList, k: string) => list(el).dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
const activeOption = (el: ImppBuddyList) => root(el).getElementById(list(el).getAttribute('aria-activedescendant') ?? '');

describe('<impp-buddy-list>', () => {
  let channel: string;
  let alice: ImppClient;
  let bob: ImppClient;
  let carol: ImppClient;
  beforeEach(async () => {
    channel = uniqueChannel('buddies');
    [alice, bob, carol] = await Promise.all([signIn('alice', channel), signIn('bob', channel), signIn('carol', channel)]);
  });
  afterEach(() => signOut(alice, bob, carol));

  async function populated(): Promise<ImppBuddyList> {
    await follow(alice, bob, { name: 'Bob', groups: ['Work'] });
    await follow(alice, carol, { name: 'Carol', groups: ['Work'] });
    await alice.addBuddy(addressOf('zed'), { name: 'Zed' }); // never answers: unknown, no group
    await alice.addBuddy(addressOf('amy'), { name: 'Amy', groups: ['Work'] });
    await carol.setPresence({ availability: 'busy', note: 'heads down' });
    await bob.setPresence({ availability: 'away' });
    await until(alice.buddies$, (bs) => bs.find((b) => b.name === 'Carol')?.presence.availability === 'busy' &&
      bs.find((b) => b.name === 'Bob')?.presence.availability === 'away');
    const el = await fixture<ImppBuddyList>(html`<impp-buddy-list .client=${alice}></impp-buddy-list>`);
    await eventually(() => options(el).length === 4, 'rows never rendered');
    return el;
  }

  it('groups by first group (default "Contacts" last) and sorts by availability, then name', async () => {
    const el = await populated();
    const groups = [...root(el).querySelectorAll('[part=group]')].map((g) => g.textContent!.trim());
    expect(groups).to.deep.equal(['Work (3)', 'Contacts (1)']);
    // AVAILABILITIES order: available, away, busy, offline, unknown.
    expect(names(el)).to.deep.equal(['Bob', 'Carol', 'Amy', 'Zed']);
  });

  it('shows presence by icon and text, the note, and "awaiting approval"', async () => {
    const el = await populated();
    const carolRow = options(el).find((o) => o.textContent!.includes('Carol'))!;
    expect(carolRow.querySelector('[part=presence] svg')).to.exist;
    expect(carolRow.querySelector('.presence-text')!.textContent).to.equal('Busy');
    expect(carolRow.querySelector('[part=note]')!.textContent).to.equal('heads down');
    const zed = options(el).find((o) => o.textContent!.includes('Zed'))!;
    expect(zed.textContent).to.contain('Awaiting approval');
    expect(zed.textContent).to.contain('Unknown');
  });

  it('shows unread counts from client.unread$', async () => {
    const el = await populated();
    bob.send(alice.self, 'one');
    bob.send(alice.self, 'two');
    await eventually(() => root(el).querySelector('[part=unread]')?.textContent?.includes('2 unread messages'), 'no unread badge');
    const badge = root(el).querySelector('[part=unread]')!;
    expect(badge.closest('[role=option]')!.textContent).to.contain('Bob');
  });

  it('filters by name or address', async () => {
    const el = await populated();
    const filter = root(el).querySelector<HTMLInputElement>('[part=filter]')!;
    filter.value = 'car';
    filter.dispatchEvent(new Event('input'));
    await el.updateComplete;
    await eventually(() => names(el).length === 1);
    expect(names(el)).to.deep.equal(['Carol']);
    filter.value = 'zed@';
    filter.dispatchEvent(new Event('input'));
    await eventually(() => names(el).join() === 'Zed');
    filter.value = 'nobody-here';
    filter.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(root(el).querySelector('[part=empty]')!.textContent).to.contain('No contacts match');
  });

  it('is a labelled listbox operated with arrows, Home, End and Enter (aria-activedescendant)', async () => {
    const el = await populated();
    const lb = list(el);
    expect(lb.getAttribute('aria-label')).to.equal('Contacts');
    lb.focus();
    lb.dispatchEvent(new FocusEvent('focus')); // a background tab defers the real one
    await el.updateComplete;
    expect(activeOption(el)!.textContent).to.contain('Bob');
    key(el, 'ArrowDown');
    await el.updateComplete;
    expect(activeOption(el)!.textContent).to.contain('Carol');
    expect(activeOption(el)!.getAttribute('aria-selected')).to.equal('true');
    key(el, 'End');
    await el.updateComplete;
    await eventually(() => activeOption(el)?.textContent?.includes('Zed'));
    key(el, 'Home');
    await el.updateComplete;
    expect(activeOption(el)!.textContent).to.contain('Bob');
    key(el, 'ArrowUp'); // stays on the first contact
    await el.updateComplete;
    expect(activeOption(el)!.textContent).to.contain('Bob');
    setTimeout(() => key(el, 'Enter'));
    const event = await oneEvent(document, 'impp-select');
    expect(event.bubbles && event.composed).to.be.true;
    expect((event.detail as ImppSelectDetail).address.id).to.equal(bob.self.id);
  });

  it('emits impp-select on click, and never without a user action', async () => {
    const el = await populated();
    const selected: ImppSelectDetail[] = [];
    el.addEventListener('impp-select', (e) => selected.push(e.detail));
    await carol.setPresence({ availability: 'available' });
    await new Promise((r) => setTimeout(r, 100));
    expect(selected).to.have.length(0);
    options(el).find((o) => o.textContent!.includes('Carol'))!.click();
    expect(selected.map((d) => d.address.id)).to.deep.equal([carol.self.id]);
  });

  it('lists pending subscription requests inline with approve, deny and block', async () => {
    const dave = await signIn('dave', channel);
    const el = await fixture<ImppBuddyList>(html`<impp-buddy-list .client=${alice}></impp-buddy-list>`);
    await bob.addBuddy(alice.self);
    await dave.addBuddy(alice.self);
    await eventually(() => root(el).querySelectorAll('[part=request]').length === 2, 'requests not shown');
    const request = (who: ImppClient) =>
      [...root(el).querySelectorAll<HTMLElement>('[part=request]')].find((r) => r.textContent!.includes(who.self.id))!;
    const button = (r: HTMLElement, label: string) => [...r.querySelectorAll('button')].find((b) => b.textContent === label)!;
    expect(request(bob).getAttribute('role')).to.equal('group');
    setTimeout(() => button(request(bob), 'Approve').click());
    const event = await oneEvent(el, 'impp-watcher-decision');
    expect((event.detail as ImppWatcherDecisionDetail).decision).to.equal('approve');
    await until(alice.watchers$, (ws) => ws.some((w) => w.address.id === bob.self.id && w.state === 'approved'));
    button(request(dave), 'Block').click();
    await until(alice.watchers$, (ws) => ws.some((w) => w.address.id === dave.self.id && w.state === 'blocked'));
    await eventually(() => root(el).querySelectorAll('[part=request]').length === 0);
    await signOut(dave);
  });

  it('adds a contact with the form; an invalid address shows the error inline', async () => {
    const el = await fixture<ImppBuddyList>(html`<impp-buddy-list .client=${alice}></impp-buddy-list>`);
    const address = root(el).querySelector<HTMLInputElement>('[part=add-address]')!;
    const name = root(el).querySelector<HTMLInputElement>('[part=add-name]')!;
    const submit = root(el).querySelector<HTMLButtonElement>('[part=add-button]')!;
    address.value = 'im:nobody';
    submit.click();
    await eventually(() => address.getAttribute('aria-invalid') === 'true');
    const message = root(el).querySelector('#add-message')!;
    expect(message.textContent).to.contain('Invalid address');
    expect(address.getAttribute('aria-describedby')).to.equal('add-message');
    address.value = bob.self.id;
    name.value = 'Bobby';
    setTimeout(() => submit.click());
    const event = await oneEvent(el, 'impp-buddy-add');
    expect((event.detail as ImppBuddyAddDetail).address.id).to.equal(bob.self.id);
    await until(alice.buddies$, (bs) => bs.some((b) => b.name === 'Bobby'));
    await eventually(() => names(el).includes('Bobby'));
    expect(address.getAttribute('aria-invalid')).to.equal('false');
  });

  it('renders hostile names as inert text inside <bdi> (#17, #40, #47)', async () => {
    const hostile = [XSS.img, XSS.svg, XSS.js, XSS.bold, `${XSS.rlo}gnp.elif`];
    for (const [i, n] of hostile.entries()) await alice.addBuddy(addressOf(`x${i}`), { name: n });
    const el = await fixture<ImppBuddyList>(html`<impp-buddy-list .client=${alice}></impp-buddy-list>`);
    await eventually(() => options(el).length === hostile.length);
    expect(root(el).querySelector('[role=listbox] img, [role=listbox] b, [role=listbox] a, svg[onload]')).to.be.null;
    expect([...names(el)].sort()).to.deep.equal([...hostile].sort());
    for (const o of options(el)) expect(o.querySelector('[part=name]')!.localName).to.equal('bdi');
    expect((window as { __impp_xss?: number }).__impp_xss).to.be.undefined;
  });

  describe('with 10,000 contacts', () => {
    const padded = (i: number) => String(i).padStart(5, '0');
    const positions = (el: ImppBuddyList) => options(el).map((o) => Number(o.getAttribute('aria-posinset')));
    /** Whether `row` lies wholly inside the visible part of the scrolling list. */
    const inView = (el: ImppBuddyList, row: Element) => {
      const r = row.getBoundingClientRect();
      const v = list(el).getBoundingClientRect();
      return r.height > 0 && r.top >= v.top - 0.5 && r.bottom <= v.bottom + 0.5;
    };
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
    let el: ImppBuddyList;
    let started: number;
    let mounted: number;
    beforeEach(async function () {
      this.timeout(60_000);
      await Promise.all(Array.from({ length: 10_000 }, (_, i) => alice.addBuddy(addressOf(`u${padded(i)}`), { name: `User ${padded(i)}` })));
      await until(alice.buddies$, (bs) => bs.length === 10_000, 20_000);
      started = performance.now();
      el = await fixture<ImppBuddyList>(html`<impp-buddy-list .client=${alice}></impp-buddy-list>`);
      await eventually(() => options(el).length > 0, 'no rows');
      mounted = performance.now() - started;
      await frame(); // the ResizeObserver has measured the viewport and the rows
      await el.updateComplete;
    });

    it('renders only a window of rows, each with the full set size and its position', () => {
      expect(mounted).to.be.below(3000);
      const shown = options(el);
      expect(shown.length).to.be.within(3, 60);
      expect(shown.every((o) => o.getAttribute('aria-setsize') === '10000')).to.be.true;
      expect(positions(el)).to.deep.equal(shown.map((_, i) => i + 1));
      expect(names(el)[0]).to.equal('User 00000');
      // The spacer gives the list the scroll height of every row.
      expect(list(el).scrollHeight).to.be.above(10_000 * 30);
      expect(inView(el, shown[0]!)).to.be.true;
      // Rows sit edge to edge (measured heights match the CSS ones) and cover the viewport.
      const rows = [...root(el).querySelectorAll('[part~=group], [part~=buddy]')].map((r) => r.getBoundingClientRect());
      rows.slice(1).forEach((r, i) => expect(r.top).to.be.closeTo(rows[i]!.bottom, 0.5));
      expect(rows.at(-1)!.bottom).to.be.above(list(el).getBoundingClientRect().bottom);
    });

    it('renders more rows when the list grows (ResizeObserver)', async () => {
      const before = options(el).length;
      el.style.setProperty('--impp-buddy-list-height', '60rem');
      await eventually(() => options(el).length > before, 'no more rows after a resize');
      await el.updateComplete;
      const rows = options(el);
      expect(rows.at(-1)!.getBoundingClientRect().bottom).to.be.above(list(el).getBoundingClientRect().bottom);
      expect(rows.length).to.be.below(100);
    });

    it('scrolling to the end shows the last contact', async () => {
      list(el).scrollTop = list(el).scrollHeight;
      await eventually(() => positions(el).includes(10_000), 'the last row was never rendered');
      await el.updateComplete;
      const lastRow = options(el).at(-1)!;
      expect(lastRow.textContent).to.contain('User 09999');
      expect(inView(el, lastRow)).to.be.true;
      expect(options(el).length).to.be.below(60);
      const shown = positions(el);
      expect(shown).to.deep.equal(shown.map((_, i) => shown[0]! + i)); // one contiguous window
    });

    it('End and Home move the active row and scroll it into view; the active row stays in the DOM', async () => {
      list(el).focus();
      key(el, 'End');
      await el.updateComplete;
      expect(list(el).getAttribute('aria-activedescendant')).to.equal('row-10000'); // one header, then 10,000 rows
      expect(activeOption(el)!.textContent).to.contain('User 09999');
      expect(activeOption(el)!.getAttribute('aria-posinset')).to.equal('10000');
      await frame();
      expect(inView(el, activeOption(el)!)).to.be.true;
      key(el, 'PageUp');
      await el.updateComplete;
      expect(inView(el, activeOption(el)!)).to.be.true;
      key(el, 'Home');
      await el.updateComplete;
      expect(activeOption(el)!.textContent).to.contain('User 00000');
      expect(list(el).scrollTop).to.equal(0); // its group header is shown too
      // Scrolled away by the user, the active row is still rendered for aria-activedescendant.
      list(el).scrollTop = list(el).scrollHeight;
      await eventually(() => positions(el).includes(10_000));
      expect(activeOption(el)?.getAttribute('aria-posinset')).to.equal('1');
      expect(options(el).length).to.be.below(60);
      await expect(el).to.be.accessible();
    });
  });

  it('mirrors with dir="rtl" (logical properties)', async () => {
    await follow(alice, bob, { name: 'Bob' });
    const lst = await fixture<ImppBuddyList>(html`<impp-buddy-list dir="rtl" .client=${alice}></impp-buddy-list>`);
    await eventually(() => options(lst).length === 1);
    list(lst).focus();
    await lst.updateComplete;
    const row = options(lst)[0]!;
    expect(getComputedStyle(row).borderRightWidth).to.equal('3px');
    expect(getComputedStyle(row).borderLeftWidth).to.equal('0px');
  });

  it('unsubscribes from the client when removed', async () => {
    const counted = countingClient(alice);
    const el = await fixture<ImppBuddyList>(html`<impp-buddy-list .client=${counted.client}></impp-buddy-list>`);
    expect(counted.active()).to.equal(3); // buddies$, unread$, watchers$
    el.remove();
    expect(counted.active()).to.equal(0);
    document.body.append(el);
    await el.updateComplete;
    expect(counted.active()).to.equal(3);
    el.remove();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe in the ${theme} theme (rows, requests, form)`, async () => {
      const el = await populated();
      el.theme = theme;
      await bob.addBuddy(alice.self); // alice sees a request back... only if bob is not already approved
      const dave = await signIn('dave', channel);
      await dave.addBuddy(alice.self);
      await eventually(() => root(el).querySelectorAll('[part=request]').length > 0);
      list(el).focus();
      await el.updateComplete;
      await expect(el).to.be.accessible();
      await signOut(dave);
    });
  }
});
