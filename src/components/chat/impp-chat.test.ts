import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ImppClient } from '../../core/index.js';
import '../define-all.js';
import type { ImppSendDetail } from '../events.js';
import { addressOf, befriend, countingClient, signIn, signOut, uniqueChannel, until, XSS, eventually, captureWarnings } from '../test-support.js';
import type { ImppChat } from './impp-chat.js';

const root = (el: ImppChat) => el.shadowRoot!;
const messages = (el: ImppChat) => [...root(el).querySelectorAll<HTMLElement>('[part~=message]')];
const composer = (el: ImppChat) => root(el).querySelector<HTMLTextAreaElement>('#composer')!;
const log = (el: ImppChat) => root(el).querySelector<HTMLElement>('[part=log]')!;

function type(el: ImppChat, text: string, key?: Partial<KeyboardEventInit>): void {
  const box = composer(el);
  box.value = text;
  box.dispatchEvent(new Event('input'));
  if (key) box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, ...key }));
}


describe('<impp-chat>', () => {
  let channel: string;
  let alice: ImppClient;
  let bob: ImppClient;
  beforeEach(async () => {
    channel = uniqueChannel('chat');
    [alice, bob] = await Promise.all([signIn('alice', channel), signIn('bob', channel)]);
    await befriend(alice, bob, { a: 'Alice', b: 'Bob' });
  });
  afterEach(() => signOut(alice, bob));

  const open = (client = alice, peer = bob.self.id) =>
    fixture<ImppChat>(html`<impp-chat .client=${client} peer=${peer}></impp-chat>`);

  it('sends with Enter (Shift+Enter does not) and emits impp-send, bubbling and composed', async () => {
    const el = await open();
    type(el, 'line one', { shiftKey: true });
    expect(messages(el)).to.have.length(0);
    const sent = oneEvent(document, 'impp-send');
    type(el, 'Hello Bob', {});
    const event = await sent;
    expect(event.bubbles && event.composed).to.be.true;
    const detail = event.detail as ImppSendDetail;
    expect(detail.body).to.equal('Hello Bob');
    expect(detail.retry).to.be.false;
    expect(composer(el).value).to.equal('');
    await eventually(() => messages(el).length === 1);
    const msg = messages(el)[0]!;
    expect(msg.querySelector('[part=sender]')!.textContent).to.equal('You');
    expect(msg.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(msg.querySelector('[part=body]')!.textContent).to.equal('Hello Bob');
    await until(bob.inbox$, (m) => m.body === 'Hello Bob').catch(() => undefined); // may already be there
    await until(bob.conversation(alice.self).messages$, (es) => es.some((e) => e.message.body === 'Hello Bob'));
  });

  it('does not send an empty composer, and the button sends too', async () => {
    const el = await open();
    type(el, '   ', {});
    await el.updateComplete;
    expect(messages(el)).to.have.length(0);
    composer(el).value = 'via button';
    root(el).querySelector<HTMLButtonElement>('[part=send]')!.click();
    await eventually(() => messages(el).length === 1);
  });

  it('shows the delivery state as icon and text, up to read when the peer reads', async () => {
    const el = await open();
    type(el, 'Are you there?', {});
    const state = () => messages(el)[0]?.querySelector('[part=delivery]');
    await eventually(() => /Delivered|Read/.test(state()?.textContent ?? ''), 'never delivered');
    expect(state()!.querySelector('[aria-hidden=true]')!.textContent).to.match(/✓/);
    bob.conversation(alice.self).markRead();
    await eventually(() => state()?.textContent?.includes('Read'), 'never read');
  });

  it('shows inbound messages with the sender name in <bdi> and announces only the latest', async () => {
    const el = await open();
    const convo = bob.conversation(alice.self);
    convo.send('first');
    await eventually(() => messages(el).length === 1);
    convo.send('second');
    await eventually(() => messages(el).length === 2);
    const sender = messages(el)[1]!.querySelector('[part=sender]')!;
    expect(sender.localName).to.equal('bdi');
    expect(sender.textContent).to.equal('Bob');
    const live = root(el).querySelector('[aria-live=polite]')!;
    await eventually(() => live.textContent === 'Bob: second', 'the latest was never announced');
    expect(log(el).getAttribute('aria-live')).to.be.null; // the log itself is not re-announced
  });

  it('announces a stream of inbound messages at most once a second, ending with the latest', async () => {
    const el = await open();
    const live = root(el).querySelector('[aria-live=polite]')!;
    const said: string[] = [];
    new MutationObserver(() => said.push(live.textContent!)).observe(live, { subtree: true, characterData: true, childList: true });
    const convo = bob.conversation(alice.self);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      convo.send(`burst ${i}`);
      await new Promise((r) => setTimeout(r, 50)); // one message per 50 ms: 20 emissions in a second
    }
    await eventually(() => messages(el).length === 20);
    await eventually(() => live.textContent === 'Bob: burst 19', 'the latest was never announced', 3000);
    const seconds = Math.ceil((performance.now() - t0) / 1000); // ~1 s, more on a busy machine
    expect(new Set(said).size, said.join(' | ')).to.be.at.most(Math.min(10, seconds + 1));
  });

  it('separates days', async () => {
    const el = await open();
    bob.send(alice.self, 'today');
    await eventually(() => messages(el).length === 1);
    expect(root(el).querySelector('[part=day]')!.textContent).to.equal('Today');
  });

  it('shows the peer typing and tells the peer when we type', async () => {
    const el = await open();
    bob.conversation(alice.self).setTyping(true);
    await eventually(() => root(el).querySelector('[part=typing]')!.textContent === 'Bob is typing…', 'no typing indicator');
    const bobSees = bob.conversation(alice.self).typing$;
    type(el, 'hel');
    await until(bobSees, (t) => t);
    type(el, 'hello', {});
    await until(bobSees, (t) => !t);
  });

  it('links only allowlisted URLs, with rel="noopener noreferrer" (#40)', async () => {
    const el = await open();
    bob.send(alice.self, 'go https://example.com/x javascript:alert(1) data:text/html,hi mailto:a@example.com xmpp:c@example.com');
    await eventually(() => messages(el).length === 1);
    const links = [...messages(el)[0]!.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['https://example.com/x', 'mailto:a@example.com', 'xmpp:c@example.com']);
    for (const a of links) {
      expect(a.rel).to.equal('noopener noreferrer');
      expect(a.target).to.equal('_blank');
    }
    expect(messages(el)[0]!.textContent).to.contain('javascript:alert(1)');
  });

  it('renders markup and bidi controls in bodies and names as inert text (#17, #24, #40)', async () => {
    await alice.addBuddy(bob.self, { name: `${XSS.img}${XSS.rlo}` });
    const el = await open();
    const body = `${XSS.img} ${XSS.svg} ${XSS.bold} ${XSS.rlo}`;
    bob.send(alice.self, body);
    await eventually(() => messages(el).length === 1);
    const msg = messages(el)[0]!;
    expect(msg.querySelector('[part=body]')!.textContent).to.equal(body);
    await eventually(() => msg.querySelector('[part=sender]')!.textContent === `${XSS.img}${XSS.rlo}`);
    expect(root(el).querySelector('img, b, svg[onload]')).to.be.null;
    expect((window as { __impp_xss?: number }).__impp_xss).to.be.undefined;
  });

  it('collapses a very large body behind "Show more" (#42)', async () => {
    const el = await open();
    const big = `${'lorem ipsum '.repeat(5000)}THE END`; // ~60 KB
    bob.send(alice.self, big);
    await eventually(() => messages(el).length === 1);
    const body = () => messages(el)[0]!.querySelector('[part=body]')!;
    const toggle = () => messages(el)[0]!.querySelector<HTMLButtonElement>('[part=show-more]')!;
    expect(body().textContent!.length).to.be.below(4200);
    expect(toggle().getAttribute('aria-expanded')).to.equal('false');
    toggle().click();
    await el.updateComplete;
    expect(body().textContent).to.equal(big);
    expect(toggle().getAttribute('aria-expanded')).to.equal('true');
  });

  it('keeps a refused (too large) message in the composer with the reason (#42)', async () => {
    const el = await open();
    type(el, 'x'.repeat(70_000), {});
    await el.updateComplete;
    expect(root(el).querySelector('#composer-error')!.textContent).to.contain('64 KiB');
    expect(composer(el).value).to.have.length(70_000);
    expect(messages(el)).to.have.length(0);
  });

  it('shows a failed message with its reason and retries the same message', async () => {
    const ghost = addressOf('ghost');
    const el = await open(alice, ghost);
    type(el, 'boo', {});
    await eventually(() => messages(el)[0]?.querySelector('[part=retry]'), 'never failed');
    const first = messages(el)[0]!;
    expect(first.querySelector('[part=delivery]')!.textContent).to.contain('Failed');
    expect(first.querySelector('[part=delivery]')!.textContent).to.contain('ghost');
    const id = first.dataset['id'];
    const g = await signIn('ghost', channel);
    setTimeout(() => first.querySelector<HTMLButtonElement>('[part=retry]')!.click());
    const event = await oneEvent(el, 'impp-send');
    expect((event.detail as ImppSendDetail).retry).to.be.true;
    expect((event.detail as ImppSendDetail).id).to.equal(id);
    const received = await until(g.conversation(alice.self).messages$, (es) => es.length > 0);
    expect(received[0]!.message.id).to.equal(id); // the same message, not a copy
    expect(messages(el)).to.have.length(1);
    await signOut(g);
  });

  it('peer="not an address" shows an error and warns with a code, without throwing (#46)', async () => {
    const warnings = captureWarnings();
    try {
      const el = await open(alice, 'not an address');
      const error = root(el).querySelector('[part=error]')!;
      expect(error.getAttribute('role')).to.equal('alert');
      expect(error.textContent).to.contain('Invalid address');
      expect(warnings.messages.some((m) => m.includes('component/invalid-attribute'))).to.be.true;
      expect(composer(el).disabled).to.be.true;
      el.peer = bob.self.id; // recovers once the peer is valid
      await el.updateComplete;
      expect(root(el).querySelector('[part=error]')).to.be.null;
      expect(composer(el).disabled).to.be.false;
    } finally {
      warnings.restore();
    }
  });

  it('opens the conversation when peer is set after the element is connected, and switches on change', async () => {
    const el = await fixture<ImppChat>(html`<impp-chat .client=${alice}></impp-chat>`);
    expect(composer(el).disabled).to.be.true;
    bob.send(alice.self, 'from bob');
    el.peer = bob.self.id;
    await eventually(() => messages(el).some((m) => m.textContent!.includes('from bob')), 'bob\'s conversation never opened');
    el.peer = addressOf('ghost');
    await eventually(() => messages(el).length === 0);
    expect(composer(el).disabled).to.be.false;
  });

  it('unsubscribes when removed mid-send, and the client still delivers (#48)', async () => {
    const counted = countingClient(alice);
    const el = await open(counted.client);
    expect(counted.active()).to.be.greaterThan(0);
    type(el, 'sent while leaving', {});
    el.remove();
    expect(counted.active()).to.equal(0);
    await until(bob.conversation(alice.self).messages$, (es) => es.some((e) => e.message.body === 'sent while leaving'));
    await until(alice.conversation(bob.self).messages$, (es) => es.some((e) => e.delivery?.state === 'delivered' || e.delivery?.state === 'read'));
  });

  it('keeps to the newest message, or offers "New messages" when scrolled up', async () => {
    const el = await open();
    el.style.setProperty('--impp-chat-height', '16rem');
    const convo = bob.conversation(alice.self);
    for (let i = 0; i < 30; i++) convo.send(`message ${i}`);
    await eventually(() => messages(el).length === 30);
    await el.updateComplete;
    const lg = log(el);
    await eventually(() => lg.scrollHeight - lg.scrollTop - lg.clientHeight < 24, 'not at the bottom');
    lg.scrollTop = 0;
    lg.dispatchEvent(new Event('scroll'));
    convo.send('while away');
    await eventually(() => root(el).querySelector('[part=new-messages]'), 'no "New messages" button');
    expect(lg.scrollTop).to.equal(0);
    root(el).querySelector<HTMLButtonElement>('[part=new-messages]')!.click();
    await el.updateComplete;
    expect(lg.scrollHeight - lg.scrollTop - lg.clientHeight).to.be.below(24);
    expect(root(el).querySelector('[part=new-messages]')).to.be.null;
  });

  it('marks messages read while on screen in a visible page (clears unread, sends read receipts)', async () => {
    // Two test files share the browser, so this page may be a background tab: pretend it is in front.
    const visibility = Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState')!;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    try {
      bob.send(alice.self, 'unread before opening');
      await until(alice.unread$, (u) => (u.get(bob.self.id) ?? 0) === 1);
      await open();
      await until(alice.unread$, (u) => (u.get(bob.self.id) ?? 0) === 0);
      await until(bob.conversation(alice.self).messages$, (es) => es.some((e) => e.delivery?.state === 'read'));
    } finally {
      Object.defineProperty(document, 'visibilityState', visibility);
      delete (document as { visibilityState?: unknown }).visibilityState;
    }
  });

  it('does not mark read while off screen, and does once the user focuses the chat', async () => {
    // (A Lit fixture: a plain wrapper would wait for an animation frame, which a background tab never gets.)
    const chat = await fixture<ImppChat>(html`<impp-chat style="margin-top: 300vh" .client=${alice} peer=${bob.self.id}></impp-chat>`);
    bob.send(alice.self, 'are you there?');
    await eventually(() => messages(chat).length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect((await until(alice.unread$, () => true)).get(bob.self.id)).to.equal(1);
    composer(chat).focus();
    composer(chat).dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true })); // deferred in a background tab
    await until(alice.unread$, (u) => (u.get(bob.self.id) ?? 0) === 0);
  });

  it('opening on an empty log loads the last page of history once; a new conversation shows no "Load older" control', async () => {
    // A conversation with no history at all: nothing to load, no control, no "No older messages".
    const fresh = await open(alice, 'nobody-yet@in-page.invalid');
    await eventually(() => root(fresh).querySelector('.older') === null && messages(fresh).length === 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(root(fresh).querySelector('.older'), 'nothing older than an empty conversation').to.be.null;
    expect(root(fresh).querySelector('.empty')?.textContent).to.equal('No messages yet.');

    bob.send(alice.self, 'old one');
    bob.send(alice.self, 'old two');
    await until(alice.conversation(bob.self).messages$, (es) => es.length === 2);
    const again = await signIn('alice', channel); // a reload: an empty log, the history on the server
    try {
      const el = await open(again);
      await eventually(() => messages(el).length === 2, 'history not loaded on open');
      expect(root(el).querySelector('.empty')).to.be.null;
      expect(messages(el).map((m) => m.querySelector('[part=body]')!.textContent)).to.deep.equal(['old one', 'old two']);
      // Two messages for a page of 50: the archive has nothing older.
      await eventually(() => root(el).querySelector('.older')?.textContent?.includes('No older messages') === true);
      expect(root(el).querySelector('[part=load-older]')).to.be.null;
      bob.send(alice.self, 'new');
      await eventually(() => messages(el).length === 3);
      expect(messages(el).at(-1)!.querySelector('[part=body]')!.textContent).to.equal('new');
    } finally {
      await signOut(again);
    }
  });

  it('formats times without a new Intl.DateTimeFormat per row (100 messages)', async () => {
    const Real = Intl.DateTimeFormat;
    let made = 0;
    Intl.DateTimeFormat = new Proxy(Real, { construct: (t, args) => (made++, Reflect.construct(t, args)) });
    try {
      const el = await open();
      const convo = bob.conversation(alice.self);
      for (let i = 0; i < 100; i++) convo.send(`message ${i}`);
      await eventually(() => messages(el).length === 100);
      await el.updateComplete;
      expect(made, 'one formatter per locale and style at most').to.be.at.most(2);
    } finally {
      Intl.DateTimeFormat = Real;
    }
  });

  it('templates again only the rows that changed: a delivery change does not redo the log', async () => {
    const el = await open();
    const convo = bob.conversation(alice.self);
    for (let i = 0; i < 100; i++) convo.send(`message ${i}`);
    await eventually(() => messages(el).length === 100);
    await el.updateComplete;
    // Every templating of a row computes its <time datetime> once.
    const real = Date.prototype.toISOString;
    let rows = 0;
    Date.prototype.toISOString = function (this: Date) {
      rows++;
      return real.call(this);
    };
    try {
      type(el, 'ours', {});
      const state = () => messages(el)[100]?.querySelector('[part=delivery]')?.textContent ?? '';
      await eventually(() => /Delivered|Read/.test(state()), 'never delivered');
      await el.updateComplete;
    } finally {
      Date.prototype.toISOString = real;
    }
    // queued → sent → delivered (maybe read): a handful of renders of one row, not 100 rows each.
    expect(rows).to.be.below(10);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe in the ${theme} theme`, async () => {
      const el = await fixture<ImppChat>(html`<impp-chat .client=${alice} peer=${addressOf('ghost')} theme=${theme}></impp-chat>`);
      type(el, 'will fail: https://example.com', {});
      await eventually(() => messages(el)[0]?.querySelector('[part=retry]'), 'never failed');
      const other = await fixture<ImppChat>(html`<impp-chat .client=${alice} peer=${bob.self.id} theme=${theme}></impp-chat>`);
      bob.send(alice.self, `hello ${'long '.repeat(1000)}`);
      type(other, 'hi', {});
      await eventually(() => messages(other).length === 2);
      await expect(el).to.be.accessible();
      await expect(other).to.be.accessible();
    });
  }
});
