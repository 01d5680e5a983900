// The client's view of everyone's presence: one map, one change stream. Per-address streams
// and the buddy list are derived from it; transports only feed it through events.
import { Subject } from 'rxjs';
import type { Address } from './address.js';
import { unknownPresence, type Presence } from './presence.js';

export class PresenceStore {
  private readonly byId = new Map<string, Presence>();
  private readonly changed = new Subject<string>();
  /** Ids (`Address.id`) whose presence changed. */
  readonly changed$ = this.changed.asObservable();

  get(id: string): Presence | undefined {
    return this.byId.get(id);
  }

  set(p: Presence): void {
    if (this.byId.get(p.entity.id) === p) return;
    this.byId.set(p.entity.id, p);
    this.changed.next(p.entity.id);
  }

  /** We lost the connection: we can no longer see anyone (RFC 2778 §2.2 "unknown"). */
  forgetAll(entity: (id: string) => Address): void {
    for (const id of [...this.byId.keys()]) this.set(unknownPresence(entity(id)));
  }
}
