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
