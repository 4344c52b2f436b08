// Reading the bytes of a JS argument without building anything: Buffers, typed arrays,
// DataViews and ArrayBuffers are read in place (no copy); strings are transcoded once to UTF-8.
#pragma once

#include <napi.h>

#include <cstddef>
#include <memory>
#include <string_view>

namespace hotpath::node {

// A growable byte buffer that never zero-fills (std::string::resize would).
class ScratchBuffer {
 public:
  char* reserve(size_t n) {
    if (n > capacity_) {
      size_t c = capacity_ ? capacity_ : 256;
      while (c < n) c *= 2;
      data_.reset(new char[c]);
      capacity_ = c;
    }
    return data_.get();
  }
  void release_if_larger_than(size_t n) {
    if (capacity_ > n) {
      data_.reset();
      capacity_ = 0;
    }
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
};

enum class InputKind { none, string, bytes };

// Classifies `value` and returns its bytes. Strings are written as UTF-8 into `scratch` (lone
// surrogates become U+FFFD, as in Buffer.from(string)); byte views point into the JS memory.
// Returns InputKind::none (bytes empty) for any other value. Throws a TypeError with code
// ERR_INVALID_STATE for a view on a detached ArrayBuffer.
InputKind read_input(Napi::Env env, napi_value value, ScratchBuffer& scratch,
                     std::string_view& bytes);

// Same, but a value that is neither a string nor bytes throws a TypeError with code
// ERR_INVALID_ARG_TYPE naming `what`.
std::string_view input_bytes(Napi::Env env, napi_value value, ScratchBuffer& scratch,
                             const char* what);

// True when `value` is a byte view (TypedArray, DataView, ArrayBuffer); its bytes in `bytes`.
bool byte_view(Napi::Env env, napi_value value, std::string_view& bytes);

// The common case in one Node-API call: a non-empty Buffer or Uint8Array (Node also answers
// for other typed arrays and DataViews, with their byte length). False for anything else and
// for empty views, which byte_view() tells apart (an empty view may sit on a detached buffer).
// napi_is_typedarray + napi_get_typedarray_info cost about 10 ns more per call.
inline bool nonempty_buffer(napi_env env, napi_value value, std::string_view& bytes) {
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_buffer_info(env, value, &data, &length) != napi_ok || length == 0) return false;
  bytes = std::string_view(static_cast<const char*>(data), length);
  return true;
}

}  // namespace hotpath::node
