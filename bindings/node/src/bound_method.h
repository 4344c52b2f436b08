// A hot ObjectWrap method as a plain function bound to its object. Calling a method through
// the prototype costs V8's receiver check and a napi_unwrap: about 90 ns more per call than a
// function whose data points at the object (probe addon, Node 20: 134 vs 44 ns), which is the
// whole budget of a small v(input) or evaluate(input). lib/ keeps the bound function next to
// the object it came from, so both are collected together.
#pragma once

#include <napi.h>

#include "js_errors.h"

namespace hotpath::node {

// Shared by an object and the functions bound to it; whichever is finalized last frees it.
// Both are finalized on the environment's JS thread.
struct BoundSelf {
  void* self;
  int refs = 1;  // the object's own
};

inline void release(BoundSelf* b) {
  if (--b->refs == 0) delete b;
}

// The object's destructor calls this: a bound function that outlives it (it should not)
// throws instead of reaching a freed object.
inline void detach(BoundSelf* b) {
  b->self = nullptr;
  release(b);
}

template <typename T, Napi::Value (T::*Method)(const Napi::CallbackInfo&)>
Napi::Value call_bound(const Napi::CallbackInfo& info) {
  auto* b = static_cast<BoundSelf*>(info.Data());
  if (b->self == nullptr) {
    throw_error(info.Env(), ErrorKind::error, "ERR_INVALID_STATE",
                "this function's object was already released");
  }
  return (static_cast<T*>(b->self)->*Method)(info);
}

// A function calling `Method` on the object of `b`, with the arguments it is given.
template <typename T, Napi::Value (T::*Method)(const Napi::CallbackInfo&)>
Napi::Function bind_method(Napi::Env env, BoundSelf* b, const char* name) {
  Napi::Function f = Napi::Function::New(env, call_bound<T, Method>, name, b);
  ++b->refs;
  f.AddFinalizer([](Napi::Env, BoundSelf* p) { release(p); }, b);
  return f;
}

}  // namespace hotpath::node
