#include "jsonata.h"

#include <cstring>
#include <string>
#include <utility>

#include "addon_data.h"
#include "bound_method.h"
#include "input.h"
#include "js_errors.h"

namespace hotpath::node {
namespace {

// A JSONata error as jsonata-js throws it: message, `code`, `position`, `token`.
Napi::Error make_jsonata_error(Napi::Env env, const jsonata::Error& e) {
  Napi::Error err = make_error(env, ErrorKind::error, e.code.c_str(), e.message);
  err.Set("position", Napi::Number::New(env, static_cast<double>(e.position)));
  if (!e.token.empty()) err.Set("token", Napi::String::New(env, e.token));
  return err;
}

// Input or bindings that are not JSON: a SyntaxError-like error with the location.
Napi::Error make_input_error(Napi::Env env, const char* what, const json::ParseError& e) {
  Napi::Error err = make_error(env, ErrorKind::error, "HOTPATH_INVALID_JSON",
                               std::string("invalid JSON ") + what + " at " + e.to_string());
  err.Set("line", Napi::Number::New(env, e.line));
  err.Set("column", Napi::Number::New(env, e.column));
  return err;
}

struct CallArgs {
  bool has_input = false;
  std::string_view input;
  std::string_view bindings;  // JSON object text, empty = none
  bool as_buffer = false;
  jsonata::Limits limits;
};

uint32_t limit_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || info[i].IsUndefined()) return 0;
  if (!info[i].IsNumber())
    throw_invalid_arg_type(info.Env(), std::string("The \"") + what + "\" option must be a number");
  double v = info[i].As<Napi::Number>().DoubleValue();
  if (!(v >= 0 && v <= 4294967295.0))
    throw_error(info.Env(), ErrorKind::range_error, "ERR_OUT_OF_RANGE",
                std::string("The \"") + what + "\" option must be from 0 to 4294967295");
  return static_cast<uint32_t>(v);
}

// (input[, bindings, timeoutMs, maxDepth]): lib/ passes the options only when some are set.
// Byte input gives a Buffer result, string input (or none) a string.
CallArgs read_args(const Napi::CallbackInfo& info, ScratchBuffer& input_scratch,
                   ScratchBuffer& bindings_scratch) {
  CallArgs a;
  Napi::Env env = info.Env();
  const size_t argc = info.Length();
  if (argc > 0) {
    const InputKind kind = read_input(env, info[0], input_scratch, a.input);
    if (kind != InputKind::none) {
      a.has_input = true;
      a.as_buffer = kind == InputKind::bytes;
    } else if (!info[0].IsUndefined()) {
      input_bytes(env, info[0], input_scratch, "input");  // throws the TypeError
    }
  }
  if (argc > 1) {
    if (!info[1].IsUndefined() && !info[1].IsNull())
      a.bindings = input_bytes(env, info[1], bindings_scratch, "bindings");
    a.limits.timeout_ms = limit_arg(info, 2, "timeoutMs");
    a.limits.max_depth = limit_arg(info, 3, "maxDepth");
  }
  return a;
}

// Parse + evaluate: the work both evaluate() and evaluateAsync() do. Returns false with
// `jsonata_error` or `parse_error` set.
struct Outcome {
  bool defined = false;
  std::string out;
  std::optional<jsonata::Error> jsonata_error;
  std::optional<json::ParseError> parse_error;
  const char* parse_what = "";
};

void run(const jsonata::Expression& expr, const CallArgs& a, json::Document& input_doc,
         json::Document& bindings_doc, Outcome& o) {
  jsonata::Bindings bindings;
  const jsonata::Bindings* bindings_ptr = nullptr;
  if (!a.bindings.empty()) {
    auto b = bindings_doc.parse(a.bindings);
    if (!b.ok()) {
      o.parse_error = b.error();
      o.parse_what = "bindings";
      return;
    }
    if (!bindings.set_all(**b)) {
      json::ParseError e;
      e.message = "bindings must be a JSON object";
      e.line = e.column = 1;
      o.parse_error = e;
      o.parse_what = "bindings";
      return;
    }
    bindings_ptr = &bindings;
  }
  const json::Value* input = nullptr;
  if (a.has_input) {
    auto parsed = input_doc.parse(a.input);
    if (!parsed.ok()) {
      o.parse_error = parsed.error();
      o.parse_what = "input";
      return;
    }
    input = *parsed;
  }
  auto r = expr.evaluate(input, o.out, bindings_ptr, a.limits);
  if (!r.ok()) {
    o.jsonata_error = r.error();
    return;
  }
  o.defined = *r;
}

Napi::Value result_value(Napi::Env env, Outcome& o, bool as_buffer) {
  if (o.jsonata_error) throw make_jsonata_error(env, *o.jsonata_error);
  if (o.parse_error) throw make_input_error(env, o.parse_what, *o.parse_error);
  if (!o.defined) return env.Undefined();
  if (as_buffer) return Napi::Buffer<char>::Copy(env, o.out.data(), o.out.size());
  return Napi::String::New(env, o.out);
}

// evaluateAsync: the input and bindings bytes are copied (a string cannot be pinned, and the
// caller may reuse its Buffer); the Expression is copied (it shares the compiled program).
class EvaluateWorker final : public Napi::AsyncWorker {
 public:
  EvaluateWorker(Napi::Env env, const jsonata::Expression& expr, const CallArgs& a)
      : Napi::AsyncWorker(env, "hotpath:evaluateAsync"),
        deferred_(Napi::Promise::Deferred::New(env)),
        expression_(expr),
        input_(a.input),
        bindings_(a.bindings),
        args_(a) {
    args_.input = input_;
    args_.bindings = bindings_;
  }
  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    json::Document input_doc, bindings_doc;
    run(expression_, args_, input_doc, bindings_doc, outcome_);
  }
  void OnOK() override {
    settle_promise(deferred_, [&] {
      try {
        deferred_.Resolve(result_value(Env(), outcome_, args_.as_buffer));
      } catch (const Napi::Error& e) {
        deferred_.Reject(e.Value());
      }
    });
  }
  void OnError(const Napi::Error& e) override {
    settle_promise(deferred_, [&] { deferred_.Reject(e.Value()); });
  }

 private:
  Napi::Promise::Deferred deferred_;
  jsonata::Expression expression_;
  std::string input_;
  std::string bindings_;
  CallArgs args_;
  Outcome outcome_;
};

}  // namespace

Napi::Function ExpressionWrap::Define(Napi::Env env) {
  return DefineClass(env, "Expression",
                     {InstanceMethod<&ExpressionWrap::EvaluateAsync>("evaluateAsync")});
}

ExpressionWrap::ExpressionWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<ExpressionWrap>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString())
    throw_invalid_arg_type(env, "The \"expression\" argument must be of type string");
  auto compiled = jsonata::Expression::compile(info[0].As<Napi::String>().Utf8Value());
  if (!compiled.ok()) throw make_jsonata_error(env, compiled.error());
  expression_.emplace(std::move(compiled).value());
  // evaluate(input, ...), the hot call, is an own property bound to this object.
  bound_ = new BoundSelf{this};
  info.This().As<Napi::Object>().Set(
      "evaluate", bind_method<ExpressionWrap, &ExpressionWrap::Evaluate>(env, bound_, "evaluate"));
}

ExpressionWrap::~ExpressionWrap() {
  if (bound_ != nullptr) detach(bound_);
}

// A result for a Buffer that fits the output scratch comes back as its length: lib/ copies it
// from `outputScratch` into a pooled Buffer (see AddonData).
Napi::Value ExpressionWrap::Evaluate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = AddonData::of(env);
  ScratchBuffer bindings_scratch;
  CallArgs a = read_args(info, data.utf8_scratch, bindings_scratch);
  Outcome o;
  o.out.swap(data.result_text);  // reuse its capacity
  o.out.clear();
  run(*expression_, a, data.document, data.bindings_document, o);
  struct GiveBack {
    std::string& from;
    std::string& to;
    ~GiveBack() {
      to.swap(from);
      if (to.capacity() > kKeepScratchBytes) std::string().swap(to);
    }
  } give_back{o.out, data.result_text};
  if (a.as_buffer && o.defined && !o.jsonata_error && !o.parse_error &&
      o.out.size() <= AddonData::kOutputScratchSize) {
    if (char* scratch = data.output_scratch_bytes(env)) {
      std::memcpy(scratch, o.out.data(), o.out.size());
      return Napi::Number::New(env, static_cast<double>(o.out.size()));
    }
  }
  return result_value(env, o, a.as_buffer);
}

Napi::Value ExpressionWrap::EvaluateAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ScratchBuffer input_scratch, bindings_scratch;
  CallArgs a = read_args(info, input_scratch, bindings_scratch);
  auto* worker = new EvaluateWorker(env, *expression_, a);
  Napi::Promise p = worker->promise();
  worker->Queue();
  return p;
}

}  // namespace hotpath::node
