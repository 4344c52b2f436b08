// Joins the hotpath (Google Benchmark JSON) and ajv (bench/schema/ajv.mjs JSON) results of one
// run into bench/results/schema.md, and prints a short summary. Never invents a number: a side
// that did not run, or a scenario that errored, is shown as such.
//
//   node bench/report.mjs --hotpath FILE... --ajv FILE... --out FILE [--commands FILE]
//
// run.sh has bench/schema/paired.mjs run the two sides batch by batch on one CPU (hotpath, ajv,
// ajv, hotpath, ...): batch i of one side ran right beside batch i of the other, so the ratio
// shown is the median of the per-round ratios, with the same over the least contended rounds
// beside it (see ratioOf). Results from separate runs of each side (several files per side) are pooled
// instead, and the ratio is that of the pooled medians.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import os from 'node:os';
import { median, quantile } from './node/harness.mjs';

function parseArgs(argv) {
  const a = { hotpath: [], ajv: [] };
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split(/=(.*)/s, 2);
    const v = inline !== undefined ? inline : argv[++i];
    if (k === '--hotpath' || k === '--ajv') a[k.slice(2)].push(v);
    else if (k === '--out' || k === '--commands') a[k.slice(2)] = v;
    else {
      console.error(`report.mjs: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!a.ajv.length || !a.out) {
    console.error('usage: node bench/report.mjs --hotpath FILE... --ajv FILE... --out FILE [--commands FILE]\n' +
                  '  (--hotpath/--ajv may repeat: one file per round; repetitions of all rounds are pooled)');
    process.exit(2);
  }
  return a;
}

// What each scenario measures, in the order the tables show them, and the issue's targets.
const GROUPS = [
  {
    title: 'Compile',
    note: 'Compiling the order schema (bench/data/order.schema.json), formats asserted. ' +
      '`compile/order` reuses one compiler (hotpath `Compiler`; ajv instance with `removeSchema` ' +
      'after each compile); `new_instance` also constructs the compiler / `Ajv2020` + `ajv-formats` each time.',
    match: (n) => n.startsWith('compile/'),
  },
  {
    title: 'One ~700 B trade order',
    note: '`parse/order`: parsing alone (hotpath `json::Document`, reused; `JSON.parse`). ' +
      '`validate/*`: an already-parsed order (hotpath `Validator::validate`, flag output, on a ' +
      '`json::Value`; ajv on a JS object). `parse_validate/*`: from bytes (hotpath: reused ' +
      '`json::Document::parse` + validate; ajv: `JSON.parse(buffer.toString())` + validate). ' +
      '`evaluate_basic/order_invalid`: an order with 5 violations, hotpath "basic" output ' +
      '(all errors with locations) vs ajv `allErrors: true`.',
    match: (n) => n.endsWith('/order') || n.includes('/order/') || n.startsWith('evaluate_basic/'),
  },
  {
    title: '2 MiB array of orders',
    note: 'A JSON array of generated valid orders (bench/data/generate.mjs), schema ' +
      'bench/data/orders.schema.json (`items: {$ref: order.schema.json}`), formats asserted.',
    match: (n) => n.includes('orders_2mb'),
  },
  {
    title: 'JSON Schema Test Suite schemas (draft 2020-12)',
    note: 'Groups listed in bench/schema/suite-cases.json; one op validates every instance of the ' +
      'group once (already parsed). Formats not asserted; ajv with `strict: false`.',
    match: (n) => n.startsWith('suite/'),
  },
];

const TARGETS = {
  'validate/order/formats_off': { min: 1, text: 'native faster than ajv on a JS object' },
  'validate/order/formats_on': { min: 1, text: 'native faster than ajv on a JS object' },
  'parse_validate/order/formats_off': { min: 5, text: 'parse+validate from bytes >= 5x JSON.parse + ajv' },
  'parse_validate/order/formats_on': { min: 5, text: 'parse+validate from bytes >= 5x JSON.parse + ajv' },
  'parse_validate/orders_2mb': { min: 5, text: 'parse+validate from bytes >= 5x JSON.parse + ajv' },
};

// ---- loading -----------------------------------------------------------------------------

const TO_NS = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

// Google Benchmark JSON files (one per round) -> { context, byName: { name: {median, iqr, ...} } }
function loadHotpath(paths) {
  const present = paths.filter((p) => existsSync(p));
  if (!present.length) return { missing: `no hotpath results (${paths.join(', ') || 'not run'})` };
  const byName = {};
  const contexts = [];
  for (const path of present) {
    // Google Benchmark writes NaN/inf for some aggregates (e.g. the cv of a constant counter),
    // which is not JSON; those values are never used here.
    const text = readFileSync(path, 'utf8').replace(/:\s*-?(nan|inf|infinity)\b/gi, ': null');
    const doc = JSON.parse(text);
    contexts.push(doc.context);
    for (const b of doc.benchmarks) {
      const name = b.run_name ?? b.name;
      const e = (byName[name] ??= { reps: [] });
      if (b.error_occurred) e.error = b.error_message || 'error';
      if (b.run_type === 'aggregate') continue;  // recomputed below over all rounds
      e.reps.push(b.cpu_time * TO_NS[b.time_unit]);
      e.iterations = b.iterations;
      for (const k of ['bytes_per_op', 'errors', 'instances']) if (k in b) e[k] = b[k];
      // a wrong answer in any round counts
      if ('agrees' in b) e.agrees = Math.min(e.agrees ?? 1, b.agrees);
      if (b.label) e.label = b.label;
    }
  }
  for (const e of Object.values(byName)) {
    e.median = e.reps.length ? median(e.reps) : null;
    e.iqr = e.reps.length > 1 ? quantile(e.reps, 0.75) - quantile(e.reps, 0.25) : 0;
  }
  return { context: contexts[0], contexts, rounds: present.length, byName };
}

function loadAjv(paths) {
  const present = paths.filter((p) => existsSync(p));
  if (!present.length) return { missing: `no ajv results (${paths.join(', ')})` };
  const docs = present.map((p) => JSON.parse(readFileSync(p, 'utf8')));
  const byName = {};
  for (const doc of docs) {
    for (const r of doc.results) {
      const e = (byName[r.name] ??= { reps: [] });
      if (r.error) {
        e.error = r.error;
        continue;
      }
      e.reps.push(...r.cpu_ns);
      e.iterations = r.iterations;
      e.bytes_per_op = r.bytes_per_op;
      e.instances = r.instances;
      e.agrees = Math.min(e.agrees ?? 1, r.agrees ? 1 : 0);
    }
  }
  for (const e of Object.values(byName)) {
    e.median = e.reps.length ? median(e.reps) : null;
    e.iqr = e.reps.length > 1 ? quantile(e.reps, 0.75) - quantile(e.reps, 0.25) : 0;
  }
  return { doc: docs[0], docs, rounds: present.length, byName };
}

// ---- machine -----------------------------------------------------------------------------

function machine() {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const field = (k) => (cpuinfo.match(new RegExp(`^${k}\\s*:\\s*(.*)$`, 'm')) || [])[1];
  const meminfo = existsSync('/proc/meminfo') ? readFileSync('/proc/meminfo', 'utf8') : '';
  const memKb = Number((meminfo.match(/^MemTotal:\s+(\d+)/m) || [])[1] || 0);
  return {
    cpu: field('model name') || os.cpus()[0]?.model || 'unknown',
    mhz: field('cpu MHz'),
    logical: os.cpus().length,
    cores: field('cpu cores'),
    memory: memKb ? `${(memKb / 1024 / 1024).toFixed(1)} GiB` : `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: `${os.type()} ${os.release()}`,
  };
}

// ---- formatting --------------------------------------------------------------------------

const fmtInt = (x) => Math.round(x).toLocaleString('en-US');
function fmtNs(e) {
  if (!e) return 'missing';
  if (e.error) return `error: ${String(e.error).slice(0, 80).replace(/\|/g, '\\|')}`;
  if (e.median == null) return 'missing';
  const iqr = e.median ? (100 * e.iqr) / e.median : 0;
  return `${fmtInt(e.median)} <sub>±${iqr.toFixed(iqr < 10 ? 1 : 0)}%</sub>`;
}
const ok = (e) => e && !e.error && e.median != null;

// Ratio ajv/hotpath. Paired batches (paired.mjs): `value` is the median of the per-round
// ratios over all rounds, with the interquartile range of those ratios. This VM's CPUs also drop
// to about half speed for stretches (another guest on the same core), and the two sides do not
// slow down alike (hotpath more), so `uncontended` gives the same median over the least
// contended third of the rounds (at least 3): ranked by the larger of the two batches' times
// relative to that side's fastest batch of the scenario. Verdicts use `value`. Not paired: the
// ratio of the pooled medians.
function ratioOf(h, a, paired) {
  if (!ok(h) || !ok(a)) return null;
  if (paired && h.reps.length === a.reps.length && h.reps.length > 0) {
    const n = h.reps.length;
    const spread = (rs) => (rs.length > 1 ? quantile(rs, 0.75) - quantile(rs, 0.25) : 0);
    const all = a.reps.map((x, i) => x / h.reps[i]);
    const hMin = Math.min(...h.reps), aMin = Math.min(...a.reps);
    const contention = (i) => Math.max(h.reps[i] / hMin, a.reps[i] / aMin);
    const k = Math.min(n, Math.max(3, Math.ceil(n / 3)));
    const calm = [...Array(n).keys()].sort((i, j) => contention(i) - contention(j)).slice(0, k);
    const rs = calm.map((i) => all[i]);
    return { value: median(all), iqr: spread(all), rounds: n,
             uncontended: { value: median(rs), iqr: spread(rs), rounds: k } };
  }
  return { value: a.median / h.median, iqr: null };
}
const fmtRatio = (r, bold = true) => {
  if (r == null) return '—';
  const x = bold ? `**${r.value.toFixed(2)}x**` : `${r.value.toFixed(2)}x`;
  if (r.iqr == null) return x;
  const pct = (100 * r.iqr) / r.value;
  return `${x} <sub>±${pct.toFixed(pct < 10 ? 1 : 0)}%</sub>`;
};
// A target's verdict: met on all rounds, or only on the least contended ones (said so).
function verdict(r, min) {
  if (r == null) return 'n/a (side missing)';
  if (r.value >= min) return '✓';
  if (r.uncontended && r.uncontended.value >= min) return '✗ (✓ uncontended only)';
  return '✗';
}
const mbs = (e) => (ok(e) && e.bytes_per_op ? (e.bytes_per_op / e.median) * 1e3 : null);
const fmtMbs = (x) => (x == null ? '' : x >= 100 ? fmtInt(x) : x.toFixed(1));

function row(name, h, a, paired) {
  const r = ratioOf(h, a, paired);
  const ratio = r ? r.value : null;
  const t = TARGETS[name];
  const target = t ? `≥ ${t.min}x ${verdict(r, t.min)}` : '';
  const notes = [];
  if (ok(h) && h.agrees === 0) notes.push('⚠ hotpath gave the wrong answer');
  if (ok(a) && a.agrees === 0) notes.push('⚠ ajv gave the wrong answer');
  if (h?.errors != null) notes.push(`hotpath: ${h.errors} errors`);
  const inst = h?.instances ?? a?.instances;
  if (inst) notes.push(`${inst} instances`);
  const cells = [`\`${name}\``, fmtNs(h), fmtNs(a), fmtRatio(r)];
  if (paired) cells.push(fmtRatio(r?.uncontended, false));
  cells.push(fmtMbs(mbs(h)), fmtMbs(mbs(a)), target, notes.join('; '));
  return { cells, ratio, r, h, a };
}

// ---- main --------------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));
const hp = loadHotpath(args.hotpath);
const aj = loadAjv(args.ajv);
const m = machine();
const commands = args.commands && existsSync(args.commands) ? readFileSync(args.commands, 'utf8').trim() : '';

const names = [...new Set([...Object.keys(aj.byName || {}), ...Object.keys(hp.byName || {})])];
// One paired run (bench/schema/paired.mjs): batch i of each side ran beside batch i of the other.
const paired = Boolean(aj.doc?.paired) && aj.rounds === 1 && (Boolean(hp.missing) || hp.rounds === 1);
const lines = [];
lines.push('# Schema benchmarks: hotpath vs ajv');
lines.push('');
if (paired) {
  lines.push(`Written by \`make bench\` (bench/run.sh → bench/schema/paired.mjs → bench/report.mjs); do not ` +
    'edit by hand. The two sides ran **batch by batch on one CPU**: each round runs one batch of each ' +
    `scenario on each side, one right after the other (${aj.doc.paired.rounds} rounds, batches of about ` +
    `${aj.doc.paired.min_time_s} s), so a scenario's rounds are spread over the whole run and each round ` +
    'compares two batches run a fraction of a second apart. ns/op is **CPU time per operation, the median ' +
    'of the batches** (± their interquartile range as % of the median). **ajv/hotpath** is the median of ' +
    'the per-round ratios ajv ÷ hotpath (± their interquartile range): above 1 hotpath is that many times ' +
    'faster; the targets are judged on it. This VM\'s CPUs drop to about half speed for stretches (another ' +
    'guest on the same core), and hotpath slows down more than ajv there, so **uncontended** gives the same ' +
    'median over the least contended third of the rounds (those where both batches ran closest to their ' +
    'side\'s fastest): the ratio on a machine to itself. MB/s = input bytes ÷ CPU time (10^6 bytes). See ' +
    'bench/README.md.');
} else {
  lines.push(`Written by bench/report.mjs from separate runs of each side; do not edit by hand. ` +
    'ns/op is **CPU time per operation, the median over all repetitions** of all rounds (± is the ' +
    'interquartile range of the repetitions as % of the median). Ratio = ajv ns/op ÷ hotpath ns/op: ' +
    'above 1 hotpath is that many times faster. MB/s = input bytes ÷ CPU time (10^6 bytes). See bench/README.md.');
}
lines.push('');
if (hp.missing) {
  lines.push(`> **hotpath side missing:** ${hp.missing}. Only ajv numbers are shown; no ratios.`);
  lines.push('');
}
if (aj.missing) {
  lines.push(`> **ajv side missing:** ${aj.missing}.`);
  lines.push('');
}

const loads = [...(hp.contexts || []).map((c) => c.load_avg?.[0]), ...(aj.docs || []).map((d) => d.load_avg_start?.[0])]
  .filter((x) => typeof x === 'number');
const maxLoad = loads.length ? Math.max(...loads) : 0;
if (maxLoad > m.logical) {
  lines.push(`> ⚠ **Busy machine:** the 1-minute load average reached ${maxLoad.toFixed(1)} on ${m.logical} ` +
    'CPUs during this run (other builds and tests). Expect wide ± and trust the ratios (both sides ' +
    'alternated through the same noise) more than absolute ns; rerun `make bench` on a quiet machine ' +
    'for publishable numbers.');
  lines.push('');
}
lines.push('## Machine and run');
lines.push('');
lines.push('| | |');
lines.push('|---|---|');
lines.push(`| date | ${aj.doc?.date ?? hp.context?.date ?? new Date().toISOString()} |`);
lines.push(`| CPU | ${m.cpu}${m.mhz ? ` (${Math.round(Number(m.mhz))} MHz)` : ''} |`);
lines.push(`| cores | ${m.logical} logical${m.cores ? `, ${m.cores} per socket` : ''} |`);
lines.push(`| memory | ${m.memory} |`);
lines.push(`| OS | ${m.kernel} |`);
if (hp.context) {
  lines.push(`| C++ compiler | ${hp.context.hotpath_compiler ?? 'unknown'} (${hp.context.hotpath_build_type ?? '?'} build) |`);
  if (!paired) {
    lines.push(`| load average (1/5/15 min) at the start of each hotpath round | ` +
      hp.contexts.map((c) => (c.load_avg || []).map((x) => x.toFixed(2)).join(' ')).join(' · ') + ' |');
  }
}
if (aj.doc) {
  lines.push(`| Node | ${aj.doc.node_version} (V8 ${aj.doc.v8_version}) |`);
  lines.push(`| ajv | ${aj.doc.ajv_version} (\`ajv/dist/2020\`, multipleOfPrecision 6), ajv-formats ${aj.doc.ajv_formats_version} |`);
  if (paired) {
    const fmtLoad = (l) => (l || []).map((x) => x.toFixed(2)).join(' ');
    lines.push(`| load average (1/5/15 min) at start / end | ${fmtLoad(aj.doc.load_avg_start)} / ` +
      `${fmtLoad(aj.doc.load_avg_end)} |`);
    lines.push(`| batches | ${aj.doc.paired.rounds} per scenario and side, ≥ ${aj.doc.paired.min_time_s} s each, ` +
      `alternating, both sides ${aj.doc.paired.cpu == null ? 'unpinned (no taskset)' : `on CPU ${aj.doc.paired.cpu}`} |`);
  } else {
    lines.push(`| load average (1/5/15 min) at the start of each ajv round | ` +
      aj.docs.map((d) => (d.load_avg_start || []).map((x) => x.toFixed(2)).join(' ')).join(' · ') + ' |');
    lines.push(`| repetitions | ${aj.rounds} round(s) × ${aj.doc.repetitions} repetitions × ≥ ${aj.doc.min_time_s} s ` +
      'per scenario and side, pooled |');
  }
  const f = aj.doc.data_manifest?.files || {};
  lines.push(`| inputs | ${Object.entries(f).map(([n, x]) => `${n} ${fmtInt(x.bytes)} B`).join(', ')}` +
    ` (seed ${aj.doc.data_manifest?.seed}) |`);
}
lines.push('');
if (commands) {
  lines.push('Commands (exactly as run):');
  lines.push('');
  lines.push('```sh');
  lines.push(commands);
  lines.push('```');
  lines.push('');
}

const allRows = {};
for (const n of names) allRows[n] = row(n, hp.byName?.[n], aj.byName?.[n], paired);

lines.push('## Targets (issue 2, reported, not asserted)');
lines.push('');
lines.push(paired ? '| target | scenario | ajv/hotpath | uncontended | met |' : '| target | scenario | ajv/hotpath | met |');
lines.push(paired ? '|---|---|---|---|---|' : '|---|---|---|---|');
for (const [n, t] of Object.entries(TARGETS)) {
  const r = allRows[n]?.r;
  const cells = [`${t.text} (≥ ${t.min}x)`, `\`${n}\``, r == null ? 'n/a' : `${r.value.toFixed(2)}x`];
  if (paired) cells.push(r?.uncontended ? `${r.uncontended.value.toFixed(2)}x` : 'n/a');
  cells.push(verdict(r, t.min));
  lines.push(`| ${cells.join(' | ')} |`);
}
lines.push('');

const header = paired
  ? '| scenario | hotpath ns/op | ajv ns/op | ajv/hotpath | uncontended | hotpath MB/s | ajv MB/s | target | notes |'
  : '| scenario | hotpath ns/op | ajv ns/op | ajv/hotpath | hotpath MB/s | ajv MB/s | target | notes |';
const rule = paired ? '|---|--:|--:|--:|--:|--:|--:|---|---|' : '|---|--:|--:|--:|--:|--:|---|---|';
const shown = new Set();
for (const g of GROUPS) {
  const ns = names.filter((n) => g.match(n) && !shown.has(n));
  if (!ns.length) continue;
  lines.push(`## ${g.title}`);
  lines.push('');
  lines.push(g.note);
  lines.push('');
  lines.push(header);
  lines.push(rule);
  for (const n of ns) {
    shown.add(n);
    lines.push(`| ${allRows[n].cells.join(' | ')} |`);
  }
  lines.push('');
}
const rest = names.filter((n) => !shown.has(n));
if (rest.length) {
  lines.push('## Other');
  lines.push('');
  lines.push(header);
  lines.push(rule);
  for (const n of rest) lines.push(`| ${allRows[n].cells.join(' | ')} |`);
  lines.push('');
}

mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, lines.join('\n'));

// Short summary on stdout.
console.log(`\nschema benchmarks (${m.cpu}, ${m.logical} cpus) — written to ${args.out}`);
if (hp.missing) console.log(`  hotpath side MISSING: ${hp.missing}`);
if (aj.missing) console.log(`  ajv side MISSING: ${aj.missing}`);
for (const [n, t] of Object.entries(TARGETS)) {
  const r = allRows[n];
  const { h, a } = r ?? {};
  const hs = ok(h) ? `${fmtInt(h.median)} ns` : h?.error ? 'error' : 'missing';
  const as = ok(a) ? `${fmtInt(a.median)} ns` : a?.error ? 'error' : 'missing';
  const rr = r?.r;
  const said = rr == null ? 'n/a'
    : `${rr.value.toFixed(2)}x${rr.uncontended ? ` (uncontended ${rr.uncontended.value.toFixed(2)}x)` : ''} ` +
      `${verdict(rr, t.min)} (target ≥ ${t.min}x)`;
  console.log(`  ${n.padEnd(34)} hotpath ${hs.padStart(14)}  ajv ${as.padStart(14)}  ${said}`);
}
const wrong = names.filter((n) => (ok(hp.byName?.[n]) && hp.byName[n].agrees === 0) ||
                                  (ok(aj.byName?.[n]) && aj.byName[n].agrees === 0));
if (wrong.length) console.log(`  wrong answers (see notes column): ${wrong.join(', ')}`);
