// Contact list state and the derived, coalesced buddies$ stream (BAD-INPUTS #37: floods of
// presence updates are coalesced so a 10,000-entry list is rebuilt at most ~30 times a second).
import { Observable, Subject } from 'rxjs';
import { shareLatest } from './share-latest.js';
import type { Buddy } from './client-api.js';
import { offlinePresence, unknownPresence, type Presence } from './presence.js';
import type { PresenceStore } from './presence-store.js';
import type { RosterItem } from './transports/transport.js';

const COALESCE_MS = 32;

export class RosterStore {
  private readonly items = new Map<string, RosterItem>();
  private readonly changed = new Subject<void>();
  private readonly cache = new Map<string, Buddy>();
  readonly buddies$: Observable<readonly Buddy[]>;

  constructor(private readonly presence: PresenceStore) {
    this.buddies$ = new Observable<readonly Buddy[]>((subscriber) => {
      // Leading + trailing throttle: the first change shows at once, a burst at most every
      // COALESCE_MS (hand-rolled: rxjs's throttleTime would add its scheduler to the bundle).
      let timer: ReturnType<typeof setTimeout> | undefined;
      let pending = false;
      const emit = (): void => subscriber.next(this.build());
      const poke = (): void => {
        if (timer !== undefined) {
          pending = true;
          return;
        }
        emit();
        const tick = (): void => {
          timer = pending ? setTimeout(tick, COALESCE_MS) : undefined;
          if (pending) { pending = false; emit(); }
        };
        timer = setTimeout(tick, COALESCE_MS);
      };
      const a = this.changed.subscribe(poke);
      const b = presence.changed$.subscribe((id) => { if (this.items.has(id)) poke(); });
      emit();
      return () => { a.unsubscribe(); b.unsubscribe(); clearTimeout(timer); };
    }).pipe(shareLatest());
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  get(id: string): RosterItem | undefined {
    return this.items.get(id);
  }

  replace(items: readonly RosterItem[]): void {
    this.items.clear();
    for (const item of items) this.items.set(item.address.id, item);
    this.changed.next();
  }

  upsert(item: RosterItem): void {
    this.items.set(item.address.id, item);
    this.changed.next();
  }

  remove(id: string): void {
    if (this.items.delete(id)) this.changed.next();
  }

  /** What we show for a contact before any presence arrived. */
  defaultPresence(item: RosterItem): Presence {
    const canSee = item.subscription === 'to' || item.subscription === 'both';
    return canSee ? offlinePresence(item.address) : unknownPresence(item.address);
  }

  private build(): readonly Buddy[] {
    const out: Buddy[] = [];
    for (const [id, item] of this.items) {
      const presence = this.presence.get(id) ?? this.defaultPresence(item);
      const prev = this.cache.get(id);
      const buddy =
        prev !== undefined && prev.presence === presence && sameItem(prev, item)
          ? prev
          : { address: item.address, name: item.name, groups: item.groups, subscription: item.subscription, pendingOut: item.pendingOut === true, presence };
      this.cache.set(id, buddy);
      out.push(buddy);
    }
    for (const id of this.cache.keys()) if (!this.items.has(id)) this.cache.delete(id);
    return out;
  }
}

function sameItem(b: Buddy, item: RosterItem): boolean {
  return b.name === item.name && b.groups === item.groups && b.subscription === item.subscription && b.pendingOut === (item.pendingOut === true);
}
