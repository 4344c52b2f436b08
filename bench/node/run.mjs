// The Node benchmarks of the `hotpath` package against its JavaScript peers, side by side in one
// process: per-call overhead, the kernels against plain and optimized JS over sizes 100..1e7, and
// validation against JSON.parse + ajv 8. Writes Markdown tables to bench/results/node.md.
//
//   node bench/node/run.mjs [--quick] [--min-time S] [--repetitions N] [--filter REGEX] [--out FILE]
//
// Environment knobs (flags win): BENCH_MIN_TIME [0.1 s per batch], BENCH_REPETITIONS [7 batches
// per side], BENCH_FILTER, BENCH_RESULTS [bench/results/node.md]. --quick: sizes up to 1e5,
// 0.02 s batches, 3 repetitions (a look while developing; do not publish its numbers).
// Methodology: bench/node/README.md. Targets are reported with ✓/✗, never asserted.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createHash, hash as cryptoHash } from 'node:crypto';
import { compare, machine, fmtNs, fmtRatio, consume, median, ratio as timesFaster } from './harness.mjs';
import * as js from './js-peers.mjs';

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// ---- arguments ------------------------------------------------------------------------------
function parseArgs(argv) {
  const env = process.env;
  const a = {
    quick: false,
    minTime: env.BENCH_MIN_TIME ? Number(env.BENCH_MIN_TIME) : undefined,
    repetitions: env.BENCH_REPETITIONS ? Number(env.BENCH_REPETITIONS) : undefined,
    filter: env.BENCH_FILTER ? new RegExp(env.BENCH_FILTER) : null,
    out: env.BENCH_RESULTS || join(ROOT, 'bench/results/node.md'),
  };
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split(/=(.*)/s, 2);
    const v = () => (inline !== undefined ? inline : argv[++i]);
    if (k === '--quick') a.quick = true;
    else if (k === '--min-time') a.minTime = Number(v());
    else if (k === '--repetitions') a.repetitions = Number(v());
    else if (k === '--filter') a.filter = new RegExp(v());
    else if (k === '--out') a.out = resolve(v());
    else {
      console.error(`run.mjs: unknown argument ${argv[i]}\nusage: node bench/node/run.mjs [--quick] ` +
                    '[--min-time S] [--repetitions N] [--filter REGEX] [--out FILE]');
      process.exit(2);
    }
  }
  a.minTime ??= a.quick ? 0.02 : 0.1;
  a.repetitions ??= a.quick ? 3 : 7;
  a.sizes = a.quick ? [100, 1e3, 1e4, 1e5] : [100, 1e3, 1e4, 1e5, 1e6, 1e7];
  return a;
}

const args = parseArgs(process.argv.slice(2));
const opts = { minTime: args.minTime, repetitions: args.repetitions };
const wanted = (name) => !args.filter || args.filter.test(name);

let hp;
let native;
try {
  hp = require('hotpath');
  native = require(join(dirname(require.resolve('hotpath')), 'native.js'));
} catch (err) {
  console.error(`bench/node: the hotpath package does not load, nothing measured:\n${err.message}`);
  process.exit(2);
}
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const machineAtStart = machine();
const out = []; // Markdown lines
const summary = []; // target rows
const progress = (s) => process.stderr.write(`${s}\n`);

// Large inputs make batches long; fewer repetitions keep the run bounded (at least 3).
function optsFor(approxNsPerOp) {
  if (approxNsPerOp > 2e8) return { minTime: args.minTime, repetitions: Math.min(args.repetitions, 3) };
  return opts;
}

function checkSame(what, expected, actual) {
  const same = typeof expected === 'object' ? JSON.stringify(expected) === JSON.stringify(actual) : expected === actual;
  if (!same) throw new Error(`bench/node: ${what}: the sides disagree (${String(expected)} vs ${String(actual)})`);
}

// ---- 1. per-call overhead ---------------------------------------------------------------------
function overhead() {
  if (!wanted('overhead')) return;
  progress('overhead');
  const empty = new Float64Array(0);
  const emptyBuf = Buffer.alloc(0);
  const buf16 = Buffer.from('0123456789abcdef');
  const str16 = '0123456789abcdef';
  const jsNoop = (x) => x;
  const r = compare({
    loop: () => 0,
    jsCall: () => jsNoop(0),
    noop: () => native._noop(),
    viewLength: () => native._viewLength(emptyBuf),
    countPrimes0: () => native.countPrimes(0),
    countPrimes0Api: () => hp.countPrimes(0),
    sortEmptyBuf: () => native.sort(emptyBuf),
    sortEmptyF64: () => native.sort(empty),
    sortEmptyBufApi: () => hp.sort(emptyBuf),
    xxh3Buf: () => native.xxh3(buf16),
    xxh3Str: () => native.xxh3(str16),
    xxh3BufApi: () => hp.xxh3(buf16),
    xxh3StrApi: () => hp.xxh3(str16),
  }, opts);
  const rows = [
    ['harness loop, no call (floor)', 'loop'],
    ['plain JS function call', 'jsCall'],
    ['empty native call: `_noop()` (plain Node-API, undefined out)', 'noop'],
    ['Buffer argument: `_viewLength(Buffer.alloc(0))` (read in place, int out)', 'viewLength'],
    ['cheapest kernel call: `countPrimes(0)` (number in, number out)', 'countPrimes0'],
    ['`sort(Buffer.alloc(0))` (typed array in, undefined out)', 'sortEmptyBuf'],
    ['Float64Array argument: `sort(new Float64Array(0))`', 'sortEmptyF64'],
    ['Buffer argument + work: `xxh3(16-byte Buffer)` (BigInt out)', 'xxh3Buf'],
    ['string argument + work: `xxh3(16-char string)` (UTF-8 copy, BigInt out)', 'xxh3Str'],
  ];
  const api = { countPrimes0: 'countPrimes0Api', sortEmptyBuf: 'sortEmptyBufApi', xxh3Buf: 'xxh3BufApi', xxh3Str: 'xxh3StrApi' };
  out.push('## 1. Per-call overhead', '');
  out.push('`_noop` and `_viewLength` are plain Node-API probes of the boundary itself (bindings/node/src/boundary.cpp);');
  out.push('the kernel rows add node-addon-api\'s wrapper, argument checks and the result. "addon" calls the');
  out.push('native function directly (`lib/native.js`); "public API" goes through `lib/index.js` (argument checks).');
  out.push('CPU ns per call, median of the batches; the harness loop itself costs the first row.', '');
  out.push('| call | addon | public API | ± |', '|---|---:|---:|---:|');
  for (const [label, key] of rows) {
    const pub = api[key] ? fmtNs(r[api[key]].ns) : '—';
    out.push(`| ${label} | ${fmtNs(r[key].ns)} | ${pub} | ${r[key].iqrPct.toFixed(0)}% |`);
  }
  out.push('');
  const call = r.noop.ns - r.loop.ns;
  summary.push(['empty native call ≤ 50 ns (addon, minus the loop floor)', fmtNs(call), call <= 50]);
  const bufCall = r.viewLength.ns - r.loop.ns;
  summary.push(['Buffer-argument call ≤ 50 ns (addon, minus the loop floor)', fmtNs(bufCall), bufCall <= 50]);
  const strCost = r.xxh3Str.ns - r.xxh3Buf.ns;
  out.push(`A 16-char string instead of a 16-byte Buffer adds ${fmtNs(strCost)} per call (UTF-8 conversion into scratch).`, '');
}

// ---- 2. kernels -------------------------------------------------------------------------------
// Each kernel: sides over one size; `native` is the hotpath side, `optimized` the JS peer the
// target compares against. A side may stop at a size (plainMax) when one call would take seconds.
function kernelSpecs() {
  return [
    {
      name: 'xxh3 (hash a Buffer of N bytes)',
      key: 'hash-xxh3',
      setup: (n) => ({ buf: js.randomBytes(n) }),
      sides: {
        'hotpath xxh3': ({ buf }) => hp.xxh3(buf),
        'plain JS: xxh64 in BigInt': ({ buf }) => js.xxh64Plain(buf),
        'optimized JS: FNV-1a 32 (Math.imul)': ({ buf }) => js.fnv1a32(buf),
      },
      max: { 'plain JS: xxh64 in BigInt': 1e6 },
      check: ({ buf }) => checkSame('xxh64 native vs BigInt JS', js.xxh64Plain(buf), hp.xxh64(buf)),
    },
    {
      name: 'xxh64 (hash a Buffer of N bytes)',
      key: 'hash-xxh64',
      setup: (n) => ({ buf: js.randomBytes(n) }),
      sides: {
        'hotpath xxh64': ({ buf }) => hp.xxh64(buf),
        'plain JS: xxh64 in BigInt': ({ buf }) => js.xxh64Plain(buf),
        'optimized JS: FNV-1a 32 (Math.imul)': ({ buf }) => js.fnv1a32(buf),
      },
      max: { 'plain JS: xxh64 in BigInt': 1e6 },
    },
    {
      name: 'sha256 (hash a Buffer of N bytes; both peers are node:crypto, i.e. OpenSSL)',
      key: 'hash-sha256',
      setup: (n) => ({ buf: js.randomBytes(n) }),
      sides: {
        'hotpath sha256': ({ buf }) => hp.sha256(buf),
        'plain JS: createHash().update().digest(hex)': ({ buf }) => createHash('sha256').update(buf).digest('hex'),
        'optimized JS: crypto.hash(sha256)': ({ buf }) => cryptoHash('sha256', buf),
      },
      check: ({ buf }) => checkSame('sha256', cryptoHash('sha256', buf), hp.sha256(buf)),
    },
    {
      name: 'countPrimes(N) (primes ≤ N)',
      key: 'primes',
      setup: (n) => ({ n }),
      sides: {
        'hotpath countPrimes': ({ n }) => hp.countPrimes(n),
        'plain JS: sieve over an Array': ({ n }) => js.countPrimesPlain(n),
        'optimized JS: odd-only Uint8Array sieve': ({ n }) => js.countPrimesOptimized(n),
      },
      check: ({ n }) => checkSame(`countPrimes(${n})`, js.countPrimesOptimized(n), hp.countPrimes(n)),
    },
    {
      name: 'fibonacci(N) (exact; BigInt above F(78))',
      key: 'fibonacci',
      setup: (n) => ({ n }),
      sides: {
        'hotpath fibonacci': ({ n }) => hp.fibonacci(n),
        'plain JS: BigInt loop': ({ n }) => js.fibonacciPlain(n),
        'optimized JS: BigInt fast doubling': ({ n }) => js.fibonacciOptimized(n),
      },
      max: { 'plain JS: BigInt loop': 1e5, 'hotpath fibonacci': 1e6, 'optimized JS: BigInt fast doubling': 1e6 },
      check: ({ n }) => n <= 1e6 && checkSame(`fibonacci(${n})`, js.fibonacciOptimized(n), BigInt(hp.fibonacci(n))),
    },
    {
      name: 'financial metrics over N prices + volumes (returns, mean, volatility, Sharpe, max drawdown, VWAP)',
      key: 'metrics',
      setup: (n) => js.randomWalk(n),
      sides: {
        'hotpath financialMetrics': ({ prices, volumes }) => hp.financialMetrics(prices, { volumes }).sharpe,
        'plain JS: Array map/reduce': ({ prices, volumes }) => js.financePlain(prices, volumes).sharpe,
        'optimized JS: one pass over Float64Array': ({ prices, volumes }) => js.financeOptimized(prices, volumes).sharpe,
      },
      check: ({ prices, volumes }) => {
        const a = hp.financialMetrics(prices, { volumes });
        const b = js.financeOptimized(prices, volumes);
        const close = (x, y) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
        if (!close(a.vwap, b.vwap) || !close(a.maxDrawdown, b.maxDrawdown) || !close(a.meanReturn, b.mean)) {
          throw new Error(`bench/node: metrics disagree: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
        }
      },
    },
    {
      name: 'sort a Float64Array of N doubles (each call first copies the unsorted input: same cost on every side)',
      key: 'sort',
      setup: (n) => ({ src: js.randomDoubles(n), work: new Float64Array(n), arr: new Array(n).fill(0) }),
      sides: {
        'hotpath sort': ({ src, work }) => { work.set(src); hp.sort(work); return work[0]; },
        'plain JS: Array.sort((a, b) => a - b)': ({ src, arr }) => {
          for (let i = 0; i < src.length; i++) arr[i] = src[i];
          arr.sort((a, b) => a - b);
          return arr[0];
        },
        'optimized JS: Float64Array.prototype.sort()': ({ src, work }) => { work.set(src); work.sort(); return work[0]; },
      },
      max: { 'plain JS: Array.sort((a, b) => a - b)': 1e6 },
      check: ({ src }) => {
        const a = Float64Array.from(src); hp.sort(a);
        const b = Float64Array.from(src).sort();
        checkSame('sort', Buffer.from(b.buffer).toString('base64'), Buffer.from(a.buffer).toString('base64'));
      },
    },
  ];
}

function kernels() {
  out.push('## 2. Kernels against plain and optimized JS', '');
  out.push('CPU time per call, median of the batches. **opt/hotpath** > 1 means hotpath is faster than the');
  out.push('optimized JS peer. **Crossover**: the smallest size from which hotpath stays at least as fast');
  out.push('as optimized JS at every larger size measured. "—": not run (one call would take seconds).', '');
  for (const spec of kernelSpecs()) {
    if (!wanted(spec.key)) continue;
    const sideNames = Object.keys(spec.sides);
    const [nativeName, plainName, optName] = sideNames;
    const rows = [];
    for (const size of args.sizes) {
      progress(`kernels ${spec.key} ${size}`);
      const input = spec.setup(size);
      if (spec.check) spec.check(input);
      const sides = {};
      for (const s of sideNames) {
        if (spec.max?.[s] !== undefined && size > spec.max[s]) continue;
        const f = spec.sides[s];
        sides[s] = () => f(input);
      }
      if (!sides[nativeName]) {
        rows.push({ size, r: {} });
        continue;
      }
      // One timed call to pick the repetitions for long rows.
      const t0 = process.hrtime.bigint();
      consume(sides[nativeName]());
      const one = Number(process.hrtime.bigint() - t0);
      rows.push({ size, r: compare(sides, optsFor(one * 3)) });
    }
    out.push(`### ${spec.name}`, '');
    out.push(`| N | ${sideNames.join(' | ')} | plain/hotpath | opt/hotpath |`);
    out.push(`|---:|${sideNames.map(() => '---:').join('|')}|---:|---:|`);
    for (const { size, r } of rows) {
      const cells = sideNames.map((s) => (r[s] ? `${fmtNs(r[s].ns)} ±${r[s].iqrPct.toFixed(0)}%` : '—'));
      const ratio = (s) => (r[s] && r[nativeName] ? fmtRatio(timesFaster(r, s, nativeName)) : '—');
      out.push(`| ${size.toLocaleString('en-US')} | ${cells.join(' | ')} | ${ratio(plainName)} | ${ratio(optName)} |`);
    }
    const measured = rows.filter(({ r }) => r[nativeName] && r[optName]);
    let crossover = null;
    for (let i = measured.length - 1; i >= 0; i--) {
      if (timesFaster(measured[i].r, optName, nativeName) >= 1) crossover = measured[i].size;
      else break;
    }
    out.push('', `Crossover vs optimized JS: ${crossover === null ? 'none in the sizes measured' : `N ≥ ${crossover.toLocaleString('en-US')}`}.`, '');
    const last = measured[measured.length - 1];
    if (last) {
      const ratio = timesFaster(last.r, optName, nativeName);
      summary.push([`${spec.key}: hotpath ≥ optimized JS at N = ${last.size.toLocaleString('en-US')}`, fmtRatio(ratio), ratio >= 1]);
    }
  }
  if (wanted('batch')) batchVsOneByOne();
}

function batchVsOneByOne() {
  progress('kernels batch');
  const rnd = js.prng(5);
  const strings = Array.from({ length: 10000 }, (_, i) => `user-${i}-${Math.floor(rnd() * 1e9).toString(36)}@desk.example`);
  const buffers = strings.map((s) => Buffer.from(s));
  const joined = Buffer.from(strings.join('\n'));
  const r = compare({
    oneByOneStr: () => { let x = 0n; for (const s of strings) x ^= hp.xxh3(s); return Number(x & 1n); },
    oneByOneBuf: () => { let x = 0n; for (const b of buffers) x ^= hp.xxh3(b); return Number(x & 1n); },
    oneByOneNative: () => { let x = 0n; for (const b of buffers) x ^= native.xxh3(b); return Number(x & 1n); },
    joined: () => Number(hp.xxh3(joined) & 1n),
    fnv: () => { let x = 0; for (const s of strings) x ^= js.fnv1a32String(s); return x; },
  }, opts);
  out.push('### Batch vs one-by-one: hashing 10,000 short strings (~30 bytes)', '');
  out.push('The addon has **no batch hashing call**; the closest batch is one call over the 10,000 strings joined');
  out.push('by newlines (a different answer: one hash, not 10,000) — it shows what the per-call crossing costs.', '');
  out.push('| how | per 10,000 | per string |', '|---|---:|---:|');
  const row = (label, k) => out.push(`| ${label} | ${fmtNs(r[k].ns)} | ${fmtNs(r[k].ns / 1e4)} |`);
  row('10,000 × `xxh3(string)` (public API)', 'oneByOneStr');
  row('10,000 × `xxh3(Buffer)` (public API)', 'oneByOneBuf');
  row('10,000 × `xxh3(Buffer)` (addon directly)', 'oneByOneNative');
  row('1 × `xxh3(joined Buffer)`', 'joined');
  row('10,000 × FNV-1a 32 in JS', 'fnv');
  out.push('', `One-by-one costs ${fmtRatio(timesFaster(r, 'oneByOneBuf', 'joined'))} the single call over the same bytes.`, '');
}

// ---- 3. validation ----------------------------------------------------------------------------
function loadOrder() {
  const schemaPath = join(ROOT, 'examples/schemas/order.schema.json');
  const orderPath = join(ROOT, 'examples/orders/order.json');
  return {
    schemaPath, orderPath,
    schema: JSON.parse(readFileSync(schemaPath, 'utf8')),
    order: Buffer.from(JSON.stringify(JSON.parse(readFileSync(orderPath, 'utf8')))),
    invalid: Buffer.from(JSON.stringify(JSON.parse(readFileSync(join(ROOT, 'examples/orders/order-invalid.json'), 'utf8')))),
    ndjsonLines: readFileSync(join(ROOT, 'examples/orders/orders.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== ''),
  };
}

function newAjv(formats, allErrors = false) {
  const ajv = new Ajv2020({ multipleOfPrecision: 6, allErrors, validateFormats: formats });
  if (formats) addFormats(ajv);
  return ajv;
}

async function validation() {
  const d = loadOrder();
  out.push('## 3. Validation against JSON.parse + ajv 8', '');
  out.push(`Input: \`${relative(ROOT, d.orderPath)}\` compacted (${d.order.length} bytes), schema`);
  out.push(`\`${relative(ROOT, d.schemaPath)}\` (2020-12). ajv: \`ajv/dist/2020\`, \`multipleOfPrecision: 6\`,`);
  out.push('formats on = `ajv-formats`; hotpath: `compile(schema, { formats })`. CPU time per call, median of the batches.', '');
  out.push('| scenario | hotpath | ajv 8 | ajv/hotpath | ± (hotpath / ajv) |', '|---|---:|---:|---:|---:|');
  const row = (label, r, h, a) => {
    const x = timesFaster(r, a, h);
    out.push(`| ${label} | ${fmtNs(r[h].ns)} | ${fmtNs(r[a].ns)} | ${fmtRatio(x)} | ${r[h].iqrPct.toFixed(0)}% / ${r[a].iqrPct.toFixed(0)}% |`);
    return x;
  };

  for (const formats of [false, true]) {
    const tag = formats ? 'on' : 'off';
    if (!wanted(`validate-${tag}`)) continue;
    progress(`validation formats ${tag}`);
    const v = hp.compile(d.schema, { formats });
    const ajvValidate = newAjv(formats).compile(d.schema);
    const text = d.order.toString('utf8');
    const obj = JSON.parse(text);
    checkSame('order valid (hotpath)', true, v(d.order));
    checkSame('order valid (ajv)', true, ajvValidate(obj));
    checkSame('invalid order (hotpath)', false, v(d.invalid));
    const r = compare({
      hpBuf: () => v(d.order),
      ajvBuf: () => ajvValidate(JSON.parse(d.order.toString('utf8'))),
      hpStr: () => v(text),
      ajvStr: () => ajvValidate(JSON.parse(text)),
      hpObj: () => v(obj),
      ajvObj: () => ajvValidate(obj),
    }, opts);
    const ratio = row(`order from a Buffer, formats ${tag}: \`v(buf)\` vs \`ajv(JSON.parse(buf.toString()))\``, r, 'hpBuf', 'ajvBuf');
    row(`order from a string, formats ${tag}: \`v(str)\` vs \`ajv(JSON.parse(str))\``, r, 'hpStr', 'ajvStr');
    row(`already-parsed object, formats ${tag}: \`v(obj)\` (slow path: JSON.stringify + native) vs \`ajv(obj)\``, r, 'hpObj', 'ajvObj');
    summary.push([`parse+validate from a Buffer ≥ 5x JSON.parse + ajv (formats ${tag})`, fmtRatio(ratio), ratio >= 5]);
  }

  if (wanted('validate-invalid')) {
    progress('validation invalid');
    const v = hp.compile(d.schema, { formats: true });
    const ajvAll = newAjv(true, true).compile(d.schema);
    checkSame('invalid order (ajv)', false, ajvAll(JSON.parse(d.invalid.toString())));
    const r = compare({
      hp: () => (v(d.invalid) ? 0 : v.errors.length),
      ajv: () => (ajvAll(JSON.parse(d.invalid.toString('utf8'))) ? 0 : ajvAll.errors.length),
    }, opts);
    row('invalid order (5 violations), all errors read: `v(buf)` + `v.errors` vs `JSON.parse` + ajv `allErrors`', r, 'hp', 'ajv');
  }
  out.push('');

  if (wanted('ndjson')) ndjson(d);
  if (wanted('async')) await asyncThroughput(d);
}

function ndjson(d) {
  progress('validation ndjson');
  const formats = true;
  const v = hp.compile(d.schema, { formats });
  const ajvValidate = newAjv(formats).compile(d.schema);
  // The example lines both sides accept (valid orders), cycled to 10,000 records.
  const lines = d.ndjsonLines.filter((l) => { try { return ajvValidate(JSON.parse(l)) && v(l); } catch { return false; } });
  const records = Array.from({ length: 10000 }, (_, i) => lines[i % lines.length]);
  const buf = Buffer.from(`${records.join('\n')}\n`);
  const hpMany = () => { const r = v.validateMany(buf); return r.errors.length; };
  const jsLoop = () => {
    const text = buf.toString('utf8');
    let bad = 0;
    for (const line of text.split('\n')) if (line !== '' && !ajvValidate(JSON.parse(line))) bad++;
    return bad;
  };
  const hpLoop = () => {
    let bad = 0;
    for (let start = 0; start < buf.length;) {
      let end = buf.indexOf(10, start);
      if (end < 0) end = buf.length;
      if (end > start && !v(buf.subarray(start, end))) bad++;
      start = end + 1;
    }
    return bad;
  };
  checkSame('ndjson invalid count (hotpath)', 0, hpMany());
  checkSame('ndjson invalid count (js)', 0, jsLoop());
  const r = compare({ hpMany, jsLoop, hpLoop }, opts);
  const mbs = (k) => ((buf.length / r[k].ns) * 1e3).toFixed(0);
  out.push(`### NDJSON: 10,000 orders (${(buf.length / 1e6).toFixed(2)} MB, the ${lines.length} valid lines of \`examples/orders/orders.ndjson\` cycled), formats on`, '');
  out.push('| how | per batch | per record | MB/s | vs JS loop |', '|---|---:|---:|---:|---:|');
  const line = (label, k) => out.push(`| ${label} | ${fmtNs(r[k].ns)} | ${fmtNs(r[k].ns / 1e4)} | ${mbs(k)} | ${fmtRatio(timesFaster(r, 'jsLoop', k))} |`);
  line('hotpath `v.validateMany(buf)` (one call)', 'hpMany');
  line('hotpath `v(line)` per line (10,000 calls on `buf.subarray`)', 'hpLoop');
  line('JS loop: `toString` + `split` + `JSON.parse` + ajv per line', 'jsLoop');
  out.push('');
}

// validateAsync with 64 in flight: wall-clock throughput and process CPU per validation
// (the libuv pool threads' CPU included), against the synchronous call on the main thread.
async function asyncThroughput(d) {
  progress('validation async');
  const total = args.quick ? 2000 : 20000;
  const inflight = 64;
  const v = hp.compile(d.schema, { formats: true, asyncThreshold: 0 }); // every call goes to the pool
  const vDefault = hp.compile(d.schema, { formats: true }); // the default: 700 B runs inline
  const ajvValidate = newAjv(true).compile(d.schema);
  const run = async (validate) => {
    let started = 0, okCount = 0;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const worker = async () => {
      while (started < total) {
        started++;
        const r = await validate(d.order);
        if (r.valid) okCount++;
      }
    };
    await Promise.all(Array.from({ length: inflight }, worker));
    const wall = Number(process.hrtime.bigint() - t0);
    const u = process.cpuUsage(c0);
    if (okCount !== total) throw new Error('bench/node: validateAsync disagreed');
    return { wall, cpu: (u.user + u.system) * 1000 };
  };
  const syncRun = (fn) => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < total; i++) if (!fn()) throw new Error('bench/node: sync disagreed');
    return { wall: Number(process.hrtime.bigint() - t0), cpu: (() => { const u = process.cpuUsage(c0); return (u.user + u.system) * 1000; })() };
  };
  const sides = {
    pool: () => run((b) => v.validateAsync(b)),
    inline: () => run((b) => vDefault.validateAsync(b)),
    sync: async () => syncRun(() => vDefault(d.order)),
    ajv: async () => syncRun(() => ajvValidate(JSON.parse(d.order.toString('utf8')))),
  };
  const res = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
  await sides.pool(); await sides.inline(); // warm-up
  const reps = Math.max(3, Math.min(args.repetitions, 5));
  for (let i = 0; i < reps; i++) for (const k of Object.keys(sides)) res[k].push(await sides[k]());
  const med = (k, f) => median(res[k].map((x) => x[f]));
  out.push(`### validateAsync: ${total.toLocaleString('en-US')} order validations, ${inflight} in flight, formats on`, '');
  out.push(`Wall-clock throughput and process CPU per validation (libuv pool threads included; UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}), median of ${reps} runs.`, '');
  out.push('| how | validations/s (wall) | wall µs per validation | CPU per validation |', '|---|---:|---:|---:|');
  const lineA = (label, k) => {
    const wall = med(k, 'wall');
    out.push(`| ${label} | ${Math.round((total / wall) * 1e9).toLocaleString('en-US')} | ${(wall / total / 1e3).toFixed(2)} | ${fmtNs(med(k, 'cpu') / total)} |`);
  };
  lineA('`await v.validateAsync(buf)`, libuv pool (`asyncThreshold: 0`)', 'pool');
  lineA('`await v.validateAsync(buf)`, default threshold (700 B runs inline)', 'inline');
  lineA('`v(buf)` synchronous loop', 'sync');
  lineA('`ajv(JSON.parse(buf.toString()))` synchronous loop', 'ajv');
  out.push('');
}

// ---- report -----------------------------------------------------------------------------------
const started = Date.now();
overhead();
kernels();
await validation();
const m = machineAtStart;
const loadEnd = machine().load;
const pkg = (name) => { try { return require(`${name}/package.json`).version; } catch { return '?'; } };
const header = [
  '# Node benchmarks: the `hotpath` addon against JavaScript',
  '',
  `Written by \`node bench/node/run.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\` (see \`bench/node/README.md\`).`,
  'Every number below was measured in this one run, in one process; ratios matter, not absolute ns',
  '(a shared 2-core VM). Targets are reported, never asserted.',
  '',
  '| machine | |', '|---|---|',
  `| CPU | ${m.cpu} |`,
  `| cores | ${m.cores} |`,
  `| memory | ${m.memoryGiB} GiB |`,
  `| OS | ${m.platform} |`,
  `| Node / V8 | ${m.node} / ${m.v8} |`,
  `| hotpath / ajv / ajv-formats | ${hp.version} / ${pkg('ajv')} / ${pkg('ajv-formats')} |`,
  `| date | ${m.date} |`,
  `| load average (1/5/15 min) at start / end | ${m.load} / ${loadEnd} |`,
  `| batches | ${opts.repetitions} per side (3 for calls over ~0.1 s), ${opts.minTime} s each, sides interleaved |`,
  `| duration | ${((Date.now() - started) / 1000).toFixed(0)} s |`,
  '',
  '## Targets (issue 3)',
  '',
  '| target | measured | |', '|---|---:|:-:|',
  ...summary.map(([t, v, ok]) => `| ${t} | ${v} | ${ok ? '✓' : '✗'} |`),
  '',
];
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, `${[...header, ...out].join('\n')}\n`);
progress(`wrote ${relative(process.cwd(), args.out) || args.out}`);
for (const [t, v, ok] of summary) progress(`${ok ? '✓' : '✗'} ${t}: ${v}`);
