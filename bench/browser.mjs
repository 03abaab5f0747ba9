// Drop-to-findings in the browser, on the release build (dist/): for each plan given,
// picks the file, waits until the verdict names its resources, and reports the time and
// the main thread's long tasks (PerformanceObserver 'longtask', tasks over 50 ms).
//
//   trunk build --release && python3 bench/gen.py 10000 bench/out && node bench/browser.mjs bench/out/plan-10000.json
import { serve, browser, open } from '../tests/e2e/harness.mjs';
import fs from 'node:fs';

const plans = process.argv.slice(2);
if (plans.length === 0) {
  console.error('usage: node bench/browser.mjs PLAN.json...');
  process.exit(2);
}
const server = await serve();
const b = await browser();
await b.context.addInitScript(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
});
console.log('| plan | size | drop → findings shown | longest main-thread task | long tasks > 200 ms |');
console.log('|---|---|---|---|---|');
for (const plan of plans) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const page = await open(b.context, server.base);
    await page.evaluate(() => { window.__longTasks.length = 0; });
    const t0 = Date.now();
    await page.setInputFiles('[data-testid=file-input]', plan);
    await page.waitForFunction(() => /in [\d,]+ resources/.test(document.querySelector('[data-testid=verdict]')?.textContent ?? ''), null, { timeout: 120_000 });
    const ms = Date.now() - t0;
    const tasks = await page.evaluate(() => window.__longTasks.slice());
    runs.push({ ms, longest: Math.max(0, ...tasks), over200: tasks.filter((d) => d > 200).length });
  }
  runs.sort((a, b) => a.ms - b.ms);
  const m = runs[1];
  const mb = (fs.statSync(plan).size / 1e6).toFixed(1);
  console.log(`| ${plan.split('/').pop()} | ${mb} MB | ${m.ms} ms (median of 3) | ${Math.round(m.longest)} ms | ${m.over200} |`);
}
if (b.external().length) console.error('requests left 127.0.0.1:', b.external());
await b.close();
await server.close();
