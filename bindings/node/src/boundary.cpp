// The cost of crossing the boundary itself, for bench/node: an empty native function and one
// that only reads a Buffer argument in place. Plain Node-API (no node-addon-api wrapper, no
// exceptions), so they measure what any export pays before doing its work.
#include "boundary.h"

namespace hotpath::node {
namespace {

napi_value Noop(napi_env, napi_callback_info) { return nullptr; }  // undefined

// _viewLength(view): the element count of a Buffer/TypedArray, read in place; -1 otherwise.
napi_value ViewLength(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value out = nullptr;
  int32_t length = -1;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) == napi_ok && argc == 1) {
    bool is_view = false;
    if (napi_is_typedarray(env, argv[0], &is_view) == napi_ok && is_view) {
      napi_typedarray_type type;
      size_t count = 0, offset = 0;
      void* data = nullptr;
      napi_value buffer;
      if (napi_get_typedarray_info(env, argv[0], &type, &count, &data, &buffer, &offset) ==
          napi_ok) {
        length = count > INT32_MAX ? INT32_MAX : static_cast<int32_t>(count);
      }
    }
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
