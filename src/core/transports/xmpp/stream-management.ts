// XEP-0198: Stream Management — https://xmpp.org/extensions/xep-0198.html
// Counters and the unacked queue only (no socket): the session feeds it and sends what it returns.
// h counts stanzas modulo 2^32 (§4); the server's h acknowledges our stanzas in order.
import { el, type XmlElement } from '../../codecs/xml.js';

export const NS_SM = 'urn:xmpp:sm:3';

const U32 = (n: number): number => n >>> 0;

/** Stream management state of one session, surviving reconnects until a resume fails. */
export class StreamManagement {
  /** SM is on for the current stream (after `<enabled/>` or `<resumed/>`). */
  enabled = false;
  /** Resumption id (§5) when the server allowed resumption. */
  resumeId: string | undefined;
  /** Server's `max` resumption time in seconds, when given. */
  maxSeconds: number | undefined;
  /** Stanzas received and handled on this SM session (the h we report). */
  inbound = 0;
  /** The server's last h: how many of our stanzas it has handled. */
  private acked = 0;
  private unacked: XmlElement[] = [];

  /** `<enable resume="true"/>` (§4). */
  enableRequest(): XmlElement {
    return el('enable', { xmlns: NS_SM, resume: 'true' });
  }

  /** `<enabled/>`: both counters start at zero (§4). */
  onEnabled(enabled: XmlElement): void {
    this.enabled = true;
    this.inbound = 0;
    this.acked = 0;
    this.unacked = [];
    const resume = enabled.attrs['resume'];
    this.resumeId = resume === 'true' || resume === '1' ? enabled.attrs['id'] : undefined;
    const max = Number(enabled.attrs['max']);
    this.maxSeconds = Number.isFinite(max) && max > 0 ? max : undefined;
  }

  /** Counts one inbound stanza (call for message/presence/iq only). */
  countInbound(): void {
    if (this.enabled) this.inbound = U32(this.inbound + 1);
  }

  /** Keeps an outbound stanza until acknowledged; returns false when SM is off (nothing kept). */
  track(stanza: XmlElement): boolean {
    if (!this.enabled) return false;
    this.unacked.push(stanza);
    return true;
  }

  get unackedCount(): number {
    return this.unacked.length;
  }

  /** `<a h/>` answering the server's `<r/>` (§4). */
  answer(): XmlElement {
    return el('a', { xmlns: NS_SM, h: this.inbound });
  }

  /** `<r/>` asking the server for its h. */
  request(): XmlElement {
    return el('r', { xmlns: NS_SM });
  }

  /**
   * Applies the server's h and returns the stanzas it newly acknowledged, oldest first.
   * An h beyond what we sent (a broken server) acknowledges everything we have.
   */
  onAck(h: number): XmlElement[] {
    if (!Number.isInteger(h) || h < 0 || h > 0xffffffff) return [];
    const delta = U32(h - this.acked);
    if (delta > 0x7fffffff) return []; // h behind ours (a huge delta after the wrap): stale, ignore
    const n = Math.min(delta, this.unacked.length);
    this.acked = U32(this.acked + n);
    return this.unacked.splice(0, n);
  }

  /** `<resume h previd/>` (§5), or undefined when this session cannot be resumed. */
  resumeRequest(): XmlElement | undefined {
    return this.resumeId === undefined ? undefined : el('resume', { xmlns: NS_SM, h: this.inbound, previd: this.resumeId });
  }

  /**
   * `<resumed h/>`: drops what the server had, returns `acked` and the stanzas to send again
   * (they stay in the queue: the server counts them anew as they arrive).
   */
  onResumed(resumed: XmlElement): { acked: XmlElement[]; resend: XmlElement[] } {
    this.enabled = true;
    const acked = this.onAck(Number(resumed.attrs['h']));
    return { acked, resend: [...this.unacked] };
  }

  /** The session may no longer be resumed: the next connect starts a new one (see `reset`). */
  forgetResumption(): void {
    this.resumeId = undefined;
  }

  /** Resume failed or a new session starts: SM is off and the unacked stanzas are handed back. */
  reset(): XmlElement[] {
    const lost = this.unacked;
    this.unacked = [];
    this.enabled = false;
    this.resumeId = undefined;
    this.inbound = 0;
    this.acked = 0;
    return lost;
  }

  /** The current stream ended: stop counting until resumed or re-enabled, keep the queue. */
  suspend(): void {
    this.enabled = false;
  }
}
