'use strict';
// @hotpath/wasm, CommonJS entry (Node): the same module as index.mjs, loaded on init().
//   const hotpath = require('@hotpath/wasm');
//   await hotpath.init();
//   const v = hotpath.compile(schema);
let esm = null;

async function init(options) {
  const m = await import('./index.mjs');
  await m.default(options);
  esm = m;
}

function ready() {
  if (esm === null) {
    const err = new Error('@hotpath/wasm is not initialized: `await init()` first');
    err.code = 'HOTPATH_WASM_NOT_INITIALIZED';
    throw err;
  }
  return esm;
}

function Compiler(options) {
  if (!new.target) throw new TypeError("Class constructor Compiler cannot be invoked without 'new'");
  return new (ready().Compiler)(options);
}

function Expression(expression, options) {
  if (!new.target) throw new TypeError("Class constructor Expression cannot be invoked without 'new'");
  return new (ready().Expression)(expression, options);
}

module.exports = {
  init,
  default: init,
  compile: (schema, options) => ready().compile(schema, options),
  Compiler,
  jsonata: (expression, options) => ready().jsonata(expression, options),
  Expression,
  xxh64: (data, seed) => ready().xxh64(data, seed),
  xxh3: (data, seed) => ready().xxh3(data, seed),
  xxh3_128: (data, seed) => ready().xxh3_128(data, seed),
  sha256: (data, encoding) => ready().sha256(data, encoding),
  countPrimes: (n) => ready().countPrimes(n),
  fibonacci: (n) => ready().fibonacci(n),
  financialMetrics: (prices, options) => ready().financialMetrics(prices, options),
  returns: (prices, kind) => ready().returns(prices, kind),
  sort: (array) => ready().sort(array),
  heapInUse: () => ready().heapInUse(),
  // JavaScript rule files need no wasm (nor init()).
  rules: (source, options) => import('../dist/rules.mjs').then((m) => m.rules(source, options)),
  version: '0.1.0',
};
