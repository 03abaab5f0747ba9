// Reading the page's exports in the end-to-end tests: download all four, parse CSV,
// validate SARIF against the 2.1.0 schema (tests/schemas/), check Markdown is inert.
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ROOT } from './harness.mjs';

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

export function sarifValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/schemas/sarif-schema-2.1.0.json'), 'utf8')));
}

export async function downloadAll(page) {
  const out = {};
  for (const format of ['sarif', 'json', 'markdown', 'csv']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=export-${format}]`)]);
    out[format] = { name: download.suggestedFilename(), text: fs.readFileSync(await download.path(), 'utf8') };
  }
  return out;
}


/** The Markdown outside code: fenced blocks and inline code spans show their text
 * literally in every renderer, so only the rest can be active. */
export function outsideCode(md) {
  const out = [];
  let fence = null;
  for (const line of md.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = null;
      continue;
    }
    if (m) {
      fence = m[1];
      continue;
    }
    out.push(line);
  }
  return out.join('\n').replace(/(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, ' ');
}

/** What would be live if the Markdown were rendered as GitHub does (raw HTML allowed, bare
 * URLs linked): HTML tags other than the report's own, unescaped link or image syntax, bare
 * URLs. An HTML block (a paragraph that starts with a tag) is passed through verbatim, so
 * only its tags matter there. An empty list means every input string stays text. */
export function activeMarkdown(md) {
  const problems = [];
  for (const block of outsideCode(md).split(/\n\s*\n/)) {
    for (const m of block.matchAll(/(?<!\\)<\/?([a-zA-Z][\w:-]*)/g)) {
      if (!['details', 'summary', 'code', 'br', 'q'].includes(m[1].toLowerCase())) problems.push(`tag ${m[0]} in: ${block.slice(0, 80)}`);
    }
    if (/^\s*<\/?(details|summary)\b/i.test(block)) continue;
    for (const m of block.matchAll(/(?<!\\)\]\(/g)) problems.push(`link: ${block.slice(Math.max(0, m.index - 30), m.index + 30)}`);
    for (const m of block.matchAll(/(?<![\\\w])(https?|javascript):(?!\\)/gi)) {
      if (block[m.index + m[0].length] === '/' || m[1].toLowerCase() === 'javascript') problems.push(`url: ${block.slice(m.index, m.index + 40)}`);
    }
  }
  return problems;
}
