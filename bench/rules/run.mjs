// JS rules, in one run: hotpathd's embedded V8 (core/rules, via build/bin/hotpath_bench_rules),
// the same rule files in Node (plain JS: JSON.parse, the rule, JSON.stringify), the same logic as
// native C++, and hotpathd end to end over HTTP (NDJSON bodies of 10,000 payments, the server's
// own CPU time per record). Writes bench/results/rules.md; targets are reported with ✓/✗, never
// asserted.
//
//   node bench/rules/run.mjs [--quick] [--out FILE]   (BUILD=build by default)
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare, fmtNs, fmtRatio, machine } from '../node/harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD = path.resolve(ROOT, process.env.BUILD || 'build');
const RULES = path.join(ROOT, 'bench/rules');
// The realistic rule is the example pipeline's: check (reasons) + transform (FX, fee, flags, score).
const SCORING = path.join(ROOT, 'examples/pipelines/payments/scoring.js');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const outAt = argv.indexOf('--out');
const OUT = outAt >= 0 ? path.resolve(argv[outAt + 1]) : path.join(ROOT, 'bench/results/rules.md');
const opts = { minTime: quick ? 0.05 : 0.3, repetitions: quick ? 3 : 7 };
const progress = (s) => process.stderr.write(`${s}\n`);
const machineAtStart = machine();

// ---- 10,000 payments from a fixed-seed generator (the same bytes every run) -----------------
function payments(count) {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const lines = [];
  for (let i = 0; i < count; i++) {
    lines.push(JSON.stringify({
      id: `pay_${i}`, merchant: `m${i % 97}`, amount: Math.round(1 + rnd() * 2e6) / 100,
      currency: pick(['EUR', 'USD', 'GBP', 'JPY', 'CHF']), method: pick(['card', 'sepa', 'wire']),
      country: pick(['DE', 'FR', 'US', 'GB', 'IR', 'JP', 'CH']), card_country: pick(['DE', 'FR', 'US', 'GB', 'IR', 'JP', 'CH']),
      attempts: Math.floor(rnd() * 6), created: '2026-11-21T10:00:00Z',
    }));
  }
  return lines;
}
const records = payments(10000);
const ndjson = records.join('\n') + '\n';
const dataDir = path.join(BUILD, 'bench/data');
fs.mkdirSync(dataDir, { recursive: true });
const paymentsFile = path.join(dataDir, 'payments.ndjson');
fs.writeFileSync(paymentsFile, ndjson);

// ---- 1. core/rules (embedded V8) and the native step -----------------------------------------
progress('rules: embedded V8 and native (hotpath_bench_rules)');
const bench = spawnSync(path.join(BUILD, 'bin/hotpath_bench_rules'), [RULES, SCORING, paymentsFile, ...(quick ? ['--quick'] : [])],
  { encoding: 'utf8' });
if (bench.status !== 0) throw new Error(`hotpath_bench_rules failed: ${bench.stderr}`);
const v8 = JSON.parse(bench.stdout);

// ---- 2. the same rule files in Node --------------------------------------------------------
progress('rules: the same rules in Node');
const load = async (file) =>
  import(`data:text/javascript;base64,${fs.readFileSync(path.resolve(RULES, file)).toString('base64')}`);
const scoring = await load(SCORING);
const simple = await load('simple-payment.js');
const trivial = await load('trivial.js');
const ctx = Object.freeze({ pipeline: 'bench', log() {} });
// What hotpathd does with the rule: check (an empty list of reasons passes), then transform.
function scoreInNode(text) {
  const p = JSON.parse(text);
  const reasons = scoring.check(p, ctx);
  if (reasons.length) return undefined;
  return JSON.stringify(scoring.transform(p, ctx));
}
let i = 0;
const next = () => records[(i = (i + 1) % records.length)];
const node = compare({
  trivial: () => trivial.check(JSON.parse('{"id":1}'), ctx),
  scoring: () => scoreInNode(next()),
  simple: () => simple.check(JSON.parse(next()), ctx),
}, opts);
// Node and embedded V8 write the same bytes (checked against hotpathd below).
const nodeScoring = records.map(scoreInNode);

// ---- 3. hotpathd end to end -------------------------------------------------------------------
progress('rules: hotpathd over HTTP');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-rules-bench-'));
for (const [name, def] of Object.entries({
  'no-rules': {},
  simple: { rules: 'simple-payment.js' },
  scoring: { rules: 'scoring.js' },
})) {
  fs.mkdirSync(path.join(dir, name));
  fs.writeFileSync(path.join(dir, name, 'pipeline.json'), JSON.stringify(def));
  if (def.rules) fs.copyFileSync(def.rules === 'scoring.js' ? SCORING : path.join(RULES, def.rules), path.join(dir, name, def.rules));
}
const server = spawn(path.join(BUILD, 'bin/hotpathd'),
  ['--pipelines', dir, '--listen', '127.0.0.1:0', '--log-level', 'off', '--watch-interval-ms', '0'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /listening on port (\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  server.on('exit', (code) => reject(new Error(`hotpathd exited with ${code}`)));
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
const post = (name) => new Promise((resolve, reject) => {
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/v1/pipelines/${name}`, agent,
    headers: { 'content-type': 'application/x-ndjson' } }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString()));
  });
  req.on('error', reject);
  req.end(ndjson);
});
const serverCpuNs = () => {
  const f = fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * (1e9 / 100);  // utime + stime, in clock ticks of 10 ms
};
const scoringLines = (await post('scoring')).trimEnd().split('\n');
const identical = scoringLines.every((line, k) => line === `{"valid":true,"output":${nodeScoring[k]}}`);
const served = {};
for (const name of ['no-rules', 'simple', 'scoring']) {
  const rounds = quick ? 3 : 20;
  await Promise.all([post(name), post(name)]);  // warm: every I/O thread's isolate exists
  const c0 = serverCpuNs();
  const t0 = process.hrtime.bigint();
  // Two bodies in flight: both I/O threads busy.
  for (let r = 0; r < rounds; r += 2) await Promise.all([post(name), post(name)]);
  const wall = Number(process.hrtime.bigint() - t0);
  const n = rounds * records.length;
  served[name] = { cpuNsPerRecord: (serverCpuNs() - c0) / n, recordsPerS: n / (wall / 1e9) };
}
server.kill('SIGTERM');
await once(server, 'exit');
agent.destroy();
fs.rmSync(dir, { recursive: true });

// ---- the report ----------------------------------------------------------------------------
const end = machine();
const ok = (b) => (b ? '✓' : '✗');
const reuseRatio = v8.fresh_isolate_call_ns / v8.trivial_call_ns;
const jsVsNative = v8.scoring_js_ns / v8.scoring_native_ns;
const md = `# JS rules: embedded V8 vs native vs Node

Generated by \`node bench/rules/run.mjs\` (\`make bench\`). The embedded side is \`core/rules\` (V8
10.2 from Debian's libnode108, the runtime hotpathd uses), measured by \`build/bin/hotpath_bench_rules\`;
Node runs the same rule files as plain JS (\`JSON.parse\`, the rule, \`JSON.stringify\`). Records are
10,000 generated payments (${Math.round(ndjson.length / records.length)} B each). CPU time per record,
medians of repeated batches (Node: ± is the IQR). Ratios matter, not absolute times: this is a
shared 2-core VM. Rules: [\`scoring.js\`](../../examples/pipelines/payments/scoring.js), the
example pipeline's (a check with reasons, then FX to EUR, fee, risk flags, score),
[\`simple-payment.js\`](../rules/simple-payment.js) (a check),
[\`trivial.js\`](../rules/trivial.js) (\`return true\`).

| machine | |
|---|---|
| CPU | ${machineAtStart.cpu} |
| cores | ${machineAtStart.cores} |
| memory | ${machineAtStart.memoryGiB} GiB |
| Node / V8 | ${machineAtStart.node} / ${machineAtStart.v8} |
| embedded V8 | 10.2 (libnode108) |
| OS | ${machineAtStart.platform} |
| date | ${new Date().toISOString()} |
| load average (start / end) | ${machineAtStart.load} / ${end.load} |

## Isolates: created once, reused

| | CPU time | |
|---|---:|---|
| fresh isolate per call (isolate + context + lockdown + compile + call) | ${fmtNs(v8.fresh_isolate_call_ns)} | |
| reused isolate, trivial rule, \`{"id":1}\` | ${fmtNs(v8.trivial_call_ns)} | per-call overhead: JSON in, call, verdict out |
| reused isolate, trivial rule, a payment | ${fmtNs(v8.trivial_call_payment_ns)} | the same plus \`JSON.parse\` of ${Math.round(ndjson.length / records.length)} B |
| **reuse vs fresh** | **${Math.round(reuseRatio).toLocaleString('en')}x cheaper** | target >= 1,000x ${ok(reuseRatio >= 1000)} |
| **per-call overhead** | **${fmtNs(v8.trivial_call_ns)}** | target < 2 µs ${ok(v8.trivial_call_ns < 2000)} |

## Payment scoring: the same logic three ways, bytes to bytes

| | per record | records/s per core | vs native |
|---|---:|---:|---:|
| native C++ step (hotpath::json parse, compute, write) | ${fmtNs(v8.scoring_native_ns)} | ${Math.round(1e9 / v8.scoring_native_ns).toLocaleString('en')} | 1x |
| JS rule in embedded V8 (core/rules) | ${fmtNs(v8.scoring_js_ns)} | ${Math.round(1e9 / v8.scoring_js_ns).toLocaleString('en')} | ${fmtRatio(jsVsNative)} |
| JS rule in Node ${machineAtStart.node} (plain JS) | ${fmtNs(node.scoring.ns)} ±${node.scoring.iqrPct.toFixed(0)}% | ${Math.round(1e9 / node.scoring.ns).toLocaleString('en')} | ${fmtRatio(node.scoring.ns / v8.scoring_native_ns)} |

Outputs: the native step and embedded V8 agree on ${v8.scoring_identical} of ${v8.records} records; hotpathd's
answers and Node's agree byte for byte: ${identical ? 'yes' : '**no**'}.
**JS rule within 1.5x of native**: ${fmtRatio(jsVsNative)} ${ok(jsVsNative <= 1.5)}.

## Simple payments per second

| | per record | records/s |
|---|---:|---:|
| embedded V8, one thread | ${fmtNs(v8.simple_js_ns)} | ${Math.round(1e9 / v8.simple_js_ns).toLocaleString('en')} |
| embedded V8, ${v8.threads} threads (one isolate each), wall clock | | **${Math.round(v8.simple_records_per_s).toLocaleString('en')}** |
| Node, one thread (plain JS) | ${fmtNs(node.simple.ns)} ±${node.simple.iqrPct.toFixed(0)}% | ${Math.round(1e9 / node.simple.ns).toLocaleString('en')} |

**1 million simple payments per second across the machine**: ${Math.round(v8.simple_records_per_s).toLocaleString('en')} ${ok(v8.simple_records_per_s >= 1e6)}.
On this shared VM every absolute figure here moved by up to 2x between runs minutes apart (the
native step alone from 0.6 to 1.2 µs per record; this one from 0.55 to 1.5 million), while the
ratios within one run held; two isolate threads, V8's GC helper threads and the watchdog share
the 2 cores with whatever else the host runs.

## hotpathd end to end (HTTP, NDJSON bodies of 10,000 payments, 2 in flight)

Server CPU time (utime + stime from /proc, 10 ms ticks) per record, and records per second of wall
clock with the load generator on the same 2 cores.

| pipeline | server CPU per record | records/s |
|---|---:|---:|
| no steps (parse, re-serialize) | ${fmtNs(served['no-rules'].cpuNsPerRecord)} | ${Math.round(served['no-rules'].recordsPerS).toLocaleString('en')} |
| \`simple-payment.js\` | ${fmtNs(served.simple.cpuNsPerRecord)} | ${Math.round(served.simple.recordsPerS).toLocaleString('en')} |
| \`scoring.js\` | ${fmtNs(served.scoring.cpuNsPerRecord)} | ${Math.round(served.scoring.recordsPerS).toLocaleString('en')} |

## Where the time goes

\`perf\` on the reused isolate running the scoring rule: V8's \`JSON.parse\` building the record
(keys internalized through the string table, strings allocated) is about a quarter of the time,
\`JSON.stringify\` of the result (number formatting included) about a fifth, and the rule's own
JIT-compiled code a small part; the rest is the fixed cost of a call (entering the context, a
\`TryCatch\`, \`Function::Call\`, the record string in and the result string out). The native
step parses with simdjson and writes its output directly, so while every record crosses into
JavaScript as JSON text and back, a JS rule stays several times slower than the same logic in
C++; Node, on a newer V8 (${machineAtStart.v8}), pays the same two conversions. "Simple payments"
threads each create their isolate and warm up (one pass) before the timed rounds, as a running
hotpathd has; the figure is the median of the rounds, wall clock from a common start to the
last thread's finish.
`;
fs.writeFileSync(OUT, md);
progress(`wrote ${path.relative(ROOT, OUT)}`);
