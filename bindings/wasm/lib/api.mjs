// The public API of @hotpath/wasm over one instantiated module: argument checking, copying
// bytes into the module's input area, and reading answers back. Same API as the `hotpath`
// Node addon (bindings/node/lib/index.js) wherever it makes sense; see ../README.md.
// Memory is managed here: callers never see pointers, malloc or free.
import { invalidArgType, invalidArgValue, outOfRange, withFields } from './errors.mjs';

const BYTES = 'of type string or an instance of Buffer, TypedArray, DataView or ArrayBuffer';
const DIALECTS = ['draft4', 'draft6', 'draft7', 'draft2019-09', 'draft2020-12'];
const U64_MAX = (1n << 64n) - 1n;
const SORT_KINDS = new Map([
  [Int8Array, 0], [Uint8Array, 1], [Uint8ClampedArray, 1], [Int16Array, 2], [Uint16Array, 3],
  [Int32Array, 4], [Uint32Array, 5], [BigInt64Array, 6], [BigUint64Array, 7], [Float32Array, 8],
  [Float64Array, 9],
]);

const isBytes = (v) => typeof v === 'string' || ArrayBuffer.isView(v);
const isArrayBufferLike = (v) => v instanceof ArrayBuffer ||
  (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer);

export function bindApi(mod) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  // Validators and compilers are freed when their JS objects are collected.
  const freeValidator = new FinalizationRegistry((ptr) => mod._hp_validator_free(ptr));
  const freeCompiler = new FinalizationRegistry((ptr) => mod._hp_compiler_free(ptr));

  // Copies `data` (bytes, or JSON text as a string) into the input area; returns its byte length.
  // `extra` reserves room after it (a URI, or results written in place).
  function put(data, extra = 0) {
    if (typeof data === 'string') {
      const max = data.length * 3;
      const ptr = inputArea(max + extra);
      return encoder.encodeInto(data, mod.HEAPU8.subarray(ptr, ptr + max)).written;
    }
    const bytes = data instanceof Uint8Array ? data
      : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : new Uint8Array(data);
    const ptr = inputArea(bytes.byteLength + extra);
    mod.HEAPU8.set(bytes, ptr);
    return bytes.byteLength;
  }

  function inputArea(size) {
    const ptr = mod._hp_input(size);
    if (ptr === 0) throw withFields(new RangeError(`cannot allocate ${size} bytes in the wasm heap`), 'HOTPATH_OUT_OF_MEMORY', {});
    return ptr;
  }

  // Two strings back to back (schema text, then URI).
  function putPair(first, second) {
    const n = put(first, second.length * 3);
    const ptr = mod._hp_input(0);
    const m = encoder.encodeInto(second, mod.HEAPU8.subarray(ptr + n, ptr + n + second.length * 3)).written;
    return [n, m];
  }

  function result() {
    const ptr = mod._hp_result_data();
    return decoder.decode(mod.HEAPU8.subarray(ptr, ptr + mod._hp_result_size()));
  }

  function out(bytes) {
    const ptr = mod._hp_out();
    return mod.HEAPU8.slice(ptr, ptr + bytes);
  }

  // ---------------------------------------------------------------------------------------------
  // Inputs
  // ---------------------------------------------------------------------------------------------
  function toInput(data, name = 'data') {
    if (isBytes(data) || isArrayBufferLike(data)) return data;
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
    if (isBytes(data) || isArrayBufferLike(data)) return data;
    throw invalidArgType(name, BYTES, data);
  }

  function schemaText(schema, name = 'schema') {
    if (isBytes(schema) || isArrayBufferLike(schema)) return schema;
    if (typeof schema === 'boolean' || (schema !== null && typeof schema === 'object')) return JSON.stringify(schema);
    throw invalidArgType(name, 'an object, a boolean, JSON text (string) or JSON bytes (Buffer)', schema);
  }

  function compileError() {
    const e = JSON.parse(result());
    return withFields(new Error(e.message), 'HOTPATH_SCHEMA_INVALID', { schemaUri: e.schemaUri, location: e.location });
  }

  // ---------------------------------------------------------------------------------------------
  // Schema compilation
  // ---------------------------------------------------------------------------------------------
  function checkOptions(options) {
    if (options === undefined || options === null) return {};
    if (typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
    const { formats, defaultDialect, refMap, schemas, uri } = options;
    if (formats !== undefined && typeof formats !== 'boolean') throw invalidArgType('options.formats', 'of type boolean', formats);
    if (defaultDialect !== undefined) {
      if (typeof defaultDialect !== 'string') throw invalidArgType('options.defaultDialect', 'of type string', defaultDialect);
      if (!DIALECTS.includes(defaultDialect) && !/^[a-z][a-z0-9+.-]*:/i.test(defaultDialect)) {
        throw invalidArgValue('options.defaultDialect', defaultDialect,
          `must be one of ${DIALECTS.map((d) => `'${d}'`).join(', ')} or a metaschema URI`);
      }
    }
    if (refMap !== undefined) {
      throw invalidArgValue('options.refMap', refMap,
        'is not available in the wasm build (no file system): register referenced schemas with options.schemas or Compiler#addSchema');
    }
    if (schemas !== undefined && (schemas === null || typeof schemas !== 'object')) {
      throw invalidArgType('options.schemas', 'an array of schemas or an object mapping URIs to schemas', schemas);
    }
    if (uri !== undefined && typeof uri !== 'string') throw invalidArgType('options.uri', 'of type string', uri);
    return options;
  }

  // An ajv-like compiler: shared options, schemas added once, many validators compiled.
  class Compiler {
    #ptr;

    constructor(options) {
      const o = checkOptions(options);
      const dialect = o.defaultDialect ?? '';
      const n = put(dialect);
      this.#ptr = mod._hp_compiler_new(o.formats ? 1 : 0, n);
      if (this.#ptr === 0) {
        throw invalidArgValue('options.defaultDialect', dialect,
          `must be one of ${DIALECTS.map((d) => `'${d}'`).join(', ')} or a metaschema URI`);
      }
      freeCompiler.register(this, this.#ptr, this);
      if (Array.isArray(o.schemas)) {
        o.schemas.forEach((s, i) => this.#add(schemaText(s, `options.schemas[${i}]`), ''));
      } else if (o.schemas) {
        for (const [u, s] of Object.entries(o.schemas)) this.#add(schemaText(s, `options.schemas[${JSON.stringify(u)}]`), u);
      }
    }

    #add(text, uri) {
      const [n, m] = putPair(text, uri);
      if (!mod._hp_compiler_add_schema(this.#ptr, n, m)) throw compileError();
      return result();
    }

    // Makes `schema` available to $ref under `uri` (or its own $id). Returns this, for chaining.
    addSchema(schema, uri) {
      if (uri !== undefined && typeof uri !== 'string') throw invalidArgType('uri', 'of type string', uri);
      this.#add(schemaText(schema), uri ?? '');
      return this;
    }

    compile(schema, uri) {
      if (uri !== undefined && typeof uri !== 'string') throw invalidArgType('uri', 'of type string', uri);
      const [n, m] = putPair(schemaText(schema), uri ?? '');
      const ptr = mod._hp_compiler_compile(this.#ptr, n, m);
      if (ptr === 0) throw compileError();
      return makeValidateFunction(ptr);
    }

    // Frees the compiler now rather than when it is collected (validators stay usable).
    free() {
      if (this.#ptr === 0) return;
      freeCompiler.unregister(this);
      mod._hp_compiler_free(this.#ptr);
      this.#ptr = 0;
    }
  }

  function makeValidateFunction(ptr) {
    let pending = false;
    let errors = null;

    function validate(data) {
      if (ptr === 0) throw withFields(new Error('this validator was freed'), 'ERR_INVALID_STATE', {});
      if (mod._hp_validate(ptr, put(isBytes(data) ? data : toInput(data)))) {
        pending = false;
        errors = null;
        return true;
      }
      pending = true;
      return false;
    }
    // The validator lives as long as the function (and every method closing over `ptr`).
    freeValidator.register(validate, ptr, validate);

    Object.defineProperty(validate, 'errors', {
      enumerable: true,
      get() {
        if (pending) {
          mod._hp_errors(ptr);
          errors = JSON.parse(result());
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
      mod._hp_check(ptr, put(toInput(data)), output === 'flag' ? 0 : 1);
      return JSON.parse(result());
    };

    validate.validateMany = function validateMany(ndjson) {
      const lines = mod._hp_validate_many(ptr, put(toBytes(ndjson, 'ndjson')));
      const flags = mod._hp_flags();
      return { valid: mod.HEAPU8.slice(flags, flags + lines), errors: JSON.parse(result()) };
    };

    // One thread per module: the work runs now and the Promise is already settled. Run the
    // module in a Web Worker (or worker_thread) to keep a UI or event loop free.
    validate.validateAsync = function validateAsync(data) {
      try {
        const valid = mod._hp_evaluate(ptr, put(toInput(data)));
        return Promise.resolve(valid ? { valid: true, errors: null } : { valid: false, errors: JSON.parse(result()) });
      } catch (err) {
        return Promise.reject(err);
      }
    };

    // Frees the compiled schema now rather than when the function is collected.
    validate.free = function free() {
      if (ptr === 0) return;
      freeValidator.unregister(validate);
      mod._hp_validator_free(ptr);
      ptr = 0;
    };

    return validate;
  }

  function compile(schema, options) {
    const o = checkOptions(options);
    const compiler = new Compiler(o);
    try {
      return compiler.compile(schema, o.uri);
    } finally {
      compiler.free();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Kernels
  // ---------------------------------------------------------------------------------------------
  function seedWords(seed) {
    let s = 0n;
    if (typeof seed === 'number') {
      if (!Number.isSafeInteger(seed) || seed < 0) throw outOfRange('seed', '>= 0 and <= 2^53 - 1 (or a bigint < 2^64)', seed);
      s = BigInt(seed);
    } else if (typeof seed === 'bigint') {
      if (seed < 0n || seed > U64_MAX) throw outOfRange('seed', '>= 0n and < 2n ** 64n', seed);
      s = seed;
    } else if (seed !== undefined) {
      throw invalidArgType('seed', 'of type number or bigint', seed);
    }
    return [Number(s & 0xffffffffn), Number(s >> 32n)];
  }

  function kernelError() {
    const e = JSON.parse(result());
    const fields = e.code === 'invalid_price' || e.code === 'invalid_volume' ? { index: e.index } : {};
    return withFields(new RangeError(e.message), `HOTPATH_${e.code.toUpperCase()}`, fields);
  }

  function u64(bytes, at = 0) {
    return new DataView(bytes.buffer).getBigUint64(at, true);
  }

  function xxh64(data, seed) {
    const [lo, hi] = seedWords(seed);
    mod._hp_xxh64(put(toBytes(data, 'data')), lo, hi);
    return u64(out(8));
  }

  function xxh3(data, seed) {
    const [lo, hi] = seedWords(seed);
    mod._hp_xxh3(put(toBytes(data, 'data')), lo, hi);
    return u64(out(8));
  }

  function xxh3_128(data, seed) {
    const [lo, hi] = seedWords(seed);
    mod._hp_xxh3_128(put(toBytes(data, 'data')), lo, hi);
    const b = out(16);
    return (u64(b, 8) << 64n) | u64(b, 0);
  }

  // 'hex' (default) or 'buffer' (a 32-byte Uint8Array: there is no Buffer in browsers).
  function sha256(data, encoding = 'hex') {
    if (encoding !== 'hex' && encoding !== 'buffer') throw invalidArgValue('encoding', encoding, "must be 'hex' or 'buffer'");
    mod._hp_sha256(put(toBytes(data, 'data')));
    const digest = out(32);
    if (encoding === 'buffer') return digest;
    let hex = '';
    for (const b of digest) hex += b.toString(16).padStart(2, '0');
    return hex;
  }

  function intArg(name, value, max) {
    if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
    if (!Number.isInteger(value) || value < 0 || value > max) throw outOfRange(name, `an integer >= 0 and <= ${max}`, value);
    return value;
  }

  function countPrimes(n) {
    const r = mod._hp_count_primes(intArg('n', n, 1e11));
    if (r < 0) throw kernelError();
    return r;
  }

  function fibonacci(n) {
    if (!mod._hp_fibonacci(intArg('n', n, 1e6))) throw kernelError();
    const digits = result();
    return n <= 78 ? Number(digits) : BigInt(digits);
  }

  function float64Arg(name, value) {
    if (!(value instanceof Float64Array)) {
      throw invalidArgType(name, 'an instance of Float64Array (convert with Float64Array.from(array))', value);
    }
    return value;
  }

  // Copies Float64Arrays into the (16-byte aligned) input area; `room` extra doubles after them.
  function putDoubles(arrays, room) {
    const total = arrays.reduce((n, a) => n + a.length, 0);
    const ptr = inputArea((total + room) * 8);
    let at = ptr / 8;
    for (const a of arrays) {
      mod.HEAPF64.set(a, at);
      at += a.length;
    }
    return ptr;
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

  function financialMetrics(prices, options) {
    float64Arg('prices', prices);
    const o = metricsOptions(options);
    const volumes = o.volumes === undefined ? undefined : float64Arg('options.volumes', o.volumes);
    if (volumes && volumes.length !== prices.length) {
      throw withFields(new RangeError(`options.volumes has ${volumes.length} entries for ${prices.length} prices`),
        'ERR_OUT_OF_RANGE', {});
    }
    putDoubles(volumes ? [prices, volumes] : [prices], 0);
    if (!mod._hp_metrics(prices.length, volumes ? 1 : 0, o.periodsPerYear ?? 252, o.riskFreeRate ?? 0, o.returns === 'log' ? 1 : 0)) {
      throw kernelError();
    }
    const m = new Float64Array(out(96).buffer);
    return {
      count: m[0], meanReturn: m[1], volatility: m[2], annualizedReturn: m[3], annualizedVolatility: m[4],
      sharpe: m[5], maxDrawdown: m[6], maxDrawdownPeak: m[7], maxDrawdownTrough: m[8], vwap: m[9], min: m[10], max: m[11],
    };
  }

  function returns(prices, kind = 'simple') {
    float64Arg('prices', prices);
    if (kind !== 'simple' && kind !== 'log') throw invalidArgValue('kind', kind, "must be 'simple' or 'log'");
    const n = prices.length;
    const ptr = putDoubles([prices], n);
    if (!mod._hp_returns(n, kind === 'log' ? 1 : 0)) throw kernelError();
    const at = ptr / 8 + n;
    return mod.HEAPF64.slice(at, at + Math.max(n - 1, 0));
  }

  // Sorts a typed array in place, in TypedArray.prototype.sort() order; returns the same array.
  function sort(array) {
    const kind = ArrayBuffer.isView(array) ? SORT_KINDS.get(array.constructor) : undefined;
    if (kind === undefined) throw invalidArgType('array', 'an instance of TypedArray', array);
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    const ptr = inputArea(bytes.byteLength);
    mod.HEAPU8.set(bytes, ptr);
    mod._hp_sort(kind, array.length);
    bytes.set(mod.HEAPU8.subarray(ptr, ptr + bytes.byteLength));
    return array;
  }

  // ---------------------------------------------------------------------------------------------
  // JSONata: the addon's jsonata()/Expression (input JSON text or bytes in, JSON text out)
  // ---------------------------------------------------------------------------------------------
  const freeExpression = new FinalizationRegistry((ptr) => mod._hp_jsonata_free(ptr));

  function jsonataError() {
    const e = JSON.parse(result());
    const fields = { position: e.position };
    if (e.token !== '') fields.token = e.token;
    return withFields(new Error(e.message), e.code, fields);
  }

  function inputError() {
    const e = JSON.parse(result());
    return withFields(new Error(`invalid JSON ${e.what} at ${e.message}`), 'HOTPATH_INVALID_JSON', { line: e.line, column: e.column });
  }

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
    const out = { timeoutMs: limitOption(options, 'timeoutMs'), maxDepth: limitOption(options, 'maxDepth') };
    if (options.bindings !== undefined) {
      const b = options.bindings;
      if (isBytes(b) || isArrayBufferLike(b)) out.bindings = b;
      else if (b !== null && typeof b === 'object' && !Array.isArray(b)) out.bindings = JSON.stringify(b);
      else throw invalidArgType(`${name}.bindings`, 'an object or JSON text', b);
    }
    return out;
  }

  // Input then bindings, back to back in the input area; returns their byte lengths.
  function putInputAndBindings(input, bindings) {
    const inputBytes = input === undefined ? new Uint8Array(0)
      : typeof input === 'string' ? encoder.encode(input)
        : input instanceof Uint8Array ? input
          : ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
    const bindingBytes = bindings === undefined ? new Uint8Array(0)
      : typeof bindings === 'string' ? encoder.encode(bindings)
        : bindings instanceof Uint8Array ? bindings
          : ArrayBuffer.isView(bindings) ? new Uint8Array(bindings.buffer, bindings.byteOffset, bindings.byteLength) : new Uint8Array(bindings);
    const ptr = inputArea(inputBytes.byteLength + bindingBytes.byteLength);
    mod.HEAPU8.set(inputBytes, ptr);
    mod.HEAPU8.set(bindingBytes, ptr + inputBytes.byteLength);
    return [inputBytes.byteLength, bindingBytes.byteLength];
  }

  class Expression {
    #ptr;
    #defaults;
    constructor(expression, options) {
      if (typeof expression !== 'string') throw invalidArgType('expression', 'of type string', expression);
      this.#defaults = jsonataOptions(options);
      const ptr = mod._hp_jsonata_compile(put(expression));
      if (ptr === 0) throw jsonataError();
      this.#ptr = ptr;
      this.source = expression;
      freeExpression.register(this, ptr, this);
    }

    // Input: JSON text or bytes (other values are JSON-serialized first; undefined = no input).
    // Returns the result as JSON text: a Uint8Array for byte input, a string otherwise; undefined
    // for an undefined result.
    evaluate(input, options) {
      if (this.#ptr === 0) throw withFields(new Error('this expression was freed'), 'ERR_INVALID_STATE', {});
      const o = options === undefined ? this.#defaults : { ...this.#defaults, ...jsonataOptions(options) };
      const data = input === undefined ? undefined : toInput(input, 'input');
      const [n, m] = putInputAndBindings(data, o.bindings);
      const r = mod._hp_jsonata_evaluate(this.#ptr, data === undefined ? 0 : 1, n, m, o.timeoutMs ?? 0, o.maxDepth ?? 0);
      if (r === -1) throw jsonataError();
      if (r === -2) throw inputError();
      if (r === 0) return undefined;
      if (data !== undefined && typeof data !== 'string') {
        const ptr = mod._hp_result_data();
        return mod.HEAPU8.slice(ptr, ptr + mod._hp_result_size());
      }
      return result();
    }

    // The module is single-threaded: the same work, settled as a promise (in a browser, run it
    // in a Web Worker to keep the page responsive).
    evaluateAsync(input, options) {
      try {
        return Promise.resolve(this.evaluate(input, options));
      } catch (err) {
        return Promise.reject(err);
      }
    }

    // Frees the compiled expression now rather than when it is collected.
    free() {
      if (this.#ptr === 0) return;
      freeExpression.unregister(this);
      mod._hp_jsonata_free(this.#ptr);
      this.#ptr = 0;
    }
  }

  function jsonata(expression, options) {
    return new Expression(expression, options);
  }

  // Bytes malloc has handed out and not taken back (for leak tests and the curious).
  function heapInUse() {
    return mod._hp_heap_in_use();
  }

  return {
    compile, Compiler, jsonata, Expression, xxh64, xxh3, xxh3_128, sha256, countPrimes, fibonacci, financialMetrics, returns, sort,
    heapInUse,
  };
}
