// XEP-0198 §4: a message is `sent` once the server acknowledged it (`<a h/>`), not when it was
// written: a written stanza can die with the link, so the outbox keeps it until the ack.
// https://xmpp.org/extensions/xep-0198.html
import type { Observable, Subscription } from 'rxjs';
import type { XmlElement } from '../../codecs/xml.js';
import { ImppError } from '../../errors.js';

/** What acknowledgement tracking needs of a session (all optional: fakes may lack XEP-0198). */
export interface AckSource {
  /** Our stanzas as the server acknowledges them, oldest first. */
  readonly acked$?: Observable<XmlElement>;
  /** XEP-0198 is on for the current stream. */
  readonly smEnabled?: boolean;
}

const MAX_IDS = 10_000;

/** Promises settled by XEP-0198 acks; see {@link AckSource}. */
export function deliveryAcks(session: AckSource) {
  const pending = new Map<XmlElement, { resolve: () => void; reject: (e: ImppError) => void }>();
  const owned = new WeakSet<XmlElement>();
  /** Message ids the server acknowledged in this XEP-0198 session (it survives resumes)… */
  let ackedIds = new Set<string>();
  /** …and in the earlier sessions of this page. */
  let earlier = new Set<string>();
  const add = (set: Set<string>, id: string) => {
    set.add(id);
    if (set.size > MAX_IDS) set.delete(set.values().next().value!);
  };
  const sub: Subscription | undefined = session.acked$?.subscribe((s) => {
    const id = s.attrs['id'];
    if (id !== undefined && owned.has(s)) add(ackedIds, id);
    pending.get(s)?.resolve();
    pending.delete(s);
  });
  const rejectAll = (stanzas: Iterable<XmlElement>, error: ImppError) => {
    for (const s of stanzas) {
      pending.get(s)?.reject(error);
      pending.delete(s);
    }
  };

  return {
    /** Resolves once `stanza` (just handed to the link) is acknowledged; at once without XEP-0198. */
    confirm(stanza: XmlElement): Promise<void> {
      owned.add(stanza);
      if (session.acked$ === undefined || !session.smEnabled) return Promise.resolve();
      return new Promise((resolve, reject) => pending.set(stanza, { resolve, reject }));
    },
    /** `current`: the server acknowledged message `id` in this XEP-0198 session; `earlier`: in a previous one. */
    acked: (id: string): 'current' | 'earlier' | undefined => (ackedIds.has(id) ? 'current' : earlier.has(id) ? 'earlier' : undefined),
    /**
     * A failed resume or session handed these back: their sends reject with `transport/closed`
     * (the outbox keeps the messages and sends them again). Returns the stanzas not ours.
     */
    lost(stanzas: readonly XmlElement[]): XmlElement[] {
      rejectAll(stanzas, new ImppError('transport/closed', 'The server did not acknowledge the message before the session ended; it stays queued and is sent again.'));
      return stanzas.filter((s) => !owned.has(s));
    },
    /** A new session: acks of the old one no longer say what the server holds. */
    newSession(): void {
      if (earlier.size === 0) [earlier, ackedIds] = [ackedIds, earlier];
      else ackedIds.forEach((id) => add(earlier, id));
      ackedIds = new Set();
    },
    /** The server may have lost state (a restart): earlier acks no longer say it has anything. */
    forgetEarlier(): void {
      earlier = new Set();
    },
    /** The session ended (offline or failed): nothing pending will be acknowledged. */
    abandon(): void {
      rejectAll([...pending.keys()], new ImppError('client/disconnected', 'Disconnected before the server acknowledged the message; it stays queued.'));
    },
    dispose: (): void => sub?.unsubscribe(),
  };
}
