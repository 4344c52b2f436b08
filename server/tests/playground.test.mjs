// The playground page served by hotpathd (--playground, --wasm-package): the files byte for
// byte with the page's Content-Security-Policy, nothing outside them, and the page working in
// Chromium when loaded from hotpathd (module worker, wasm MIME type and CSP all as served).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { launchChromium } from '../../bindings/wasm/test/helpers/browser.mjs';
import { examples, request, root, runServerSync, startServer } from './harness.mjs';

const playground = path.join(root, 'web/playground');
const wasmPackage = path.join(root, 'bindings/wasm');
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:";

// GET (or HEAD) with the body kept as bytes.
function get(port, p, method = 'GET') {
  return new Promise((resolve, reject) => {
    http
      .request({ host: '127.0.0.1', port, path: p, method, agent: false }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject)
      .end();
  });
}

describe('hotpathd serves the playground', () => {
  let server;
  before(async () => {
    server = await startServer(['--playground', playground, '--wasm-package', wasmPackage]);
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test('/ is the page, with its Content-Security-Policy', async () => {
    const r = await get(server.port, '/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['content-security-policy'], CSP);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(r.body, fs.readFileSync(path.join(playground, 'index.html')));
    const head = await get(server.port, '/', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(r.body.length));
    assert.equal(head.body.length, 0);
  });

  test('the worker and the wasm package come with the right types, byte for byte', async () => {
    for (const [url, file, type] of [
      ['/worker.mjs', path.join(playground, 'worker.mjs'), 'text/javascript; charset=utf-8'],
      ['/style.css', path.join(playground, 'style.css'), 'text/css; charset=utf-8'],
      ['/wasm/lib/index.mjs', path.join(wasmPackage, 'lib/index.mjs'), 'text/javascript; charset=utf-8'],
      ['/wasm/dist/hotpath_wasm.wasm', path.join(wasmPackage, 'dist/hotpath_wasm.wasm'), 'application/wasm'],
    ]) {
      const r = await get(server.port, url);
      assert.equal(r.status, 200, url);
      assert.equal(r.headers['content-type'], type, url);
      assert.deepEqual(r.body, fs.readFileSync(file), url);
    }
  });

  test('nothing else is served: traversal, tests, package internals, other methods', async () => {
    for (const url of ['/../README.md', '/%2e%2e/README.md', '/test/playground.test.mjs', '/wasm/package.json',
      '/wasm/src/exports.cpp', '/wasm/lib/../package.json', '/README.md', '/wasm/lib/index.d.mts',
      '/index.html/']) {
      const r = await get(server.port, url);
      assert.equal(r.status, 404, url);
      assert.match(r.body.toString(), /^\{"error":"no such endpoint: /, url);
    }
    const post = await request(server.port, { method: 'POST', path: '/', body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET');
    const m = await request(server.port, { path: '/metrics' });
    assert.match(m.body, /hotpathd_http_requests_total\{route="playground",code="200"\} [1-9]/);
  });

  test('the page works in Chromium when hotpathd serves it', { timeout: 120_000 }, async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const violations = [];
      page.on('console', (msg) => { if (/Content.Security.Policy/i.test(msg.text())) violations.push(msg.text()); });
      await page.goto(server.url('/'));
      await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Ready'));
      await page.setInputFiles('#data-file', path.join(examples, 'orders/orders.ndjson'));
      await page.setInputFiles('#schema-file', path.join(examples, 'schemas/order.schema.json'));
      await page.waitForFunction(() => !document.getElementById('run').disabled);
      await page.click('#run');
      await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Done'), null, { timeout: 60_000 });
      // The same file through the pipeline endpoint: the page's counts match the server's.
      const lines = fs.readFileSync(path.join(examples, 'orders/orders.ndjson'), 'utf8').trim().split('\n');
      const r = await request(server.port, {
        method: 'POST', path: '/v1/validate/orders', headers: { 'content-type': 'application/x-ndjson' },
        body: lines.join('\n') + '\n',
      });
      const invalid = r.body.trim().split('\n').filter((l) => l.startsWith('{"valid":false')).length;
      assert.equal(await page.textContent('#invalid-count'), String(invalid));
      assert.equal(await page.textContent('#valid-count'), String(lines.length - invalid));
      assert.deepEqual(violations, []);
    } finally {
      await browser.close();
    }
  });
});

describe('hotpathd without --playground', () => {
  test('/ is a 404 and a missing playground folder is a start-up error', async () => {
    const server = await startServer([]);
    try {
      assert.equal((await get(server.port, '/')).status, 404);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const r = runServerSync(['--pipelines', path.join(examples, 'pipelines'), '--listen', '127.0.0.1:0',
      '--playground', path.join(root, 'no-such-dir')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /hotpathd: static files: no such directory .*no-such-dir/);
  });
});
