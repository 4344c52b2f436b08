// Types of the `hotpath` package (ESM entry): the same API as index.d.ts.
import * as hotpath from './index.js';

export * from './index.js';
export default hotpath;
