// hotpath/fastify for ES modules: the same plugin object as the CommonJS entry (lib/fastify.js),
// so `import hotpathFastify from 'hotpath/fastify'` and require('hotpath/fastify') are identical.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const hotpathFastify = require('./fastify.js');

export default hotpathFastify;
export { hotpathFastify };
