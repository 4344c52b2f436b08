// rules(): JavaScript rule files run in this process with hotpathd's contract (core/rules/README.md).
// Where the native runtime has a test (core/rules/tests/rules_test.cpp), the same source must give
// the same strings here.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

import { rules } from 'hotpath';

const require = createRequire(import.meta.url);

// The answer as rules_test.cpp's fixture writes it: the output text, "unchanged", "undefined",
// "invalid: reason | reason |" or "error: <message>".
async function answer(rule, record, { sync = false } = {}) {
  try {
    const r = sync ? rule.run(record) : await rule.runAsync(record);
    if (!r.valid) return `invalid:${r.reasons.map((reason) => ` ${reason} |`).join('')}`;
    if (!rule.hasTransform) {
      assert.equal(r.output, record);
      return 'unchanged';
    }
    return r.output === undefined ? 'undefined' : r.output;
  } catch (err) {
    if (err.code !== 'HOTPATH_RULE_ERROR') throw err;
    return `error: ${err.message}`;
  }
}

async function loadError(source, options) {
  try {
    await rules(source, options);
  } catch (err) {
    assert.equal(err.code, 'HOTPATH_RULE_ERROR');
    assert.equal(err.kind, 'load');
    return err;
  }
  assert.fail('rules() resolved');
}

describe('rules(): results', () => {
  it('transform returns the new record as JSON.stringify writes it', async () => {
    const rule = await rules(`
      export function transform(r, ctx) {
        return { id: r.id, total: r.qty * r.price, pipeline: ctx.pipeline, big: 1e21, s: 'é\\u2028' };
      }`, { pipeline: 'orders' });
    assert.equal(rule.hasTransform, true);
    assert.equal(rule.hasCheck, false);
    assert.equal(rule.filename, 'rules.js');
    assert.equal(rule.pipeline, 'orders');
    const record = '{"id":"a","qty":3,"price":2.5}';
    const want = '{"id":"a","total":7.5,"pipeline":"orders","big":1e+21,"s":"é\u2028"}';
    assert.equal(await answer(rule, record, { sync: true }), want);
    assert.equal(await answer(rule, record), want);
  });

  it('check verdicts: undefined, true and [] pass; false, strings and string arrays reject', async () => {
    const rule = await rules(`
      export function check(r) {
        switch (r.v) {
          case 'true': return true;
          case 'undefined': return;
          case 'false': return false;
          case 'string': return 'amount must be positive';
          case 'empty': return '';
          case 'list': return ['a', 'b'];
          case 'none': return [];
          case 'number': return 42;
          case 'mixed': return ['a', 1];
          case 'async': return Promise.resolve('later');
        }
      }`);
    const run = (v, sync = true) => answer(rule, JSON.stringify({ v }), { sync });
    assert.equal(await run('true'), 'unchanged');
    assert.equal(await run('undefined'), 'unchanged');
    assert.equal(await run('none'), 'unchanged');
    assert.equal(await run('false'), 'invalid: rejected by rules.js |');
    assert.equal(await run('empty'), 'invalid: rejected by rules.js |');
    assert.equal(await run('string'), 'invalid: amount must be positive |');
    assert.equal(await run('list'), 'invalid: a | b |');
    assert.equal(await run('async', false), 'invalid: later |');
    assert.equal(await run('number'),
      'error: rules.js: check returned a number; expected true, false, a string or an array of strings');
    assert.equal(await run('mixed'),
      'error: rules.js: check returned an array holding a number; expected strings (the reasons)');
    for (const [value, name] of [['null', 'null'], ['({})', 'an object'], ['1n', 'a bigint'], ['Symbol()', 'a symbol']]) {
      const other = await rules(`export const check = () => ${value};`);
      assert.equal(await answer(other, '{}'),
        `error: rules.js: check returned ${name}; expected true, false, a string or an array of strings`);
    }
  });

  it('check runs before transform; a rejected record is not transformed', async () => {
    const rule = await rules(`
      export function check(r) { if (r.n < 0) return 'n is negative'; }
      export function transform(r) { return r.n * 2; }`);
    assert.equal(await answer(rule, '{"n":-1}', { sync: true }), 'invalid: n is negative |');
    assert.equal(await answer(rule, '{"n":21}', { sync: true }), '42');
  });

  it('undefined, functions and symbols are no output; BigInt and cycles are errors; promises settle', async () => {
    const rule = await rules(`
      export async function transform(r) {
        if (r.k === 'undef') return undefined;
        if (r.k === 'fn') return () => 1;
        if (r.k === 'bigint') return { n: 10n };
        if (r.k === 'cycle') { const o = {}; o.o = o; return o; }
        if (r.k === 'never') return new Promise(() => {});
        if (r.k === 'reject') throw new RangeError('bad range');
        if (r.k === 'symbol') return Symbol('s');
        return await Promise.resolve([r.k]);
      }`);
    const run = (k) => answer(rule, JSON.stringify({ k }));
    assert.equal(await run('x'), '["x"]');
    assert.equal(await run('undef'), 'undefined');
    assert.equal(await run('fn'), 'undefined');
    assert.equal(await run('symbol'), 'undefined');
    assert.equal(await run('bigint'),
      "error: rules.js: transform's result is not JSON: TypeError: Do not know how to serialize a BigInt");
    assert.match(await run('cycle'), /^error: rules\.js: transform's result is not JSON: TypeError: Converting circular structure to JSON/);
    assert.equal(await run('never'),
      'error: rules.js: transform returned a promise that never settles (rules have no timers or I/O)');
    // Positions are 1-based, as in V8's stack traces: line 8 of the source above, at `new`.
    assert.equal(await run('reject'), 'error: rules.js:8:37: RangeError: bad range');
  });

  it('a promise waiting for a timer never settles, as in hotpathd (no timers there)', async () => {
    const rule = await rules('export function check() { return new Promise((resolve) => setTimeout(resolve, 50)); }');
    const err = await rule.runAsync('{}').catch((e) => e);
    assert.equal(err.kind, 'result');
    assert.equal(err.message, 'rules.js: check returned a promise that never settles (rules have no timers or I/O)');
  });

  it('input: JSON text, UTF-8 bytes or a value (JSON.stringify first); no transform passes the text as given', async () => {
    const rule = await rules("export function check(r) { return r.n > 0 || 'n must be positive'; }");
    const text = '{ "n" : 1 }';
    assert.deepEqual(rule.run(text), { valid: true, output: text });
    assert.deepEqual(rule.run(Buffer.from(text)), { valid: true, output: text });
    assert.deepEqual(rule.run(new Uint8Array(Buffer.from('{"n":-1}'))), { valid: false, reasons: ['n must be positive'] });
    assert.deepEqual(rule.run(new TextEncoder().encode(text).buffer), { valid: true, output: text });
    assert.deepEqual(rule.run({ n: 2, skipped: undefined, when: new Date(0) }),
      { valid: true, output: '{"n":2,"when":"1970-01-01T00:00:00.000Z"}' });
    assert.deepEqual(await rule.runAsync({ n: -2 }), { valid: false, reasons: ['n must be positive'] });
    assert.throws(() => rule.run(undefined), { code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => rule.run({ n: 1n }), { code: 'ERR_INVALID_ARG_TYPE' });

    // The rule gets its own parsed record: changing it does not change the caller's value.
    const mutator = await rules('export function transform(r) { r.n++; return r; }');
    const value = { n: 1 };
    assert.deepEqual(mutator.run(value), { valid: true, output: '{"n":2}' });
    assert.deepEqual(value, { n: 1 });
  });

  it('a record that is not JSON is a rule error (kind thrown), as in hotpathd', async () => {
    const rule = await rules('export function transform(r) { return r; }');
    assert.throws(() => rule.run('{"a":'), (err) => err.code === 'HOTPATH_RULE_ERROR' && err.kind === 'thrown' &&
      err.line === 0 && err.message.startsWith('rules.js: record is not JSON: SyntaxError: '));
    // A BOM is kept (hotpathd's JSON.parse refuses it too).
    assert.throws(() => rule.run(Buffer.from('\ufeff{}')), /record is not JSON: SyntaxError/);
  });
});

describe('rules(): errors', () => {
  it('a thrown error carries the file, line and column of the throw', async () => {
    const rule = await rules('export function transform(r) {\n  return r.missing.field;\n}\n');
    const err = (() => {
      try {
        rule.run('{}');
      } catch (e) {
        return e;
      }
      return assert.fail('run() returned');
    })();
    assert.equal(err.code, 'HOTPATH_RULE_ERROR');
    assert.equal(err.kind, 'thrown');
    assert.equal(err.file, 'rules.js');
    assert.equal(err.line, 2);
    assert.equal(err.column, 20);
    assert.equal(err.message, "rules.js:2:20: TypeError: Cannot read properties of undefined (reading 'field')");
    assert.ok(err instanceof Error);
    assert.ok(err.cause instanceof TypeError, 'the thrown value is the cause');
  });

  it('errors from built-ins point at the rule line that called them; a filename with spaces works', async () => {
    const rule = await rules('export function transform(r) {\n  return r.s.repeat(r.n);\n}\n', { filename: 'my rules.js' });
    const err = await rule.runAsync('{"s":"ab","n":-1}').catch((e) => e);
    assert.equal(err.file, 'my rules.js');
    assert.equal([err.line, err.column].join(':'), '2:14');
    assert.match(err.message, /^my rules\.js:2:14: RangeError: Invalid count value/);
    // JSON.parse's errors have no position in hotpathd (V8 places them in the JSON text).
    const parser = await rules('export function transform(r) {\n  return JSON.parse(r.text);\n}\n');
    assert.match(await answer(parser, '{"text":"{"}'), /^error: rules\.js: SyntaxError: /);
  });

  it('a synchronous throw is placed at its throw keyword, as V8 places it in hotpathd', async () => {
    const rule = await rules(`export function check(r) {
  if (r.k === 'new') throw new Error('x');
  if (r.k === 'call') throw TypeError('y');
  if (r.k === 'nested') return [1].map(() => { throw new RangeError('z'); });
}`);
    assert.equal(await answer(rule, '{"k":"new"}', { sync: true }), 'error: rules.js:2:22: Error: x');
    assert.equal(await answer(rule, '{"k":"call"}'), 'error: rules.js:3:23: TypeError: y');
    assert.equal(await answer(rule, '{"k":"nested"}'), 'error: rules.js:4:48: RangeError: z');
  });

  it('async rejections carry the position; non-Error throws are "threw <value>" (without one here)', async () => {
    const rule = await rules("export async function check(r) {\n  await null;\n  if (r.t === 'error') throw new TypeError('no');\n  throw r.t;\n}");
    assert.equal(await answer(rule, '{"t":"error"}'), 'error: rules.js:3:30: TypeError: no');
    // hotpathd knows where a non-Error value was thrown; JavaScript cannot (no stack).
    assert.equal(await answer(rule, '{"t":"plain string"}'), 'error: rules.js: threw plain string');
    const thrower = await rules("export function check() { throw { toString() { return 'custom'; } }; }");
    assert.equal(await answer(thrower, '{}', { sync: true }), 'error: rules.js: threw custom');
    const empty = await rules("export function check() { throw new Error(); }");
    assert.equal(await answer(empty, '{}', { sync: true }), 'error: rules.js:1:27: Error');
  });

  it('load errors name the problem', async () => {
    const syntax = await loadError('export function transform(r) {\n  return r +;\n}\n');
    assert.equal(syntax.message, "rules.js:2:13: SyntaxError: Unexpected token ';'");
    assert.deepEqual([syntax.line, syntax.column], [2, 13]);
    assert.equal((await loadError('export const x = 1;')).message,
      'rules.js: exports neither check(record, ctx) nor transform(record, ctx)');
    assert.equal((await loadError('export const check = 5;')).message, "rules.js: export 'check' is a number, not a function");
    assert.equal((await loadError('export const transform = null;')).message, "rules.js: export 'transform' is null, not a function");
    const imports = await loadError("import fs from 'fs';\nexport function check() {}");
    assert.equal(imports.message, "rules.js:1:16: cannot import 'fs': rules run without modules (only what the engine passes in)");
    assert.deepEqual([imports.line, imports.column], [1, 16]);
    const top = await loadError("throw new Error('top');\nexport function check() {}", { filename: 'top.js' });
    assert.equal(top.message, 'top.js:1:7: Error: top');
    assert.equal(top.file, 'top.js');
  });

  it('syntax errors are V8\'s, with their positions (a file that ends early, a strict-mode error...)', async () => {
    const cases = [
      ['export function check() {\n  return 1;\n', 'rules.js:3:1: SyntaxError: Unexpected end of input'],
      ['export const check = () => `${', 'rules.js:1:31: SyntaxError: Unexpected end of input'],
      ['export const check = () => 1; /* open', 'rules.js:1:31: SyntaxError: Invalid or unexpected token'],
      ['export default function () {}\nexport const x = { a: 1,, };', "rules.js:2:25: SyntaxError: Unexpected token ','"],
      ['export { a as check };\nconst a = () => 1;\nlet b = import.meta.url;\n\tconst y = 2 3;', 'rules.js:4:14: SyntaxError: Unexpected number'],
      ['#!/usr/bin/env node\nexport const check = () => { return 1 +* 2; };', "rules.js:2:40: SyntaxError: Unexpected token '*'"],
      ['await 1;\nconst z = 08;\nexport const check = () => z;', 'rules.js:2:11: SyntaxError: Decimals with leading zeros are not allowed in strict mode.'],
      ['with (a) {}', 'rules.js:1:1: SyntaxError: Strict mode code may not include a with statement'],
      // Only in a module: hotpathd adds the position (2:1); this host's stand-in parse cannot.
      ['const a = 1;\nreturn a;', 'rules.js: SyntaxError: Illegal return statement'],
    ];
    for (const [source, message] of cases) assert.equal((await loadError(source)).message, message, source);
  });

  it('every kind of module request is refused, at the position of its specifier', async () => {
    const cases = [
      ["export function check() {}\nimport './side-effect.js';", "rules.js:2:8: cannot import './side-effect.js'"],
      ["export { a as check } from 'node:fs';", "rules.js:1:28: cannot import 'node:fs'"],
      ["export * from 'x';\nexport const check = () => {};", "rules.js:1:15: cannot import 'x'"],
      ["export * as ns from 'y';\nexport const check = () => {};", "rules.js:1:21: cannot import 'y'"],
      ["import def, { 'a b' as c } from \"z\";\nexport const check = () => {};", "rules.js:1:33: cannot import 'z'"],
      ['const re = /x/;\nif (re) /\'/.test("")\n   import * as os from "os";\nexport const check = () => {};', "rules.js:3:24: cannot import 'os'"],
      ["import 'f\\x73';\nexport const check = () => {};", "rules.js:1:8: cannot import 'fs'"],
    ];
    for (const [source, prefix] of cases) {
      const err = await loadError(source);
      assert.equal(err.message, `${prefix}: rules run without modules (only what the engine passes in)`, source);
    }
  });

  it('the word import elsewhere is not an import', async () => {
    const rule = await rules(`// import a from 'b'
      /* import c from 'd' */
      const words = ['import x from "y"', \`import \${'z'} from 'w'\`, /import 'q'/.source];
      const o = { import: 1 };
      export function transform(r) {
        return { words, o: o.import, meta: typeof import.meta, dynamic: typeof (() => import('fs')), div: 4 / 2 / 1 };
      }`);
    assert.deepEqual(JSON.parse(rule.run('{}').output), {
      words: ['import x from "y"', "import z from 'w'", "import 'q'"], o: 1, meta: 'object', dynamic: 'function', div: 2,
    });
  });

  it('top-level await settles through microtasks alone, as in hotpathd', async () => {
    const rule = await rules('const rate = await Promise.resolve(2);\nexport const transform = (r) => r.n * rate;');
    assert.equal(rule.run('{"n":21}').output, '42');
    const never = 'rules.js: the module returned a promise that never settles (rules have no timers or I/O)';
    assert.equal((await loadError('await new Promise(() => {});\nexport const check = () => true;')).message, never);
    assert.equal((await loadError('await new Promise((r) => setTimeout(r, 20));\nexport const check = () => true;')).message, never);
  });

  it('run() refuses a promise with a clear error; runAsync() settles it', async () => {
    const rule = await rules('export async function transform(r) { return { n: r.n + 1 }; }');
    assert.throws(() => rule.run('{"n":1}'), {
      code: 'HOTPATH_RULE_ASYNC',
      message: 'rules.js: transform returned a promise: run() is synchronous; use runAsync() for rules that return promises (async functions)',
    });
    // The refused promise's rejection is handled (no unhandled rejection).
    const failing = await rules('export async function check() { throw new Error("late"); }');
    assert.throws(() => failing.run('{}'), { code: 'HOTPATH_RULE_ASYNC' });
    assert.deepEqual(await rule.runAsync('{"n":1}'), { valid: true, output: '{"n":2}' });
    assert.equal(await answer(failing, '{}'), 'error: rules.js:1:39: Error: late');
  });

  it('argument errors', async () => {
    await assert.rejects(rules(42), { code: 'ERR_INVALID_ARG_TYPE' });
    await assert.rejects(rules('export const check = () => {};', { filename: '' }), { code: 'ERR_INVALID_ARG_TYPE' });
    await assert.rejects(rules('export const check = () => {};', { filename: 'a\nb' }), { code: 'ERR_INVALID_ARG_TYPE' });
    await assert.rejects(rules('export const check = () => {};', { pipeline: 1 }), { code: 'ERR_INVALID_ARG_TYPE' });
    await assert.rejects(rules('export const check = () => {};', { log: 'console' }), { code: 'ERR_INVALID_ARG_TYPE' });
    await assert.rejects(rules('export const check = () => {};', 'x'), { code: 'ERR_INVALID_ARG_TYPE' });
  });
});

describe('rules(): ctx, log and modules', () => {
  it('ctx.log and console.* go to the log sink; ctx is frozen', async () => {
    const lines = [];
    const rule = await rules(`
      export function check(r, ctx) {
        ctx.log('checking', r.id, { n: 1 }, [2], null, undefined, true);
        ctx.log(() => 1, 10n, new Date(0), [undefined], { toJSON: () => undefined });
        console.warn('via console');
        console.error('and', 'error');
        return Object.isFrozen(ctx) && ctx.pipeline === 'payments' && Object.keys(ctx).join() === 'pipeline,log';
      }`, { filename: 'fees.js', pipeline: 'payments', log: (e) => lines.push(`${e.file}|${e.pipeline}|${e.message}`) });
    assert.deepEqual(rule.run('{"id":7}'), { valid: true, output: '{"id":7}' });
    assert.deepEqual(lines, [
      'fees.js|payments|checking 7 {"n":1} [2] null undefined true',
      'fees.js|payments|undefined 10 "1970-01-01T00:00:00.000Z" [null] undefined',
      'fees.js|payments|via console',
      'fees.js|payments|and error',
    ]);
  });

  it('without a sink entries are dropped; messages are capped at 8 KiB', async () => {
    const rule = await rules("export function check(r) { console.log('x'.repeat(r.n), 'é'.repeat(r.n)); }");
    assert.deepEqual(rule.run('{"n":10}'), { valid: true, output: '{"n":10}' });
    const entries = [];
    const logged = await rules("export function check(r) { console.log('x'.repeat(r.n), 'é'.repeat(r.n)); }", { log: (e) => entries.push(e) });
    logged.run('{"n":8190}');
    assert.equal(entries.length, 1);
    assert.equal(Buffer.byteLength(entries[0].message), 8191); // 'x' * 8190, ' ', then no half 'é'
    assert.equal(entries[0].message, `${'x'.repeat(8190)} `);
  });

  it('a rule that declares its own console keeps it', async () => {
    const rule = await rules("const console = { log: () => 'mine' };\nexport function transform() { return console.log(); }");
    assert.equal(rule.run('{}').output, '"mine"');
  });

  it('top-level code runs once per load; two loads of one source are two modules', async () => {
    const source = 'let calls = 0;\nexport function transform() { return ++calls; }';
    const a = await rules(source);
    const b = await rules(source);
    assert.equal(a.run('{}').output, '1');
    assert.equal(a.run('{}').output, '2');
    assert.equal(b.run('{}').output, '1');
  });

  it('source as UTF-8 bytes; require() gives the same rules()', async () => {
    const rule = await rules(Buffer.from("export const transform = (r) => r.s + '✓';"));
    assert.equal(rule.run('{"s":"é"}').output, '"é✓"');
    const cjs = require('hotpath');
    const again = await cjs.rules('export const check = () => false;', { filename: 'cjs.js' });
    assert.deepEqual(again.run('{}'), { valid: false, reasons: ['rejected by cjs.js'] });
  });
});
