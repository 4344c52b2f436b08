// Types of `hotpath/fastify` (CommonJS entry; fastify.d.mts re-exports them for ESM): a Fastify 5
// plugin that validates application/json bodies natively, from the raw bytes, before JSON.parse.
/// <reference types="node" />
import type { FastifyPluginCallback } from 'fastify';
import type { CompileOptions, OutputUnit, ValidationError } from './index.js';

declare namespace hotpathFastify {
  /**
   * Plugin options. Everything not listed here is passed to `compile(schema, options)` for each
   * route's body schema; the defaults follow what Fastify's own ajv does with a route schema.
   */
  export interface HotpathFastifyOptions extends CompileOptions {
    /** `format` asserts. Default true (Fastify's ajv includes ajv-formats). */
    formats?: boolean;
    /** Dialect of a body schema without `$schema`. Default 'draft7' (Fastify's ajv dialect). */
    defaultDialect?: CompileOptions['defaultDialect'];
    /**
     * 'standard' (default): this plugin's 400s are answered with Fastify's usual fields plus the
     * standard output: `{statusCode, code, error, message, valid: false, errors: [...]}` (and
     * `line`, `column` for invalid JSON). 'fastify': the error goes to your error handlers
     * untouched (it carries `validation`, `validationContext`, `valid`, `errors`).
     */
    errorResponse?: 'standard' | 'fastify';
    /** Bodies of this many bytes and more are validated on the libuv pool. Default 16384; Infinity: never. */
    asyncThreshold?: number;
    /**
     * Only for what Fastify would otherwise compile itself on a route this plugin takes over:
     * querystring/params/headers schemas, and bodies of other content types, when neither the
     * route nor the instance has a validator compiler yet. Same shape as Fastify's `ajv` option.
     */
    ajv?: { customOptions?: Record<string, unknown>; plugins?: unknown[] };
  }

  /** The error this plugin raises for an invalid body (statusCode 400). */
  export interface HotpathBodyError extends Error {
    statusCode: 400;
    /** 'FST_ERR_VALIDATION' (schema), 'FST_ERR_CTP_INVALID_JSON_BODY' (not JSON, or prototype poisoning). */
    code: 'FST_ERR_VALIDATION' | 'FST_ERR_CTP_INVALID_JSON_BODY';
    /** ajv-shaped errors, as Fastify's own validation errors carry them (schema errors only). */
    validation?: ValidationError[];
    validationContext?: 'body';
    valid: false;
    /** The standard output's errors. */
    errors: NonNullable<OutputUnit['errors']>;
    /** 1-based position of a JSON syntax error. */
    line?: number;
    column?: number;
  }

  export const hotpathFastify: HotpathFastifyPlugin;
  export { hotpathFastify as default };
}

type HotpathFastifyPlugin = FastifyPluginCallback<hotpathFastify.HotpathFastifyOptions>;

// The fastify-plugin typing pattern (as @fastify/cors): a function merged with its namespace.
declare function hotpathFastify(...params: Parameters<HotpathFastifyPlugin>): ReturnType<HotpathFastifyPlugin>;
export = hotpathFastify;
