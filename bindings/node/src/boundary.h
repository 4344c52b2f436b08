// Boundary-cost probes exported as _noop and _viewLength (see boundary.cpp).
#pragma once

#include <napi.h>

namespace hotpath::node {

void register_boundary(Napi::Env env, Napi::Object exports);

}  // namespace hotpath::node
