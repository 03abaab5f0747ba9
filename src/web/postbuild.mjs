// Trunk post-build hook: makes the built page private by construction and usable offline.
//  1. Moves Trunk's inline bootstrap <script> into a file, so the Content-Security-Policy can
//     forbid inline script entirely.
//  2. Adds that CSP as a <meta> tag: only same-origin scripts, styles, wasm and connections.
//  3. Writes the analysis worker's script, worker.js: it imports the page's wasm-bindgen glue
//     and instantiates the page's own module, which the page sends it (one wasm for both).
//  4. Writes the service worker with the exact list of built files to precache, versioned by
//     their content, so after the first visit the app loads and analyses with the network off.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('postbuild.mjs runs as a Trunk hook (TRUNK_STAGING_DIR is unset)');
const here = path.dirname(new URL(import.meta.url).pathname);

export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

const digest = (data, alg = 'sha256') => crypto.createHash(alg).update(data).digest();

const htmlPath = path.join(dir, 'index.html');
let html = fs.readFileSync(htmlPath, 'utf8');

const inline = /<script type="module">([\s\S]*?)<\/script>/.exec(html);
if (!inline) throw new Error('no inline bootstrap script found in index.html');
const boot = `${inline[1].trim()}\n\n// Offline: cache the app after the first visit.\nif ('serviceWorker' in navigator) {\n  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((e) => console.warn('service worker not registered', e));\n}\n`;
const bootName = `boot-${digest(boot).toString('hex').slice(0, 16)}.js`;
fs.writeFileSync(path.join(dir, bootName), boot);
const integrity = `sha384-${digest(boot, 'sha384').toString('base64')}`;
html = html.replace(inline[0], `<script type="module" src="./${bootName}" integrity="${integrity}" crossorigin="anonymous"></script>`);

if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error('index.html still has an inline script');
html = html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`);
fs.writeFileSync(htmlPath, html);

const glue = /from '\.\/(web-[0-9a-f]+\.js)'/.exec(inline[1]);
if (!glue) throw new Error("the bootstrap imports no web-*.js glue");
fs.writeFileSync(path.join(dir, 'worker.js'), `// The analysis worker (src/worker.rs): the site's one wasm module, instantiated with the
// compiled WebAssembly.Module the page posts first (src/app/engine.rs). Its main() sees a
// worker scope and starts the engine's message loop, then says {ready: true}.
import init from './${glue[1]}';
self.addEventListener('message', (e) => {
  init({ module_or_path: e.data.module }).catch((err) => setTimeout(() => { throw err; }));
}, { once: true });
`);

const files = fs.readdirSync(dir).filter((f) => f !== 'sw.js' && fs.statSync(path.join(dir, f)).isFile()).sort();
const version = digest(files.map((f) => f + ':' + digest(fs.readFileSync(path.join(dir, f))).toString('hex')).join('\n')).toString('hex').slice(0, 16);
const precache = ['./', ...files.map((f) => './' + f)];
const sw = fs.readFileSync(path.join(here, 'sw.js'), 'utf8')
  .replace('__VERSION__', version)
  .replace('__PRECACHE__', JSON.stringify(precache));
fs.writeFileSync(path.join(dir, 'sw.js'), sw);
console.log(`postbuild: ${bootName}, CSP set, sw.js precaches ${precache.length} URLs (cache ${version})`);
