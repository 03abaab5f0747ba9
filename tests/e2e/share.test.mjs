// Share and export end to end: build a permalink on the page and open it in a fresh
// browser (read-only, same findings, the input's SHA-256), open a link the CLI made, see a
// forged, truncated, unknown-version, non-report and decompression-bomb link each fail
// with the codec's words while the page keeps working, and download every export. The site
// is served from a sub-path, so links must keep it. Every test asserts that no request left
// 127.0.0.1, the page threw nothing and nothing violated the CSP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { serve, browser, open, assertClean, screenshotPath, planlensBinary, ROOT } from './harness.mjs';
import { parseCsv, sarifValidator, downloadAll } from './exports.mjs';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'src/example/seed.plan.json'));
const EXAMPLE_SHA = crypto.createHash('sha256').update(EXAMPLE).digest('hex');
let server;
let b;

before(async () => {
  server = await serve({ prefix: '/planlens/' });
  b = await browser();
  await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base.replace(/\/planlens\/$/, '') });
});
after(async () => {
  await b.close();
  await server.close();
});

/** A second, fresh browser: no storage, no service worker, nothing shared with `b`. */
const fresh = browser;

const clean = (page, br = b) => assertClean(br, page);

async function goto(context, url) {
  // A fresh document each time: a fragment change alone is no navigation.
  await context.pages()[0]?.goto('about:blank');
  return open(context, url);
}

async function example(context = b.context) {
  const page = await goto(context, server.base + '#example');
  await page.waitForSelector('[data-testid=verdict]');
  return page;
}

/** Opens the Share panel and waits for the link. */
async function shareLink(page) {
  if ((await page.getAttribute('[data-testid=share-toggle]', 'aria-expanded')) !== 'true') {
    await page.click('[data-testid=share-toggle]');
  }
  await page.waitForFunction(() => document.querySelector('[data-testid=share-link]')?.value.includes('#v1.'));
  return page.inputValue('[data-testid=share-link]');
}

/** Every finding row as "RULE address [suppressed]", in table order (suppressed shown). */
async function findingRows(page) {
  await page.click('[data-testid=tab-findings]');
  await page.waitForSelector('[data-testid=findings]');
  const more = await page.$('.more-row button');
  if (more) await more.click();
  return page.$$eval('[data-testid=finding]', (rows) => rows.map((r) =>
    `${r.dataset.rule} ${r.querySelector('td.address').textContent}${r.classList.contains('suppressed') ? ' [suppressed]' : ''}`));
}

test('Share builds the permalink of what is shown, with the input while it fits', async () => {
  const page = await example();
  const withInput = await shareLink(page);
  assert.ok(withInput.startsWith(server.base + '#v1.'), `the link keeps the sub-path: ${withInput.slice(0, 60)}`);
  assert.equal(await page.isChecked('[data-testid=share-with-input]'), true, 'input is included by default when it fits');
  assert.equal(await page.isDisabled('[data-testid=share-with-input]'), false);
  const lengthText = await page.textContent('[data-testid=share-length]');
  assert.match(lengthText, new RegExp(`^${withInput.length.toLocaleString('en-US')} characters \\(report, settings and input\\)`));

  await page.uncheck('[data-testid=share-with-input]');
  await page.waitForFunction((l) => document.querySelector('[data-testid=share-link]').value !== l, withInput);
  const reportOnly = await page.inputValue('[data-testid=share-link]');
  assert.ok(reportOnly.startsWith(server.base + '#v1.'));
  assert.ok(reportOnly.length < withInput.length, 'without the input the link is shorter');
  assert.match(await page.textContent('[data-testid=share-length]'), new RegExp(`^${reportOnly.length.toLocaleString('en-US')} characters \\(report and settings\\)`));
  assert.match(await page.textContent('[data-testid=share-input-note]'), new RegExp(`With the input the link is ${withInput.length.toLocaleString('en-US')} characters`));
  console.log(`# example permalink: ${reportOnly.length} characters report only, ${withInput.length} with input (base ${server.base.length})`);

  await page.check('[data-testid=share-with-input]');
  await page.click('[data-testid=share-copy]');
  await page.waitForFunction(() => document.querySelector('[data-testid=share-copy-status]')?.textContent === 'Copied.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), withInput);
  // The state never reaches a server: building the link changed neither the address nor
  // made a request with it.
  assert.equal(page.url(), server.base + '#example');
  assert.ok(!b.requests.some((u) => u.includes('v1.')), 'the fragment was never requested');
  await page.evaluate(() => document.querySelector('[data-testid=share-panel]').scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: screenshotPath('share.png') });
  await clean(page);
});

test('a permalink opens read-only in a fresh browser with the same findings and the input digest', async () => {
  const page = await example();
  // A suppression travels with the link (settings are part of it).
  await page.click('[data-testid=tab-findings]');
  await page.click('[data-testid=finding-toggle] >> nth=0');
  await page.click('[data-testid=suppress]');
  await page.fill('[data-testid=suppress-reason]', 'accepted: SEC-7');
  await page.click('[data-testid=suppress-confirm]');
  await page.waitForSelector('[data-testid=suppressed-note]');
  const sent = await findingRows(page);
  assert.ok(sent.some((r) => r.endsWith('[suppressed]')));
  const withInput = await shareLink(page);
  await page.uncheck('[data-testid=share-with-input]');
  await page.waitForFunction((l) => document.querySelector('[data-testid=share-link]').value !== l, withInput);
  const reportOnly = await page.inputValue('[data-testid=share-link]');
  await clean(page);

  for (const [link, rerun] of [[withInput, true], [reportOnly, false]]) {
    const other = await fresh();
    try {
      const got = await open(other.context, link);
      await got.waitForSelector('[data-testid=permalink-banner]');
      await got.waitForSelector('[data-testid=verdict]');
      const banner = (await got.textContent('[data-testid=permalink-banner]')).replace(/\s+/g, ' ');
      assert.match(banner, /Opened from a permalink — read-only · made by planlens \d+\.\d+\.\d+ · input SHA-256 seed-example\.plan\.json [0-9a-f]{12}/);
      assert.equal((await got.textContent('[data-testid=permalink-digest]')).trim(), EXAMPLE_SHA.slice(0, 12));
      assert.equal(await got.getAttribute('[data-testid=permalink-digest]', 'data-sha256'), EXAMPLE_SHA);
      assert.match(await got.textContent('[data-testid=permalink-notes]'), rerun ? /run again here/ : /carries the report, not the input/);
      assert.deepEqual(await findingRows(got), sent, 'the receiver sees the same findings');

      // Read-only: the controls that would change the review are off, and say why.
      await got.click('[data-testid=finding-toggle] >> nth=0');
      await got.waitForSelector('[data-testid=finding-detail]');
      const control = (await got.$('[data-testid=suppress]')) ? 'suppress' : 'unsuppress';
      assert.equal(await got.isDisabled(`[data-testid=${control}]`), true, `${control} is disabled`);
      assert.match(await got.textContent('[data-testid=finding-detail]'), /Read-only: this review was opened from a permalink/);
      if (!rerun) {
        assert.equal(await got.$('[data-testid=finding-source]'), null, 'a carried report has no source excerpt');
      }
      await got.click('[data-testid=tab-categories]');
      await got.waitForSelector('[data-testid=override]');
      assert.equal(await got.isDisabled('[data-testid=override] >> nth=0'), true, 'category overrides are disabled');
      // Exports work on the carried report.
      const [download] = await Promise.all([got.waitForEvent('download'), got.click('[data-testid=export-json]')]);
      const json = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
      assert.equal(json.findings.length, sent.length);
      if (!rerun) {
        await got.evaluate(() => window.scrollTo(0, 0));
        await got.screenshot({ path: screenshotPath('permalink.png') });
      }

      // Start a new review: back to an empty, editable page, and the fragment is gone.
      await got.click('[data-testid=new-review]');
      await got.waitForSelector('[data-testid=permalink-banner]', { state: 'detached' });
      assert.equal(await got.$('[data-testid=verdict]'), null);
      assert.equal(new URL(got.url()).hash, '');
      await got.click('[data-testid=load-example]');
      await got.waitForSelector('[data-testid=verdict]');
      await got.click('[data-testid=tab-findings]');
      await got.click('[data-testid=finding-toggle] >> nth=0');
      assert.equal(await got.isDisabled('[data-testid=suppress]'), false, 'editable again');
      await clean(got, other);
    } finally {
      await other.close();
    }
  }
});

test('a link made by the CLI opens on the page', async () => {
  const run = spawnSync(planlensBinary(), ['check', 'src/example/seed.plan.json', '--format', 'json', '--permalink', server.base], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 1, 'the example has findings at or above high');
  const link = run.stderr.trim().split('\n').pop();
  assert.ok(link.startsWith(server.base + '#v1.'), link);
  const cli = JSON.parse(run.stdout);

  const other = await fresh();
  try {
    const page = await open(other.context, link);
    await page.waitForSelector('[data-testid=permalink-banner]');
    assert.match(await page.textContent('[data-testid=permalink-banner]'), /made by planlens/);
    assert.equal(await page.getAttribute('[data-testid=permalink-digest]', 'data-sha256'), EXAMPLE_SHA);
    const rows = await findingRows(page);
    assert.deepEqual(rows.map((r) => r.split(' ')[0]).sort(), cli.findings.map((f) => f.rule).sort());
    await clean(page, other);
  } finally {
    await other.close();
  }
});

/** base64url of zlib(JSON): what the codec reads. */
function fragment(bytes) {
  return 'v1.' + zlib.deflateSync(bytes).toString('base64url');
}

test('forged, truncated, unknown-version, non-report and bomb links each show an error; the page still works', async () => {
  const page = await example();
  const good = (await shareLink(page)).split('#')[1];
  const mid = Math.floor(good.length / 2);
  const forged = good.slice(0, mid) + (good[mid] === 'A' ? 'B' : 'A') + good.slice(mid + 1);
  const cases = [
    ['forged', forged, /damaged/],
    ['truncated', good.slice(0, Math.floor(good.length * 0.6)), /damaged|cut short/],
    ['unknown version', 'v9.' + good.slice(3), /permalink format v9, which this planlens \(\d+\.\d+\.\d+\) cannot read/],
    ['not a report', fragment(Buffer.from('{"hello": "world"}')), /not a planlens report/],
    ['bad JSON', fragment(Buffer.from('{"planlens": ')), /not JSON|not a planlens report/],
    ['decompression bomb', fragment(Buffer.alloc(20 * 1024 * 1024, 32)), /expands past \d+ bytes/],
  ];
  for (const [name, frag, expected] of cases) {
    const p = await goto(b.context, server.base + '#' + frag);
    const alert = await p.waitForSelector('[data-testid=permalink-error]');
    assert.equal(await alert.getAttribute('role'), 'alert');
    const text = await p.textContent('[data-testid=permalink-error-text]');
    assert.match(text, expected, `${name}: ${text}`);
    assert.equal(await p.$('[data-testid=permalink-banner]'), null, `${name}: not read-only`);
    if (name === 'forged') {
      await p.evaluate(() => window.scrollTo(0, 0));
      await p.screenshot({ path: screenshotPath('permalink-error.png') });
    }
    // The rest of the page still works.
    await p.click('[data-testid=load-example]');
    await p.waitForSelector('[data-testid=verdict]');
    await p.click('[data-testid=dismiss-link-error]');
    await p.waitForSelector('[data-testid=permalink-error]', { state: 'detached' });
    await clean(p);
  }
});

test('each export downloads and parses', async () => {
  const page = await example();
  const rows = await findingRows(page);
  const files = await downloadAll(page);
  assert.deepEqual(Object.values(files).map((f) => f.name), ['planlens.sarif', 'planlens-report.json', 'planlens-report.md', 'planlens-findings.csv']);

  const json = JSON.parse(files.json.text);
  for (const key of ['tool', 'input', 'findings', 'resources', 'stores', 'keys', 'metrics']) assert.ok(key in json, `JSON has ${key}`);
  assert.equal(json.findings.length, rows.length);
  assert.equal(json.input.files[0].sha256, EXAMPLE_SHA);
  for (const f of json.findings) {
    for (const key of ['rule', 'name', 'severity', 'address', 'attribute', 'category', 'message', 'evidence', 'file', 'line', 'introduced', 'suppressed']) {
      assert.ok(key in f, `finding has ${key}`);
    }
  }

  const sarif = JSON.parse(files.sarif.text);
  const validate = sarifValidator();
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].results.length, rows.length);

  const csv = parseCsv(files.csv.text);
  assert.deepEqual(csv[0], ['rule', 'name', 'severity', 'address', 'attribute', 'category', 'message', 'evidence', 'file', 'line', 'pointer', 'introduced', 'suppressed', 'suppression_reason']);
  assert.equal(csv.length - 1, rows.length, 'one CSV row per finding');
  assert.deepEqual(csv.slice(1).map((r) => `${r[0]} ${r[3] || '(project)'}`).sort(), rows.map((r) => r.replace(' [suppressed]', '')).sort());

  assert.match(files.markdown.text, /^## planlens review/);
  for (const f of json.findings) assert.ok(files.markdown.text.includes(f.rule), `Markdown names ${f.rule}`);
  await clean(page);
});
