// Accessibility end to end: axe-core (npm, pinned) on every view and state in light and dark,
// and the page driven by the keyboard alone.
//
// How axe gets in: the page's CSP forbids inline script, so `page.addScriptTag({content})`
// would be blocked (and reported as a violation). `page.evaluate(source)` runs axe through
// the DevTools protocol, which the CSP does not govern, so axe checks the page exactly as
// users get it: no `bypassCSP` context, the same strict policy, and the CSP watcher below
// stays empty.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, browser, open, tab, assertClean, ROOT } from './harness.mjs';

const AXE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const BLOCKING = ['serious', 'critical'];
let server;
let b;
/** Every violation seen, by state, for the summary printed at the end. */
const seen = {};

before(async () => {
  server = await serve();
  b = await browser();
});
after(async () => {
  const lines = Object.entries(seen).filter(([, v]) => v.length).map(([k, v]) => `# ${k}: ${v.map((x) => `${x.id} (${x.impact}, ${x.nodes.length})`).join(', ')}`);
  console.log(lines.length ? lines.join('\n') : '# axe: no violations of any impact');
  await b.close();
  await server.close();
});

const clean = (page) => assertClean(b, page);

/** Runs axe on the page as it is now; returns the serious and critical violations. */
async function axe(page, state) {
  // Switching the colour scheme starts CSS transitions: check the colours they end on.
  await page.waitForFunction(() => document.getAnimations().length === 0);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`) }));
  });
  seen[state] = violations;
  return violations.filter((v) => BLOCKING.includes(v.impact)).map((v) => `${state}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.slice(0, 4).join('\n    ')}`);
}

async function fresh(url) {
  await b.context.pages()[0]?.goto('about:blank');
  return open(b.context, url);
}

for (const scheme of ['light', 'dark']) {
  test(`axe finds nothing serious or critical in any view (${scheme})`, async () => {
    const problems = [];
    const check = async (page, state) => problems.push(...(await axe(page, `${scheme} ${state}`)));

    let page = await fresh(server.base);
    await page.emulateMedia({ colorScheme: scheme });
    await check(page, 'empty page');

    page = await fresh(server.base + '#example');
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForSelector('[data-testid=verdict]');
    await check(page, 'overview');
    await tab(page, 'findings');
    await page.click('[data-testid=finding-toggle] >> nth=0');
    await page.waitForSelector('[data-testid=finding-detail]');
    // A suppressed finding too: its row is drawn muted.
    await page.click('[data-testid=suppress]');
    await page.fill('[data-testid=suppress-reason]', 'accepted');
    await page.click('[data-testid=suppress-confirm]');
    await page.waitForSelector('[data-testid=suppressed-note]');
    await check(page, 'findings, one opened and suppressed');
    await tab(page, 'categories');
    await page.click('[data-testid=cell-pii-stores]');
    await page.waitForSelector('[data-testid=stores]');
    await check(page, 'data categories, a cell opened');
    await tab(page, 'hierarchy');
    await page.click('[data-node-id="aws_kms_key.pii"]');
    await page.waitForSelector('[data-testid=blast-headline]');
    await check(page, 'key hierarchy, a key selected');
    await tab(page, 'resources');
    await check(page, 'resources');
    await page.click('[data-testid=share-toggle]');
    await page.waitForFunction(() => document.querySelector('[data-testid=share-link]')?.value.includes('#v1.'));
    await check(page, 'share panel');
    const link = await page.inputValue('[data-testid=share-link]');
    await clean(page);

    page = await fresh(link);
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForSelector('[data-testid=permalink-banner]');
    await page.waitForSelector('[data-testid=verdict]');
    await tab(page, 'findings');
    await page.click('[data-testid=finding-toggle] >> nth=0');
    await page.waitForSelector('[data-testid=finding-detail]');
    await check(page, 'read-only banner, a finding opened');
    await tab(page, 'categories');
    await check(page, 'read-only data categories');

    page = await fresh(server.base + '#v9.AAAA');
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForSelector('[data-testid=permalink-error]');
    await check(page, 'permalink error');
    await clean(page);
    assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
  });
}

/** The focused element and whether its focus can be seen (an outline of 2px or more on it
 * or on the label that wraps it, or the heavier stroke the hierarchy's nodes get). */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const outlined = (e) => {
      const cs = getComputedStyle(e);
      return cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
    };
    const box = el.querySelector?.(':scope > .box');
    const visible = outlined(el) || (el.closest('.button') && outlined(el.closest('.button'))) ||
      (box ? parseFloat(getComputedStyle(box).strokeWidth) >= 3 : false);
    return {
      what: el.dataset?.testid || el.id || el.getAttribute('data-node-id') || el.tagName.toLowerCase(),
      role: el.getAttribute('role'),
      nodeId: el.getAttribute('data-node-id'),
      kind: el.getAttribute('data-kind'),
      visible,
    };
  });
}

/** Presses `key` until `want` holds for the focused element; every stop must show focus. */
async function pressUntil(page, key, want, stops, limit = 120) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    stops.push(f);
    assert.ok(f.visible, `focus is not visible on ${f.what}`);
    if (want(f)) return f;
  }
  throw new Error(`pressed ${key} ${limit} times without reaching the target; stops: ${stops.slice(-8).map((s) => s.what)}`);
}

test('the whole review works from the keyboard, with focus always visible', async () => {
  const page = await fresh(server.base);
  const stops = [];
  await pressUntil(page, 'Tab', (f) => f.what === 'load-example', stops);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=verdict]');

  // Share: open the panel; focus lands in the link field.
  await pressUntil(page, 'Tab', (f) => f.what === 'share-toggle', stops);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'share-link' && document.activeElement.value.includes('#v1.'));
  await pressUntil(page, 'Tab', (f) => f.what === 'share-copy', stops);
  await pressUntil(page, 'Shift+Tab', (f) => f.what === 'share-close', stops);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=share-panel]', { state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'share-toggle');

  // Tabs: Tab reaches the selected tab; the arrow keys move between tabs.
  await pressUntil(page, 'Tab', (f) => f.role === 'tab', stops);
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[data-testid=panel-findings]');
  assert.equal((await focused(page)).what, 'tab-findings');

  // Open a finding with Enter.
  await pressUntil(page, 'Tab', (f) => f.what === 'finding-toggle', stops);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=finding-detail]');
  assert.equal(await page.getAttribute('[data-testid=finding-toggle] >> nth=0', 'aria-expanded'), 'true');

  // Back to the tabs, over to the key hierarchy, through its nodes, select a key with Enter.
  await pressUntil(page, 'Shift+Tab', (f) => f.role === 'tab', stops, 200);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('[data-testid=panel-hierarchy]');
  const visited = [];
  const key = await pressUntil(page, 'Tab', (f) => {
    if (f.nodeId) visited.push(f.nodeId);
    return f.nodeId === 'aws_kms_key.pii';
  }, stops);
  assert.ok(visited.length >= 2, `Tab moves through the hierarchy's nodes: ${visited}`);
  assert.match(key.kind, /cmk/);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=blast-headline]');
  assert.match(await page.textContent('[data-testid=blast-headline]'), /Deleting alias\/cmk-pii/);
  assert.equal(await page.getAttribute('[data-node-id="aws_kms_key.pii"]', 'aria-pressed'), 'true');

  // Downloads are buttons too.
  const exports = stops.filter((s) => s.what.startsWith('export-')).map((s) => s.what);
  assert.deepEqual([...new Set(exports)].sort(), ['export-csv', 'export-json', 'export-markdown', 'export-sarif']);
  console.log(`# keyboard: ${stops.length} focus stops, all visible; nodes visited: ${visited.length}`);
  await clean(page);
});
