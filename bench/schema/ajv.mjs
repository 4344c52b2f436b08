// The ajv 8 side of the schema benchmarks: the same scenarios, the same input files and the same
// methodology as hotpath_bench_schema (Google Benchmark), so the two can be joined into ratios.
//
//   node bench/schema/ajv.mjs --data DIR --suite DIR [--out FILE] [--repetitions N]
//                             [--min-time SECONDS] [--filter REGEX] [--serve]
//
// --serve: the batch server bench/schema/paired.mjs drives, like hotpath_bench_schema --serve.
// Prints one JSON line (versions, scenario names), then reads scenario names from stdin, one per
// line, and for each runs one batch of --min-time seconds (the first request for a scenario sets
// it up, warms it up and calibrates the batch) and prints the result as one JSON line.
//
// Methodology (mirrors Google Benchmark): per scenario, a warm-up (lets V8 tier up), then an
// iteration count calibrated so one batch lasts --min-time seconds, then --repetitions batches.
// Each batch is timed with process.cpuUsage() (user+system CPU time of the process, like
// Google Benchmark's cpu_time) and with hrtime (real time); ns/op is CPU time / iterations.
// The median over batches is what the report shows.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import os from 'node:os';
import { median, quantile } from '../node/harness.mjs';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const AJV_VERSION = require('ajv/package.json').version;
const AJV_FORMATS_VERSION = require('ajv-formats/package.json').version;

const HERE = dirname(fileURLToPath(import.meta.url));
const BENCH_DATA_SRC = resolve(HERE, '../data');

function parseArgs(argv) {
  const args = { repetitions: 10, minTime: 0.2, filter: null, out: null, data: null, suite: null,
                 serve: false };
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split(/=(.*)/s, 2);
    const v = () => (inline !== undefined ? inline : argv[++i]);
    if (k === '--data') args.data = v();
    else if (k === '--suite') args.suite = v();
    else if (k === '--out') args.out = v();
    else if (k === '--repetitions') args.repetitions = Number(v());
    else if (k === '--min-time') args.minTime = Number(v());
    else if (k === '--filter') args.filter = new RegExp(v());
    else if (k === '--serve') args.serve = true;
    else {
      console.error(`ajv.mjs: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!args.data || !args.suite) {
    console.error('usage: node bench/schema/ajv.mjs --data DIR --suite DIR [--out FILE] ' +
                  '[--repetitions N] [--min-time SECONDS] [--filter REGEX]');
    process.exit(2);
  }
  return args;
}

// One options object for every ajv instance, so the settings are stated once.
// multipleOfPrecision: without it ajv says 19.99 is not a multiple of 0.01.
// strict is left at ajv's default for the order schemas (strictRequired off: `then: {required}`
// naming a property defined by the parent is normal JSON Schema).
function newAjv({ formats, allErrors = false, strict = undefined }) {
  const ajv = new Ajv2020({
    multipleOfPrecision: 6,
    allErrors,
    ...(strict === undefined ? {} : { strict }),
    validateFormats: formats,
  });
  if (formats) addFormats(ajv);
  return ajv;
}

// ---- timing ------------------------------------------------------------------------------

const cpuNs = (u) => (u.user + u.system) * 1000;
let sink = 0; // results feed this so no call can be optimised away

function runBatch(fn, iterations) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink ^= fn() ? 1 : 2;
  const real = Number(process.hrtime.bigint() - t0);
  const cpu = cpuNs(process.cpuUsage(c0));
  return { cpu, real };
}

// Warm-up and calibration: grow the batch until it lasts >= 1/10 of the target, then scale.
// Returns the iteration count of a batch of `minTime` seconds.
function calibrate(fn, minTime) {
  const target = minTime * 1e9;
  let n = 1;
  let warm = 0;
  for (;;) {
    const { real } = runBatch(fn, n);
    warm += real;
    if (real >= target / 10 && warm >= 0.3e9) return Math.max(1, Math.ceil((n * target) / Math.max(real, 1)));
    n = real < target / 100 ? n * 10 : n * 2;
  }
}

function measure(fn, { repetitions, minTime }) {
  const n = calibrate(fn, minTime);
  const cpu = [], real = [];
  for (let r = 0; r < repetitions; r++) {
    const b = runBatch(fn, n);
    cpu.push(b.cpu / n);
    real.push(b.real / n);
  }
  return {
    iterations: n,
    cpu_ns: cpu,
    real_ns: real,
    cpu_ns_median: median(cpu),
    real_ns_median: median(real),
    cpu_ns_iqr: quantile(cpu, 0.75) - quantile(cpu, 0.25),
  };
}

// ---- scenarios ---------------------------------------------------------------------------

function loadInputs(dataDir) {
  const read = (p) => readFileSync(p);
  const orderSchemaText = read(join(BENCH_DATA_SRC, 'order.schema.json')).toString('utf8');
  const ordersSchemaText = read(join(BENCH_DATA_SRC, 'orders.schema.json')).toString('utf8');
  return {
    orderSchemaText,
    ordersSchemaText,
    order: read(join(dataDir, 'order.json')),
    orderInvalid: read(join(dataDir, 'order-invalid.json')),
    orders: read(join(dataDir, 'orders-2mb.json')),
    manifest: JSON.parse(read(join(dataDir, 'manifest.json')).toString('utf8')),
  };
}

function orderScenarios(inp) {
  const orderSchema = () => JSON.parse(inp.orderSchemaText);
  const scenarios = [];
  const add = (name, setup, extra = {}) => scenarios.push({ name, setup, ...extra });

  // Compile on a reused Ajv instance. ajv caches compiled schemas by object and by $id, so each
  // iteration compiles and then removes the schema (removeSchema drops both caches).
  add('compile/order', () => {
    const ajv = newAjv({ formats: true });
    const schema = orderSchema();
    return () => {
      const v = ajv.compile(schema);
      ajv.removeSchema(schema);
      return typeof v === 'function';
    };
  }, { expect: true });

  // Cold compile: a new Ajv instance (its metaschema and formats) plus the compile.
  add('compile/order/new_instance', () => {
    const schema = orderSchema();
    return () => typeof newAjv({ formats: true }).compile(schema) === 'function';
  }, { expect: true });

  // Parse only, to split parse_validate into its two costs.
  add('parse/order', () => {
    const buf = inp.order;
    return () => JSON.parse(buf.toString('utf8')) !== null;
  }, { expect: true, bytes: inp.order.length });

  for (const formats of [false, true]) {
    const tag = formats ? 'formats_on' : 'formats_off';
    add(`validate/order/${tag}`, () => {
      const v = newAjv({ formats }).compile(orderSchema());
      const obj = JSON.parse(inp.order.toString('utf8'));
      return () => v(obj);
    }, { expect: true, bytes: inp.order.length });

    // Bytes in: JSON.parse of the Buffer's UTF-8 text, then validate.
    add(`parse_validate/order/${tag}`, () => {
      const v = newAjv({ formats }).compile(orderSchema());
      const buf = inp.order;
      return () => v(JSON.parse(buf.toString('utf8')));
    }, { expect: true, bytes: inp.order.length });
  }

  // Counterpart of hotpath's "basic" output: every error collected (allErrors) with locations.
  add('evaluate_basic/order_invalid', () => {
    const v = newAjv({ formats: true, allErrors: true }).compile(orderSchema());
    const obj = JSON.parse(inp.orderInvalid.toString('utf8'));
    return () => {
      const ok = v(obj);
      return ok || v.errors.length === 0;
    };
  }, { expect: false, bytes: inp.orderInvalid.length });

  const ordersValidator = () => {
    const ajv = newAjv({ formats: true });
    ajv.addSchema(orderSchema());
    return ajv.compile(JSON.parse(inp.ordersSchemaText));
  };
  add('validate/orders_2mb', () => {
    const v = ordersValidator();
    const arr = JSON.parse(inp.orders.toString('utf8'));
    return () => v(arr);
  }, { expect: true, bytes: inp.orders.length });
  add('parse/orders_2mb', () => {
    const buf = inp.orders;
    return () => JSON.parse(buf.toString('utf8')) !== null;
  }, { expect: true, bytes: inp.orders.length });
  add('parse_validate/orders_2mb', () => {
    const v = ordersValidator();
    const buf = inp.orders;
    return () => v(JSON.parse(buf.toString('utf8')));
  }, { expect: true, bytes: inp.orders.length });
  return scenarios;
}

// --serve (see the top of the file). A scenario is set up on its first request and kept.
async function serve() {
  const { createInterface } = await import('node:readline');
  const ready = new Map(); // name -> { fn, outcome, n } or { error }
  const byName = new Map(all.map((s) => [s.name, s]));
  process.stdout.write(JSON.stringify({ ...versions, scenarios: all.map((s) => s.name) }) + '\n');
  for await (const name of createInterface({ input: process.stdin })) {
    if (!name) break;
    const s = byName.get(name);
    let r = ready.get(name);
    if (!s) {
      r = { error: 'no such scenario' };
    } else if (!r) {
      try {
        const fn = s.setup();
        const outcome = fn();
        r = { fn, outcome, n: calibrate(fn, args.minTime) };
      } catch (e) {
        r = { error: `setup failed: ${e.message}` };
      }
      ready.set(name, r);
    }
    let out;
    if (r.error) {
      out = { name, error: r.error };
    } else {
      const b = runBatch(r.fn, r.n);
      out = { name, cpu_ns: b.cpu / r.n, real_ns: b.real / r.n, iterations: r.n,
              outcome: r.outcome, expected: s.expect, agrees: r.outcome === s.expect };
      if (s.bytes) out.bytes_per_op = s.bytes;
      if (s.instances) out.instances = s.instances;
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

function suiteScenarios(suiteDir) {
  const manifest = JSON.parse(readFileSync(join(HERE, 'suite-cases.json'), 'utf8'));
  const dir = join(suiteDir, 'tests', manifest.draft);
  const scenarios = [];
  for (const c of manifest.cases) {
    const groups = JSON.parse(readFileSync(join(dir, c.file), 'utf8'));
    const g = groups.find((x) => x.description === c.group);
    if (!g) throw new Error(`suite-cases.json: no group "${c.group}" in ${c.file}`);
    const instances = g.tests.map((t) => t.data);
    const expected = g.tests.map((t) => t.valid);
    scenarios.push({
      name: c.name,
      instances: instances.length,
      setup: () => {
        // strict: false — suite schemas deliberately contain things ajv's strict mode rejects.
        const v = newAjv({ formats: false, strict: false }).compile(g.schema);
        return () => {
          let agree = true;
          for (let i = 0; i < instances.length; i++) agree = v(instances[i]) === expected[i] && agree;
          return agree;
        };
      },
      expect: true, // "true" here means every instance got the suite's expected answer
    });
  }
  return scenarios;
}

// ---- main --------------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));
const loadAvgStart = os.loadavg();
const inputs = loadInputs(args.data);
const all = [...orderScenarios(inputs), ...suiteScenarios(args.suite)];
const versions = {
  tool: 'ajv',
  ajv_version: AJV_VERSION,
  ajv_formats_version: AJV_FORMATS_VERSION,
  ajv_options: { class: 'ajv/dist/2020', multipleOfPrecision: 6, strict: 'default (suite: false)',
                 formats: 'ajv-formats (full) when on; validateFormats:false when off' },
  node_version: process.version,
  v8_version: process.versions.v8,
};
if (args.serve) {
  await serve();
  process.exit(0);
}
const results = [];
for (const s of all) {
  if (args.filter && !args.filter.test(s.name)) continue;
  let fn, outcome;
  try {
    fn = s.setup();
    outcome = fn();
  } catch (e) {
    results.push({ name: s.name, error: `setup failed: ${e.message}` });
    console.log(`${s.name.padEnd(48)} ERROR ${e.message}`);
    continue;
  }
  const m = measure(fn, args);
  const r = { name: s.name, ...m, outcome, expected: s.expect, agrees: outcome === s.expect };
  if (s.bytes) r.bytes_per_op = s.bytes;
  if (s.instances) r.instances = s.instances;
  results.push(r);
  const mbs = s.bytes ? `  ${((s.bytes / m.cpu_ns_median) * 1e3).toFixed(1)} MB/s` : '';
  console.log(`${s.name.padEnd(48)} ${m.cpu_ns_median.toFixed(0).padStart(12)} ns/op (cpu, median of ` +
              `${args.repetitions} x ${m.iterations})${mbs}${r.agrees ? '' : '  RESULT MISMATCH'}`);
}

const doc = {
  ...versions,
  repetitions: args.repetitions,
  min_time_s: args.minTime,
  data_manifest: inputs.manifest,
  date: new Date().toISOString(),
  load_avg_start: loadAvgStart,
  load_avg_end: os.loadavg(),
  sink,
  results,
};
if (args.out) writeFileSync(args.out, JSON.stringify(doc, null, 2) + '\n');
