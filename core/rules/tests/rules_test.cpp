#include "hotpath/rules.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace hotpath::rules {
namespace {

struct Fixture : ::testing::Test {
  Runtime runtime;
  Limits limits;

  std::shared_ptr<const Rule> load(const std::string& source) {
    auto r = Rule::load("rules.js", source, runtime, limits);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() ? *r : nullptr;
  }
  Error load_error(const std::string& source) {
    auto r = Rule::load("rules.js", source, runtime, limits);
    EXPECT_FALSE(r.ok());
    return r.ok() ? Error{} : r.error();
  }
  // The output as hotpathd writes it: the transformed JSON, "unchanged", "undefined" or
  // "invalid: reason | reason".
  std::string run(const Rule& rule, std::string_view record, std::string_view pipeline = "p") {
    std::string out;
    auto r = runtime.run(rule, record, pipeline, limits, out);
    if (!r.ok()) return "error: " + r.error().to_string();
    if (!r->valid) {
      std::string s = "invalid:";
      for (const auto& reason : r->reasons) s += " " + reason + " |";
      return s;
    }
    switch (r->output) {
      case Outcome::Output::unchanged:
        return "unchanged";
      case Outcome::Output::undefined:
        return "undefined";
      case Outcome::Output::value:
        return out;
    }
    return "?";
  }
};

TEST_F(Fixture, TransformReturnsTheNewRecordAsJson) {
  auto rule = load(R"(
    export function transform(r, ctx) {
      return { id: r.id, total: r.qty * r.price, pipeline: ctx.pipeline, big: 1e21, s: 'é\u2028' };
    })");
  ASSERT_TRUE(rule);
  EXPECT_TRUE(rule->has_transform());
  EXPECT_FALSE(rule->has_check());
  EXPECT_EQ(run(*rule, R"({"id":"a","qty":3,"price":2.5})", "orders"),
            "{\"id\":\"a\",\"total\":7.5,\"pipeline\":\"orders\",\"big\":1e+21,\"s\":\"é\u2028\"}");
}

TEST_F(Fixture, TextCrossesAsUtf8WhateverTheStringRepresentation) {
  auto rule = load(
      "export function transform(r) { return [r.s, r.s.length, 'caf\\u00e9', '\\u{1F600}']; }");
  ASSERT_TRUE(rule);
  // ASCII, Latin-1 (one-byte in V8) and astral text, in and out.
  EXPECT_EQ(run(*rule, R"({"s":"plain"})"), "[\"plain\",5,\"café\",\"😀\"]");
  EXPECT_EQ(run(*rule, R"({"s":"Zoë"})"), "[\"Zoë\",3,\"café\",\"😀\"]");
  auto latin1 = load("export function transform(r) { return 'caf\\u00e9 ' + r.s; }");
  ASSERT_TRUE(latin1);
  EXPECT_EQ(run(*latin1, R"({"s":"ok"})"), "\"café ok\"");
  EXPECT_EQ(run(*latin1, R"({"s":"\ud83d\ude00 \u00e9"})"), "\"café 😀 é\"");
}

TEST_F(Fixture, CheckVerdicts) {
  auto rule = load(R"(
    export function check(r) {
      switch (r.v) {
        case 'true': return true;
        case 'undefined': return;
        case 'false': return false;
        case 'string': return 'amount must be positive';
        case 'empty': return '';
        case 'list': return ['a', 'b'];
        case 'none': return [];
        case 'number': return 42;
        case 'mixed': return ['a', 1];
        case 'async': return Promise.resolve('later');
      }
    })");
  ASSERT_TRUE(rule);
  EXPECT_EQ(run(*rule, R"({"v":"true"})"), "unchanged");
  EXPECT_EQ(run(*rule, R"({"v":"undefined"})"), "unchanged");
  EXPECT_EQ(run(*rule, R"({"v":"none"})"), "unchanged");
  EXPECT_EQ(run(*rule, R"({"v":"false"})"), "invalid: rejected by rules.js |");
  EXPECT_EQ(run(*rule, R"({"v":"empty"})"), "invalid: rejected by rules.js |");
  EXPECT_EQ(run(*rule, R"({"v":"string"})"), "invalid: amount must be positive |");
  EXPECT_EQ(run(*rule, R"({"v":"list"})"), "invalid: a | b |");
  EXPECT_EQ(run(*rule, R"({"v":"async"})"), "invalid: later |");
  EXPECT_EQ(run(*rule, R"({"v":"number"})"),
            "error: rules.js: check returned a number; expected true, false, a string or an "
            "array of strings");
  EXPECT_EQ(run(*rule, R"({"v":"mixed"})"),
            "error: rules.js: check returned an array holding a number; expected strings (the "
            "reasons)");
}

TEST_F(Fixture, CheckRunsBeforeTransform) {
  auto rule = load(R"(
    export function check(r) { if (r.n < 0) return 'n is negative'; }
    export function transform(r) { return r.n * 2; })");
  ASSERT_TRUE(rule);
  EXPECT_EQ(run(*rule, R"({"n":-1})"), "invalid: n is negative |");
  EXPECT_EQ(run(*rule, R"({"n":21})"), "42");
}

TEST_F(Fixture, UndefinedFunctionsAndPromises) {
  auto rule = load(R"(
    export async function transform(r) {
      if (r.k === 'undef') return undefined;
      if (r.k === 'fn') return () => 1;
      if (r.k === 'bigint') return { n: 10n };
      if (r.k === 'cycle') { const o = {}; o.o = o; return o; }
      if (r.k === 'never') return new Promise(() => {});
      if (r.k === 'reject') throw new RangeError('bad range');
      return await Promise.resolve([r.k]);
    })");
  ASSERT_TRUE(rule);
  EXPECT_EQ(run(*rule, R"({"k":"x"})"), "[\"x\"]");
  EXPECT_EQ(run(*rule, R"({"k":"undef"})"), "undefined");
  EXPECT_EQ(run(*rule, R"({"k":"fn"})"), "undefined");
  EXPECT_EQ(run(*rule, R"({"k":"bigint"})"),
            "error: rules.js: transform's result is not JSON: TypeError: Do not know how to "
            "serialize a BigInt");
  EXPECT_NE(run(*rule, R"({"k":"cycle"})")
                .find("transform's result is not JSON: TypeError: "
                      "Converting circular structure to JSON"),
            std::string::npos);
  EXPECT_EQ(run(*rule, R"({"k":"never"})"),
            "error: rules.js: transform returned a promise that never settles (rules have no "
            "timers or I/O)");
  EXPECT_EQ(run(*rule, R"({"k":"reject"})"), "error: rules.js:8:35: RangeError: bad range");
}

TEST_F(Fixture, MicrotasksACallLeavesRunBeforeItReturns) {
  auto rule = load(R"(
    let seen = 0;
    export function transform(r) {
      const before = seen;
      Promise.resolve().then(() => { seen++; });  // not returned
      return before;
    })");
  ASSERT_TRUE(rule);
  EXPECT_EQ(run(*rule, "{}"), "0");
  EXPECT_EQ(run(*rule, "{}"), "1");
  EXPECT_EQ(run(*rule, "{}"), "2");
}

TEST_F(Fixture, ThrownErrorsCarryFileLineAndMessage) {
  auto rule = load("export function transform(r) {\n  return r.missing.field;\n}\n");
  ASSERT_TRUE(rule);
  std::string out;
  auto r = runtime.run(*rule, "{}", "p", limits, out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::thrown);
  EXPECT_EQ(r.error().line, 2u);
  EXPECT_EQ(r.error().column, 20u);
  EXPECT_EQ(r.error().to_string(),
            "rules.js:2:20: TypeError: Cannot read properties of undefined (reading 'field')");
  EXPECT_TRUE(out.empty());

  auto thrower = load("export function check() { throw 'plain string'; }");
  ASSERT_TRUE(thrower);
  EXPECT_EQ(run(*thrower, "{}"), "error: rules.js:1:27: threw plain string");
}

TEST_F(Fixture, LoadErrorsNameTheProblem) {
  Error e = load_error("export function transform(r) {\n  return r +;\n}\n");
  EXPECT_EQ(e.kind, Error::Kind::load);
  EXPECT_EQ(e.to_string(), "rules.js:2:13: SyntaxError: Unexpected token ';'");
  EXPECT_EQ(load_error("export const x = 1;").to_string(),
            "rules.js: exports neither check(record, ctx) nor transform(record, ctx)");
  EXPECT_EQ(load_error("export const check = 5;").to_string(),
            "rules.js: export 'check' is a number, not a function");
  EXPECT_EQ(load_error("import fs from 'fs';\nexport function check() {}").to_string(),
            "rules.js:1:16: cannot import 'fs': rules run without modules (only what the "
            "engine passes in)");
  EXPECT_EQ(load_error("throw new Error('top');\nexport function check() {}").to_string(),
            "rules.js:1:7: Error: top");
  limits.timeout_ms = 20;
  Error loop = load_error("for (;;) {}\nexport function check() {}");
  EXPECT_EQ(loop.to_string(), "rules.js: timed out in top level after 20 ms");
}

TEST_F(Fixture, SandboxHasNoHostAccess) {
  auto rule = load(R"(
    export function transform(r) {
      const probes = {
        require: () => require('fs'),
        process: () => process.env,
        fetch: () => fetch('http://example.com'),
        eval: () => eval('1 + 1'),
        Function: () => new Function('return 1')(),
        setTimeout: () => setTimeout(() => {}, 1),
        WebAssembly: () => WebAssembly.Module,
        import: () => import('fs'),
        SharedArrayBufferWait: () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0),
      };
      const fn = probes[r.probe];
      try {
        const v = fn();
        if (v instanceof Promise) return v.then(() => 'allowed', (e) => e.constructor.name + ': ' + e.message);
        return 'allowed';
      } catch (e) {
        return e.constructor.name + ': ' + e.message;
      }
    })");
  ASSERT_TRUE(rule);
  EXPECT_EQ(run(*rule, R"({"probe":"require"})"), "\"ReferenceError: require is not defined\"");
  EXPECT_EQ(run(*rule, R"({"probe":"process"})"), "\"ReferenceError: process is not defined\"");
  EXPECT_EQ(run(*rule, R"({"probe":"fetch"})"), "\"ReferenceError: fetch is not defined\"");
  EXPECT_EQ(run(*rule, R"({"probe":"setTimeout"})"),
            "\"ReferenceError: setTimeout is not defined\"");
  EXPECT_EQ(run(*rule, R"({"probe":"WebAssembly"})"),
            "\"ReferenceError: WebAssembly is not defined\"");
  EXPECT_NE(run(*rule, R"({"probe":"eval"})")
                .find("EvalError: Code generation from strings "
                      "disallowed"),
            std::string::npos);
  EXPECT_NE(run(*rule, R"({"probe":"Function"})")
                .find("EvalError: Code generation from strings "
                      "disallowed"),
            std::string::npos);
  EXPECT_EQ(run(*rule, R"({"probe":"import"})"),
            "\"Error: cannot import 'fs': rules run without modules (only what the engine passes "
            "in)\"");
  EXPECT_NE(run(*rule, R"({"probe":"SharedArrayBufferWait"})").find("TypeError: Atomics.wait"),
            std::string::npos);
}

TEST_F(Fixture, GlobalsAndBuiltinsAreFrozenSoEveryCallSeesTheSameWorld) {
  auto rule = load(R"(
    let calls = 0;  // module state: per runtime, documented as a cache that may reset
    export function transform(r) {
      calls++;
      const tries = {
        global: () => { globalThis.leak = 1; },
        proto: () => { Array.prototype.map = () => 'hijacked'; },
        json: () => { JSON.parse = () => 1; },
        math: () => { Math.random = () => 4; },
      };
      let result = 'mutated';
      try { tries[r.what](); } catch (e) { result = e.constructor.name; }
      // Ordinary code that assigns over inherited built-in names still works.
      class MyError extends Error { constructor(m) { super(m); this.name = 'MyError'; } }
      const o = {}; o.toString = () => 'mine';
      return { result, calls, leak: typeof leak, map: [1].map((x) => x + 1), err: new MyError('m').name, o: String(o) };
    })");
  ASSERT_TRUE(rule);
  for (const char* what : {"global", "proto", "json", "math"}) {
    std::string out = run(*rule, std::string(R"({"what":")") + what + "\"}");
    EXPECT_NE(out.find("\"result\":\"TypeError\""), std::string::npos) << what << " " << out;
    EXPECT_NE(out.find("\"leak\":\"undefined\",\"map\":[2],\"err\":\"MyError\",\"o\":\"mine\""),
              std::string::npos)
        << out;
  }
  EXPECT_NE(run(*rule, R"({"what":"global"})").find("\"calls\":5"), std::string::npos);
}

TEST_F(Fixture, RunawayLoopsAndRegexesTimeOutAndTheNextCallIsClean) {
  limits.timeout_ms = 30;
  auto rule = load(R"(
    let calls = 0;
    export function transform(r) {
      calls++;
      if (r.kind === 'loop') for (;;) {}
      if (r.kind === 'regex') return /^(a+)+$/.test('a'.repeat(40) + 'b');
      if (r.kind === 'sort') { const a = Array.from({length: 3e6}, (_, i) => (i * 7919) % 1000003); a.sort((x, y) => x - y); a.sort((x, y) => y - x); a.sort(); return 0; }
      return calls;
    })");
  ASSERT_TRUE(rule);
  EXPECT_EQ(run(*rule, R"({"kind":"ok"})"), "1");
  EXPECT_EQ(runtime.stats().isolates_created, 1u);
  EXPECT_EQ(run(*rule, R"({"kind":"loop"})"),
            "error: rules.js: timed out in transform after 30 ms");
  EXPECT_EQ(runtime.stats().isolates_created, 1u);  // rebuilt lazily, on the next call
  // A fresh isolate: the module was evaluated again, so its state starts over.
  EXPECT_EQ(run(*rule, R"({"kind":"ok"})"), "1");
  EXPECT_EQ(runtime.stats().isolates_created, 2u);
  EXPECT_EQ(run(*rule, R"({"kind":"regex"})"),
            "error: rules.js: timed out in transform after 30 ms");
  EXPECT_EQ(run(*rule, R"({"kind":"sort"})"),
            "error: rules.js: timed out in transform after 30 ms");
  EXPECT_EQ(run(*rule, R"({"kind":"ok"})"), "1");
}

// Calls that end right around their deadline: each is either a result or a timeout, and a
// deadline never lands in the call after it (that call would fail with "terminated").
TEST_F(Fixture, DeadlinesNeverLeakIntoTheNextCall) {
  limits.timeout_ms = 1;
  auto rule = load(R"(
    export function transform(r) {
      const until = Date.now() + r.ms;
      let spins = 0;
      while (Date.now() < until) spins++;
      return r.ms;
    })");
  ASSERT_TRUE(rule);
  int ok = 0, timed_out = 0;
  for (int i = 0; i < 400; ++i) {
    const int ms = (i % 3) * (i % 3);  // 0, 1 or 4 ms against a 1 ms deadline
    std::string out;
    auto r = runtime.run(*rule, "{\"ms\":" + std::to_string(ms) + "}", "p", limits, out);
    if (r.ok()) {
      ASSERT_EQ(out, std::to_string(ms));
      ++ok;
    } else {
      ASSERT_EQ(r.error().kind, Error::Kind::timeout) << r.error().to_string();
      ++timed_out;
    }
    // A call with no work right after must always succeed.
    out.clear();
    auto quick = runtime.run(*rule, R"({"ms":0})", "p", Limits{.timeout_ms = 1000}, out);
    ASSERT_TRUE(quick.ok()) << quick.error().to_string();
    ASSERT_EQ(out, "0");
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(timed_out, 0);
}

TEST_F(Fixture, UnboundedAllocationHitsTheHeapLimitWithoutKillingTheProcess) {
  Runtime small(RuntimeOptions{.heap_limit_bytes = size_t{32} << 20, .log = {}});
  limits.timeout_ms = 10000;
  auto rule = Rule::load("rules.js", R"(
    export function transform(r) {
      if (r.kind === 'grow') { const keep = []; for (;;) keep.push({ i: keep.length, s: 'x' + keep.length }); }
      if (r.kind === 'string') { let s = 'x'; for (;;) s = s + s; }
      return 'ok';
    })",
                         small, limits);
  ASSERT_TRUE(rule.ok());
  std::string out;
  auto r = small.run(**rule, R"({"kind":"grow"})", "p", limits, out);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::heap);
  EXPECT_EQ(r.error().to_string(),
            "rules.js: ran out of memory in transform: the heap limit is 32 MiB");
  // Strings past V8's maximum length throw RangeError (an ordinary error).
  auto s = small.run(**rule, R"({"kind":"string"})", "p", limits, out);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().kind == Error::Kind::heap || s.error().kind == Error::Kind::thrown)
      << s.error().to_string();
  auto ok = small.run(**rule, R"({"kind":"ok"})", "p", limits, out);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(out, "\"ok\"");
}

TEST_F(Fixture, UnboundedRecursionIsARangeError) {
  auto rule =
      load("function f(n) { return f(n + 1) + 1; }\nexport function transform() { return f(0); }");
  ASSERT_TRUE(rule);
  EXPECT_NE(run(*rule, "{}").find("RangeError: Maximum call stack size exceeded"),
            std::string::npos);
  EXPECT_EQ(runtime.stats().isolates_created, 1u);
}

TEST_F(Fixture, OneIsolateServesEveryCallAndEveryRule) {
  auto a = load("export function transform(r) { return r.n + 1; }");
  auto b = load("export function check(r) { return r.n > 0; }");
  ASSERT_TRUE(a && b);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(run(*a, "{\"n\":" + std::to_string(i) + "}"), std::to_string(i + 1));
    ASSERT_EQ(run(*b, "{\"n\":1}"), "unchanged");
  }
  EXPECT_EQ(runtime.stats().isolates_created, 1u);
  EXPECT_EQ(runtime.stats().compiles, 2u);  // once each, at load
}

TEST_F(Fixture, PrepareCompilesAheadOfTheFirstRecord) {
  auto rule = load("export function transform(r) { return r.n; }");
  ASSERT_TRUE(rule);
  Runtime other;
  EXPECT_EQ(other.stats().isolates_created, 0u);
  ASSERT_TRUE(other.prepare(*rule, limits).ok());
  EXPECT_EQ(other.stats().isolates_created, 1u);
  EXPECT_EQ(other.stats().compiles, 1u);
  std::string out;
  ASSERT_TRUE(other.run(*rule, R"({"n":3})", "p", limits, out).ok());
  EXPECT_EQ(out, "3");
  EXPECT_EQ(other.stats().compiles, 1u);
}

TEST_F(Fixture, RulesLoadedInOneRuntimeRunInAnotherThread) {
  auto rule = load("export function transform(r, ctx) { return ctx.pipeline + ':' + r.n; }");
  ASSERT_TRUE(rule);
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Runtime mine;
      std::string last;
      for (int i = 0; i < 200; ++i) {
        std::string out;
        auto r = mine.run(*rule, "{\"n\":" + std::to_string(i) + "}", "w" + std::to_string(t),
                          limits, out);
        last = r.ok() ? out : r.error().to_string();
      }
      results[t] = last;
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(results[t], "\"w" + std::to_string(t) + ":199\"");
}

TEST_F(Fixture, CtxLogAndConsoleGoToTheSink) {
  std::vector<std::string> lines;
  Runtime logged(
      RuntimeOptions{.heap_limit_bytes = size_t{64} << 20, .log = [&](const LogEntry& e) {
                       lines.push_back(std::string(e.file) + "|" + std::string(e.pipeline) + "|" +
                                       std::string(e.message));
                     }});
  auto rule = Rule::load("fees.js", R"(
    export function check(r, ctx) {
      ctx.log('checking', r.id, { n: 1 }, [2], null);
      console.warn('via console');
      return Object.isFrozen(ctx);
    })",
                         logged, limits);
  ASSERT_TRUE(rule.ok());
  std::string out;
  auto r = logged.run(**rule, R"({"id":7})", "payments", limits, out);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->valid);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "fees.js|payments|checking 7 {\"n\":1} [2] null");
  EXPECT_EQ(lines[1], "fees.js|payments|via console");

  // At most 16 entries per record; the rest are counted in one last entry.
  lines.clear();
  auto chatty = Rule::load(
      "chatty.js", "export function check(r, ctx) { for (let i = 0; i < 1000; i++) ctx.log(i); }",
      logged, limits);
  ASSERT_TRUE(chatty.ok());
  ASSERT_TRUE(logged.run(**chatty, "{}", "p", limits, out).ok());
  ASSERT_EQ(lines.size(), 17u);
  EXPECT_EQ(lines[15], "chatty.js|p|15");
  EXPECT_EQ(lines[16], "chatty.js|p|984 more ctx.log entries dropped (at most 16 per record)");

  // What JSON.stringify refuses is logged as String(value); the call carries on.
  lines.clear();
  auto odd = Rule::load("odd.js", R"(
    export function transform(r, ctx) {
      const cycle = {}; cycle.self = cycle;
      ctx.log(cycle, { n: 1n }, () => 1, undefined, 'é'.repeat(5000));
      try { ctx.log(Symbol('s')); } catch (e) { return e.constructor.name; }
      return 'no throw';
    })",
                        logged, limits);
  ASSERT_TRUE(odd.ok());
  out.clear();
  ASSERT_TRUE(logged.run(**odd, "{}", "p", limits, out).ok());
  EXPECT_EQ(out, "\"TypeError\"");
  ASSERT_EQ(lines.size(), 1u);
  const std::string prefix = "odd.js|p|[object Object] [object Object] undefined undefined ";
  ASSERT_EQ(lines[0].substr(0, prefix.size()), prefix);
  EXPECT_EQ(lines[0].size() - std::string("odd.js|p|").size(), 8192u);  // 'é' is 2 bytes: cut whole
}

}  // namespace
}  // namespace hotpath::rules
