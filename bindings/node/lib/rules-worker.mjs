// rules(source, {worker: true, timeoutMs, heapMb}): a rule file run in a worker_thread, with
// hotpathd's time and heap limits. The worker is this module too: it loads the rule with
// rules.mjs's rules() and answers one record at a time; the main thread (class Rules) queues the
// calls, enforces the time limit, and replaces the worker when a limit or a crash ends it.
// Node only (lib/rules.mjs stays host-neutral).
import { MessageChannel, Worker, isMainThread, receiveMessageOnPort, workerData } from 'node:worker_threads';

import { RuleError, checkOptions, closedError, recordText, rules as loadRules, sourceText } from './rules.mjs';

const ENTRY = 'hotpath.rules.worker'; // the workerData key that makes this module a rule's worker
const SYNC_CODE = 'HOTPATH_RULE_WORKER_SYNC';
// Where a load stands, as the limits' messages write it.
const STARTING = ' while starting the worker';
const TOP_LEVEL = ' in top level';

// ---------------------------------------------------------------------------------------------
// In the worker
// ---------------------------------------------------------------------------------------------
// A failure as the main thread rebuilds it: a RuleError's parts (with the value thrown, when it
// can be cloned), or any other error as structured clone copies it.
function postError(port, err) {
  if (!(err instanceof RuleError)) {
    port.postMessage({ type: 'error', error: err });
    return;
  }
  const { kind, file, line, column, cause } = err;
  // The message without the "file:line:column: " the constructor writes again.
  const detail = err.message.slice(new RuleError(kind, file, line, column, '').message.length);
  const error = { rule: true, kind, file, line, column, detail, cause };
  try {
    port.postMessage({ type: 'error', error });
  } catch {
    port.postMessage({ type: 'error', error: { ...error, cause: undefined } });
  }
}

// The worker's side of `port`: records in, answers and log entries out.
async function serve({ source, filename, pipeline, log }, port) {
  const post = (message) => port.postMessage(message);
  post({ type: 'started' }); // the main thread's clock for the top level starts now
  let rule;
  try {
    rule = await loadRules(source, { filename, pipeline, log: log ? (entry) => post({ type: 'log', entry }) : undefined });
  } catch (err) {
    postError(port, err);
    return;
  }
  post({ type: 'answer', value: { hasCheck: rule.hasCheck, hasTransform: rule.hasTransform } });
  port.on('message', (text) => {
    rule.runAsync(text).then((value) => post({ type: 'answer', value }), (err) => postError(port, err));
  });
}

if (!isMainThread && workerData?.[ENTRY]) serve(workerData[ENTRY], workerData.port);

// ---------------------------------------------------------------------------------------------
// In the main thread
// ---------------------------------------------------------------------------------------------
function revive(error) {
  if (error?.rule !== true) return error;
  return new RuleError(error.kind, error.file, error.line, error.column, error.detail, error.cause);
}

function show(value) {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

// One worker with the rule loaded. `loaded` settles once the top level has run; run() waits for
// one answer at a time. A worker past a limit, or one that stopped, is `dead`: its caller starts
// another.
class RuleThread {
  dead = false;
  loaded;
  #worker;
  #port; // answers and log entries come here: a timeout can read those already sent (see #arm)
  #spec;
  #limits;
  #log;
  #pending = null; // the answer awaited: {resolve, reject, stage, timer, logError}

  constructor(spec, limits, log) {
    this.#spec = spec;
    this.#limits = limits;
    this.#log = log;
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#worker = new Worker(new URL(import.meta.url), {
      workerData: { [ENTRY]: spec, port: port2 },
      transferList: [port2],
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
    });
    this.#port.on('message', (message) => this.#message(message));
    this.#worker.on('error', (err) => this.#fail(err?.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? this.#error('heap', (at) => `ran out of memory${at}: the heap limit is ${limits.heapMb} MiB`, err)
      : this.#error('thrown', (at) => `the worker stopped${at} on an uncaught ${show(err)}`, err)));
    this.#worker.on('exit', (code) => {
      // The worker may have posted its answer (a load error, say) just before it ended: the port
      // and the 'exit' event are two channels, and 'exit' can arrive first. Read what is queued.
      this.#drain();
      this.#fail(this.#error('thrown', (at) => `the worker exited${at} with code ${code}`));
    });
    this.loaded = this.#expect(STARTING); // timed from the worker's 'started'
    this.loaded.catch(() => this.#fail()); // a worker whose rule did not load is done
  }

  // check then transform on one record's JSON text: {valid, output} or {valid: false, reasons}.
  run(text) {
    const answer = this.#expect(null);
    this.#port.postMessage(text);
    this.#arm();
    return answer;
  }

  // Ends the worker; the answer awaited, if any, fails with `err`.
  stop(err) {
    this.#fail(err);
    return this.#worker.terminate().then(() => {});
  }

  #expect(stage) {
    // An answer is awaited: keep the process alive for it.
    this.#worker.ref();
    this.#port.ref();
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject, stage, timer: undefined, logError: undefined }; // stage: of a load
    });
  }

  // The time limit of the answer awaited. When the timer fires, an answer that arrived while this
  // thread was busy may be waiting behind it: it is read first, so that only the worker's time counts.
  #arm() {
    const pending = this.#pending;
    const ms = this.#limits.timeoutMs;
    pending.timer = setTimeout(() => {
      this.#drain(pending);
      if (this.#pending === pending) this.#fail(this.#error('timeout', (at) => `timed out${at} after ${ms} ms`));
    }, ms);
  }

  // Handles the messages already queued on the port while `pending` (by default the answer
  // awaited now) is still awaited.
  #drain(pending = this.#pending) {
    if (this.dead) return;
    for (let m; pending !== null && this.#pending === pending && (m = receiveMessageOnPort(this.#port)) !== undefined;) {
      this.#message(m.message);
    }
  }

  // The awaited answer, no longer awaited.
  #settle() {
    const pending = this.#pending;
    if (pending === null) return null;
    this.#pending = null;
    clearTimeout(pending.timer);
    // Idle: the worker must not keep the process alive.
    this.#worker.unref();
    this.#port.unref();
    return pending;
  }

  #fail(err) {
    if (!this.dead) {
      this.dead = true;
      this.#worker.terminate();
      this.#port.close();
    }
    this.#settle()?.reject(err);
  }

  // A limit or a crash: a load error (hotpathd's wording: "timed out in top level after 100 ms")
  // while the top level runs, else an error of `kind` (the worker cannot tell whether check or
  // transform was running).
  #error(kind, message, cause) {
    const stage = this.#pending?.stage;
    return new RuleError(stage ? 'load' : kind, this.#spec.filename, 0, 0, message(stage ?? ''), cause);
  }

  #message(message) {
    const pending = this.#pending;
    switch (message.type) {
      case 'log':
        // The sink's error fails the call that logged; it cannot reach the rule in the worker.
        try {
          this.#log(message.entry);
        } catch (err) {
          if (pending === null) throw err;
          pending.logError ??= err;
        }
        break;
      case 'started':
        if (pending === null) break;
        pending.stage = TOP_LEVEL;
        this.#arm();
        break;
      case 'answer':
      case 'error': {
        const settled = this.#settle();
        if (settled === null) break;
        if (settled.logError !== undefined) settled.reject(settled.logError);
        else if (message.type === 'error') settled.reject(revive(message.error));
        else settled.resolve(message.value);
        break;
      }
      default:
        break;
    }
  }
}

// A rule file loaded in a worker: the same answers as lib/rules.mjs's Rules, from runAsync() only.
class Rules {
  #thread;
  #spec;
  #limits;
  #log;
  #queue = []; // calls waiting for the one running: {text, resolve, reject}
  #draining = false;
  #closed = false;

  constructor(thread, spec, limits, log, { hasCheck, hasTransform }) {
    this.#thread = thread;
    this.#spec = spec;
    this.#limits = limits;
    this.#log = log;
    this.filename = spec.filename;
    this.pipeline = spec.pipeline;
    this.hasCheck = hasCheck;
    this.hasTransform = hasTransform;
    Object.freeze(this);
  }

  run() {
    const err = new Error(`${this.filename}: run() is synchronous and the rule runs in a worker; use runAsync()`);
    err.code = SYNC_CODE;
    throw err;
  }

  // Runs check then transform in the worker, one call at a time, in the order of the calls.
  runAsync(input) {
    if (this.#closed) return Promise.reject(closedError(this.filename));
    let text;
    try {
      text = recordText(input);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ text, resolve, reject });
      this.#drain();
    });
  }

  // Ends the worker. The calls running or queued, and any later one, fail with code
  // 'HOTPATH_RULE_CLOSED'.
  close() {
    const err = closedError(this.filename);
    this.#closed = true;
    for (const call of this.#queue.splice(0)) call.reject(err);
    return this.#thread.stop(err);
  }

  async #drain() {
    if (this.#draining) return;
    this.#draining = true;
    while (this.#queue.length > 0) {
      const call = this.#queue.shift();
      try {
        if (this.#thread.dead) {
          // The last call ended the worker (a limit, a crash): a fresh one loads the rule again.
          this.#thread = new RuleThread(this.#spec, this.#limits, this.#log);
          await this.#thread.loaded;
        }
        call.resolve(await this.#thread.run(call.text));
      } catch (err) {
        call.reject(err);
      }
    }
    this.#draining = false;
  }
}

// rules(source, {filename, pipeline, log}, {timeoutMs, heapMb}) -> Promise<Rules>: rejects with
// the RuleError of lib/rules.mjs's rules(), or a load error when the top level runs past a limit.
export async function rules(source, options, limits) {
  const text = sourceText(source);
  const o = checkOptions(options);
  const spec = { source: text, filename: o.filename ?? 'rules.js', pipeline: o.pipeline ?? '', log: o.log !== undefined };
  const thread = new RuleThread(spec, limits, o.log);
  return new Rules(thread, spec, limits, o.log, await thread.loaded);
}
