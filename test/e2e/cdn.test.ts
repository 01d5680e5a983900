// The CDN file on its own: test/e2e/cdn.html has one <script type="module"
// src="/dist/impp-kit.min.js"> and the tags, nothing else. Everything a visitor does there goes
// through the components' own UI. Builds dist/ first when it is missing or older than src/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
// @ts-expect-error -- plain .mjs script without type declarations
import { startServer } from '../../scripts/serve.mjs';
// @ts-expect-error -- plain .mjs script without type declarations
import { findChromium } from '../../scripts/system-deps.mjs';

const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const TIMEOUT = 10_000;
const CDN_FILE = 'dist/impp-kit.min.js';

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Runs the rollup half of `npm run build` (types are irrelevant here) when dist/ is stale. */
function ensureBuilt(): void {
  const inputs = Math.max(newestMtime('src'), newestMtime('rollup.config.mjs'), newestMtime('package.json'));
  if (existsSync(CDN_FILE) && statSync(CDN_FILE).mtimeMs >= inputs) return;
  const r = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `rollup -c failed:\n${r.stdout}\n${r.stderr}`);
  assert.ok(existsSync(CDN_FILE), `rollup -c did not write ${CDN_FILE}:\n${r.stderr}`);
}

const desk = (user: string) => `impp-client[user="${user}"]`;

describe('CDN file with tags only (test/e2e/cdn.html)', { timeout: 180_000 }, () => {
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const scripts: string[] = [];

  /** URL paths of the dist/cdn/ chunks that hold XMPP code (they name the XMPP namespaces). */
  let xmppChunks: string[] = [];

  before(async () => {
    ensureBuilt();
    xmppChunks = readdirSync('dist/cdn').filter((f) => f.endsWith('.js'))
      .filter((f) => readFileSync(join('dist/cdn', f), 'utf8').includes('urn:ietf:params:xml:ns:xmpp'))
      .map((f) => `/dist/cdn/${f}`);
    assert.ok(xmppChunks.length > 0, 'the CDN build has no separate XMPP chunk under dist/cdn/');
    const executablePath = findChromium();
    assert.ok(executablePath, 'Chromium not found: apt-get install chromium');
    server = await startServer({ port: 0, live: false }); // the real dist/, not the dev bundle
    browser = await chromium.launch({ executablePath, headless: true, args: ARGS });
    page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
    page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname); });
    await page.goto(`${server.url}test/e2e/cdn.html`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('every element is defined and rendered', async () => {
    const defined = await page.evaluate(() =>
      ['impp-client', 'impp-status', 'impp-buddy-list', 'impp-chat'].map((t) => [t, customElements.get(t) !== undefined]));
    assert.deepEqual(Object.fromEntries(defined), { 'impp-client': true, 'impp-status': true, 'impp-buddy-list': true, 'impp-chat': true });
    await page.locator(`${desk('alice')} impp-status select`).waitFor({ timeout: TIMEOUT });
  });

  test('both users sign in to the in-page service', async () => {
    for (const user of ['alice', 'bob']) {
      await page.locator(`${desk(user)} impp-status [part~="connection"]`).filter({ hasText: 'Online' }).waitFor({ timeout: TIMEOUT });
    }
  });

  test('alice adds bob and bob approves, all through the components', async () => {
    await page.locator(`${desk('alice')} impp-buddy-list [part~="add"] summary`).click();
    await page.locator(`${desk('alice')} impp-buddy-list [part~="add-address"]`).fill('bob@in-page.invalid');
    await page.locator(`${desk('alice')} impp-buddy-list [part~="add-button"]`).click();
    const request = page.locator(`${desk('bob')} impp-buddy-list [part~="request"]:has-text("alice@in-page.invalid")`);
    await request.getByRole('button', { name: 'Approve' }).click();
    // Approve scrolled bob's list into view; the virtualised list renders only rows on screen.
    await page.locator(`${desk('alice')} impp-buddy-list`).scrollIntoViewIfNeeded();
    await page.locator(`${desk('alice')} impp-buddy-list [part~="buddy"]:has-text("bob")`)
      .filter({ hasText: 'Available' }).waitFor({ timeout: TIMEOUT });
  });

  test('the in-page path never fetches the XMPP chunk', (t) => {
    t.diagnostic(`scripts fetched: ${scripts.join(', ')}`);
    const loaded = scripts.filter((s) => xmppChunks.includes(s));
    assert.ok(scripts.includes('/dist/impp-kit.min.js'));
    assert.deepEqual(loaded, [], `XMPP code loaded without loadXmpp(): ${loaded}`);
  });

  test('the CDN module exports createClient, inPage, loadXmpp and setStrings', async () => {
    const names = await page.evaluate(async () => Object.keys(await import('/dist/impp-kit.min.js' as string)).sort());
    for (const name of ['createClient', 'inPage', 'loadXmpp', 'setStrings']) assert.ok(names.includes(name), `missing export ${name}: ${names}`);
  });

  test('setStrings from the CDN module translates the elements', async () => {
    const text = await page.evaluate(async () => {
      const mod = await import('/dist/impp-kit.min.js' as string);
      mod.setStrings({ noClient: 'Nicht verbunden' });
      const el = document.createElement('impp-status') as HTMLElement & { updateComplete: Promise<unknown> };
      document.body.append(el); // outside any <impp-client>: no client
      await el.updateComplete;
      const shown = el.shadowRoot!.querySelector('[part=connection]')!.textContent;
      el.remove();
      mod.setStrings({ noClient: 'Not connected' });
      return shown;
    });
    assert.equal(text, 'Nicht verbunden');
  });

  test('loadXmpp() fetches the XMPP chunk from dist/cdn/ on demand', async () => {
    const kinds = await page.evaluate(async () => {
      const mod = await import('/dist/impp-kit.min.js' as string);
      return typeof (await mod.loadXmpp()).xmppWebSocket;
    });
    assert.equal(kinds, 'function');
    assert.ok(scripts.some((s) => xmppChunks.includes(s)), `no XMPP chunk (${xmppChunks}) was requested: ${scripts}`);
  });

  test('no page errors or console errors', () => {
    assert.deepEqual(problems, []);
  });
});
