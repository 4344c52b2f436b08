// hotpath/jsonata: compile a JSONata expression once, evaluate it many times over parsed JSON,
// writing the result as JSON bytes. The language and the errors are jsonata-js 2.x's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "hotpath/json.h"
#include "hotpath/result.h"

namespace hotpath::jsonata {

// A compile or evaluation error, as jsonata-js reports it.
struct Error {
  std::string code;               // jsonata-js's code: "S0201", "T2001", "D3030", "U1001", ...
  size_t position = 0;            // character position jsonata-js reports for the token (0 if none)
  std::string token;              // the offending token or function name, when there is one
  std::string message;            // e.g. "Syntax error: \")\""
  std::string to_string() const;  // "CODE at position N: message"
};

// Bounds for one evaluation. Exceeding one is an error (code U1001), never a hang or a crash.
struct Limits {
  uint32_t max_depth = 0;   // evaluation (call) depth; 0 = the built-in default
  uint32_t timeout_ms = 0;  // wall-clock budget per evaluate(); 0 = none
};

// Named values bound as $name during evaluation (jsonata-js's `bindings` argument).
// Values point into caller-owned Documents, which must outlive the evaluate() call.
class Bindings {
 public:
  Bindings();
  ~Bindings();
  Bindings(Bindings&&) noexcept;
  Bindings& operator=(Bindings&&) noexcept;
  void set(std::string_view name, const json::Value& value);  // name without '$'
  // Every member of a JSON object becomes a binding. Returns false if `object` is not an object.
  bool set_all(const json::Value& object);

 private:
  friend class Expression;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A compiled expression: immutable, cheap to copy, safe to evaluate from many threads at once.
class Expression {
 public:
  static Result<Expression, Error> compile(std::string_view source);

  // Evaluates with `input` as the context (nullptr = no input: undefined). On success returns
  // true and appends the result to `out` as compact JSON (strings escaped as JSON.stringify
  // does, numbers as JavaScript prints them); returns false with `out` untouched when the result
  // is undefined. (Functions inside a result serialize as documented in core/jsonata/README.md.)
  Result<bool, Error> evaluate(const json::Value* input, std::string& out,
                               const Bindings* bindings = nullptr, const Limits& limits = {}) const;

  std::string_view source() const;

  Expression(const Expression&);
  Expression& operator=(const Expression&);
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

 private:
  struct Program;
  explicit Expression(std::shared_ptr<const Program> p);
  std::shared_ptr<const Program> program_;
};

}  // namespace hotpath::jsonata
