// The explicit export list (exports.txt) is what the module exports: nothing more (no malloc or
// free), nothing less. And the package's public names are the documented ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const dist = new URL('../dist/', import.meta.url);
const listed = readFileSync(new URL('../exports.txt', import.meta.url), 'utf8')
  .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
// Emscripten's own entries: constructors, called by the glue at start-up, and errno's address,
// which the glue's syscall layer writes once the code reads errno (strtod in the JSONata
// number functions).
const RUNTIME = ['__errno_location', '__wasm_call_ctors'];

test('the glue exposes exactly the functions of exports.txt', () => {
  const glue = readFileSync(new URL('hotpath_wasm.js', dist), 'utf8');
  const exported = [...new Set([...glue.matchAll(/Module\["_([A-Za-z0-9_]+)"\]/g)].map((m) => m[1]))].sort();
  assert.deepEqual(exported, [...listed, ...RUNTIME].sort());
  assert.ok(!exported.includes('malloc') && !exported.includes('free'));
});

test('the instantiated module has every listed function and no allocator entry points', async () => {
  const { default: factory } = await import(new URL('hotpath_wasm.mjs', dist));
  const mod = await factory({ wasmBinary: readFileSync(new URL('hotpath_wasm.wasm', dist)) });
  for (const name of listed) assert.equal(typeof mod[`_${name}`], 'function', name);
  assert.equal(mod._malloc, undefined);
  assert.equal(mod._free, undefined);
  const wasmExports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(new URL('hotpath_wasm.wasm', dist))));
  assert.equal(wasmExports.filter((e) => e.kind === 'function').length, listed.length + RUNTIME.length);
});

const PUBLIC = ['Compiler', 'Expression', 'compile', 'countPrimes', 'default', 'fibonacci', 'financialMetrics', 'heapInUse',
  'init', 'jsonata', 'returns', 'rules', 'sha256', 'sort', 'version', 'xxh3', 'xxh3_128', 'xxh64'];

test('ESM and CommonJS entries export the same public names', async () => {
  const esm = await import('../lib/index.mjs');
  assert.deepEqual(Object.keys(esm).sort(), PUBLIC);
  const cjs = createRequire(import.meta.url)('../lib/index.cjs');
  assert.deepEqual(Object.keys(cjs).sort(), PUBLIC);
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(esm.version, version);
  assert.equal(cjs.version, version);
});
