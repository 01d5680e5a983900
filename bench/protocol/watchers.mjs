// Presence fan-out watchers: N minimal XMPP clients on Prosody's c2s TCP port (RFC 6120, PLAIN
// on loopback), each subscribed to one publisher account, run in a worker thread so the main
// thread (Playwright) stays free. Reports, per status token, when the last watcher saw it.
//   const w = await startWatchers({ port, domain, users, pub, concurrency })
//   const t = await w.waitFor(token, timeoutMs)  // { first, last, count } wall-clock ms
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const wall = () => performance.timeOrigin + performance.now();
const STREAM = (d) => `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${d}' version='1.0'>`;

/** One raw c2s session: waits on patterns in its receive buffer, step by step. */
function session(port, domain, user, pass, onData) {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    sock.setNoDelay(true);
    sock.setEncoding('utf8');
    let buf = '';
    let want;
    const timer = setTimeout(() => reject(new Error(`${user}: login timeout`)), 60000);
    const step = (re) => new Promise((r) => { want = { re, r }; check(); });
    const check = () => {
      if (want) {
        const m = want.re.exec(buf);
        if (m) { const w = want; want = undefined; buf = buf.slice(m.index + m[0].length); w.r(m); }
      } else if (onData.live) onData.live(sock, buf, (n) => { buf = buf.slice(n); });
    };
    sock.on('data', (d) => { if (process.env.WDEBUG) console.error(user, '<<', String(d).slice(0, 300)); buf += d; check(); });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('connect', async () => {
      try {
        sock.write(STREAM(domain));
        await step(/<\/stream:features>/);
        sock.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from(`\0${user}\0${pass}`).toString('base64')}</auth>`);
        const r = await step(/<(success|failure)[\s\S]*?(\/>|<\/\1>)/);
        if (r[1] !== 'success') throw new Error(`${user}: auth ${r[0]}`);
        sock.write(STREAM(domain));
        await step(/<\/stream:features>/);
        sock.write(`<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>w</resource></bind></iq>`);
        await step(/<\/iq>/);
        clearTimeout(timer);
        resolve({ sock, step, write: (s) => sock.write(s), setLive: (f) => { onData.live = f; check(); } });
      } catch (e) { clearTimeout(timer); reject(e); }
    });
  });
}

async function pool(items, n, fn) {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => { while (i < items.length) { const k = i++; await fn(items[k], k); } }));
}

async function workerMain({ port, domain, users, pub, concurrency, seeded }) {
  const t0 = wall();
  const approverNeeded = !seeded;
  // The publisher's helper session approves every subscription request (RFC 6121 §3.1.3).
  const approver = approverNeeded ? await session(port, domain, pub[0], pub[1], {}) : undefined;
  approver?.write(`<presence><priority>-1</priority></presence>`); // requests reach available resources only
  approver?.setLive((sock, buf, consume) => {
    const re = /<presence[^>]*type=['"]subscribe['"][^>]*>/g;
    let m, last = 0;
    while ((m = re.exec(buf))) {
      const from = /from=['"]([^'"\/]+)/.exec(m[0])[1];
      sock.write(`<presence to='${from}' type='subscribed'/>`);
      last = m.index + m[0].length;
    }
    consume(Math.max(last, buf.length - 400 > 0 ? buf.length - 400 : 0));
  });
  const pubBare = `${pub[0]}@${domain}`;
  const seen = new Map(); // token -> { first, last, count }
  const TOKEN = /<presence[^>]*from=['"][^'"]*['"][^>]*>[\s\S]*?<status>(fan:[^<]*)<\/status>/g;
  const live = (sock, buf, consume) => {
    let m, last = 0;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(buf))) {
      const t = wall();
      const s = seen.get(m[1]) ?? { first: t, last: t, count: 0 };
      s.last = t; s.count++;
      seen.set(m[1], s);
      if (s.count === users.length) parentPort.postMessage({ type: 'token', token: m[1], ...s });
      last = TOKEN.lastIndex;
    }
    consume(Math.max(last, buf.length > 4000 ? buf.length - 2000 : 0));
  };
  const watchers = [];
  await pool(users, concurrency, async ([u, p]) => {
    const s = await session(port, domain, u, p, {});
    if (approverNeeded) {
      // Available first: an answer only reaches available resources (RFC 6121 §3.1.5); Prosody
      // then sends the publisher's current presence.
      s.write(`<presence/><presence to='${pubBare}' type='subscribe'/>`);
      await s.step(new RegExp(`<presence[^>]*from=['"]${pubBare}/`));
    } else {
      s.write(`<presence/>`); // roster already says subscription='to' (seedAccounts)
    }
    s.setLive(live);
    watchers.push(s);
  });
  approver?.sock.end('</stream:stream>');
  parentPort.postMessage({ type: 'ready', setupMs: wall() - t0, watchers: watchers.length });
  parentPort.on('message', (m) => {
    if (m.type === 'stop') {
      for (const w of watchers) w.sock.end('</stream:stream>');
      setTimeout(() => process.exit(0), 300);
    }
  });
}

/**
 * Writes accounts (SCRAM keys with a low iteration count: logging 1,000 watchers in with
 * Prosody's 10,000 iterations costs minutes of server CPU on 2 busy cores) and rosters (each
 * watcher subscribed to `pub`, pub's roster listing them all as 'from') straight into Prosody's
 * internal storage, for users that have not logged in yet. Returns elapsed ms.
 */
export async function seedAccounts(base, domain, users, pub, iterations = 16) {
  const t0 = performance.now();
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { createHash, createHmac, pbkdf2Sync, randomBytes } = await import('node:crypto');
  const dir = (k) => `${base}/data/${domain.replace(/\./g, '%2e')}/${k}`;
  await mkdir(dir('accounts'), { recursive: true });
  await mkdir(dir('roster'), { recursive: true });
  const account = (pass) => {
    const salt = randomBytes(12).toString('hex');
    const sp = pbkdf2Sync(pass, salt, iterations, 20, 'sha1');
    const ck = createHmac('sha1', sp).update('Client Key').digest();
    const stored = createHash('sha1').update(ck).digest('hex');
    const server = createHmac('sha1', sp).update('Server Key').digest('hex');
    return `return {\n\t["iteration_count"] = ${iterations};\n\t["salt"] = "${salt}";\n\t["server_key"] = "${server}";\n\t["stored_key"] = "${stored}";\n};\n`;
  };
  const item = (sub) => `{ ["groups"] = {}; ["subscription"] = "${sub}"; }`;
  const pubBare = `${pub}@${domain}`;
  await Promise.all(users.map(async ([u, p]) => {
    await writeFile(`${dir('accounts')}/${u}.dat`, account(p));
    await writeFile(`${dir('roster')}/${u}.dat`, `return {\n\t[false] = { ["version"] = 1; ["pending"] = {}; };\n\t["${pubBare}"] = ${item('to')};\n};\n`);
  }));
  const lines = users.map(([u]) => `\t["${u}@${domain}"] = ${item('from')};`).join('\n');
  await writeFile(`${dir('roster')}/${pub}.dat`, `return {\n\t[false] = { ["version"] = 1; ["pending"] = {}; };\n${lines}\n};\n`);
  return performance.now() - t0;
}

/** Starts the watcher worker; resolves when every watcher is subscribed and online. */
export function startWatchers(opts, setupTimeoutMs = 120000) {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: opts });
  const waiters = new Map();
  const tokens = new Map();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { worker.terminate(); reject(new Error('watchers: setup timeout')); }, setupTimeoutMs);
    worker.on('error', (e) => { clearTimeout(timer); reject(e); });
    worker.on('message', (m) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve({
          setupMs: m.setupMs,
          count: m.watchers,
          waitFor(token, ms = 10000) {
            if (tokens.has(token)) return Promise.resolve(tokens.get(token));
            return new Promise((res, rej) => {
              const t = setTimeout(() => { waiters.delete(token); rej(new Error(`fan-out ${token}: timeout`)); }, ms);
              waiters.set(token, (v) => { clearTimeout(t); res(v); });
            });
          },
          async stop() {
            worker.postMessage({ type: 'stop' });
            await new Promise((r) => { const t = setTimeout(() => { worker.terminate(); r(); }, 3000); worker.once('exit', () => { clearTimeout(t); r(); }); });
          },
        });
      } else if (m.type === 'token') {
        tokens.set(m.token, m);
        waiters.get(m.token)?.(m);
      }
    });
  });
}

if (!isMainThread && workerData?.users) workerMain(workerData).catch((e) => { console.error('watchers:', e); process.exit(1); });
