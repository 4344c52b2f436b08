// The kernels (core/kernels) as plain functions on the addon's exports: hashing, countPrimes,
// fibonacci, financial metrics, typed-array sort, and fileChecksum on the libuv pool.
#pragma once

#include <napi.h>

namespace hotpath::node {

void register_kernels(Napi::Env env, Napi::Object exports);

}  // namespace hotpath::node
