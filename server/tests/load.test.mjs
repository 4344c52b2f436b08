// Overload and shutdown: a burst far above capacity is rejected cleanly (503/429 with
// Retry-After) and the server recovers; SIGTERM answers every accepted request and exits 0.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { describe, test } from 'node:test';

import {
  examples,
  cliValidate,
  metrics,
  orderJson,
  ordersNdjson,
  parseResponses,
  postJson,
  rawConnection,
  request,
  startServer,
  waitForMetrics,
} from './harness.mjs';

const NDJSON = 'application/x-ndjson';
const schema = `${examples}/schemas/order.schema.json`;

function rawRequest(path, body, type = 'application/json') {
  return (
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nConnection: close\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

// Opens a connection, sends one request, resolves with the parsed response or the socket error.
function oneShot(port, payload) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (d) => (data += d));
    socket.on('error', (e) => resolve({ error: e.code }));
    socket.on('close', () => resolve(parseResponses(data)[0] ?? { error: 'no response' }));
  });
}

// The burst opens this many sockets at once; both this process and hotpathd raise their soft
// descriptor limit to the hard one, so stay under the hard limit where it is low.
const hardFdLimit = Number(spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim()) || 4096;
const BURST = Math.max(200, Math.min(2000, hardFdLimit - 256));

describe('hotpathd under overload', () => {
  test(`${BURST} concurrent connections over --max-connections 20: clean 503s, then recovery`, async () => {
    const server = await startServer(['--max-connections', '20', '--threads', '2']);
    try {
      const payload = rawRequest('/v1/validate/orders', orderJson.toString());
      const results = await Promise.all(
        Array.from({ length: BURST }, () => oneShot(server.port, payload)),
      );
      const by = {};
      for (const r of results) {
        const k = r.error ?? r.status;
        by[k] = (by[k] ?? 0) + 1;
        if (r.status === 503) {
          assert.equal(r.headers['retry-after'], '1');
          assert.match(r.body, /too many connections/);
        }
        if (r.status === 200) assert.equal(r.body, '{"valid":true}\n');
      }
      // Every connection got an answer: served or told to retry; none was dropped.
      assert.deepEqual(Object.keys(by).sort(), Object.keys(by).filter((k) => k === '200' || k === '503').sort());
      console.log(`burst: ${JSON.stringify(by)}`);
      assert.ok(by[200] > 0, JSON.stringify(by));
      assert.ok(by[503] > 0, JSON.stringify(by));
      // Recovers: once the burst is over, everything is served again.
      await waitForMetrics(server.port, (m) => m.get('hotpathd_connections_open') === 1);
      for (let i = 0; i < 20; i++) {
        assert.equal((await postJson(server.port, '/v1/validate/orders', orderJson)).status, 200);
      }
      const m = await metrics(server.port);
      assert.equal(m.get('hotpathd_rejects_total{reason="connections"}'), by[503]);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  test('a full worker queue answers 429 + Retry-After, and accepted jobs all complete', async () => {
    const server = await startServer([
      '--workers', '1',
      '--queue-depth', '1',
      '--inline-max-bytes', '0',
      '--retry-after-s', '2',
    ]);
    try {
      // Big NDJSON bodies keep the single worker busy while more arrive.
      const big = Buffer.concat(Array.from({ length: 300 }, () => ordersNdjson));
      const expected = cliValidate(['--schema', schema, '--ndjson', '--formats'], big);
      const payload = rawRequest('/v1/validate/orders', big.toString(), NDJSON);
      const results = await Promise.all(Array.from({ length: 12 }, () => oneShot(server.port, payload)));
      let rejected = 0;
      for (const r of results) {
        assert.ok(r.status === 200 || r.status === 429, JSON.stringify(r.error ?? r.status));
        if (r.status === 429) {
          rejected++;
          assert.equal(r.headers['retry-after'], '2');
        } else {
          assert.equal(r.body, expected);
        }
      }
      console.log(`queue: ${rejected} of 12 rejected`);
      assert.ok(rejected > 0);
      const m = await metrics(server.port);
      assert.equal(m.get('hotpathd_rejects_total{reason="queue_full"}'), rejected);
      assert.equal(m.get('hotpathd_worker_queue_capacity'), 1);
      assert.equal((await postJson(server.port, '/v1/validate/orders', big, NDJSON)).body, expected);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});

describe('hotpathd drain', () => {
  test('SIGTERM with requests in flight: every accepted request is answered, exit 0', async () => {
    const server = await startServer([
      '--workers', '1',
      '--inline-max-bytes', '0',
      '--queue-depth', '64',
    ]);
    const big = Buffer.concat(Array.from({ length: 100 }, () => ordersNdjson));
    const expected = cliValidate(['--schema', schema, '--ndjson'], big);
    const payload = rawRequest('/v1/validate/orders-lenient', big.toString(), NDJSON);
    const n = 10;
    const pending = Array.from({ length: n }, () => oneShot(server.port, payload));
    // Wait until the server has accepted all n connections (each /metrics poll is one more) and
    // queued work for one of them, then ask it to stop. Both counters only grow, so the moment
    // cannot be missed.
    let polls = 0;
    await waitForMetrics(server.port, (m) => {
      polls++;
      return (
        m.get('hotpathd_connections_accepted_total') - polls >= n &&
        m.get('hotpathd_worker_jobs_total') >= 1
      );
    });
    server.child.kill('SIGTERM');
    const results = await Promise.all(pending);
    for (const r of results) {
      assert.equal(r.status, 200, JSON.stringify(r.error));
      assert.equal(r.body, expected);
      assert.equal(r.headers.connection, 'close');
    }
    assert.equal((await server.exited).code, 0);
  });

  test('idle keep-alive connections do not hold up the drain', async () => {
    const server = await startServer(['--idle-timeout-ms', '600000', '--drain-timeout-ms', '600000']);
    const c = rawConnection(server.port);
    await c.ready;
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitForMetrics(server.port, (m) => m.get('hotpathd_http_requests_total{route="healthz",code="200"}') === 1);
    server.child.kill('SIGTERM');
    const [res] = parseResponses(await c.closed);  // closed by the drain, not by a timeout
    assert.equal(res.status, 200);
    assert.equal((await server.exited).code, 0);
  });

  test('a request started before SIGTERM is completed and answered', async () => {
    const server = await startServer(['--workers', '1', '--inline-max-bytes', '0']);
    const slow = rawConnection(server.port);
    await slow.ready;
    // A request that has started (headers sent) keeps the drain going until it completes.
    slow.socket.write(
      'POST /v1/validate/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${orderJson.length}\r\n\r\n`,
    );
    await waitForMetrics(server.port, (m) => m.get('hotpathd_connections_open') === 2);
    const ready = await request(server.port, { path: '/readyz' });
    assert.equal(ready.status, 200);
    server.child.kill('SIGTERM');
    slow.socket.write(orderJson);
    const [res] = parseResponses(await slow.closed);
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"valid":true}\n');
    assert.equal((await server.exited).code, 0);
  });
});
