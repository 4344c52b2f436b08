// ESM entry: the same module as index.js (one addon instance per environment).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const hotpath = require('./index.js');

export const {
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
  version,
} = hotpath;
export default hotpath;
