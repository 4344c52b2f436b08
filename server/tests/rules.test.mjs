// The rules step: JS rule files run in hotpathd's embedded V8. Verdicts and transforms over
// HTTP (one record and NDJSON), thrown errors with file:line:column, hostile rules (endless
// loops, unbounded allocation and recursion, catastrophic regexes, host access, mutated
// globals) answered as failed records while every other request is answered correctly, rules
// refused at startup, and hot reload of a rule file under load.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  examples,
  root,
  metrics,
  orderJson,
  postJson,
  runServerSync,
  startServer,
  tempDir,
  waitForMetrics,
  writePipeline,
} from './harness.mjs';

const NDJSON = 'application/x-ndjson';
const errorUnit = (...messages) =>
  JSON.stringify({
    valid: false,
    errors: messages.map((error) => ({ keywordLocation: '', absoluteKeywordLocation: '', instanceLocation: '', error })),
  }) + '\n';

const scoring = `// payment scoring
const FX = { EUR: 1, USD: 0.92, GBP: 1.17 };
export function check(p, ctx) {
  const reasons = [];
  if (!(p.amount > 0)) reasons.push('amount must be positive');
  if (!(p.currency in FX)) reasons.push(\`unknown currency \${p.currency}\`);
  return reasons;
}
export function transform(p, ctx) {
  ctx.log('scored', p.id);
  const eur = Math.round(p.amount * FX[p.currency] * 100) / 100;
  return { id: p.id, eur, fee: Math.round(eur * 0.029 * 100) / 100, flags: eur > 10000 ? ['large'] : [] };
}
`;

const hostile = `
let calls = 0;
export function transform(r) {
  calls++;
  switch (r.kind) {
    case 'loop': for (;;) {} break;
    case 'alloc': { const keep = []; for (;;) keep.push(new Array(4096).fill(keep.length)); }
    case 'recurse': { const f = (n) => f(n + 1) + 1; return f(0); }
    case 'regex': return /^(a|a)*$/.test('a'.repeat(64) + 'b');
    case 'require': return require('fs').readFileSync('/etc/passwd', 'utf8');
    case 'process': return process.env;
    case 'fetch': return fetch('http://127.0.0.1:1/');
    case 'eval': return eval('1 + 1');
    case 'global': globalThis.poisoned = true; return 'mutated';
    case 'proto': Object.prototype.polluted = true; return 'mutated';
    case 'read': return { poisoned: typeof poisoned, polluted: ({}).polluted ?? null };
    case 'throw': return r.missing.field;
    case 'bigint': return 10n;
  }
  return 'ok';
}
`;

// "LINE:COLUMN" (1-based) of the first `snippet` in `source`: where V8 reports a throw.
function at(source, snippet) {
  const i = source.indexOf(snippet);
  assert.ok(i >= 0, snippet);
  const before = source.slice(0, i).split('\n');
  return `${before.length}:${before.at(-1).length + 1}`;
}

describe('hotpathd rules step', () => {
  let server;
  let dir;
  before(async () => {
    dir = tempDir();
    writePipeline(dir, 'payments', { rules: 'scoring.js' }, { 'scoring.js': scoring });
    writePipeline(dir, 'hostile', { rules: 'hostile.js', 'rules-timeout-ms': 100 }, { 'hostile.js': hostile });
    writePipeline(dir, 'orders', { schema: path.join(examples, 'schemas/order.schema.json'), formats: true });
    writePipeline(dir, 'summary-then-rule',
      { transform: 'pick.jsonata', rules: 'tag.js' },
      { 'pick.jsonata': '{"id": id, "n": $count(lines)}', 'tag.js': 'export const transform = (r, ctx) => r.n > 1 ? { ...r, tag: ctx.pipeline } : undefined;' });
    server = await startServer(['--threads', '2', '--workers', '2', '--rules-heap', '64M', '--log-level', 'info'],
      { pipelines: dir });
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
    fs.rmSync(dir, { recursive: true });
  });

  test('one record: the transform result, or 422 with the check reasons', async () => {
    let r = await postJson(server.port, '/v1/pipelines/payments', '{"id":"p1","amount":20000,"currency":"USD"}');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"id":"p1","eur":18400,"fee":533.6,"flags":["large"]}\n');
    r = await postJson(server.port, '/v1/pipelines/payments', '{"id":"p2","amount":-5,"currency":"XYZ"}');
    assert.equal(r.status, 422);
    assert.equal(r.body, errorUnit('amount must be positive', 'unknown currency XYZ'));
    // ctx.log lines reach the structured log with the pipeline and the rule file.
    assert.match(server.stderr(), /"msg":"rule log","pipeline":"payments","rule":"scoring.js","message":"scored p1"/);
  });

  test('NDJSON: one line per record, in order', async () => {
    const body = ['{"id":1,"amount":10,"currency":"EUR"}', '{"id":2,"amount":0,"currency":"EUR"}', 'not json',
      '{"id":3,"amount":1,"currency":"GBP"}'].join('\n');
    const r = await postJson(server.port, '/v1/pipelines/payments', body, NDJSON);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.split('\n').slice(0, -1), [
      '{"valid":true,"output":{"id":1,"eur":10,"fee":0.29,"flags":[]}}',
      errorUnit('amount must be positive').trimEnd(),
      JSON.parse(r.body.split('\n')[2]).errors ? r.body.split('\n')[2] : 'an invalid-JSON unit',
      '{"valid":true,"output":{"id":3,"eur":1.17,"fee":0.03,"flags":[]}}',
    ]);
    assert.match(r.body.split('\n')[2], /invalid JSON at line 3, column 1/);
  });

  test('the rules step runs on the JSONata transform output; undefined is 204', async () => {
    let r = await postJson(server.port, '/v1/pipelines/summary-then-rule', '{"id":"o1","lines":[1,2,3]}');
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"id":"o1","n":3,"tag":"summary-then-rule"}\n');
    r = await postJson(server.port, '/v1/pipelines/summary-then-rule', '{"id":"o2","lines":[1]}');
    assert.equal(r.status, 204);
  });

  test('a thrown error names the rule file, line and column', async () => {
    const r = await postJson(server.port, '/v1/pipelines/hostile', '{"kind":"throw"}');
    assert.equal(r.status, 422);
    assert.equal(r.body, errorUnit(`rules failed: hostile.js:${at(hostile, 'field;')}: TypeError: Cannot read properties of undefined (reading 'field')`));
    const big = await postJson(server.port, '/v1/pipelines/hostile', '{"kind":"bigint"}');
    assert.equal(big.body, errorUnit("rules failed: hostile.js: transform's result is not JSON: TypeError: Do not know how to serialize a BigInt"));
  });

  test('hostile rules fail their record; everyone else is answered correctly meanwhile', async () => {
    const expected = {
      loop: errorUnit('rules failed: hostile.js: timed out in transform after 100 ms'),
      alloc: /rules failed: hostile.js: (ran out of memory in transform: the heap limit is 64 MiB|timed out in transform after 100 ms)/,
      recurse: /rules failed: hostile.js:\d+:\d+: RangeError: Maximum call stack size exceeded/,
      regex: errorUnit('rules failed: hostile.js: timed out in transform after 100 ms'),
      require: errorUnit(`rules failed: hostile.js:${at(hostile, 'return require')}: ReferenceError: require is not defined`),
      process: errorUnit(`rules failed: hostile.js:${at(hostile, 'return process')}: ReferenceError: process is not defined`),
      fetch: errorUnit(`rules failed: hostile.js:${at(hostile, 'return fetch')}: ReferenceError: fetch is not defined`),
      eval: errorUnit(`rules failed: hostile.js:${at(hostile, 'return eval')}: EvalError: Code generation from strings disallowed for this context`),
      global: errorUnit(`rules failed: hostile.js:${at(hostile, '= true; return')}: TypeError: Cannot add property poisoned, object is not extensible`),
      proto: errorUnit(`rules failed: hostile.js:${at(hostile, "= true; return 'mutated';\n    case 'read'")}: TypeError: Cannot add property polluted, object is not extensible`),
    };
    const before = await metrics(server.port);
    let good = 0;
    let stop = false;
    // Well-behaved traffic on two other pipelines for as long as the hostile records run.
    const background = (async () => {
      while (!stop) {
        const [a, b] = await Promise.all([
          postJson(server.port, '/v1/pipelines/payments', '{"id":"bg","amount":100,"currency":"EUR"}'),
          postJson(server.port, '/v1/validate/orders', orderJson),
        ]);
        assert.equal(a.status, 200);
        assert.equal(a.body, '{"id":"bg","eur":100,"fee":2.9,"flags":[]}\n');
        assert.equal(b.status, 200);
        assert.equal(b.body, '{"valid":true}\n');
        good += 2;
      }
    })();
    try {
      for (const [kind, want] of Object.entries(expected)) {
        const r = await postJson(server.port, '/v1/pipelines/hostile', JSON.stringify({ kind }));
        assert.equal(r.status, 422, kind);
        if (want instanceof RegExp) assert.match(r.body, want, kind);
        else assert.equal(r.body, want, kind);
      }
      // Nothing a call did is visible to the next one (globals and built-ins are frozen).
      const read = await postJson(server.port, '/v1/pipelines/hostile', '{"kind":"read"}');
      assert.equal(read.body, '{"poisoned":"undefined","polluted":null}\n');
    } finally {
      stop = true;
      await background;
    }
    assert.ok(good > 0);
    const m = await metrics(server.port);
    const delta = (k) => (m.get(k) ?? 0) - (before.get(k) ?? 0);
    assert.ok(delta('hotpathd_rules_calls_total{result="timeout"}') + delta('hotpathd_rules_calls_total{result="heap"}') >= 3);
    assert.ok(delta('hotpathd_rules_calls_total{result="thrown"}') >= 7);
    // Each timeout or heap failure disposed its isolate; the next record got a fresh one.
    await postJson(server.port, '/v1/pipelines/hostile', '{"kind":"ok"}');
    const after = await metrics(server.port);
    assert.ok(after.get('hotpathd_rules_isolates_created_total') > before.get('hotpathd_rules_isolates_created_total'));
  });
});

describe('hotpathd rules: refused at startup', () => {
  const cases = [
    ['syntax', 'export function check(r) {\n  return r +;\n}\n', /pipeline "p": rules rules.js:2:13: SyntaxError: Unexpected token ';'/],
    ['import', "import fs from 'node:fs';\nexport function check() {}\n", /pipeline "p": rules rules.js:1:16: cannot import 'node:fs': rules run without modules/],
    ['no exports', 'export const x = 1;\n', /pipeline "p": rules rules.js: exports neither check\(record, ctx\) nor transform\(record, ctx\)/],
    ['top-level loop', 'while (true) {}\nexport function check() {}\n', /pipeline "p": rules rules.js: timed out in top level after 100 ms/],
  ];
  for (const [name, source, message] of cases) {
    test(name, () => {
      const dir = tempDir();
      writePipeline(dir, 'p', { rules: 'rules.js' }, { 'rules.js': source });
      const r = runServerSync(['--pipelines', dir, '--listen', '127.0.0.1:0']);
      fs.rmSync(dir, { recursive: true });
      assert.equal(r.status, 2);
      assert.match(r.stderr, message);
    });
  }
  test('a missing rule file or a bad key', () => {
    const dir = tempDir();
    writePipeline(dir, 'p', { rules: 'missing.js' });
    let r = runServerSync(['--pipelines', dir, '--listen', '127.0.0.1:0']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /pipeline "p": rules: cannot read .*missing\.js/);
    writePipeline(dir, 'p', { rules: 'r.js', 'rules-timeout-ms': 0 }, { 'r.js': 'export const check = () => true;' });
    r = runServerSync(['--pipelines', dir, '--listen', '127.0.0.1:0']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /"rules-timeout-ms" must be an integer from 1 to 3600000/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('hotpathd rules: hot reload', () => {
  test('a new version is swapped in under load; a broken one keeps the old serving', async () => {
    const dir = tempDir();
    const version = (n) => `export function transform(r) { return { id: r.id, version: ${n} }; }\n`;
    const ruleFile = path.join(writePipeline(dir, 'live', { rules: 'rules.js' }, { 'rules.js': version(1) }), 'rules.js');
    const server = await startServer(['--threads', '2', '--watch-interval-ms', '50'], { pipelines: dir });
    const seen = new Set();
    let stop = false;
    let answered = 0;
    try {
      const clients = Array.from({ length: 4 }, async (_, c) => {
        while (!stop) {
          const body = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: c * 1000 + i })).join('\n');
          const r = await postJson(server.port, '/v1/pipelines/live', body, NDJSON);
          assert.equal(r.status, 200);
          for (const [i, line] of r.body.trimEnd().split('\n').entries()) {
            const unit = JSON.parse(line);
            assert.equal(unit.valid, true, line);  // never an error, whatever version ran
            assert.equal(unit.output.id, c * 1000 + i);
            seen.add(unit.output.version);
          }
          answered++;
        }
      });
      const waitFor = async (n) => {
        while (!seen.has(n)) await new Promise((r) => setTimeout(r, 10));
      };
      await waitFor(1);
      for (const n of [2, 3]) {
        fs.writeFileSync(ruleFile, version(n));
        await waitFor(n);
      }
      // A broken version: the load fails, version 3 keeps serving, the error is counted.
      const before = await metrics(server.port);
      const broken = 'export function transform(r) { return r. }\n';
      fs.writeFileSync(ruleFile, broken);
      await waitForMetrics(server.port, (m) =>
        m.get('hotpathd_pipeline_reload_errors_total') > before.get('hotpathd_pipeline_reload_errors_total'));
      seen.clear();
      const mark = answered;
      while (answered < mark + 4) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual([...seen], [3]);
      fs.writeFileSync(ruleFile, version(4));
      await waitFor(4);
      stop = true;
      await Promise.all(clients);
      assert.ok(server.stderr().includes(`"pipeline reload failed; the current set keeps serving"`));
      assert.ok(server.stderr().includes(`rules rules.js:${at(broken, '}')}: SyntaxError: Unexpected token '}'`));
    } finally {
      stop = true;
      assert.equal(await server.stop(), 0);
      fs.rmSync(dir, { recursive: true });
    }
  });
});

// tests/vectors: the rule files every host runs; hotpathd must write expected/rules.json's lines.
describe('hotpathd rules: the shared vectors', () => {
  const vectors = JSON.parse(fs.readFileSync(path.join(root, 'tests/vectors/vectors.json'), 'utf8'));
  const expected = JSON.parse(fs.readFileSync(path.join(root, 'tests/vectors/expected/rules.json'), 'utf8'));
  for (const c of vectors.rules) {
    test(c.name, async () => {
      const dir = tempDir();
      const file = path.basename(c.file);
      writePipeline(dir, c.pipeline, { rules: file }, { [file]: fs.readFileSync(path.join(root, c.file)) });
      const server = await startServer(['--watch-interval-ms', '0'], { pipelines: dir });
      try {
        const input = fs.readFileSync(path.join(root, c.input));
        const r = await postJson(server.port, `/v1/pipelines/${c.pipeline}`, input, NDJSON);
        assert.equal(r.status, 200);
        assert.deepEqual(r.body.trimEnd().split('\n'), expected[c.name]);
      } finally {
        assert.equal(await server.stop(), 0);
        fs.rmSync(dir, { recursive: true });
      }
    });
  }
});
