#include "js_errors.h"

namespace hotpath::node {

Napi::Error make_error(Napi::Env env, ErrorKind kind, const char* code,
                       const std::string& message) {
  Napi::Error err = kind == ErrorKind::type_error    ? Napi::TypeError::New(env, message)
                    : kind == ErrorKind::range_error ? Napi::RangeError::New(env, message)
                                                     : Napi::Error::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  return err;
}

}  // namespace hotpath::node
