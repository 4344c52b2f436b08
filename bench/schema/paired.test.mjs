// End to end: paired.mjs drives both batch servers (hotpath_bench_schema --serve, ajv.mjs --serve)
// and report.mjs turns their batches into the paired table. Quick settings; nothing is timed.
//
//   node --test bench/schema/paired.test.mjs   (ctest runs it with HOTPATH_BENCH_BIN and
//                                               HOTPATH_BENCH_DATA set; label `bench`)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const BIN = process.env.HOTPATH_BENCH_BIN ?? join(ROOT, 'build/bin/hotpath_bench_schema');
const DATA = process.env.HOTPATH_BENCH_DATA ?? join(ROOT, 'build/bench/data');
const SUITE = process.env.HOTPATH_SUITE_DIR ?? join(ROOT, '../shared/conformance/json-schema-test-suite');
const SCENARIOS = ['parse/order', 'validate/order/formats_off', 'suite/pattern/validation'];

// A hung server must fail the test, not stall ctest.
const kTimeout = { timeout: 240_000 };

test('the batch servers answer one line per request, naming what ran, errors included', () => {
  // `parse/order` is a prefix of `parse/orders_2mb`: the answer must be the 712-byte order's.
  const input = 'parse/order\nno/such/scenario\n';
  for (const argv of [[BIN, '--serve', `--data_dir=${DATA}`, `--suite_dir=${SUITE}`,
                       '--benchmark_min_time=0.001', '--benchmark_min_warmup_time=0'],
                      [process.execPath, join(HERE, 'ajv.mjs'), '--serve', '--data', DATA,
                       '--suite', SUITE, '--min-time', '0.001']]) {
    const r = spawnSync(argv[0], argv.slice(1), { input, encoding: 'utf8', ...kTimeout });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 3, r.stdout);
    assert.ok(lines[0].scenarios.includes('parse/order'));
    assert.ok(lines[0].scenarios.includes('parse/orders_2mb'));
    assert.equal(lines[1].name, 'parse/order');
    assert.equal(lines[1].bytes_per_op, 712, JSON.stringify(lines[1]));
    assert.ok(lines[1].cpu_ns > 0 && lines[1].iterations > 0, JSON.stringify(lines[1]));
    // ns: parsing 712 bytes takes well under a millisecond and more than a nanosecond per byte / 100
    assert.ok(lines[1].cpu_ns > 7 && lines[1].cpu_ns < 1e6, JSON.stringify(lines[1]));
    assert.ok(lines[1].agrees === 1 || lines[1].agrees === true);
    assert.deepEqual(lines[2], { name: 'no/such/scenario', error: 'no such scenario' });
  }
});

test('a paired run writes one batch per round and side, and the report shows paired ratios', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-paired-'));
  try {
    const hp = join(dir, 'hp.json'), aj = join(dir, 'ajv.json'), md = join(dir, 'schema.md');
    const rounds = 3;
    execFileSync(process.execPath, [join(HERE, 'paired.mjs'), '--data', DATA, '--suite', SUITE,
      '--hotpath', BIN, '--hotpath-out', hp, '--ajv-out', aj, '--rounds', String(rounds),
      '--min-time', '0.002', '--filter', `^(${SCENARIOS.join('|')})$`], { stdio: 'pipe', ...kTimeout });

    const hpDoc = JSON.parse(readFileSync(hp, 'utf8'));
    const ajDoc = JSON.parse(readFileSync(aj, 'utf8'));
    assert.equal(ajDoc.paired.rounds, rounds);
    for (const name of SCENARIOS) {
      const batches = hpDoc.benchmarks.filter((b) => b.name === name);
      assert.equal(batches.length, rounds, name);
      assert.ok(batches.every((b) => b.cpu_time > 0 && b.agrees === 1), name);
      const a = ajDoc.results.find((r) => r.name === name);
      assert.equal(a.cpu_ns.length, rounds, name);
      assert.ok(a.cpu_ns.every((x) => x > 0) && a.agrees, name);
    }
    assert.equal(hpDoc.benchmarks.length, SCENARIOS.length * rounds, 'the filter ran nothing else');

    execFileSync(process.execPath, [join(ROOT, 'bench/report.mjs'), '--hotpath', hp, '--ajv', aj,
      '--out', md], { stdio: 'pipe', ...kTimeout });
    const report = readFileSync(md, 'utf8');
    assert.match(report, /batch by batch on one CPU/);
    for (const name of SCENARIOS) {
      // scenario | hotpath ns | ajv ns | **ratio** <sub>±spread</sub> | uncontended <sub>±spread</sub>
      const row = report.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      assert.ok(row, `${name} row`);
      assert.match(row, /\| \*\*[\d.]+x\*\* <sub>±[\d.]+%<\/sub> \| [\d.]+x <sub>±[\d.]+%<\/sub> \|/, row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// report.mjs on batches made up so that every number is known.
test('the report gives the all-rounds ratio, the least contended third beside it, and says which met', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hotpath-report-'));
  try {
    const name = 'parse_validate/order/formats_on';  // target >= 5x
    // Rounds 0-2 at full speed (ratio 5.5); rounds 3-5 with hotpath at half speed, ajv less slowed
    // (ratio 4). All rounds: median 4.75, short of 5x; least contended third: rounds 0-2, 5.5x.
    const hpTimes = [100, 100, 100, 200, 200, 200];
    const ajvTimes = [550, 550, 550, 800, 800, 800];
    const paired = { cpu: 1, rounds: 6, min_time_s: 0.03 };
    const hp = join(dir, 'hp.json'), aj = join(dir, 'ajv.json'), md = join(dir, 'schema.md');
    writeFileSync(hp, JSON.stringify({
      context: { date: 'd', load_avg: [0, 0, 0], hotpath_compiler: 'c', hotpath_build_type: 'b', paired },
      benchmarks: hpTimes.map((t) => ({ name, run_name: name, run_type: 'iteration', cpu_time: t,
                                        time_unit: 'ns', iterations: 10, agrees: 1, bytes_per_op: 712 })),
    }));
    writeFileSync(aj, JSON.stringify({
      tool: 'ajv', paired, repetitions: 6, min_time_s: 0.03, date: 'd', load_avg_start: [0, 0, 0],
      load_avg_end: [0, 0, 0],
      results: [{ name, iterations: 10, cpu_ns: ajvTimes, outcome: true, expected: true, agrees: true,
                  bytes_per_op: 712 }],
    }));
    const report = (hpPath) => {
      execFileSync(process.execPath, [join(ROOT, 'bench/report.mjs'), '--hotpath', hpPath, '--ajv', aj,
        '--out', md], { stdio: 'pipe', ...kTimeout });
      return readFileSync(md, 'utf8');
    };
    const text = report(hp);
    assert.ok(text.includes(`| \`${name}\` | 4.75x | 5.50x | ✗ (✓ uncontended only) |`), text);
    const row = text.split('\n').find((l) => l.startsWith(`| \`${name}\` | 150 `));
    assert.ok(row, text);
    assert.match(row, /\| \*\*4\.75x\*\* <sub>±\d+%<\/sub> \| 5\.50x <sub>±0\.0%<\/sub> \|/);

    // No hotpath results: the report says so and shows no ratio.
    const missing = report(join(dir, 'absent.json'));
    assert.match(missing, /hotpath side missing/);
    assert.ok(missing.includes(`| \`${name}\` | n/a | n/a | n/a (side missing) |`), missing);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
