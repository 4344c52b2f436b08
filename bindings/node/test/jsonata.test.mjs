// jsonata(): compile errors with jsonata-js's code/position/token, evaluation on Buffers and
// strings (bytes in -> Buffer out, text in -> string out), bindings, limits, evaluateAsync on the
// libuv pool, and answers compared with jsonata-js 2.x on the same expressions and inputs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Expression, jsonata } from 'hotpath';

const require = createRequire(import.meta.url);
const jsonataJs = require('jsonata');
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const order = readFileSync(join(ROOT, 'examples/orders/order.json'));
const summary = readFileSync(join(ROOT, 'examples/pipelines/orders-summary/summary.jsonata'), 'utf8');

const trades = {
  trades: Array.from({ length: 40 }, (_, i) => ({
    id: `T${i}`, desk: ['rates', 'fx', 'equities'][i % 3], qty: (i * 37) % 500 + 1,
    price: Math.round((100 + (i * 7.3) % 50) * 100) / 100, side: i % 4 === 0 ? 'sell' : 'buy',
    tags: i % 5 === 0 ? ['urgent'] : [],
  })),
};

// Expressions over `trades` (and the order) whose results must equal jsonata-js's, as JSON text.
const PARITY = [
  'trades[desk = "fx"].id',
  '$sum(trades.(qty * price))',
  'trades{desk: $sum(qty)}',
  'trades^(>price, id)[[0..2]].id',
  '$count(trades[side = "sell" and qty > 100])',
  'trades.{"id": id, "notional": $round(qty * price, 2)}[notional > 20000]',
  '$map(trades[[0..2]], function($t, $i) { $i & ":" & $t.id })',
  '$reduce(trades.qty, function($a, $b) { $a > $b ? $a : $b })',
  'trades[$count(tags) > 0]#$i.{"i": $i, "id": id}',
  '$string(trades[0])',
  '$join(trades[qty < 50].id, ",")',
  '$average(trades.price)',
  '$distinct(trades.desk)',
  '$keys(trades[0])',
  '$formatNumber(1234567.891, "#,##0.00")',
  '$uppercase($substring("hotpath engine", 0, 7))',
  'trades.desk ~> $distinct() ~> $sort()',
  '(trades ~> | $ | {"flag": qty > 250} |)[flag].id',
];

async function reference(expr, input) {
  const r = await jsonataJs(expr).evaluate(input);
  return r === undefined ? undefined : JSON.stringify(r);
}

describe('jsonata()', () => {
  it('evaluates bytes to bytes and text to text', () => {
    const e = jsonata('instrument.symbol & "/" & currency');
    const out = e.evaluate(order);
    assert.ok(Buffer.isBuffer(out));
    assert.equal(out.toString(), '"AAPL/USD"');
    assert.equal(e.evaluate(order.toString()), '"AAPL/USD"');
    assert.equal(e.evaluate(new Uint8Array(order)).toString(), '"AAPL/USD"');
    // A plain JS value is the slow path (JSON.stringify first): the same answer.
    assert.equal(e.evaluate(JSON.parse(order)), '"AAPL/USD"');
    assert.equal(e.source, 'instrument.symbol & "/" & currency');
    assert.ok(new Expression('1') instanceof Expression);
  });

  // Short Buffer results pass through a per-thread scratch (lib/index.js copyOut): each
  // result must be its own copy, at every size, and results past the scratch still whole.
  it('returns Buffers that later calls do not overwrite, at every size', () => {
    const e = jsonata('$pad("", $)');
    const sizes = [0, 1, 31, 32, 33, 1000, 65534, 65535, 70000];
    const outs = sizes.map((n) => e.evaluate(Buffer.from(String(n))));
    sizes.forEach((n, i) => {
      assert.ok(Buffer.isBuffer(outs[i]));
      assert.equal(outs[i].length, n + 2);
      assert.equal(outs[i].toString(), JSON.stringify(' '.repeat(n)));
    });
    const a = jsonata('"first"').evaluate(order);
    const b = jsonata('"second"').evaluate(order);
    assert.equal(a.toString(), '"first"');
    assert.equal(b.toString(), '"second"');
  });

  // The scratch is reachable through the native module's exports, so code can transfer its
  // ArrayBuffer away; results must stay right (they then come back as their own Buffers) and
  // nothing may be written into memory that now belongs to the new owner. In a worker: its
  // own environment and scratch.
  it('keeps working when the output scratch is transferred away', async () => {
    const lib = fileURLToPath(new URL('../lib/index.js', import.meta.url));
    const native = fileURLToPath(new URL('../lib/native.js', import.meta.url));
    const code = `
      const { parentPort } = require('node:worker_threads');
      const { jsonata } = require(${JSON.stringify(lib)});
      const scratch = require(${JSON.stringify(native)}).outputScratch;
      const e = jsonata('$.a');
      const input = Buffer.from('{"a":[1,2,"three"]}');
      const before = e.evaluate(input).toString();
      let moved = structuredClone(scratch.buffer, { transfer: [scratch.buffer] });
      const detached = scratch.length;
      const after = [];
      for (let i = 0; i < 3; i++) {
        after.push(e.evaluate(input).toString());
        moved = null;  // let the new owner's memory go
        globalThis.gc?.();
      }
      parentPort.postMessage({ before, detached, after });`;
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(code, { eval: true });
    const result = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`worker exited (${code}) without a result`)));
    });
    await worker.terminate();
    assert.equal(result.before, '[1,2,"three"]');
    assert.equal(result.detached, 0);
    assert.deepEqual(result.after, ['[1,2,"three"]', '[1,2,"three"]', '[1,2,"three"]']);
  });

  it('returns undefined for an undefined result and for no input', () => {
    assert.equal(jsonata('nothing.here').evaluate(order), undefined);
    assert.equal(jsonata('$').evaluate(undefined), undefined);
    assert.equal(jsonata('1 + 2').evaluate(), '3');
  });

  it('matches jsonata-js on the example pipeline transform', async () => {
    assert.equal(jsonata(summary).evaluate(order.toString()), await reference(summary, JSON.parse(order)));
  });

  it('matches jsonata-js on paths, grouping, sorting, higher-order functions and transforms', async () => {
    const text = JSON.stringify(trades);
    for (const expr of PARITY) {
      assert.equal(jsonata(expr).evaluate(text), await reference(expr, trades), expr);
    }
  });

  // Arguments are checked against signatures positionally when they line up and by the
  // full matcher otherwise: both ways must give jsonata-js's values and error codes.
  it('matches jsonata-js on signatures: context arguments, array parameters, type errors', async () => {
    const exprs = [
      '("abc").$uppercase()', '("a b").$substringBefore(" ")', '("x").$substringBefore()',
      '(1).$substringBefore(" ")', '(true).$uppercase()', '$length()', '("abc").$substring(1, 1)',
      '$sum(5)', '$sum([])', '$sum(["a"])', '$sum("a")', '$sum([1, "a"])', '$sum([[1, 2], [3]])',
      '$count(1)', '$count()', '$append(1, 2)', '$reverse(1)', '$join("a")', '$join(["a", 1])',
      '$map(3, function($v) { $v * 2 })', '$max([])', '$sum(undefined)', '[1, 2, 3].$sum()',
      '("abc").$pad(5)', '$substring("abc", "1")', '$zip([1, 2], [3, 4])',
    ];
    const settle = async (f) => {
      try {
        const r = await f();
        return r === undefined ? 'undefined' : String(r);
      } catch (err) {
        return `error ${err.code}`;
      }
    };
    for (const expr of exprs) {
      const want = await settle(() => reference(expr, {}));
      assert.equal(await settle(() => jsonata(expr).evaluate('{}')), want, expr);
    }
  });

  // Numbers are where two engines drift apart in the last digit: a fixed-seed spread of
  // magnitudes (prices, tiny and huge values, integers near 2^53, exact binary ties) through
  // the functions that shift, round and print them. Found $round above 2^52, $string's
  // toPrecision ties and $power(x, 2) when first run.
  it('matches jsonata-js byte for byte on numbers: arithmetic, rounding, printing', async () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const xs = [];
    for (let i = 0; i < 300; i++) {
      xs.push(rnd() * 1e6 - 5e5, Math.round(rnd() * 1e8) / 100, rnd() * 1e-7, rnd() * 1e25,
              Math.floor(rnd() * 2 ** 53) * (rnd() < 0.5 ? -1 : 1), rnd() * 2 - 1,
              (Math.round(rnd() * 1000) / 1000) * 1e17);
    }
    const input = { xs };
    const text = JSON.stringify(input);
    for (const body of [
      '$x / 7', '$x * 3 + 0.1', '$x % 7', '$floor($x)', '$abs($x)', '$sqrt($abs($x))',
      '$round($x)', '$round($x, 2)', '$round($x, 5)', '$round($x, -1)', '$round(-$x, -2)',
      '$string($x)', '$string($x / 3)', '$string($x * 1e10)', '$number($string($x))',
      '$power($x, 2)', '$power($abs($x), 0.5)', '$formatNumber($x, "#,##0.###")',
      '$formatNumber($x, "0.0e00")', '$formatBase($floor($abs($x)), 7)',
      '$formatInteger($floor($abs($x)) % 4000 + 1, "I")',
    ]) {
      const expr = `$map(xs, function($x) { ${body} })`;
      assert.equal(jsonata(expr).evaluate(text), await reference(expr, input), body);
    }
  });

  // Strings: case mappings beyond ASCII (full SpecialCasing, digraphs, final sigma), code-point
  // substrings, padding and splitting over a fixed-seed mix of scripts, emoji, combining marks.
  it('matches jsonata-js byte for byte on strings: case, substrings, padding', async () => {
    let seed = 5;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pool = ['a', 'B', 'z', ' ', '\t', 'é', 'ß', 'İ', 'ﬁ', 'Σ', 'ς', '日本', '😀', '🇫🇷',
                  'e\u0301', '\u00a0', '-', '.', "'", '"', '\\', '\n', '0', 'Ǆ', 'ǅ', 'ẞ', 'ŉ', 'Ω',
                  '\uff21', '\ue000', '𐐀'];
    const xs = [];
    for (let i = 0; i < 400; i++) {
      let t = '';
      for (let n = Math.floor(rnd() * 12); n > 0; n--) t += pool[Math.floor(rnd() * pool.length)];
      xs.push(t);
    }
    const input = { xs };
    const text = JSON.stringify(input);
    for (const body of [
      '$uppercase($x)', '$lowercase($x)', '$lowercase($uppercase($x))', '$length($x)',
      '$substring($x, 1, 3)', '$substring($x, -3)', '$pad($x, 8, "ab")', '$trim($x)',
      '$split($x, /[ _]/)', '$replace($x, /a|é/, "#")', '$string({"k": $x})',
      '$x < $$.xs[0]', '$x >= $$.xs[1]',
    ]) {
      const expr = `$map(xs, function($x) { ${body} })`;
      assert.equal(jsonata(expr).evaluate(text), await reference(expr, input), body);
    }
    for (const expr of ['$sort(xs)', 'xs^(>$)', '$distinct(xs)']) {
      assert.equal(jsonata(expr).evaluate(text), await reference(expr, input), expr);
    }
  });

  it('binds variables from an object or JSON text, per expression or per call', () => {
    const e = jsonata('$sum(trades.qty) * $rate', { bindings: { rate: 2 } });
    const input = JSON.stringify({ trades: [{ qty: 1 }, { qty: 2 }] });
    assert.equal(e.evaluate(input), '6');
    assert.equal(e.evaluate(input, { bindings: '{"rate":10}' }), '30');
    assert.equal(e.evaluate(input, { bindings: Buffer.from('{"rate":0.5}') }), '1.5');
  });

  it('throws compile errors with code, position and token', () => {
    assert.throws(() => jsonata('items[price > ]'), (err) => {
      assert.equal(err.code, 'S0211');
      assert.equal(err.position, 15);
      assert.equal(err.token, ']');
      return true;
    });
    assert.throws(() => jsonata('a +'), { code: 'S0207' });
  });

  it('throws evaluation errors with jsonata-js codes', () => {
    assert.throws(() => jsonata('"a" + 1').evaluate(), { code: 'T2001', position: 5 });
    assert.throws(() => jsonata('$sum("x")').evaluate(), { code: 'T0412' });
    assert.throws(() => jsonata('[1..2e7]').evaluate(), { code: 'D2014' });
    assert.throws(() => jsonata('$error("stop")').evaluate(), { code: 'D3137', message: 'stop' });
  });

  it('refuses input and bindings that are not JSON, with the location', () => {
    assert.throws(() => jsonata('a').evaluate('{"a":'), (err) => {
      assert.equal(err.code, 'HOTPATH_INVALID_JSON');
      assert.match(err.message, /^invalid JSON input at line 1, column \d+: /);
      return true;
    });
    assert.throws(() => jsonata('a').evaluate('{}', { bindings: '[1]' }), { code: 'HOTPATH_INVALID_JSON' });
  });

  it('stops runaway evaluations: time limit and depth limit', () => {
    const forever = jsonata('($f := function($n) { $f($n + 1) }; $f(0))');
    assert.throws(() => forever.evaluate(undefined, { timeoutMs: 50 }), { code: 'U1001' });
    const deep = jsonata('($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))');
    assert.throws(() => deep.evaluate(undefined, { maxDepth: 200 }), { code: 'U1001' });
    // Limits given to jsonata() hold when a call passes other options (bindings).
    const deepLimited = jsonata('($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f($depth))', { maxDepth: 200 });
    assert.throws(() => deepLimited.evaluate(undefined, { bindings: { depth: 1000 } }), { code: 'U1001' });
    assert.equal(jsonata(deepLimited.source).evaluate(undefined, { bindings: { depth: 1000 } }), '1000');
    assert.equal(deepLimited.evaluate(undefined, { bindings: { depth: 10 } }), '10');
    // Without a configured limit, unbounded recursion still ends in an error, not a crash.
    assert.throws(() => deep.evaluate(), (err) => typeof err.code === 'string' && err.code.length === 5);
  });

  it('checks its arguments', () => {
    assert.throws(() => jsonata(42), { code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => jsonata('a', { timeoutMs: -1 }), { code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => jsonata('a', { bindings: 5 }), { code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => jsonata('a').evaluate(() => 1), { code: 'ERR_INVALID_ARG_TYPE' });
  });

  it('evaluateAsync runs on the pool and resolves to the same bytes', async () => {
    const e = jsonata('$sum(trades.(qty * price))');
    const big = Buffer.from(JSON.stringify({ trades: Array.from({ length: 20000 }, (_, i) => ({ qty: i % 7, price: 1.25 })) }));
    const [a, b] = await Promise.all([e.evaluateAsync(big), e.evaluateAsync(big.toString())]);
    assert.ok(Buffer.isBuffer(a));
    assert.equal(a.toString(), e.evaluate(big).toString());
    assert.equal(b, a.toString());
    await assert.rejects(jsonata('"a" - 1').evaluateAsync('{}'), { code: 'T2001' });
    await assert.rejects(e.evaluateAsync('{'), { code: 'HOTPATH_INVALID_JSON' });
    assert.equal(await jsonata('missing').evaluateAsync('{}'), undefined);
  });
});
