// The fault proxy itself, against a loopback echo server: each fault does what it says.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
// @ts-expect-error plain ESM script without types
import { startFaultProxy } from '../../../scripts/fault-proxy.mjs';

let echo: net.Server;
let echoPort = 0;
before(async () => {
  echo = net.createServer((s) => s.on('data', (d) => s.write(d)).on('error', () => undefined));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as net.AddressInfo).port;
});
after(() => echo.close());

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}
const received = (s: net.Socket, ms: number) => new Promise<{ data: string; closed: boolean }>((resolve) => {
  let data = '';
  let closed = false;
  s.on('data', (d) => (data += d.toString()));
  s.on('close', () => (closed = true));
  setTimeout(() => resolve({ data, closed }), ms);
});

test('refuses a non-loopback target', async () => {
  await assert.rejects(startFaultProxy({ targetHost: '10.0.0.1', targetPort: 80 }), /non-loopback/);
});

test('passes traffic through, then a clean kill closes the link', async () => {
  const proxy = await startFaultProxy({ targetPort: echoPort });
  const s = await connect(proxy.port);
  s.write('ping');
  const r1 = await received(s, 100);
  assert.equal(r1.data, 'ping');
  assert.equal(proxy.kill('close'), 1);
  const r2 = await received(s, 100);
  assert.equal(r2.closed, true);
  await proxy.close();
});

test('a mid-frame kill delivers a strict prefix of the next chunk, then closes', async () => {
  const proxy = await startFaultProxy({ targetPort: echoPort, seed: 7 });
  const s = await connect(proxy.port);
  proxy.kill('mid-frame');
  const payload = '<message id="x"><body>0123456789</body></message>';
  s.write(payload);
  const r = await received(s, 150);
  assert.equal(r.closed, true);
  assert.ok(r.data.length < payload.length, `got ${r.data.length} of ${payload.length} bytes`);
  assert.equal(proxy.stats.midFrame, 1);
  await proxy.close();
});

/** A loopback server that talks on its own: `peer()` is its side of the next link, `heard` what it received. */
async function talker() {
  const peers: net.Socket[] = [];
  const waiting: ((s: net.Socket) => void)[] = [];
  let heard = '';
  let closed = false;
  const server = net.createServer((s) => {
    s.on('data', (d) => (heard += d.toString())).on('close', () => (closed = true)).on('error', () => undefined);
    const w = waiting.shift();
    if (w) w(s);
    else peers.push(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    peer: () => new Promise<net.Socket>((r) => (peers.length ? r(peers.shift()!) : waiting.push(r))),
    get heard() { return heard; },
    get closed() { return closed; },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms));
const down = '<message id="d"><body>from the server</body></message>';
const up = '<message id="u"><body>from the client</body></message>';

for (const direction of ['up', 'down'] as const) {
  const spared = direction === 'up' ? 'down' : 'up';
  const name = { up: 'client → server', down: 'server → client' };
  test(`a mid-frame kill narrowed to '${direction}' leaves ${name[spared]} chunks whole and cuts the next ${name[direction]} chunk`, async () => {
    const t = await talker();
    const proxy = await startFaultProxy({ targetPort: t.port, seed: 7 });
    try {
      const client = await connect(proxy.port);
      const server = await t.peer();
      const atClient = received(client, 400);
      // Per direction: how its chunk is written, the chunk, and what the far side got of it.
      const ends = {
        up: { write: () => client.write(up), chunk: up, got: async () => t.heard },
        down: { write: () => server.write(down), chunk: down, got: async () => (await atClient).data },
      };
      proxy.kill('mid-frame', { direction });
      ends[spared].write();
      await settle();
      assert.equal(t.closed, false, `a ${name[spared]} chunk does not end the link`);
      assert.equal(proxy.stats.midFrame, 0);
      ends[direction].write();
      assert.equal((await atClient).closed, true, 'the cut ends the link');
      assert.equal(await ends[spared].got(), ends[spared].chunk, `the ${name[spared]} chunk arrived whole`);
      const got = await ends[direction].got();
      const { chunk } = ends[direction];
      assert.ok(got.length < chunk.length && chunk.startsWith(got), `the far side got ${got.length} of ${chunk.length} bytes`);
      assert.equal(proxy.stats.midFrame, 1);
    } finally {
      await proxy.close();
      await t.close();
    }
  });
}

test('a silent link stays open but answers nothing (half-open)', async () => {
  const proxy = await startFaultProxy({ targetPort: echoPort });
  const s = await connect(proxy.port);
  proxy.kill('silent');
  s.write('anyone?');
  const r = await received(s, 200);
  assert.deepEqual(r, { data: '', closed: false });
  await proxy.close();
});

test('chaos kills links at random within its interval, and stops when told', async () => {
  const proxy = await startFaultProxy({ targetPort: echoPort, seed: 42 });
  const sockets = await Promise.all(Array.from({ length: 5 }, () => connect(proxy.port)));
  proxy.chaos({ minMs: 20, maxMs: 40, modes: ['close'] });
  await new Promise((r) => setTimeout(r, 300));
  proxy.stopChaos();
  const kills = proxy.stats.kills;
  assert.ok(kills >= 4 && kills <= 15, `kills=${kills}`);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(proxy.stats.kills, kills, 'no kills after stopChaos');
  sockets.forEach((s) => s.destroy());
  await proxy.close();
});
