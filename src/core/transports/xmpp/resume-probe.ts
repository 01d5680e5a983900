// XEP-0198 §5 resumption over RFC 7395 WebSocket, and a Prosody 0.12 behaviour it must survive
// (issue #6) — https://xmpp.org/extensions/xep-0198.html#resumption
//
// §5 counts on the server reading the resumed stream from its first byte. Prosody 0.12.3
// (mod_smacks + mod_websocket) moves the session onto the new connection but keeps feeding the
// connection's bytes through `session.data` of the session's first one (mod_c2s), hence through
// that connection's WebSocket frame buffer. When a link died in the middle of one of our frames,
// the rest of that frame is taken from the new link, the frames after it are misread, some are
// skipped, and `h` then counts stanzas after the skipped ones: a client maps it onto its oldest
// unacknowledged stanzas and marks as sent messages the server never handled.
// (test/node/reliability/prosody-resume.test.ts shows it against the real server.)
//
// So a resumed link carries nothing counted until the server answered an `<r/>` sent on it: that
// frame was read whole, so the link is aligned from there on. Prosody answers after re-sending
// its own queue, in one round trip.
import type { XmlElement } from '../../codecs/xml.js';
import { StreamError } from './framing.js';
import { NS_SM } from './stream-management.js';
import type { XmppStream } from './stream.js';

/** Sends `request` (`<r/>`) on the just-resumed `stream` and waits for the server's `<a/>`. @throws the stream's end */
export async function probeResumed(stream: XmppStream, request: XmlElement, timeoutMs: number): Promise<void> {
  stream.send(request);
  await stream.waitFor((e) => e.ns === NS_SM && e.local === 'a', timeoutMs);
}

/**
 * True when a failed probe says the server reads something else than our frames: no answer in
 * time (our own `connection-timeout`) or the server ending the stream (`not-well-formed` after a
 * misread frame). Otherwise the link was just lost: nothing counted was sent on it, so the
 * session's `<resumed h/>` on the next try is still exact.
 */
export function misread(err: unknown): boolean {
  return err instanceof StreamError;
}
