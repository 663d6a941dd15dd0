/*
 * End-to-end test of the CAPA plugins in a real headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core) against the running portal, whose backend reads the demo management
 * cluster (the Kubernetes-protocol test server seeded with tenants acme and globex and two
 * clusters). Run with `yarn test:e2e` in packages/app; it starts `yarn start` when no portal runs.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Browser, chromium, Page } from 'playwright-core';
import { FRONTEND, startPortal } from './portal';

const REPORT_DIR = path.resolve(__dirname, '../../../e2e-test-report');
const log = (m: string) => console.log(`[e2e] ${m}`);

let browser: Browser;
let page: Page;
let stopPortal: () => Promise<void> = async () => {};

before(
  async () => {
    stopPortal = await startPortal(log);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1400, height: 1100 },
    });
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    // Sign in once as the guest (a member of platform-team; the demo's policy allows everything).
    await page.goto(FRONTEND);
    await page.getByRole('button', { name: /enter/i }).click();
    await page.waitForURL(u => !u.pathname.includes('sign-in'));
  },
  { timeout: 600_000 },
);

after(async () => {
  await browser?.close();
  await stopPortal();
});

test('the cluster page shows phase, AWS account, update-kubeconfig command, and downloads the kubeconfig', async () => {
  await page.goto(`${FRONTEND}/catalog/default/resource/local-acme-prod`);
  const card = page
    .locator('article, [class*="MuiCard"]')
    .filter({ hasText: 'aws eks update-kubeconfig' })
    .first();
  await card.waitFor();
  await page.getByText('Provisioned').first().waitFor();
  const text = await card.innerText();
  assert.match(text, /Provisioned/);
  assert.match(text, /111122223333/);
  assert.match(text, /acme-production/); // the friendly account name from app-config
  assert.match(text, /eu-west-1/);
  assert.match(
    text,
    /aws eks update-kubeconfig --name acme-prod --region eu-west-1/,
  );

  fs.mkdirSync(REPORT_DIR, { recursive: true });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /download kubeconfig/i }).click(),
  ]);
  const file = path.join(REPORT_DIR, download.suggestedFilename());
  await download.saveAs(file);
  const kubeconfig = fs.readFileSync(file, 'utf8');
  assert.match(kubeconfig, /exec:/);
  assert.match(kubeconfig, /get-token/);
  assert.doesNotMatch(kubeconfig, /token:|client-key/);

  const screenshot = path.join(REPORT_DIR, 'capa-cluster-page.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  log(`screenshot saved to ${screenshot}`);
});

test('the fleet page lists both demo clusters with phase counts', async () => {
  await page.goto(`${FRONTEND}/capa`);
  await page.getByRole('link', { name: 'prod' }).first().waitFor();
  const text = await page.locator('body').innerText();
  assert.match(text, /prod/);
  assert.match(text, /dev/);
  assert.match(text, /globex/);
  assert.match(text, /Provisioned/);
  await page.screenshot({
    path: path.join(REPORT_DIR, 'capa-fleet-page.png'),
    fullPage: true,
  });
});

test("the tenant's group page lists its clusters", async () => {
  await page.goto(`${FRONTEND}/catalog/default/group/team-acme`);
  const card = page
    .locator('article, [class*="MuiCard"]')
    .filter({ hasText: /eu-west-1/ })
    .first();
  await card.waitFor();
  assert.match(await card.innerText(), /prod/);
});
