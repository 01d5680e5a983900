// The XMPP binding of the Transport port: RFC 6121 modules composed over a session's
// StanzaLink. Login (RFC 6121 §2.2, §4.2): roster, then carbons + blocklist, then presence.
import { Subject, type Observable } from 'rxjs';
import type { Address } from '../../address.js';
import type { XmlElement } from '../../codecs/xml.js';
import { ImppError } from '../../errors.js';
import type { InstantMessage } from '../../message.js';
import type {
  CommandResult, ConnectionState, PresenceUpdate, Transport, TransportCommand, TransportEvent,
} from '../transport.js';
import { deliveryAcks, type AckSource } from './acks.js';
import { capsElement } from './caps.js';
import { archiveCatchUp, type CatchUpLimits, type CursorStore } from './catch-up.js';
import { cursorStore } from './local-store.js';
import { activeState } from './chat-states.js';
import { bareJid } from './jid.js';
import type { StanzaLink } from './link.js';
import { attach, type Modules } from './modules.js';
import { MARKERS_NS, RECEIPTS_NS, receiptFor, receiptRequest, receiptsOnShow } from './receipts.js';

/** What the transport needs of a session: a link, its lifecycle and (optionally) XEP-0198 acks. */
export interface SessionPort extends AckSource {
  /** Lifecycle: `online` each time a stream is ready (`resumed` when XEP-0198 kept the session). */
  readonly status$: Observable<{ readonly state: ConnectionState; readonly resumed?: boolean; readonly error?: ImppError }>;
  /** The current link (valid once `connect` resolved). */
  readonly link: StanzaLink | undefined;
  /** Stanzas the server may not have received when a session could not be resumed. */
  readonly unacked$?: Observable<readonly XmlElement[]>;
  connect(signal?: AbortSignal): Promise<void>;
  disconnect(): Promise<void>;
}

/** How long a login waits for the archive to say whether it kept our place. */
const VERDICT_MS = 5000;
/** Archive losses seen by this realm's clients (when localStorage is unavailable). */
const LOSSES = new Map<string, string>();

/** Options of {@link xmppTransport} beyond the session's. */
export interface XmppTransportOptions {
  /** This device's presence priority, 0..1 (mapped to XMPP −128..127). */
  readonly priority?: number;
  /** XEP-0045 service of group sessions (`room(client, name)`); default `conference.<domain>`. */
  readonly mucService?: string;
  /**
   * XEP-0313 catch-up after each new (not resumed) session: bounds, and where the last archive
   * id and the recently shown message keys are kept (default: localStorage, else memory).
   * `false` turns it off. `losses` keeps when a session last found that the archive lost our
   * place (a server restart): repeats of messages confirmed before then go out again (`send`).
   */
  readonly catchUp?: false | { readonly limits?: Partial<CatchUpLimits>; readonly cursors?: CursorStore; readonly seen?: CursorStore; readonly losses?: CursorStore };
}

/**
 * Builds the XMPP transport over a session. Exposed for tests (a fake session); apps use
 * `xmppWebSocket()`.
 */
export function xmppTransport(session: SessionPort, self: Address, opts: XmppTransportOptions = {}): Transport {
  const events = new Subject<TransportEvent>();
  const roomDomain = opts.mucService ?? `conference.${bareJid(self).domain}`;
  // Message id → archive id, so `history({ before })` accepts either (XEP-0313 pages by archive id).
  const archiveIds = new Map<string, string>();
  const remember = (m: InstantMessage) => {
    if (m.serverId === undefined) return;
    archiveIds.set(m.id, m.serverId);
    if (archiveIds.size > 10_000) archiveIds.delete(archiveIds.keys().next().value!);
  };
  const emit = (e: TransportEvent) => {
    if (e.type === 'message') remember(e.message);
    events.next(e);
  };
  const report = (error: unknown) => emit({ type: 'error', error: ImppError.from(error, 'transport/unsupported', 'An XMPP login step failed.') });
  let mods: Modules | undefined;
  let link: StanzaLink | undefined;
  let online = false;
  let published: PresenceUpdate = { availability: 'available' };
  // XEP-0198: a `send` resolves on the server's ack. After a failed resume (§5) the outbox's
  // unacknowledged messages are rejected back to it (it sends them again, same ids, in order);
  // other messages (room traffic) are resent here once the new session is logged in.
  const acks = deliveryAcks(session);
  let unacked: XmlElement[] = [];
  // Receipts and markers too: they are not archived (receipts.ts), so one lost with a session
  // leaves its message `sent` at the sender, which then offers it again after every reload.
  const worthResending = (s: XmlElement) => s.local === 'message'
    && s.children.some((c) => typeof c !== 'string' && (c.local === 'body' || c.ns === RECEIPTS_NS || c.ns === MARKERS_NS));
  session.unacked$?.subscribe((lost) => unacked.push(...acks.lost(lost).filter(worthResending)));
  // XEP-0313 catch-up: live messages wait behind the archived ones of each new session.
  const { due: receiptDue, shown } = receiptsOnShow((r) => link?.send(r));
  const account = bareJid(self).id;
  const gate = archiveCatchUp(emit, { account, shown, ...(opts.catchUp || {}) });
  const losses = (opts.catchUp || undefined)?.losses ?? cursorStore('impp-kit:archive-lost:', LOSSES);
  /** This session's archive still had our place: what earlier sessions got acknowledged is stored. */
  let archiveIntact = false;
  let sessions = 0;
  // Inbound messages only: what we sent from elsewhere is history (`loadOlder`), not news.
  const catchUp = (m: Modules, l: StanzaLink, onIntact: (intact: boolean) => void) => gate.run(m.mam, ({ inner, message }) => {
    if (message === undefined || message.from.id === bareJid(self).id) return undefined;
    const reply = receiptFor(inner);
    try {
      if (reply) l.send(reply); // the sender still waits for it
    } catch { /* the next session catches up again */ }
    const e: TransportEvent = { type: 'message', message };
    return m.roomish(e) ? undefined : e;
  }, onIntact).then((error) => error && emit({ type: 'error', error }));

  let caps: Promise<XmlElement | undefined> | undefined;
  let capsEl: XmlElement | undefined;
  const extras = () => (capsEl ? [capsEl] : []);
  const login = async (l: StanzaLink): Promise<void> => {
    mods?.dispose();
    link = l;
    if (opts.catchUp !== false) gate.hold();
    mods = attach(l, emit, { ...opts, extras, published: () => published, roomDomain, live: gate.live, receiptDue, shown }); // synchronously: no stanza slips by
    caps ??= capsElement();
    await mods.roster.fetch(); // RFC 6121 §2.2: before initial presence
    capsEl = await caps;
    await Promise.all([mods.carbons.enable().catch(report), mods.block.fetch().catch(report)]);
    // §4.2 initial presence; invisible (`offline`) sends none, so the server treats us as unavailable.
    if (published.availability !== 'offline') mods.pres.send(published);
    const resend = unacked;
    unacked = [];
    resend.forEach((m) => l.send(m));
    // After initial presence: anything archived later reaches us live (and waits behind this).
    // Online only once the archive said whether it kept our place (the outbox's repeats need it).
    // (bounded: a link lost meanwhile may keep the archive's answer away for long).
    const no = sessions;
    const intact = opts.catchUp !== false && await new Promise<boolean>((verdict) => {
      const t = setTimeout(() => verdict(false), VERDICT_MS);
      void catchUp(mods!, l, (v) => void (clearTimeout(t), verdict(v)));
    });
    if (no === sessions) archiveIntact = intact;
    if (!intact) {
      acks.forgetEarlier(); // what earlier sessions got acknowledged may be gone
      losses.set(account, String(Date.now())); // and so may what earlier pages did
    }
  };
  let loggingIn: Promise<void> | undefined;
  /** The current session's login finished (its archive verdict is in). */
  let loggedIn = true;

  let linkUp = false;
  session.status$.subscribe(({ state, resumed, error }) => {
    linkUp = state === 'online';
    if (state !== 'online') {
      online = false;
      if (state !== 'reconnecting') {
        mods?.pres.reset();
        mods?.muc.reset();
        acks.abandon(); // the outbox keeps what was not acknowledged
        gate.stop();
      }
      emit({ type: 'connection', state, ...(error ? { error } : {}) });
      return;
    }
    const l = session.link;
    if (l === undefined) return;
    // A resumed link is online at once, unless its session's login has not finished: until the
    // archive's verdict, a repeat could be taken as kept by the server and skipped (#6).
    if (resumed && mods && link === l) return void (loggedIn && ((online = true), emit({ type: 'connection', state: 'online' })));
    acks.newSession();
    archiveIntact = false;
    sessions++;
    mods?.pres.reset();
    mods?.muc.reset(); // room presence died with the session; the core rejoins
    const no = sessions;
    loggedIn = false;
    loggingIn = login(l).finally(() => void (no === sessions && (loggedIn = true))).then(
      // Online unless the link was lost meanwhile (its resume brings us online) or replaced.
      () => void (linkUp && no === sessions && ((online = true), emit({ type: 'connection', state: 'online' }))),
      (e) => {
        if (no !== sessions) return; // a newer session's IQs replaced ours (they were rejected): its login decides
        const error = ImppError.from(e, 'transport/stream-error', 'The XMPP login (roster fetch) failed.');
        emit({ type: 'connection', state: 'failed', error });
        throw error;
      },
    );
    loggingIn.catch(() => undefined);
  });

  const run = async (cmd: TransportCommand, m: Modules): Promise<unknown> => {
    switch (cmd.type) {
      // RFC 6121 §3.1.1: only an approved subscription shows presence, and it arrives by itself.
      // Watching never asks anyone for anything (a portal badge must not send a contact
      // request); presence of someone we are not subscribed to stays `unknown`.
      case 'watch':
      case 'unwatch':
        return;
      case 'fetch': {
        const a = bareJid(cmd.address);
        const sub = m.roster.get(a)?.subscription;
        return m.pres.snapshot(a, a.id === self.id || sub === 'to' || sub === 'both');
      }
      case 'publish':
        published = { availability: cmd.availability, ...(cmd.note ? { note: cmd.note } : {}) };
        m.pres.send(published);
        return m.muc.presence();
      case 'approve': return m.subs.approve(bareJid(cmd.address));
      case 'deny': return m.subs.deny(bareJid(cmd.address));
      case 'block': return m.block.block(bareJid(cmd.address));
      case 'unblock': return m.block.unblock(bareJid(cmd.address));
      case 'add-buddy': {
        const a = bareJid(cmd.address);
        await m.roster.set(a, cmd.name, cmd.groups);
        const item = m.roster.get(a);
        if (item?.subscription !== 'to' && item?.subscription !== 'both' && !item?.pendingOut) {
          m.subs.subscribe(a);
          m.roster.pending(a);
        }
        return;
      }
      case 'remove-buddy': return m.roster.remove(bareJid(cmd.address));
      case 'send': {
        // A repeat of what the server acknowledged in this XEP-0198 session (a resume kept it), or
        // in an earlier one when our archive kept our place (no restart lost it; a local peer
        // catches up from its own archive): the server has it. Otherwise it goes out again.
        // The same holds for a repeat confirmed (`confirmedAt`, maybe by an earlier page) after
        // the last time a session found the archive lost our place (or could not tell: every
        // such session records one), so a message is repeated once per loss, not on every
        // reconnect of a session whose own catch-up found the loss (#6: repeat storms).
        const acked = acks.acked(cmd.message.id);
        const kept = cmd.message.to.domain === self.domain && ((acked === 'earlier' && archiveIntact)
          || (cmd.confirmedAt !== undefined && cmd.confirmedAt > Number(losses.get(account) ?? 0)));
        if (acked === 'current' || kept) return 'kept';
        m.receipts.track(cmd.message.id, cmd.message.to);
        await acks.confirm(m.messages.send(cmd.message, ...receiptRequest(), activeState()));
        return cmd.confirmedAt === undefined ? undefined : 'repeated';
      }
      case 'typing': return m.chat.send(cmd.to, cmd.typing);
      case 'mark-read': return m.receipts.markRead(cmd.peer, cmd.id);
      case 'history': {
        const before = cmd.before === undefined ? undefined : archiveIds.get(cmd.before) ?? cmd.before;
        const page = await m.mam.history(cmd.peer, cmd.max, before);
        page.forEach(remember);
        return page;
      }
      case 'room-join': return m.muc.join(cmd.room, cmd.nick, cmd.history);
      case 'room-leave': return m.muc.leave(cmd.room);
      case 'room-send': return m.muc.send(cmd.room, cmd.message);
      case 'room-subject': return m.muc.subject(cmd.room, cmd.subject);
      case 'room-invite': return m.invites.invite(cmd.room, cmd.addresses, cmd.reason);
    }
  };

  /** The next `online` (resolves) or `failed`/`offline` (rejects) connection event. */
  const settled = () => new Promise<void>((resolve, reject) => {
    const sub = events.subscribe((e) => {
      if (e.type !== 'connection' || e.state === 'reconnecting' || e.state === 'connecting') return;
      queueMicrotask(() => sub.unsubscribe());
      if (e.state === 'online') resolve();
      else reject(e.error ?? new ImppError('client/disconnected', 'The XMPP session ended while logging in.'));
    });
  });

  return {
    self: bareJid(self),
    protocol: 'xmpp',
    roomDomain,
    events$: events.asObservable(),
    async connect(signal?: AbortSignal): Promise<void> {
      try {
        await session.connect(signal);
        await loggingIn;
        if (!online) await settled(); // the link was lost while logging in: its resume or next login decides
      } catch (e) {
        throw ImppError.from(e, 'transport/unreachable', 'Could not connect to the XMPP service.');
      }
    },
    async disconnect(): Promise<void> {
      online = false;
      await session.disconnect().catch(() => undefined);
    },
    async command<C extends TransportCommand>(cmd: C): Promise<CommandResult<C>> {
      if (!online || mods === undefined) throw new ImppError('client/disconnected', `Cannot ${cmd.type} while the XMPP transport is offline; connect first.`);
      try {
        return (await run(cmd, mods)) as CommandResult<C>;
      } catch (e) {
        throw ImppError.from(e, 'transport/stream-error', `The XMPP ${cmd.type} command failed.`);
      }
    },
  };
}
