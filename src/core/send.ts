// Validation of an outgoing message before it enters the outbox: bad input becomes a failed
// message with a typed error, never an exception (BAD-INPUTS #42).
import { parseAddress, bareAddress, type Address } from './address.js';
import type { AddressLike } from './client-api.js';
import { ImppError } from './errors.js';
import { MAX_BODY_BYTES, newMessageId, type InstantMessage } from './message.js';

const encoder = new TextEncoder();

export type Prepared = { message: InstantMessage } | { message: InstantMessage; error: ImppError };

/** Builds the message to send to `input`, or a failed one saying why it cannot be sent. */
export function prepareMessage(self: Address, input: AddressLike, body: unknown): Prepared {
  const base = { id: newMessageId(), from: self, contentType: 'text/plain', timestamp: Date.now() };
  let to: Address;
  try {
    to = bareAddress(parseAddress(input));
  } catch (e) {
    // `to` is unknown; the message never enters a conversation.
    return { message: { ...base, to: self, body: String(body ?? '') }, error: ImppError.from(e, 'address/invalid', 'Invalid recipient address.') };
  }
  if (typeof body !== 'string') {
    return { message: { ...base, to, body: '' }, error: new ImppError('client/invalid-argument', `A message body must be a string, not ${body === null ? 'null' : typeof body}.`) };
  }
  const message = { ...base, to, body };
  if (body.trim() === '') return { message, error: new ImppError('message/empty', 'The message is empty: type something before sending.') };
  const bytes = encoder.encode(body).length;
  if (bytes > MAX_BODY_BYTES) {
    return { message, error: new ImppError('message/too-large', `The message is ${Math.ceil(bytes / 1024)} KiB; the limit is ${MAX_BODY_BYTES / 1024} KiB. Send a link to a file instead.`) };
  }
  return { message };
}
