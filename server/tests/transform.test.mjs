// The transform step: pipelines with a JSONata expression (examples/pipelines/orders-summary),
// answers byte-identical to `hotpath transform`, NDJSON line by line, and records whose
// transform fails (type errors, the per-record time limit) answered as invalid while the
// server keeps serving everyone else.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  examples,
  hotpath,
  metrics,
  orderInvalidJson,
  orderJson,
  ordersNdjson,
  postJson,
  startServer,
  tempDir,
  writePipeline,
} from './harness.mjs';

const summary = path.join(examples, 'pipelines/orders-summary/summary.jsonata');
const NDJSON = 'application/x-ndjson';

function cliTransform(args, input) {
  return spawnSync(hotpath, ['transform', ...args], { input, maxBuffer: 1 << 30 });
}

describe('hotpathd transform step', () => {
  let server;
  let dir;
  before(async () => {
    dir = tempDir();
    writePipeline(dir, 'symbol', { transform: 't.jsonata' }, { 't.jsonata': 'instrument.symbol' });
    writePipeline(dir, 'maybe', { transform: 't.jsonata' }, { 't.jsonata': 'missing.field' });
    writePipeline(dir, 'typed', { transform: 't.jsonata' }, { 't.jsonata': 'quantity & "" + 1' });
    writePipeline(dir, 'runaway', { transform: 't.jsonata', 'transform-timeout-ms': 50 },
      { 't.jsonata': '($f := function($n) { $f($n + 1) }; $f(0))' });
    fs.cpSync(path.join(examples, 'pipelines/orders-summary'), path.join(dir, 'orders-summary'), { recursive: true });
    const def = JSON.parse(fs.readFileSync(path.join(dir, 'orders-summary/pipeline.json')));
    def.schema = path.join(examples, 'schemas/order.schema.json');
    fs.writeFileSync(path.join(dir, 'orders-summary/pipeline.json'), JSON.stringify(def));
    server = await startServer(['--threads', '2'], { pipelines: dir });
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
    fs.rmSync(dir, { recursive: true });
  });

  test('one record: the transform result, byte-identical to hotpath transform', async () => {
    const r = await postJson(server.port, '/v1/pipelines/orders-summary', orderJson);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    const cli = cliTransform(['--expr-file', summary], orderJson);
    assert.equal(cli.status, 0, cli.stderr.toString());
    assert.equal(r.body, cli.stdout.toString());
    assert.equal(JSON.parse(r.body).cash, -258532.53);
    // The validate endpoint still answers only the validate step.
    assert.equal((await postJson(server.port, '/v1/validate/orders-summary', orderJson)).body, '{"valid":true}\n');
  });

  test('an invalid record is refused by the validate step before any transform', async () => {
    const r = await postJson(server.port, '/v1/pipelines/orders-summary', orderInvalidJson);
    assert.equal(r.status, 422);
    assert.match(r.body, /^\{"valid":false,"errors":\[\{"keywordLocation":"\/required"/);
  });

  test('NDJSON: one line per record, outputs wrapped, failures as error units', async () => {
    const r = await postJson(server.port, '/v1/pipelines/orders-summary', ordersNdjson, NDJSON);
    assert.equal(r.status, 200);
    const out = r.body.trimEnd().split('\n');
    const lines = ordersNdjson.toString().trimEnd().split('\n');
    assert.equal(out.length, lines.length);
    const validity = spawnSync(hotpath, ['validate', '--schema', path.join(examples, 'schemas/order.schema.json'),
      '--formats', '--ndjson', '--output', 'flag'], { input: ordersNdjson }).stdout.toString().trimEnd().split('\n');
    const transformed = cliTransform(['--expr-file', summary, '--ndjson'], ordersNdjson).stdout.toString().split('\n');
    let outputs = 0;
    out.forEach((line, i) => {
      if (validity[i] === '{"valid":true}') {
        assert.equal(line, `{"valid":true,"output":${transformed[i]}}`, `line ${i + 1}`);
        outputs++;
      } else {
        assert.match(line, /^\{"valid":false,"errors":\[/, `line ${i + 1}`);
      }
    });
    assert.ok(outputs > 0);
  });

  test('an undefined result: 204 for one record, {"valid":true} in NDJSON', async () => {
    const one = await postJson(server.port, '/v1/pipelines/maybe', orderJson);
    assert.equal(one.status, 204);
    assert.equal(one.body, '');
    const many = await postJson(server.port, '/v1/pipelines/maybe', '{"a":1}\n{"missing":{"field":[1,"x"]}}\n', NDJSON);
    assert.equal(many.body, '{"valid":true}\n{"valid":true,"output":[1,"x"]}\n');
  });

  test('a transform error fails that record with its code and position', async () => {
    const r = await postJson(server.port, '/v1/pipelines/typed', orderJson);
    assert.equal(r.status, 422);
    const unit = JSON.parse(r.body);
    assert.equal(unit.valid, false);
    assert.match(unit.errors[0].error, /^transform failed: T2001 at position \d+: /);
    const many = await postJson(server.port, '/v1/pipelines/typed', '{"quantity":1}\n{"quantity":"x"}\n', NDJSON);
    const lines = many.body.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /transform failed: T2001/);
  });

  test('a runaway transform hits its time limit; the server keeps serving', async () => {
    const [slow, fast] = await Promise.all([
      postJson(server.port, '/v1/pipelines/runaway', '{}'),
      postJson(server.port, '/v1/pipelines/symbol', orderJson),
    ]);
    assert.equal(slow.status, 422);
    assert.match(JSON.parse(slow.body).errors[0].error, /^transform failed: U1001 at position \d+: /);
    assert.equal(fast.status, 200);
    assert.equal(fast.body, '"AAPL"\n');
    const m = await metrics(server.port);
    assert.ok(m.get('hotpathd_pipeline_records_total{pipeline="runaway",result="invalid"}') >= 1);
  });
});
