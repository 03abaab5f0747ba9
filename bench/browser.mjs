// The page's speed on the release build (dist/), in headless Chromium:
//  1. first visit, from navigation to an interactive paste box: cold (a new profile, nothing
//     cached) and with the service worker (a later visit, served from its cache);
//  2. for each plan given, drop-to-findings in a new tab per run: picks the file (at once, and
//     2 s after the page is up), waits until the verdict names its resources, and records the
//     main thread's long tasks (PerformanceObserver 'longtask', tasks over 50 ms). Medians of 5.
//
//   trunk build --release && python3 bench/gen.py 10000 bench/out && node bench/browser.mjs bench/out/plan-10000.json
import { serve, browser, open } from '../tests/e2e/harness.mjs';
import fs from 'node:fs';

const RUNS = 5;
const plans = process.argv.slice(2);
const server = await serve();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Records when the paste box appears (ms since navigation start) and the long tasks. */
async function instrument(context) {
  await context.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
    const seen = () => {
      if (window.__pasteAt === undefined && document.querySelector('[data-testid=paste]')) window.__pasteAt = performance.now();
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true });
  });
}

async function pasteBoxAt(page) {
  await page.waitForSelector('[data-testid=paste]');
  return page.evaluate(() => window.__pasteAt);
}

// 1. First visit.
const cold = [];
const warm = [];
for (let i = 0; i < RUNS; i++) {
  const b = await browser();
  await instrument(b.context);
  const page = await b.context.newPage();
  await page.goto(server.base);
  cold.push(await pasteBoxAt(page));
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.goto('about:blank');
  await page.goto(server.base);
  const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
  if (!controlled) throw new Error('the service worker does not control the second visit');
  warm.push(await pasteBoxAt(page));
  await b.close();
}
const wasm = fs.readdirSync('dist').filter((f) => f.endsWith('.wasm'));
const { gzipSync } = await import('node:zlib');
const gz = wasm.map((f) => gzipSync(fs.readFileSync(`dist/${f}`), { level: 9 }).length).reduce((a, b) => a + b, 0);
console.log(`| first visit | wasm downloaded (gzip -9) | navigation → paste box (median of ${RUNS}) |`);
console.log('|---|---|---|');
console.log(`| cold (new profile) | ${wasm.length} module${wasm.length === 1 ? '' : 's'}, ${(gz / 1000).toFixed(0)} KB | ${Math.round(median(cold))} ms (${cold.map(Math.round).join(', ')}) |`);
console.log(`| with the service worker | 0 KB (its cache) | ${Math.round(median(warm))} ms (${warm.map(Math.round).join(', ')}) |`);

// 2. Drop-to-findings, each run in a new tab closed afterwards: a tab navigated again keeps
// its renderer process and the compiled wasm, which makes later runs faster than any user's
// first review. Dropped at once, and 2 s after the page is up, as a user does (the worker
// warms the engine up meanwhile: src/worker.rs).
if (plans.length) {
  const b = await browser();
  await instrument(b.context);
  console.log(`\n| plan | size | dropped | drop → findings shown (median of ${RUNS}) | longest main-thread task | tasks > 50 ms |`);
  console.log('|---|---|---|---|---|---|');
  for (const plan of plans) {
    for (const delay of [0, 2000]) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const page = await open(b.context, server.base);
        await page.waitForTimeout(delay);
        await page.evaluate(() => { window.__longTasks.length = 0; });
        const t0 = Date.now();
        await page.setInputFiles('[data-testid=file-input]', plan);
        await page.waitForFunction(() => /in [\d,]+ resources/.test(document.querySelector('[data-testid=verdict]')?.textContent ?? ''), null, { timeout: 120_000 });
        const ms = Date.now() - t0;
        const tasks = await page.evaluate(() => window.__longTasks.slice());
        runs.push({ ms, longest: Math.max(0, ...tasks), over50: tasks.length });
        await page.close();
      }
      runs.sort((x, y) => x.ms - y.ms);
      const m = runs[Math.floor(RUNS / 2)];
      const mb = (fs.statSync(plan).size / 1e6).toFixed(1);
      const when = delay ? `${delay / 1000} s after load` : 'at once';
      console.log(`| ${plan.split('/').pop()} | ${mb} MB | ${when} | ${m.ms} ms (${runs.map((r) => r.ms).join(', ')}) | ${Math.round(Math.max(...runs.map((r) => r.longest)))} ms | ${m.over50} |`);
    }
  }
  if (b.external().length) console.error('requests left 127.0.0.1:', b.external());
  await b.close();
}
await server.close();
