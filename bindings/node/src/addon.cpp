// Entry point of hotpath.node. Init only registers exports; the per-environment state lives
// in AddonData (instance data), so the addon loads in any number of worker_threads.
#include <napi.h>

#include "addon_data.h"
#include "boundary.h"
#include "js_errors.h"
#include "jsonata.h"
#include "kernels.h"
#include "validator.h"

namespace hotpath::node {
namespace {

// setFactories({manyResult, asyncResult, metricsResult}): lib/ hands over the JS functions
// that build result objects, once per environment.
Napi::Value SetFactories(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject())
    throw_invalid_arg_type(env, "setFactories expects an object");
  Napi::Object f = info[0].As<Napi::Object>();
  AddonData& data = AddonData::of(env);
  auto take = [&](const char* name, Napi::FunctionReference& slot) {
    Napi::Value v = f.Get(name);
    if (!v.IsFunction())
      throw_invalid_arg_type(env, std::string("setFactories: ") + name + " must be a function");
    slot = Napi::Persistent(v.As<Napi::Function>());
  };
  take("manyResult", data.many_result);
  take("asyncResult", data.async_result);
  take("metricsResult", data.metrics_result);
  return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData(data);  // deleted when this environment is torn down
  Napi::Function validator = ValidatorWrap::Define(env);
  data->validator_constructor = Napi::Persistent(validator);
  exports.Set("Validator", validator);
  exports.Set("Compiler", CompilerWrap::Define(env));
  exports.Set("Expression", ExpressionWrap::Define(env));
  exports.Set("setFactories", Napi::Function::New<SetFactories>(env, "setFactories"));
  Napi::Buffer<char> scratch = Napi::Buffer<char>::New(env, AddonData::kOutputScratchSize);
  data->output_scratch = Napi::Persistent(scratch);
  exports.Set("outputScratch", scratch);
  register_kernels(env, exports);
  register_boundary(env, exports);
  return exports;
}

}  // namespace
}  // namespace hotpath::node

// NODE_API_MODULE wants a plain identifier.
static Napi::Object InitHotpath(Napi::Env env, Napi::Object exports) {
  return hotpath::node::Init(env, exports);
}
NODE_API_MODULE(hotpath, InitHotpath)
