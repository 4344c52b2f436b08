// Runs the two sides of the schema benchmarks batch by batch: hotpath_bench_schema --serve and
// bench/schema/ajv.mjs --serve stay alive, pinned to the same CPU, and this driver asks them in
// turn for one batch of the same scenario (hotpath then ajv, or ajv then hotpath), so the two
// batches of a round run a fraction of a second apart, at the same machine speed; each round
// visits every scenario, so a scenario's rounds are spread over the whole run. On a VM whose CPUs
// change speed from one second to the next (and each on its own), that is what lets report.mjs
// compare the sides round by round and set aside the rounds a slow stretch caught. Writes both
// sides' batches, in round order, in the formats bench/report.mjs reads (Google Benchmark JSON,
// ajv.mjs JSON); run.sh calls it.
//
//   node bench/schema/paired.mjs --data DIR --suite DIR --ajv-out FILE
//        [--hotpath BIN --hotpath-out FILE] [--rounds N] [--min-time SECONDS] [--cpu N]
//        [--filter REGEX]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { median } from '../node/harness.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const a = { rounds: 30, minTime: 0.03, cpu: os.cpus().length - 1, filter: null };
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split(/=(.*)/s, 2);
    const v = () => (inline !== undefined ? inline : argv[++i]);
    if (k === '--data') a.data = v();
    else if (k === '--suite') a.suite = v();
    else if (k === '--hotpath') a.hotpath = v();
    else if (k === '--hotpath-out') a.hotpathOut = v();
    else if (k === '--ajv-out') a.ajvOut = v();
    else if (k === '--rounds') a.rounds = Number(v());
    else if (k === '--min-time') a.minTime = Number(v());
    else if (k === '--cpu') a.cpu = Number(v());
    else if (k === '--filter') {
      const f = v();
      a.filter = f ? new RegExp(f) : null;
    }
    else {
      console.error(`paired.mjs: unknown argument ${argv[i]}`);
      process.exit(2);
    }
  }
  if (!a.data || !a.suite || !a.ajvOut || !(a.rounds >= 1) || !(a.minTime > 0)) {
    console.error('usage: node bench/schema/paired.mjs --data DIR --suite DIR --ajv-out FILE ' +
                  '[--hotpath BIN --hotpath-out FILE] [--rounds N] [--min-time S] [--cpu N] [--filter RE]');
    process.exit(2);
  }
  return a;
}


// One batch server: send a scenario name, read its one-line JSON answer. A server that exits,
// prints something that is not the answer, or takes longer than kTimeoutMs is marked dead (and
// killed): its side's remaining scenarios report that error, and the run goes on.
const kTimeoutMs = 120_000;
class Server {
  constructor(label, argv) {
    this.label = label;
    this.child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.dead = null;
    this.child.on('error', (e) => { this.dead ??= e.message; });
    this.child.stdin.on('error', () => {});  // a dead server's closed pipe: reported by read()
  }
  kill(why) {
    this.dead ??= why;
    this.child.kill('SIGKILL');
  }
  // The next line as JSON, or null (and the server dead).
  async read() {
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ timedOut: true }), kTimeoutMs);
    });
    const got = await Promise.race([this.lines.next(), timeout]);
    clearTimeout(timer);
    if (got.timedOut) {
      this.kill(`gave no answer within ${kTimeoutMs / 1000} s`);
      return null;
    }
    if (got.done) {
      this.dead ??= 'exited';
      return null;
    }
    try {
      return JSON.parse(got.value);
    } catch {
      this.kill(`printed a line that is not JSON: ${got.value.slice(0, 120)}`);
      return null;
    }
  }
  async run(name) {
    if (!this.dead) {
      this.child.stdin.write(name + '\n');
      const r = await this.read();
      if (r && r.name === name) return r;
      if (r) this.kill(`answered for ${JSON.stringify(r.name)} when asked for ${JSON.stringify(name)}`);
    }
    return { name, error: `${this.label} server ${this.dead}` };
  }
  close() {
    if (!this.dead) this.child.stdin.end('\n');
  }
}

const args = parseArgs(process.argv.slice(2));

// Both servers on one CPU when taskset is there (util-linux); otherwise where the OS puts them.
const haveTaskset = !spawnSync('taskset', ['-V']).error;
if (haveTaskset && spawnSync('taskset', ['-c', String(args.cpu), 'true']).status !== 0) {
  console.error(`paired.mjs: cannot pin to CPU ${args.cpu} (--cpu / BENCH_CPU)`);
  process.exit(2);
}
const pinned = haveTaskset;
const pin = (argv) => (pinned ? ['taskset', '-c', String(args.cpu), ...argv] : argv);

let hotpathBin = args.hotpath;
if (hotpathBin) {
  try {
    accessSync(hotpathBin, constants.X_OK);
  } catch {
    console.error(`paired.mjs: ${hotpathBin} not built; the report marks the hotpath side missing`);
    hotpathBin = null;
  }
}

const loadAvgStart = os.loadavg();
const date = new Date().toISOString();
const ajv = new Server('ajv', pin([process.execPath, join(HERE, 'ajv.mjs'), '--serve', '--data', args.data,
  '--suite', args.suite, '--min-time', String(args.minTime)]));
const hotpath = hotpathBin
  ? new Server('hotpath', pin([hotpathBin, '--serve', `--data_dir=${args.data}`, `--suite_dir=${args.suite}`,
    `--benchmark_min_time=${args.minTime}`, '--benchmark_min_warmup_time=0.01']))
  : null;

const ajvInfo = await ajv.read();
if (!ajvInfo) {
  console.error(`paired.mjs: the ajv side did not start (${ajv.dead})`);
  process.exit(1);
}
const hotpathInfo = hotpath ? await hotpath.read() : null;
if (hotpath && !hotpathInfo) {
  console.error(`paired.mjs: the hotpath side did not start (${hotpath.dead}); the report marks it missing`);
}

const names = [...new Set([...ajvInfo.scenarios, ...(hotpathInfo?.scenarios ?? [])])]
  .filter((n) => !args.filter || args.filter.test(n));
console.log(`paired: ${names.length} scenarios x ${args.rounds} rounds x ${args.minTime} s batches, ` +
            (pinned ? `both sides on CPU ${args.cpu}` : 'unpinned (no taskset)'));

const hpBatches = []; // Google Benchmark "iteration" runs, round by round
const ajvResults = [];
// Rounds outside, scenarios inside: a scenario's rounds are spread over the whole run, so a
// stretch of slow CPU (which can last seconds) takes some of its rounds, not all of them.
const state = new Map(names.map((name) => [name, {
  sides: { hotpath: hotpathInfo?.scenarios.includes(name) ? hotpath : null,
           ajv: ajvInfo.scenarios.includes(name) ? ajv : null },
  got: { hotpath: [], ajv: [] },
  errors: {},
}]));
for (let round = 0; round < args.rounds; round++) {
  const order = round % 2 === 0 ? ['hotpath', 'ajv'] : ['ajv', 'hotpath'];
  for (const [name, { sides, got, errors }] of state) {
    for (const side of order) {
      if (!sides[side] || errors[side]) continue;
      const r = await sides[side].run(name);
      if (r.error) errors[side] = r.error;
      else got[side].push(r);
    }
  }
  process.stdout.write(`\r  round ${round + 1}/${args.rounds}`);
}
process.stdout.write('\n');

for (const [name, { sides, got, errors }] of state) {
  if (sides.hotpath) {
    if (errors.hotpath) {
      hpBatches.push({ name, run_name: name, run_type: 'iteration', error_occurred: true,
                       error_message: errors.hotpath });
    }
    for (const r of got.hotpath) {
      const { name: _n, cpu_ns, iterations, label, ...counters } = r;
      hpBatches.push({ name, run_name: name, run_type: 'iteration', iterations, cpu_time: cpu_ns,
                       time_unit: 'ns', ...counters, ...(label ? { label } : {}) });
    }
  }
  if (sides.ajv) {
    if (errors.ajv) {
      ajvResults.push({ name, error: errors.ajv });
    } else {
      const rs = got.ajv;
      ajvResults.push({ name, iterations: rs[0].iterations, cpu_ns: rs.map((r) => r.cpu_ns),
                        real_ns: rs.map((r) => r.real_ns), outcome: rs[0].outcome,
                        expected: rs[0].expected, agrees: rs.every((r) => r.agrees),
                        ...(rs[0].bytes_per_op ? { bytes_per_op: rs[0].bytes_per_op } : {}),
                        ...(rs[0].instances ? { instances: rs[0].instances } : {}) });
    }
  }
  const show = (side) => errors[side] ? 'error' : got[side].length
    ? `${Math.round(median(got[side].map((r) => r.cpu_ns))).toLocaleString('en-US')} ns` : 'missing';
  console.log(`  ${name.padEnd(52)} hotpath ${show('hotpath').padStart(14)}  ajv ${show('ajv').padStart(14)}`);
}
ajv.close();
hotpath?.close();

const pairing = { cpu: pinned ? args.cpu : null, rounds: args.rounds, min_time_s: args.minTime };
if (hotpathInfo && args.hotpathOut) {
  writeFileSync(args.hotpathOut, JSON.stringify({
    context: { date, load_avg: loadAvgStart, hotpath_compiler: hotpathInfo?.hotpath_compiler,
               hotpath_build_type: hotpathInfo?.hotpath_build_type, paired: pairing },
    benchmarks: hpBatches,
  }, null, 2) + '\n');
}
const manifestPath = join(args.data, 'manifest.json');
writeFileSync(args.ajvOut, JSON.stringify({
  ...Object.fromEntries(Object.entries(ajvInfo).filter(([k]) => k !== 'scenarios')),
  repetitions: args.rounds,
  min_time_s: args.minTime,
  paired: pairing,
  data_manifest: existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : null,
  date,
  load_avg_start: loadAvgStart,
  load_avg_end: os.loadavg(),
  results: ajvResults,
}, null, 2) + '\n');
