// The page shell end to end: open, load the example, paste a plan, drop and pick files,
// see errors with positions. Every test asserts that no request left 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, browser, open, paste, screenshotPath, showInventory, ROOT } from './harness.mjs';

const EXAMPLE = fs.readFileSync(path.join(ROOT, 'src/example/seed.plan.json'), 'utf8');
let server;
let b;

before(async () => { server = await serve(); b = await browser(); });
after(async () => {
  await b.close();
  await server.close();
});

test('the page says what it is and that nothing leaves the browser', async () => {
  const page = await open(b.context, server.base);
  assert.match(await page.textContent('h1'), /planlens/);
  assert.match(await page.textContent('[data-testid=privacy]'), /Nothing you load is uploaded/);
  assert.deepEqual(b.external(), []);
  assert.deepEqual(b.pageErrors, []);
});

test('Load example shows the review of the built-in plan', async () => {
  const page = await open(b.context, server.base);
  await page.click('[data-testid=load-example]');
  await showInventory(page);
  const inventory = await page.textContent('[data-testid=inventory]');
  assert.match(inventory, /aws_lb_listener\.https/);
  assert.match(inventory, /aws_cloudfront_distribution\.cdn/);
  assert.match(await page.textContent('[data-testid=verdict]'), /19 resources/);
  assert.deepEqual(b.external(), []);
  assert.deepEqual(b.pageErrors, []);
});

test('#example opens with the example loaded', async () => {
  const page = await open(b.context, server.base + '#example');
  await showInventory(page);
  assert.match(await page.textContent('[data-testid=inventory]'), /aws_kms_key\.pii/);
  assert.deepEqual(b.external(), []);
});

test('a pasted plan is reviewed; a broken paste shows line and column and keeps the text', async () => {
  const page = await open(b.context, server.base);
  await paste(page, EXAMPLE);
  await page.click('[data-testid=analyse]');
  await showInventory(page);
  assert.match(await page.textContent('[data-testid=inventory]'), /aws_db_instance\.main/);

  const broken = '{"format_version": "1.2",\n  "planned_values": {]';
  await page.fill('[data-testid=paste]', broken);
  await page.click('[data-testid=analyse]');
  await page.waitForSelector('[data-testid=errors] li');
  assert.match(await page.textContent('[data-testid=errors]'), /pasted input:2:\d+/);
  assert.equal(await page.inputValue('[data-testid=paste]'), broken);
  assert.deepEqual(b.external(), []);
  assert.deepEqual(b.pageErrors, []);
});

test('dropping a file and picking files both review them', async () => {
  const page = await open(b.context, server.base);
  const dt = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.plan.json', { type: 'application/json' }));
    return dt;
  }, EXAMPLE);
  await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: dt });
  await showInventory(page);
  assert.match(await page.textContent('[data-testid=inventory]'), /dropped\.plan\.json:\d+/);

  await page.setInputFiles('[data-testid=file-input]', [
    { name: 'main.tf', mimeType: 'text/plain', buffer: Buffer.from('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n') },
    { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format_version": "1.2", "planned_values": ') },
  ]);
  await page.waitForSelector('[data-testid=errors] li');
  assert.match(await page.textContent('[data-testid=errors]'), /broken\.json:1:\d+/);
  assert.deepEqual(b.external(), []);
  assert.deepEqual(b.pageErrors, []);
});

test('the page fits a phone width', async () => {
  const page = await open(b.context, server.base + '#example');
  await page.setViewportSize({ width: 390, height: 844 });
  await showInventory(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page overflows the viewport by ${overflow}px`);
  await page.screenshot({ path: screenshotPath('phone.png') });
  await page.setViewportSize({ width: 1280, height: 900 });
});
