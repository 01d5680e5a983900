// XEP-0198: Stream Management, the sending side — https://xmpp.org/extensions/xep-0198.html §4–5
// Writes stanzas to the current stream (tracked for acks), holds them while reconnecting, resends
// after a resume and hands back what a failed resume lost (BAD-INPUTS "Reliability promise").
import { Subject } from 'rxjs';
import type { XmlElement } from '../../codecs/xml.js';
import type { StreamManagement } from './stream-management.js';
import type { XmppStream } from './stream.js';

/** Outbound stanzas of one session, across its streams. */
export class Outbound {
  /** The stream to write to; undefined while (re)connecting (sends are held). */
  stream: XmppStream | undefined;
  /** Our stanzas as the server acknowledges them, oldest first. */
  readonly acked = new Subject<XmlElement>();
  private held: XmlElement[] = [];
  private ackPending = false;

  constructor(private readonly sm: StreamManagement) {}

  send(stanza: XmlElement): void {
    if (!this.stream) return void this.held.push(stanza);
    if (this.sm.track(stanza)) this.requestAck();
    this.stream.send(stanza);
  }

  /** The server's `<a h/>` (§4). */
  onAck(h: number): void {
    this.ackPending = false;
    this.sm.onAck(h).forEach((s) => this.acked.next(s));
    if (this.sm.unackedCount > 0) this.requestAck();
  }

  /** `<resumed h/>` (§5): acknowledge, resend the rest, then what was held meanwhile. */
  resumed(stream: XmppStream, resumed: XmlElement): void {
    this.stream = stream;
    const { acked, resend } = this.sm.onResumed(resumed);
    acked.forEach((s) => this.acked.next(s));
    resend.forEach((s) => stream.send(s));
    if (resend.length) this.requestAck();
    const held = this.held;
    this.held = [];
    held.forEach((s) => this.send(s));
  }

  /** The stream is gone: hold sends until the next one. */
  suspend(): void {
    this.stream = undefined;
    this.sm.suspend();
    this.ackPending = false;
  }

  /** Held and, with `unacked`, unacknowledged messages/presences (IQs dropped); SM state is reset. */
  takeLost(unacked: boolean): XmlElement[] {
    const sm = this.sm.reset();
    this.ackPending = false;
    const lost = [...(unacked ? sm : []), ...this.held].filter((s) => s.local !== 'iq');
    this.held = [];
    return lost;
  }

  /** One `<r/>` per burst of sends; the next after the `<a/>` if more are unacked. */
  private requestAck(): void {
    if (this.ackPending || !this.stream) return;
    this.ackPending = true;
    queueMicrotask(() => this.stream?.send(this.sm.request()));
  }
}
