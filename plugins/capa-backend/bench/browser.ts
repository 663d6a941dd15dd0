/*
 * The fleet page in headless Chromium (Debian's /usr/bin/chromium through playwright-core, as
 * packages/app/e2e-tests drives it) on the production process: the guest (a platform engineer)
 * opens /capa; timed are the first rows after navigation, a sort change (a click on the
 * "Kubernetes version" header) and a filter change (text in the search field), each until the
 * table shows the new first row.
 */
import { chromium, type Page } from 'playwright-core';
import os from 'node:os';
import path from 'node:path';

export interface BrowserFigures {
  /** Navigation to the first cluster row visible, each of `firstRowsMs.length` page loads. */
  firstRowsMs: number[];
  sortMs: number[];
  filterMs: number[];
}

/** What the user types in the search field, one per round. */
const SEARCHES = ['staging', 'sandbox', 'perf', 'qa'];

/** The first body row's text, or '' without one. */
const firstRow = (page: Page) =>
  page
    .locator('tbody tr')
    .first()
    .innerText({ timeout: 60_000 })
    .catch(() => '');

/** Waits until the first row shows a cluster link and differs from `before`. */
async function rowChanged(page: Page, before: string, timeoutMs = 30_000) {
  const t = performance.now();
  for (;;) {
    const now = await firstRow(page);
    if (now && now !== before && (await page.locator('tbody tr a').count()))
      return now;
    if (performance.now() - t > timeoutMs)
      throw new Error(`the fleet table did not change (first row "${now}")`);
    await page.waitForTimeout(5);
  }
}

export async function measureBrowser(
  portal: string,
  rounds = 3,
): Promise<BrowserFigures> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1100 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(portal);
    const enter = page.getByRole('button', { name: /enter/i });
    await enter.click();
    // The sign-in page stays at / until the session is there.
    await enter.waitFor({ state: 'detached' });
    const out: BrowserFigures = { firstRowsMs: [], sortMs: [], filterMs: [] };
    try {
      await measureRounds(page, portal, rounds, out);
    } catch (e) {
      // What the page showed, for the failure's reader.
      const shot = path.join(
        os.tmpdir(),
        `capa-bench-fleet-page-${Date.now()}.png`,
      );
      await page.screenshot({ path: shot }).catch(() => undefined);
      const text = (
        await page
          .locator('body')
          .innerText()
          .catch(() => '')
      )
        .replace(/\s+/g, ' ')
        .slice(0, 300);
      throw new Error(
        `${
          (e as Error).message.split('\n')[0]
        } at ${page.url()} showing "${text}" (screenshot ${shot})`,
      );
    }
    return out;
  } finally {
    await browser.close();
  }
}

async function measureRounds(
  page: Page,
  portal: string,
  rounds: number,
  out: BrowserFigures,
) {
  // One load first, not counted: the app's code into the browser's cache.
  for (let i = 0; i <= rounds; i++) {
    await page.goto(`${portal}/catalog`);
    const t = performance.now();
    await page.goto(`${portal}/capa`, { waitUntil: 'commit' });
    await page.locator('tbody tr a').first().waitFor();
    if (i > 0) out.firstRowsMs.push(performance.now() - t);

    const unsorted = await firstRow(page);
    const t1 = performance.now();
    await page
      .getByRole('columnheader', { name: /kubernetes version/i })
      .getByRole('button')
      .first()
      .click()
      .catch(() =>
        page.getByRole('columnheader', { name: /kubernetes version/i }).click(),
      );
    await rowChanged(page, unsorted);
    if (i > 0) out.sortMs.push(performance.now() - t1);

    // Filtered: the count in the table's title changes and the first row has the text.
    const term = SEARCHES[i % SEARCHES.length];
    const title = page.getByText(/^Clusters \(\d+\)$/).first();
    const countBefore = await title.innerText();
    const t2 = performance.now();
    await page.getByPlaceholder(/name, namespace or tenant/i).fill(term);
    for (;;) {
      const [count, first] = [await title.innerText(), await firstRow(page)];
      if (count !== countBefore && first.includes(term)) break;
      if (performance.now() - t2 > 30_000)
        throw new Error(
          `the search "${term}" did not filter (${count}, "${first}")`,
        );
      await page.waitForTimeout(5);
    }
    if (i > 0) out.filterMs.push(performance.now() - t2);
  }
}
