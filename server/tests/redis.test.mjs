// Pipelines shared through a real redis-server (started per test on a free loopback port):
// loading, hot reload over pub/sub, refused updates, and Redis dying and coming back mid-load.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';

import {
  examples,
  metrics,
  orderInvalidJson,
  orderJson,
  postJson,
  request,
  startServer,
  tempDir,
  waitForMetrics,
} from './harness.mjs';

const orderSchema = fs.readFileSync(path.join(examples, 'schemas/order.schema.json'), 'utf8');

async function freePort() {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

async function startRedis(port, dir) {
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = once(child, 'exit');
  // Ready when it answers PING.
  for (;;) {
    if (redisCli(port, ['PING']).trim() === 'PONG') break;
    if (child.exitCode !== null) throw new Error('redis-server exited');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    child,
    async kill(signal = 'SIGKILL') {
      child.kill(signal);
      await exited;
    },
  };
}

function redisCli(port, args) {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    encoding: 'utf8',
  });
  return r.stdout ?? '';
}

function putPipeline(port, name, files) {
  const args = ['HSET', `hotpath:pipeline:${name}`];
  for (const [field, text] of Object.entries(files)) args.push(field, text);
  redisCli(port, args);
  redisCli(port, ['SADD', 'hotpath:pipelines', name]);
}

const publishChange = (port, what) => redisCli(port, ['PUBLISH', 'hotpath:changes', what]);

async function waitReady(server) {
  for (;;) {
    const r = await request(server.port, { path: '/readyz' });
    if (r.status === 200) return JSON.parse(r.body);
    await new Promise((res) => setTimeout(res, 20));
  }
}

// Polls until `fn()` resolves truthy (the reload is asynchronous; ctest's timeout bounds it).
async function eventually(fn) {
  for (;;) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('hotpathd with Redis', () => {
  test('serves the pipelines stored in Redis, and picks up published changes without restart', async () => {
    const dir = tempDir();
    const port = await freePort();
    const redis = await startRedis(port, dir);
    putPipeline(port, 'orders', {
      'pipeline.json': JSON.stringify({ schema: 'schema.json', formats: true }),
      'schema.json': orderSchema,
    });
    const server = await startServer(['--redis', `redis://127.0.0.1:${port}`], { pipelines: null });
    try {
      assert.deepEqual(await waitReady(server), { ready: true, pipelines: 1 });
      assert.equal((await postJson(server.port, '/v1/validate/orders', orderJson)).status, 200);
      assert.equal((await postJson(server.port, '/v1/validate/orders', orderInvalidJson)).status, 422);
      assert.equal((await postJson(server.port, '/v1/validate/anything', '{}')).status, 404);

      // A new pipeline and a changed one, published on the channel.
      putPipeline(port, 'anything', { 'pipeline.json': '{}' });
      putPipeline(port, 'orders', { 'schema.json': '{"type":"object","required":["nope"]}' });
      publishChange(port, 'orders,anything');
      await eventually(async () => (await postJson(server.port, '/v1/validate/anything', '{}')).status === 200);
      const r = await postJson(server.port, '/v1/validate/orders', orderJson);
      assert.equal(r.status, 422);
      assert.match(r.body, /required property \\"nope\\" is missing/);

      // A broken update is refused: the previous version keeps serving.
      putPipeline(port, 'orders', { 'schema.json': '{"type":"strnig"}' });
      const before = (await metrics(server.port)).get('hotpathd_pipeline_reload_errors_total');
      publishChange(port, 'orders');
      await waitForMetrics(server.port, (m) => m.get('hotpathd_pipeline_reload_errors_total') > before);
      assert.match((await postJson(server.port, '/v1/validate/orders', orderJson)).body, /nope/);
      assert.match(server.stderr(), /pipeline update rejected; keeping the previous version/);

      // Removing a pipeline from the set drops it.
      redisCli(port, ['SREM', 'hotpath:pipelines', 'anything']);
      publishChange(port, 'anything');
      await eventually(async () => (await postJson(server.port, '/v1/validate/anything', '{}')).status === 404);
    } finally {
      assert.equal(await server.stop(), 0);
      await redis.kill();
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('a JS rule file stored in Redis: a published new version replaces it, a broken one does not', async () => {
    const dir = tempDir();
    const port = await freePort();
    const redis = await startRedis(port, dir);
    const rule = (fee) => `export function transform(p, ctx) { return { id: p.id, fee: p.amount * ${fee}, by: ctx.pipeline }; }`;
    putPipeline(port, 'fees', { 'pipeline.json': JSON.stringify({ rules: 'fees.js' }), 'fees.js': rule(0.5) });
    const server = await startServer(['--redis', `redis://127.0.0.1:${port}`], { pipelines: null });
    try {
      await waitReady(server);
      const fee = async () => (await postJson(server.port, '/v1/pipelines/fees', '{"id":"p","amount":10}')).body;
      assert.equal(await fee(), '{"id":"p","fee":5,"by":"fees"}\n');
      putPipeline(port, 'fees', { 'fees.js': rule(0.25) });
      publishChange(port, 'fees');
      await eventually(async () => (await fee()) === '{"id":"p","fee":2.5,"by":"fees"}\n');
      // A rule that does not load is refused; the previous version keeps serving.
      putPipeline(port, 'fees', { 'fees.js': 'export function transform(p) { return p.; }' });
      const before = (await metrics(server.port)).get('hotpathd_pipeline_reload_errors_total');
      publishChange(port, 'fees');
      await waitForMetrics(server.port, (m) => m.get('hotpathd_pipeline_reload_errors_total') > before);
      assert.equal(await fee(), '{"id":"p","fee":2.5,"by":"fees"}\n');
      assert.match(server.stderr(), /fees\.js:1:41: SyntaxError: Unexpected token ';'/);
    } finally {
      assert.equal(await server.stop(), 0);
      await redis.kill();
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('Redis killed and restarted mid-load: every request is served, then changes flow again', async () => {
    const dir = tempDir();
    const port = await freePort();
    let redis = await startRedis(port, dir);
    putPipeline(port, 'orders', {
      'pipeline.json': JSON.stringify({ schema: 'schema.json', formats: true }),
      'schema.json': orderSchema,
    });
    const server = await startServer(['--redis', `redis://127.0.0.1:${port}`], { pipelines: null });
    try {
      await waitReady(server);
      let running = true;
      const statuses = [];
      const load = (async () => {
        while (running) {
          const batch = await Promise.all(
            Array.from({ length: 8 }, () => postJson(server.port, '/v1/pipelines/orders', orderJson)),
          );
          for (const r of batch) statuses.push(r.status);
        }
      })();
      await eventually(() => statuses.length >= 50);
      await redis.kill('SIGKILL');
      const atKill = statuses.length;
      await eventually(() => server.stderr().includes('redis connection lost'));
      await eventually(() => statuses.length >= atKill + 100);  // served while Redis is gone
      // Restarted empty (--save ''): the instance keeps its pipelines until told otherwise.
      redis = await startRedis(port, dir);
      await eventually(() => server.stderr().includes('no pipelines in redis; keeping the current ones'));
      putPipeline(port, 'orders', {
        'pipeline.json': JSON.stringify({ schema: 'schema.json' }),
        'schema.json': orderSchema,
      });
      putPipeline(port, 'late', { 'pipeline.json': '{}' });
      publishChange(port, 'late');
      await eventually(async () => (await postJson(server.port, '/v1/validate/late', '[]')).status === 200);
      running = false;
      await load;
      assert.ok(statuses.length > atKill + 100);
      assert.deepEqual([...new Set(statuses)], [200]);
    } finally {
      assert.equal(await server.stop(), 0);
      await redis.kill();
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('--pipelines with --redis: the directory is served until Redis holds pipelines', async () => {
    const dir = tempDir();
    const port = await freePort();
    const redis = await startRedis(port, dir);
    const server = await startServer(['--redis', `redis://127.0.0.1:${port}`]);  // + examples
    try {
      assert.deepEqual(await waitReady(server), { ready: true, pipelines: 4 });
      await eventually(() => server.stderr().includes('no pipelines in redis; keeping the current ones'));
      assert.equal((await postJson(server.port, '/v1/validate/orders', orderJson)).status, 200);
      putPipeline(port, 'shared', { 'pipeline.json': '{}' });
      publishChange(port, 'shared');
      await eventually(async () => (await postJson(server.port, '/v1/validate/shared', '{}')).status === 200);
      // Redis is now the source: the directory's pipelines are gone.
      assert.equal((await postJson(server.port, '/v1/validate/orders', orderJson)).status, 404);
      assert.deepEqual(await waitReady(server), { ready: true, pipelines: 1 });
    } finally {
      assert.equal(await server.stop(), 0);
      await redis.kill();
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('Redis down at startup: not ready until it appears, then ready', async () => {
    const dir = tempDir();
    const port = await freePort();
    const server = await startServer(['--redis', `redis://127.0.0.1:${port}`], { pipelines: null });
    let redis;
    try {
      const r = await request(server.port, { path: '/readyz' });
      assert.equal(r.status, 503);
      assert.equal(r.headers['retry-after'], '1');
      await eventually(() => server.stderr().includes('redis unavailable; retrying'));
      redis = await startRedis(port, dir);
      putPipeline(port, 'p', { 'pipeline.json': '{}' });
      publishChange(port, 'p');
      await eventually(async () => (await postJson(server.port, '/v1/validate/p', '1')).status === 200);
    } finally {
      assert.equal(await server.stop(), 0);
      if (redis) await redis.kill();
      fs.rmSync(dir, { recursive: true });
    }
  });
});
