// Drives the playground in Chromium as a person would: picks an NDJSON file and a schema file,
// presses Validate, and reads the counts, the progress and the first errors; then a JSON
// document. Saves a screenshot (HOTPATH_PLAYGROUND_SCREENSHOT=docs/playground.png to keep one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../../bindings/wasm/test/helpers/browser.mjs';
import init, { compile, jsonata } from '../../../bindings/wasm/lib/index.mjs';
import { startPlayground } from '../serve.mjs';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const schemaPath = join(ROOT, 'examples/schemas/order.schema.json');

test('the playground validates a picked NDJSON file and a JSON document', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-playground-'));
  const orders = readFileSync(join(ROOT, 'examples/orders/orders.ndjson'), 'utf8');
  const good = orders.split('\n')[0];
  // 3,000 lines crossing several 64 KiB chunks; line 1234 breaks a rule, line 2500 is not JSON.
  const lines = Array.from({ length: 3000 }, () => good);
  lines[1233] = good.replace('"quantity":13800', '"quantity":0');
  lines[2499] = good.slice(0, 120);
  const ndjson = `${lines.join('\n')}\n`;
  writeFileSync(join(dir, 'orders.ndjson'), ndjson);
  // What the package says in Node about the same bytes (the page must show the same counts).
  await init();
  const v = compile(readFileSync(schemaPath), { formats: true });
  const reference = v.validateMany(ndjson);
  const invalidLines = reference.errors.map((e) => e.line);
  assert.deepEqual(invalidLines, [1234, 2500]);

  const server = await startPlayground(0);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`${server.url}?chunk=65536`);
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Ready'));
    await page.setInputFiles('#data-file', join(dir, 'orders.ndjson'));
    await page.setInputFiles('#schema-file', schemaPath);
    await page.waitForFunction(() => !document.getElementById('run').disabled);
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Done'), null, { timeout: 120_000 });
    assert.equal(await page.textContent('#valid-count'), '2,998');
    assert.equal(await page.textContent('#invalid-count'), '2');
    assert.equal(await page.getAttribute('#progress', 'value'), '1');
    assert.match(await page.textContent('#throughput'), /^\d+(\.\d)? MB\/s$/);
    const rows = await page.$$eval('#errors tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    assert.deepEqual(rows, [
      ['1234', '/quantity', 'minimum', reference.errors[0].errors[0].message],
      ['2500', '(root)', 'parse', reference.errors[1].errors[0].message],
    ]);
    assert.match(rows[1][3], /^invalid JSON at line 2500, column 121: /);
    const shot = process.env.HOTPATH_PLAYGROUND_SCREENSHOT ? resolve(ROOT, process.env.HOTPATH_PLAYGROUND_SCREENSHOT) : join(dir, 'playground.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(statSync(shot).size > 10_000, 'a screenshot was written');

    // One JSON document with several errors.
    await page.selectOption('#mode', 'json');
    await page.setInputFiles('#data-file', join(ROOT, 'examples/orders/order-invalid.json'));
    await page.click('#run');
    await page.waitForFunction(() => /^Done: 1 document/.test(document.getElementById('status').textContent), null, { timeout: 60_000 });
    assert.equal(await page.textContent('#invalid-count'), '1');
    const docRows = await page.$$eval('#errors tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    v(readFileSync(join(ROOT, 'examples/orders/order-invalid.json')));
    assert.deepEqual(docRows, v.errors.map((e) => ['–', e.instancePath === '' ? '(root)' : e.instancePath, e.keyword, e.message]));
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a schema that does not compile is reported on the page', { timeout: 120_000 }, async () => {
  const server = await startPlayground(0);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Ready'));
    await page.setInputFiles('#data-file', join(ROOT, 'examples/orders/order.json'));
    await page.fill('#schema', '{"type": "strnig"}');
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('status').classList.contains('error'));
    assert.match(await page.textContent('#status'), /^schema: .*unknown type "strnig"/);
  } finally {
    await browser.close();
    await server.close();
  }
});

test('the playground transforms valid documents with JSONata and lists transform errors', { timeout: 120_000 }, async () => {
  const summary = readFileSync(join(ROOT, 'examples/pipelines/orders-summary/summary.jsonata'), 'utf8');
  const ordersPath = join(ROOT, 'examples/orders/orders.ndjson');
  const lines = readFileSync(ordersPath, 'utf8').trimEnd().split('\n');
  // The reference: the same package in Node, line by line.
  await init();
  const v = compile(readFileSync(schemaPath), { formats: true });
  const e = jsonata(summary);
  const validLines = lines.map((l, i) => [l, i + 1]).filter(([l]) => v(l));
  const expectedRows = validLines.map(([l, n]) => [String(n), e.evaluate(l)]);
  assert.ok(validLines.length > 3 && validLines.length < lines.length);

  const server = await startPlayground(0);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Ready'));
    await page.setInputFiles('#data-file', ordersPath);
    await page.setInputFiles('#schema-file', schemaPath);
    await page.fill('#transform', summary);
    await page.waitForFunction(() => !document.getElementById('run').disabled);
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Done'), null, { timeout: 60_000 });
    assert.equal(await page.textContent('#transformed-count'), String(validLines.length));
    assert.equal(await page.isVisible('#outputs-panel'), true);
    const rows = await page.$$eval('#outputs tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    assert.deepEqual(rows, expectedRows.slice(0, 20));

    // An expression that fails at run time: every valid line is listed as a transform error.
    await page.fill('#transform', 'quantity & "" + 1');
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Done'), null, { timeout: 60_000 });
    assert.equal(await page.textContent('#transformed-count'), '0');
    const transformErrors = await page.$$eval('#errors tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent))
      .filter((r) => r[2] === 'transform'));
    assert.equal(transformErrors.length, validLines.length);
    assert.match(transformErrors[0][3], /^T2001 at position \d+: /);

    // One that does not compile is reported before any work.
    await page.fill('#transform', 'quantity * ');
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('status').classList.contains('error'));
    assert.match(await page.textContent('#status'), /^transform: S0207 at position \d+: /);
  } finally {
    await browser.close();
    await server.close();
  }
});
