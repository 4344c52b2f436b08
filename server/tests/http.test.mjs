// hotpathd over real sockets: endpoints, output shapes, NDJSON order, keep-alive, pipelining,
// the worker-pool path, and byte-identity with `hotpath validate`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  cliValidate,
  examples,
  metrics,
  orderInvalidJson,
  orderJson,
  ordersNdjson,
  parseResponses,
  postJson,
  rawConnection,
  request,
  startServer,
} from './harness.mjs';

const schema = `${examples}/schemas/order.schema.json`;
const NDJSON = 'application/x-ndjson';

describe('hotpathd HTTP', () => {
  let server;
  before(async () => {
    server = await startServer(['--threads', '2', '--workers', '2']);
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test('healthz and readyz answer 200 once pipelines are compiled', async () => {
    const h = await request(server.port, { path: '/healthz' });
    assert.equal(h.status, 200);
    assert.equal(h.body, '{"status":"ok"}\n');
    const r = await request(server.port, { path: '/readyz' });
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"ready":true,"pipelines":4}\n');
  });

  test('a valid record comes back re-serialized with 200', async () => {
    const r = await postJson(server.port, '/v1/pipelines/orders', orderJson);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.body, JSON.stringify(JSON.parse(orderJson)) + '\n');
  });

  test('an invalid record gets 422 and the same unit as the CLI', async () => {
    const r = await postJson(server.port, '/v1/pipelines/orders', orderInvalidJson);
    assert.equal(r.status, 422);
    assert.equal(r.body, cliValidate(['--schema', schema, '--formats'], orderInvalidJson));
    assert.equal(JSON.parse(r.body).errors.length, 5);
  });

  test('validate endpoint answers {"valid":true} for a valid record', async () => {
    const r = await postJson(server.port, '/v1/validate/orders', orderJson);
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"valid":true}\n');
  });

  test('validate endpoint NDJSON is byte-identical to hotpath validate --ndjson', async () => {
    for (const [pipeline, flags] of [
      ['orders', ['--formats']],
      ['orders-lenient', []],
    ]) {
      const r = await postJson(server.port, `/v1/validate/${pipeline}`, ordersNdjson, NDJSON);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], NDJSON);
      const cli = cliValidate(['--schema', schema, '--ndjson', ...flags], ordersNdjson);
      assert.equal(r.body, cli);
    }
  });

  test('pipeline NDJSON keeps order: one line per input line, bad lines do not fail others', async () => {
    const lines = ordersNdjson.toString().trimEnd().split('\n');
    const r = await postJson(server.port, '/v1/pipelines/orders', ordersNdjson, NDJSON);
    assert.equal(r.status, 200);
    const out = r.body.split('\n');
    assert.equal(out.pop(), '');
    assert.equal(out.length, 20);
    const units = cliValidate(['--schema', schema, '--ndjson', '--formats'], ordersNdjson)
      .trimEnd()
      .split('\n');
    for (let i = 0; i < 20; i++) {
      if (units[i] === '{"valid":true}') {
        assert.equal(out[i], `{"valid":true,"output":${JSON.stringify(JSON.parse(lines[i]))}}`);
      } else {
        assert.equal(out[i], units[i], `line ${i + 1}`);
      }
    }
    assert.match(out[16], /invalid JSON at line 17, column \d+: /);
  });

  test('blank lines, CRLF and a last line without newline in NDJSON', async () => {
    const body = '{"a":1}\r\n\n   \n[1,\n{"b":2}';
    const r = await postJson(server.port, '/v1/validate/orders-lenient', body, NDJSON);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, cliValidate(['--schema', schema, '--ndjson'], body));
    const lines = r.body.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 5);
    assert.equal(lines[1].errors[0].error, 'invalid JSON at line 2, column 1: empty line');
    assert.equal(lines[2].errors[0].error, 'invalid JSON at line 3, column 1: empty line');
    assert.match(lines[3].errors[0].error, /^invalid JSON at line 4, column 4: /);
  });

  test('an empty NDJSON body gives an empty 200', async () => {
    const r = await postJson(server.port, '/v1/pipelines/orders', '', NDJSON);
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
  });

  test('invalid JSON gets 422 with line and column', async () => {
    const r = await postJson(server.port, '/v1/pipelines/orders', '{\n  "a": 1,\n  "b": }');
    assert.equal(r.status, 422);
    const unit = JSON.parse(r.body);
    assert.equal(unit.valid, false);
    assert.equal(unit.errors.length, 1);
    assert.match(unit.errors[0].error, /^invalid JSON at line 3, column 8: /);
    assert.equal(r.body, cliValidate(['--schema', schema], '{\n  "a": 1,\n  "b": }'));
  });

  test('unknown pipeline and unknown endpoint are 404 with a JSON error', async () => {
    const r = await postJson(server.port, '/v1/pipelines/nope', orderJson);
    assert.equal(r.status, 404);
    assert.equal(r.body, '{"error":"unknown pipeline \\"nope\\""}\n');
    const e = await request(server.port, { path: '/v2/whatever' });
    assert.equal(e.status, 404);
  });

  test('wrong method is 405 with Allow; wrong media type is 415', async () => {
    const r = await request(server.port, { path: '/v1/pipelines/orders' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, 'POST');
    const t = await postJson(server.port, '/v1/pipelines/orders', orderJson, 'text/plain');
    assert.equal(t.status, 415);
  });

  test('keep-alive and pipelining: three requests in one write, answered in order', async () => {
    const c = rawConnection(server.port);
    await c.ready;
    const req = (p, body, close = false) =>
      `POST ${p} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${close ? 'Connection: close\r\n' : ''}\r\n${body}`;
    c.socket.write(
      req('/v1/validate/orders', orderJson.toString()) +
        req('/v1/validate/orders', '[') +
        req('/v1/pipelines/orders', '{"x":1}', true),
    );
    const responses = parseResponses(await c.closed);
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 422, 422],
    );
    assert.equal(responses[0].body, '{"valid":true}\n');
    assert.match(responses[1].body, /invalid JSON at line 1, column 2/);
    assert.match(responses[2].body, /required property/);
  });

  test('metrics count requests, latencies and per-pipeline records', async () => {
    const before = await metrics(server.port);
    const key = 'hotpathd_pipeline_records_total{pipeline="orders",result="invalid"}';
    await postJson(server.port, '/v1/validate/orders', orderInvalidJson);
    const m = await metrics(server.port);
    assert.equal(m.get(key), (before.get(key) ?? 0) + 1);
    const count = 'hotpathd_http_request_duration_seconds_count{route="validate"}';
    assert.equal(m.get(count), (before.get(count) ?? 0) + 1);
    assert.equal(
      m.get('hotpathd_http_request_duration_seconds_bucket{route="validate",le="+Inf"}'),
      m.get(count),
    );
    assert.ok(m.has('hotpathd_worker_queue_depth'));
    assert.ok(m.has('hotpathd_rejects_total{reason="queue_full"}'));
  });
});

describe('hotpathd worker pool', () => {
  test('bodies above --inline-max-bytes give the same answers from the pool', async () => {
    const server = await startServer(['--inline-max-bytes', '100', '--workers', '2']);
    try {
      const inline = cliValidate(['--schema', schema, '--ndjson', '--formats'], ordersNdjson);
      const rs = await Promise.all(
        Array.from({ length: 8 }, () =>
          postJson(server.port, '/v1/validate/orders', ordersNdjson, NDJSON),
        ),
      );
      for (const r of rs) {
        assert.equal(r.status, 200);
        assert.equal(r.body, inline);
      }
      const one = await postJson(server.port, '/v1/pipelines/orders', orderJson);
      assert.equal(one.body, JSON.stringify(JSON.parse(orderJson)) + '\n');
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
