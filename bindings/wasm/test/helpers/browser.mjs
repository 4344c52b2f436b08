// Real-browser helpers for the tests: a tiny static file server on 127.0.0.1 (random port) over
// the repository, and Debian's Chromium driven by playwright-core with a fresh profile.
// Chromium needs these flags on this network-less machine or it stalls at start.
import { createServer } from 'node:http';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
export const CHROMIUM = process.env.HOTPATH_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.cjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png',
  '.ndjson': 'application/x-ndjson', '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml',
};

// Serves `root`; `pages` maps a URL path to {body, headers} served instead of a file;
// `headers` are added to every response (e.g. a Content-Security-Policy).
export function startServer({ root = ROOT, pages = {}, headers = {} } = {}) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const page = pages[path];
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers, ...page.headers });
      res.end(page.body);
      return;
    }
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    let st;
    try {
      st = file.startsWith(base + sep) || file === base ? statSync(file) : null;
    } catch {
      st = null;
    }
    if (!st || !st.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'content-length': st.size,
      'cache-control': 'no-store', ...headers });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok({
      url: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
    }));
  });
}

// A Chromium with a fresh --user-data-dir (removed by close()).
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'hotpath-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000,
  });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (err) => process.stderr.write(`[page error] ${err.message}\n`));
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
