// The package inside workers: a module Web Worker in Chromium and a Node worker_thread, each
// with its own module instance, give the main thread's answers; hostile JSONata recursion is
// stopped with U1001 inside workers too (their JS stacks are what wasm recursion uses up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import init, { compile, xxh64 } from '../lib/index.mjs';
import { startServer, launchChromium } from './helpers/browser.mjs';

await init();
const v = compile({ type: 'array', items: { type: 'number', maximum: 10 } });
v('[1, 20]');
// Runaway recursions end in JSONata's U1001 (never the JS engine's stack overflow) and leave the
// module working.
const expected = { valid: true, invalid: v.errors, xxh64: xxh64('worker').toString(16), codes: Array(6).fill('U1001'), after: '5050' };

test('in a Node worker_thread', async () => {
  const worker = new Worker(new URL('./fixtures/worker.mjs', import.meta.url));
  const answer = await new Promise((ok, fail) => { worker.once('message', ok); worker.once('error', fail); });
  await worker.terminate();
  assert.deepEqual(answer, expected);
});

test('in a module Web Worker in Chromium', { timeout: 120_000 }, async () => {
  const server = await startServer({ pages: { '/worker.html': { body: '<!doctype html><title>worker</title>' } } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/worker.html`);
    const answer = await page.evaluate(() => new Promise((ok, fail) => {
      const w = new Worker('/bindings/wasm/test/fixtures/worker.mjs', { type: 'module' });
      w.onmessage = (e) => ok(e.data);
      w.onerror = (e) => fail(new Error(e.message));
    }));
    assert.deepEqual(answer, expected);
  } finally {
    await browser.close();
    await server.close();
  }
});
