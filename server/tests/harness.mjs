// Test harness for hotpathd: starts the real binary on a free port (--listen 127.0.0.1:0, the
// port is read from its one stdout line), and talks to it over real sockets.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binDir = process.env.HOTPATH_BIN_DIR ?? path.join(root, 'build/bin');
export const hotpathd = path.join(binDir, 'hotpathd');
export const hotpath = path.join(binDir, 'hotpath');
export const examples = path.join(root, 'examples');
export const pipelinesDir = path.join(examples, 'pipelines');
export const orderJson = fs.readFileSync(path.join(examples, 'orders/order.json'));
export const orderInvalidJson = fs.readFileSync(path.join(examples, 'orders/order-invalid.json'));
export const ordersNdjson = fs.readFileSync(path.join(examples, 'orders/orders.ndjson'));

export function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hotpathd-test-'));
}

// Starts hotpathd; resolves once it listens. `server.stop()` sends SIGTERM and resolves with
// the exit code.
export async function startServer(args = [], { pipelines = pipelinesDir } = {}) {
  const argv = ['--listen', '127.0.0.1:0', '--log-level', 'warn', ...args];
  if (pipelines) argv.unshift('--pipelines', pipelines);
  const child = spawn(hotpathd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    exited.then(({ code }) => reject(new Error(`hotpathd exited with ${code}: ${stderr}`)));
  });
  return {
    port,
    child,
    exited,
    stderr: () => stderr,
    url: (p) => `http://127.0.0.1:${port}${p}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return (await exited).code;
    },
  };
}

// Runs hotpathd expecting it to refuse to start; returns {status, stderr}.
export function runServerSync(args) {
  const r = spawnSync(hotpathd, args, { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// One HTTP request on a fresh connection (no keep-alive pooling between tests).
export function request(port, { method = 'GET', path: p = '/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: p, headers, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

export function postJson(port, p, body, type = 'application/json') {
  return request(port, { method: 'POST', path: p, headers: { 'content-type': type }, body });
}

// A raw TCP connection: write bytes, collect everything until the server closes.
export function rawConnection(port) {
  const socket = net.connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (d) => (data += d));
  socket.on('error', () => {});
  const closed = once(socket, 'close').then(() => data);
  return { socket, closed, data: () => data, ready: once(socket, 'connect') };
}

// Reads `count` HTTP responses from one raw socket's accumulated data (Content-Length bodies).
export function parseResponses(text) {
  const out = [];
  let rest = text;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.slice(0, end).split('\r\n');
    const status = Number(head[0].split(' ')[1]);
    const headers = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    const len = Number(headers['content-length'] ?? 0);
    out.push({ status, headers, body: rest.slice(end + 4, end + 4 + len) });
    rest = rest.slice(end + 4 + len);
  }
  return out;
}

export async function metrics(port) {
  const r = await request(port, { path: '/metrics' });
  const values = new Map();
  for (const line of r.body.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    values.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return values;
}

// Polls until `predicate(metrics)` holds (no wall-clock limit: ctest's timeout bounds it).
export async function waitForMetrics(port, predicate) {
  for (;;) {
    const m = await metrics(port);
    if (predicate(m)) return m;
    await new Promise((r) => setTimeout(r, 20));
  }
}

// What `hotpath validate` prints for the same input: the reference for byte-identical output.
export function cliValidate(args, input) {
  const r = spawnSync(hotpath, ['validate', ...args], { input, maxBuffer: 1 << 30 });
  return r.stdout.toString();
}

export function writePipeline(dir, name, definition, files = {}) {
  const p = path.join(dir, name);
  fs.mkdirSync(p, { recursive: true });
  fs.writeFileSync(path.join(p, 'pipeline.json'), JSON.stringify(definition));
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(p, f), text);
  return p;
}
