// A Transport that plays a script instead of a protocol: the real createClient store and the
// real components run on top, with no server and no protocol parsing in the measurement.
import { Subject } from 'rxjs';
import { makePresence, parseAddress, type Address, type Availability, type InstantMessage, type Presence } from '../../src/index.js';
import type { RosterItem, Transport, TransportEvent } from '../../src/core/transports/transport.js';

export const DOMAIN = 'bench.invalid';
const AVAIL: Availability[] = ['available', 'away', 'busy'];

export class ScriptedTransport implements Transport {
  readonly protocol = 'bench';
  readonly self: Address;
  private readonly events = new Subject<TransportEvent>();
  readonly events$ = this.events.asObservable();
  readonly contacts: Address[];
  private presences: Presence[];

  constructor(contacts: number) {
    this.self = parseAddress(`xmpp:me@${DOMAIN}`);
    this.contacts = Array.from({ length: contacts }, (_, i) => parseAddress(`xmpp:user${i}@${DOMAIN}`));
    this.presences = this.contacts.map((a, i) => presenceOf(a, AVAIL[i % 3] ?? 'away', `note ${i}`));
  }

  async connect(): Promise<void> {
    this.events.next({ type: 'connection', state: 'online' });
    const items: RosterItem[] = this.contacts.map((address, i) => ({ address, name: `User ${i}`, groups: [`Group ${i % 20}`], subscription: 'both' }));
    this.events.next({ type: 'roster', items });
    for (const p of this.presences) this.events.next({ type: 'presence', presence: p });
  }

  async disconnect(): Promise<void> {
    this.events.next({ type: 'connection', state: 'offline' });
  }

  async command(): Promise<never> {
    return undefined as never;
  }

  private contact(i: number): Address {
    const a = this.contacts[i];
    if (a === undefined) throw new RangeError(`no contact ${i}`);
    return a;
  }

  /** One presence change of contact `i`. */
  presence(i: number, availability: Availability, note: string): void {
    this.events.next({ type: 'presence', presence: presenceOf(this.contact(i), availability, note) });
  }

  /** One inbound message from contact `i`. */
  message(i: number, id: string, body: string): void {
    const message: InstantMessage = { id, from: this.contact(i), to: this.self, body, contentType: 'text/plain', timestamp: Date.now() };
    this.events.next({ type: 'message', message });
  }
}

function presenceOf(entity: Address, availability: Availability, note: string): Presence {
  return makePresence(entity, [{ id: 'web', status: availability === 'offline' ? 'closed' : 'open', availability, notes: [{ text: note }] }]);
}
