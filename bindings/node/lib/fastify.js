'use strict';
// hotpath/fastify: a Fastify 5 plugin that replaces the application/json body parser. The raw
// body bytes are validated natively against the route's body schema (compiled once, when the
// route is added) before any JSON.parse; invalid bodies are answered 400 with the JSON Schema
// standard output, valid ones reach the handler parsed. Options and reply shapes: fastify.d.ts.

const { createRequire } = require('node:module');

const JSON_MEDIA_TYPE = 'application/json';
const DEFAULT_ASYNC_THRESHOLD = 16 * 1024; // the addon's own default for validateAsync (DESIGN.md principle 3)

const kRouteState = Symbol('hotpath.fastify.route'); // kept in routeOptions.config, reached per request
const kHotpathError = Symbol('hotpath.fastify.error'); // marks the 400s this plugin raises

// Bodies this plugin parsed and validated; the route's body validator lets exactly these through,
// so Fastify does not validate them a second time. A WeakSet: nothing outlives its request.
const validatedBodies = new WeakSet();

// secure-json-parse is what Fastify's own JSON parser uses (prototype-poisoning checks); it is a
// dependency of fastify, so it is resolved from there, like the default ajv compiler below.
let fastifyRequire;
function requireFromFastify(id) {
  fastifyRequire ??= createRequire(require.resolve('fastify'));
  return fastifyRequire(id);
}

function hotpathFastify(fastify, options, done) {
  let settings;
  let engine;
  try {
    settings = readOptions(options);
    engine = require('./index.js'); // a missing binary fails register() with the addon's own message
  } catch (err) {
    done(err);
    return;
  }
  const sjp = requireFromFastify('secure-json-parse');
  const parseOptions = {
    protoAction: fastify.initialConfig.onProtoPoisoning,
    constructorAction: fastify.initialConfig.onConstructorPoisoning,
  };
  const compiled = new WeakMap(); // body schema object -> validator, shared by routes that share a schema
  let locator; // accepts any JSON; used only to locate syntax errors on routes without a body schema

  fastify.removeContentTypeParser(JSON_MEDIA_TYPE);
  fastify.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'buffer' }, parseJsonBody);
  fastify.addHook('onRoute', onRoute);
  done();

  function onRoute(routeOptions) {
    const instance = this; // the (possibly encapsulated) instance the route is declared on
    const bodySchema = jsonBodySchema(routeOptions.schema);
    const state = { validator: null, schemaErrorFormatter: routeOptions.schemaErrorFormatter };
    if (bodySchema !== undefined) {
      state.validator = compileBodySchema(instance, routeOptions, bodySchema);
      routeOptions.validatorCompiler =
        bodyAwareValidatorCompiler(instance, routeOptions.validatorCompiler, settings.ajv);
    }
    routeOptions.config = { ...routeOptions.config, [kRouteState]: state };
    if (settings.errorResponse === 'standard') {
      routeOptions.errorHandler = standardErrorHandler(routeOptions.errorHandler);
    }
  }

  function compileBodySchema(instance, routeOptions, schema) {
    if (schema !== null && typeof schema === 'object' && compiled.has(schema)) return compiled.get(schema);
    let validator;
    try {
      validator = engine.compile(schema, { ...settings.compileOptions, schemas: sharedSchemas(instance) });
    } catch (err) {
      const e = new Error(`hotpath/fastify: the body schema of ${routeOptions.method} ${routeOptions.url} ` +
                          `does not compile: ${err.message}`, { cause: err });
      e.code = 'HOTPATH_FASTIFY_SCHEMA';
      throw e;
    }
    if (schema !== null && typeof schema === 'object') compiled.set(schema, validator);
    return validator;
  }

  // The instance's fastify.addSchema() schemas (by $id), then the plugin's own `schemas` option.
  function sharedSchemas(instance) {
    const fromFastify = instance.getSchemas();
    const own = settings.compileOptions.schemas;
    if (Array.isArray(own)) return [...Object.values(fromFastify), ...own];
    return { ...fromFastify, ...own };
  }

  // Fastify content-type parser: (request, Buffer, done). Validates before parsing.
  function parseJsonBody(request, body, done) {
    if (body.length === 0) {
      done(emptyBodyError());
      return;
    }
    const routeOptions = request.routeOptions;
    const state = routeOptions.config?.[kRouteState];
    const validator = state?.validator;
    if (!validator) {
      parseValidated(body, done, false);
      return;
    }
    if (body.length >= settings.asyncThreshold) {
      validator.validateAsync(body).then(
        (result) => {
          if (result.valid) parseValidated(body, done, true);
          else rejectBody(request, routeOptions, state, body, done, result.errors);
        },
        (err) => done(err));
      return;
    }
    if (validator(body)) parseValidated(body, done, true);
    else rejectBody(request, routeOptions, state, body, done, validator.errors);
  }

  function parseValidated(body, done, validated) {
    let value;
    try {
      value = sjp.parse(body.toString('utf8'), null, parseOptions);
    } catch (err) {
      done(validated ? poisoningError(err) : jsonSyntaxError(body, err));
      return;
    }
    if (validated && value !== null && typeof value === 'object') validatedBodies.add(value);
    done(null, value);
  }

  function rejectBody(request, routeOptions, state, body, done, ajvErrors) {
    const validation = (ajvErrors ?? []).slice();
    const output = state.validator.check(body, { output: 'basic' }); // failures only: the standard output
    const syntax = jsonSyntaxLocation(validation, output);
    if (syntax) {
      done(jsonError(syntax));
      return;
    }
    const formatter = state.schemaErrorFormatter ?? defaultSchemaErrorFormatter;
    const err = formatter(validation, 'body');
    err.statusCode = 400;
    err.code = 'FST_ERR_VALIDATION';
    err.validation = validation;
    err.validationContext = 'body';
    err.valid = false;
    err.errors = output.errors ?? [];
    err[kHotpathError] = true;
    if (routeOptions.attachValidation) {
      // Fastify's semantics: the handler runs, with the error in request.validationError.
      request.validationError = err;
      parseValidated(body, done, true);
      return;
    }
    done(err);
  }

  // Routes without a body schema: JSON.parse failed; the native parser says where.
  function jsonSyntaxError(body, cause) {
    if (!(cause instanceof SyntaxError) || /forbidden (prototype|constructor) property/.test(cause.message)) {
      return poisoningError(cause);
    }
    locator ??= engine.compile(true);
    const syntax = locator(body) ? null
      : jsonSyntaxLocation(locator.errors, locator.check(body, { output: 'basic' }));
    return jsonError(syntax ?? { message: `invalid JSON: ${cause.message}`, errors: [] });
  }
}

hotpathFastify[Symbol.for('skip-override')] = true; // what fastify-plugin does: no encapsulation
hotpathFastify[Symbol.for('fastify.display-name')] = 'hotpath';
hotpathFastify[Symbol.for('plugin-meta')] = { name: 'hotpath', fastify: '5.x' };

function readOptions(options = {}) {
  const {
    errorResponse = 'standard', asyncThreshold = DEFAULT_ASYNC_THRESHOLD, ajv,
    prefix, logLevel, logSerializers, // Fastify's own register() options, not ours
    ...compileOptions
  } = options;
  if (errorResponse !== 'standard' && errorResponse !== 'fastify') {
    throw new TypeError(`hotpath/fastify: errorResponse must be 'standard' or 'fastify', got ${String(errorResponse)}`);
  }
  if (typeof asyncThreshold !== 'number' || !(asyncThreshold >= 0)) {
    throw new TypeError('hotpath/fastify: asyncThreshold must be a number of bytes >= 0 (Infinity: never)');
  }
  return {
    errorResponse,
    asyncThreshold,
    ajv,
    // Defaults match what Fastify's own ajv does with a route schema: draft-07, formats asserted.
    // Bodies of asyncThreshold bytes and more go to validateAsync, which then uses the pool.
    compileOptions: {
      formats: true,
      defaultDialect: 'draft7',
      ...compileOptions,
      ...(Number.isFinite(asyncThreshold) ? { asyncThreshold: Math.floor(asyncThreshold) } : {}),
    },
  };
}

// The schema that applies to application/json bodies, or undefined when the route has none.
function jsonBodySchema(schema) {
  if (schema === null || typeof schema !== 'object' || schema.body === undefined) return undefined;
  let body = schema.body;
  if (body !== null && typeof body === 'object' && body.isFluentSchema) body = body.valueOf();
  if (body !== null && typeof body === 'object' && body.content !== undefined) {
    return body.content[JSON_MEDIA_TYPE]?.schema; // per-content-type bodies: only the JSON one is ours
  }
  return body;
}

// A route-level validatorCompiler: the JSON body gets a gate that lets through what the parser
// already validated; every other part (and bodies of other content types) is compiled exactly as
// Fastify would: the route's own compiler, else the instance's, else Fastify's default
// (@fastify/ajv-compiler with the instance's shared schemas and the plugin's `ajv` option).
function bodyAwareValidatorCompiler(instance, routeCompiler, ajvOptions) {
  let defaultCompiler;
  const delegate = () => routeCompiler ?? instance.validatorCompiler ??
    (defaultCompiler ??= buildDefaultCompiler(instance, ajvOptions));
  return function hotpathValidatorCompiler(req) {
    if (req.httpPart === 'body' && (req.contentType === undefined || req.contentType === JSON_MEDIA_TYPE)) {
      return validatedBodyGate(() => delegate()(req));
    }
    if (req.httpPart === 'headers' && isPlainObject(req.schema)) {
      // Fastify lower-cases header schemas for its own compiler; a route-level compiler opts out
      // of that, so it is done here to keep header validation as it was.
      return delegate()({ ...req, schema: lowerCaseHeaderNames(req.schema) });
    }
    return delegate()(req);
  };
}

function validatedBodyGate(compileFallback) {
  let fallback;
  function hotpathValidatedBody(data) {
    if (data !== null && typeof data === 'object' && validatedBodies.has(data)) return true;
    // Not parsed by this plugin (another content type's parser, or a primitive JSON body).
    if (fallback === undefined) {
      try {
        fallback = compileFallback();
      } catch (err) {
        fallback = notJsonBody(err);
      }
    }
    const result = fallback(data);
    hotpathValidatedBody.errors = fallback.errors;
    return result;
  }
  hotpathValidatedBody.errors = null;
  return hotpathValidatedBody;
}

// The route's schema compiles natively but not with the fallback compiler (e.g. a 2020-12 schema
// and Fastify's draft-07 ajv): bodies that did not come through the JSON parser are refused.
function notJsonBody(cause) {
  const reject = () => false;
  reject.errors = [{
    instancePath: '', schemaPath: '#', keyword: 'contentType', params: { cause: cause.message },
    message: `must be sent as ${JSON_MEDIA_TYPE}`,
  }];
  return reject;
}

function buildDefaultCompiler(instance, ajvOptions) {
  const AjvCompiler = requireFromFastify('@fastify/ajv-compiler');
  return AjvCompiler()(instance.getSchemas(), { customOptions: {}, plugins: [], ...ajvOptions });
}

function lowerCaseHeaderNames(schema) {
  const out = { ...schema };
  if (isPlainObject(schema.properties)) {
    out.properties = {};
    for (const [name, value] of Object.entries(schema.properties)) out.properties[name.toLowerCase()] = value;
  }
  if (Array.isArray(schema.required)) out.required = schema.required.map((n) => String(n).toLowerCase());
  return out;
}

function isPlainObject(x) {
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
}

// Fastify's default schemaErrorFormatter: "body/quantity must be >= 1, body must have ...".
function defaultSchemaErrorFormatter(errors, dataVar) {
  const parts = [];
  for (const e of errors) parts.push(`${dataVar}${e.instancePath || ''} ${e.message}`);
  return new Error(parts.join(', ') || `${dataVar} is invalid`);
}

// If the input was not JSON (ajv-shaped error with keyword 'parse'): { message, line, column, errors }.
function jsonSyntaxLocation(ajvErrors, output) {
  const parse = ajvErrors?.find((e) => e.keyword === 'parse');
  if (parse === undefined) return null;
  return { message: parse.message, line: parse.params?.line, column: parse.params?.column, errors: output?.errors ?? [] };
}

function jsonError({ message, line, column, errors }) {
  const err = new Error(message);
  err.statusCode = 400;
  err.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
  err.valid = false;
  err.errors = errors.length > 0 ? errors
    : [{ keywordLocation: '', absoluteKeywordLocation: '', instanceLocation: '', error: message }];
  if (line !== undefined) {
    err.line = line;
    err.column = column;
  }
  err[kHotpathError] = true;
  return err;
}

function poisoningError(cause) {
  const err = jsonError({ message: cause.message, errors: [] });
  err.cause = cause;
  return err;
}

function emptyBodyError() {
  const err = new Error(`Body cannot be empty when content-type is set to '${JSON_MEDIA_TYPE}'`);
  err.statusCode = 400;
  err.code = 'FST_ERR_CTP_EMPTY_JSON_BODY';
  return err; // Fastify's own error and reply shape
}

// Route-level error handler: answers this plugin's 400s with the standard output plus Fastify's
// usual fields; anything else goes on to the route's own handler, else up the instance chain
// (Fastify calls the parent handler when a handler throws).
function standardErrorHandler(routeHandler) {
  return function hotpathErrorHandler(error, request, reply) {
    if (error === null || typeof error !== 'object' || error[kHotpathError] !== true) {
      if (routeHandler) return routeHandler.call(this, error, request, reply);
      throw error;
    }
    const payload = {
      statusCode: error.statusCode,
      code: error.code,
      error: 'Bad Request',
      message: error.message,
      valid: false,
      errors: error.errors,
    };
    if (error.line !== undefined) {
      payload.line = error.line;
      payload.column = error.column;
    }
    reply.log.info({ res: reply, err: error }, error.message);
    reply.code(error.statusCode).type('application/json; charset=utf-8').send(JSON.stringify(payload));
    return reply;
  };
}

module.exports = hotpathFastify;
module.exports.default = hotpathFastify;
module.exports.hotpathFastify = hotpathFastify;
