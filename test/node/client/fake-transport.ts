// A fake Transport port for client unit tests (a unit test may fake a port): it records
// commands and lets the test push events and decide each command's outcome.
import { Subject } from 'rxjs';
import { parseAddress, type Address } from '../../../src/core/address.js';
import { ImppError } from '../../../src/core/errors.js';
import type { CommandResult, Transport, TransportCommand, TransportEvent } from '../../../src/core/transports/transport.js';

export class FakeTransport implements Transport {
  readonly protocol = 'fake';
  roomDomain?: string = 'rooms.example.com';
  readonly self: Address;
  readonly events = new Subject<TransportEvent>();
  readonly events$ = this.events.asObservable();
  readonly commands: TransportCommand[] = [];
  online = false;
  /** Decides a command's outcome; default resolves with undefined. */
  handler: (cmd: TransportCommand) => Promise<unknown> = async () => undefined;
  /** Times `command` was called, for timing assertions (marble tests set it). */
  now: () => number = () => 0;
  readonly log: Array<{ t: number; type: string }> = [];

  constructor(self = 'alice@example.com') {
    this.self = parseAddress(self);
  }

  async connect(): Promise<void> {
    this.online = true;
    this.events.next({ type: 'connection', state: 'online' });
  }

  async disconnect(): Promise<void> {
    this.online = false;
    this.events.next({ type: 'connection', state: 'offline' });
  }

  /** Simulates a dropped link (the transport reconnects later). */
  drop(): void {
    this.online = false;
    this.events.next({ type: 'connection', state: 'reconnecting', error: new ImppError('transport/closed', 'gone') });
  }

  command<C extends TransportCommand>(cmd: C): Promise<CommandResult<C>> {
    this.commands.push(cmd);
    this.log.push({ t: this.now(), type: cmd.type });
    if (!this.online) return Promise.reject(new ImppError('client/disconnected', 'offline'));
    return this.handler(cmd) as Promise<CommandResult<C>>;
  }

  count(type: TransportCommand['type']): number {
    return this.commands.filter((c) => c.type === type).length;
  }
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
