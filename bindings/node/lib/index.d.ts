// Types of the `hotpath` package (CommonJS entry). index.d.mts re-exports these for ESM.
/// <reference types="node" />

/** Bytes or JSON text: read in place (Buffers, typed arrays) or as UTF-8 (strings). */
export type JsonInput = string | ArrayBufferView | ArrayBuffer | SharedArrayBuffer;

/** One error in ajv's shape (ajv 8 `ErrorObject`). */
export interface ValidationError {
  /** JSON pointer to the failing part of the data ("" for the root). */
  instancePath: string;
  /** Where the failing keyword is in its schema resource, e.g. "#/properties/price/minimum". */
  schemaPath: string;
  /** The failing keyword, or "parse" when the input is not JSON. */
  keyword: string;
  /** ajv's params for the keyword, e.g. {missingProperty: "id"}; {line, column, offset} for "parse". */
  params: Record<string, unknown>;
  message: string;
}

/** The JSON Schema standard output unit ("flag" or "basic" format). */
export interface OutputUnit {
  valid: boolean;
  errors?: Array<{
    keywordLocation: string;
    absoluteKeywordLocation: string;
    instanceLocation: string;
    error: string;
  }>;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationError[] | null;
}

export interface ManyResult {
  /** One entry per NDJSON line: 1 valid, 0 invalid (blank lines and non-JSON lines are invalid). */
  valid: Uint8Array;
  /** The failing lines (1-based line numbers) with their errors. */
  errors: Array<{ line: number; errors: ValidationError[] }>;
}

export type Dialect = 'draft4' | 'draft6' | 'draft7' | 'draft2019-09' | 'draft2020-12';
export type SchemaInput = object | boolean | string | ArrayBufferView | ArrayBuffer;

export interface CompileOptions {
  /** `format` asserts (true) or is only an annotation (false, the default). */
  formats?: boolean;
  /** Dialect of a schema without $schema: a name or a metaschema URI. Default 'draft2020-12'. */
  defaultDialect?: Dialect | (string & {});
  /** $ref URIs starting with a key are read from the directory it maps to (never fetched). */
  refMap?: Record<string, string>;
  /** Schemas made available to $ref: by their own $id (array) or under the given URIs (object). */
  schemas?: SchemaInput[] | Record<string, SchemaInput>;
  /** Retrieval URI of the root schema (base URI when it has no $id). */
  uri?: string;
  /** validateAsync runs inputs shorter than this many bytes inline. Default 16384; 0 = always the pool. */
  asyncThreshold?: number;
}

/** A compiled schema: a drop-in for the function ajv.compile() returns, on bytes and JSON text. */
export interface ValidateFunction {
  /**
   * Validates JSON text or bytes. Any other value (an object, a number...) is the slow path:
   * it is JSON.stringify'd first and gives the same answer.
   */
  (data: JsonInput | unknown): boolean;
  /** Errors of the last failed call (null after a successful one). Built only when read. */
  errors: ValidationError[] | null;
  /** The standard output unit; `output` defaults to 'basic'. */
  check(data: JsonInput | unknown, options?: { output?: 'flag' | 'basic' }): OutputUnit;
  /** Validates every line of an NDJSON buffer or string. */
  validateMany(ndjson: JsonInput): ManyResult;
  /** Parses and validates on the libuv thread pool (small inputs inline); never blocks the loop. */
  validateAsync(data: JsonInput | unknown): Promise<ValidationResult>;
}

/** ajv-like compiler: shared options and schemas, many validators. */
export declare class Compiler {
  constructor(options?: Omit<CompileOptions, 'uri'>);
  addSchema(schema: SchemaInput, uri?: string): this;
  compile(schema: SchemaInput, uri?: string): ValidateFunction;
}

/** Compiles a schema (object, boolean, JSON text or bytes). Throws code 'HOTPATH_SCHEMA_INVALID'. */
export declare function compile(schema: SchemaInput, options?: CompileOptions): ValidateFunction;

/** Options of jsonata() and of one evaluation (an evaluation's options override the expression's). */
export interface JsonataOptions {
  /** Values bound as $name: an object (JSON-serialized) or JSON text/bytes of an object. */
  bindings?: Record<string, unknown> | string | ArrayBufferView;
  /** Fail an evaluation running longer than this (code "U1001"). 0 or absent: no limit. */
  timeoutMs?: number;
  /** Fail an evaluation nesting calls deeper than this (code "U1001"). 0 or absent: the default. */
  maxDepth?: number;
}

/** A JSONata error as jsonata-js throws it. */
export interface JsonataError extends Error {
  /** jsonata-js's code: "S0201", "T2001", "D3030", "U1001"... */
  code: string;
  position: number;
  token?: string;
}

/** A compiled JSONata expression (the language of jsonata-js 2.x), evaluated natively. */
export declare class Expression {
  constructor(expression: string, options?: JsonataOptions);
  readonly source: string;
  /**
   * Evaluates over `input`: JSON text (string) or JSON bytes, read in place; any other value is
   * JSON-serialized first (the slow path); undefined means no input. Returns the result as JSON
   * text: a Buffer for byte input, a string otherwise; undefined when the result is undefined.
   * Throws a JsonataError.
   */
  evaluate(input: Buffer | ArrayBufferView | ArrayBuffer, options?: JsonataOptions): Buffer | undefined;
  evaluate(input?: unknown, options?: JsonataOptions): string | undefined;
  /** The same on the libuv thread pool. */
  evaluateAsync(input: Buffer | ArrayBufferView | ArrayBuffer, options?: JsonataOptions): Promise<Buffer | undefined>;
  evaluateAsync(input?: unknown, options?: JsonataOptions): Promise<string | undefined>;
}

/** Compiles a JSONata expression; throws a JsonataError (e.g. code "S0201") when it does not parse. */
export declare function jsonata(expression: string, options?: JsonataOptions): Expression;

export type HashInput = string | ArrayBufferView | ArrayBuffer | SharedArrayBuffer;
/** XXH64 as an unsigned 64-bit bigint. */
export declare function xxh64(data: HashInput, seed?: number | bigint): bigint;
/** XXH3-64 as an unsigned 64-bit bigint. */
export declare function xxh3(data: HashInput, seed?: number | bigint): bigint;
/** XXH3-128 as an unsigned 128-bit bigint. */
export declare function xxh3_128(data: HashInput, seed?: number | bigint): bigint;
/** SHA-256: lower-case hex (default) or a 32-byte Buffer. */
export declare function sha256(data: HashInput, encoding?: 'hex'): string;
export declare function sha256(data: HashInput, encoding: 'buffer'): Buffer;
/** How many primes are <= n (n <= 1e11). */
export declare function countPrimes(n: number): number;
/** F(n), exact: a number for n <= 78, a bigint above (n <= 1e6). */
export declare function fibonacci(n: number): number | bigint;

export interface FinancialMetricsOptions {
  /** Traded volumes, same length as prices (for VWAP). */
  volumes?: Float64Array;
  /** Default 252. */
  periodsPerYear?: number;
  /** Per period, default 0. */
  riskFreeRate?: number;
  /** Which returns mean, volatility and Sharpe use. Default 'simple'. */
  returns?: 'simple' | 'log';
}

export interface FinancialMetrics {
  count: number;
  meanReturn: number;
  volatility: number;
  annualizedReturn: number;
  annualizedVolatility: number;
  sharpe: number;
  maxDrawdown: number;
  maxDrawdownPeak: number;
  maxDrawdownTrough: number;
  /** NaN without volumes. */
  vwap: number;
  min: number;
  max: number;
}

export declare function financialMetrics(prices: Float64Array, options?: FinancialMetricsOptions): FinancialMetrics;
/** The n-1 period returns of a price series. */
export declare function returns(prices: Float64Array, kind?: 'simple' | 'log'): Float64Array;

export type SortableArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;
/** Sorts in place in TypedArray.prototype.sort() order (-0 before +0, NaN last); returns the array. */
export declare function sort<T extends SortableArray>(array: T): T;

/** Hashes a file on the libuv pool; resolves to lower-case hex. */
export declare function fileChecksum(path: string | Buffer | URL, algorithm?: 'sha256' | 'xxh3'): Promise<string>;

/** Options of rules(). */
export interface RulesOptions {
  /** The rule file's name, used in errors and log entries. Default 'rules.js'. */
  filename?: string;
  /** ctx.pipeline of every call. Default ''. */
  pipeline?: string;
  /** Receives each ctx.log / console.* entry. Default: entries are dropped. */
  log?: (entry: RuleLogEntry) => void;
  /**
   * Run the rule in a worker_thread, with a time and a heap limit: a runaway rule fails its call
   * (kind 'timeout' or 'heap') instead of freezing or killing this process. Only runAsync() then.
   * Not a sandbox: the worker is a full Node environment. Default false.
   */
  worker?: boolean;
  /** With worker: true, the wall time of one call (and of the top level at load). Default 100. */
  timeoutMs?: number;
  /** With worker: true, the worker's heap limit (maxOldGenerationSizeMb). Default 128. */
  heapMb?: number;
}

export interface RuleLogEntry {
  file: string;
  pipeline: string;
  /** The arguments joined by spaces (objects as JSON.stringify writes them), at most 8 KiB of UTF-8. */
  message: string;
}

/** The answer for one record: the transform's result as JSON text, or the check's reasons. */
export type RuleResult =
  | {
    valid: true;
    /**
     * The transform's result as JSON.stringify writes it; undefined when it returned undefined
     * (or a function or symbol); the input's own JSON text when the file has no transform.
     */
    output: string | undefined;
  }
  | { valid: false; reasons: string[] };

/** The second argument of check() and transform() (frozen). */
export interface RuleContext {
  readonly pipeline: string;
  log(...args: unknown[]): void;
}

/**
 * A rule's failure. `message` is hotpathd's form: "rules.js:2:20: TypeError: ..." (with the
 * position of the throw when known) or "rules.js: ..."; `cause` is the value the rule threw.
 */
export interface RuleError extends Error {
  code: 'HOTPATH_RULE_ERROR';
  /**
   * load: at rules(); thrown: check/transform threw or rejected (or, with worker: true, the worker
   * exited); result: a value that is not a verdict / not JSON; timeout, heap: a limit of worker mode.
   */
  kind: 'load' | 'thrown' | 'result' | 'timeout' | 'heap';
  file: string;
  /** 1-based; 0 when unknown. */
  line: number;
  column: number;
}

/** A loaded rule file. */
export interface Rules {
  readonly filename: string;
  readonly pipeline: string;
  readonly hasCheck: boolean;
  readonly hasTransform: boolean;
  /**
   * Runs check then transform on one record: JSON text (string), JSON bytes (UTF-8), or any
   * other value, which is JSON.stringify'd first (the rule gets its own parsed copy).
   * Synchronous: throws an Error with code 'HOTPATH_RULE_ASYNC' when check or transform returns a
   * promise (use runAsync), and code 'HOTPATH_RULE_WORKER_SYNC' in worker mode. Throws a
   * RuleError when the rule fails.
   */
  run(input: unknown): RuleResult;
  /**
   * The same for every rule, async ones included (a promise must settle through microtasks alone).
   * In worker mode calls run one at a time, in order.
   */
  runAsync(input: unknown): Promise<RuleResult>;
  /** Ends the worker (worker mode); later calls fail with code 'HOTPATH_RULE_CLOSED'. */
  close(): Promise<void>;
}

/**
 * Loads a rule file (an ES module exporting check(record, ctx) and/or transform(record, ctx),
 * see core/rules/README.md) to run in this process: plain JavaScript, no sandbox, and no limits
 * unless `worker: true` (run untrusted rules in hotpathd). Rejects with a RuleError of kind 'load'.
 */
export declare function rules(source: string | Uint8Array, options?: RulesOptions): Promise<Rules>;

export declare const version: string;
