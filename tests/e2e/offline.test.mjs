// Private and offline by construction: the built page has a strict Content-Security-Policy
// and no inline script, nothing violates the policy, the app works from a sub-path, and
// after the first visit it loads and analyses with the network off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, browser, open, showInventory, DIST } from './harness.mjs';

let server;
let b;

before(async () => {
  server = await serve({ prefix: '/planlens/' });
  b = await browser();
});
after(async () => {
  await b.close();
  await server.close();
});

test('the built page has a strict CSP and no inline script', () => {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(csp, 'no CSP meta tag');
  assert.match(csp[1], /default-src 'none'/);
  assert.match(csp[1], /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.match(csp[1], /connect-src 'self'(;|$)/);
  assert.doesNotMatch(csp[1], /'unsafe-inline'|'unsafe-eval'|https?:/);
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)];
  assert.deepEqual(inline, [], 'inline <script> in index.html');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'inline event handler in index.html');
  assert.ok(fs.existsSync(path.join(DIST, 'sw.js')), 'no service worker in dist/');
});

test('served from a sub-path, the app runs without violating its CSP', async () => {
  const page = await open(b.context, server.base);
  await page.click('[data-testid=load-example]');
  await showInventory(page);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(b.external(), []);
  assert.deepEqual(b.pageErrors, []);
});

test('after the first visit the app loads and analyses offline', async () => {
  const page = await open(b.context, server.base);
  // Wait until the service worker controls the page and has cached the app.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
  await b.context.setOffline(true);
  try {
    await page.reload();
    await page.waitForSelector('[data-testid=results]');
    await page.click('[data-testid=load-example]');
    await showInventory(page);
    assert.match(await page.textContent('[data-testid=inventory]'), /aws_kms_key\.pii/);
  } finally {
    await b.context.setOffline(false);
  }
  assert.deepEqual(b.external(), []);
  assert.deepEqual(b.pageErrors, []);
});
