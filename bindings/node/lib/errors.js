'use strict';
// Node-style argument errors (the JS layer checks arguments before they reach native code).
const { inspect } = require('node:util');

function received(value) {
  if (value === null) return ' Received null';
  if (value === undefined) return ' Received undefined';
  if (typeof value === 'function') return ` Received function ${value.name || '<anonymous>'}`;
  if (typeof value === 'object') {
    const name = value.constructor && value.constructor.name;
    return name ? ` Received an instance of ${name}` : ` Received ${inspect(value, { depth: -1 })}`;
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

function withCode(err, code) {
  err.code = code;
  return err;
}

function invalidArgType(name, expected, value) {
  return withCode(new TypeError(`The "${name}" argument must be ${expected}.${received(value)}`), 'ERR_INVALID_ARG_TYPE');
}

function invalidArgValue(name, value, reason) {
  return withCode(
    new TypeError(`The "${name}" argument ${reason}. Received ${inspect(value, { depth: 0 })}`),
    'ERR_INVALID_ARG_VALUE',
  );
}

function outOfRange(name, range, value) {
  return withCode(new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${inspect(value)}`),
    'ERR_OUT_OF_RANGE');
}

module.exports = { invalidArgType, invalidArgValue, outOfRange };
