// Hostile and broken input: oversized bodies and headers, malformed HTTP, slow clients,
// clients vanishing mid-request, broken configuration. The server answers cleanly (or closes
// the connection) and keeps serving.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  examples,
  metrics,
  orderJson,
  parseResponses,
  postJson,
  rawConnection,
  request,
  runServerSync,
  startServer,
  tempDir,
  waitForMetrics,
  writePipeline,
} from './harness.mjs';

describe('hotpathd limits and bad clients', () => {
  let server;
  before(async () => {
    server = await startServer([
      '--max-body-bytes', '4K',
      '--max-header-bytes', '1K',
      '--read-timeout-ms', '300',
      '--threads', '1',
    ]);
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  test('a body over --max-body-bytes gets 413, and the server keeps serving', async () => {
    const r = await postJson(server.port, '/v1/pipelines/orders', 'x'.repeat(5000));
    assert.equal(r.status, 413);
    assert.equal(r.body, '{"error":"request body larger than --max-body-bytes 4096"}\n');
    assert.equal((await postJson(server.port, '/v1/validate/orders', orderJson)).status, 200);
  });

  test('a chunked body growing over the limit gets 413', async () => {
    const c = rawConnection(server.port);
    await c.ready;
    const chunk = 'y'.repeat(3000);
    c.socket.write(
      'POST /v1/pipelines/orders HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' +
        `${chunk.length.toString(16)}\r\n${chunk}\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    const [res] = parseResponses(await c.closed);
    assert.equal(res.status, 413);
  });

  test('headers over --max-header-bytes get 431', async () => {
    const r = await request(server.port, {
      path: '/healthz',
      headers: { 'x-padding': 'p'.repeat(2000) },
    });
    assert.equal(r.status, 431);
    assert.equal(r.body, '{"error":"request header larger than --max-header-bytes 1024"}\n');
  });

  test('malformed HTTP gets 400 and the connection is closed', async () => {
    for (const garbage of [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'POST /v1/validate/orders HTTP/1.1\r\nContent-Length: abc\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nBad Header Without Colon\r\n\r\n',
    ]) {
      const c = rawConnection(server.port);
      await c.ready;
      c.socket.write(garbage);
      const [res] = parseResponses(await c.closed);
      assert.equal(res.status, 400, JSON.stringify(garbage));
      assert.match(res.body, /^\{"error":"malformed HTTP request: /);
    }
    const m = await metrics(server.port);
    assert.ok(m.get('hotpathd_rejects_total{reason="bad_request"}') >= 4);
  });

  test('a slowloris client is cut off by --read-timeout-ms while others are served', async () => {
    const slow = rawConnection(server.port);
    await slow.ready;
    slow.socket.write('POST /v1/validate/orders HTTP/1.1\r\nHost: x\r\n');
    let stop = false;
    const trickle = (async () => {
      // One header byte at a time, well under the timeout each, never finishing the request.
      while (!stop && !slow.socket.destroyed) {
        slow.socket.write('X');
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    // While it trickles, normal requests go through on the same single I/O thread.
    for (let i = 0; i < 5; i++) {
      assert.equal((await postJson(server.port, '/v1/validate/orders', orderJson)).status, 200);
    }
    const received = await slow.closed;  // the server closed it
    stop = true;
    await trickle;
    assert.equal(received, '');  // no response: the request never completed
    const m = await metrics(server.port);
    assert.ok(m.get('hotpathd_rejects_total{reason="timeout"}') >= 1);
  });

  test('a client disconnecting mid-body loses nothing else; the server keeps serving', async () => {
    const before = await metrics(server.port);
    for (let i = 0; i < 10; i++) {
      const c = rawConnection(server.port);
      await c.ready;
      c.socket.write(
        'POST /v1/pipelines/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Content-Length: 3000\r\n\r\n{"orderId":',
      );
      c.socket.destroy();
    }
    // All ten connections closed on the server side; none was answered.
    await waitForMetrics(
      server.port,
      (m) => m.get('hotpathd_connections_open') === 1,  // just this /metrics request
    );
    const m = await metrics(server.port);
    const answered = (k) => m.get(k) ?? 0;
    assert.equal(
      answered('hotpathd_http_requests_total{route="pipelines",code="200"}'),
      before.get('hotpathd_http_requests_total{route="pipelines",code="200"}') ?? 0,
    );
    assert.equal((await postJson(server.port, '/v1/pipelines/orders', orderJson)).status, 200);
  });
});

describe('hotpathd configuration', () => {
  test('an empty rule file, or a transform that does not compile, refuses to load', () => {
    const dir = tempDir();
    writePipeline(dir, 'shape', { schema: 's.json', rules: 'r.js' }, { 's.json': '{}', 'r.js': '' });
    let r = runServerSync(['--pipelines', dir, '--listen', '127.0.0.1:0']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^hotpathd: pipeline "shape": rules r\.js: exports neither check\(record, ctx\) nor transform\(record, ctx\)/);
    fs.rmSync(dir, { recursive: true });

    const bad = tempDir();
    writePipeline(bad, 'broken', { transform: 't.jsonata' }, { 't.jsonata': 'items[price > ]' });
    r = runServerSync(['--pipelines', bad, '--listen', '127.0.0.1:0']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^hotpathd: pipeline "broken": transform t\.jsonata: S0\d{3} at position \d+: /);
    writePipeline(bad, 'broken', { transform: 'missing.jsonata' }, {});
    r = runServerSync(['--pipelines', bad, '--listen', '127.0.0.1:0']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^hotpathd: pipeline "broken": transform: cannot read .*missing\.jsonata/);
    fs.rmSync(bad, { recursive: true });
  });

  test('unknown keys, broken schemas and missing directories are startup errors', () => {
    const dir = tempDir();
    writePipeline(dir, 'typo', { schmea: 's.json' });
    let r = runServerSync(['--pipelines', dir, '--listen', '127.0.0.1:0']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /pipeline "typo": unknown key "schmea"/);
    fs.rmSync(path.join(dir, 'typo'), { recursive: true });
    writePipeline(dir, 'broken', { schema: path.join(examples, 'schemas/broken.schema.json') });
    r = runServerSync(['--pipelines', dir, '--listen', '127.0.0.1:0']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /pipeline "broken": schema error: /);
    r = runServerSync(['--pipelines', path.join(dir, 'missing')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /pipelines directory .* not found/);
    r = runServerSync(['--pipelines', dir, '--max-body-bytes', 'lots']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--max-body-bytes expects a size/);
    fs.rmSync(dir, { recursive: true });
  });

  test('--config FILE sets options; command-line flags win', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'hotpathd.json');
    fs.writeFileSync(config, JSON.stringify({ 'max-body-bytes': 512, 'max-header-bytes': '300' }));
    const server = await startServer(['--config', config, '--max-header-bytes', '8K']);
    try {
      const big = await postJson(server.port, '/v1/validate/orders', orderJson);  // 970 bytes
      assert.equal(big.status, 413);
      const hdr = await request(server.port, {
        path: '/healthz',
        headers: { 'x-padding': 'p'.repeat(1000) },
      });
      assert.equal(hdr.status, 200);
    } finally {
      assert.equal(await server.stop(), 0);
      fs.rmSync(dir, { recursive: true });
    }
  });
});
