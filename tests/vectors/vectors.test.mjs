// The shared vectors against every backend, byte for byte: the Node addon, the wasm build in
// Node, the wasm build in headless Chromium, and (for what it prints) the CLI.
// HOTPATH_VECTOR_BACKENDS=native,wasm,browser,cli picks some (default: all).
//   node --test tests/vectors/vectors.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runVectors } from './cases.mjs';
import { ROOT, readExpected, readVectorFiles } from './load.mjs';

const require = createRequire(import.meta.url);
const backends = (process.env.HOTPATH_VECTOR_BACKENDS || 'native,wasm,browser,cli').split(',');
const files = readVectorFiles();
const expected = readExpected();

function assertSameFiles(actual, backend) {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${backend}: the set of outputs`);
  for (const [name, text] of Object.entries(expected)) {
    assert.equal(actual[name], text, `${backend}: ${name} differs from tests/vectors/expected/${name}`);
  }
}

test('native addon matches the expected outputs', { skip: !backends.includes('native') }, async () => {
  const hotpath = require(join(ROOT, 'bindings/node'));
  assertSameFiles(await runVectors(hotpath, files), 'native');
});

test('wasm in Node matches the expected outputs', { skip: !backends.includes('wasm') }, async () => {
  const wasm = await import(join(ROOT, 'bindings/wasm/lib/index.mjs'));
  await wasm.default();
  assertSameFiles(await runVectors(wasm, files), 'wasm-node');
});

test('wasm in Chromium matches the expected outputs', { skip: !backends.includes('browser'), timeout: 120_000 }, async () => {
  const { startServer, launchChromium } = await import(join(ROOT, 'bindings/wasm/test/helpers/browser.mjs'));
  const server = await startServer({ pages: { '/vectors.html': { body: '<!doctype html><title>vectors</title>' } } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/vectors.html`);
    const actual = await page.evaluate(async (texts) => {
      const wasm = await import('/bindings/wasm/lib/index.mjs');
      await wasm.default();
      const { runVectors: run } = await import('/tests/vectors/cases.mjs');
      return run(wasm, texts);
    }, files);
    assertSameFiles(actual, 'wasm-chromium');
  } finally {
    await browser.close();
    await server.close();
  }
});

// The CLI prints the standard output unit: the check-basic files for documents, and one unit
// per line for NDJSON (whose valid flags must equal validateMany's). Schemas with an $id only:
// the CLI gives a schema file its file:// URI, which would show in absoluteKeywordLocation.
const cli = process.env.HOTPATH_CLI || join(ROOT, 'build/bin/hotpath');
test('CLI prints the same standard output units', { skip: !backends.includes('cli') || (!existsSync(cli) && `no ${cli}`) }, () => {
  const manifest = JSON.parse(files['tests/vectors/vectors.json']);
  let compared = 0;
  for (const c of manifest.cases) {
    if (!c.input || !/"\$id"/.test(files[c.schema])) continue;
    const args = ['validate', '--schema', join(ROOT, c.schema), '--output', 'basic'];
    if (c.options.formats) args.push('--formats');
    if (c.options.defaultDialect) args.push('--default-dialect', c.options.defaultDialect);
    if (c.options.schemas) continue; // the CLI has ref maps, not registered schemas
    if (c.ndjson) args.push('--ndjson', '--threads', '2');
    args.push(join(ROOT, c.input));
    let stdout;
    try {
      stdout = execFileSync(cli, args, { encoding: 'utf8' });
    } catch (err) {
      assert.equal(err.status, 1, `${c.name}: exit status (stderr: ${err.stderr})`);
      stdout = err.stdout;
    }
    if (c.ndjson) {
      const units = stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
      const many = JSON.parse(expected[`${c.name}.many.json`]);
      assert.deepEqual(units.map((u) => (u.valid ? 1 : 0)), many.valid, `${c.name}: valid flags`);
    } else {
      assert.equal(stdout, expected[`${c.name}.check-basic.json`], `${c.name}: CLI output`);
    }
    compared++;
  }
  assert.ok(compared >= 6, `compared ${compared} cases`);
});

// `hotpath transform` prints each JSONata result as the addon returns it, plus a newline
// (nothing for undefined), and "CODE at position N: message" as its first stderr line on errors.
test('CLI transform prints the same JSONata results', { skip: !backends.includes('cli') || (!existsSync(cli) && `no ${cli}`) }, () => {
  const manifest = JSON.parse(files['tests/vectors/vectors.json']);
  const results = JSON.parse(expected['jsonata.json']);
  for (const c of manifest.jsonata) {
    const args = ['transform', ...(c.exprFile ? ['--expr-file', join(ROOT, c.exprFile)] : ['--expr', c.expr])];
    if (c.bindings) {
      const file = join(mkdtempSync(join(tmpdir(), 'hotpath-vectors-')), 'bindings.json');
      writeFileSync(file, JSON.stringify(c.bindings));
      args.push('--bindings', file);
    }
    args.push(...(c.input ? [join(ROOT, c.input)] : ['--no-input']));
    const r = spawnSync(cli, args, { encoding: 'utf8' });
    const want = results[c.name];
    if (want.error) {
      assert.equal(r.status, 1, `${c.name}: exit status`);
      assert.equal(r.stdout, '', `${c.name}: stdout`);
      assert.ok(r.stderr.startsWith(`${want.error.code} at position ${want.error.position}: `), `${c.name}: stderr ${r.stderr}`);
    } else {
      assert.equal(r.status, 0, `${c.name}: exit status (stderr: ${r.stderr})`);
      assert.equal(r.stdout, want.undefined ? '' : `${want.result}\n`, `${c.name}: stdout`);
    }
  }
});
