// One conversation object per peer: a thin, typed view over the client's stores. Kept apart
// from client.ts so the client stays a dispatcher of events and commands.
import type { Address } from './address.js';
import type { Conversation, OutgoingMessage } from './client-api.js';
import type { ConversationStore } from './conversations.js';
import type { Dedupe } from './dedupe.js';
import type { CommandResult, TransportCommand } from './transports/transport.js';

/** What a conversation needs from its client. */
export interface ConversationHost {
  readonly self: Address;
  readonly online: boolean;
  readonly convos: ConversationStore;
  readonly dedupe: Dedupe;
  send(peer: Address, body: string): OutgoingMessage;
  retry(id: string): void;
  /** Fire-and-forget: failures go to errors$. */
  run(cmd: TransportCommand): void;
  command<C extends TransportCommand>(cmd: C): Promise<CommandResult<C>>;
}

export function createConversation(host: ConversationHost, peer: Address): Conversation {
  const { convos } = host;
  let typingSent = false;
  return {
    peer,
    messages$: convos.messages$(peer.id),
    typing$: convos.typing$(peer.id),
    send: (body) => host.send(peer, body),
    retry: (id) => host.retry(id),
    setTyping(typing) {
      if (typing === typingSent || !host.online) return;
      typingSent = typing;
      host.run({ type: 'typing', to: peer, typing });
    },
    markRead() {
      const last = convos.entries(peer.id).findLast((e) => e.direction === 'in');
      convos.clearUnread(peer.id);
      // XEP-0333 §3: marking the latest message covers every earlier one.
      if (last !== undefined && host.online) host.run({ type: 'mark-read', peer, id: last.message.id });
    },
    async loadOlder(max = 50) {
      const first = convos.entries(peer.id)[0]?.message;
      const older = await host.command({ type: 'history', peer, before: first?.serverId ?? first?.id, max });
      const fresh = older.filter((m) => host.dedupe.first(m));
      convos.prepend(peer.id, fresh.map((message) => {
        const out = message.from.id === host.self.id;
        return { message, direction: out ? 'out' : 'in', delivery: out ? { state: 'sent' } : undefined };
      }));
      return fresh.length;
    },
  };
}
