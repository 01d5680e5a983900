/**
 * Instant messages (RFC 2778 §2.3, shaped like CPIM, RFC 3862) and delivery states
 * (RFC 2779 §4.2).
 * @module
 */
import { customAlphabet } from 'nanoid';
import type { Address } from './address.js';
import type { ImppError } from './errors.js';

/** An instant message, inbound or outbound. `id` is unique per sender. */
export interface InstantMessage {
  readonly id: string;
  readonly from: Address;
  readonly to: Address;
  readonly body: string;
  /** MIME type of `body`; anything but text is still shown as text. Default `text/plain`. */
  readonly contentType: string;
  /** Milliseconds since the epoch: the sender's time when trusted, else arrival time. */
  readonly timestamp: number;
  readonly thread?: string;
  /** Server-assigned id (XEP-0359 stanza-id) when the server is trusted to assign it. */
  readonly serverId?: string;
  /** False when the transport could not verify `from` (RFC 3862 §6.1, BAD-INPUTS #22). */
  readonly verified?: boolean;
}

/** Where an outgoing message is: queued → sent → delivered → read, or failed. */
export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

/** The delivery state of one outgoing message, with the reason when it failed. */
export interface Delivery {
  readonly state: DeliveryState;
  readonly error?: ImppError;
}

const ORDER: Record<DeliveryState, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** True when a move from `from` to `to` is progress (states never go backwards). */
export function isProgress(from: DeliveryState, to: DeliveryState): boolean {
  if (from === 'failed') return to !== 'failed'; // a retry may revive a failed message
  return ORDER[to] > ORDER[from];
}

/** Largest body `send()` accepts, in UTF-8 bytes (BAD-INPUTS #42). */
export const MAX_BODY_BYTES = 64 * 1024;

/** URL-safe message ids (nanoid alphabet, 21 chars ≈ 126 bits). */
export const newMessageId: () => string = customAlphabet(
  'useandom26T198340PX75pxJACKVERYMINDBUSHWOLFGQZbfghjklqvwyzrict',
  21,
);
