// The review views end to end: overview metrics, findings (open, copy the fix, filter,
// suppress), the data-category matrix (override a category), the key hierarchy (select a
// key, blast radius, download the SVG), folder input, phone width. Screenshots for the
// README go to docs/screenshots/. Every test asserts that no request left 127.0.0.1 and
// that the page threw nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, browser, open, tab, assertClean, screenshotPath, showInventory, ROOT } from './harness.mjs';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'src/example/seed.plan.json'), 'utf8');
let server;
let b;

before(async () => {
  server = await serve();
  b = await browser();
  // The built page's CSP (style-src 'self') forbids style attributes: the views must not
  // need any.
});
after(async () => {
  await b.close();
  await server.close();
});

const clean = (page) => assertClean(b, page);

async function example() {
  // A fresh document each time: going from #example to #example is no navigation at all.
  await b.context.pages()[0]?.goto('about:blank');
  const page = await open(b.context, server.base + '#example');
  await page.waitForSelector('[data-testid=verdict]');
  return page;
}

/** A README screenshot: the review from the verdict down, at 1280×900. */
async function shot(page, name) {
  await page.evaluate(() => {
    const top = document.querySelector('[data-testid=verdict]').getBoundingClientRect().top;
    window.scrollBy(0, top - 12);
  });
  await page.screenshot({ path: screenshotPath(name) });
}

/** The integer count in a matrix cell button, 0 when the row has no such cell. */
async function cellCount(page, testid) {
  const el = await page.$(`[data-testid=${testid}]`);
  return el ? Number((await el.textContent()).trim().split(' ')[0]) : 0;
}

test('overview: the five metrics, counts by severity, the file read', async () => {
  const page = await example();
  const metrics = await page.$$('[data-testid=metrics] article.metric');
  assert.equal(metrics.length, 5);
  const text = await page.textContent('[data-testid=metrics]');
  for (const title of ['PII and financial data stores with a CMK', 'CMKs with rotation enabled',
    'External endpoints on TLS 1.2+', 'ACM certificates expiring in more than 30 days',
    'AWS providers with EBS encryption by default']) {
    assert.ok(text.includes(title), `metric "${title}" shown`);
  }
  assert.match(text, /\d+%/);
  assert.match(await page.textContent('[data-testid=files]'), /seed-example\.plan\.json[\s\S]*plan JSON/);
  assert.match(await page.textContent('[data-testid=severity-counts]'), /critical[\s\S]*high[\s\S]*medium/i);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshotPath('overview.png') });

  // A metric that falls short links to the findings behind it.
  if (await page.$('[data-testid=metric-kms_rotation-findings]')) {
    await page.click('[data-testid=metric-kms_rotation-findings]');
    await page.waitForSelector('[data-testid=finding-focus]');
    assert.match(await page.textContent('[data-testid=finding-focus]'), /CMKs with rotation enabled: falling short/);
    const addrs = await page.$$eval('[data-testid=finding] td.address', (els) => els.map((e) => e.textContent));
    assert.ok(addrs.length > 0 && addrs.every((a) => a.startsWith('aws_kms_key.')), `focused: ${addrs}`);
    await tab(page, 'overview');
    await page.click('[data-testid=metric-kms_rotation-resources]');
    await page.waitForSelector('[data-testid=resource-focus]');
    assert.match(await page.textContent('[data-testid=resource-counts]'), /^1 of \d+ resources/);
    await tab(page, 'overview');
  }

  // A severity card opens the findings filtered to it.
  await page.click('[data-testid=count-high]');
  await page.waitForSelector('[data-testid=panel-findings]');
  assert.equal(await page.getAttribute('[data-testid=filter-sev-high]', 'aria-pressed'), 'true');
  const sevs = await page.$$eval('[data-testid=finding] .sev', (els) => els.map((e) => e.textContent));
  assert.ok(sevs.every((s) => s === 'high'), `only high findings: ${sevs}`);
  await clean(page);
});

test('tabs switch with the arrow keys', async () => {
  const page = await example();
  await page.focus('[data-testid=tab-overview]');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[data-testid=panel-findings]');
  assert.equal(await page.getAttribute('[data-testid=tab-findings]', 'aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-findings');
  await page.keyboard.press('End');
  await page.waitForSelector('[data-testid=panel-resources]');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[data-testid=panel-overview]');
  await clean(page);
});

test('drop a plan and read a finding with its fix', async () => {
  const page = await open(b.context, server.base);
  await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base.replace(/\/$/, '') });
  const dt = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'plan.json', { type: 'application/json' }));
    return dt;
  }, EXAMPLE);
  await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: dt });
  await page.waitForSelector('[data-testid=verdict]');
  await tab(page, 'findings');
  const rows = await page.$$('[data-testid=finding]');
  assert.ok(rows.length > 0, 'the example has findings');
  assert.match(await page.textContent('[data-testid=finding-counts]'), /\d+ findings?/);

  await page.click('[data-testid=finding] >> nth=0 >> [data-testid=finding-toggle]');
  await page.waitForSelector('[data-testid=finding-detail]');
  assert.equal(await page.getAttribute('[data-testid=finding-toggle] >> nth=0', 'aria-expanded'), 'true');
  const detail = await page.textContent('[data-testid=finding-detail]');
  assert.match(detail, /Why it matters/);
  assert.match(detail, /Evidence/);
  assert.match(detail, /JSON pointer|plan\.json/);
  const fix = await page.textContent('[data-testid=finding-fix]');
  assert.ok(fix.trim().length > 10, 'a fix snippet is shown');
  await page.click('[data-testid=copy-fix]');
  await page.waitForFunction(() => document.querySelector('[data-testid=copy-status]')?.textContent !== '');
  assert.equal(await page.textContent('[data-testid=copy-status]'), 'Copied.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), fix);

  // Keyboard: Enter on the disclosure closes it again.
  await page.focus('[data-testid=finding-toggle] >> nth=0');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=finding-detail]', { state: 'detached' });
  // For the README: the KMS findings, one opened with its fix.
  while (await page.$('[data-testid=finding-toggle][aria-expanded=true]')) {
    await page.click('[data-testid=finding-toggle][aria-expanded=true]');
    await page.waitForTimeout(50);
  }
  await page.selectOption('[data-testid=filter-service]', 'kms');
  const pick = (await page.$('[data-rule=KMS001]')) ? '[data-rule=KMS001] [data-testid=finding-toggle]' : '[data-testid=finding-toggle] >> nth=0';
  await page.click(pick);
  await page.waitForSelector('[data-testid=finding-detail]');
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.evaluate(() => {
    const top = document.querySelector('[role=tablist]').getBoundingClientRect().top;
    window.scrollBy(0, top - 8);
  });
  await page.screenshot({ path: screenshotPath('findings.png') });
  await page.setViewportSize({ width: 1280, height: 900 });
  await clean(page);
});

test('filter findings by severity, rule, service and text; counts follow', async () => {
  const page = await example();
  await tab(page, 'findings');
  const total = (await page.$$('[data-testid=finding]')).length;
  assert.ok(total > 1);

  await page.click('[data-testid=filter-sev-high]');
  const high = (await page.$$('[data-testid=finding]')).length;
  const chip = await page.textContent('[data-testid=filter-sev-high]');
  assert.equal(Number(chip.match(/(\d+)\s*$/)[1]), high, 'the chip counts what it shows');
  assert.match(await page.textContent('[data-testid=finding-counts]'), new RegExp(`Showing ${high} of ${total}`));
  await page.click('[data-testid=filter-sev-high]');
  assert.equal((await page.$$('[data-testid=finding]')).length, total);

  const firstRule = await page.getAttribute('[data-testid=finding] >> nth=0', 'data-rule');
  await page.selectOption('[data-testid=filter-rule]', firstRule);
  const rules = await page.$$eval('[data-testid=finding]', (els) => els.map((e) => e.dataset.rule));
  assert.ok(rules.length > 0 && rules.every((r) => r === firstRule), `only ${firstRule}: ${rules}`);
  await page.click('[data-testid=filter-clear]');

  await page.selectOption('[data-testid=filter-service]', 'elb');
  const elb = await page.$$eval('[data-testid=finding] td.address', (els) => els.map((e) => e.textContent));
  assert.ok(elb.length > 0 && elb.every((a) => a.startsWith('aws_lb')), `elb only: ${elb}`);
  await page.click('[data-testid=filter-clear]');

  await page.fill('[data-testid=filter-text]', 'cloudfront');
  const cf = await page.$$eval('[data-testid=finding] td.address', (els) => els.map((e) => e.textContent));
  assert.ok(cf.length > 0 && cf.every((a) => a.includes('cloudfront')), `search: ${cf}`);
  await page.fill('[data-testid=filter-text]', 'no-such-thing-anywhere');
  assert.match(await page.textContent('[data-testid=findings]'), /No findings match these filters/);
  await page.click('[data-testid=filter-clear]');

  // Sorting by resource orders the addresses.
  await page.click('[data-testid=sort-resource]');
  const addrs = await page.$$eval('[data-testid=finding] td.address', (els) => els.map((e) => e.textContent));
  assert.deepEqual(addrs, [...addrs].sort());
  await clean(page);
});

test('suppress a finding with a reason, see it stay visible as suppressed, unsuppress it', async () => {
  const page = await example();
  await tab(page, 'findings');
  const before = await page.textContent('[data-testid=tab-findings] .badge');
  await page.click('[data-testid=finding-toggle] >> nth=0');
  await page.click('[data-testid=suppress]');
  await page.fill('[data-testid=suppress-reason]', 'accepted risk: ticket SEC-42');
  await page.click('[data-testid=suppress-confirm]');
  await page.waitForSelector('[data-testid=suppressed-note]');
  assert.match(await page.textContent('[data-testid=suppressed-note]'), /accepted risk: ticket SEC-42/);
  assert.match(await page.textContent('[data-testid=finding-counts]'), /1 suppressed/);
  assert.equal(Number(await page.textContent('[data-testid=tab-findings] .badge')), Number(before) - 1);

  await page.uncheck('[data-testid=filter-suppressed]');
  assert.equal(await page.$('[data-testid=suppressed-note]'), null, 'hidden when suppressed are hidden');
  await page.check('[data-testid=filter-suppressed]');
  await page.click('[data-testid=unsuppress]');
  await page.waitForSelector('[data-testid=suppress]');
  assert.equal(await page.textContent('[data-testid=tab-findings] .badge'), before);
  await clean(page);
});

test('override a category and see the matrix change', async () => {
  const page = await example();
  await tab(page, 'categories');
  const piiBefore = await cellCount(page, 'cell-pii-stores');
  const healthBefore = await cellCount(page, 'cell-health-stores');
  assert.ok(piiBefore > 0, 'the example has PII stores');

  const select = '[data-testid=override][data-address="aws_s3_bucket.user_exports"]';
  await page.selectOption(select, 'health');
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid=cell-health-stores]')?.textContent) === n,
    healthBefore + 1,
  );
  assert.equal(await cellCount(page, 'cell-pii-stores'), piiBefore - 1);
  const row = page.locator('[data-testid=stores] tr[data-store="aws_s3_bucket.user_exports"]');
  assert.equal((await row.locator('[data-testid=category-source]').textContent()).trim(), 'override');

  // Every view follows: the resources inventory shows the overridden category.
  await tab(page, 'resources');
  assert.match(await page.textContent('[data-testid=inventory]'), /health \(override\)/);
  await tab(page, 'categories');

  // A cell opens the stores behind it.
  await page.click('[data-testid=cell-health-stores]');
  assert.match(await page.textContent('[data-testid=drill-heading]'), /Health data: all stores/);
  const listed = await page.$$eval('[data-testid=stores] tbody tr', (els) => els.map((e) => e.dataset.store));
  assert.deepEqual(listed, ['aws_s3_bucket.user_exports']);
  await shot(page, 'categories.png');

  await page.selectOption(select, '');
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid=cell-pii-stores]')?.textContent) === n,
    piiBefore,
  );
  await clean(page);
});

test('select a key and see its blast radius; download the SVG', async () => {
  const page = await example();
  await tab(page, 'hierarchy');
  await page.waitForSelector('[data-testid=hierarchy] svg');
  assert.ok((await page.$$('[data-kind=missing]')).length > 0, 'missing category keys are drawn');
  assert.match(await page.textContent('[data-testid=hierarchy-summary]'), /missing: cmk-/);
  assert.match(await page.textContent('[data-testid=legend]'), /cryptographic erasure/);

  await page.click('[data-node-id="aws_kms_key.pii"]');
  await page.waitForSelector('[data-testid=blast-headline]');
  const headline = await page.textContent('[data-testid=blast-headline]');
  assert.match(headline, /Deleting alias\/cmk-pii would make \d+ stores? undecryptable/);
  const blast = await page.textContent('[data-testid=blast-stores]');
  assert.match(blast, /aws_db_instance\.main/);
  assert.match(blast, /aws_s3_bucket\.customer_data/);
  assert.match(await page.getAttribute('[data-node-id="aws_db_instance.main"]', 'class'), /\bhot\b/);
  assert.match(await page.getAttribute('[data-node-id="aws_s3_bucket.static_site"]', 'class'), /\bdim\b/);
  await shot(page, 'hierarchy.png');

  // Keyboard: focus another key, Enter selects it.
  await page.focus('[data-node-id="provider-owned:s3"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /protects/.test(document.querySelector('[data-testid=blast-headline]')?.textContent ?? ''));
  assert.equal(await page.getAttribute('[data-node-id="provider-owned:s3"]', 'aria-pressed'), 'true');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[data-testid=download-svg]'),
  ]);
  assert.equal(download.suggestedFilename(), 'planlens-key-hierarchy.svg');
  const svg = fs.readFileSync(await download.path(), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /alias\/cmk-pii/);
  assert.match(svg, /cryptographic erasure/);
  assert.ok(!svg.includes('class='), 'the SVG is standalone: inline styles only');
  await clean(page);
});

test('a picked folder keeps its relative paths', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planlens-folder-'));
  const infra = path.join(dir, 'infra');
  fs.mkdirSync(path.join(infra, 'modules', 'kms'), { recursive: true });
  fs.mkdirSync(path.join(infra, '.terraform'), { recursive: true });
  fs.writeFileSync(path.join(infra, 'main.tf'), 'resource "aws_s3_bucket" "customer_data" {\n  bucket = "x"\n}\n');
  fs.writeFileSync(path.join(infra, 'modules', 'kms', 'main.tf'), 'resource "aws_kms_key" "k" {\n  enable_key_rotation = false\n}\n');
  fs.writeFileSync(path.join(infra, '.terraform', 'junk.json'), '{"not": "read"}');
  fs.writeFileSync(path.join(infra, 'README.md'), '# not read');
  const page = await open(b.context, server.base);
  try {
    await page.setInputFiles('[data-testid=folder-input]', infra);
    await page.waitForSelector('[data-testid=files]');
    const files = await page.textContent('[data-testid=files]');
    assert.match(files, /infra\/main\.tf/);
    assert.match(files, /infra\/modules\/kms\/main\.tf/);
    assert.ok(!files.includes('junk.json') && !files.includes('README'), files);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await clean(page);
});

test('a picked folder with .terraform/modules reads the installed module and names the one not read', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planlens-installed-'));
  const infra = path.join(dir, 'infra');
  const installed = path.join(infra, '.terraform', 'modules');
  fs.mkdirSync(path.join(installed, 'bucket'), { recursive: true });
  fs.mkdirSync(path.join(infra, '.terraform', 'providers'), { recursive: true });
  fs.writeFileSync(path.join(infra, 'main.tf'),
    'module "bucket" {\n  source  = "terraform-aws-modules/s3-bucket/aws"\n  version = "4.1.2"\n  bucket  = "myorg-customers"\n}\n\n' +
    'module "audit" {\n  source = "git::https://example.com/audit.git"\n}\n');
  fs.writeFileSync(path.join(installed, 'modules.json'), JSON.stringify({ Modules: [
    { Key: '', Source: '', Dir: '.' },
    { Key: 'bucket', Source: 'registry.terraform.io/terraform-aws-modules/s3-bucket/aws', Version: '4.1.2', Dir: '.terraform/modules/bucket' },
  ] }));
  fs.writeFileSync(path.join(installed, 'bucket', 'main.tf'),
    'variable "bucket" {\n  type = string\n}\n\nresource "aws_s3_bucket" "this" {\n  bucket = var.bucket\n  tags   = { data-class = "pii" }\n}\n');
  fs.writeFileSync(path.join(infra, '.terraform', 'providers', 'junk.json'), '{"not": "read"}');
  const page = await open(b.context, server.base);
  try {
    await page.setInputFiles('[data-testid=folder-input]', infra);
    await page.waitForSelector('[data-testid=unread-module]');
    const files = await page.textContent('[data-testid=files]');
    assert.match(files, /\.terraform\/modules\/bucket\/main\.tf/);
    assert.match(files, /modules\.json/);
    assert.ok(!files.includes('junk.json'), files);
    const unread = await page.textContent('[data-testid=unread-module]');
    assert.match(unread, /module\.audit/);
    assert.match(unread, /To include it/);
    const verdict = await page.textContent('[data-testid=verdict]');
    assert.match(verdict, /1 module was not read: its resources are not reviewed/);
    assert.match(await page.getAttribute('[data-testid=verdict]', 'class'), /verdict (warn|bad)/);
    assert.match(await page.textContent('[data-testid=unread]'), /module\.audit \(git::/);
    await showInventory(page);
    assert.match(await page.textContent('[data-testid=inventory]'), /module\.bucket\.aws_s3_bucket\.this/);
    await tab(page, 'overview');
    await page.screenshot({ path: screenshotPath('unread-modules.png'), fullPage: true });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await clean(page);
});

test('the views fit a phone width', async () => {
  const page = await example();
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    for (const name of ['overview', 'findings', 'categories', 'hierarchy', 'resources']) {
      await tab(page, name);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name} overflows the viewport by ${overflow}px`);
    }
    await tab(page, 'findings');
    await page.click('[data-testid=finding-toggle] >> nth=0');
    await page.waitForSelector('[data-testid=finding-detail]');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `an open finding overflows by ${overflow}px`);
    await page.screenshot({ path: screenshotPath('phone-findings.png') });
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  await clean(page);
});
