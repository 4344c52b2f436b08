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

class ExpressionWrap : public Napi::ObjectWrap<ExpressionWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ExpressionWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value Evaluate(const Napi::CallbackInfo& info);
  Napi::Value EvaluateAsync(const Napi::CallbackInfo& info);

  std::optional<jsonata::Expression> expression_;
};

}  // namespace hotpath::node
