// Fixes end to end: a .tf configuration with several fixable findings, a finding's fix shown
// as a diff of the user's own lines (badge, description, consequence, planned evidence), the
// default choice of fixes (safe in, unsafe out), the downloaded patch applied with
// `git apply` to a copy of the file, and the fixed file reviewed again (by the CLI, built
// when missing, and by the page). A plan has no fixes: its findings say that fixes need the .tf
// files. Every test asserts that no request left 127.0.0.1 and that the page threw nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, browser, open, tab, assertClean, screenshotPath, planlensBinary, ROOT } from './harness.mjs';

/** KMS001, RDS002–RDS004 and EBS001 have safe fixes; TLS001 (the listener's policy) an
 * unsafe one; ENC002, ENC003, KMS006 and KMS007 none. */
const TF = `# Keys and the customer database.
resource "aws_kms_key" "data" {
  description = "customer data"
}

resource "aws_db_instance" "customers" {
  identifier        = "customers"
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "app"
  password          = "not-a-secret"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.data.arn
  tags = {
    DataCategory = "pii"
  }
}

resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  internal           = false
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-2016-08"
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "200"
    }
  }
}
`;
const SAFE = ['EBS001', 'KMS001', 'RDS002', 'RDS003', 'RDS004'];
const UNSAFE = ['TLS001'];
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'src/example/seed.plan.json'), 'utf8');

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

async function load(page, text) {
  await page.setInputFiles('[data-testid=file-input]', [{ name: 'main.tf', mimeType: 'text/plain', buffer: Buffer.from(text) }]);
  await page.waitForSelector('[data-testid=verdict]');
  await tab(page, 'findings');
}

async function rules(page) {
  return page.$$eval('[data-testid=finding]', (els) => els.map((e) => e.dataset.rule));
}

async function openFinding(page, rule) {
  await page.click(`[data-rule=${rule}] [data-testid=finding-toggle]`);
  await page.waitForSelector(`[data-rule=${rule}] [data-testid=finding-fix-diff]`);
  return `[data-rule=${rule}] [data-testid=finding-detail]`;
}

async function downloadPatch(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-patch]')]);
  await page.waitForFunction(() => document.querySelector('[data-testid=patch-status]')?.textContent !== '');
  return { name: download.suggestedFilename(), text: fs.readFileSync(await download.path(), 'utf8') };
}

/** A git repository holding the original main.tf; returns its folder. */
function repo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planlens-fix-'));
  execFileSync('git', ['init', '-q', dir]);
  fs.writeFileSync(path.join(dir, 'main.tf'), TF);
  return dir;
}

test('a .tf finding shows its fix as a diff; the chosen fixes download as a patch that git applies', async () => {
  await b.context.pages()[0]?.goto('about:blank');
  const page = await open(b.context, server.base);
  await load(page, TF);
  const shown = await rules(page);
  for (const r of [...SAFE, ...UNSAFE]) assert.ok(shown.includes(r), `${r} is found: ${shown}`);

  // Default choice: the safe fixes in, the unsafe one out.
  const boxes = await page.$$eval('[data-testid=finding]', (els) => els.flatMap((e) => {
    const box = e.querySelector('[data-testid=fix-include]');
    return box ? [[e.dataset.rule, box.dataset.safety, box.checked]] : [];
  }));
  assert.deepEqual(boxes.map(([r]) => r).sort(), [...SAFE, ...UNSAFE].sort(), 'a checkbox per fixable finding');
  for (const [rule, safety, checked] of boxes) {
    assert.equal(safety, UNSAFE.includes(rule) ? 'unsafe' : 'safe', rule);
    assert.equal(checked, safety === 'safe', `${rule}: safe fixes are chosen, unsafe ones not`);
  }
  assert.equal(await page.textContent('[data-testid=patch-selection]'), '5 of 6 fixes selected');

  // The safe KMS fix: the user's own lines, the new attribute added.
  const kms = await openFinding(page, 'KMS001');
  assert.equal(await page.textContent(`${kms} [data-testid=fix-safety]`), 'safe fix');
  assert.match(await page.textContent(`${kms} [data-testid=fix-description]`), /enable_key_rotation = true/);
  assert.equal(await page.$(`${kms} [data-testid=fix-consequence]`), null, 'a safe fix has no consequence');
  assert.match(await page.textContent(`${kms} [data-testid=fix-plan]`), /update \(planned: tests\/fixtures\/fixes\/evidence\//);
  const context = await page.$$eval(`${kms} [data-testid=fix-diff] .diff-context`, (els) => els.map((e) => e.textContent));
  assert.ok(context.some((l) => l.includes('resource "aws_kms_key" "data" {')), `context: ${context}`);
  const added = await page.$$eval(`${kms} [data-testid=fix-diff] .diff-add`, (els) => els.map((e) => e.textContent));
  assert.ok(added.some((l) => /\+\s*enable_key_rotation\s*= true/.test(l)), `added: ${added}`);
  assert.equal((await page.textContent(`${kms} [data-testid=fix-diff] .diff-file`)).trim(), "main.tf");
  await page.click('[data-rule=KMS001] [data-testid=finding-toggle]');

  // The unsafe TLS fix: the old policy removed, the new one added, and what it will do.
  const tls = await openFinding(page, 'TLS001');
  assert.equal(await page.textContent(`${tls} [data-testid=fix-safety]`), 'unsafe fix');
  assert.match(await page.textContent(`${tls} [data-testid=fix-consequence]`), /What it will do: .*TLS 1\.0/);
  const removed = await page.$$eval(`${tls} [data-testid=fix-diff] .diff-del`, (els) => els.map((e) => e.textContent));
  assert.ok(removed.some((l) => l.includes('ELBSecurityPolicy-2016-08')), `removed: ${removed}`);
  const addedTls = await page.$$eval(`${tls} [data-testid=fix-diff] .diff-add`, (els) => els.map((e) => e.textContent));
  assert.ok(addedTls.some((l) => l.includes('ELBSecurityPolicy-TLS13-1-2-2021-06')), `added: ${addedTls}`);
  assert.equal(await page.$(`${tls} [data-testid=finding-fix]`), null, 'the diff replaces the snippet');
  // For the README: the unsafe fix's detail with its diff.
  await page.setViewportSize({ width: 1280, height: 1080 });
  await page.evaluate(() => {
    const top = document.querySelector('[data-rule=TLS001] .summary-row').getBoundingClientRect().top;
    window.scrollBy(0, top - 8);
  });
  await page.screenshot({ path: screenshotPath('fix.png') });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Download the safe fixes; git applies them to the original file.
  const patch = await downloadPatch(page);
  assert.equal(patch.name, 'planlens-fixes.patch');
  assert.match(patch.text, /^diff --git a\/main\.tf b\/main\.tf\n--- a\/main\.tf\n\+\+\+ b\/main\.tf\n/);
  assert.ok(!patch.text.includes('TLS13'), 'the unchosen unsafe fix stays out');
  const status = await page.textContent('[data-testid=patch-status]');
  const m = status.match(/Downloaded planlens-fixes\.patch: (\d+) fix(?:es)? applied; the re-review leaves (\d+) findings?/);
  assert.ok(m, status);
  assert.equal(Number(m[1]), SAFE.length);
  const dir = repo();
  try {
    fs.writeFileSync(path.join(dir, 'fixes.patch'), patch.text);
    execFileSync('git', ['apply', '--check', 'fixes.patch'], { cwd: dir });
    execFileSync('git', ['apply', 'fixes.patch'], { cwd: dir });
    const fixed = fs.readFileSync(path.join(dir, 'main.tf'), 'utf8');
    assert.match(fixed, /enable_key_rotation\s*= true/);
    assert.match(fixed, /deletion_protection\s*= true/);
    assert.match(fixed, /ELBSecurityPolicy-2016-08/, 'the unsafe fix was not chosen');
    assert.ok(fixed.includes('# Keys and the customer database.'), 'comments stay');
    fs.rmSync(path.join(dir, 'fixes.patch'));

    // The CLI's review of the patched folder: the fixed findings are gone, the unsafe one
    // is left, and it leaves as many findings as the page said.
    {
      const run = spawnSync(planlensBinary(), ['check', dir, '--format', 'json'], { encoding: 'utf8' });
      assert.ok(run.stdout, `the CLI printed a report (${run.stderr})`);
      const report = JSON.parse(run.stdout);
      const left = report.findings.filter((f) => !f.suppressed).map((f) => f.rule);
      for (const r of SAFE) assert.ok(!left.includes(r), `${r} is fixed: ${left}`);
      assert.ok(left.includes('TLS001'), 'the unsafe finding remains');
      assert.equal(left.length, Number(m[2]), 'the page counted what the CLI finds');
    }

    // The page's review of the patched file agrees.
    await load(page, fixed);
    const after = await rules(page);
    for (const r of SAFE) assert.ok(!after.includes(r), `${r} is fixed on the page: ${after}`);
    assert.ok(after.includes('TLS001'));
    assert.equal(after.length, Number(m[2]));
    assert.equal(await page.textContent('[data-testid=patch-selection]'), '0 of 1 fix selected');
    assert.equal(await page.isDisabled('[data-testid=download-patch]'), true, 'nothing chosen, nothing to download');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await assertClean(b, page);
});

test('an unsafe fix ticked by hand goes into the patch too', async () => {
  await b.context.pages()[0]?.goto('about:blank');
  const page = await open(b.context, server.base);
  await load(page, TF);
  // Keyboard: the checkbox is reachable and Space ticks it.
  await page.focus('[data-rule=TLS001] [data-testid=fix-include]');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('[data-testid=patch-selection]').textContent === '6 of 6 fixes selected');
  assert.equal(await page.$eval('[data-rule=TLS001] [data-testid=fix-include]', (e) => e.checked), true);
  // Ticking it did not open the row.
  assert.equal(await page.getAttribute('[data-rule=TLS001] [data-testid=finding-toggle]', 'aria-expanded'), 'false');
  const patch = await downloadPatch(page);
  assert.ok(patch.text.includes('+  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"'), patch.text);
  assert.match(await page.textContent('[data-testid=patch-status]'), /6 fixes applied/);
  const dir = repo();
  try {
    fs.writeFileSync(path.join(dir, 'fixes.patch'), patch.text);
    execFileSync('git', ['apply', 'fixes.patch'], { cwd: dir });
    const fixed = fs.readFileSync(path.join(dir, 'main.tf'), 'utf8');
    assert.ok(!fixed.includes('ELBSecurityPolicy-2016-08'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // Unticking it takes it out again.
  await page.click('[data-rule=TLS001] [data-testid=fix-include]');
  await page.waitForFunction(() => document.querySelector('[data-testid=patch-selection]').textContent === '5 of 6 fixes selected');
  await assertClean(b, page);
});

test('a plan finding keeps the snippet and says fixes need the .tf files', async () => {
  await b.context.pages()[0]?.goto('about:blank');
  const page = await open(b.context, server.base);
  await page.setInputFiles('[data-testid=file-input]', [{ name: 'plan.json', mimeType: 'application/json', buffer: Buffer.from(EXAMPLE) }]);
  await page.waitForSelector('[data-testid=verdict]');
  await tab(page, 'findings');
  await page.click('[data-testid=finding] >> nth=0 >> [data-testid=finding-toggle]');
  await page.waitForSelector('[data-testid=finding-detail]');
  assert.ok((await page.textContent('[data-testid=finding-fix]')).trim().length > 10, 'the snippet is shown');
  assert.equal(await page.textContent('[data-testid=fix-needs-tf]'),
    'Fixes are written against .tf files: load the configuration to get a patch.');
  assert.equal(await page.$('[data-testid=finding-fix-diff]'), null);
  assert.equal(await page.$('[data-testid=fix-include]'), null, 'no finding of a plan has a fix');
  assert.equal(await page.$('[data-testid=download-patch]'), null, 'no patch without fixes');
  assert.equal(await page.$('th.patch-col'), null, 'no Patch column without fixes');
  await assertClean(b, page);
});
