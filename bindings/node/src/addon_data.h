// Per-environment state of the addon (one per main thread / worker_thread that loads it).
// Node-API keeps it as instance data, so nothing here is a process global: each worker gets
// its own constructors, factories and reusable parse buffers, freed when its environment ends.
#pragma once

#include <napi.h>

#include <string>

#include "hotpath/json.h"
#include "hotpath/schema.h"
#include "input.h"

namespace hotpath::node {

// Scratch buffers grown past this by one call are released after it, so one huge input or
// result does not stay allocated for the life of the environment.
constexpr size_t kKeepScratchBytes = size_t(16) << 20;

struct AddonData {
  // Constructors of the ObjectWraps, so C++ can create instances (Compiler::compile returns a
  // Validator).
  Napi::FunctionReference validator_constructor;
  // Set by Compiler.compile for the duration of `new Validator()`: the compiled validator to
  // adopt. Anything else constructing a Validator finds it null and is refused.
  const schema::Validator* validator_to_adopt = nullptr;

  // JS factory functions registered once by lib/ (setFactories): results that must come back
  // as JS objects are built by one call to one of these, never property by property.
  Napi::FunctionReference many_result;     // (valid: Uint8Array, errorsJson: string) => result
  Napi::FunctionReference async_result;    // (errorsJson: string | null) => {valid, errors}
  Napi::FunctionReference metrics_result;  // (count, meanReturn, ...) => metrics object

  // Reused by every synchronous call on this environment's thread: steady-state parsing
  // allocates nothing.
  json::Document document;
  json::Document bindings_document;  // JSONata bindings passed as JSON text
  ScratchBuffer utf8_scratch;        // UTF-8 bytes of a JS string argument

  // Short results that lib/ returns as Buffers are written here, and lib/ copies them into a
  // Buffer from Node's pool: a Buffer created through Node-API costs about 1.5 us (its own
  // ArrayBuffer and backing store), a pooled Buffer.allocUnsafe plus copy about 0.1 us.
  static constexpr size_t kOutputScratchSize = 64 * 1024;
  Napi::Reference<Napi::Buffer<char>> output_scratch;  // exported as `outputScratch`
  // Its bytes, or nullptr when its ArrayBuffer has been detached (transferred with
  // postMessage/structuredClone: the native module's exports are reachable by any code). Read
  // on every use, never cached: after a transfer the memory belongs to the new owner.
  char* output_scratch_bytes(napi_env env) const {
    napi_value buffer;
    void* bytes = nullptr;
    size_t length = 0;
    if (napi_get_reference_value(env, output_scratch, &buffer) != napi_ok ||
        napi_get_buffer_info(env, buffer, &bytes, &length) != napi_ok ||
        length != kOutputScratchSize) {
      return nullptr;
    }
    return static_cast<char*>(bytes);
  }
  std::string result_text;  // evaluate()'s result bytes, kept for its capacity

  static AddonData& of(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }
};

}  // namespace hotpath::node
