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
let tenantPage: Page;
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
    // Two people, each in a browser context of their own: the platform engineer (the guest, a
    // member of platform-team) and a tenant developer (acme-dev, a member of team-acme).
    page = await signedIn(async p => {
      await p.getByRole('button', { name: /enter/i }).click();
    });
    tenantPage = await signedIn(async p => {
      await p
        .locator('article, [class*="MuiCard"]')
        .filter({ hasText: 'Tenant developer (team-acme)' })
        .getByRole('button', { name: /sign in/i })
        .click();
    });
  },
  { timeout: 600_000 },
);

/** A new browser context, signed in through the sign-in page with `choose`. */
async function signedIn(choose: (p: Page) => Promise<void>): Promise<Page> {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1400, height: 1100 },
  });
  const p = await context.newPage();
  p.setDefaultTimeout(60_000);
  await p.goto(FRONTEND);
  await choose(p);
  await p.waitForURL(u => !u.pathname.includes('sign-in'));
  return p;
}

after(async () => {
  await browser?.close();
  await stopPortal();
});

test('the cluster page shows phase, AWS account, update-kubeconfig command, and downloads the kubeconfig', async () => {
  await page.goto(`${FRONTEND}/catalog/default/resource/local.acme.prod`);
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

test('a failing cluster says why, with the evidence, the fix and the template that applies it', async () => {
  // The demo's broken cluster for this cause: EC2 does not offer the instance type in a zone.
  await page.goto(
    `${FRONTEND}/catalog/default/resource/local.demo-broken.instance-type-not-offered`,
  );
  const block = page.getByRole('region', {
    name: 'Diagnosis: Instance type not offered in a zone',
  });
  await block.waitFor();
  const text = await block.innerText();
  assert.match(text, /Fix:/);
  assert.match(text, /Fixed by:\s*the cluster's owners \(the tenant\)/);
  assert.match(text, /AWSManagedMachinePool instance-type-not-offered-general/);
  const fix = block.getByRole('link', { name: 'Change node pools' });
  const href = (await fix.getAttribute('href')) ?? '';
  assert.match(href, /\/create\/templates\/default\/capa-change-node-pools\?formData=/);
  assert.match(
    decodeURIComponent(href),
    /"cluster":"resource:default\/local\.demo-broken\.instance-type-not-offered"/,
  );
  const screenshot = path.join(REPORT_DIR, 'capa-cluster-diagnosis.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  log(`screenshot saved to ${screenshot}`);
});

test('the fleet page lists the demo clusters with phase counts, and those that need attention per cause', async () => {
  await page.goto(`${FRONTEND}/capa`);
  await page.getByRole('link', { name: 'prod' }).first().waitFor();
  const text = await page.locator('body').innerText();
  assert.match(text, /prod/);
  assert.match(text, /Provisioned/);
  // demo-broken's clusters, one per cause, each counted under its cause.
  const cause = page.getByLabel('Needs attention', { exact: true });
  const options = await cause.locator('option').allInnerTexts();
  assert.ok(options.includes('Any cause'), options.join(', '));
  assert.ok(
    options.some(o => /^VPC quota reached \(\d+\)$/.test(o)),
    options.join(', '),
  );
  await cause.selectOption('quota-vpcs');
  await page.getByRole('link', { name: 'quota-vpcs' }).waitFor();
  await page.getByText('Clusters (1)').waitFor();
  await page.screenshot({
    path: path.join(REPORT_DIR, 'capa-fleet-page.png'),
    fullPage: true,
  });
  await cause.selectOption('');
  await page.getByLabel('Tenant').selectOption('globex');
  await page.getByRole('link', { name: 'dev' }).waitFor();
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

test('a tenant developer can create clusters only in their own tenant', async () => {
  await tenantPage.goto(
    `${FRONTEND}/create/templates/default/capa-create-eks-cluster`,
  );
  const tenant = tenantPage.getByRole('button', { name: /tenant/i }).first();
  await tenant.waitFor();
  // The only tenant acme-dev may create clusters in is chosen by itself; globex is not offered.
  await tenantPage
    .getByText(/acme \(management cluster local/)
    .first()
    .waitFor();
  await tenant.click();
  const options = await tenantPage.getByRole('option').allInnerTexts();
  assert.ok(options.some(o => /^acme \(management cluster local/.test(o)));
  assert.ok(!options.some(o => /globex/.test(o)), options.join(' | '));
  await tenantPage.keyboard.press('Escape');
  await tenantPage.screenshot({
    path: path.join(REPORT_DIR, 'capa-tenant-create-cluster.png'),
    fullPage: true,
  });

  // The onboarding template is the platform team's: not offered to a tenant developer.
  await tenantPage.goto(`${FRONTEND}/create`);
  await tenantPage
    .getByText('Create an EKS cluster for a tenant')
    .first()
    .waitFor();
  assert.doesNotMatch(
    await tenantPage.locator('body').innerText(),
    /Onboard a tenant AWS account/,
  );
});

test("another tenant's cluster card offers a tenant developer no kubeconfig and no operations", async () => {
  await tenantPage.goto(
    `${FRONTEND}/catalog/default/resource/local.globex.dev`,
  );
  const card = tenantPage
    .locator('article, [class*="MuiCard"]')
    .filter({ hasText: /us-east-2/ })
    .first();
  await card.waitFor();
  await tenantPage
    .getByText(/Only the cluster's owners may take its kubeconfig/)
    .waitFor();
  const text = await card.innerText();
  assert.doesNotMatch(text, /Operations|Upgrade the cluster|Change node pools/);
  assert.equal(
    await tenantPage
      .getByRole('button', { name: /download kubeconfig/i })
      .count(),
    0,
  );
  await tenantPage.screenshot({
    path: path.join(REPORT_DIR, 'capa-tenant-other-cluster.png'),
    fullPage: true,
  });

  // Their own tenant's cluster: the kubeconfig and the operations are there.
  await tenantPage.goto(`${FRONTEND}/catalog/default/resource/local.acme.prod`);
  await tenantPage
    .getByRole('button', { name: /download kubeconfig/i })
    .waitFor();
  await tenantPage.getByRole('link', { name: 'Upgrade the cluster' }).waitFor();
});
