// @hotpath/wasm, ES module entry (browsers, Web Workers, Node):
//   import init, { compile } from '@hotpath/wasm';
//   await init();            // once; later calls return the same promise
//   const v = compile(schema, { formats: true });
// The functions below throw until init() has resolved, except rules(), which needs no wasm:
//   const rule = await rules(source, { filename: 'rules.js' });
import { bindApi } from './api.mjs';

export { rules } from '../dist/rules.mjs';

const isNode = typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';
let api = null;
let loading = null;

async function wasmBytes(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return source;
  const url = source ?? new URL('../dist/hotpath_wasm.wasm', import.meta.url);
  if (isNode && (typeof url === 'string' ? !/^(https?|data|blob):/.test(url) : url.protocol === 'file:')) {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

async function load(options) {
  let factory;
  try {
    factory = (await import('../dist/hotpath_wasm.mjs')).default;
  } catch (cause) {
    const err = new Error('@hotpath/wasm: dist/hotpath_wasm.mjs is missing or broken; build it with `make wasm` ' +
      `at the repository root (${cause.message})`);
    err.code = 'HOTPATH_WASM_LOAD_FAILED';
    err.cause = cause;
    throw err;
  }
  const wasmBinary = await wasmBytes(options?.wasm);
  const mod = await factory({ wasmBinary, print: () => {}, printErr: (text) => console.error(text) });
  api = bindApi(mod);
}

// Loads and instantiates the module. options.wasm: the .wasm as a URL/path (default: next to
// this package's dist/ glue) or its bytes (ArrayBuffer, typed array).
export default function init(options) {
  if (loading === null) {
    loading = load(options).catch((err) => {
      loading = null;
      throw err;
    });
  }
  return loading;
}
export { init };

function ready() {
  if (api === null) {
    const err = new Error('@hotpath/wasm is not initialized: `await init()` first');
    err.code = 'HOTPATH_WASM_NOT_INITIALIZED';
    throw err;
  }
  return api;
}

export const compile = (schema, options) => ready().compile(schema, options);
export const jsonata = (expression, options) => ready().jsonata(expression, options);
export const xxh64 = (data, seed) => ready().xxh64(data, seed);
export const xxh3 = (data, seed) => ready().xxh3(data, seed);
export const xxh3_128 = (data, seed) => ready().xxh3_128(data, seed);
export const sha256 = (data, encoding) => ready().sha256(data, encoding);
export const countPrimes = (n) => ready().countPrimes(n);
export const fibonacci = (n) => ready().fibonacci(n);
export const financialMetrics = (prices, options) => ready().financialMetrics(prices, options);
export const returns = (prices, kind) => ready().returns(prices, kind);
export const sort = (array) => ready().sort(array);
export const heapInUse = () => ready().heapInUse();
// new Compiler(options) works like the addon's (a class usable after init()).
export const Compiler = function Compiler(options) {
  if (!new.target) throw new TypeError("Class constructor Compiler cannot be invoked without 'new'");
  return new (ready().Compiler)(options);
};
// new Expression(source, options), like the addon's.
export const Expression = function Expression(expression, options) {
  if (!new.target) throw new TypeError("Class constructor Expression cannot be invoked without 'new'");
  return new (ready().Expression)(expression, options);
};
export const version = '0.1.0';
