// Bad input never crashes: wrong argument types, detached buffers, schemas that do not
// compile, invalid UTF-8, collected schemas, async work at process exit, a missing binary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, it } from 'node:test';

import {
  compile, countPrimes, fibonacci, fileChecksum, financialMetrics, jsonata, sha256, sort, xxh3, xxh64,
} from 'hotpath';

const require = createRequire(import.meta.url);
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const gc = globalThis.gc;  // the suite runs with --expose-gc (ctest and `npm test`)

const ARG_TYPE = { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' };

function runChild(source, env = {}) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: packageRoot, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000,
  });
}

describe('wrong argument types', () => {
  const v = compile({ type: 'object' });

  it('validator inputs that are not JSON-serializable are TypeErrors with a code', () => {
    assert.throws(() => v(undefined), ARG_TYPE);
    assert.throws(() => v(Symbol('x')), ARG_TYPE);
    assert.throws(() => v(() => 1), ARG_TYPE);
    assert.throws(() => v(10n), { ...ARG_TYPE, message: /BigInt/ });
    const cyclic = {};
    cyclic.self = cyclic;
    assert.throws(() => v(cyclic), ARG_TYPE);
    assert.throws(() => v.check(undefined), ARG_TYPE);
    assert.throws(() => v.validateMany({ a: 1 }), ARG_TYPE);
    assert.throws(() => v.validateMany(42), ARG_TYPE);
  });

  it('validateAsync and fileChecksum reject instead of throwing', async () => {
    await assert.rejects(v.validateAsync(undefined), ARG_TYPE);
    await assert.rejects(fileChecksum(42), ARG_TYPE);
    await assert.rejects(fileChecksum('/x', 'md5'), { code: 'ERR_INVALID_ARG_VALUE' });
  });

  it('compile options are checked with Node-style messages', () => {
    assert.throws(() => compile(42), { ...ARG_TYPE, message: /The "schema" argument must be .* Received type number \(42\)/ });
    assert.throws(() => compile(null), ARG_TYPE);
    assert.throws(() => compile({}, 'draft7'), ARG_TYPE);
    assert.throws(() => compile({}, { formats: 'yes' }), { ...ARG_TYPE, message: /options\.formats/ });
    assert.throws(() => compile({}, { defaultDialect: 7 }), ARG_TYPE);
    assert.throws(() => compile({}, { defaultDialect: 'draft5' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    assert.throws(() => compile({}, { defaultDialect: 'https://example.com/not-a-metaschema' }), { code: 'ERR_INVALID_ARG_VALUE' });
    assert.throws(() => compile({}, { refMap: [] }), ARG_TYPE);
    assert.throws(() => compile({}, { refMap: { 'https://x/': 1 } }), ARG_TYPE);
    assert.throws(() => compile({}, { schemas: [42] }), { ...ARG_TYPE, message: /options\.schemas\[0\]/ });
    assert.throws(() => compile({}, { asyncThreshold: -1 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  });

  it('kernel arguments are checked', () => {
    assert.throws(() => sha256(42), ARG_TYPE);
    assert.throws(() => sha256({}), ARG_TYPE);
    assert.throws(() => sha256('x', 'base64'), { code: 'ERR_INVALID_ARG_VALUE' });
    assert.throws(() => xxh64('x', -1), { code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => xxh3('x', 2n ** 64n), { code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => xxh3('x', '1'), ARG_TYPE);
    assert.throws(() => countPrimes('10'), ARG_TYPE);
    assert.throws(() => countPrimes(-1), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => countPrimes(1e12), { code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => fibonacci(1.5), { code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => fibonacci(2e6), { code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => sort([3, 1, 2]), ARG_TYPE);
    assert.throws(() => sort(new DataView(new ArrayBuffer(4))), ARG_TYPE);
    assert.throws(() => financialMetrics([1, 2, 3]), { ...ARG_TYPE, message: /Float64Array/ });
    assert.throws(() => financialMetrics(new Float64Array(2), { returns: 'geometric' }), { code: 'ERR_INVALID_ARG_VALUE' });
  });

  it('the native classes refuse misuse without crashing', () => {
    const native = require('../lib/native.js');
    assert.throws(() => new native.Validator(), { name: 'TypeError', code: 'ERR_ILLEGAL_CONSTRUCTOR' });
    assert.throws(() => new native.Validator({}), { code: 'ERR_ILLEGAL_CONSTRUCTOR' });
    assert.throws(() => native.Validator(), TypeError);  // without new
    const c = new native.Compiler(false, '', []);
    const nv = c.compile('{}');
    assert.throws(() => nv.validate(), ARG_TYPE);
    assert.throws(() => nv.validate({}), ARG_TYPE);
    assert.throws(() => nv.validateMany(null), ARG_TYPE);
    assert.throws(() => nv.check('{}', 'verbose'), { code: 'ERR_INVALID_ARG_VALUE' });
    // validate is bound to its validator (bound_method.h), as Function.prototype.bind would
    // bind it: the receiver does not matter. The prototype methods check theirs.
    assert.equal(nv.validate.call({}, '{}'), true);
    assert.throws(() => nv.check.call({}, '{}'), Error);  // wrong receiver
    const ne = new native.Expression('1 + 1');
    assert.equal(ne.evaluate.call(null, '{}'), '2');
    assert.throws(() => ne.evaluateAsync.call({}, '{}'), Error);
    assert.throws(() => new native.Compiler('yes'), ARG_TYPE);
    assert.throws(() => new native.Compiler(false, 'draft5'), { code: 'ERR_INVALID_ARG_VALUE' });
    assert.throws(() => native.sort({}), ARG_TYPE);
    assert.throws(() => native.metrics(new Float32Array(2)), ARG_TYPE);
    assert.throws(() => native.countPrimes(-1), { code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => native.xxh3('x', 1), ARG_TYPE);
  });
});

describe('detached buffers', () => {
  function detachedView() {
    const bytes = new Uint8Array(16);
    bytes.set(Buffer.from('{"a":1}'));
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    assert.equal(bytes.byteLength, 0);
    return bytes;
  }

  it('are refused with a TypeError (ERR_INVALID_STATE), not read', async () => {
    const v = compile({ type: 'object' }, { asyncThreshold: 0 });
    const expected = { name: 'TypeError', code: 'ERR_INVALID_STATE', message: /detached/ };
    assert.throws(() => v(detachedView()), expected);
    assert.throws(() => v.check(detachedView()), expected);
    assert.throws(() => v.validateMany(detachedView()), expected);
    await assert.rejects(v.validateAsync(detachedView()), expected);
    const ab = new ArrayBuffer(8);
    structuredClone(ab, { transfer: [ab] });
    assert.throws(() => v(ab), expected);
    assert.throws(() => sha256(detachedView()), expected);
    const dvBuffer = new ArrayBuffer(8);
    const dv = new DataView(dvBuffer);
    structuredClone(dvBuffer, { transfer: [dvBuffer] });
    assert.throws(() => xxh3(dv), expected);
    // An empty live buffer is simply not JSON.
    assert.equal(v(new Uint8Array(0)), false);
    assert.equal(v.errors[0].keyword, 'parse');
  });

  it('sorting a detached typed array is a no-op', () => {
    const a = new Float64Array([2, 1]);
    structuredClone(a.buffer, { transfer: [a.buffer] });
    assert.equal(sort(a).length, 0);
  });
});

describe('schemas that do not compile', () => {
  it('throw an Error with code HOTPATH_SCHEMA_INVALID and the location', () => {
    assert.throws(() => compile({ type: 'nope' }), {
      name: 'Error', code: 'HOTPATH_SCHEMA_INVALID', location: '/type', message: /^#\/type: .*nope/,
    });
    assert.throws(() => compile({ properties: { a: { minimum: 'x' } } }), { code: 'HOTPATH_SCHEMA_INVALID', message: /\/properties\/a\/minimum/ });
    assert.throws(() => compile('{"type":'), { code: 'HOTPATH_SCHEMA_INVALID' });
    assert.throws(() => compile({ $ref: 'https://unknown.test/x.json' }), { code: 'HOTPATH_SCHEMA_INVALID', message: /unknown\.test/ });
    // Added schemas are checked when compiled in (when a $ref reaches them), unless not JSON at all.
    assert.throws(() => compile({ $ref: 'urn:bad' }, { schemas: [{ $id: 'urn:bad', type: 5 }] }),
      { code: 'HOTPATH_SCHEMA_INVALID', message: /^urn:bad#\/type: / });
    assert.throws(() => compile({}, { schemas: ['{bad'] }), { code: 'HOTPATH_SCHEMA_INVALID', message: /invalid JSON/ });
  });
});

describe('invalid UTF-8 and lone surrogates', () => {
  it('replaces lone surrogates in JS strings with U+FFFD, as Buffer.from(string) does', () => {
    const v = compile({ const: '\uFFFD' });
    assert.equal(v('"\uD800"'), true);
    assert.equal(v('"\uDC00"'), v(Buffer.from('"\uDC00"')));
    assert.equal(sha256('\uD800'), sha256(Buffer.from([0xef, 0xbf, 0xbd])));
  });

  it('rejects invalid UTF-8 bytes and escaped lone surrogates as parse errors', () => {
    const v = compile({ type: 'string' });
    assert.equal(v(Buffer.from([0x22, 0xff, 0xfe, 0x22])), false);
    assert.equal(v.errors[0].keyword, 'parse');
    assert.equal(v('"\\ud800"'), false);
    assert.equal(v.errors[0].keyword, 'parse');
    assert.equal(v('"\\ud83d\\ude00"'), true);  // a proper pair
  });
});

describe('garbage collection', () => {
  it('a validator keeps working after its schema object was collected', async () => {
    assert.equal(typeof gc, 'function', 'run with --expose-gc');
    let v;
    let ref;
    (() => {
      const schema = { type: 'object', properties: { n: { type: 'integer', maximum: 10 } }, required: ['n'] };
      ref = new WeakRef(schema);
      v = compile(schema);
    })();
    for (let i = 0; i < 5 && ref.deref() !== undefined; i++) {
      await tick();
      gc();
    }
    assert.equal(ref.deref(), undefined, 'the schema object was collected');
    assert.equal(v('{"n":3}'), true);
    assert.equal(v('{"n":30}'), false);
    assert.equal(v.errors[0].keyword, 'maximum');
  });

  it('validateAsync completes after the validator itself was collected', async () => {
    let v = compile({ type: 'array', items: { type: 'number' } }, { asyncThreshold: 0 });
    const pending = [v.validateAsync(Buffer.from('[1,2,3]')), v.validateAsync('[1,"x"]')];
    let ref = new WeakRef(v);
    v = null;
    for (let i = 0; i < 3; i++) {
      await tick();
      gc();
    }
    const [a, b] = await Promise.all(pending);
    assert.equal(a.valid, true);
    assert.equal(b.errors[0].instancePath, '/1');
    ref = ref.deref();  // collected or not, nothing crashed
  });

  it('many validators can be created and dropped', () => {
    for (let i = 0; i < 2000; i++) compile({ type: 'object', properties: { [`p${i}`]: { minimum: i } } })(`{"p${i}":${i}}`);
    gc();
  });

  // validate and evaluate are native functions bound to their objects (bound_method.h): the
  // object and the function are finalized in either order, and a kept function keeps working.
  it('bound validate and evaluate functions outlive collections in any order', async () => {
    const kept = [];
    for (let i = 0; i < 3000; i++) {
      const v = compile({ type: 'integer', minimum: i });
      const e = jsonata(`$ + ${i}`);
      assert.equal(v(String(i)), true);
      assert.equal(e.evaluate('1'), String(1 + i));
      if (i % 500 === 0) kept.push([i, v, e]);
    }
    for (let r = 0; r < 3; r++) {
      await tick();
      gc();
    }
    for (const [i, v, e] of kept) {
      assert.equal(v(String(i - 1)), false);
      assert.equal(e.evaluate(Buffer.from('2')).toString(), String(2 + i));
    }
  });

  // Through the native module, a bound function can be kept without its object (lib/ never
  // does that). Once the object is collected, calling the function is an ERR_INVALID_STATE
  // error, never a call on a freed object.
  it('a native bound function whose object was collected throws ERR_INVALID_STATE', async () => {
    const native = require(join(packageRoot, 'lib', 'native.js'));
    const compiler = new native.Compiler(false, undefined, []);
    const functions = [];
    for (let i = 0; i < 200; i++) {
      functions.push(new native.Expression(`${i}`).evaluate);
      functions.push(compiler.compile(`{"maximum":${i}}`).validate);
    }
    for (let r = 0; r < 3; r++) {
      await tick();
      gc();
    }
    let released = 0;
    functions.forEach((f, i) => {
      try {
        const result = f('1');
        assert.ok(i % 2 === 0 ? result === String(i / 2) : typeof result === 'boolean', `call ${i}`);
      } catch (err) {
        assert.equal(err.code, 'ERR_INVALID_STATE', err.message);
        released++;
      }
    });
    assert.ok(released > 0, 'no object was collected');
  });
});

describe('process lifecycle', () => {
  it('exits cleanly with 1000 validateAsync calls in flight', () => {
    const r = runChild(`
      import { compile } from 'hotpath';
      const v = compile({ type: 'array', items: { type: 'object', required: ['id'] } }, { asyncThreshold: 0 });
      const body = Buffer.from(JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: i }))));
      for (let i = 0; i < 1000; i++) v.validateAsync(i % 2 ? body : JSON.stringify([{}])).then(() => {}, () => {});
      process.exit(0);
    `);
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  it('ends normally with async work and a checksum still queued at the end of the script', () => {
    const r = runChild(`
      import { compile, fileChecksum } from 'hotpath';
      const v = compile({ type: 'object' }, { asyncThreshold: 0 });
      let done = 0;
      for (let i = 0; i < 1000; i++) v.validateAsync('{}').then(() => done++);
      fileChecksum(process.execPath).then(() => done++);
      process.on('exit', () => { if (done !== 1001) { console.error('done', done); process.exitCode = 3; } });
    `);
    assert.equal(r.status, 0, r.stderr);
  });

  it('a worker terminated with async work in flight does not take the process down', () => {
    const r = runChild(`
      import { Worker } from 'node:worker_threads';
      const w = new Worker(\`
        const { compile } = require('hotpath');
        const v = compile({ type: 'object' }, { asyncThreshold: 0 });
        const big = Buffer.from(JSON.stringify({ a: 'x'.repeat(1 << 20) }));
        for (let i = 0; i < 500; i++) v.validateAsync(big);
        require('node:worker_threads').parentPort.postMessage('started');
      \`, { eval: true, execArgv: [] });
      w.on('message', async () => { await w.terminate(); console.log('terminated'); });
    `);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /terminated/);
  });
});

describe('loading the native binary', () => {
  it('says why it failed and what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-load-'));
    try {
      const fake = join(dir, 'hotpath.node');
      writeFileSync(fake, 'not an ELF file');
      const r = runChild("import('hotpath').catch((e) => { console.log(e.code); console.log(e.message); process.exit(1); })",
        { HOTPATH_NATIVE_PATH: fake });
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^HOTPATH_NATIVE_LOAD_FAILED/);
      assert.match(r.stdout, /could not load the native addon/);
      assert.match(r.stdout, /invalid ELF header|file too short/);  // the dlopen message
      assert.match(r.stdout, /make build/);
      assert.match(r.stdout, /npm rebuild hotpath/);
      const missing = runChild("import('hotpath').catch((e) => { console.log(e.message); process.exit(1); })",
        { HOTPATH_NATIVE_PATH: join(dir, 'nope.node') });
      assert.match(missing.stdout, /nope\.node: not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
