// Throwing JS errors that carry a Node-style `code` (ERR_INVALID_ARG_TYPE, HOTPATH_...).
// The addon is built with C++ exceptions (NAPI_CPP_EXCEPTIONS): a thrown Napi::Error becomes
// the JS exception of the current call; the core itself never throws.
#pragma once

#include <napi.h>

#include <string>

namespace hotpath::node {

enum class ErrorKind { error, type_error, range_error };

Napi::Error make_error(Napi::Env env, ErrorKind kind, const char* code, const std::string& message);

[[noreturn]] inline void throw_error(Napi::Env env, ErrorKind kind, const char* code,
                                     const std::string& message) {
  throw make_error(env, kind, code, message);
}

// Settles a Promise from an AsyncWorker's OnOK/OnError. `settle` may fail when the environment
// is shutting down (a terminated worker_thread, process exit): JS can no longer run, the
// promise dies with the environment, and no exception may escape the completion callback.
// In a live environment a failure rejects the promise with the error instead.
template <typename Settle>
void settle_promise(Napi::Promise::Deferred& deferred, Settle&& settle) noexcept {
  try {
    settle();
  } catch (const Napi::Error& e) {
    try {
      deferred.Reject(e.Value());
    } catch (...) {
    }
  } catch (...) {
  }
}

[[noreturn]] inline void throw_invalid_arg_type(Napi::Env env, const std::string& message) {
  throw_error(env, ErrorKind::type_error, "ERR_INVALID_ARG_TYPE", message);
}

}  // namespace hotpath::node
