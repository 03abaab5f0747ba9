// Shared end-to-end harness: a static server for dist/ on 127.0.0.1 and Debian's Chromium
// driven by playwright-core. Every page records each request so a test can assert that
// nothing left 127.0.0.1.
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'dist');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');

/** The CLI binary `cargo test` builds (where CARGO_TARGET_DIR puts it), built when missing. */
export function planlensBinary() {
  const target = process.env.CARGO_TARGET_DIR ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
  const bin = path.join(target, 'debug/planlens');
  if (!fs.existsSync(bin)) {
    const built = spawnSync('cargo', ['build', '--bin', 'planlens'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(built.status, 0, 'cargo build --bin planlens');
  }
  return bin;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json',
};

/** Serves dist/ (optionally under a sub-path such as /app/) on an ephemeral loopback port. */
export async function serve({ prefix = '/' } = {}) {
  const server = http.createServer((req, res) => {
    let url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!url.startsWith(prefix)) { res.writeHead(404); res.end(); return; }
    url = url.slice(prefix.length);
    const file = path.join(DIST, url === '' || url.endsWith('/') ? url + 'index.html' : url);
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end('not found'); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { base, close: () => new Promise((r) => server.close(r)) };
}

/** A fresh Chromium profile; returns the context and helpers bound to it. */
export async function browser() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'planlens-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Every page records Content-Security-Policy violations in window.__cspViolations.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  const requests = [];
  const pageErrors = [];
  context.on('request', (r) => requests.push(r.url()));
  context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(String(e))));
  for (const p of context.pages()) p.on('pageerror', (e) => pageErrors.push(String(e)));
  return {
    context,
    requests,
    pageErrors,
    /** URLs that left the loopback origin (data: and blob: never leave the page). */
    external: () => requests.filter((u) => !/^(https?:\/\/127\.0\.0\.1[:/]|data:|blob:|about:)/.test(u)),
    close: async () => { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Asserts that nothing left 127.0.0.1, no page threw and `page` saw no CSP violation. */
export async function assertClean(br, page) {
  assert.deepEqual(br.external(), [], 'no request may leave 127.0.0.1');
  assert.deepEqual(br.pageErrors, [], 'the page threw');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'CSP violations');
}

/** Opens the page and waits until the app has mounted. */
export async function open(context, url) {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.waitForSelector('[data-testid=results]');
  return page;
}

export function screenshotPath(name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}

/** Puts text in the paste box as one paste does (Playwright's fill() types big text slowly). */
export async function paste(page, text) {
  await page.evaluate((t) => {
    const box = document.querySelector('[data-testid=paste]');
    box.value = t;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/** Switches to a review tab and waits for its panel. */
export async function tab(page, name) {
  await page.click(`[data-testid=tab-${name}]`);
  await page.waitForSelector(`[data-testid=panel-${name}]`);
}

/** Opens the review's Resources tab, where the inventory lives, and waits for it. */
export async function showInventory(page) {
  await page.click('[data-testid=tab-resources]');
  await page.waitForSelector('[data-testid=inventory]');
}
