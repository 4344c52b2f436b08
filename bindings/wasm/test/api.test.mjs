// @hotpath/wasm in Node: the API around the shared vectors (which pin the answers themselves):
// inputs of every kind, argument and kernel errors, and memory that stays flat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import init, * as hp from '../lib/index.mjs';

await init();
const schema = { type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 1 } } };

test('functions throw a clear error before init()', () => {
  const entry = fileURLToPath(new URL('../lib/index.mjs', import.meta.url));
  const out = execFileSync(process.execPath, ['--input-type=module', '-e',
    `import { compile } from ${JSON.stringify(entry)}; try { compile({}) } catch (e) { console.log(e.code, e.message) }`],
  { encoding: 'utf8' });
  assert.equal(out, 'HOTPATH_WASM_NOT_INITIALIZED @hotpath/wasm is not initialized: `await init()` first\n');
});

test('init() twice is one module', async () => {
  const a = init();
  const b = init();
  assert.equal(a, b);
  await a;
});

test('the CommonJS entry works after init()', async () => {
  const entry = fileURLToPath(new URL('../lib/index.cjs', import.meta.url));
  const out = execFileSync(process.execPath, ['-e',
    `const hp = require(${JSON.stringify(entry)}); hp.init().then(() => { const v = hp.compile({type: 'string'}); ` +
    'console.log(v(\'"x"\'), v("1"), JSON.stringify(v.errors)); })'], { encoding: 'utf8' });
  assert.equal(out, 'true false [{"instancePath":"","schemaPath":"#/type","keyword":"type","params":{"type":"string"},"message":"must be string, got number 1"}]\n');
});

test('accepts strings, every typed array, DataView, ArrayBuffer and JS values', () => {
  const v = hp.compile(schema);
  const bytes = new TextEncoder().encode('{"n": 2}');
  assert.equal(v('{"n": 2}'), true);
  assert.equal(v(bytes), true);
  assert.equal(v(Buffer.from(bytes)), true);
  assert.equal(v(bytes.buffer), true);
  assert.equal(v(new DataView(bytes.buffer)), true);
  const padded = new Uint8Array(16);
  padded.set(bytes, 4);
  assert.equal(v(padded.subarray(4, 4 + bytes.length)), true);
  assert.equal(v({ n: 0 }), false, 'a JS value is stringified (the slow path)');
  assert.equal(v.errors[0].message, 'must be >= 1, got 0');
  assert.throws(() => v(Symbol('x')), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => v.validateMany({}), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('argument and schema errors have the addon\'s codes', () => {
  assert.throws(() => hp.compile(42), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => hp.compile({}, { formats: 'yes' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => hp.compile({}, { defaultDialect: 'draft5' }), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => hp.compile({}, { defaultDialect: 'https://example.com/not-a-metaschema' }), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => hp.compile({}, { refMap: { 'https://x/': '.' } }), { code: 'ERR_INVALID_ARG_VALUE', message: /no file system/ });
  assert.throws(() => hp.compile('{"type": '), { code: 'HOTPATH_SCHEMA_INVALID', message: /invalid JSON in schema: line 1, column 10/ });
  assert.throws(() => hp.compile({ $ref: 'https://elsewhere.example/s.json' }), (err) => {
    assert.equal(err.code, 'HOTPATH_SCHEMA_INVALID');
    assert.equal(err.location, '/$ref');
    return true;
  });
  const v = hp.compile(schema);
  assert.throws(() => v.check('{}', { output: 'detailed' }), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => hp.Compiler({}), TypeError);
});

test('a Compiler shares added schemas between validators', () => {
  const c = new hp.Compiler({ formats: true, schemas: { 'https://x.example/id.json': { type: 'string', format: 'uuid' } } });
  c.addSchema({ $id: 'https://x.example/n.json', type: 'integer' });
  const a = c.compile({ $ref: 'https://x.example/id.json' });
  const b = c.compile({ type: 'array', items: { $ref: 'https://x.example/n.json' } });
  assert.equal(a('"6513270e-269e-4d37-b2a7-4de452e6b438"'), true);
  assert.equal(a('"nope"'), false);
  assert.equal(b('[1, 2, 3]'), true);
  assert.equal(b('[1, "2"]'), false);
  assert.equal(b.errors[0].instancePath, '/1');
  c.free();
  assert.equal(b('[4]'), true, 'validators outlive their compiler');
});

test('kernel errors and limits', () => {
  assert.throws(() => hp.financialMetrics(Float64Array.from([1, 2, -3])), (err) => {
    assert.equal(err.name, 'RangeError');
    assert.equal(err.code, 'HOTPATH_INVALID_PRICE');
    assert.equal(err.index, 2);
    return true;
  });
  assert.throws(() => hp.financialMetrics(new Float64Array(0)), { code: 'HOTPATH_EMPTY_INPUT' });
  assert.throws(() => hp.countPrimes(1e12), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => hp.fibonacci(-1), { code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => hp.financialMetrics([1, 2]), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => hp.sort([3, 1]), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => hp.xxh64('a', -1), { code: 'ERR_OUT_OF_RANGE' });
  assert.equal(typeof hp.fibonacci(78), 'number');
  assert.equal(hp.fibonacci(79), 14472334024676221n);
  assert.deepEqual(Array.from(hp.sort(BigInt64Array.from([3n, -1n, 2n]))), [-1n, 2n, 3n]);
  assert.equal(hp.sha256('abc', 'buffer').length, 32);
});

test('a 20 MB NDJSON batch: every line answered, memory handed back', () => {
  const v = hp.compile(schema);
  const line = '{"n": 12345, "pad": "' + 'x'.repeat(80) + '"}\n';
  const count = Math.ceil((20 << 20) / line.length);
  const text = line.repeat(count - 1) + '{"n": 0}\n';
  const r = v.validateMany(text);
  assert.equal(r.valid.length, count);
  assert.equal(r.valid.reduce((a, b) => a + b, 0), count - 1);
  assert.deepEqual(r.errors.map((e) => e.line), [count]);
  assert.ok(hp.heapInUse() < 16 << 20, `heap in use after the batch: ${hp.heapInUse()} bytes`);
});

test('no leaks across 100,000 calls', () => {
  const v = hp.compile(schema, { formats: true });
  const good = new TextEncoder().encode('{"n": 3}');
  const calls = () => {
    for (let i = 0; i < 20_000; i++) {
      v(good);
      v('{"n": 0, "x": "é"}');
      void v.errors;
      v.check('{"n": "bad"', { output: 'basic' });
      v.validateMany('{"n": 1}\n\n{"n": -1}\n');
      hp.xxh3(good);
    }
  };
  calls(); // warm-up: scratch buffers reach their steady size
  const before = hp.heapInUse();
  calls();
  assert.equal(hp.heapInUse(), before);
});

test('compiled schemas are freed by free() and by garbage collection', async () => {
  const big = { type: 'object', properties: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`p${i}`, { type: 'string', pattern: `^a{${i}}$` }])) };
  hp.compile(big).free(); // warm-up
  const before = hp.heapInUse();
  for (let i = 0; i < 200; i++) hp.compile(big).free();
  assert.equal(hp.heapInUse(), before, 'free()');
  if (typeof globalThis.gc !== 'function') return; // `node --expose-gc` runs the rest
  for (let i = 0; i < 200; i++) hp.compile(big);
  const grown = hp.heapInUse();
  assert.ok(grown > before);
  for (let i = 0; i < 100 && hp.heapInUse() > before; i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  // At most the baseline: validators left by earlier tests may be collected too.
  assert.ok(hp.heapInUse() <= before, `FinalizationRegistry frees collected validators (${hp.heapInUse()} > ${before})`);
});

test('validateAsync settles with the same answers as v()', async () => {
  const v = hp.compile(schema);
  assert.deepEqual(await v.validateAsync('{"n": 5}'), { valid: true, errors: null });
  const r = await v.validateAsync('{"n": 0}');
  assert.equal(r.valid, false);
  assert.equal(r.errors[0].keyword, 'minimum');
  await assert.rejects(v.validateAsync(Symbol('x')), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('jsonata: bytes in give bytes out, text gives text, errors carry code and position', () => {
  const e = hp.jsonata('items[price > 10].{"n": name, "p": price * $k}', { bindings: { k: 2 } });
  const text = '{"items":[{"name":"a","price":5},{"name":"é","price":12.5}]}';
  assert.equal(e.evaluate(text), '{"n":"é","p":25}');
  const out = e.evaluate(new TextEncoder().encode(text));
  assert.ok(out instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(out), '{"n":"é","p":25}');
  assert.equal(e.evaluate(JSON.parse(text), { bindings: '{"k":1}' }), '{"n":"é","p":12.5}');
  assert.equal(e.evaluate('{}'), undefined);
  assert.equal(new hp.Expression('1 + 1').evaluate(), '2');
  assert.throws(() => hp.jsonata('items[price > ]'), { code: 'S0211', position: 15, token: ']' });
  assert.throws(() => hp.jsonata('"a" + 1').evaluate(), { code: 'T2001', position: 5 });
  assert.throws(() => e.evaluate('{"items":'), { code: 'HOTPATH_INVALID_JSON' });
  assert.throws(() => hp.jsonata('($f := function($n) { $f($n + 1) }; $f(0))').evaluate(undefined, { timeoutMs: 30 }), { code: 'U1001' });
  assert.throws(() => hp.jsonata('($f := function($n) { 1 + $f($n + 1) }; $f(0))').evaluate(), (err) => /^[A-Z]\d{4}$/.test(err.code));
});

test('jsonata: no leaks across 100,000 evaluations, and free()', () => {
  const e = hp.jsonata('$sum(items.(price * qty)) & " " & $uppercase(items[0].name)');
  const input = new TextEncoder().encode('{"items":[{"name":"a","price":1.5,"qty":2},{"name":"b","price":2,"qty":3}]}');
  const calls = () => {
    for (let i = 0; i < 25_000; i++) {
      e.evaluate(input);
      e.evaluate('{"items":[]}');
      const failing = hp.jsonata('"x" - 1');
      assert.throws(() => failing.evaluate(), { code: 'T2001' });
      failing.free();
      assert.throws(() => hp.jsonata('a.['), { code: 'S0203' });
      hp.jsonata('a.b').free();
    }
  };
  calls();
  const before = hp.heapInUse();
  calls();
  assert.equal(hp.heapInUse(), before);
});
