// The peer for bench/server/run.sh: a Fastify server doing what hotpathd's
// POST /v1/validate/{name} does for the orders pipeline — ajv 8 (+ ajv-formats, formats
// asserted) over one JSON record, or over each line of an NDJSON body — and answering the same
// shapes ({"valid":true} / 422 with the errors; NDJSON: one line per input line).
//   node bench/server/fastify-server.mjs PORT
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Fastify from 'fastify';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'examples/schemas/order.schema.json')));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const unit = (text) => {
  let record;
  try {
    record = JSON.parse(text);
  } catch (e) {
    return { valid: false, line: JSON.stringify({ valid: false, errors: [{ error: e.message }] }) };
  }
  if (validate(record)) return { valid: true, line: '{"valid":true}' };
  return { valid: false, line: JSON.stringify({ valid: false, errors: validate.errors }) };
};

const app = Fastify({ logger: false, bodyLimit: 16 << 20 });
// Raw bodies for both types: the route parses, as hotpathd does.
app.addContentTypeParser(['application/json', 'application/x-ndjson'], { parseAs: 'string' },
  (req, body, done) => done(null, body));
app.post('/v1/validate/orders', async (req, reply) => {
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/x-ndjson')) {
    const lines = req.body.split('\n');
    if (lines.at(-1) === '') lines.pop();
    reply.type('application/x-ndjson');
    return lines.map((l) => unit(l).line).join('\n') + '\n';
  }
  const r = unit(req.body);
  reply.code(r.valid ? 200 : 422).type('application/json');
  return r.line + '\n';
});
await app.listen({ port: Number(process.argv[2] ?? 3000), host: '127.0.0.1' });
console.log(`fastify listening on port ${app.server.address().port}`);
