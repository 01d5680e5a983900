// The demo page (demo/index.html) served by `npm start` (scripts/serve.mjs), driven in Debian's
// Chromium the way a person uses it: three colleagues, a message, a presence change, a second tab.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
// @ts-expect-error -- plain .mjs script without type declarations
import { startServer } from '../../scripts/serve.mjs';
// @ts-expect-error -- plain .mjs script without type declarations
import { findChromium } from '../../scripts/system-deps.mjs';

const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const TIMEOUT = 10_000;

/** Playwright's CSS engine pierces open shadow roots, so these reach into the components. */
const desk = (user: string) => `impp-client[user="${user}"]`;
const ui = {
  connection: (user: string) => `${desk(user)} impp-status [part~="connection"]`,
  availability: (user: string) => `${desk(user)} impp-status select`,
  buddies: (user: string) => `${desk(user)} impp-buddy-list`,
  /** One contact row in `user`'s buddy list, by the contact's name. */
  buddy: (user: string, name: string) => `${desk(user)} impp-buddy-list [part~="buddy"]:has-text("${name}")`,
  chat: (user: string) => `${desk(user)} impp-chat`,
  composer: (user: string) => `${desk(user)} impp-chat textarea`,
};

describe('demo page (in-page service)', { timeout: 120_000 }, () => {
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  const watch = (p: Page) => {
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    p.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
  };

  before(async () => {
    const executablePath = findChromium();
    assert.ok(executablePath, 'Chromium not found: apt-get install chromium');
    // E2E_DIST=1 runs the demo against the built dist/ instead of the live dev bundle.
    server = await startServer({ port: 0, live: !process.env.E2E_DIST });
    browser = await chromium.launch({ executablePath, headless: true, args: ARGS });
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
    page = await context.newPage();
    watch(page);
    await page.goto(`${server.url}demo/`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('alice, bob and carol are signed in', async () => {
    for (const user of ['alice', 'bob', 'carol']) {
      await page.locator(ui.connection(user)).filter({ hasText: 'Online' }).waitFor({ timeout: TIMEOUT });
    }
  });

  test('each sees the other two as approved buddies, available', async () => {
    for (const [user, others] of [['alice', ['bob', 'carol']], ['bob', ['alice', 'carol']], ['carol', ['alice', 'bob']]] as const) {
      for (const other of others) {
        await page.locator(ui.buddy(user, other)).filter({ hasText: 'Available' }).waitFor({ timeout: TIMEOUT });
      }
    }
  });

  test('alice sends bob a message; bob sees it and alice sees it delivered, then read', async () => {
    await page.locator(ui.buddy('alice', 'bob')).click();
    await page.locator(ui.composer('alice')).fill('Lunch at noon?');
    await page.locator(ui.composer('alice')).press('Enter');
    await page.locator(ui.buddy('bob', 'alice')).click();
    await page.locator(ui.chat('bob')).filter({ hasText: 'Lunch at noon?' }).waitFor({ timeout: TIMEOUT });
    // Bob has the conversation open, so the message is displayed: a read receipt goes back.
    const delivery = page.locator(`${ui.chat('alice')} [part~="message-out"]:has-text("Lunch at noon?") [part~="delivery"]`);
    await delivery.filter({ hasText: /\b(Delivered|Read)\b/ }).waitFor({ timeout: TIMEOUT });
    await delivery.filter({ hasText: /\bRead\b/ }).waitFor({ timeout: TIMEOUT });
    assert.equal(await page.locator(ui.composer('alice')).inputValue(), '', 'composer cleared after sending');
  });

  test('alice goes busy; bob and carol read "Busy" in their buddy lists', async () => {
    await page.locator(ui.availability('alice')).selectOption('busy');
    for (const user of ['bob', 'carol']) {
      await page.locator(ui.buddy(user, 'alice')).filter({ hasText: 'Busy' }).waitFor({ timeout: TIMEOUT });
    }
  });

  test('a second tab joins the same service and exchanges messages with the first', async () => {
    const second = await context.newPage();
    watch(second);
    await second.goto(`${server.url}demo/`);
    for (const user of ['alice', 'bob', 'carol']) {
      await second.locator(ui.connection(user)).filter({ hasText: 'Online' }).waitFor({ timeout: TIMEOUT });
    }
    // The service's history is shared: tab 2's bob, opening the chat on an empty log, loads the
    // message tab 1's alice sent.
    await second.locator(ui.buddy('bob', 'alice')).click();
    await second.locator(ui.chat('bob')).filter({ hasText: 'Lunch at noon?' }).waitFor({ timeout: TIMEOUT });
    // And a message written in tab 2 reaches tab 1.
    await second.locator(ui.buddy('carol', 'bob')).click();
    await second.locator(ui.composer('carol')).fill('Joining from my other tab');
    await second.locator(ui.composer('carol')).press('Enter');
    await page.locator(ui.buddy('bob', 'carol')).click();
    await page.locator(ui.chat('bob')).filter({ hasText: 'Joining from my other tab' }).waitFor({ timeout: TIMEOUT });
    await second.close();
  });

  test('the page shows the exact script it runs', async () => {
    const [shown, ran] = await page.evaluate(() => [
      document.getElementById('script-source')?.textContent ?? '',
      document.getElementById('demo-script')?.textContent?.trim() ?? '',
    ]);
    assert.ok(ran.length > 0);
    assert.equal(shown, ran);
  });

  test('screenshots, light and dark (test-results/demo-*.png)', async () => {
    mkdirSync('test-results', { recursive: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: 'test-results/demo-light.png', fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/demo-dark.png', fullPage: true });
  });

  test('no page errors or console errors', () => {
    assert.deepEqual(problems, []);
  });
});
