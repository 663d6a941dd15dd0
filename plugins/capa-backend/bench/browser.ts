/*
 * The fleet page in headless Chromium (Debian's /usr/bin/chromium through playwright-core, as
 * packages/app/e2e-tests drives it) on the production process: the guest (a platform engineer)
 * opens /capa; timed are the first rows after navigation, a sort change (a click on the
 * "Kubernetes version" header), a search (text entered in the search field) and a phase filter (a
 * click on a phase count), each until the table shows the new first row.
 *
 * The times are taken inside the page, on its own clock: from the navigation's start, or from the
 * click or input event's time stamp, to the first paint after the DOM change (a MutationObserver
 * notes each change of the first row or of the table's title; a timer queued from the next
 * animation frame runs after that frame is painted). Polling from here would add a DevTools round
 * trip per look and force a layout each time.
 */
import { chromium, type Page } from 'playwright-core';
import os from 'node:os';
import path from 'node:path';

export interface BrowserFigures {
  /** Navigation to the first cluster row painted, each of `firstRowsMs.length` page loads. */
  firstRowsMs: number[];
  /** Click on a column header to the new first row painted. */
  sortMs: number[];
  /** Input event of the search text to the filtered rows painted (the typing pause included). */
  filterMs: number[];
  /** Click on a phase count to the rows of that phase painted. */
  phaseFilterMs: number[];
}

/** What the user types in the search field, one per round. */
const SEARCHES = ['staging', 'sandbox', 'perf', 'qa'];

/** A state of the table the page observed, on the page's clock (ms since navigation start). */
interface Change {
  /** The first body row's text when it shows a cluster link, '' otherwise. */
  row: string;
  /** The table's title, "Clusters (n)". */
  title: string;
  at: number;
  paintedAt: number;
}

declare global {
  interface Window {
    capaBench?: {
      changes: Change[];
      clickAt: number;
      inputAt: number;
      /** The table as it is now. */
      read(): Pick<Change, 'row' | 'title'>;
    };
  }
}

/** Runs in the page before its scripts: notes every change of the first row and the title. */
function observeFleetTable() {
  const read = () => {
    // textContent, not innerText: reading must not force a layout in the middle of the work.
    const first = document.querySelector('tbody tr');
    const row = first?.querySelector('a') ? first.textContent ?? '' : '';
    const title =
      Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
        .map(h => h.textContent ?? '')
        .find(t => /^Clusters \(\d+\)$/.test(t)) ?? '';
    return { row, title };
  };
  const state = { changes: [] as Change[], clickAt: 0, inputAt: 0, read };
  window.capaBench = state;
  let last = '';
  const look = () => {
    const { row, title } = read();
    if (`${row}|${title}` === last) return;
    last = `${row}|${title}`;
    const change: Change = { row, title, at: performance.now(), paintedAt: 0 };
    state.changes.push(change);
    requestAnimationFrame(() =>
      setTimeout(() => {
        change.paintedAt = performance.now();
      }, 0),
    );
  };
  addEventListener('click', e => (state.clickAt = e.timeStamp), true);
  addEventListener('input', e => (state.inputAt = e.timeStamp), true);
  const start = () =>
    new MutationObserver(look).observe(document.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  if (document.documentElement) start();
  else addEventListener('DOMContentLoaded', start);
}

/** What the table shows now. */
const current = (page: Page) => page.evaluate(() => window.capaBench!.read());

/** The table state waited for; the first row always shows a cluster. */
interface Wanted {
  rowNot?: string;
  rowWith?: string;
  title?: string;
  titleNot?: string;
}

/**
 * Waits for a change after `since` (page clock) to what `wanted` says, painted; returns when it
 * was painted (page clock).
 */
async function painted(
  page: Page,
  since: number,
  wanted: Wanted,
  what: string,
): Promise<number> {
  const handle = await page
    .waitForFunction(
      ({ s, w }) => {
        const hit = window.capaBench!.changes.find(
          c =>
            c.at >= s &&
            c.row !== '' &&
            (w.rowNot === undefined || c.row !== w.rowNot) &&
            (w.rowWith === undefined || c.row.includes(w.rowWith)) &&
            (w.title === undefined || c.title === w.title) &&
            (w.titleNot === undefined || c.title !== w.titleNot),
        );
        return hit?.paintedAt ? hit.paintedAt : false;
      },
      { s: since, w: wanted },
      { polling: 'raf', timeout: 30_000 },
    )
    .catch(async () => {
      const now = await current(page);
      throw new Error(
        `${what}: the fleet table did not change (first row "${now?.row}", ${now?.title})`,
      );
    });
  return (await handle.jsonValue()) as number;
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
    await context.addInitScript(observeFleetTable);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(portal);
    const enter = page.getByRole('button', { name: /enter/i });
    await enter.click();
    // The sign-in page stays at / until the session is there.
    await enter.waitFor({ state: 'detached' });
    const out: BrowserFigures = {
      firstRowsMs: [],
      sortMs: [],
      filterMs: [],
      phaseFilterMs: [],
    };
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

/** The click's or input's time stamp on the page's clock. */
const eventAt = (page: Page, kind: 'clickAt' | 'inputAt') =>
  page.evaluate(k => window.capaBench![k], kind);

async function measureRounds(
  page: Page,
  portal: string,
  rounds: number,
  out: BrowserFigures,
) {
  // One load first, not counted: the app's code into the browser's cache.
  for (let i = 0; i <= rounds; i++) {
    const count = i > 0;
    await page.goto(`${portal}/catalog`);
    await page.goto(`${portal}/capa`, { waitUntil: 'commit' });
    // The page's clock starts at the navigation: the paint's time is the time from it.
    const firstRows = await painted(page, 0, {}, 'page load');
    if (count) out.firstRowsMs.push(firstRows);

    const before = await current(page);
    await page
      .getByRole('columnheader', { name: /kubernetes version/i })
      .getByRole('button')
      .first()
      .click();
    const clicked = await eventAt(page, 'clickAt');
    const sorted = await painted(page, clicked, { rowNot: before.row }, 'sort');
    if (count) out.sortMs.push(sorted - clicked);

    // Filtered: the count in the table's title changes and the first row has the text.
    const term = SEARCHES[i % SEARCHES.length];
    const unfiltered = await current(page);
    const search = page.getByPlaceholder(/name, namespace or tenant/i);
    await search.fill(term);
    const typed = await eventAt(page, 'inputAt');
    const found = await painted(
      page,
      typed,
      { titleNot: unfiltered.title, rowWith: term },
      `search "${term}"`,
    );
    if (count) out.filterMs.push(found - typed);
    await search.fill('');
    await painted(
      page,
      await eventAt(page, 'inputAt'),
      { title: unfiltered.title },
      'search cleared',
    );

    // A phase: the one with the fewest clusters (but some), as a user looks for failures.
    const phases = page.getByRole('group', { name: 'Clusters per phase' });
    const counts = await phases
      .getByRole('button')
      .evaluateAll(buttons =>
        buttons.map(b => Number(b.textContent?.match(/(\d+)\s*$/)?.[1] ?? 0)),
      );
    const total = Number(unfiltered.title.match(/\d+/)?.[0]);
    const candidates = counts
      .map((n, index) => ({ n, index }))
      .filter(c => c.n > 0 && c.n < total)
      .sort((a, b) => a.n - b.n);
    if (!candidates.length) continue;
    const phase = phases.getByRole('button').nth(candidates[0].index);
    await phase.click();
    const chosen = await eventAt(page, 'clickAt');
    const shown = await painted(
      page,
      chosen,
      { title: `Clusters (${candidates[0].n})` },
      'phase filter',
    );
    if (count) out.phaseFilterMs.push(shown - chosen);
  }
}
