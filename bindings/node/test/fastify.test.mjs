// Tests of the hotpath/fastify plugin (lib/fastify.js): bodies are validated natively from the
// raw bytes before JSON.parse, through fastify.inject and through a real listening server.
//   node --test bindings/node/test/fastify.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import Fastify from 'fastify';
import hotpathFastify from '../lib/fastify.mjs';

const require = createRequire(import.meta.url);
const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const orderSchema = JSON.parse(readFileSync(`${examples}schemas/order.schema.json`, 'utf8'));
const orderText = JSON.stringify(JSON.parse(readFileSync(`${examples}orders/order.json`, 'utf8')));
const orderInvalidText = readFileSync(`${examples}orders/order-invalid.json`, 'utf8');

// A small draft-07 schema (Fastify's dialect) whose errors are easy to state exactly.
const itemSchema = {
  type: 'object',
  required: ['sku', 'qty'],
  additionalProperties: false,
  properties: {
    sku: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{3}$' },
    qty: { type: 'integer', minimum: 1 },
  },
};

async function buildApp({ pluginOptions, fastifyOptions, routes } = {}) {
  const app = Fastify({ logger: false, ...fastifyOptions });
  await app.register(hotpathFastify, pluginOptions);
  const seen = [];
  const echo = async (request) => {
    seen.push(request.body);
    return { received: request.body, validationError: request.validationError?.message ?? null };
  };
  if (routes) routes(app, echo);
  else {
    app.post('/orders', { schema: { body: orderSchema } }, echo);
    app.post('/items', { schema: { body: itemSchema } }, echo);
    app.post('/free', echo);
    app.post('/loose', { schema: { body: { type: 'object', required: ['sku'] } } }, echo);
  }
  await app.ready();
  return { app, seen };
}

const post = (app, url, payload, contentType = 'application/json') =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

test('valid_body_reaches_handler_parsed', async () => {
  const { app, seen } = await buildApp();
  const res = await post(app, '/orders', orderText);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(seen, [JSON.parse(orderText)]);
  assert.deepEqual(res.json().received, JSON.parse(orderText));
  await app.close();
});

test('invalid_body_gets_400_with_standard_output_and_fastify_fields', async () => {
  const { app, seen } = await buildApp();
  const res = await post(app, '/items', JSON.stringify({ sku: 'abc', qty: 0 }));
  assert.equal(res.statusCode, 400);
  assert.match(res.headers['content-type'], /^application\/json/);
  const pattern = 'must match pattern "^[A-Z]{3}-[0-9]{3}$", got "abc"';
  assert.deepEqual(res.json(), {
    statusCode: 400,
    code: 'FST_ERR_VALIDATION',
    error: 'Bad Request',
    message: `body/sku ${pattern}, body/qty must be >= 1, got 0`,
    valid: false,
    errors: [
      { keywordLocation: '/properties/sku/pattern', absoluteKeywordLocation: '#/properties/sku/pattern',
        instanceLocation: '/sku', error: pattern },
      { keywordLocation: '/properties/qty/minimum', absoluteKeywordLocation: '#/properties/qty/minimum',
        instanceLocation: '/qty', error: 'must be >= 1, got 0' },
    ],
  });
  assert.deepEqual(seen, []);
  await app.close();
});

test('invalid_order_reports_every_violation', async () => {
  const { app } = await buildApp();
  const res = await post(app, '/orders', orderInvalidText);
  assert.equal(res.statusCode, 400);
  const body = res.json();
  assert.equal(body.valid, false);
  const instances = new Set(body.errors.map((e) => e.instanceLocation));
  for (const where of ['/quantity', '/limitPrice', '/side', '/trader/email']) assert.ok(instances.has(where), where);
  assert.ok(body.errors.some((e) => e.keywordLocation === '/required'), 'missing currency');
  await app.close();
});

test('invalid_json_gets_400_with_line_and_column', async () => {
  const { app, seen } = await buildApp();
  for (const url of ['/items', '/free']) {
    const res = await post(app, url, '{\n  "sku": "ABC-123",,\n  "qty": 1\n}');
    assert.equal(res.statusCode, 400, url);
    const message = "invalid JSON at line 2, column 20: expected a string key after ','";
    assert.deepEqual(res.json(), {
      statusCode: 400,
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      error: 'Bad Request',
      message,
      valid: false,
      errors: [{ keywordLocation: '', absoluteKeywordLocation: '', instanceLocation: '', error: message }],
      line: 2,
      column: 20,
    }, url);
  }
  assert.deepEqual(seen, []);
  await app.close();
});

test('empty_body_gets_fastify_empty_json_error', async () => {
  const { app } = await buildApp();
  const res = await post(app, '/items', '');
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().code, 'FST_ERR_CTP_EMPTY_JSON_BODY');
  await app.close();
});

test('body_over_body_limit_gets_413', async () => {
  const { app, seen } = await buildApp({
    fastifyOptions: { bodyLimit: 512 },
    routes(app, echo) {
      app.post('/orders', { schema: { body: orderSchema } }, echo); // order is 738 bytes > 512
      app.post('/small', { bodyLimit: 16, schema: { body: itemSchema } }, echo);
    },
  });
  let res = await post(app, '/orders', orderText);
  assert.equal(res.statusCode, 413);
  assert.equal(res.json().code, 'FST_ERR_CTP_BODY_TOO_LARGE');
  res = await post(app, '/small', JSON.stringify({ sku: 'ABC-123', qty: 1 }));
  assert.equal(res.statusCode, 413);
  assert.deepEqual(seen, []);
  await app.close();
});

test('route_without_schema_gets_json_parse_result', async () => {
  const { app, seen } = await buildApp();
  const res = await post(app, '/free', '{"anything":[1,2,{"x":null}],"n":1e3}');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(seen, [{ anything: [1, 2, { x: null }], n: 1000 }]);
  await app.close();
});

test('content_type_variants_are_validated_the_same', async () => {
  const { app, seen } = await buildApp();
  for (const ct of ['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON']) {
    const ok = await post(app, '/items', '{"sku":"ABC-123","qty":2}', ct);
    assert.equal(ok.statusCode, 200, ct);
    const bad = await post(app, '/items', '{"sku":"ABC-123","qty":0}', ct);
    assert.equal(bad.statusCode, 400, ct);
    assert.equal(bad.json().errors[0].instanceLocation, '/qty', ct);
  }
  assert.equal(seen.length, 3);
  await app.close();
});

test('routes_with_different_schemas_use_their_own', async () => {
  const { app } = await buildApp({
    routes(app, echo) {
      app.post('/a', { schema: { body: { type: 'object', required: ['a'] } } }, echo);
      app.post('/b', { schema: { body: { type: 'object', required: ['b'] } } }, echo);
      app.put('/a-or-b', { schema: { body: { type: 'array', maxItems: 1 } } }, echo);
    },
  });
  assert.equal((await post(app, '/a', '{"a":1}')).statusCode, 200);
  assert.equal((await post(app, '/a', '{"b":1}')).statusCode, 400);
  assert.equal((await post(app, '/b', '{"b":1}')).statusCode, 200);
  assert.equal((await post(app, '/b', '{"a":1}')).statusCode, 400);
  const put = (payload) => app.inject({ method: 'PUT', url: '/a-or-b', payload, headers: { 'content-type': 'application/json' } });
  assert.equal((await put('[1]')).statusCode, 200);
  assert.equal((await put('[1,2]')).json().errors[0].keywordLocation, '/maxItems');
  await app.close();
});

test('fastify_does_not_compile_or_run_its_own_body_validator', async () => {
  const compiled = [];
  const { app } = await buildApp({
    routes(app, echo) {
      app.setValidatorCompiler((req) => {
        compiled.push(req.httpPart);
        const ajv = new (require('ajv').default)({ coerceTypes: true });
        return ajv.compile(req.schema);
      });
      app.post('/orders', {
        schema: { body: orderSchema, querystring: { type: 'object', properties: { dry: { type: 'boolean' } } } },
      }, echo);
    },
  });
  // The 2020-12 order schema would not even compile with this draft-07 ajv.
  assert.deepEqual(compiled, ['querystring']);
  assert.equal((await post(app, '/orders?dry=true', orderText)).statusCode, 200);
  const badQuery = await post(app, '/orders?dry=maybe', orderText);
  assert.equal(badQuery.statusCode, 400);
  assert.match(badQuery.json().message, /^querystring\/dry /);
  await app.close();
});

test('header_schemas_keep_fastify_case_insensitivity', async () => {
  const { app } = await buildApp({
    routes(app, echo) {
      app.post('/h', {
        schema: {
          body: itemSchema,
          headers: { type: 'object', required: ['X-Desk'], properties: { 'X-Desk': { enum: ['eq', 'fx'] } } },
        },
      }, echo);
    },
  });
  const send = (desk) => app.inject({
    method: 'POST', url: '/h', payload: '{"sku":"ABC-123","qty":1}',
    headers: { 'content-type': 'application/json', ...(desk ? { 'x-desk': desk } : {}) },
  });
  assert.equal((await send('eq')).statusCode, 200);
  assert.equal((await send('xx')).statusCode, 400);
  assert.equal((await send(null)).statusCode, 400);
  await app.close();
});

test('non_json_body_on_schema_route_is_still_validated', async () => {
  const { app, seen } = await buildApp({
    routes(app, echo) {
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' },
        (req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body))));
      app.post('/items', { schema: { body: itemSchema } }, echo);
      app.post('/orders', { schema: { body: orderSchema } }, echo);
    },
  });
  const form = 'application/x-www-form-urlencoded';
  // Fastify's ajv (coerceTypes) validates the form body: qty "2" -> 2.
  assert.equal((await post(app, '/items', 'sku=ABC-123&qty=2', form)).statusCode, 200);
  assert.equal((await post(app, '/items', 'sku=ABC-123&qty=0', form)).statusCode, 400);
  // Only hotpath understands the 2020-12 schema: other content types are refused, not let through.
  const res = await post(app, '/orders', 'orderId=1', form);
  assert.equal(res.statusCode, 400);
  assert.match(res.json().message, /must be sent as application\/json/);
  assert.deepEqual(seen, [{ sku: 'ABC-123', qty: 2 }]);
  await app.close();
});

test('attach_validation_runs_handler_with_validation_error', async () => {
  const { app, seen } = await buildApp({
    routes(app, echo) {
      app.post('/items', { attachValidation: true, schema: { body: itemSchema } }, echo);
    },
  });
  const res = await post(app, '/items', '{"sku":"ABC-123","qty":0}');
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().validationError, 'body/qty must be >= 1, got 0');
  assert.deepEqual(seen, [{ sku: 'ABC-123', qty: 0 }]);
  await app.close();
});

test('error_response_fastify_leaves_the_reply_to_fastify_error_handlers', async () => {
  let handled;
  const { app } = await buildApp({
    pluginOptions: { errorResponse: 'fastify' },
    routes(app, echo) {
      app.setErrorHandler((error, request, reply) => {
        handled = error;
        reply.code(422).send({ problems: error.validation.length, standard: error.errors });
      });
      app.post('/items', { schema: { body: itemSchema } }, echo);
    },
  });
  const res = await post(app, '/items', '{"sku":"ABC-123","qty":0}');
  assert.equal(res.statusCode, 422);
  assert.equal(handled.code, 'FST_ERR_VALIDATION');
  assert.equal(handled.validationContext, 'body');
  assert.equal(handled.validation[0].instancePath, '/qty');
  assert.equal(handled.validation[0].keyword, 'minimum');
  assert.equal(res.json().standard[0].instanceLocation, '/qty');
  await app.close();
});

test('user_error_handlers_still_see_other_errors', async () => {
  const { app } = await buildApp({
    routes(app) {
      app.setErrorHandler((error, request, reply) => reply.code(418).send({ mine: error.message }));
      app.post('/boom', { schema: { body: itemSchema } }, async () => { throw new Error('boom'); });
    },
  });
  const res = await post(app, '/boom', '{"sku":"ABC-123","qty":1}');
  assert.equal(res.statusCode, 418);
  assert.deepEqual(res.json(), { mine: 'boom' });
  await app.close();
});

test('prototype_poisoning_is_refused_like_fastify', async () => {
  const { app, seen } = await buildApp();
  for (const url of ['/free', '/loose']) {
    const res = await post(app, url, '{"sku":"ABC-123","qty":1,"__proto__":{"admin":true}}');
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.json().code, 'FST_ERR_CTP_INVALID_JSON_BODY', url);
    assert.equal(res.json().message, 'Object contains forbidden prototype property', url);
  }
  assert.deepEqual(seen, []);
  await app.close();
});

test('large_bodies_validate_on_the_libuv_pool', async () => {
  const { app, seen } = await buildApp({ pluginOptions: { asyncThreshold: 0 } });
  assert.equal((await post(app, '/orders', orderText)).statusCode, 200);
  const bad = await post(app, '/items', '{"sku":"ABC-123","qty":0}');
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].instanceLocation, '/qty');
  assert.equal((await post(app, '/items', '{"sku":')).json().code, 'FST_ERR_CTP_INVALID_JSON_BODY');
  assert.equal(seen.length, 1);
  await app.close();
});

test('schema_that_does_not_compile_fails_at_route_declaration', async () => {
  const app = Fastify();
  await app.register(hotpathFastify);
  assert.throws(
    () => app.post('/broken', { schema: { body: { type: 'strnig' } } }, async () => 'x'),
    (err) => err.code === 'HOTPATH_FASTIFY_SCHEMA' && /POST \/broken/.test(err.message));
  await app.close();
});

test('bad_plugin_options_fail_register', async () => {
  const app = Fastify();
  app.register(hotpathFastify, { errorResponse: 'html' });
  await assert.rejects(app.ready(), (err) => err instanceof TypeError && /errorResponse/.test(err.message));
});

test('cjs_require_gives_the_same_plugin', () => {
  const cjs = require('../lib/fastify.js');
  assert.equal(cjs, hotpathFastify);
  assert.equal(cjs.default, hotpathFastify);
  assert.equal(cjs[Symbol.for('skip-override')], true);
});

test('real_server_on_ephemeral_port', async () => {
  const { app, seen } = await buildApp({ fastifyOptions: { bodyLimit: 4096 } });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const send = (url, body, contentType = 'application/json') =>
      fetch(`${address}${url}`, { method: 'POST', body, headers: { 'content-type': contentType } });

    let res = await send('/orders', orderText);
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).received, JSON.parse(orderText));

    res = await send('/orders', orderInvalidText, 'application/json; charset=utf-8');
    assert.equal(res.status, 400);
    let body = await res.json();
    assert.equal(body.code, 'FST_ERR_VALIDATION');
    assert.equal(body.valid, false);
    assert.ok(body.errors.length >= 5);

    res = await send('/items', '{"sku": "ABC-123",\n "qty": }');
    assert.equal(res.status, 400);
    body = await res.json();
    assert.equal(body.code, 'FST_ERR_CTP_INVALID_JSON_BODY');
    assert.deepEqual([body.line, body.column], [2, 9]);

    res = await send('/free', '{"x":1}');
    assert.deepEqual((await res.json()).received, { x: 1 });

    res = await send('/orders', `{"notes":"${'x'.repeat(8192)}"}`);
    assert.equal(res.status, 413);
    await res.arrayBuffer();
  } finally {
    await app.close();
  }
  assert.equal(seen.length, 2);
});
