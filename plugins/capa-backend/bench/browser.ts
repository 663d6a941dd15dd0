/*
 * The fleet page in headless Chromium (Debian's /usr/bin/chromium through playwright-core, as
 * packages/app/e2e-tests drives it) on the production process: the guest (a platform engineer)
 * opens /capa; timed are the first rows after navigation, a sort change (a click on the
 * "Kubernetes version" header) and a filter change (text in the search field), each until the
 * table shows the new first row.
 */
// playwright-core is the app's end-to-end test dependency, hoisted to the repository root.
// eslint-disable-next-line import/no-extraneous-dependencies
import { chromium, type Page } from 'playwright-core';

export interface BrowserFigures {
  /** Navigation to the first cluster row visible, each of `firstRowsMs.length` page loads. */
  firstRowsMs: number[];
  sortMs: number[];
  filterMs: number[];
}

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
    page.setDefaultTimeout(120_000);
    await page.goto(portal);
    await page.getByRole('button', { name: /enter/i }).click();
    await page.waitForURL(u => !u.pathname.includes('sign-in'));
    const out: BrowserFigures = { firstRowsMs: [], sortMs: [], filterMs: [] };
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
      const sorted = await rowChanged(page, unsorted);
      if (i > 0) out.sortMs.push(performance.now() - t1);

      const t2 = performance.now();
      await page.getByLabel('Search').fill(`staging-0${1 + i}`);
      await rowChanged(page, sorted);
      if (i > 0) out.filterMs.push(performance.now() - t2);
    }
    return out;
  } finally {
    await browser.close();
  }
}
