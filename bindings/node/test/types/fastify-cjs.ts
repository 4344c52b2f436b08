// Type test of hotpath/fastify (CommonJS): checked by tsc --noEmit, never run.
//   npx tsc --noEmit --strict --module nodenext --moduleResolution nodenext --target es2022 --types node \
//     bindings/node/test/types/fastify-cjs.ts bindings/node/test/types/fastify-esm.mts
import Fastify from 'fastify';
import hotpathFastify = require('../../lib/fastify.js');
const app = Fastify();
app.register(hotpathFastify, { formats: false, defaultDialect: 'draft2020-12', errorResponse: 'fastify', asyncThreshold: 1 << 20 });
app.register(hotpathFastify.default);
app.register(hotpathFastify.hotpathFastify, {});
const e = {} as hotpathFastify.HotpathBodyError; const n: number | undefined = e.line;
// @ts-expect-error unknown errorResponse
app.register(hotpathFastify, { errorResponse: 'html' });
