// Types of `hotpath/fastify` (ESM entry): the same plugin as fastify.d.ts.
import hotpathFastify from './fastify.js';

export type { HotpathFastifyOptions, HotpathBodyError } from './fastify.js';
export { hotpathFastify };
export default hotpathFastify;
