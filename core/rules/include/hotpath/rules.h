// hotpath::rules: user JavaScript rules run in embedded, sandboxed V8 (see core/rules/README.md).
//
// A rule file is an ES module exporting `check(record, ctx)` (a verdict), `transform(record, ctx)`
// (the new record), or both (check runs first). Records cross as JSON text: JSON.parse in,
// JSON.stringify out, so every host (hotpathd here, Node, the browser) gives the same bytes.
//
//   auto rule = rules::Rule::load("rules.js", source, runtime, {});   // compiled + checked once
//   rules::Runtime runtime;                                         // one per thread, reused
//   std::string out;
//   auto r = runtime.run(**rule, R"({"amount":12})", "payments", {}, out);
//
// A Runtime owns one V8 isolate; it belongs to the thread that first uses it (and must be
// destroyed there), as a thread_local does. No V8 type appears in
// this header: hosts include it without V8's headers or -fno-rtti.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/result.h"

namespace hotpath::rules {

struct Error {
  enum class Kind : uint8_t {
    load,     // the file does not compile, imports something, throws at top level, exports neither
    thrown,   // check/transform threw (or its promise rejected)
    timeout,  // the call ran past Limits::timeout_ms and was terminated
    heap,     // the isolate ran out of its heap limit; the call was terminated
    result,   // the returned value is not a verdict / not representable as JSON
  };
  Kind kind = Kind::thrown;
  std::string file;   // the rule file's name
  uint32_t line = 0;  // 1-based position of the throw in the rule file; 0 when unknown
  uint32_t column = 0;
  std::string message;  // e.g. "TypeError: Cannot read properties of undefined (reading 'x')"

  // "rules.js:3:11: TypeError: ..." (or "rules.js: ..." without a position).
  std::string to_string() const;
};

// Per call.
struct Limits {
  uint32_t timeout_ms = 100;  // CPU deadline of one record (check + transform together)
};

struct LogEntry {
  std::string_view file;      // rule file
  std::string_view pipeline;  // ctx.pipeline of the call
  std::string_view message;   // ctx.log(...) arguments, space-separated (capped at 8 KiB)
};

struct RuntimeOptions {
  size_t heap_limit_bytes = size_t{128} << 20;  // old-generation limit of the isolate
  std::function<void(const LogEntry&)> log;     // ctx.log sink; none: dropped
};

class Runtime;

// One rule file: its name (used in errors), source and V8 code cache. Immutable; share it.
class Rule {
 public:
  // Compiles the module in `checker`, runs its top level (bounded by `limits`) and checks that it
  // exports check and/or transform as functions. The code cache made there speeds up the
  // compile in every other runtime.
  static Result<std::shared_ptr<const Rule>, Error> load(std::string file, std::string source,
                                                         Runtime& checker, const Limits& limits);

  const std::string& file() const { return file_; }
  const std::string& source() const { return source_; }
  bool has_check() const { return has_check_; }
  bool has_transform() const { return has_transform_; }
  uint64_t id() const { return id_; }  // unique per load, never reused in the process

 private:
  friend class Runtime;
  Rule() = default;
  std::string file_;
  std::string source_;
  std::vector<uint8_t> code_cache_;
  bool has_check_ = false;
  bool has_transform_ = false;
  uint64_t id_ = 0;
};

struct Outcome {
  enum class Output : uint8_t {
    unchanged,  // no transform: the record itself is the output (nothing was appended)
    value,      // transform's result, as JSON, was appended to `out`
    undefined,  // transform returned undefined (or a function/symbol): no output value
  };
  bool valid = true;                 // false: check rejected the record
  std::vector<std::string> reasons;  // check's reasons when !valid
  Output output = Output::unchanged;
};

struct RuntimeStats {
  uint64_t isolates_created = 0;  // > 1: an isolate was rebuilt after a timeout or the heap limit
  uint64_t calls = 0;
  uint64_t compiles = 0;  // rule modules compiled in this runtime
};

class Runtime {
 public:
  explicit Runtime(RuntimeOptions options = {});
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Runs `rule` on one record given as JSON text. A valid result with Output::value appends the
  // transformed record (compact JSON, as JSON.stringify writes it) to `out`. A rule error leaves
  // `out` as it was. After a timeout or the heap limit the isolate is disposed and the next call
  // gets a fresh one (a trusted state), so one runaway record never affects the next.
  // Each rule is compiled once per runtime (the 256 most recently used are kept).
  Result<Outcome, Error> run(const Rule& rule, std::string_view record_json,
                             std::string_view pipeline, const Limits& limits, std::string& out);

  // Creates the isolate (if needed) and compiles `rule` in it now, so that the first record does
  // not pay for them. Bounded by `limits` like a call.
  Result<bool, Error> prepare(const Rule& rule, const Limits& limits);

  const RuntimeStats& stats() const { return stats_; }

  struct Impl;

 private:
  friend class Rule;
  std::unique_ptr<Impl> impl_;
  RuntimeStats stats_;
};

}  // namespace hotpath::rules
