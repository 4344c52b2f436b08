// JavaScript rule files (core/rules/README.md) run in this process: the `rules()` of both the
// `hotpath` package and `@hotpath/wasm`. This one file is host-neutral (Node, browsers, Web
// Workers) and is shipped in both packages (this is the source; the wasm build copies it to
// bindings/wasm/dist/rules.mjs).
//
// The rule is ordinary JavaScript in the caller's realm: no sandbox, no time or memory limit (the
// hotpath package's {worker: true}, lib/rules-worker.mjs, runs this file in a worker with both).
// What a well-behaved rule can observe is what hotpathd's embedded V8 gives it: the record
// JSON.parse'd from its text, a frozen ctx {pipeline, log}, console.* = ctx.log, the same verdicts,
// JSON.stringify'd output and the same error messages ("rules.js:2:20: TypeError: ...").
const ERROR_CODE = 'HOTPATH_RULE_ERROR';
const ASYNC_CODE = 'HOTPATH_RULE_ASYNC';
const CLOSED_CODE = 'HOTPATH_RULE_CLOSED';
const MAX_LOG_BYTES = 8192;
const NO_MODULES = 'rules run without modules (only what the engine passes in)';
const HOOKS = Symbol.for('hotpath.rules.hooks');
const isNode = typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';
const encoder = new TextEncoder();
// ignoreBOM: a BOM stays in the text, as in hotpathd (where JSON.parse then refuses it).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
let loads = 0;

// The error of a rule: its message is hotpathd's Error::to_string() ("FILE:LINE:COLUMN: message",
// or "FILE: message" without a position).
export class RuleError extends Error {
  constructor(kind, file, line, column, message, cause) {
    super(line ? `${file}:${line}${column ? `:${column}` : ''}: ${message}` : `${file}: ${message}`,
      cause === undefined ? undefined : { cause });
    this.name = 'RuleError';
    this.code = ERROR_CODE;
    this.kind = kind;
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

function argumentError(message) {
  const err = new TypeError(message);
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

// The error of a call after close().
export function closedError(file) {
  const err = new Error(`${file}: the rule is closed`);
  err.code = CLOSED_CODE;
  return err;
}

// ---------------------------------------------------------------------------------------------
// Values, as the V8 API sees them
// ---------------------------------------------------------------------------------------------
function isNativeError(value) {
  if (typeof Error.isError === 'function') return Error.isError(value);
  return value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Error]';
}

// The words of hotpathd's messages: "a number", "an array", "null"...
function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number': return 'a number';
    case 'bigint': return 'a bigint';
    case 'string': return 'a string';
    case 'boolean': return 'a boolean';
    case 'function': return 'a function';
    case 'symbol': return 'a symbol';
    default: return 'an object';
  }
}

// ToString, as V8's String::Utf8Value does it ('' when that throws, e.g. for a symbol).
function stringOf(value) {
  try {
    return `${value}`;
  } catch {
    return '';
  }
}

function read(object, key) {
  try {
    return object[key];
  } catch {
    return undefined;
  }
}

// "TypeError: message" for an Error, "threw <value>" for anything else.
function describe(thrown) {
  let what = '';
  if (isNativeError(thrown)) {
    const name = read(thrown, 'name');
    const message = read(thrown, 'message');
    if (typeof name === 'string') what = name;
    if (typeof message === 'string' && message !== '') what += what === '' ? message : `: ${message}`;
  }
  return what === '' ? `threw ${stringOf(thrown)}` : what;
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;

function locate(source, offset) {
  let line = 1;
  let start = 0;
  LINE_BREAK.lastIndex = 0;
  for (let m; (m = LINE_BREAK.exec(source)) !== null && m.index < offset;) {
    line++;
    start = m.index + m[0].length;
  }
  return { line, column: offset - start + 1 };
}

const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw',
  'case', 'do', 'else', 'yield', 'await', 'extends']);
const PAREN_KEYWORDS = new Set(['if', 'while', 'for', 'with']);
const NUMBER = /(?:0[xXoObB][\da-fA-F_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?[\d_]+)?|\.\d[\d_]*(?:[eE][+-]?[\d_]+)?)n?/y;
const WORD = /(?:[\p{ID_Continue}$\u200c\u200d#]|\\u\{[\da-fA-F]+\}|\\u[\da-fA-F]{4})+/uy;
const PUNCT = /=>|\?\.(?!\d)|\+\+|--|\.\.\.|[^\s]/y;
const SPACE = /[\s\ufeff]+/y;

// A string literal's value from its text between the quotes (escapes resolved).
const ESCAPE = /\\(?:u\{([\da-fA-F]+)\}|u([\da-fA-F]{4})|x([\da-fA-F]{2})|(\r\n|[\n\r\u2028\u2029])|([\s\S]))/g;
const SINGLE = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', 0: '\0' };
const cook = (raw) => raw.replace(ESCAPE, (_, braced, u4, x2, newline, other) => {
  if (newline !== undefined) return '';
  const code = braced ?? u4 ?? x2;
  if (code !== undefined) return String.fromCodePoint(parseInt(code, 16));
  return SINGLE[other] ?? other;
});

function match(re, source, at) {
  re.lastIndex = at;
  return re.exec(source)[0];
}

// Splits a module's source into tokens: {type: 'word'|'punct'|'string'|'template'|'regex'|
// 'number', value, start, depth (of brackets)}. Brackets know their partner (open/close).
// Regular expressions are told from divisions by the token before the slash, like
// es-module-lexer does.
function tokenize(source) {
  const n = source.length;
  const tokens = [];
  const stack = []; // open brackets: {index of the token, template: a `${` of a template}
  let i = source.startsWith('#!') ? source.search(/[\n\r\u2028\u2029]|$/) : 0;
  const last = () => tokens[tokens.length - 1];
  const regexAllowed = () => {
    const t = last();
    if (!t) return true;
    if (t.type === 'word') return REGEX_AFTER_WORD.has(t.value) && tokens[tokens.length - 2]?.value !== '.';
    if (t.type !== 'punct') return false;
    if (t.value === ')') return t.open > 0 && tokens[t.open - 1].type === 'word' && PAREN_KEYWORDS.has(tokens[t.open - 1].value);
    if (t.value === '}') return !tokens[t.open]?.expression;
    return t.value !== ']' && t.value !== '++' && t.value !== '--';
  };
  // Whether a `{` opens an expression (an object literal) rather than a block.
  const braceIsExpression = () => {
    const t = last();
    if (!t) return false;
    if (t.type === 'word') return REGEX_AFTER_WORD.has(t.value) && t.value !== 'else' && t.value !== 'do';
    return t.type === 'punct' && ![')', ';', '{', '}', '=>', ':'].includes(t.value);
  };
  // Template characters from `from` up to the closing backquote or a `${`.
  const template = (from) => {
    for (let j = from; j < n; j++) {
      if (source[j] === '\\') j++;
      else if (source[j] === '`') return { end: j + 1, open: false };
      else if (source[j] === '$' && source[j + 1] === '{') return { end: j + 2, open: true };
    }
    return { end: n, open: false };
  };
  const push = (token) => {
    token.depth = stack.length;
    tokens.push(token);
  };

  while (i < n) {
    const c = source[i];
    const start = i;
    if (c === '/' && source[i + 1] === '/') {
      i = source.slice(i).search(/[\n\r\u2028\u2029]/);
      i = i < 0 ? n : start + i;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (/[\s\ufeff]/.test(c)) {
      i += match(SPACE, source, i).length;
    } else if (c === '"' || c === "'") {
      let value = '';
      for (i++; i < n && source[i] !== c; i++) {
        if (source[i] === '\\') value += source[i++];
        value += source[i];
      }
      i++;
      push({ type: 'string', value: cook(value), start });
    } else if (c === '`') {
      const t = template(i + 1);
      push({ type: 'template', start });
      if (t.open) stack.push({ template: true });
      i = t.end;
    } else if (c === '/' && regexAllowed()) {
      let inClass = false;
      for (i++; i < n && !/[\n\r\u2028\u2029]/.test(source[i]); i++) {
        if (source[i] === '\\') i++;
        else if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
        else if (source[i] === '/' && !inClass) break;
      }
      i++;
      WORD.lastIndex = i;
      if (WORD.test(source)) i = WORD.lastIndex;
      push({ type: 'regex', start });
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(source[i + 1] ?? ''))) {
      const value = match(NUMBER, source, i);
      i += value.length;
      push({ type: 'number', value, start });
    } else if (WORD.test((WORD.lastIndex = i, source))) {
      const value = source.slice(i, WORD.lastIndex);
      i = WORD.lastIndex;
      push({ type: 'word', value, start });
    } else if (c === '(' || c === '[' || c === '{') {
      const expression = c === '{' && braceIsExpression();
      push({ type: 'punct', value: c, start, expression });
      stack.push({ index: tokens.length - 1 });
      i++;
    } else if (c === ')' || c === ']' || c === '}') {
      const open = stack.pop();
      if (open?.template) {
        const t = template(i + 1);
        if (t.open) stack.push(open);
        i = t.end;
        continue;
      }
      push({ type: 'punct', value: c, start, open: open?.index });
      if (open) tokens[open.index].close = tokens.length - 1;
      i++;
    } else {
      const value = match(PUNCT, source, i);
      i += value.length;
      push({ type: 'punct', value, start });
    }
  }
  return tokens;
}

// The first module request of a module's source, as V8's Module::GetModuleRequests()[0] gives
// it: a static `import ... 'x'` or `export ... from 'x'`, as {specifier, offset of its string
// literal}; null when there is none. The word `import` in a string, comment, template, regular
// expression or property name is not a declaration, nor are import(...) and import.meta.
export function firstModuleRequest(source) {
  const tokens = tokenize(source);
  const is = (t, type, value) => t !== undefined && t.type === type && (value === undefined || t.value === value);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.depth !== 0 || !(is(t, 'word', 'import') || is(t, 'word', 'export'))) continue;
    if (is(tokens[k - 1], 'punct', '.') || is(tokens[k - 1], 'punct', '?.')) continue;
    let j = k + 1;
    if (t.value === 'import') {
      if (is(tokens[j], 'punct', '(') || is(tokens[j], 'punct', '.')) continue;
      if (is(tokens[j], 'string')) return { specifier: tokens[j].value, offset: tokens[j].start };
      // import x, {a, 'b' as c} from 'y' / import * as ns from 'y'
      while (j < tokens.length && !is(tokens[j], 'word', 'from')) {
        j = is(tokens[j], 'punct', '{') ? (tokens[j].close ?? tokens.length) + 1 : j + 1;
      }
    } else {
      // export * from 'y' / export * as ns from 'y' / export {a, b as c} from 'y'
      if (is(tokens[j], 'punct', '*')) {
        j++;
        if (is(tokens[j], 'word', 'as')) j += 2;
      } else if (is(tokens[j], 'punct', '{')) {
        j = (tokens[j].close ?? tokens.length) + 1;
      } else {
        continue;
      }
      if (!is(tokens[j], 'word', 'from')) continue;
    }
    if (is(tokens[j], 'word', 'from') && is(tokens[j + 1], 'string')) {
      return { specifier: tokens[j + 1].value, offset: tokens[j + 1].start };
    }
  }
  return null;
}

// Where a module's first syntax error is, found by compiling it again as a script with Node's
// vm (which compiles without running anything and, unlike import(), names the line and marks
// the column): the module's `export` keywords blanked (`export default` becomes `void`),
// import.meta renamed, and the whole in a strict async function left open (so that a file
// ending early ends early there too), so that everything else parses as it does in a module.
// Only an error with the module's own message counts. Outside Node, and whenever the script's
// first error is another one: null.
const SYNTAX_PREFIX = '(async function () { "use strict"; ';
const SYNTAX_FILE = 'hotpath-rule-syntax.js';

function asScript(source) {
  const chars = source.split('');
  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (!/[\n\r\u2028\u2029]/.test(chars[k])) chars[k] = ' ';
  };
  if (source.startsWith('#!')) blank(0, source.search(/[\n\r\u2028\u2029]|$/));
  const tokens = tokenize(source);
  const is = (t, type, value) => t !== undefined && t.type === type && t.value === value;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (is(t, 'word', 'import') && is(tokens[k + 1], 'punct', '.') && !is(tokens[k - 1], 'punct', '.')) {
      chars.splice(t.start, 6, ...'Object');
    } else if (is(t, 'word', 'export') && t.depth === 0 && !is(tokens[k - 1], 'punct', '.')) {
      const next = tokens[k + 1];
      if (is(next, 'word', 'default')) {
        blank(t.start, t.start + 6);
        chars.splice(next.start, 7, ...'void   ');
      } else if (is(next, 'punct', '{') && next.close !== undefined) {
        blank(t.start, tokens[next.close].start + 1);
      } else {
        blank(t.start, t.start + 6);
      }
    }
  }
  return chars.join('');
}

async function syntaxErrorPosition(source, error) {
  if (!isNode) return null;
  const vmModule = 'node:vm';
  const { Script } = await import(/* webpackIgnore: true */ /* @vite-ignore */ vmModule);
  try {
    new Script(`${SYNTAX_PREFIX}${asScript(source)}`, { filename: SYNTAX_FILE }); // eslint-disable-line no-new
  } catch (err) {
    const stack = read(err, 'stack');
    const m = typeof stack === 'string' && /^hotpath-rule-syntax\.js:(\d+)\n[^\n]*\n([ \t]*)(?:\^|\n)/.exec(stack);
    // Node draws at most ~1 KiB of underline: a column past that cannot be read from it.
    if (!(err instanceof SyntaxError) || err.message !== error.message || !m || m[2].length >= 1000) return null;
    const line = Number(m[1]);
    return { line, column: m[2].length + 1 - (line === 1 ? SYNTAX_PREFIX.length : 0) };
  }
  return null;
}

// The load error of a file that does not compile. The import's SyntaxError may be about the
// lines added after the file (when it ends inside a comment, a template or brackets), so V8's
// own error for the file is taken from importing it alone, behind a `throw 0;` (on its first
// line) that would stop it at once if it did compile; a hashbang line is blanked to stay first.
async function syntaxError(source, file, err) {
  let own = err;
  const guarded = `throw 0;${source.startsWith('#!') ? source.replace(/^[^\n\r\u2028\u2029]*/, (h) => ' '.repeat(h.length)) : source}`;
  const [url, release] = moduleUrl(guarded);
  try {
    await import(/* webpackIgnore: true */ /* @vite-ignore */ url);
  } catch (e) {
    if (e instanceof SyntaxError) own = e;
  } finally {
    release();
  }
  const where = await syntaxErrorPosition(source, own);
  return new RuleError('load', file, where?.line ?? 0, where?.column ?? 0, describe(own), own);
}

// A name no rule uses (unique per load): also the key of the load's hooks.
const uniqueName = () => `hotpath_${Date.now().toString(36)}_${Math.random().toString(36).slice(2)}_${++loads}`;

// The module's text as imported: the rule, then, after its last line (so that every position in
// it stays where it is): an import of the load's helper module (which binds `console` to the log
// function, unless the rule has its own, and notes that evaluation started), a call that notes
// the top level finished, and the sourceURL (stack frames then name the rule file). The unique
// name makes two loads of one file two modules.
function moduleText(source, sourceName, helperUrl, key, withConsole) {
  return `${source}\n;import { ${withConsole ? 'console, ' : ''}finished as ${key} } from ${JSON.stringify(helperUrl)};\n` +
    `${key}();\n//# sourceURL=${sourceName}\n`;
}

function helperText(key) {
  return `const hooks = globalThis[Symbol.for('hotpath.rules.hooks')].get(${JSON.stringify(key)});\n` +
    'export const { console, finished } = hooks;\nhooks.started();\n';
}

// Imports module text: a blob: URL in browsers and workers, a data: URL in Node (and wherever
// Blob URLs cannot be imported). Returns [url, release].
function moduleUrl(text) {
  if (!isNode && typeof Blob === 'function' && typeof URL.createObjectURL === 'function') {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    return [url, () => URL.revokeObjectURL(url)];
  }
  return [`data:text/javascript;charset=utf-8,${encodeURIComponent(text)}`, () => {}];
}

// The frame of the rule file nearest the top of a V8 stack ("    at f (rules.js:2:20)" or
// "    at rules.js:1:7"; other engines' "f@rules.js:2:20" too): {line, column, top: the first
// frame when it is another one (a built-in's), else null} or null.
function frameIn(thrown, sourceName) {
  if (!isNativeError(thrown)) return null;
  const stack = read(thrown, 'stack');
  if (typeof stack !== 'string') return null;
  const at = new RegExp(`(?:^\\s+at (?:.*\\()?|@)${escapeRegExp(sourceName)}:(\\d+):(\\d+)\\)?$`);
  let top = null;
  for (const line of stack.split('\n')) {
    const m = at.exec(line);
    if (m) return { line: Number(m[1]), column: Number(m[2]), top };
    if (top === null && /^\s+at /.test(line)) top = line.trim();
  }
  return null;
}

// Where hotpathd (V8's message location) places an error:
// - thrown synchronously by check/transform (`source` given): at the throw. That is the frame's
//   position for errors the engine throws (r.missing.field), and the `throw` keyword of
//   `throw new Error()` (whose frame points at `new`). An Error thrown away from where it was
//   made (`throw e`) is placed where it was made here: JavaScript cannot see the throw.
// - a rejected promise or a throw at the module's top level: where the Error was made.
// - JSON.parse's SyntaxErrors: nowhere (V8 places them in the JSON text, not in the file).
function position(thrown, sourceName, source) {
  const frame = frameIn(thrown, sourceName);
  if (frame === null || frame.top === 'at JSON.parse (<anonymous>)') return null;
  if (source === undefined || frame.top !== null) return frame;
  const text = source.split(LINE_BREAK)[frame.line - 1];
  const before = text === undefined ? '' : text.slice(0, frame.column - 1).trimEnd();
  if (/(?:^|[^\p{ID_Continue}$])throw$/u.test(before)) return { line: frame.line, column: before.length - 4 };
  return frame;
}

// `source`: the rule's, for an error thrown synchronously by check/transform (see position()).
function thrownError(kind, file, sourceName, thrown, prefix = '', source = undefined) {
  const where = position(thrown, sourceName, source);
  return new RuleError(kind, file, where?.line ?? 0, where?.column ?? 0, prefix + describe(thrown), thrown);
}

// ctx.log(...args): one entry, the arguments joined by spaces (strings as they are, objects as
// JSON.stringify gives them, other values as strings), at most 8 KiB of UTF-8.
function logFunction(sink, file, pipeline) {
  return {
    log(...args) {
      if (sink === undefined) return;
      let message = '';
      for (let i = 0; i < args.length && message.length < MAX_LOG_BYTES; i++) {
        if (i) message += ' ';
        const arg = args[i];
        if (typeof arg === 'string') {
          message += arg;
        } else if (arg !== null && (typeof arg === 'object' || typeof arg === 'function')) {
          // JSON.stringify's undefined (a function, toJSON() returning undefined) is "undefined";
          // an object it refuses (a cycle, a BigInt inside) is logged as String(object).
          let text;
          try {
            text = `${JSON.stringify(arg)}`;
          } catch {
            text = String(arg);
          }
          message += text;
        } else {
          message += `${arg}`; // throws for a symbol, as in hotpathd
        }
      }
      const bytes = encoder.encode(message);
      if (bytes.length > MAX_LOG_BYTES) {
        let end = MAX_LOG_BYTES;
        while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // never half a character
        message = decoder.decode(bytes.subarray(0, end));
      }
      sink({ file, pipeline, message });
    },
  }.log;
}

function loadError(file, message, line = 0, column = 0) {
  return new RuleError('load', file, line, column, message);
}

// Imports the rule's module. Its top level must finish through microtasks alone, as in hotpathd
// (no timers or I/O there): one still running at the next macrotask is an error.
async function importRule(source, file, sourceName, log, withConsole) {
  const key = uniqueName();
  const hooks = globalThis[HOOKS] ?? (globalThis[HOOKS] = new Map());
  let stalled;
  const stall = new Promise((resolve, reject) => {
    stalled = reject;
  });
  let done = false;
  hooks.set(key, {
    console: Object.freeze({ log, info: log, warn: log, error: log, debug: log }),
    finished: () => {
      done = true;
    },
    started: () => nextMacrotask().then(() => {
      if (!done) stalled(loadError(file, 'the module returned a promise that never settles (rules have no timers or I/O)'));
    }),
  });
  const [helperUrl, releaseHelper] = moduleUrl(helperText(key));
  const [url, release] = moduleUrl(moduleText(source, sourceName, helperUrl, key, withConsole));
  const imported = import(/* webpackIgnore: true */ /* @vite-ignore */ url);
  imported.catch(() => {}); // once stalled, its outcome no longer matters
  try {
    return await Promise.race([imported, stall]);
  } catch (err) {
    // The module could not even be fetched: in a browser, a Content-Security-Policy without blob:.
    const message = read(err, 'message');
    if (typeof message === 'string' && (message.includes(url) || message.includes(helperUrl))) {
      const scheme = url.slice(0, url.indexOf(':') + 1);
      throw loadError(file, `cannot load the rule as a module from a ${scheme} URL (${describe(err)}); ` +
        `a Content-Security-Policy must allow script-src ${scheme}`);
    }
    throw err;
  } finally {
    hooks.delete(key);
    release();
    releaseHelper();
  }
}

export function checkOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object') throw argumentError(`The "options" argument must be of type object. Received ${typeName(options)}`);
  const { filename, pipeline, log } = options;
  if (filename !== undefined && (typeof filename !== 'string' || filename === '' || /[\n\r\u2028\u2029]/.test(filename))) {
    throw argumentError('The "options.filename" argument must be a non-empty string on one line');
  }
  if (pipeline !== undefined && typeof pipeline !== 'string') {
    throw argumentError(`The "options.pipeline" argument must be of type string. Received ${typeName(pipeline)}`);
  }
  if (log !== undefined && typeof log !== 'function') {
    throw argumentError(`The "options.log" argument must be a function. Received ${typeName(log)}`);
  }
  return options;
}

// The rule file's text: a string as it is, bytes as UTF-8.
export function sourceText(source) {
  if (typeof source === 'string') return source;
  if (!ArrayBuffer.isView(source)) throw argumentError('The "source" argument must be of type string or an instance of Uint8Array');
  return decoder.decode(source);
}

// The record's JSON text: a string as it is, bytes as UTF-8, any other value JSON.stringify'd.
export function recordText(input) {
  if (typeof input === 'string') return input;
  if (ArrayBuffer.isView(input)) return decoder.decode(input);
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && input instanceof SharedArrayBuffer)) {
    return decoder.decode(new Uint8Array(input));
  }
  let text;
  try {
    text = JSON.stringify(input);
  } catch (cause) {
    const err = argumentError(`The "input" argument must be JSON text, JSON bytes or a JSON-serializable value (${cause.message})`);
    err.cause = cause;
    throw err;
  }
  if (text === undefined) throw argumentError('The "input" argument must be JSON text, JSON bytes or a JSON-serializable value');
  return text;
}

// rules(source, {filename, pipeline, log}) -> Promise<Rules>. Rejects with a RuleError of kind
// 'load' when the file does not compile, imports something, throws at top level or does not
// export check and/or transform as functions.
export async function rules(source, options) {
  source = sourceText(source);
  const o = checkOptions(options);
  const file = o.filename ?? 'rules.js';
  const pipeline = o.pipeline ?? '';
  const request = firstModuleRequest(source);
  if (request !== null) {
    const { line, column } = locate(source, request.offset);
    throw loadError(file, `cannot import '${request.specifier}': ${NO_MODULES}`, line, column);
  }
  // Stack frames name the file by its sourceURL, which ends at white space.
  const sourceName = file.replace(/[\s%]/g, encodeURIComponent);
  const log = logFunction(o.log, file, pipeline);
  let ns;
  const asLoadError = async (err) => {
    if (err instanceof RuleError) return err;
    if (err instanceof SyntaxError && frameIn(err, sourceName) === null) return syntaxError(source, file, err);
    return thrownError('load', file, sourceName, err);
  };
  try {
    ns = await importRule(source, file, sourceName, log, true);
  } catch (err) {
    // A rule that declares its own `console` keeps it (there is no global one to replace).
    if (!(err instanceof SyntaxError && err.message === "Identifier 'console' has already been declared")) {
      throw await asLoadError(err);
    }
    ns = await importRule(source, file, sourceName, log, false).catch(async (again) => {
      throw await asLoadError(again);
    });
  }
  const exported = {};
  for (const name of ['check', 'transform']) {
    const f = ns[name];
    if (f === undefined) continue;
    if (typeof f !== 'function') throw loadError(file, `export '${name}' is ${typeName(f)}, not a function`);
    exported[name] = f;
  }
  if (!exported.check && !exported.transform) throw loadError(file, 'exports neither check(record, ctx) nor transform(record, ctx)');
  return new Rules(file, sourceName, source, exported, Object.freeze({ pipeline, log }));
}

const PENDING = {};

// Settles a returned promise the way hotpathd does: by running the microtasks only. A promise
// still pending when the next macrotask runs would never settle there (no timers, no I/O).
function nextMacrotask() {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(() => resolve(PENDING)));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve(PENDING);
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(() => resolve(PENDING), 0));
}

// One loaded rule file.
class Rules {
  #check;
  #transform;
  #ctx;
  #sourceName;
  #source;
  #closed = false;

  constructor(file, sourceName, source, exported, ctx) {
    this.#source = source;
    this.#check = exported.check;
    this.#transform = exported.transform;
    this.#ctx = ctx;
    this.#sourceName = sourceName;
    this.filename = file;
    this.pipeline = ctx.pipeline;
    this.hasCheck = exported.check !== undefined;
    this.hasTransform = exported.transform !== undefined;
    Object.freeze(this);
  }

  // The record's JSON text and the parsed record (a fresh one per call).
  #input(input) {
    if (this.#closed) throw closedError(this.filename);
    const text = recordText(input);
    try {
      return [text, JSON.parse(text)];
    } catch (err) {
      throw new RuleError('thrown', this.filename, 0, 0, `record is not JSON: ${describe(err)}`, err);
    }
  }

  #call(fn, record) {
    try {
      return fn(record, this.#ctx);
    } catch (err) {
      throw thrownError('thrown', this.filename, this.#sourceName, err, '', this.#source);
    }
  }

  // check's verdict: null to go on, or the reasons.
  #verdict(v) {
    if (v === undefined || v === true) return null;
    const reject = (reason) => (reason === '' ? `rejected by ${this.filename}` : reason);
    if (v === false || typeof v === 'string') return [reject(v === false ? '' : v)];
    if (Array.isArray(v)) {
      if (v.length === 0) return null;
      return Array.from(v, (item) => {
        if (typeof item !== 'string') {
          throw new RuleError('result', this.filename, 0, 0,
            `check returned an array holding ${typeName(item)}; expected strings (the reasons)`);
        }
        return reject(item);
      });
    }
    throw new RuleError('result', this.filename, 0, 0,
      `check returned ${typeName(v)}; expected true, false, a string or an array of strings`);
  }

  #output(result) {
    if (result === undefined || typeof result === 'function' || typeof result === 'symbol') return { valid: true, output: undefined };
    try {
      return { valid: true, output: JSON.stringify(result) };
    } catch (err) {
      throw new RuleError('result', this.filename, 0, 0, `transform's result is not JSON: ${describe(err)}`, err);
    }
  }

  #refuse(promise, what) {
    promise.catch(() => {}); // settled later, and ignored
    const err = new Error(`${this.filename}: ${what} returned a promise: run() is synchronous; use runAsync() for rules ` +
      'that return promises (async functions)');
    err.code = ASYNC_CODE;
    return err;
  }

  async #settle(value, what) {
    if (!(value instanceof Promise)) return value;
    let settled;
    try {
      settled = await Promise.race([value, nextMacrotask()]);
    } catch (err) {
      throw thrownError('thrown', this.filename, this.#sourceName, err);
    }
    if (settled === PENDING) {
      value.catch(() => {});
      throw new RuleError('result', this.filename, 0, 0,
        `${what} returned a promise that never settles (rules have no timers or I/O)`);
    }
    return settled;
  }

  // Runs the rule on one record, synchronously: {valid: true, output} (the transform's result
  // as JSON text; the input's text without a transform; undefined for an undefined result) or
  // {valid: false, reasons}. A rule returning a promise needs runAsync().
  run(input) {
    const [text, record] = this.#input(input);
    if (this.#check) {
      const verdict = this.#call(this.#check, record);
      if (verdict instanceof Promise) throw this.#refuse(verdict, 'check');
      const reasons = this.#verdict(verdict);
      if (reasons) return { valid: false, reasons };
    }
    if (!this.#transform) return { valid: true, output: text };
    const result = this.#call(this.#transform, record);
    if (result instanceof Promise) throw this.#refuse(result, 'transform');
    return this.#output(result);
  }

  // The same for any rule, async ones included: their promises are settled as hotpathd does.
  async runAsync(input) {
    const [text, record] = this.#input(input);
    if (this.#check) {
      const reasons = this.#verdict(await this.#settle(this.#call(this.#check, record), 'check'));
      if (reasons) return { valid: false, reasons };
    }
    if (!this.#transform) return { valid: true, output: text };
    return this.#output(await this.#settle(this.#call(this.#transform, record), 'transform'));
  }

  // Nothing to release in this thread: later calls fail with code 'HOTPATH_RULE_CLOSED', as with
  // a rule loaded with {worker: true} (whose worker close() ends).
  close() {
    this.#closed = true;
    return Promise.resolve();
  }
}
