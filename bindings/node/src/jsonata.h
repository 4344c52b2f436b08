// The JSONata side of the addon: ExpressionWrap wraps hotpath::jsonata::Expression.
//   new Expression(source)                      compiles (throws the jsonata error on failure)
//   evaluate(input, bindingsJson, asBuffer, timeoutMs, maxDepth) -> string | Buffer | undefined
//   evaluateAsync(same)                         -> Promise of the same, on the libuv pool
// `input` is JSON text or bytes (undefined = no input); lib/ turns JS values into JSON text.
#pragma once

#include <napi.h>

#include <optional>

#include "hotpath/jsonata.h"

namespace hotpath::node {

struct BoundSelf;  // bound_method.h

class ExpressionWrap : public Napi::ObjectWrap<ExpressionWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ExpressionWrap(const Napi::CallbackInfo& info);
  ~ExpressionWrap() override;
  ExpressionWrap(const ExpressionWrap&) = delete;
  ExpressionWrap& operator=(const ExpressionWrap&) = delete;

 private:
  // evaluate(input[, bindings, timeoutMs, maxDepth]), an own property bound to the object
  // (bound_method.h).
  Napi::Value Evaluate(const Napi::CallbackInfo& info);
  Napi::Value EvaluateAsync(const Napi::CallbackInfo& info);

  std::optional<jsonata::Expression> expression_;
  BoundSelf* bound_ = nullptr;  // shared with the bound evaluate()
};

}  // namespace hotpath::node
