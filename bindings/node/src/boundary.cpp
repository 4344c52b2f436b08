// The cost of crossing the boundary itself, for bench/node: an empty native function and one
// that only reads a Buffer argument in place. Plain Node-API (no node-addon-api wrapper, no
// exceptions), so they measure what any export pays before doing its work.
#include "boundary.h"

#include <cstdint>

namespace hotpath::node {
namespace {

napi_value Noop(napi_env, napi_callback_info) { return nullptr; }  // undefined

// _viewLength(view): the byte length of a Buffer/TypedArray/DataView, read in place with the
// call the exports use for a Buffer argument (input.h: nonempty_buffer); -1 otherwise.
napi_value ViewLength(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value out = nullptr;
  int32_t length = -1;
  void* data = nullptr;
  size_t bytes = 0;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) == napi_ok && argc == 1 &&
      napi_get_buffer_info(env, argv[0], &data, &bytes) == napi_ok) {
    length = bytes > INT32_MAX ? INT32_MAX : static_cast<int32_t>(bytes);
  }
  napi_create_int32(env, length, &out);
  return out;
}

}  // namespace

void register_boundary(Napi::Env env, Napi::Object exports) {
  const napi_property_descriptor props[] = {
      {"_noop", nullptr, Noop, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"_viewLength", nullptr, ViewLength, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  NAPI_THROW_IF_FAILED_VOID(env, napi_define_properties(env, exports, 2, props));
}

}  // namespace hotpath::node
