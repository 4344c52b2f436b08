'use strict';
// hotpath: JSON Schema validation (an ajv drop-in on Buffers and strings) and hot kernels,
// in native C++ (Node-API). This file owns argument checking and friendly errors; the addon
// (src/) does the work on bytes. See ../README.md for the API.
const path = require('node:path');
const { fileURLToPath } = require('node:url');
const { isArrayBuffer, isSharedArrayBuffer } = require('node:util').types;
const native = require('./native.js');
const { invalidArgType, invalidArgValue, outOfRange } = require('./errors.js');

const BYTES = 'of type string or an instance of Buffer, TypedArray, DataView or ArrayBuffer';
const DIALECTS = ['draft4', 'draft6', 'draft7', 'draft2019-09', 'draft2020-12'];
// validateAsync runs inputs shorter than this inline (see README: under ~100 us of work the
// hop to the thread pool costs more than it saves).
const DEFAULT_ASYNC_THRESHOLD = 16 * 1024;

// The addon builds result objects by calling these, once per result (never field by field).
native.setFactories({
  manyResult: (valid, errorsJson) => ({ valid, errors: JSON.parse(errorsJson) }),
  asyncResult: (errorsJson) => (errorsJson === null ? { valid: true, errors: null } : { valid: false, errors: JSON.parse(errorsJson) }),
  metricsResult: (count, meanReturn, volatility, annualizedReturn, annualizedVolatility, sharpe, maxDrawdown,
    maxDrawdownPeak, maxDrawdownTrough, vwap, min, max) => ({
    count, meanReturn, volatility, annualizedReturn, annualizedVolatility, sharpe, maxDrawdown,
    maxDrawdownPeak, maxDrawdownTrough, vwap, min, max,
  }),
});

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------
function isBytes(value) {
  return typeof value === 'string' || ArrayBuffer.isView(value);
}

// JSON text or bytes for the native side. Anything that is not a string or bytes is the slow
// path: JSON.stringify here, then the same native validation.
// ArrayBuffers go to native as they are (a detached one is refused there); a
// SharedArrayBuffer is read through a Uint8Array view.
function fromArrayBuffer(data) {
  if (isArrayBuffer(data)) return data;
  if (isSharedArrayBuffer(data)) return new Uint8Array(data);
  return undefined;
}

function toInput(data, name = 'data') {
  if (isBytes(data)) return data;
  const bytes = fromArrayBuffer(data);
  if (bytes !== undefined) return bytes;
  let text;
  try {
    text = JSON.stringify(data);
  } catch (cause) {
    const err = invalidArgType(name, `${BYTES}, or a JSON-serializable value (${cause.message})`, data);
    err.cause = cause;
    throw err;
  }
  if (text === undefined) throw invalidArgType(name, `${BYTES}, or a JSON-serializable value`, data);
  return text;
}

function toBytes(data, name) {
  if (isBytes(data)) return data;
  const bytes = fromArrayBuffer(data);
  if (bytes !== undefined) return bytes;
  throw invalidArgType(name, BYTES, data);
}

function byteSize(input) {
  return typeof input === 'string' ? input.length : input.byteLength;
}

function schemaText(schema, name = 'schema') {
  if (isBytes(schema)) return schema;
  const bytes = fromArrayBuffer(schema);
  if (bytes !== undefined) return bytes;
  if (typeof schema === 'boolean' || (schema !== null && typeof schema === 'object')) return JSON.stringify(schema);
  throw invalidArgType(name, 'an object, a boolean, JSON text (string) or JSON bytes (Buffer)', schema);
}

// ---------------------------------------------------------------------------------------------
// Schema compilation
// ---------------------------------------------------------------------------------------------
function checkOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
  const { formats, defaultDialect, refMap, schemas, uri, asyncThreshold } = options;
  if (formats !== undefined && typeof formats !== 'boolean') throw invalidArgType('options.formats', 'of type boolean', formats);
  if (defaultDialect !== undefined) {
    if (typeof defaultDialect !== 'string') throw invalidArgType('options.defaultDialect', 'of type string', defaultDialect);
    if (!DIALECTS.includes(defaultDialect) && !/^[a-z][a-z0-9+.-]*:/i.test(defaultDialect)) {
      throw invalidArgValue('options.defaultDialect', defaultDialect,
        `must be one of ${DIALECTS.map((d) => `'${d}'`).join(', ')} or a metaschema URI`);
    }
  }
  if (refMap !== undefined && (refMap === null || typeof refMap !== 'object' || Array.isArray(refMap))) {
    throw invalidArgType('options.refMap', 'an object mapping URI prefixes to directories', refMap);
  }
  if (schemas !== undefined && (schemas === null || typeof schemas !== 'object')) {
    throw invalidArgType('options.schemas', 'an array of schemas or an object mapping URIs to schemas', schemas);
  }
  if (uri !== undefined && typeof uri !== 'string') throw invalidArgType('options.uri', 'of type string', uri);
  if (asyncThreshold !== undefined && !(Number.isInteger(asyncThreshold) && asyncThreshold >= 0)) {
    throw outOfRange('options.asyncThreshold', 'a non-negative integer (bytes)', asyncThreshold);
  }
  return options;
}

function refMapList(refMap) {
  const flat = [];
  for (const [prefix, dir] of Object.entries(refMap || {})) {
    if (typeof dir !== 'string') throw invalidArgType(`options.refMap[${JSON.stringify(prefix)}]`, 'of type string (a directory)', dir);
    flat.push(prefix, path.resolve(dir));
  }
  return flat;
}

// An ajv-like compiler: shared options, schemas added once, many validators compiled.
class Compiler {
  #native;
  #asyncThreshold;

  constructor(options) {
    const o = checkOptions(options);
    this.#native = new native.Compiler(o.formats, o.defaultDialect, refMapList(o.refMap));
    this.#asyncThreshold = o.asyncThreshold ?? DEFAULT_ASYNC_THRESHOLD;
    if (Array.isArray(o.schemas)) {
      o.schemas.forEach((s, i) => this.#native.addSchema(schemaText(s, `options.schemas[${i}]`)));
    } else if (o.schemas) {
      for (const [u, s] of Object.entries(o.schemas)) this.#native.addSchema(schemaText(s, `options.schemas[${JSON.stringify(u)}]`), u);
    }
  }

  // Makes `schema` available to $ref under `uri` (or its own $id). Returns this, for chaining.
  addSchema(schema, uri) {
    if (uri !== undefined && typeof uri !== 'string') throw invalidArgType('uri', 'of type string', uri);
    this.#native.addSchema(schemaText(schema), uri);
    return this;
  }

  compile(schema, uri) {
    if (uri !== undefined && typeof uri !== 'string') throw invalidArgType('uri', 'of type string', uri);
    return makeValidateFunction(this.#native.compile(schemaText(schema), uri), this.#asyncThreshold);
  }
}

function makeValidateFunction(nv, asyncThreshold) {
  // v.errors is built only when read: the native side keeps the last failure's basic output.
  let pending = false;
  let errors = null;
  const validateNative = nv.validate;  // bound to nv (the addon's bound_method.h)

  function validate(data) {
    if (validateNative(isBytes(data) ? data : toInput(data))) {
      pending = false;
      errors = null;
      return true;
    }
    pending = true;
    return false;
  }

  Object.defineProperty(validate, 'errors', {
    enumerable: true,
    get() {
      if (pending) {
        errors = JSON.parse(nv.errorsJson());
        pending = false;
      }
      return errors;
    },
    set(value) {
      pending = false;
      errors = value;
    },
  });

  validate.check = function check(data, options) {
    let output;
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
      output = options.output;
      if (output !== undefined && output !== 'flag' && output !== 'basic') {
        throw invalidArgValue('options.output', output, "must be 'flag' or 'basic'");
      }
    }
    return JSON.parse(nv.check(toInput(data), output));
  };

  validate.validateMany = function validateMany(ndjson) {
    return nv.validateMany(toBytes(ndjson, 'ndjson'));
  };

  validate.validateAsync = function validateAsync(data) {
    try {
      const input = toInput(data);
      if (byteSize(input) < asyncThreshold) {
        const errorsJson = nv.evaluate(input);
        return Promise.resolve(errorsJson === null ? { valid: true, errors: null } : { valid: false, errors: JSON.parse(errorsJson) });
      }
      return nv.validateAsync(input);
    } catch (err) {
      return Promise.reject(err);
    }
  };

  return validate;
}

function compile(schema, options) {
  const o = checkOptions(options);
  return new Compiler(o).compile(schema, o.uri);
}

// ---------------------------------------------------------------------------------------------
// Kernels
// ---------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------
// JSONata
// ---------------------------------------------------------------------------------------------
function limitOption(options, name) {
  const v = options[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidArgType(`options.${name}`, 'an integer', v);
  if (v < 0 || v > 0xffffffff) throw outOfRange(`options.${name}`, '>= 0 and <= 4294967295', v);
  return v;
}

function jsonataOptions(options, name = 'options') {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw invalidArgType(name, 'of type object', options);
  // Only the options given: per-call options are spread over the expression's, so an absent
  // one must not override a default with undefined.
  const out = {};
  const timeoutMs = limitOption(options, 'timeoutMs');
  const maxDepth = limitOption(options, 'maxDepth');
  if (timeoutMs !== undefined) out.timeoutMs = timeoutMs;
  if (maxDepth !== undefined) out.maxDepth = maxDepth;
  if (options.bindings !== undefined) {
    const b = options.bindings;
    if (isBytes(b) || fromArrayBuffer(b) !== undefined) out.bindings = toBytes(b, `${name}.bindings`);
    else if (b !== null && typeof b === 'object' && !Array.isArray(b)) out.bindings = JSON.stringify(b);
    else throw invalidArgType(`${name}.bindings`, 'an object or JSON text', b);
  }
  return out;
}

// Native calls leave short Buffer results in this per-environment scratch and return their
// length; copying them into a Buffer from Node's pool costs far less than a Buffer made
// natively (its own ArrayBuffer).
const outputScratch = native.outputScratch;
function copyOut(length) {
  const out = Buffer.allocUnsafe(length);
  if (length <= 32) {
    for (let i = 0; i < length; i++) out[i] = outputScratch[i];  // cheaper than a view + set
  } else {
    out.set(outputScratch.subarray(0, length));
  }
  return out;
}

// A compiled JSONata expression. Input is JSON text (string) or JSON bytes (Buffer, typed
// array...), read in place; any other value is the slow path (JSON.stringify first); undefined
// is no input. The result is JSON text: a Buffer for byte input, a string otherwise, undefined
// when the expression's result is undefined.
class Expression {
  #native;
  #evaluate;  // #native's evaluate, bound to it (the addon's bound_method.h)
  #defaults;
  constructor(expression, options) {
    if (typeof expression !== 'string') throw invalidArgType('expression', 'of type string', expression);
    this.#defaults = jsonataOptions(options);
    this.#native = new native.Expression(expression);
    this.#evaluate = this.#native.evaluate;
    this.source = expression;
  }

  // The native call's options, or undefined when none is set (the call then takes one argument).
  #options(options) {
    const o = options === undefined ? this.#defaults : { ...this.#defaults, ...jsonataOptions(options) };
    return o.bindings === undefined && o.timeoutMs === undefined && o.maxDepth === undefined ? undefined : o;
  }

  evaluate(input, options) {
    const text = input === undefined ? undefined : toInput(input, 'input');
    const o = this.#options(options);
    const evaluate = this.#evaluate;
    const r = o === undefined ? evaluate(text) : evaluate(text, o.bindings, o.timeoutMs, o.maxDepth);
    // A short Buffer result is left in the output scratch: its length comes back.
    return typeof r === 'number' ? copyOut(r) : r;
  }

  // The same on the libuv pool: the event loop keeps running while it evaluates.
  evaluateAsync(input, options) {
    try {
      const text = input === undefined ? undefined : toInput(input, 'input');
      const o = this.#options(options);
      return this.#native.evaluateAsync(text, o?.bindings, o?.timeoutMs, o?.maxDepth);
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

// jsonata(expression, {bindings, timeoutMs, maxDepth}) -> Expression. Throws the compile error
// with jsonata-js's `code`, `position` and `token`.
function jsonata(expression, options) {
  return new Expression(expression, options);
}

const U64_MAX = (1n << 64n) - 1n;

function seedArg(seed) {
  if (seed === undefined) return undefined;
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0) throw outOfRange('seed', '>= 0 and <= 2^53 - 1 (or a bigint < 2^64)', seed);
    return BigInt(seed);
  }
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed > U64_MAX) throw outOfRange('seed', '>= 0n and < 2n ** 64n', seed);
    return seed;
  }
  throw invalidArgType('seed', 'of type number or bigint', seed);
}

function intArg(name, value, max) {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
  if (!Number.isInteger(value) || value < 0 || value > max) throw outOfRange(name, `an integer >= 0 and <= ${max}`, value);
  return value;
}

function xxh64(data, seed) {
  return native.xxh64(toBytes(data, 'data'), seedArg(seed));
}

function xxh3(data, seed) {
  return native.xxh3(toBytes(data, 'data'), seedArg(seed));
}

function xxh3_128(data, seed) {
  return native.xxh3_128(toBytes(data, 'data'), seedArg(seed));
}

function sha256(data, encoding = 'hex') {
  if (encoding !== 'hex' && encoding !== 'buffer') throw invalidArgValue('encoding', encoding, "must be 'hex' or 'buffer'");
  return native.sha256(toBytes(data, 'data'), encoding === 'buffer');
}

function countPrimes(n) {
  return native.countPrimes(intArg('n', n, 1e11));
}

function fibonacci(n) {
  return native.fibonacci(intArg('n', n, 1e6));
}

function float64Arg(name, value) {
  if (!(value instanceof Float64Array)) {
    throw invalidArgType(name, 'an instance of Float64Array (convert with Float64Array.from(array))', value);
  }
  return value;
}

function metricsOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
  const { periodsPerYear, riskFreeRate, returns: kind } = options;
  if (periodsPerYear !== undefined && !(typeof periodsPerYear === 'number' && Number.isFinite(periodsPerYear) && periodsPerYear > 0)) {
    throw outOfRange('options.periodsPerYear', 'a finite number > 0', periodsPerYear);
  }
  if (riskFreeRate !== undefined && !(typeof riskFreeRate === 'number' && Number.isFinite(riskFreeRate))) {
    throw outOfRange('options.riskFreeRate', 'a finite number', riskFreeRate);
  }
  if (kind !== undefined && kind !== 'simple' && kind !== 'log') throw invalidArgValue('options.returns', kind, "must be 'simple' or 'log'");
  return options;
}

// financialMetrics(prices, { volumes, periodsPerYear = 252, riskFreeRate = 0, returns = 'simple' })
function financialMetrics(prices, options) {
  float64Arg('prices', prices);
  const o = metricsOptions(options);
  if (o.volumes !== undefined) float64Arg('options.volumes', o.volumes);
  return native.metrics(prices, o.volumes, o.periodsPerYear, o.riskFreeRate, o.returns === 'log');
}

function returns(prices, kind = 'simple') {
  float64Arg('prices', prices);
  if (kind !== 'simple' && kind !== 'log') throw invalidArgValue('kind', kind, "must be 'simple' or 'log'");
  return native.returns(prices, kind === 'log');
}

// Sorts a typed array in place, in TypedArray.prototype.sort() order; returns the same array.
function sort(array) {
  if (!ArrayBuffer.isView(array) || array instanceof DataView) throw invalidArgType('array', 'an instance of TypedArray', array);
  native.sort(array);
  return array;
}

// Hashes a file on the libuv pool (the event loop keeps running); resolves to lower-case hex.
function fileChecksum(file, algorithm = 'sha256') {
  try {
    let p = file;
    if (p instanceof URL) p = fileURLToPath(p);
    else if (Buffer.isBuffer(p)) p = p.toString();
    if (typeof p !== 'string') throw invalidArgType('path', 'of type string or an instance of Buffer or URL', file);
    if (algorithm !== 'sha256' && algorithm !== 'xxh3') throw invalidArgValue('algorithm', algorithm, "must be 'sha256' or 'xxh3'");
    return native.fileChecksum(p, algorithm);
  } catch (err) {
    return Promise.reject(err);
  }
}

// ---------------------------------------------------------------------------------------------
// JavaScript rule files
// ---------------------------------------------------------------------------------------------
const RULE_LIMITS = { timeoutMs: 100, heapMb: 128 }; // hotpathd's defaults

// {timeoutMs, heapMb} with worker: true; undefined without (a bad options argument is left to
// rules.mjs to report).
function ruleLimits(options) {
  if (options === null || typeof options !== 'object') return undefined;
  const { worker } = options;
  if (worker !== undefined && typeof worker !== 'boolean') throw invalidArgType('options.worker', 'of type boolean', worker);
  const limits = {};
  for (const [name, fallback] of Object.entries(RULE_LIMITS)) {
    const v = options[name];
    if (v === undefined) {
      limits[name] = fallback;
      continue;
    }
    if (!worker) throw invalidArgValue(`options.${name}`, v, 'applies only with options.worker: true');
    if (typeof v !== 'number') throw invalidArgType(`options.${name}`, 'of type number', v);
    if (!Number.isInteger(v) || v < 1 || v > 0x7fffffff) throw outOfRange(`options.${name}`, 'an integer >= 1 and <= 2147483647', v);
    limits[name] = v;
  }
  return worker ? limits : undefined;
}

// rules(source, {filename, pipeline, log, worker, timeoutMs, heapMb}) -> Promise<Rules>: a rule
// file as hotpathd runs it (core/rules/README.md), here as plain JavaScript: in this thread
// (lib/rules.mjs, the same file @hotpath/wasm ships) or, with worker: true, in a worker_thread
// with a time and a heap limit (lib/rules-worker.mjs).
function rules(source, options) {
  let limits;
  try {
    limits = ruleLimits(options);
  } catch (err) {
    return Promise.reject(err);
  }
  if (limits === undefined) return import('./rules.mjs').then((m) => m.rules(source, options));
  return import('./rules-worker.mjs').then((m) => m.rules(source, options, limits));
}

module.exports = {
  compile,
  Compiler,
  jsonata,
  Expression,
  xxh64,
  xxh3,
  xxh3_128,
  sha256,
  countPrimes,
  fibonacci,
  financialMetrics,
  returns,
  sort,
  fileChecksum,
  rules,
  version: require('../package.json').version,
};
