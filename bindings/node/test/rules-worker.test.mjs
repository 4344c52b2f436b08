// rules(source, {worker: true}): the rule runs in a worker_thread with a time and a heap limit,
// and answers as it does in this thread (test/rules.test.mjs has the contract's cases).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

import { rules } from 'hotpath';

const require = createRequire(import.meta.url);

// An answer or a failure, as comparable data.
async function outcome(rule, record) {
  try {
    return await rule.runAsync(record);
  } catch (err) {
    const { name, message, code, kind, file, line, column } = err;
    return { name, message, code, kind, file, line, column };
  }
}

async function loadFailure(source, options) {
  try {
    await rules(source, options);
  } catch (err) {
    const { name, message, code, kind, file, line, column } = err;
    return { name, message, code, kind, file, line, column };
  }
  assert.fail('rules() resolved');
}

const FEES = `
export function check(p, ctx) {
  if (p.amount <= 0) return 'amount must be positive';
  if (p.currency === undefined) return [];
  if (!['EUR', 'USD'].includes(p.currency)) return ['unknown currency ' + p.currency, 'see the list'];
}
export async function transform(p, ctx) {
  console.log('scoring', p, ctx.pipeline);
  if (p.id === 'boom') throw new TypeError('no fee for ' + p.id);
  if (p.id === 'skip') return undefined;
  return { ...p, fee: Math.round(p.amount * 2.9) / 100 };
}
`;

describe('rules({worker: true}): the answers of this thread', () => {
  it('verdicts, transform output, thrown errors with file:line:column and log entries', async () => {
    const records = [
      '{"id":"a","amount":10,"currency":"EUR"}',
      Buffer.from('{"id":"b","amount":0}'),
      { id: 'c', amount: 5, currency: 'JPY' },
      '{"id":"boom","amount":1}',
      '{"id":"skip","amount":1}',
      '{"id":', // not JSON
    ];
    const answers = async (worker) => {
      const logs = [];
      const rule = await rules(FEES, { filename: 'fees.js', pipeline: 'payments', worker, log: (e) => logs.push(e) });
      const results = [];
      for (const r of records) results.push(await outcome(rule, r));
      await rule.close();
      return { results, logs, shape: [rule.filename, rule.pipeline, rule.hasCheck, rule.hasTransform] };
    };
    const inThread = await answers(false);
    const inWorker = await answers(true);
    assert.deepEqual(inWorker, inThread);
    assert.deepEqual(inWorker.results.slice(0, 3), [
      { valid: true, output: '{"id":"a","amount":10,"currency":"EUR","fee":0.29}' },
      { valid: false, reasons: ['amount must be positive'] },
      { valid: false, reasons: ['unknown currency JPY', 'see the list'] },
    ]);
    assert.equal(inWorker.results[3].message, 'fees.js:9:30: TypeError: no fee for boom');
    assert.equal(inWorker.results[3].kind, 'thrown');
    assert.deepEqual(inWorker.results[4], { valid: true, output: undefined });
    assert.equal(inWorker.logs[0].message, 'scoring {"id":"a","amount":10,"currency":"EUR"} payments');
  });

  it('the RuleError keeps the thrown value (as a copy) as its cause', async () => {
    const rule = await rules('export function check() { throw new RangeError("too big"); }', { worker: true });
    const err = await rule.runAsync('{}').then(() => assert.fail('resolved'), (e) => e);
    assert.equal(err.name, 'RuleError');
    assert.equal(err.code, 'HOTPATH_RULE_ERROR');
    assert.ok(err.cause instanceof RangeError);
    assert.equal(err.cause.message, 'too big');
    await rule.close();
  });

  it('load errors: the same RuleError as in this thread', async () => {
    for (const source of ['export function check() {', "import fs from 'fs';\nexport const check = () => 1;",
      'throw new Error("top");\nexport function check() {}', 'export const check = 1;']) {
      assert.deepEqual(await loadFailure(source, { worker: true }), await loadFailure(source), source);
    }
    assert.equal((await loadFailure('export function check() {', { worker: true })).message,
      'rules.js:1:26: SyntaxError: Unexpected end of input');
  });

  it('run() is synchronous: it throws HOTPATH_RULE_WORKER_SYNC', async () => {
    const rule = await rules('export const check = () => true;', { worker: true });
    assert.throws(() => rule.run('{}'), { code: 'HOTPATH_RULE_WORKER_SYNC', message: /use runAsync\(\)/ });
    assert.deepEqual(await rule.runAsync('{}'), { valid: true, output: '{}' });
    await rule.close();
  });
});

describe('rules({worker: true}): limits', () => {
  it('an endless loop times out while the event loop keeps ticking; the next call works', async () => {
    const rule = await rules('export function check(r) { while (r.spin) {} }', { worker: true, timeoutMs: 250 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const err = await rule.runAsync({ spin: true }).then(() => assert.fail('resolved'), (e) => e);
      assert.equal(err.code, 'HOTPATH_RULE_ERROR');
      assert.equal(err.kind, 'timeout');
      assert.equal(err.message, 'rules.js: timed out after 250 ms');
      assert.deepEqual([err.file, err.line, err.column], ['rules.js', 0, 0]);
      assert.ok(ticks > 0, 'the main thread ran its timers meanwhile');
    } finally {
      clearInterval(timer);
    }
    assert.deepEqual(await rule.runAsync({ spin: false }), { valid: true, output: '{"spin":false}' });
    await rule.close();
  });

  it('only the worker\'s time counts: an answer waiting while this thread was busy is not a timeout', async () => {
    const rule = await rules('export const transform = (r) => ({ seen: r.n });', { worker: true, timeoutMs: 100 });
    // Busy in a check-phase callback: the due timer runs before the port delivers the answer.
    await new Promise((resolve) => setImmediate(resolve));
    const answer = rule.runAsync({ n: 1 });
    for (const end = Date.now() + 2000; Date.now() < end;); // the worker answers meanwhile (it has 2 s of a free core)
    assert.deepEqual(await answer, { valid: true, output: '{"seen":1}' });
    await rule.close();
  });

  it('calls queued behind a timed-out call are answered in order by a fresh worker', async () => {
    const rule = await rules(`
      let calls = 0; // module state: starts over with the fresh worker
      export function transform(r) { while (r.spin) {} return { n: r.n, calls: ++calls }; }`,
    { worker: true, timeoutMs: 250 });
    const order = [];
    const call = (record) => rule.runAsync(record).then(
      (r) => { order.push(record.n); return JSON.parse(r.output); },
      (e) => { order.push(record.n); return e.kind; });
    const results = await Promise.all([call({ n: 1 }), call({ n: 2, spin: true }), call({ n: 3 }), call({ n: 4 })]);
    assert.deepEqual(results, [{ n: 1, calls: 1 }, 'timeout', { n: 3, calls: 1 }, { n: 4, calls: 2 }]);
    assert.deepEqual(order, [1, 2, 3, 4]);
    await rule.close();
  });

  it('unbounded allocation hits the heap limit; the next call works', async () => {
    const rule = await rules(`
      export function check(r) {
        const hoard = [];
        while (r.hoard) hoard.push(new Array(100000).fill(r));
      }`, { worker: true, heapMb: 32, timeoutMs: 60000 });
    const err = await rule.runAsync({ hoard: true }).then(() => assert.fail('resolved'), (e) => e);
    assert.equal(err.code, 'HOTPATH_RULE_ERROR');
    assert.equal(err.kind, 'heap');
    assert.equal(err.message, 'rules.js: ran out of memory: the heap limit is 32 MiB');
    assert.equal(err.cause.code, 'ERR_WORKER_OUT_OF_MEMORY');
    assert.deepEqual(await rule.runAsync({ hoard: false }), { valid: true, output: '{"hoard":false}' });
    await rule.close();
  });

  it('the top level is timed too: a load error as hotpathd words it', async () => {
    const failure = await loadFailure('while (true) {}\nexport function check() {}', { worker: true, timeoutMs: 50 });
    assert.equal(failure.kind, 'load');
    assert.equal(failure.message, 'rules.js: timed out in top level after 50 ms');
  });

  it('a worker the rule ends (process.exit) fails that call; the next call gets a fresh worker', async () => {
    const rule = await rules('export function check(r) { if (r.exit) process.exit(3); }', { worker: true });
    const err = await rule.runAsync({ exit: true }).then(() => assert.fail('resolved'), (e) => e);
    assert.equal(err.code, 'HOTPATH_RULE_ERROR');
    assert.equal(err.kind, 'thrown');
    assert.equal(err.message, 'rules.js: the worker exited with code 3');
    assert.deepEqual(await rule.runAsync({ exit: false }), { valid: true, output: '{"exit":false}' });
    await rule.close();
  });

  it('an uncaught error in the worker fails the call; the next call gets a fresh worker', async () => {
    const rule = await rules(`
      export function check(r) {
        if (!r.crash) return;
        process.nextTick(() => { throw new Error('crash'); });
        return new Promise(() => {});
      }`, { worker: true });
    const err = await rule.runAsync({ crash: true }).then(() => assert.fail('resolved'), (e) => e);
    assert.equal(err.kind, 'thrown');
    assert.equal(err.message, 'rules.js: the worker stopped on an uncaught Error: crash');
    assert.equal(err.cause.message, 'crash');
    assert.deepEqual(await rule.runAsync({ crash: false }), { valid: true, output: '{"crash":false}' });
    await rule.close();
  });
});

describe('rules({worker: true}): lifetime', () => {
  it('close() ends the worker: calls running, queued or later fail with HOTPATH_RULE_CLOSED', async () => {
    const rule = await rules('export function check(r) { while (r.spin) {} }', { worker: true, timeoutMs: 60000 });
    const closed = { code: 'HOTPATH_RULE_CLOSED', message: 'rules.js: the rule is closed' };
    const running = assert.rejects(rule.runAsync({ spin: true }), closed);
    const queued = assert.rejects(rule.runAsync({ spin: false }), closed);
    await rule.close();
    await running;
    await queued;
    await assert.rejects(rule.runAsync('{}'), closed);
  });

  it('close() in this thread: later calls fail the same way', async () => {
    const rule = await rules('export const check = () => true;');
    await rule.close();
    assert.throws(() => rule.run('{}'), { code: 'HOTPATH_RULE_CLOSED' });
    await assert.rejects(rule.runAsync('{}'), { code: 'HOTPATH_RULE_CLOSED' });
  });

  it('an idle worker does not keep the process alive', () => {
    const entry = pathToFileURL(require.resolve('hotpath').replace(/index\.js$/, 'index.mjs')).href;
    const script = `
      import { rules } from ${JSON.stringify(entry)};
      const rule = await rules('export const transform = (r) => ({ seen: r.n });', { worker: true });
      console.log((await rule.runAsync({ n: 7 })).output);`;
    // The timeout only stops a process that would hang forever; it measures nothing.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60000 });
    assert.equal(child.signal, null, 'the process exited by itself');
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, '{"seen":7}\n');
  });
});

describe('rules({worker: true}): options', () => {
  const source = 'export const check = () => true;';
  it('bad worker, timeoutMs and heapMb are TypeErrors and RangeErrors with codes', async () => {
    await assert.rejects(rules(source, { worker: 'yes' }), {
      name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: /"options\.worker" argument must be of type boolean/,
    });
    await assert.rejects(rules(source, { worker: true, timeoutMs: '100' }), {
      name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: /"options\.timeoutMs" argument must be of type number/,
    });
    for (const [name, value] of [['timeoutMs', 0], ['timeoutMs', 1.5], ['timeoutMs', 2 ** 31], ['heapMb', -1], ['heapMb', NaN]]) {
      await assert.rejects(rules(source, { worker: true, [name]: value }), {
        name: 'RangeError', code: 'ERR_OUT_OF_RANGE', message: new RegExp(`"options\\.${name}" is out of range`),
      });
    }
  });

  it('timeoutMs and heapMb without worker: true are refused (they would limit nothing)', async () => {
    for (const options of [{ timeoutMs: 50 }, { worker: false, heapMb: 64 }]) {
      await assert.rejects(rules(source, options), {
        name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: /applies only with options\.worker: true/,
      });
    }
  });

  it('a heap limit too small to start a worker is a load error', async () => {
    const failure = await loadFailure(source, { worker: true, heapMb: 1 });
    assert.equal(failure.kind, 'load');
    assert.match(failure.message, /^rules\.js: ran out of memory (while starting the worker|in top level): the heap limit is 1 MiB$/);
  });

  it('the other options are checked as in this thread', async () => {
    await assert.rejects(rules(source, { worker: true, log: 'console' }), { code: 'ERR_INVALID_ARG_TYPE' });
    await assert.rejects(rules(42, { worker: true }), { code: 'ERR_INVALID_ARG_TYPE' });
    const rule = await rules(Buffer.from(source), { worker: true });
    await assert.rejects(rule.runAsync(10n), { code: 'ERR_INVALID_ARG_TYPE' });
    await rule.close();
  });
});
