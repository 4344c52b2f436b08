// @hotpath/wasm side by side with the native addon and JSON.parse + ajv 8, in one run: in Node
// (CPU time, the bench/node harness) and in headless Chromium (wall time, performance.now()),
// on the ~700 B trade order and the 2 MiB array of orders from bench/data/generate.mjs.
// Writes bench/results/wasm.md. Targets are reported with ✓/✗, never asserted.
//
//   node bench/wasm/run.mjs [--quick] [--out FILE]
// BENCH_MIN_TIME [0.1 s per batch], BENCH_REPETITIONS [7 batches per side]; --quick: 0.02 s, 3.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { compare, fmtNs, fmtRatio, machine } from '../node/harness.mjs';
import { launchChromium, startServer } from '../../bindings/wasm/test/helpers/browser.mjs';
import initWasm, * as wasm from '../../bindings/wasm/lib/index.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const outAt = argv.indexOf('--out');
const OUT = outAt >= 0 ? resolve(argv[outAt + 1]) : (process.env.BENCH_RESULTS || join(ROOT, 'bench/results/wasm.md'));
const opts = {
  minTime: Number(process.env.BENCH_MIN_TIME || (quick ? 0.02 : 0.1)),
  repetitions: Number(process.env.BENCH_REPETITIONS || (quick ? 3 : 7)),
};
const progress = (s) => process.stderr.write(`${s}\n`);
const started = Date.now();
const machineAtStart = machine();

// ---- inputs ----------------------------------------------------------------------------------
const dataDir = mkdtempSync(join(tmpdir(), 'hotpath-bench-wasm-'));
execFileSync(process.execPath, [join(ROOT, 'bench/data/generate.mjs'), dataDir]);
const orderSchema = readFileSync(join(ROOT, 'bench/data/order.schema.json'), 'utf8');
const ordersSchema = readFileSync(join(ROOT, 'bench/data/orders.schema.json'), 'utf8');
const order = readFileSync(join(dataDir, 'order.json'));
const array = readFileSync(join(dataDir, 'orders-2mb.json'));
rmSync(dataDir, { recursive: true, force: true });

const CASES = [
  { id: 'order-off', label: `order (${order.length} B), formats off`, bytes: order, schema: orderSchema, formats: false },
  { id: 'order-on', label: `order (${order.length} B), formats on`, bytes: order, schema: orderSchema, formats: true },
  { id: 'array-off', label: `2 MiB array (${(array.length / 2 ** 20).toFixed(2)} MiB), formats off`, bytes: array, schema: ordersSchema, formats: false },
  { id: 'array-on', label: `2 MiB array (${(array.length / 2 ** 20).toFixed(2)} MiB), formats on`, bytes: array, schema: ordersSchema, formats: true },
];

// ---- validators ------------------------------------------------------------------------------
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const standaloneCode = require('ajv/dist/standalone').default;

function ajvFor(c, options = {}) {
  // The settings of bench/schema/ajv.mjs: multipleOfPrecision, or ajv says 19.99 is not a
  // multiple of 0.01.
  const ajv = new Ajv2020({ multipleOfPrecision: 6, validateFormats: c.formats, ...options });
  if (c.formats) addFormats(ajv);
  ajv.addSchema(JSON.parse(orderSchema));
  return { ajv, validate: c.schema === orderSchema ? ajv.getSchema(JSON.parse(orderSchema).$id) : ajv.compile(JSON.parse(c.schema)) };
}

const hpOptions = (c) => ({ formats: c.formats, schemas: c.schema === orderSchema ? [] : [orderSchema] });

await initWasm();
const native = require(join(ROOT, 'bindings/node'));

// ---- Node ------------------------------------------------------------------------------------
const nodeRows = [];
for (const c of CASES) {
  progress(`node: ${c.label}`);
  const vw = wasm.compile(c.schema, hpOptions(c));
  const vn = native.compile(c.schema, hpOptions(c));
  const { validate: va } = ajvFor(c);
  const text = c.bytes.toString('utf8');
  for (const [name, ok] of [['wasm', vw(c.bytes)], ['native', vn(c.bytes)], ['ajv', va(JSON.parse(text))]]) {
    if (!ok) throw new Error(`${name} rejects ${c.id}: the sides must agree before they are timed`);
  }
  const r = compare({
    wasm: () => vw(c.bytes),
    native: () => vn(c.bytes),
    ajv: () => va(JSON.parse(c.bytes.toString('utf8'))),
  }, opts);
  nodeRows.push({ c, r });
}

// ---- Chromium --------------------------------------------------------------------------------
// ajv in the page: its standalone code (CommonJS) plus the runtime modules it requires, loaded by a
// small require() in the page (no bundler; the page has no CSP, ajv compiles nothing there).
function ajvBundle(c) {
  const { ajv, validate } = ajvFor(c, { code: { source: true } });
  const entry = standaloneCode(ajv, validate);
  const modules = {};
  const links = {};
  const visit = (from, code) => {
    const req = createRequire(from);
    for (const [, spec] of code.matchAll(/require\("([^"]+)"\)/g)) {
      const path = req.resolve(spec);
      links[`${from}\0${spec}`] = path;
      if (!(path in modules)) {
        modules[path] = readFileSync(path, 'utf8');
        visit(path, modules[path]);
      }
    }
  };
  const entryPath = join(ROOT, 'bench/wasm/ajv-standalone.js');
  visit(entryPath, entry);
  return { entryPath, entry, modules, links };
}

async function inChromium() {
  const server = await startServer({ pages: { '/bench.html': { body: '<!doctype html><title>bench</title>' } } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/bench.html`);
    const userAgent = await page.evaluate(() => navigator.userAgent);
    const rows = [];
    for (const c of CASES) {
      progress(`chromium: ${c.label}`);
      const r = await page.evaluate(async ({ c, bytes, bundle, opts: o }) => {
        const hp = await import('/bindings/wasm/lib/index.mjs');
        await hp.default();
        const cache = {};
        const load = (path, code) => {
          if (cache[path]) return cache[path].exports;
          const module = { exports: {} };
          cache[path] = module;
          const requireFrom = (spec) => {
            const target = bundle.links[`${path}\0${spec}`];
            return load(target, bundle.modules[target]);
          };
          new Function('require', 'module', 'exports', code)(requireFrom, module, module.exports); // eslint-disable-line no-new-func
          return module.exports;
        };
        const exported = load(bundle.entryPath, bundle.entry);
        const va = exported.default || exported;
        const input = new Uint8Array(bytes);
        const decoder = new TextDecoder();
        const vw = hp.compile(c.schema, c.hpOptions);
        if (!vw(input) || !va(JSON.parse(decoder.decode(input)))) throw new Error(`a side rejects ${c.id}`);
        const sides = { wasm: () => vw(input), ajv: () => va(JSON.parse(decoder.decode(input))) };
        let sink = 0;
        const batch = (fn, n) => {
          const t0 = performance.now();
          for (let i = 0; i < n; i++) sink += fn() ? 1 : 2;
          return (performance.now() - t0) * 1e6;
        };
        const target = o.minTime * 1e9;
        const n = {};
        for (const [name, fn] of Object.entries(sides)) {
          let k = 1;
          let warm = 0;
          for (;;) {
            const t = batch(fn, k);
            warm += t;
            if (t >= target / 4 && warm >= target) break;
            k = t < target / 100 ? k * 10 : k * 2;
          }
          n[name] = Math.max(1, Math.round((k * target) / Math.max(batch(fn, k), 1)));
        }
        const times = { wasm: [], ajv: [] };
        for (let rep = 0; rep < o.repetitions; rep++) {
          for (const [name, fn] of Object.entries(sides)) times[name].push(batch(fn, n[name]) / n[name]);
        }
        const median = (xs) => {
          const s = [...xs].sort((a, b) => a - b);
          const m = s.length >> 1;
          return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
        };
        vw.free();
        return { wasm: median(times.wasm), ajv: median(times.ajv), sink };
      }, { c: { id: c.id, schema: c.schema, hpOptions: hpOptions(c) }, bytes: [...c.bytes], bundle: ajvBundle(c), opts });
      rows.push({ c, r });
    }
    return { rows, userAgent };
  } finally {
    await browser.close();
    await server.close();
  }
}
const chromium = await inChromium();

// ---- report ----------------------------------------------------------------------------------
const machineAtEnd = machine();
const wasmFile = join(ROOT, 'bindings/wasm/dist/hotpath_wasm.wasm');
const wasmBytes = readFileSync(wasmFile);
const gz = gzipSync(wasmBytes, { level: 9 }).length;
const glueBytes = statSync(join(ROOT, 'bindings/wasm/dist/hotpath_wasm.js')).size;
const glueGz = gzipSync(readFileSync(join(ROOT, 'bindings/wasm/dist/hotpath_wasm.js')), { level: 9 }).length;
const mbps = (bytes, ns) => `${((bytes / 2 ** 20) / (ns / 1e9)).toFixed(0)} MB/s`;
const chromeVersion = /Chrome\/([\d.]+)/.exec(chromium.userAgent)?.[1] ?? chromium.userAgent;

const out = [];
out.push('# WebAssembly benchmarks: `@hotpath/wasm` vs the native addon vs `JSON.parse` + ajv', '');
out.push('Written by `node bench/wasm/run.mjs` (`make bench`). Every number below was measured in this one run;',
  'ratios matter, not absolute ns (a shared 2-core VM). Node rows are CPU time per call (`process.cpuUsage`),',
  'Chromium rows wall time (`performance.now()`), medians of interleaved batches. Targets are reported, never asserted.', '');
out.push('| machine | |', '|---|---|');
out.push(`| CPU | ${machineAtStart.cpu} |`, `| cores | ${machineAtStart.cores} |`, `| memory | ${machineAtStart.memoryGiB} GiB |`);
out.push(`| OS | ${machineAtStart.platform} |`, `| Node / V8 | ${machineAtStart.node} / ${machineAtStart.v8} |`);
out.push(`| Chromium | ${chromeVersion} (Debian, headless) |`);
out.push(`| Emscripten | 3.1.6 (Debian), \`-O3\`, no RTTI, no exceptions |`);
out.push(`| hotpath / ajv / ajv-formats | ${wasm.version} / ${require('ajv/package.json').version} / ${require('ajv-formats/package.json').version} |`);
out.push(`| date | ${machineAtStart.date} |`);
out.push(`| load average (1/5/15 min) at start / end | ${machineAtStart.load} / ${machineAtEnd.load} |`);
out.push(`| batches | ${opts.repetitions} per side, ${opts.minTime} s each, sides interleaved |`);
out.push(`| duration | ${Math.round((Date.now() - started) / 1000)} s |`, '');

out.push('## Size', '');
out.push('| file | bytes | gzip -9 |', '|---|---:|---:|');
out.push(`| \`dist/hotpath_wasm.wasm\` | ${wasmBytes.length.toLocaleString('en-US')} | ${gz.toLocaleString('en-US')} |`);
out.push(`| \`dist/hotpath_wasm.js\` (glue) | ${glueBytes.toLocaleString('en-US')} | ${glueGz.toLocaleString('en-US')} |`, '');

const targets = [];
out.push('## Node: parse + validate from bytes', '');
out.push('`v(buf)` for wasm and native (Buffer in, boolean out); ajv is `ajv(JSON.parse(buf.toString()))`.', '');
out.push('| input | wasm | native addon | JSON.parse + ajv | wasm / native | JSON.parse+ajv / wasm | wasm throughput |',
  '|---|---:|---:|---:|---:|---:|---:|');
for (const { c, r } of nodeRows) {
  const slow = r.wasm.ns / r.native.ns;
  const gain = r.ajv.ns / r.wasm.ns;
  out.push(`| ${c.label} | ${fmtNs(r.wasm.ns)} | ${fmtNs(r.native.ns)} | ${fmtNs(r.ajv.ns)} | ${fmtRatio(slow)} | ${fmtRatio(gain)} | ${mbps(c.bytes.length, r.wasm.ns)} |`);
  targets.push([`Node, ${c.label}: wasm within 2x of native`, fmtRatio(slow), slow <= 2]);
  targets.push([`Node, ${c.label}: wasm faster than JSON.parse + ajv`, fmtRatio(gain), gain > 1]);
}
out.push('');
out.push('## Chromium: parse + validate from bytes', '');
out.push('`v(u8)` for wasm; ajv is its standalone code for the same schema, run as `ajv(JSON.parse(new TextDecoder().decode(u8)))`.',
  'No native addon in a browser.', '');
out.push('| input | wasm | JSON.parse + ajv | JSON.parse+ajv / wasm | wasm throughput |', '|---|---:|---:|---:|---:|');
for (const { c, r } of chromium.rows) {
  const gain = r.ajv / r.wasm;
  out.push(`| ${c.label} | ${fmtNs(r.wasm)} | ${fmtNs(r.ajv)} | ${fmtRatio(gain)} | ${mbps(c.bytes.length, r.wasm)} |`);
  targets.push([`Chromium, ${c.label}: wasm faster than JSON.parse + ajv`, fmtRatio(gain), gain > 1]);
}
out.push('');
out.push('## Targets (issue 4)', '', '| target | measured | |', '|---|---:|:-:|');
for (const [name, value, ok] of targets) out.push(`| ${name} | ${value} | ${ok ? '✓' : '✗'} |`);
out.push('');
writeFileSync(OUT, `${out.join('\n')}`);
progress(`wrote ${relative(process.cwd(), OUT)}`);
