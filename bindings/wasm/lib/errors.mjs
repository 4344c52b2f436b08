// Node-style argument errors, without Node: the same messages and codes as the `hotpath` addon's
// lib/errors.js (util.inspect is replaced by a small formatter that runs in browsers too).
function show(value) {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (Array.isArray(value)) return `[ ${value.length} items ]`;
  if (value !== null && typeof value === 'object') return '[Object]';
  return String(value);
}

function received(value) {
  if (value === null) return ' Received null';
  if (value === undefined) return ' Received undefined';
  if (typeof value === 'function') return ` Received function ${value.name || '<anonymous>'}`;
  if (typeof value === 'object') {
    const name = value.constructor && value.constructor.name;
    return name ? ` Received an instance of ${name}` : ' Received [Object: null prototype]';
  }
  let shown = show(value);
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

function withCode(err, code) {
  err.code = code;
  return err;
}

export function invalidArgType(name, expected, value) {
  return withCode(new TypeError(`The "${name}" argument must be ${expected}.${received(value)}`), 'ERR_INVALID_ARG_TYPE');
}

export function invalidArgValue(name, value, reason) {
  return withCode(new TypeError(`The "${name}" argument ${reason}. Received ${show(value)}`), 'ERR_INVALID_ARG_VALUE');
}

export function outOfRange(name, range, value) {
  return withCode(new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${show(value)}`),
    'ERR_OUT_OF_RANGE');
}

export function withFields(err, code, fields) {
  err.code = code;
  Object.assign(err, fields);
  return err;
}
