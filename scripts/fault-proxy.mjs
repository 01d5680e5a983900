// A fault-injection TCP proxy for reliability tests (BAD-INPUTS "Reliability promise"):
// sits between a client and a loopback server (e.g. Prosody's WebSocket port) and can close
// a connection cleanly or mid-frame, go silent (half-open), delay traffic, and kill links at
// random intervals. Loopback only, bounded (connections, lifetime) and it stops by itself.
import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

/**
 * @param {{ targetHost?: string, targetPort: number, lifetimeMs?: number, maxConnections?: number, seed?: number }} options
 */
export async function startFaultProxy({ targetHost = '127.0.0.1', targetPort, lifetimeMs = 20 * 60_000, maxConnections = 5_000, seed = Date.now() }) {
  if (!LOOPBACK.test(targetHost)) throw new Error(`fault proxy: refusing non-loopback target ${targetHost}`);
  let rand = seed >>> 0 || 1; // xorshift32: reproducible chaos from a seed
  const random = () => ((rand ^= rand << 13), (rand ^= rand >>> 17), (rand ^= rand << 5), (rand >>> 0) / 2 ** 32);
  const links = new Set();
  const stats = { connections: 0, kills: 0, midFrame: 0, silent: 0, refused: 0 };
  let delayMs = 0;
  let chaosTimer;

  const server = net.createServer((client) => {
    if (stats.connections >= maxConnections) { stats.refused++; client.destroy(); return; }
    stats.connections++;
    const upstream = net.connect(targetPort, targetHost);
    // cutNext: false, or the direction whose next chunk is cut ('up': client → server, 'down', 'any').
    const link = { client, upstream, cutNext: false, silent: false, silentTimer: undefined };
    links.add(link);
    const forward = (from, to, dir) => from.on('data', (chunk) => {
      if (link.silent) return; // half-open: swallow everything, answer nothing
      if (link.cutNext === 'any' || link.cutNext === dir) {
        // Mid-frame: pass on a strict prefix of this chunk, then drop both sides.
        link.cutNext = false;
        const cut = chunk.length > 1 ? 1 + Math.floor(random() * (chunk.length - 1)) : 0;
        if (cut > 0) to.write(chunk.subarray(0, cut));
        stats.midFrame++;
        destroy(link);
        return;
      }
      if (delayMs > 0) setTimeout(() => to.writable && to.write(chunk), delayMs);
      else to.write(chunk);
    });
    forward(client, upstream, 'up');
    forward(upstream, client, 'down');
    const end = () => destroy(link);
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });

  function destroy(link) {
    if (!links.delete(link)) return;
    clearTimeout(link.silentTimer);
    link.client.destroy();
    link.upstream.destroy();
  }

  /**
   * Acts on every open link (or one random link when `one` is true). `direction` narrows a
   * mid-frame cut to the next chunk from the client (`up`) or from the server (`down`).
   */
  function kill(mode = 'close', { one = false, direction = 'any' } = {}) {
    const targets = one ? [[...links][Math.floor(random() * links.size)]].filter(Boolean) : [...links];
    for (const link of targets) {
      stats.kills++;
      if (mode === 'close') destroy(link);
      else if (mode === 'mid-frame') link.cutNext = direction;
      else if (mode === 'silent') {
        link.silent = true;
        stats.silent++;
        link.silentTimer = setTimeout(() => destroy(link), 120_000); // bounded half-open
      } else throw new Error(`fault proxy: unknown mode ${mode}`);
    }
    return targets.length;
  }

  /** Kills a random link every minMs..maxMs with a random mode until stopChaos(). */
  function chaos({ minMs = 50, maxMs = 500, modes = ['close', 'mid-frame', 'silent'] } = {}) {
    stopChaos();
    const next = () => {
      chaosTimer = setTimeout(() => {
        if (links.size > 0) kill(modes[Math.floor(random() * modes.length)], { one: true });
        next();
      }, minMs + random() * (maxMs - minMs));
    };
    next();
  }

  function stopChaos() {
    clearTimeout(chaosTimer);
    chaosTimer = undefined;
  }

  async function close() {
    stopChaos();
    clearTimeout(lifetime);
    for (const link of [...links]) destroy(link);
    await new Promise((resolve) => server.close(() => resolve()));
  }

  const lifetime = setTimeout(() => void close(), lifetimeMs);
  lifetime.unref();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    stats,
    get openLinks() { return links.size; },
    setDelay(ms) { delayMs = Math.max(0, Math.min(ms, 10_000)); },
    kill,
    chaos,
    stopChaos,
    close,
  };
}
