// The portal demo (demo/portal.html) served by `npm start` (scripts/serve.mjs), in Debian's
// Chromium: presence badges in a staff directory, the hover card, and frame times while
// scrolling a 5,000-row directory (10,000 badges), measured with requestAnimationFrame deltas
// and PerformanceObserver long tasks. Prints the figures; screenshot in test-results/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
// @ts-expect-error -- plain .mjs script without type declarations
import { startServer } from '../../scripts/serve.mjs';
// @ts-expect-error -- plain .mjs script without type declarations
import { findChromium } from '../../scripts/system-deps.mjs';

const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const TIMEOUT = 20_000;

/** The traffic line: "… watching N now (W watches, U released, F one-shot fetches so far)". */
async function traffic(page: Page): Promise<{ badges: number; watching: number; watches: number; released: number; fetches: number }> {
  const line = (await page.locator('#traffic').textContent()) ?? '';
  const n = (re: RegExp) => Number((re.exec(line)?.[1] ?? 'NaN').replace(/\D/g, ''));
  return {
    badges: n(/^([\d,.\s]+) badges/),
    watching: n(/watching (\d+) now/),
    watches: n(/\((\d+) watches/),
    released: n(/(\d+) released/),
    fetches: n(/(\d+) one-shot/),
  };
}

/**
 * The CDN file registers `<impp-presence>` on first use: its chunk is fetched when the portal
 * attaches its first badge. Waiting for the definition checks that path.
 */
async function ensurePresenceElement(page: Page): Promise<void> {
  await page.waitForFunction(() => customElements.get('impp-client') !== undefined, undefined, { timeout: TIMEOUT });
  await page.evaluate(() => customElements.whenDefined('impp-presence'));
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await ensurePresenceElement(page);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Scrolls `frames` frames by `step` px from requestAnimationFrame; frame deltas and long tasks. */
async function scrollFrames(page: Page, frames = 600, step = 60) {
  const run = await page.evaluate(async ({ frames, step }) => {
    const longTasks: number[] = [];
    const po = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
    po.observe({ type: 'longtask' });
    const deltas: number[] = [];
    await new Promise<void>((done) => {
      let last = 0;
      let n = 0;
      const tick = (t: number) => {
        if (last) deltas.push(t - last);
        last = t;
        scrollBy(0, step);
        if (++n < frames) requestAnimationFrame(tick);
        else done();
      };
      requestAnimationFrame(tick);
    });
    await new Promise((r) => setTimeout(r, 100));
    po.disconnect();
    return { deltas, longTasks, scrolled: scrollY };
  }, { frames, step });
  const sorted = [...run.deltas].sort((a, b) => a - b);
  return {
    frames: run.deltas.length,
    scrolledPx: Math.round(run.scrolled),
    meanMs: +(run.deltas.reduce((a, b) => a + b, 0) / run.deltas.length).toFixed(1),
    medianMs: +percentile(sorted, 50).toFixed(1),
    p95Ms: +percentile(sorted, 95).toFixed(1),
    p99Ms: +percentile(sorted, 99).toFixed(1),
    maxMs: +sorted.at(-1)!.toFixed(1),
    framesOver50ms: run.deltas.filter((d) => d > 50).length,
    longTasks: run.longTasks.length,
    longTaskMaxMs: run.longTasks.length ? Math.round(Math.max(...run.longTasks)) : 0,
  };
}

describe('portal demo (presence badges)', { timeout: 240_000 }, () => {
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    const executablePath = findChromium();
    assert.ok(executablePath, 'Chromium not found: apt-get install chromium');
    server = await startServer({ port: 0, live: !process.env.E2E_DIST });
    browser = await chromium.launch({ executablePath, headless: true, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    // tsx compiles the functions passed to page.evaluate with esbuild's keepNames helper.
    await page.addInitScript('globalThis.__name = (f) => f;');
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
    await open(page, `${server.url}demo/portal.html`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('badges show live presence as icon and text; Legal falls back to a one-shot check', async () => {
    const first = page.locator('impp-presence').first();
    await first.locator('[part~="presence"]').filter({ hasText: /Available|Away|Busy|Offline/ }).waitFor({ timeout: TIMEOUT });
    await first.locator('[part~="presence-icon"]').waitFor();
    // Person 5 is the head of Legal: no subscription allowed, so one fetch gives a snapshot.
    const legal = page.locator('#directory li').nth(5).locator('impp-presence').first();
    await legal.locator('[part~="presence"]').filter({ hasText: /Available|Away|Busy|Offline/ }).waitFor({ timeout: TIMEOUT });
    // The traffic line updates twice a second.
    await page.waitForFunction(() => /[1-9]\d* one-shot fetches/.test(document.getElementById('traffic')?.textContent ?? ''), undefined, { timeout: TIMEOUT });
  });

  test('300 people, 594 badges: one watch per person on screen, not per badge', async () => {
    await page.waitForTimeout(1000);
    const t = await traffic(page);
    const onScreen = await page.evaluate(() => {
      const ids = new Set<string>();
      for (const el of document.querySelectorAll('impp-presence')) {
        const r = el.getBoundingClientRect();
        if (r.bottom > -200 && r.top < innerHeight + 200) ids.add(el.getAttribute('address')!);
      }
      return ids.size;
    });
    console.log(`[portal] ${t.badges} badges, ${onScreen} distinct people within 200px of the viewport: watching ${t.watching}, ` +
      `${t.watches} watches / ${t.released} released / ${t.fetches} fetches so far`);
    assert.equal(t.badges, 594);
    assert.ok(t.watching <= onScreen, `watching ${t.watching} > ${onScreen} people on screen`);
    assert.ok(t.watching >= onScreen - 6, `watching ${t.watching}, expected about ${onScreen} (Legal ones may fetch instead)`);
  });

  test('hovering a badge opens its card (screenshot test-results/portal.png)', async () => {
    const badge = page.locator('#directory li').nth(8).locator('impp-presence').first();
    await badge.locator('[part~="trigger"]').hover();
    const card = badge.locator('[part~="card"]');
    await card.waitFor({ timeout: TIMEOUT });
    assert.equal(await card.getAttribute('role'), 'dialog');
    await card.locator('[part~="chat-button"]').waitFor();
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/portal.png' });
    await card.locator('[part~="chat-button"]').click();
    await page.locator('#last-action').filter({ hasText: 'You asked for a chat with' }).waitFor({ timeout: TIMEOUT });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('#directory li').nth(14).locator('impp-presence').first().locator('[part~="trigger"]').hover();
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'test-results/portal-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.mouse.move(5, 5);
  });

  test('scrolling a 5,000-row directory (10,000 badges) stays smooth', async () => {
    const started = Date.now();
    await open(page, `${server.url}demo/portal.html?people=5000`);
    const loadMs = Date.now() - started;
    await page.waitForTimeout(1500); // let the staff's first statuses settle
    const figures = { load: `${loadMs} ms`, ...(await scrollFrames(page)) };
    const t = await traffic(page);
    // The same scroll over a plain 5,000-row list (no badges, no service), right now, on this
    // machine: what the page would cost without impp-kit.
    const plain = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await plain.addInitScript('globalThis.__name = (f) => f;');
    await plain.goto('about:blank');
    await plain.setContent(`<ol>${Array.from({ length: 5000 }, (_, i) =>
      `<li style="display:grid;grid-template-columns:2fr 1fr 1fr 2fr;block-size:44px">` +
      `<span>Person ${i} ● Available</span><span>Role</span><span>Department</span><span>Manager ● Busy</span></li>`).join('')}</ol>`);
    const baseline = await scrollFrames(plain);
    await plain.close();
    const load = loadavg().map((l) => l.toFixed(1)).join(' ');
    console.log(`[portal] machine: load average ${load}; plain 5,000-row list without impp-kit: ${JSON.stringify(baseline)}`);
    console.log(`[portal] scrolling 5,000 rows / ${t.badges} badges: ${JSON.stringify({ ...figures, watchingNow: t.watching, watchesSoFar: t.watches, fetchesSoFar: t.fetches })}`);
    assert.equal(t.badges, 9994);
    // Bounds for software rendering (--disable-gpu) in a shared container, relative to the plain
    // list measured just before on the same machine: the typical frame at most twice its
    // median (60 Hz when the machine is idle), at most 10% of frames over 50 ms, no frozen
    // second. They catch regressions of the kind fixed while writing this: 10,000 CSS anchors
    // (27 s of style recalculation), 10,000 <svg> or clipped elements (paint layers walked on
    // every frame) or 10,000 IntersectionObserver targets (50–100 ms frames).
    assert.ok(figures.medianMs <= 2 * baseline.medianMs + 1, `median frame ${figures.medianMs} ms (plain list: ${baseline.medianMs} ms)`);
    assert.ok(figures.framesOver50ms <= figures.frames / 10, `${figures.framesOver50ms} of ${figures.frames} frames over 50 ms`);
    assert.ok(figures.maxMs < 1000, `longest frame ${figures.maxMs} ms`);
    // Presence work follows the viewport, not the 10,000 badges: at 3,600 px/s, a 2 s linger
    // keeps about 160 rows' people watched behind the viewport.
    assert.ok(t.watching > 0 && t.watching <= 250, `watching ${t.watching} people`);
    await page.waitForTimeout(3000); // linger (2 s): watches of rows scrolled past are released
    const settled = await traffic(page);
    console.log(`[portal] 3 s after scrolling: watching ${settled.watching} (${settled.watches} watches, ${settled.released} released)`);
    assert.ok(settled.watching <= 100, `watching ${settled.watching} after the linger`);
  });

  test('no page errors or console errors', () => {
    assert.deepEqual(problems, []);
  });
});
