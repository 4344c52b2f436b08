#include "validator.h"

#include <cstring>
#include <utility>

#include "addon_data.h"
#include "bound_method.h"
#include "error_json.h"
#include "input.h"
#include "js_errors.h"

namespace hotpath::node {
namespace {

bool is_blank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

[[noreturn]] void throw_compile_error(Napi::Env env, const schema::CompileError& e) {
  Napi::Error err = make_error(env, ErrorKind::error, "HOTPATH_SCHEMA_INVALID", e.to_string());
  err.Set("schemaUri", Napi::String::New(env, e.schema_uri));
  err.Set("location", Napi::String::New(env, e.location));
  throw err;
}

std::string optional_string(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || info[i].IsUndefined() || info[i].IsNull()) return {};
  if (!info[i].IsString())
    throw_invalid_arg_type(info.Env(),
                           std::string("The \"") + what + "\" argument must be of type string");
  return info[i].As<Napi::String>().Utf8Value();
}

std::string_view schema_text(const Napi::CallbackInfo& info, ScratchBuffer& scratch) {
  if (info.Length() < 1)
    throw_invalid_arg_type(info.Env(), "The \"schema\" argument must be JSON text");
  return input_bytes(info.Env(), info[0], scratch, "schema");
}

// Runs parse + validate (+ basic evaluation on failure) and appends ajv's error array to
// `errors` when the input is invalid. `line` numbers parse errors (NDJSON); `base` is the
// record's byte offset in the whole input.
bool validate_record(const schema::Validator& validator, json::Document& doc,
                     std::string_view bytes, uint64_t line, size_t base, std::string& errors) {
  auto parsed = doc.parse(bytes);
  if (!parsed.ok()) {
    const json::ParseError& e = parsed.error();
    write_ajv_parse_error(e, line + (e.line > 0 ? e.line - 1 : 0), base + e.offset, errors);
    return false;
  }
  if (validator.validate(**parsed)) return true;
  write_ajv_errors(validator.evaluate(**parsed, schema::OutputFormat::basic), errors);
  return false;
}

// validateAsync: parse + validate on a libuv pool thread. The input Buffer is kept alive by a
// reference for the duration (strings are copied, they cannot be pinned); the Validator is
// copied (it shares the immutable compiled program), so the JS validator may be collected
// while the work runs.
class ValidateWorker final : public Napi::AsyncWorker {
 public:
  ValidateWorker(Napi::Env env, const schema::Validator& validator)
      : Napi::AsyncWorker(env, "hotpath:validateAsync"),
        deferred_(Napi::Promise::Deferred::New(env)),
        validator_(validator) {}

  void keep_alive(Napi::Object buffer, std::string_view bytes) {
    input_ref_ = Napi::Persistent(buffer);
    bytes_ = bytes;
  }
  void own(std::string_view bytes) {
    owned_.assign(bytes.data(), bytes.size());
    bytes_ = owned_;
  }
  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    // One reusable Document per pool thread.
    thread_local json::Document doc;
    valid_ = validate_record(validator_, doc, bytes_, 1, 0, errors_);
    if (bytes_.size() > kKeepScratchBytes) doc = json::Document();
  }
  void OnOK() override {
    settle_promise(deferred_, [&] {
      Napi::Env env = Env();
      Napi::Value arg = valid_ ? env.Null() : Napi::String::New(env, errors_);
      deferred_.Resolve(AddonData::of(env).async_result.Call({arg}));
    });
  }
  void OnError(const Napi::Error& e) override {
    settle_promise(deferred_, [&] { deferred_.Reject(e.Value()); });
  }

 private:
  Napi::Promise::Deferred deferred_;
  schema::Validator validator_;
  Napi::ObjectReference input_ref_;
  std::string owned_;
  std::string_view bytes_;
  bool valid_ = false;
  std::string errors_;
};

}  // namespace

// ------------------------------------------------------------------------------------------
// Compiler
// ------------------------------------------------------------------------------------------
Napi::Function CompilerWrap::Define(Napi::Env env) {
  return DefineClass(env, "Compiler",
                     {InstanceMethod<&CompilerWrap::AddSchema>("addSchema"),
                      InstanceMethod<&CompilerWrap::Compile>("compile")});
}

CompilerWrap::CompilerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CompilerWrap>(info) {
  Napi::Env env = info.Env();
  schema::CompileOptions options;
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    if (!info[0].IsBoolean())
      throw_invalid_arg_type(env, "The \"options.formats\" property must be of type boolean");
    options.assert_formats = info[0].As<Napi::Boolean>().Value();
  }
  std::string dialect = optional_string(info, 1, "options.defaultDialect");
  if (!dialect.empty()) {
    auto d = schema::dialect_from_name(dialect);
    if (!d) {
      throw_error(
          env, ErrorKind::type_error, "ERR_INVALID_ARG_VALUE",
          "The \"options.defaultDialect\" property must be one of 'draft4', 'draft6', 'draft7', "
          "'draft2019-09', 'draft2020-12' or a metaschema URI. Received '" +
              dialect + "'");
    }
    options.default_dialect = *d;
  }
  if (info.Length() > 2 && !info[2].IsUndefined()) {
    if (!info[2].IsArray())
      throw_invalid_arg_type(env, "The \"refMaps\" argument must be an array of strings");
    Napi::Array maps = info[2].As<Napi::Array>();
    for (uint32_t i = 0; i + 1 < maps.Length(); i += 2) {
      Napi::Value prefix = maps[i];
      Napi::Value dir = maps[i + 1];
      if (!prefix.IsString() || !dir.IsString()) {
        throw_invalid_arg_type(
            env, "The \"options.refMap\" entries must map string prefixes to string directories");
      }
      options.ref_maps.push_back(
          {prefix.As<Napi::String>().Utf8Value(), dir.As<Napi::String>().Utf8Value()});
    }
  }
  compiler_.emplace(std::move(options));
}

Napi::Value CompilerWrap::AddSchema(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string_view text = schema_text(info, AddonData::of(env).utf8_scratch);
  std::string uri = optional_string(info, 1, "uri");
  auto added = compiler_->add_schema(text, uri);
  if (!added.ok()) throw_compile_error(env, added.error());
  return Napi::String::New(env, *added);
}

Napi::Value CompilerWrap::Compile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = AddonData::of(env);
  std::string_view text = schema_text(info, data.utf8_scratch);
  std::string uri = optional_string(info, 1, "uri");
  auto compiled = compiler_->compile(text, uri);
  if (!compiled.ok()) throw_compile_error(env, compiled.error());
  data.validator_to_adopt = &*compiled;
  struct Reset {
    AddonData& d;
    ~Reset() { d.validator_to_adopt = nullptr; }
  } reset{data};
  return data.validator_constructor.New({});
}

// ------------------------------------------------------------------------------------------
// Validator
// ------------------------------------------------------------------------------------------
Napi::Function ValidatorWrap::Define(Napi::Env env) {
  return DefineClass(env, "Validator",
                     {InstanceMethod<&ValidatorWrap::ErrorsJson>("errorsJson"),
                      InstanceMethod<&ValidatorWrap::Evaluate>("evaluate"),
                      InstanceMethod<&ValidatorWrap::Check>("check"),
                      InstanceMethod<&ValidatorWrap::ValidateMany>("validateMany"),
                      InstanceMethod<&ValidatorWrap::ValidateAsync>("validateAsync")});
}

ValidatorWrap::ValidatorWrap(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<ValidatorWrap>(info) {
  AddonData& data = AddonData::of(info.Env());
  if (data.validator_to_adopt == nullptr) {
    throw_error(info.Env(), ErrorKind::type_error, "ERR_ILLEGAL_CONSTRUCTOR",
                "Validator objects are created by compile(schema, options)");
  }
  validator_.emplace(*data.validator_to_adopt);
  data.validator_to_adopt = nullptr;
  // validate(input), the hot call, is an own property bound to this object (bound_method.h).
  bound_ = new BoundSelf{this};
  info.This().As<Napi::Object>().Set(
      "validate",
      bind_method<ValidatorWrap, &ValidatorWrap::Validate>(info.Env(), bound_, "validate"));
}

ValidatorWrap::~ValidatorWrap() {
  if (bound_ != nullptr) detach(bound_);
}

Napi::Value ValidatorWrap::Validate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = AddonData::of(env);
  std::string_view bytes = input_bytes(env, info[0], data.utf8_scratch, "data");
  auto parsed = data.document.parse(bytes);
  bool valid;
  if (!parsed.ok()) {
    last_parse_error_ = parsed.error();
    valid = false;
  } else if (validator_->validate(**parsed)) {
    valid = true;
  } else {
    last_parse_error_.reset();
    last_output_ = validator_->evaluate(**parsed, schema::OutputFormat::basic);
    valid = false;
  }
  if (bytes.size() > kKeepScratchBytes) data.utf8_scratch.release_if_larger_than(kKeepScratchBytes);
  return Napi::Boolean::New(env, valid);
}

Napi::Value ValidatorWrap::ErrorsJson(const Napi::CallbackInfo& info) {
  std::string out;
  if (last_parse_error_) {
    write_ajv_parse_error(*last_parse_error_, last_parse_error_->line, last_parse_error_->offset,
                          out);
  } else {
    write_ajv_errors(last_output_, out);
  }
  return Napi::String::New(info.Env(), out);
}

Napi::Value ValidatorWrap::Evaluate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = AddonData::of(env);
  std::string_view bytes = input_bytes(env, info[0], data.utf8_scratch, "data");
  std::string errors;
  bool valid = validate_record(*validator_, data.document, bytes, 1, 0, errors);
  if (bytes.size() > kKeepScratchBytes) data.utf8_scratch.release_if_larger_than(kKeepScratchBytes);
  return valid ? env.Null() : Napi::String::New(env, errors);
}

Napi::Value ValidatorWrap::Check(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = AddonData::of(env);
  std::string_view bytes = input_bytes(env, info[0], data.utf8_scratch, "data");
  schema::OutputFormat format = schema::OutputFormat::basic;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    auto f = info[1].IsString()
                 ? schema::output_format_from_name(info[1].As<Napi::String>().Utf8Value())
                 : std::nullopt;
    if (!f) {
      throw_error(env, ErrorKind::type_error, "ERR_INVALID_ARG_VALUE",
                  "The \"options.output\" property must be 'flag' or 'basic'");
    }
    format = *f;
  }
  auto parsed = data.document.parse(bytes);
  std::string out;
  if (!parsed.ok()) {
    out = parse_error_output(parsed.error(), format);
  } else if (validator_->validate(**parsed)) {
    out = "{\"valid\":true}";
  } else if (format == schema::OutputFormat::flag) {
    out = "{\"valid\":false}";
  } else {
    validator_->evaluate(**parsed, schema::OutputFormat::basic).write_json(out);
  }
  if (bytes.size() > kKeepScratchBytes) data.utf8_scratch.release_if_larger_than(kKeepScratchBytes);
  return Napi::String::New(env, out);
}

Napi::Value ValidatorWrap::ValidateMany(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = AddonData::of(env);
  std::string_view all = input_bytes(env, info[0], data.utf8_scratch, "ndjson");

  // One record per line; a final line without '\n' is a record, a trailing '\n' does not
  // start another (the CLI's --ndjson rules).
  size_t lines = 0;
  for (const char* p = all.data();
       (p = static_cast<const char*>(std::memchr(p, '\n', all.data() + all.size() - p))); ++p) {
    ++lines;
  }
  if (!all.empty() && all.back() != '\n') ++lines;

  Napi::Uint8Array results = Napi::Uint8Array::New(env, lines);
  uint8_t* valid = results.Data();
  std::string errors = "[";
  size_t pos = 0;
  for (size_t i = 0; i < lines; ++i) {
    const void* nl = std::memchr(all.data() + pos, '\n', all.size() - pos);
    size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - all.data()) : all.size();
    std::string_view record = all.substr(pos, end - pos);
    uint64_t line = i + 1;
    size_t mark = errors.size();
    if (errors.size() > 1) errors += ',';
    errors += "{\"line\":";
    errors += std::to_string(line);
    errors += ",\"errors\":";
    bool ok;
    if (is_blank(record)) {
      json::ParseError e{"empty line", 1, 1, 0};
      write_ajv_parse_error(e, line, pos, errors);
      ok = false;
    } else {
      ok = validate_record(*validator_, data.document, record, line, pos, errors);
    }
    if (ok) {
      errors.resize(mark);
    } else {
      errors += '}';
    }
    valid[i] = ok ? 1 : 0;
    pos = end + 1;
  }
  errors += ']';
  if (all.size() > kKeepScratchBytes) data.utf8_scratch.release_if_larger_than(kKeepScratchBytes);
  return data.many_result.Call({results, Napi::String::New(env, errors)});
}

Napi::Value ValidatorWrap::ValidateAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = AddonData::of(env);
  std::string_view bytes;
  InputKind kind = read_input(env, info[0], data.utf8_scratch, bytes);
  if (kind == InputKind::none) {
    throw_invalid_arg_type(env,
                           "The \"data\" argument must be of type string or an instance of Buffer, "
                           "TypedArray, DataView or ArrayBuffer");
  }
  auto* worker = new ValidateWorker(env, *validator_);  // deletes itself after OnOK/OnError
  if (kind == InputKind::bytes) {
    worker->keep_alive(info[0].As<Napi::Object>(), bytes);
  } else {
    worker->own(bytes);
  }
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

}  // namespace hotpath::node
