// Who can decrypt, end to end: the key hierarchy's principals column. Selecting a
// principal highlights every key and store it can decrypt (what a leaked credential of it
// exposes); selecting a key lists its principals and the statement letting each in; the
// data-category matrix shows who can decrypt each category. A README screenshot goes to
// docs/screenshots/access.png. Every test asserts that no request left 127.0.0.1, that the
// page threw nothing and saw no CSP violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, browser, open, tab, paste, assertClean, screenshotPath, ROOT } from './harness.mjs';

const SOURCES = fs.readFileSync(path.join(ROOT, 'tests/fixtures/access/sources.tf'), 'utf8');
let server;
let b;

before(async () => {
  server = await serve();
  b = await browser();
});
after(async () => {
  await b.close();
  await server.close();
});

async function example() {
  await b.context.pages()[0]?.goto('about:blank');
  const page = await open(b.context, server.base + '#example');
  await page.waitForSelector('[data-testid=verdict]');
  return page;
}

const principal = (p) => `[data-node-id="principal:${p}"]`;
const cls = (page, id) => page.getAttribute(`[data-node-id="${id}"]`, 'class');

test('the example: select the app role, then the PII key', async () => {
  const page = await example();
  await tab(page, 'hierarchy');
  await page.waitForSelector('[data-kind=principal]');
  const kinds = await page.$$eval('[data-kind=principal]', (els) => els.map((e) => e.getAttribute('aria-label')));
  assert.equal(kinds.length, 3, `${kinds}`);
  assert.ok(kinds.some((k) => /role\/app role · use, administer, grant/.test(k)), `${kinds}`);
  assert.ok(kinds.some((k) => /cloudtrail\.amazonaws\.com service · use/.test(k)), `${kinds}`);

  // The app role decrypts with both CMKs: their stores light up, SSE-S3 ones dim.
  const app = principal('arn:aws:iam::111122223333:role/app');
  await page.click(app);
  assert.equal(await page.getAttribute(app, 'aria-pressed'), 'true');
  await page.waitForSelector('[data-testid=principal-headline]');
  assert.match(await page.textContent('[data-testid=principal-headline]'), /role\/app can decrypt \d+ stores/);
  const exposed = await page.textContent('[data-testid=principal-stores]');
  assert.match(exposed, /aws_s3_bucket\.customer_data/);
  assert.match(exposed, /aws_db_instance\.main/);
  assert.match(await cls(page, 'aws_kms_key.pii'), /\bhot\b/);
  assert.match(await cls(page, 'aws_s3_bucket.customer_data'), /\breach\b/);
  assert.match(await cls(page, 'aws_s3_bucket.static_site'), /\bdim\b/);

  // The keyboard, as the rest of the drawing: Enter unselects and selects again.
  await page.focus(app);
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute(app, 'aria-pressed'), 'false');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute(app, 'aria-pressed'), 'true');
  assert.match(await page.getAttribute(app, 'class'), /\bselected\b/);
  assert.match(await cls(page, 'aws_db_instance.main'), /\breach\b/);
  assert.match(await cls(page, 'principal:cloudtrail.amazonaws.com'), /\bdim\b/);

  // CloudTrail can only generate data keys: it reaches nothing.
  await page.click(principal('cloudtrail.amazonaws.com'));
  await page.waitForFunction(() => /can decrypt 0 stores/.test(document.querySelector('[data-testid=principal-headline]')?.textContent ?? ''));
  assert.match(await cls(page, 'aws_kms_key.pii'), /\bdim\b/);

  // Selecting a key (keyboard, as the rest of the drawing) lists who can use it and why.
  await page.focus('[data-node-id="aws_kms_key.pii"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=key-principals]');
  assert.equal(await page.getAttribute(principal('cloudtrail.amazonaws.com'), 'aria-pressed'), 'false');
  // The key's principals light up in the column.
  assert.match(await cls(page, 'principal:cloudtrail.amazonaws.com'), /\bhot\b/);
  const who = await page.textContent('[data-testid=key-principals]');
  assert.match(who, /role\/app[\s\S]*can use[\s\S]*"AllowAppUsage"/);
  assert.match(who, /:root[\s\S]*can administer[\s\S]*"EnableIAMUserPermissions"/);
  assert.match(who, /cloudtrail\.amazonaws\.com[\s\S]*can use[\s\S]*"AllowCloudTrailUsage"/);

  // The matrix: who can decrypt PII.
  await tab(page, 'categories');
  assert.match(await page.textContent('[data-testid=cell-pii-decryptors]'), /role\/app/);
  await assertClean(b, page);
});

test('identity policies, groups and grants from .tf', async () => {
  await b.context.pages()[0]?.goto('about:blank');
  const page = await open(b.context, server.base);
  await paste(page, SOURCES);
  await page.click('[data-testid=analyse]');
  await page.waitForSelector('[data-testid=verdict]');
  await tab(page, 'hierarchy');
  await page.waitForSelector('[data-kind=principal]');
  assert.ok(await page.$(principal('aws_iam_group.analysts')), 'the group is drawn');
  assert.ok(await page.$(principal('arn:aws:iam::444455556666:root')), 'the partner account is drawn');

  // jane is in the analysts group, which has PowerUserAccess: she reaches the PII bucket.
  await page.click(principal('aws_iam_user.jane'));
  await page.waitForSelector('[data-testid=principal-stores]');
  assert.match(await page.textContent('[data-testid=principal-stores]'), /aws_s3_bucket\.customers/);
  assert.match(await cls(page, 'aws_s3_bucket.customers'), /\breach\b/);

  await page.click('[data-node-id="aws_kms_key.pii"]');
  await page.waitForSelector('[data-testid=key-principals]');
  const who = await page.textContent('[data-testid=key-principals]');
  assert.match(who, /aws_iam_role\.ops[\s\S]*"OpsAdmin" in aws_iam_policy\.ops \(aws_iam_role_policy_attachment\.ops\)/);
  assert.match(who, /aws_iam_user\.jane[\s\S]*member of aws_iam_group\.analysts/);
  assert.match(who, /grant in aws_kms_grant\.etl/);

  // Back to a principal for the README picture.
  await page.click(principal('aws_iam_role.ops'));
  await page.waitForSelector('[data-testid=principal-headline]');
  await page.evaluate(() => {
    const top = document.querySelector('[data-testid=hierarchy-summary]').getBoundingClientRect().top;
    window.scrollBy(0, top - 12);
  });
  await page.screenshot({ path: screenshotPath('access.png') });
  await assertClean(b, page);
});
