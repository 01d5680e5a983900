import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { firstValueFrom } from 'rxjs';
import { createClient, room, roomInvitations$, roomNameForBooking, type ImppClient, type RoomInvitation } from '../../core/index.js';
import { inPage } from '../../core/transports/in-page/index.js';
import { addressOf, signIn, signOut, uniqueChannel, until, XSS } from '../test-support.js';
import './define.js';
import type { ImppSession } from './impp-session.js';
import type { ImppSessionLeaveDetail, ImppSessionStartDetail } from '../events.js';

const root = (el: ImppSession) => el.shadowRoot!;
const part = (el: ImppSession, name: string) => root(el).querySelector<HTMLElement>(`[part~=${name}]`);
const parts = (el: ImppSession, name: string) => [...root(el).querySelectorAll<HTMLElement>(`[part~=${name}]`)];
const participant = (el: ImppSession, label: string) =>
  parts(el, 'participant').find((li) => li.querySelector('[part=participant-name]')?.textContent === label);
const bodies = (el: ImppSession) => parts(el, 'body').map((b) => b.textContent);

function type(el: ImppSession, text: string, key: Partial<KeyboardEventInit> = {}): void {
  const box = root(el).querySelector<HTMLTextAreaElement>('#composer')!;
  box.value = text;
  box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, ...key }));
}

async function started(el: ImppSession): Promise<void> {
  await waitUntil(() => part(el, 'start') && !(part(el, 'start') as HTMLButtonElement).disabled, 'the room is known');
  part(el, 'start')!.click();
  await waitUntil(() => part(el, 'leave') !== null && part(el, 'start') === null, 'joined');
}

describe('<impp-session>', () => {
  let channel: string;
  let booking: string;
  let alice: ImppClient, bob: ImppClient, carol: ImppClient;
  beforeEach(async () => {
    channel = uniqueChannel('session');
    booking = `Room 4 / ${channel}`;
    [alice, bob, carol] = await Promise.all([signIn('alice', channel), signIn('bob', channel), signIn('carol', channel)]);
  });
  afterEach(() => signOut(alice, bob, carol));

  const open = (client: ImppClient, extra: { participants?: string; subject?: string; nick?: string } = {}) =>
    fixture<ImppSession>(html`<impp-session .client=${client} booking=${booking}
      participants=${extra.participants ?? `${addressOf('bob')}, ${addressOf('carol')}`}
      subject=${extra.subject ?? 'Design review'} nick=${extra.nick ?? ''}></impp-session>`);

  it('Start joins the booking room, sets the subject and invites every participant, who receive it', async () => {
    const invites = [bob, carol].map((c) => firstValueFrom(roomInvitations$(c)));
    const el = await open(alice);
    const start = oneEvent(el, 'impp-session-start');
    await started(el);
    const event = await start;
    expect(event.bubbles && event.composed).to.be.true;
    const detail = event.detail as ImppSessionStartDetail;
    const name = await roomNameForBooking(booking);
    expect(detail.room.local).to.equal(name);
    expect(detail.invited.map((a) => a.id)).to.deep.equal([addressOf('bob'), addressOf('carol')]);
    const got: RoomInvitation[] = await Promise.all(invites);
    for (const i of got) {
      expect(i.room.id).to.equal(detail.room.id);
      expect(i.from.id).to.equal(alice.self.id);
    }
    await waitUntil(() => part(el, 'subject')?.textContent === 'Design review', 'the subject');
    await waitUntil(() => participant(el, addressOf('bob'))?.textContent?.includes('Invited'), 'bob invited');
    expect(participant(el, 'alice')?.textContent).to.include('(you)');
    expect(participant(el, 'alice')?.textContent).to.include('Moderator');
  });

  it('invitees join with the same booking; everyone sees who joined, with presence in icon and text', async () => {
    const el = await open(alice);
    await started(el);
    const bobEl = await open(bob, { participants: addressOf('alice') });
    await started(bobEl);
    await waitUntil(() => participant(el, 'bob')?.textContent?.includes('Joined'), 'bob joined, for alice');
    await bob.setPresence({ availability: 'away' });
    await waitUntil(() => participant(el, 'bob')?.textContent?.includes('Away'), "bob's presence, for alice");
    const row = participant(el, 'bob')!;
    expect(row.querySelector('[part=presence-icon]')).to.exist;
    await waitUntil(() => participant(el, addressOf('carol'))?.textContent?.includes('Invited'), 'carol invited, not joined');
    await waitUntil(() => participant(bobEl, 'alice')?.textContent?.includes('Available'), 'alice, for bob');
    expect(participant(bobEl, 'alice')!.textContent).to.include('Moderator');
  });

  it("an attendee's session shows the invitation that arrives, and joins with it", async () => {
    const bobEl = await open(bob, { participants: addressOf('alice') });
    await waitUntil(() => part(bobEl, 'start') && !(part(bobEl, 'start') as HTMLButtonElement).disabled, 'the room is known');
    expect(part(bobEl, 'invitation') === null).to.be.true;
    const el = await open(alice);
    await started(el);
    await waitUntil(() => part(bobEl, 'invitation') !== null, 'the invitation');
    expect(part(bobEl, 'invitation')!.textContent).to.include(alice.self.id).and.include('Join the session: Design review');
    expect(part(bobEl, 'start')!.textContent).to.equal('Join session');
    await started(bobEl);
    expect(part(bobEl, 'invitation') === null).to.be.true;
    await waitUntil(() => participant(el, 'bob')?.textContent?.includes('Joined'), 'bob joined');
  });

  it('messages flow both ways: Enter sends, Shift+Enter does not; our message shows its delivery state', async () => {
    const el = await open(alice);
    await started(el);
    const bobEl = await open(bob);
    await started(bobEl);
    type(el, 'first line', { shiftKey: true });
    expect(bodies(el)).to.deep.equal([]);
    type(el, 'Hello room');
    await waitUntil(() => bodies(bobEl).includes('Hello room'), 'bob sees it');
    await waitUntil(() => part(el, 'message-out')?.querySelector('[part=delivery]')?.textContent?.includes('Delivered'), 'delivered');
    const inbound = part(bobEl, 'message-in')!;
    expect(inbound.querySelector('bdi[part=sender]')!.textContent).to.equal('alice');
    expect(inbound.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
    type(bobEl, 'Hi Alice\nsecond line');
    await waitUntil(() => bodies(el).includes('Hi Alice\nsecond line'), 'alice sees the reply, line break kept');
    expect(root(el).querySelector('#composer')!.closest('form')!.querySelector('label')!.textContent).to.equal('Message');
  });

  it('renders markup and bidi controls in subject, nicknames and bodies as inert text', async () => {
    const w = window as { __impp_xss?: number };
    delete w.__impp_xss;
    const el = await open(alice, { subject: XSS.img, nick: XSS.svg });
    await started(el);
    await until(room(alice, await roomNameForBooking(booking)).subject$, (x) => x === XSS.img); // set by the start
    const bobEl = await open(bob, { nick: XSS.rlo });
    await started(bobEl);
    type(bobEl, XSS.bold);
    await waitUntil(() => bodies(el).includes(XSS.bold), 'the body');
    await waitUntil(() => participant(el, XSS.rlo) !== undefined, 'bidi nick');
    for (const v of [el, bobEl]) {
      expect(part(v, 'subject')!.textContent).to.equal(XSS.img);
      expect(root(v).querySelector('img, b, [onload], [onerror]') === null).to.be.true;
      expect([...root(v).querySelectorAll('svg')].every((s) => s.getAttribute('part') === 'presence-icon')).to.be.true;
    }
    expect(participant(bobEl, XSS.svg)!.querySelector('bdi')!.textContent).to.equal(XSS.svg);
    expect(part(el, 'message-in')!.querySelector('bdi[part=sender]')!.textContent).to.equal(XSS.rlo);
    expect(part(el, 'subject')!.querySelector('bdi')).to.exist;
    expect(w.__impp_xss).to.equal(undefined);
  });

  it('lists invalid participants inline (no throw) and still invites the valid ones', async () => {
    const warned: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args.join(' '));
    try {
      const el = await open(alice, { participants: `${addressOf('bob')}, not an address, <b>x</b>@` });
      const error = parts(el, 'error').find((p) => p.textContent!.includes('Not a valid address'))!;
      expect([...error.querySelectorAll('bdi')].map((b) => b.textContent)).to.deep.equal(['not an address', '<b>x</b>@']);
      expect(warned.some((m) => m.includes('component/invalid-attribute'))).to.be.true;
      const invite = firstValueFrom(roomInvitations$(bob));
      await started(el);
      expect((await invite).from.id).to.equal(alice.self.id);
    } finally {
      console.warn = original;
    }
  });

  it('an invitee who never signed in shows "Invitation failed"; a missing booking shows an error', async () => {
    const el = await open(alice, { participants: `${addressOf('bob')}, ${addressOf('nobody')}` });
    await started(el);
    await waitUntil(() => participant(el, addressOf('nobody'))?.textContent?.includes('Invitation failed'), 'the failure');
    expect(participant(el, addressOf('bob'))!.textContent).to.include('Invited');
    const none = await fixture<ImppSession>(html`<impp-session .client=${alice}></impp-session>`);
    expect(parts(none, 'error').map((p) => p.textContent).join()).to.include('No booking id');
    expect((part(none, 'start') as HTMLButtonElement).disabled).to.be.true;
    none.booking = `${booking} (another slot)`; // set later, as a booking page does once a slot is booked
    await waitUntil(() => part(none, 'start') && !(part(none, 'start') as HTMLButtonElement).disabled, 'the room of the new booking');
    expect(parts(none, 'error')).to.have.length(0);
  });

  it('Leave emits impp-session-leave and the others see us go; autostart joins without a click or event', async () => {
    let starts = 0;
    document.addEventListener('impp-session-start', () => starts++);
    const bobEl = await fixture<ImppSession>(html`<impp-session .client=${bob} booking=${booking} autostart></impp-session>`);
    await waitUntil(() => part(bobEl, 'leave') !== null, 'autostarted');
    const el = await open(alice);
    const clicked = oneEvent(el, 'impp-session-start');
    await started(el);
    await clicked;
    expect(starts).to.equal(1, 'only the click fired impp-session-start');
    await waitUntil(() => participant(el, 'bob')?.textContent?.includes('Joined'), 'bob in');
    const left = oneEvent(bobEl, 'impp-session-leave');
    part(bobEl, 'leave')!.click();
    const event = await left;
    expect(event.composed).to.be.true;
    expect((event.detail as ImppSessionLeaveDetail).booking).to.equal(booking);
    await waitUntil(() => participant(el, 'bob') === undefined, 'bob gone for alice');
    expect(part(bobEl, 'status')!.textContent).to.include('You left');
  });

  it('autostart waits for the client to come online, then joins and invites', async () => {
    const late = createClient({ transport: inPage({ user: 'dave', channel }), autoConnect: false });
    try {
      const invite = firstValueFrom(roomInvitations$(bob));
      const el = await fixture<ImppSession>(html`<impp-session .client=${late} booking=${booking} participants=${addressOf('bob')} autostart></impp-session>`);
      await waitUntil(() => part(el, 'status')?.textContent === 'Joining…', 'waiting for the connection');
      await late.connect();
      await waitUntil(() => participant(el, 'dave')?.textContent?.includes('Joined'), 'joined once online');
      expect((await invite).from.id).to.equal(late.self.id);
    } finally {
      await late.disconnect();
    }
  });

  it('a late joiner sees the earlier messages of the session', async () => {
    const el = await open(alice);
    await started(el);
    type(el, 'before you came');
    await waitUntil(() => part(el, 'message-out')?.textContent?.includes('Delivered'), 'delivered');
    const carolEl = await open(carol);
    await started(carolEl);
    await waitUntil(() => bodies(carolEl).includes('before you came'), 'history');
  });

  it('works from the keyboard: Enter on Start joins, typing then Enter sends', async () => {
    const el = await open(alice);
    await waitUntil(() => part(el, 'start') && !(part(el, 'start') as HTMLButtonElement).disabled, 'the room is known');
    part(el, 'start')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'leave') !== null, 'joined by keyboard');
    root(el).querySelector<HTMLTextAreaElement>('#composer')!.focus();
    await sendKeys({ type: 'typed' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => bodies(el).includes('typed'), 'sent by keyboard');
  });

  it('mirrors with dir="rtl": the participant list sits on the inline-start (right) side', async () => {
    const el = await fixture<ImppSession>(html`<impp-session dir="rtl" .client=${alice} booking=${booking}></impp-session>`);
    el.style.inlineSize = '40rem';
    await el.updateComplete;
    const people = part(el, 'participants')!.getBoundingClientRect(), log = part(el, 'log')!.getBoundingClientRect();
    expect(people.left).to.be.greaterThan(log.left);
  });

  it('is accessible, idle and joined, in light and dark', async () => {
    const el = await open(alice);
    await expect(el).to.be.accessible();
    await started(el);
    type(el, 'hello');
    await waitUntil(() => bodies(el).includes('hello'));
    await expect(el).to.be.accessible();
    el.theme = 'dark';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
