// The JSON Schema side of the addon: one ObjectWrap per core type.
//   Compiler  wraps hotpath::schema::Compiler  (options, addSchema, compile)
//   Validator wraps hotpath::schema::Validator (validate, check, validateMany, validateAsync)
// Argument checking and friendly messages live in lib/; these classes still refuse wrong
// types with a TypeError rather than trusting their caller.
#pragma once

#include <napi.h>

#include <optional>
#include <string>

#include "hotpath/json.h"
#include "hotpath/schema.h"

namespace hotpath::node {

struct BoundSelf;  // bound_method.h

class CompilerWrap : public Napi::ObjectWrap<CompilerWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  // new Compiler(formats: boolean, defaultDialect: string, refMaps: string[] /* prefix, dir, ...
  // */)
  explicit CompilerWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value AddSchema(const Napi::CallbackInfo& info);  // (schemaText, uri?) -> registered uri
  Napi::Value Compile(const Napi::CallbackInfo& info);    // (schemaText, uri?) -> Validator

  std::optional<schema::Compiler> compiler_;
};

class ValidatorWrap : public Napi::ObjectWrap<ValidatorWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  // Only Compiler.compile creates these (it hands over the compiled validator through
  // AddonData::validator_to_adopt).
  explicit ValidatorWrap(const Napi::CallbackInfo& info);
  ~ValidatorWrap() override;
  ValidatorWrap(const ValidatorWrap&) = delete;
  ValidatorWrap& operator=(const ValidatorWrap&) = delete;

 private:
  // validate(input) -> boolean, an own property bound to the object (bound_method.h). On
  // failure the basic output (or the parse error) is kept, and
  // errorsJson() turns it into ajv's array only when v.errors is read.
  Napi::Value Validate(const Napi::CallbackInfo& info);
  Napi::Value ErrorsJson(const Napi::CallbackInfo& info);
  // (input) -> null | ajv errors JSON. Stateless (used by validateAsync's inline path).
  Napi::Value Evaluate(const Napi::CallbackInfo& info);
  // (input, 'flag' | 'basic') -> standard output unit as JSON text.
  Napi::Value Check(const Napi::CallbackInfo& info);
  // (ndjson) -> manyResult(Uint8Array of 0/1 per line, JSON [{"line":n,"errors":[...]}, ...])
  Napi::Value ValidateMany(const Napi::CallbackInfo& info);
  // (input) -> Promise<asyncResult(errorsJson | null)>; parse + validate on the libuv pool.
  Napi::Value ValidateAsync(const Napi::CallbackInfo& info);

  std::optional<schema::Validator> validator_;
  BoundSelf* bound_ = nullptr;  // shared with the bound validate()
  // The last failing validate() call: its basic output, or why it was not JSON.
  schema::Output last_output_;
  std::optional<json::ParseError> last_parse_error_;
};

}  // namespace hotpath::node
