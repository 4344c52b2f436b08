// worker_threads: the addon loads once per environment (instance data), validates in several
// workers at once with the same answers as the main thread, and tears down cleanly.
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { describe, it } from 'node:test';

import { compile, sha256 } from 'hotpath';

const SCHEMA = {
  type: 'object',
  required: ['id', 'qty'],
  properties: { id: { type: 'string', pattern: '^[a-z]+-[0-9]+$' }, qty: { type: 'integer', minimum: 1 } },
};

// Each worker compiles the schema itself, validates its share sync, as NDJSON and async, and
// reports counts and the failing lines.
const WORKER = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { compile, sha256 } = require('hotpath');
  const { schema, records } = workerData;
  const v = compile(schema, { asyncThreshold: 0 });
  let valid = 0;
  const failing = [];
  records.forEach((r, i) => { if (v(Buffer.from(r))) valid++; else failing.push([i, v.errors[0].keyword]); });
  const many = v.validateMany(Buffer.from(records.join('\\n')));
  Promise.all(records.slice(0, 200).map((r) => v.validateAsync(r))).then((results) => {
    parentPort.postMessage({
      valid, failing, manyValid: many.valid.reduce((s, x) => s + x, 0),
      asyncValid: results.filter((r) => r.valid).length, digest: sha256(records.join('')),
    });
  });
`;

function records(worker, n) {
  return Array.from({ length: n }, (_, i) => JSON.stringify(
    i % 10 === worker ? { id: `w${worker}`, qty: 0 } : { id: `w-${worker * n + i}`, qty: i + 1 }));
}

function runWorker(workerData) {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData, execArgv: [] });
    let message;
    w.on('message', (m) => { message = m; });
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve(message) : reject(new Error(`worker exited with ${code}`))));
  });
}

describe('worker_threads', () => {
  it('four workers validate at once with the main thread\'s answers', async () => {
    const inputs = [0, 1, 2, 3].map((w) => records(w, 2000));
    const main = compile(SCHEMA);
    const results = await Promise.all(inputs.map((r) => runWorker({ schema: SCHEMA, records: r })));
    results.forEach((res, w) => {
      const failing = [];
      let valid = 0;
      inputs[w].forEach((r, i) => { if (main(r)) valid++; else failing.push([i, main.errors[0].keyword]); });
      assert.equal(res.valid, valid);
      assert.equal(valid, 1800);
      assert.deepEqual(res.failing, failing);
      assert.equal(res.manyValid, valid);
      assert.equal(res.asyncValid, inputs[w].slice(0, 200).filter((r) => main(r)).length);
      assert.equal(res.digest, sha256(inputs[w].join('')));
    });
  });

  it('workers can come and go while the main thread keeps validating', async () => {
    const v = compile(SCHEMA);
    for (let round = 0; round < 3; round++) {
      const res = await runWorker({ schema: SCHEMA, records: records(round, 100) });
      assert.equal(res.valid, 90);
      assert.equal(v('{"id":"a-1","qty":2}'), true);
    }
  });
});
