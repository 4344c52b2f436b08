// compile(): the ajv drop-in on Buffers and strings, its options, check(), validateMany() and
// validateAsync(), compared with ajv 8 on the same schemas and inputs.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { compile, Compiler } from 'hotpath';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const Ajv7 = require('ajv').default;
const Ajv4 = require('ajv-draft-04');
const addFormats = require('ajv-formats');

const keywords = (errors) => (errors ?? []).map((e) => `${e.keyword}@${e.instancePath}`).sort();

// Schemas and inputs on which ajv (allErrors) and hotpath agree on the verdict and on every
// error's keyword and instancePath.
const PARITY_2020 = [
  [{ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string', maxLength: 3 } }, required: ['a'], additionalProperties: false },
    [{ a: 1 }, { a: 1.5 }, { b: 'abcd' }, { a: 1, c: 2 }, [], { a: 'x', b: 5 }, { a: 1, b: 'ab', c: 1, d: 2 }]],
  [{ anyOf: [{ type: 'string' }, { type: 'number', minimum: 10 }] }, ['x', 12, 5, null]],
  [{ oneOf: [{ type: 'integer' }, { minimum: 2 }] }, [1, 3, 1.5, 'x']],
  [{ $defs: { pos: { type: 'number', exclusiveMinimum: 0 } }, type: 'array', items: { $ref: '#/$defs/pos' }, minItems: 1, uniqueItems: true },
    [[1, 2], [], [1, -1, 0], [2, 2]]],
  [{ type: 'object', properties: { e: { enum: ['a', 'b'] }, c: { const: { x: 1 } }, p: { pattern: '^a+$' }, m: { multipleOf: 0.5 } } },
    [{ e: 'c' }, { c: { x: 2 } }, { c: { x: 1 } }, { p: 'ab' }, { p: 'aaa' }, { m: 1.5 }, { m: 0.3 }]],
  [{ type: 'object', properties: { email: { format: 'email' }, d: { format: 'date' }, t: { format: 'date-time' } } },
    [{ email: 'a@b.co' }, { email: 'nope' }, { d: '2024-02-30' }, { d: '2024-02-29' }, { t: '2024-01-01T00:00:00Z' }, { t: 'yesterday' }]],
  [{ type: 'object', patternProperties: { '^x': { type: 'number' } }, propertyNames: { maxLength: 3 }, minProperties: 1, maxProperties: 2 },
    [{ x1: 1 }, { x1: 'a' }, {}, { a: 1, b: 2, c: 3 }]],
  [{ type: 'object', dependentRequired: { a: ['b'] } }, [{ a: 1, b: 1 }, { a: 1 }, { b: 1 }]],
  [{ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'number' } }, [['a', 5], ['a'], [1, 5], ['a', 'b']]],
  [{ not: { type: 'null' } }, [1, null]],
  [{ type: 'object', properties: { n: { type: ['string', 'null'] }, q: { minLength: 2, maxLength: 4 } } },
    [{ n: null }, { n: 1 }, { q: 'a' }, { q: 'abcde' }, { q: 'abc' }]],
  [{ type: 'object', unevaluatedProperties: false, properties: { a: true }, allOf: [{ properties: { b: true } }] },
    [{ a: 1, b: 2 }, { a: 1, z: 2 }]],
];

const ORDER_SCHEMA = {
  $id: 'https://example.com/order.json',
  type: 'object',
  required: ['id', 'items', 'total'],
  properties: {
    id: { type: 'string', pattern: '^ord_[0-9a-z]+$' },
    email: { type: 'string', format: 'email' },
    items: {
      type: 'array', minItems: 1,
      items: { type: 'object', required: ['sku', 'qty'], properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } } },
    },
    total: { type: 'number', minimum: 0 },
  },
};
const order = (i, ok = true) => ({ id: `ord_${i}`, email: `u${i}@example.com`, items: [{ sku: 'A', qty: ok ? 1 : 0 }], total: i });

function parity(AjvClass, schema, inputs, extra = {}) {
  const ajv = new AjvClass({ allErrors: true, strict: false });
  addFormats(ajv);
  const a = ajv.compile(schema);
  const v = compile(schema, { formats: true, ...extra });
  for (const input of inputs) {
    const text = JSON.stringify(input);
    const expected = a(input);
    // A JS string is JSON text to hotpath, so only non-strings also go through the slow path.
    const slow = typeof input === 'string' ? [] : [input];
    for (const form of [Buffer.from(text), text, new Uint8Array(Buffer.from(text)), ...slow]) {
      assert.equal(v(form), expected, `${text} as ${form?.constructor?.name}`);
      assert.deepEqual(keywords(v.errors), keywords(a.errors), `${text}: errors`);
    }
  }
}

describe('drop-in parity with ajv', () => {
  it('agrees with ajv 2020-12 on verdicts, keywords and instancePaths', () => {
    for (const [schema, inputs] of PARITY_2020) parity(Ajv2020, schema, inputs);
  });

  it('agrees with ajv draft-07 when the default dialect is draft7', () => {
    const schema = { type: 'object', properties: { t: { items: [{ type: 'string' }], additionalItems: false }, d: { dependencies: { a: ['b'] } } } };
    parity(Ajv7, schema, [{ t: ['a'] }, { t: ['a', 1] }, { t: [1] }, { d: { a: 1 } }, { d: { a: 1, b: 1 } }], { defaultDialect: 'draft7' });
  });

  it('agrees with ajv draft-04 (boolean exclusiveMaximum)', () => {
    const schema = { $schema: 'http://json-schema.org/draft-04/schema#', type: 'number', maximum: 10, exclusiveMaximum: true };
    parity(Ajv4, schema, [9, 10, 11]);
  });

  it('gives ajv-shaped errors with schemaPath and params', () => {
    const v = compile({ type: 'object', required: ['id'], properties: { price: { type: 'number', minimum: 0 } } });
    assert.equal(v(Buffer.from('{"price":-1}')), false);
    assert.deepEqual(v.errors, [
      { instancePath: '', schemaPath: '#/required', keyword: 'required', params: { missingProperty: 'id' }, message: 'required property "id" is missing' },
      { instancePath: '/price', schemaPath: '#/properties/price/minimum', keyword: 'minimum', params: { comparison: '>=', limit: 0 }, message: 'must be >= 0, got -1' },
    ]);
  });

  it('points schemaPath into the $ref target like ajv', () => {
    const schema = { $defs: { qty: { type: 'integer' } }, properties: { q: { $ref: '#/$defs/qty' } } };
    const v = compile(schema);
    const ajv = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    assert.equal(v('{"q":"x"}'), ajv({ q: 'x' }));
    assert.deepEqual(v.errors.map((e) => e.schemaPath), ajv.errors.map((e) => e.schemaPath));
  });

  it('compares decimals exactly where ajv uses floating point (documented difference)', () => {
    const schema = { multipleOf: 0.01 };
    assert.equal(new Ajv2020({ strict: false }).compile(schema)(19.99), false);
    assert.equal(compile(schema)('19.99'), true);
  });
});

describe('validate function', () => {
  const v = compile(ORDER_SCHEMA, { formats: true });

  it('sets errors to null after a success and keeps them after a failure', () => {
    assert.equal(v(JSON.stringify(order(1, false))), false);
    assert.equal(v.errors.length, 1);
    assert.equal(v(JSON.stringify(order(1))), true);
    assert.equal(v.errors, null);
  });

  it('builds errors lazily from the last call only', () => {
    v('{"id":"x"}');
    v(JSON.stringify(order(2, false)));
    assert.deepEqual(keywords(v.errors), ['minimum@/items/0/qty']);
    v.errors = null;  // ajv code resets it by hand
    assert.equal(v.errors, null);
  });

  it('accepts DataView, ArrayBuffer and sub-views of a larger buffer in place', () => {
    const text = JSON.stringify(order(3));
    const big = Buffer.from(`xxxx${text}yyyy`);
    assert.equal(v(big.subarray(4, 4 + text.length)), true);
    assert.equal(v(new DataView(big.buffer, big.byteOffset + 4, text.length)), true);
    assert.equal(v(new TextEncoder().encode(text).buffer), true);
  });

  it('validates plain values (the slow path) with the same answers', () => {
    for (const input of [order(4), order(4, false), { id: 1 }, [], 42, null, true]) {
      const bytes = v(Buffer.from(JSON.stringify(input)));
      const bytesErrors = v.errors;
      assert.equal(v(input), bytes);
      assert.deepEqual(v.errors, bytesErrors);
    }
  });

  it('reports input that is not JSON as one "parse" error with line and column', () => {
    assert.equal(v('{\n  "id": "ord_1",\n  "items": [,]\n}'), false);
    assert.deepEqual(v.errors, [{
      instancePath: '', schemaPath: '', keyword: 'parse',
      params: { line: 3, column: 13, offset: 31 },
      message: v.errors[0].message,
    }]);
    assert.match(v.errors[0].message, /^invalid JSON at line 3, column 13: /);
    assert.equal(v(''), false);
    assert.equal(v.errors[0].keyword, 'parse');
  });
});

describe('check()', () => {
  const v = compile({ properties: { a: { type: 'string' } } });
  it('returns the standard output unit', () => {
    assert.deepEqual(v.check('{"a":"x"}'), { valid: true });
    assert.deepEqual(v.check('{"a":1}', { output: 'flag' }), { valid: false });
    assert.deepEqual(v.check(Buffer.from('{"a":1}')), {
      valid: false,
      errors: [{ keywordLocation: '/properties/a/type', absoluteKeywordLocation: '#/properties/a/type', instanceLocation: '/a', error: v.check('{"a":1}').errors[0].error }],
    });
    assert.deepEqual(v.check({ a: 1 }), v.check('{"a":1}'));
  });
  it('reports invalid JSON the way the CLI does', () => {
    const out = v.check('{"a":');
    assert.equal(out.valid, false);
    assert.equal(out.errors.length, 1);
    assert.equal(out.errors[0].keywordLocation, '');
    assert.match(out.errors[0].error, /^invalid JSON at line 1, column 6: /);
  });
  it('rejects unknown output formats', () => {
    assert.throws(() => v.check('{}', { output: 'verbose' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  });
});

describe('compile options', () => {
  it('formats: annotation by default, asserted with formats: true', () => {
    const schema = { format: 'email' };
    assert.equal(compile(schema)('"nope"'), true);
    assert.equal(compile(schema, { formats: true })('"nope"'), false);
  });

  it('defaultDialect applies to schemas without $schema', () => {
    const schema = { items: [{ type: 'string' }] };  // tuple form: draft 7 only
    assert.equal(compile(schema, { defaultDialect: 'draft7' })('[1]'), false);
    assert.equal(compile(schema, { defaultDialect: 'http://json-schema.org/draft-07/schema#' })('[1]'), false);
    assert.throws(() => compile(schema), { code: 'HOTPATH_SCHEMA_INVALID' });  // 2020-12: items must be a schema
  });

  it('refMap resolves remote $refs from a directory, schemas/addSchema from memory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotpath-refmap-'));
    try {
      mkdirSync(join(dir, 'defs'));
      writeFileSync(join(dir, 'defs', 'money.json'), JSON.stringify({ type: 'number', minimum: 0 }));
      const v = compile({ properties: { price: { $ref: 'https://schemas.test/defs/money.json' } } },
        { refMap: { 'https://schemas.test/': dir } });
      assert.equal(v('{"price":1}'), true);
      assert.equal(v('{"price":-1}'), false);
      assert.equal(v.errors[0].keyword, 'minimum');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const sku = { $id: 'https://schemas.test/sku.json', type: 'string', pattern: '^[A-Z]+$' };
    assert.equal(compile({ $ref: 'https://schemas.test/sku.json' }, { schemas: [sku] })('"ab"'), false);
    assert.equal(compile({ $ref: 'urn:qty' }, { schemas: { 'urn:qty': { type: 'integer' } } })('1.5'), false);
    const c = new Compiler({ formats: true }).addSchema(sku).addSchema('{"type":"integer"}', 'urn:int');
    assert.equal(c.compile({ $ref: 'https://schemas.test/sku.json' })('"AB"'), true);
    assert.equal(c.compile({ items: { $ref: 'urn:int' } })('[1, 2.5]'), false);
  });

  it('accepts the schema as JSON text or bytes', () => {
    assert.equal(compile('{"type":"string"}')('"x"'), true);
    assert.equal(compile(Buffer.from('{"type":"string"}'))('1'), false);
    assert.equal(compile(false)('1'), false);
  });
});

describe('validateMany()', () => {
  it('validates 10,000 NDJSON records: one 0/1 per line plus the failing lines', () => {
    const v = compile(ORDER_SCHEMA, { formats: true });
    const lines = [];
    for (let i = 0; i < 10_000; i++) lines.push(JSON.stringify(order(i, i % 1000 !== 7)));
    lines[42] = '{"id":';  // not JSON
    const result = v.validateMany(Buffer.from(`${lines.join('\n')}\n`));
    assert.ok(result.valid instanceof Uint8Array);
    assert.equal(result.valid.length, 10_000);
    const failing = [...result.valid.keys()].filter((i) => result.valid[i] === 0);
    assert.deepEqual(failing, [7, 42, ...Array.from({ length: 9 }, (_, k) => 1007 + 1000 * k)]);
    assert.deepEqual(result.errors.map((e) => e.line), failing.map((i) => i + 1));
    assert.equal(result.errors[0].errors[0].keyword, 'minimum');
    assert.equal(result.errors[1].errors[0].keyword, 'parse');
    assert.match(result.errors[1].errors[0].message, /^invalid JSON at line 43, column 7: /);
    // Same answers as one call per record.
    lines.forEach((line, i) => assert.equal(v(line), result.valid[i] === 1));
  });

  it('follows the CLI line rules: blank lines are invalid, CRLF accepted, no record after a final newline', () => {
    const v = compile({ type: 'object' });
    const r = v.validateMany('{}\r\n\n  \n[]\n{}');
    assert.deepEqual([...r.valid], [1, 0, 0, 0, 1]);
    assert.equal(r.errors[0].errors[0].message, 'invalid JSON at line 2, column 1: empty line');
    assert.deepEqual([...v.validateMany('').valid], []);
    assert.deepEqual([...v.validateMany('{}\n').valid], [1]);
  });
});

describe('validateAsync()', () => {
  it('runs 64 validations in flight on the thread pool with the sync answers', async () => {
    const v = compile(ORDER_SCHEMA, { formats: true, asyncThreshold: 0 });
    const inputs = Array.from({ length: 64 }, (_, i) => Buffer.from(JSON.stringify(order(i, i % 3 !== 0))));
    const results = await Promise.all(inputs.map((b) => v.validateAsync(b)));
    results.forEach((r, i) => {
      assert.equal(r.valid, i % 3 !== 0);
      assert.equal(v(inputs[i]), r.valid);
      assert.deepEqual(r.errors, v.errors);
    });
  });

  it('gives the same results inline (small inputs) and for strings and objects', async () => {
    const v = compile(ORDER_SCHEMA);
    assert.deepEqual(await v.validateAsync(JSON.stringify(order(1))), { valid: true, errors: null });
    const pooled = compile(ORDER_SCHEMA, { asyncThreshold: 0 });
    const a = await v.validateAsync(order(1, false));
    const b = await pooled.validateAsync(JSON.stringify(order(1, false)));
    assert.deepEqual(a, b);
    assert.equal(a.valid, false);
    const parse = await pooled.validateAsync(Buffer.from('[1,'));
    assert.equal(parse.errors[0].keyword, 'parse');
  });

  it('does not disturb v.errors of the sync calls', async () => {
    const v = compile({ type: 'string' }, { asyncThreshold: 0 });
    assert.equal(v('1'), false);
    await v.validateAsync('2');
    await compile({ type: 'string' }).validateAsync('3');
    assert.equal(v.errors[0].keyword, 'type');
  });
});
