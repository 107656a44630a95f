import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNcf, startNcf, staticServer } from './harness.js';

// End to end in a real browser: Debian's Chromium driven by playwright-core (Playwright's own browser download
// cannot work here). `.ci/run` installs it with apt-get; without it these tests are skipped, saying why.
const CHROMIUM = process.env.NCF_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(
    `@ncf/web browser tests SKIPPED: no Chromium at ${CHROMIUM} (install it: apt-get install -y chromium, or set NCF_CHROMIUM)`,
  );
}
const DIST = new URL('../dist/index.html', import.meta.url);
const RESULTS = new URL('../test-results/', import.meta.url).pathname;
const DATA = 'synthetic:60x120:5';

const root = mkdtempSync(path.join(tmpdir(), 'ncf-web-e2e-'));
const env = { ...process.env, NCF_DATA_DIR: path.join(root, 'cache') };
const modelDir = path.join(root, 'model');
const siteDir = path.join(root, 'site');
let serve: { proc: ChildProcess; url: string } | undefined;
let site: { server: Server; url: string } | undefined;
let browser: Browser | undefined;

interface Shown {
  readonly id: string;
  readonly score: number;
}

async function recommendations(page: Page): Promise<Shown[]> {
  return page.$$eval('#recs li', (lis) =>
    lis.map((li) => ({ id: li.getAttribute('data-id') ?? '', score: Number(li.getAttribute('data-score')) })),
  );
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}

/** Waits until the recommendation list differs from `before` (rendering follows each rating). */
async function changedFrom(page: Page, before: Shown[]): Promise<Shown[]> {
  const key = JSON.stringify(before);
  await page
    .waitForFunction(
      (k) =>
        JSON.stringify(
          [...document.querySelectorAll('#recs li')].map((li) => ({
            id: li.getAttribute('data-id') ?? '',
            score: Number(li.getAttribute('data-score')),
          })),
        ) !== k && !document.querySelector('#recs[aria-busy]'),
      key,
      { timeout: 15_000 },
    )
    .catch(async (err: unknown) => {
      throw new Error(`recommendations did not change; page says: ${await page.textContent('body')}`, {
        cause: err,
      });
    });
  return recommendations(page);
}

/** Searches, rates the first three results 5, 4 and 2 stars (by keyboard for one), returns their ids. */
async function rateThree(page: Page): Promise<string[]> {
  await page.getByLabel('Title').fill('e');
  // The list of the query itself (not the initial, empty-query list) before pressing its buttons.
  await page.waitForSelector('#results[data-query="e"] li[data-id]:nth-child(3)');
  const ids = await page.$$eval('#results li[data-id]', (lis) =>
    lis.slice(0, 3).map((li) => li.getAttribute('data-id') ?? ''),
  );
  let before = await recommendations(page);
  for (const [n, stars] of [5, 4, 2].entries()) {
    const button = page.locator(`#results li[data-id="${ids[n]}"] button[data-stars="${stars}"]`);
    if (n === 1) {
      await button.focus();
      await page.keyboard.press('Enter');
    } else {
      await button.click();
    }
    before = await changedFrom(page, before);
    expect(before.length).toBe(10);
  }
  return ids;
}

async function rated(page: Page): Promise<{ id: string; stars: string }[]> {
  return page.$$eval('#rated li', (lis) =>
    lis.map((li) => ({ id: li.getAttribute('data-id') ?? '', stars: li.getAttribute('data-stars') ?? '' })),
  );
}

/** The server's answer for the same ratings, straight from the API (the reference for both modes). */
async function apiScores(ids: string[], stars: number[]): Promise<Shown[]> {
  const ratings = ids.map((id, i) => ({ item: Number(id), rating: stars[i]! }));
  const res = await fetch(new URL('v1/recommendations', serve!.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ratings, k: 10 }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: { item: number; score: number }[] };
  return body.items.map((i) => ({ id: String(i.item), score: i.score }));
}

describe.skipIf(!HAVE_CHROMIUM)('the web page in a real browser', () => {
  beforeAll(async () => {
    if (!existsSync(DIST))
      throw new Error('apps/web/dist is missing: the test script builds it first (vite build)');
    mkdirSync(RESULTS, { recursive: true });
    await runNcf(
      [
        '--backend',
        'wasm',
        'train',
        '--data',
        DATA,
        '--model',
        'mf',
        '--epochs',
        '2',
        '--seed',
        '1',
        '--out',
        modelDir,
      ],
      env,
    );
    await runNcf(['--backend', 'wasm', 'export-web', '--model-dir', modelDir, '--out', siteDir], env);
    [serve, site, browser] = await Promise.all([
      startNcf(
        [
          '--backend',
          'wasm',
          'serve',
          '--web',
          '--model-dir',
          modelDir,
          '--port',
          '0',
          '--log-level',
          'warn',
        ],
        env,
      ),
      staticServer(siteDir),
      // launch() gives Chromium a fresh temporary --user-data-dir of its own (it refuses one in args).
      chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
        ],
      }),
    ]);
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    site?.server.close();
    serve?.proc.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  });

  it('server mode: popular first, recommendations change with each rating, ratings survive a reload', async () => {
    const context = await browser!.newContext({ viewport: { width: 1200, height: 800 } });
    const page = await context.newPage();
    await page.goto(serve!.url);
    await ready(page);
    expect(await page.getAttribute('body', 'data-mode')).toBe('server');
    expect(await page.textContent('#model-line')).toMatch(
      /Model: ncf\/mf, trained on synthetic \(60 users × 120 items\)/,
    );
    expect(await page.getAttribute('#recs', 'data-strategy')).toBe('popularity');
    const serverIds = await rateThree(page);
    expect(await page.getAttribute('#recs', 'data-strategy')).toBe('fold-in');
    const shown = await recommendations(page);
    // The page shows what the API answers for the same ratings, and never a rated movie.
    expect(shown).toEqual(await apiScores(serverIds, [5, 4, 2]));
    expect(shown.some((s) => serverIds.includes(s.id))).toBe(false);
    await page.reload();
    await ready(page);
    expect(await rated(page)).toEqual([
      { id: serverIds[0], stars: '5' },
      { id: serverIds[1], stars: '4' },
      { id: serverIds[2], stars: '2' },
    ]);
    expect(await recommendations(page)).toEqual(shown);
    await page.screenshot({ path: path.join(RESULTS, 'server-mode.png'), fullPage: true });
    // Removing one rating changes the list; clearing returns to popular items.
    await page.locator(`#rated li[data-id="${serverIds[2]}"] button.remove`).click();
    await changedFrom(page, shown);
    expect((await rated(page)).length).toBe(2);
    await page.getByRole('button', { name: 'Clear all ratings' }).click();
    await page.waitForSelector('#recs[data-strategy="popularity"]');
    expect((await rated(page)).length).toBe(0);
    await context.close();
  });

  it('in-browser mode from an export-web folder: the same scores as the server to 1e-5, persisted', async () => {
    const context = await browser!.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site!.url);
    await ready(page);
    expect(await page.getAttribute('body', 'data-mode')).toBe('browser');
    expect(await page.textContent('#model-line')).toMatch(/computed in your browser \(wasm\)/);
    expect(await page.getAttribute('#recs', 'data-strategy')).toBe('popularity');
    const ids = await rateThree(page);
    const shown = await recommendations(page);
    const reference = await apiScores(ids, [5, 4, 2]);
    expect(shown.map((s) => s.id)).toEqual(reference.map((s) => s.id));
    for (const [i, s] of shown.entries())
      expect(Math.abs(s.score - reference[i]!.score)).toBeLessThanOrEqual(1e-5);
    await page.reload();
    await ready(page);
    expect((await rated(page)).map((r) => r.stars)).toEqual(['5', '4', '2']);
    expect(await recommendations(page)).toEqual(shown);
    // Phone width: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(RESULTS, 'browser-mode.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says in words when the model cannot be loaded', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.route('**/model/weights.bin', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(site!.url);
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error')).toMatch(/model failed to load.*weights\.bin.*404/);
    await context.close();
  });
});
