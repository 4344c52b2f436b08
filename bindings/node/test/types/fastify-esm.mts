// Type test of hotpath/fastify (ESM): checked by tsc --noEmit with fastify-cjs.ts, never run.
import Fastify from 'fastify';
import hotpathFastify, { type HotpathFastifyOptions } from '../../lib/fastify.mjs';
const o: HotpathFastifyOptions = { formats: true, schemas: [] };
await Fastify().register(hotpathFastify, o);
