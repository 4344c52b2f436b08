#include "input.h"

#include <string>

#include "js_errors.h"

namespace hotpath::node {
namespace {

size_t element_size(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array:
    case napi_uint8_array:
    case napi_uint8_clamped_array:
      return 1;
    case napi_int16_array:
    case napi_uint16_array:
      return 2;
    case napi_int32_array:
    case napi_uint32_array:
    case napi_float32_array:
      return 4;
    default:
      return 8;  // float64, bigint64, biguint64
  }
}

[[noreturn]] void throw_detached(Napi::Env env) {
  throw_error(
      env, ErrorKind::type_error, "ERR_INVALID_STATE",
      "the input's ArrayBuffer is detached (its memory was transferred, e.g. by postMessage "
      "or structuredClone with transfer); pass a live Buffer");
}

// An empty view may sit on a detached buffer: tell that apart from a genuinely empty input.
void check_not_detached(Napi::Env env, napi_value arraybuffer) {
  bool detached = false;
  if (arraybuffer != nullptr &&
      napi_is_detached_arraybuffer(env, arraybuffer, &detached) == napi_ok && detached) {
    throw_detached(env);
  }
}

}  // namespace

bool byte_view(Napi::Env env, napi_value value, std::string_view& bytes) {
  if (nonempty_buffer(env, value, bytes)) return true;
  bool is = false;
  if (napi_is_typedarray(env, value, &is) == napi_ok && is) {
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    napi_value arraybuffer = nullptr;
    size_t offset = 0;
    NAPI_THROW_IF_FAILED(
        env, napi_get_typedarray_info(env, value, &type, &length, &data, &arraybuffer, &offset),
        false);
    if (length == 0) check_not_detached(env, arraybuffer);
    bytes = std::string_view(static_cast<const char*>(data), length * element_size(type));
    return true;
  }
  if (napi_is_dataview(env, value, &is) == napi_ok && is) {
    size_t length = 0;
    void* data = nullptr;
    napi_value arraybuffer = nullptr;
    size_t offset = 0;
    NAPI_THROW_IF_FAILED(
        env, napi_get_dataview_info(env, value, &length, &data, &arraybuffer, &offset), false);
    if (length == 0) check_not_detached(env, arraybuffer);
    bytes = std::string_view(static_cast<const char*>(data), length);
    return true;
  }
  if (napi_is_arraybuffer(env, value, &is) == napi_ok && is) {
    void* data = nullptr;
    size_t length = 0;
    NAPI_THROW_IF_FAILED(env, napi_get_arraybuffer_info(env, value, &data, &length), false);
    if (length == 0) check_not_detached(env, value);
    bytes = std::string_view(static_cast<const char*>(data), length);
    return true;
  }
  return false;
}

InputKind read_input(Napi::Env env, napi_value value, ScratchBuffer& scratch,
                     std::string_view& bytes) {
  if (nonempty_buffer(env, value, bytes)) return InputKind::bytes;
  napi_valuetype type;
  NAPI_THROW_IF_FAILED(env, napi_typeof(env, value, &type), InputKind::none);
  if (type == napi_string) {
    // The UTF-16 length is O(1); UTF-8 needs at most 3 bytes per UTF-16 unit. One pass writes.
    size_t units = 0;
    NAPI_THROW_IF_FAILED(env, napi_get_value_string_utf16(env, value, nullptr, 0, &units),
                         InputKind::none);
    size_t cap = units * 3 + 1;
    char* buf = scratch.reserve(cap);
    size_t written = 0;
    NAPI_THROW_IF_FAILED(env, napi_get_value_string_utf8(env, value, buf, cap, &written),
                         InputKind::none);
    bytes = std::string_view(buf, written);
    return InputKind::string;
  }
  if (type == napi_object && byte_view(env, value, bytes)) return InputKind::bytes;
  bytes = {};
  return InputKind::none;
}

std::string_view input_bytes(Napi::Env env, napi_value value, ScratchBuffer& scratch,
                             const char* what) {
  std::string_view bytes;
  if (read_input(env, value, scratch, bytes) == InputKind::none) {
    throw_invalid_arg_type(env, std::string("The \"") + what +
                                    "\" argument must be of type string or an instance of Buffer, "
                                    "TypedArray, DataView or ArrayBuffer");
  }
  return bytes;
}

}  // namespace hotpath::node
