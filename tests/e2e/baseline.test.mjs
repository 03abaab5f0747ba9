// A baseline file on the page, through the analysis worker: picked with "Baseline…", the
// findings it holds are marked "baselined" and not counted, the status says how many are new
// and which entries no longer occur, the JSON export carries the comparison, and "Clear"
// counts everything again. The fixture (tests/fixtures/ci/example.baseline.json) is the
// built-in example's baseline less one entry, plus one for a key that is gone; tests/ci_reports.rs
// keeps it in step with the engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, browser, open, tab, assertClean, ROOT } from './harness.mjs';

const FIXTURE = path.join(ROOT, 'tests/fixtures/ci/example.baseline.json');
const ENTRIES = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')).findings.length;
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

test('a baseline file marks the findings it holds, through the worker', async () => {
  const page = await open(b.context, server.base + '#example');
  await page.waitForSelector('[data-testid=verdict]');
  const before = await page.textContent('[data-testid=verdict]');

  await page.setInputFiles('[data-testid=baseline-input]', FIXTURE);
  const status = page.locator('[data-testid=baseline-status]');
  await status.filter({ hasText: 'no longer occurs' }).waitFor();
  const text = await status.textContent();
  assert.match(text, /example\.baseline\.json/);
  // ENTRIES - 1 entries match; one finding is new; the gone key's entry is stale.
  assert.match(text, new RegExp(`${ENTRIES - 1} findings already in the baseline \\(${ENTRIES} entries\\)`));
  assert.match(text, /; 1 new; 1 baseline entry no longer occurs/);
  // The verdict counts the new finding only.
  assert.notEqual(await page.textContent('[data-testid=verdict]'), before);

  await tab(page, 'findings');
  assert.equal(await page.locator('[data-testid=finding] [data-testid=baselined]').count(), ENTRIES - 1);
  // Opened, a baselined finding says why it is not counted, and offers no "Unsuppress".
  const marked = page.locator('[data-testid=finding]').filter({ has: page.locator('[data-testid=baselined]') }).first();
  await marked.locator('[data-testid=finding-toggle]').click();
  const note = marked.locator('[data-testid=suppressed-note]');
  await note.waitFor();
  assert.match(await note.textContent(), /by the baseline file/);
  assert.equal(await marked.locator('[data-testid=unsuppress]').count(), 0);
  await page.screenshot({ path: path.join(ROOT, 'tests/e2e/screenshots/baseline.tmp.png') });

  // The export comes from the worker's review: it carries the comparison.
  await tab(page, 'overview');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')]);
  const report = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(report.baseline.entries, ENTRIES);
  assert.equal(report.baseline.new, 1);
  assert.deepEqual(report.baseline.stale.map((e) => e.address), ['aws_kms_key.gone']);

  // A file that is not a baseline is refused with its reason; the marks stay.
  await page.setInputFiles('[data-testid=baseline-input]', {
    name: 'plan.json', mimeType: 'application/json', buffer: Buffer.from('{"format_version": "1.2"}'),
  });
  await page.locator('[data-testid=failure]').filter({ hasText: 'not a planlens baseline' }).waitFor();

  await page.click('[data-testid=baseline-clear]');
  await status.waitFor({ state: 'detached' });
  await tab(page, 'findings');
  assert.equal(await page.locator('[data-testid=baselined]').count(), 0);
  assert.equal(await page.textContent('[data-testid=verdict]'), before);
  await assertClean(b, page);
});
