// The script every rule context runs once, before any rule: it removes what rules must not
// reach and freezes every built-in reachable from the global object, so that no call (and no
// rule of another pipeline sharing the isolate) can change what the next call sees.
//
// It is called with the native log function (ctx.log), which it also installs as console.*.
// Freezing would make `obj.toString = f` or `this.name = 'MyError'` throw (a frozen inherited
// data property cannot be shadowed by assignment), so those few properties become accessors
// whose setter defines the property on the object assigned to, as plain JS allows.
#pragma once

namespace hotpath::rules::detail {

inline constexpr char kLockdownSource[] = R"JS((function lockdown(log) {
  'use strict';
  const global = globalThis;
  delete global.WebAssembly;
  const consoleObject = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) consoleObject[level] = log;
  Object.defineProperty(global, 'console', {
    value: consoleObject, writable: false, enumerable: false, configurable: false });

  const makeAssignable = (proto, keys) => {
    for (const key of keys) {
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (!d || !('value' in d) || !d.writable || !d.configurable) continue;
      const value = d.value;
      Object.defineProperty(proto, key, {
        get() { return value; },
        set(v) {
          if (this === proto) throw new TypeError(`Cannot assign to read only property '${String(key)}' of a built-in prototype`);
          Object.defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
        },
        enumerable: d.enumerable, configurable: false });
    }
  };
  makeAssignable(Object.prototype, Object.getOwnPropertyNames(Object.prototype).filter((k) => k !== '__proto__'));
  makeAssignable(Function.prototype, ['constructor', 'toString']);
  makeAssignable(Array.prototype, ['constructor', 'toString', 'push', 'join']);
  for (const E of [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError]) {
    makeAssignable(E.prototype, ['constructor', 'name', 'message', 'toString']);
  }

  // Roots the global object does not name: the prototypes of generators, async functions,
  // iterators and typed arrays.
  const hidden = [
    Object.getPrototypeOf(function* () {}), Object.getPrototypeOf(async function () {}),
    Object.getPrototypeOf(async function* () {}), Object.getPrototypeOf(Int8Array),
    Object.getPrototypeOf([][Symbol.iterator]()), Object.getPrototypeOf(new Map().entries()),
    Object.getPrototypeOf(new Set().values()), Object.getPrototypeOf(''[Symbol.iterator]()),
    Object.getPrototypeOf(/x/[Symbol.matchAll]('')),
    Object.getPrototypeOf((function* () {})()), Object.getPrototypeOf((async function* () {})()),
  ];
  const seen = new Set();
  const todo = [global, log, ...hidden];
  while (todo.length) {
    const o = todo.pop();
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) continue;
    seen.add(o);
    Object.freeze(o);
    todo.push(Object.getPrototypeOf(o));
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if ('value' in d) todo.push(d.value); else todo.push(d.get, d.set);
    }
  }
}))JS";

}  // namespace hotpath::rules::detail
