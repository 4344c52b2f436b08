// The rules runtime on V8 10.2 (Debian's libnode108). Built with -fno-rtti like V8 itself.
#include "hotpath/rules.h"

#include <libplatform/libplatform.h>
#include <v8.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "lockdown.h"
#include "watchdog.h"

namespace hotpath::rules {
namespace {

constexpr size_t kMaxCompiled = 256;
constexpr size_t kMaxContextObjects = 256;
constexpr size_t kMaxLogMessage = 8192;
constexpr uint32_t kMaxLogEntries = 16;             // per call: a rule cannot flood the log
constexpr size_t kHeapHeadroom = size_t{64} << 20;  // granted so a terminated call can unwind

void ensure_v8() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Rules get no WebAssembly and no code from strings (eval, new Function); each context
    // refuses them as well (see Impl::create).
    v8::V8::SetFlagsFromString("--no-expose-wasm --disallow-code-generation-from-strings");
    v8::V8::InitializeICU();
    // The platform lives as long as the process: runtimes on other threads may be destroyed
    // during exit, after any static destructor would have run.
    static v8::Platform* platform = v8::platform::NewDefaultPlatform().release();
    v8::V8::InitializePlatform(platform);
    v8::V8::Initialize();
  });
}

std::atomic<uint64_t> next_rule_id{1};

std::string to_utf8(v8::Isolate* isolate, v8::Local<v8::Value> v) {
  v8::String::Utf8Value u(isolate, v);
  return *u ? std::string(*u, u.length()) : std::string();
}

v8::Local<v8::String> v8_string(v8::Isolate* isolate, std::string_view s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(s.size()))
      .ToLocalChecked();
}

const char* type_name(v8::Local<v8::Value> v) {
  if (v->IsNull()) return "null";
  if (v->IsNumber()) return "a number";
  if (v->IsBigInt()) return "a bigint";
  if (v->IsString()) return "a string";
  if (v->IsBoolean()) return "a boolean";
  if (v->IsArray()) return "an array";
  if (v->IsFunction()) return "a function";
  if (v->IsSymbol()) return "a symbol";
  return "an object";
}

v8::MaybeLocal<v8::Module> refuse_import(v8::Local<v8::Context> context,
                                         v8::Local<v8::String> specifier, v8::Local<v8::FixedArray>,
                                         v8::Local<v8::Module>) {
  v8::Isolate* isolate = context->GetIsolate();
  std::string msg = "cannot import '" + to_utf8(isolate, specifier) +
                    "': rules run without modules (only what the engine passes in)";
  isolate->ThrowException(v8::Exception::Error(v8_string(isolate, msg)));
  return {};
}

v8::MaybeLocal<v8::Promise> refuse_dynamic_import(v8::Local<v8::Context> context,
                                                  v8::Local<v8::Data>, v8::Local<v8::Value>,
                                                  v8::Local<v8::String> specifier,
                                                  v8::Local<v8::FixedArray>) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return {};
  std::string msg = "cannot import '" + to_utf8(isolate, specifier) +
                    "': rules run without modules (only what the engine passes in)";
  resolver->Reject(context, v8::Exception::Error(v8_string(isolate, msg))).Check();
  return resolver->GetPromise();
}

bool refuse_wasm(v8::Local<v8::Context>, v8::Local<v8::String>) { return false; }

}  // namespace

std::string Error::to_string() const {
  std::string s = file;
  if (line) {
    s += ':' + std::to_string(line);
    if (column) s += ':' + std::to_string(column);
  }
  s += ": ";
  s += message;
  return s;
}

struct Runtime::Impl final : detail::WatchTarget {
  struct Compiled {
    v8::Global<v8::Module> module;
    v8::Global<v8::Function> check;
    v8::Global<v8::Function> transform;
    uint64_t last_used = 0;
  };

  RuntimeOptions options;
  RuntimeStats& stats;
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator;
  // Read by the watchdog thread only while a call is armed (it never changes then).
  v8::Isolate* isolate = nullptr;
  bool entered = false;  // entered once for good (see create())
  v8::Global<v8::Context> context;
  v8::Global<v8::Function> log_function;
  std::unordered_map<uint64_t, Compiled> compiled;
  std::unordered_map<std::string, v8::Global<v8::Object>> context_objects;  // ctx per pipeline
  std::pair<const std::string, v8::Global<v8::Object>>* last_context_object = nullptr;
  uint64_t use_clock = 0;

  // The call in progress (for ctx.log and error messages).
  const Rule* current_rule = nullptr;
  uint32_t log_entries = 0;  // ctx.log calls in the current call

  std::string_view current_pipeline;
  const char* stage = "";
  std::atomic<bool> heap_fired{false};
  bool poisoned = false;

  Impl(RuntimeOptions o, RuntimeStats& s) : options(std::move(o)), stats(s) {
    ensure_v8();
    detail::Watchdog::instance().add(this);
  }
  ~Impl() override {
    detail::Watchdog::instance().remove(this);
    dispose();
  }

  void fire() override {
    if (isolate) isolate->TerminateExecution();
  }

  static size_t near_heap_limit(void* data, size_t current, size_t) {
    auto* self = static_cast<Impl*>(data);
    self->heap_fired.store(true);
    self->isolate->TerminateExecution();
    return current + kHeapHeadroom;
  }

  static void log_callback(const v8::FunctionCallbackInfo<v8::Value>& info) {
    auto* self = static_cast<Impl*>(info.Data().As<v8::External>()->Value());
    if (!self->options.log || !self->current_rule) return;
    if (++self->log_entries > kMaxLogEntries) return;  // counted, reported once at the end
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
    std::string message;
    for (int i = 0; i < info.Length() && message.size() < kMaxLogMessage; ++i) {
      if (i) message += ' ';
      v8::Local<v8::Value> arg = info[i];
      v8::Local<v8::String> text;
      if (arg->IsString()) {
        text = arg.As<v8::String>();
      } else {
        bool stringified = false;
        if (arg->IsObject()) {
          // An object JSON.stringify refuses (a cycle, a BigInt inside) is logged as
          // String(object), as the Node and browser hosts do.
          v8::TryCatch tc(isolate);
          stringified = v8::JSON::Stringify(ctx, arg).ToLocal(&text);
          if (tc.HasTerminated()) {
            tc.ReThrow();
            return;
          }
        }
        // A symbol (or a throwing toString) throws into the rule, as in the other hosts.
        if (!stringified && !arg->ToString(ctx).ToLocal(&text)) return;
      }
      message += to_utf8(isolate, text);
    }
    if (message.size() > kMaxLogMessage) {
      size_t end = kMaxLogMessage;  // never half a character
      while (end > 0 && (static_cast<uint8_t>(message[end]) & 0xC0) == 0x80) --end;
      message.resize(end);
    }
    self->options.log(LogEntry{self->current_rule->file(), self->current_pipeline, message});
  }

  void create() {
    v8::Isolate::CreateParams params;
    allocator.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
    params.array_buffer_allocator = allocator.get();
    params.constraints.ConfigureDefaultsFromHeapSize(0, options.heap_limit_bytes);
    v8::Isolate* iso = v8::Isolate::New(params);
    isolate = iso;
    // Entering an isolate takes a lock in V8 (~50 ns a call). When no isolate is current on
    // this thread, stay entered until dispose(); a runtime stays on its first thread.
    entered = v8::Isolate::GetCurrent() == nullptr;
    if (entered) iso->Enter();
    ++stats.isolates_created;
    heap_fired = false;
    poisoned = false;
    iso->AddNearHeapLimitCallback(&Impl::near_heap_limit, this);
    iso->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
    iso->SetAllowAtomicsWait(false);
    iso->SetAllowWasmCodeGenerationCallback(&refuse_wasm);
    iso->SetHostImportModuleDynamicallyCallback(&refuse_dynamic_import);

    v8::Isolate::Scope iscope(iso);
    v8::HandleScope hs(iso);
    v8::Local<v8::Context> ctx = v8::Context::New(iso);
    ctx->AllowCodeGenerationFromStrings(false);
    v8::Context::Scope cscope(ctx);
    v8::Local<v8::Function> log =
        v8::Function::New(ctx, &Impl::log_callback, v8::External::New(iso, this), 0,
                          v8::ConstructorBehavior::kThrow)
            .ToLocalChecked();
    log->SetName(v8_string(iso, "log"));
    v8::Local<v8::Script> script =
        v8::Script::Compile(ctx, v8_string(iso, detail::kLockdownSource)).ToLocalChecked();
    v8::Local<v8::Value> lockdown = script->Run(ctx).ToLocalChecked();
    v8::Local<v8::Value> argv[] = {log};
    (void)lockdown.As<v8::Function>()->Call(ctx, v8::Undefined(iso), 1, argv).ToLocalChecked();
    context.Reset(iso, ctx);
    log_function.Reset(iso, log);
  }

  void dispose() {
    if (!isolate) return;
    compiled.clear();
    context_objects.clear();
    last_context_object = nullptr;
    log_function.Reset();
    context.Reset();
    v8::Isolate* iso = isolate;
    isolate = nullptr;
    if (entered) iso->Exit();
    entered = false;
    iso->Dispose();
    allocator.reset();
  }

  Error error_from(v8::TryCatch& tc, Error::Kind kind, std::string_view prefix) {
    Error e;
    e.kind = kind;
    e.file = current_rule->file();
    if (tc.HasTerminated()) {
      e.message = std::string(prefix) + "terminated";
      return e;
    }
    v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
    v8::Local<v8::Value> exception = tc.Exception();
    std::string what;
    if (exception->IsObject() && exception->IsNativeError()) {
      // "TypeError: message", read without running user getters' side effects twice.
      v8::Local<v8::Object> obj = exception.As<v8::Object>();
      v8::Local<v8::Value> name, msg;
      if (obj->Get(ctx, v8_string(isolate, "name")).ToLocal(&name) && name->IsString()) {
        what = to_utf8(isolate, name);
      }
      if (obj->Get(ctx, v8_string(isolate, "message")).ToLocal(&msg) && msg->IsString()) {
        std::string m = to_utf8(isolate, msg);
        if (!m.empty()) what += what.empty() ? m : ": " + m;
      }
    }
    if (what.empty()) what = "threw " + to_utf8(isolate, exception);
    e.message = std::string(prefix) + what;
    v8::Local<v8::Message> message = tc.Message();
    if (!message.IsEmpty() &&
        to_utf8(isolate, message->GetScriptResourceName()) == current_rule->file()) {
      e.line = static_cast<uint32_t>(message->GetLineNumber(ctx).FromMaybe(0));
      e.column = static_cast<uint32_t>(message->GetStartColumn(ctx).FromMaybe(-1) + 1);
    }
    return e;
  }

  // Resolves a returned promise by running the microtasks (rules have no timers or I/O, so a
  // promise that is still pending afterwards never settles).
  bool settle(v8::TryCatch& tc, v8::Local<v8::Value>& value, std::optional<Error>& err,
              const char* what) {
    if (!value->IsPromise()) return true;
    isolate->PerformMicrotaskCheckpoint();
    if (tc.HasCaught() || tc.HasTerminated()) {
      err = error_from(tc, Error::Kind::thrown, "");
      return false;
    }
    v8::Local<v8::Promise> p = value.As<v8::Promise>();
    switch (p->State()) {
      case v8::Promise::kFulfilled:
        value = p->Result();
        return true;
      case v8::Promise::kRejected: {
        // Rethrow inside a TryCatch to get a message with the location, as a sync throw has.
        v8::TryCatch inner(isolate);
        isolate->ThrowException(p->Result());
        err = error_from(inner, Error::Kind::thrown, "");
        return false;
      }
      case v8::Promise::kPending:
        break;
    }
    err = Error{Error::Kind::result, current_rule->file(), 0, 0,
                std::string(what) +
                    " returned a promise that never settles (rules have no "
                    "timers or I/O)"};
    return false;
  }

  // Compiles (and instantiates and evaluates) the rule's module in this isolate, once.
  Compiled* compiled_for(const Rule& rule, std::optional<Error>& err,
                         std::vector<uint8_t>* make_cache) {
    auto it = compiled.find(rule.id());
    if (it != compiled.end()) {
      it->second.last_used = ++use_clock;
      return &it->second;
    }
    if (compiled.size() >= kMaxCompiled) {
      auto oldest = compiled.begin();
      for (auto i = compiled.begin(); i != compiled.end(); ++i) {
        if (i->second.last_used < oldest->second.last_used) oldest = i;
      }
      compiled.erase(oldest);
    }
    v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
    v8::TryCatch tc(isolate);
    stage = "top level";
    v8::ScriptOrigin origin(isolate, v8_string(isolate, rule.file()), 0, 0, false, -1,
                            v8::Local<v8::Value>(), false, false, /*is_module=*/true);
    v8::ScriptCompiler::CachedData* cache = nullptr;
    if (!rule.code_cache_.empty()) {
      cache = new v8::ScriptCompiler::CachedData(rule.code_cache_.data(),
                                                 static_cast<int>(rule.code_cache_.size()));
    }
    v8::ScriptCompiler::Source source(v8_string(isolate, rule.source()), origin, cache);
    v8::Local<v8::Module> module;
    if (!v8::ScriptCompiler::CompileModule(
             isolate, &source,
             cache ? v8::ScriptCompiler::kConsumeCodeCache : v8::ScriptCompiler::kNoCompileOptions)
             .ToLocal(&module)) {
      err = error_from(tc, Error::Kind::load, "");
      return nullptr;
    }
    ++stats.compiles;
    // Rules import nothing: name the first import and where it is (refuse_import would only
    // see the specifier).
    v8::Local<v8::FixedArray> requests = module->GetModuleRequests();
    if (requests->Length() > 0) {
      auto request = requests->Get(ctx, 0).As<v8::ModuleRequest>();
      v8::Location at = module->SourceOffsetToLocation(request->GetSourceOffset());
      err = Error{Error::Kind::load, rule.file(), static_cast<uint32_t>(at.GetLineNumber() + 1),
                  static_cast<uint32_t>(at.GetColumnNumber() + 1),
                  "cannot import '" + to_utf8(isolate, request->GetSpecifier()) +
                      "': rules run without modules (only what the engine passes in)"};
      return nullptr;
    }
    if (!module->InstantiateModule(ctx, &refuse_import).FromMaybe(false)) {
      err = error_from(tc, Error::Kind::load, "");
      return nullptr;
    }
    v8::Local<v8::Value> done;
    if (!module->Evaluate(ctx).ToLocal(&done) || !settle(tc, done, err, "the module")) {
      if (!err) err = error_from(tc, Error::Kind::load, "");
      err->kind = Error::Kind::load;
      return nullptr;
    }
    if (module->GetStatus() == v8::Module::kErrored) {
      v8::TryCatch inner(isolate);
      isolate->ThrowException(module->GetException());
      err = error_from(inner, Error::Kind::load, "");
      return nullptr;
    }
    v8::Local<v8::Object> ns = module->GetModuleNamespace().As<v8::Object>();
    Compiled c;
    c.module.Reset(isolate, module);
    for (const char* name : {"check", "transform"}) {
      v8::Local<v8::Value> f;
      if (!ns->Get(ctx, v8_string(isolate, name)).ToLocal(&f)) {
        err = error_from(tc, Error::Kind::load, "");
        return nullptr;
      }
      if (f->IsUndefined()) continue;
      if (!f->IsFunction()) {
        err = Error{Error::Kind::load, rule.file(), 0, 0,
                    std::string("export '") + name + "' is " + type_name(f) + ", not a function"};
        return nullptr;
      }
      (name[0] == 'c' ? c.check : c.transform).Reset(isolate, f.As<v8::Function>());
    }
    if (c.check.IsEmpty() && c.transform.IsEmpty()) {
      err = Error{Error::Kind::load, rule.file(), 0, 0,
                  "exports neither check(record, ctx) nor transform(record, ctx)"};
      return nullptr;
    }
    if (make_cache) {
      std::unique_ptr<v8::ScriptCompiler::CachedData> data(
          v8::ScriptCompiler::CreateCodeCache(module->GetUnboundModuleScript()));
      if (data) make_cache->assign(data->data, data->data + data->length);
    }
    c.last_used = ++use_clock;
    return &compiled.emplace(rule.id(), std::move(c)).first->second;
  }

  v8::Local<v8::Object> context_object(v8::Local<v8::Context> ctx, std::string_view pipeline) {
    // Consecutive records usually come from the same pipeline: no lookup, no allocation.
    if (last_context_object && last_context_object->first == pipeline) {
      return last_context_object->second.Get(isolate);
    }
    auto it = context_objects.find(std::string(pipeline));
    if (it != context_objects.end()) {
      last_context_object = &*it;
      return it->second.Get(isolate);
    }
    last_context_object = nullptr;
    if (context_objects.size() >= kMaxContextObjects) {
      context_objects.clear();
      last_context_object = nullptr;
    }
    v8::Local<v8::Object> obj = v8::Object::New(isolate);
    obj->Set(ctx, v8_string(isolate, "pipeline"), v8_string(isolate, pipeline)).Check();
    obj->Set(ctx, v8_string(isolate, "log"), log_function.Get(isolate)).Check();
    obj->SetIntegrityLevel(ctx, v8::IntegrityLevel::kFrozen).Check();
    last_context_object =
        &*context_objects.emplace(std::string(pipeline), v8::Global<v8::Object>(isolate, obj))
              .first;
    return obj;
  }

  // check's verdict: undefined/true/[] pass; false, a string or strings reject.
  bool read_verdict(v8::Local<v8::Value> v, Outcome& outcome, std::optional<Error>& err) {
    const std::string& file = current_rule->file();
    if (v->IsUndefined() || v->IsTrue()) return true;
    auto reject_with = [&](std::string reason) {
      outcome.valid = false;
      outcome.reasons.push_back(reason.empty() ? "rejected by " + file : std::move(reason));
    };
    if (v->IsFalse()) {
      reject_with("");
      return true;
    }
    if (v->IsString()) {
      reject_with(to_utf8(isolate, v));
      return true;
    }
    if (v->IsArray()) {
      v8::Local<v8::Array> a = v.As<v8::Array>();
      v8::Local<v8::Context> ctx = isolate->GetCurrentContext();
      for (uint32_t i = 0; i < a->Length(); ++i) {
        v8::Local<v8::Value> item;
        if (!a->Get(ctx, i).ToLocal(&item)) return false;  // terminated
        if (!item->IsString()) {
          err = Error{Error::Kind::result, file, 0, 0,
                      std::string("check returned an array holding ") + type_name(item) +
                          "; expected strings (the reasons)"};
          return false;
        }
        reject_with(to_utf8(isolate, item));
      }
      return true;
    }
    err = Error{Error::Kind::result, file, 0, 0,
                std::string("check returned ") + type_name(v) +
                    "; expected true, false, a string or an array of strings"};
    return false;
  }

  // The work of one record; runs inside bounded().
  std::optional<Error> call(const Rule& rule, std::string_view record, std::string_view pipeline,
                            Outcome& outcome, std::string& out) {
    v8::Local<v8::Context> ctx = context.Get(isolate);
    std::optional<Error> err;
    Compiled* c = compiled_for(rule, err, nullptr);
    if (!c) return err;
    v8::TryCatch tc(isolate);
    v8::Local<v8::String> text;
    // ASCII records (most) become one-byte strings directly, without the UTF-8 decoder.
    const bool ascii = std::all_of(record.begin(), record.end(),
                                   [](char ch) { return static_cast<uint8_t>(ch) < 0x80; });
    if (record.size() > static_cast<size_t>(v8::String::kMaxLength) ||
        !(ascii ? v8::String::NewFromOneByte(
                      isolate, reinterpret_cast<const uint8_t*>(record.data()),
                      v8::NewStringType::kNormal, static_cast<int>(record.size()))
                : v8::String::NewFromUtf8(isolate, record.data(), v8::NewStringType::kNormal,
                                          static_cast<int>(record.size())))
             .ToLocal(&text)) {
      return Error{Error::Kind::thrown, rule.file(), 0, 0, "record too large for a rule"};
    }
    v8::Local<v8::Value> value;
    if (!v8::JSON::Parse(ctx, text).ToLocal(&value)) {
      return error_from(tc, Error::Kind::thrown, "record is not JSON: ");
    }
    v8::Local<v8::Value> argv[] = {value, context_object(ctx, pipeline)};
    if (!c->check.IsEmpty()) {
      stage = "check";
      v8::Local<v8::Value> verdict;
      if (!c->check.Get(isolate)->Call(ctx, v8::Undefined(isolate), 2, argv).ToLocal(&verdict)) {
        return error_from(tc, Error::Kind::thrown, "");
      }
      if (!settle(tc, verdict, err, "check") || !read_verdict(verdict, outcome, err)) {
        if (!err) err = error_from(tc, Error::Kind::thrown, "");
        return err;
      }
      if (!outcome.valid) return std::nullopt;
    }
    if (c->transform.IsEmpty()) return std::nullopt;
    stage = "transform";
    v8::Local<v8::Value> result;
    if (!c->transform.Get(isolate)->Call(ctx, v8::Undefined(isolate), 2, argv).ToLocal(&result)) {
      return error_from(tc, Error::Kind::thrown, "");
    }
    if (!settle(tc, result, err, "transform")) return err;
    if (result->IsUndefined() || result->IsFunction() || result->IsSymbol()) {
      outcome.output = Outcome::Output::undefined;
      return std::nullopt;
    }
    stage = "serializing the result";
    v8::Local<v8::String> json;
    if (!v8::JSON::Stringify(ctx, result).ToLocal(&json)) {
      err = error_from(tc, Error::Kind::result, "transform's result is not JSON: ");
      err->line = err->column = 0;
      return err;
    }
    append_utf8(json, out);
    outcome.output = Outcome::Output::value;
    return std::nullopt;
  }

  // Most JSON is ASCII: copy a one-byte string as it is (a memcpy, no UTF-8 length pass), and
  // encode only strings holding other characters.
  void append_utf8(v8::Local<v8::String> s, std::string& out) {
    const size_t mark = out.size();
    if (s->IsOneByte()) {
      const int n = s->Length();
      out.resize(mark + static_cast<size_t>(n));
      auto* bytes = reinterpret_cast<uint8_t*>(out.data() + mark);
      s->WriteOneByte(isolate, bytes, 0, n, v8::String::NO_NULL_TERMINATION);
      if (std::all_of(bytes, bytes + n, [](uint8_t b) { return b < 0x80; })) return;
      out.resize(mark);
    }
    const int n = s->Utf8Length(isolate);
    out.resize(mark + static_cast<size_t>(n));
    s->WriteUtf8(isolate, out.data() + mark, n, nullptr,
                 v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  }

  // One bounded call of `rule`: `body` runs inside the isolate, a handle scope and the context,
  // with the deadline armed; then the microtasks it left queued run (inside the deadline, not at
  // the start of some later call), a fired limit becomes the error (whatever came back), dropped
  // log entries are counted in one entry, and a poisoned isolate is disposed.
  template <typename Body>
  std::optional<Error> bounded(const Rule& rule, std::string_view pipeline, const Limits& limits,
                               Body&& body) {
    if (!isolate) create();
    std::optional<Error> err;
    {
      std::optional<v8::Isolate::Scope> iscope;
      if (v8::Isolate::GetCurrent() != isolate) iscope.emplace(isolate);
      v8::HandleScope hs(isolate);
      v8::Context::Scope cscope(context.Get(isolate));
      current_rule = &rule;
      current_pipeline = pipeline;
      stage = "";
      log_entries = 0;
      arm(limits.timeout_ms);
      err = body();
      if (!isolate->IsExecutionTerminating()) isolate->PerformMicrotaskCheckpoint();
      check_limits(limits, disarm(), err);
      if (log_entries > kMaxLogEntries && options.log) {
        const std::string note = std::to_string(log_entries - kMaxLogEntries) +
                                 " more ctx.log entries dropped (at most " +
                                 std::to_string(kMaxLogEntries) + " per record)";
        options.log(LogEntry{rule.file(), pipeline, note});
      }
      current_rule = nullptr;
    }
    if (poisoned) dispose();
    return err;
  }

  // Turns a fired watchdog or heap callback into the call's error (whatever came back) and
  // marks the isolate for disposal.
  void check_limits(const Limits& limits, bool fired, std::optional<Error>& err) {
    const bool heap = heap_fired.exchange(false);
    if (!fired && !heap) return;
    poisoned = true;
    Error e;
    e.file = current_rule->file();
    if (heap) {
      e.kind = Error::Kind::heap;
      e.message = std::string("ran out of memory in ") + stage + ": the heap limit is " +
                  std::to_string(options.heap_limit_bytes >> 20) + " MiB";
    } else {
      e.kind = Error::Kind::timeout;
      e.message = std::string("timed out in ") + stage + " after " +
                  std::to_string(limits.timeout_ms) + " ms";
    }
    err = std::move(e);
  }
};

Runtime::Runtime(RuntimeOptions options)
    : impl_(std::make_unique<Impl>(std::move(options), stats_)) {}

Runtime::~Runtime() = default;

Result<Outcome, Error> Runtime::run(const Rule& rule, std::string_view record,
                                    std::string_view pipeline, const Limits& limits,
                                    std::string& out) {
  ++stats_.calls;
  Outcome outcome;
  const size_t mark = out.size();
  std::optional<Error> err = impl_->bounded(
      rule, pipeline, limits, [&] { return impl_->call(rule, record, pipeline, outcome, out); });
  if (err) {
    out.resize(mark);
    return Failure(std::move(*err));
  }
  return outcome;
}

Result<bool, Error> Runtime::prepare(const Rule& rule, const Limits& limits) {
  std::optional<Error> err = impl_->bounded(rule, "", limits, [&] {
    std::optional<Error> e;
    impl_->compiled_for(rule, e, nullptr);
    return e;
  });
  if (err) return Failure(std::move(*err));
  return true;
}

Result<std::shared_ptr<const Rule>, Error> Rule::load(std::string file, std::string source,
                                                      Runtime& checker, const Limits& limits) {
  auto rule = std::shared_ptr<Rule>(new Rule());
  rule->file_ = std::move(file);
  rule->source_ = std::move(source);
  rule->id_ = next_rule_id.fetch_add(1);
  Runtime::Impl& m = *checker.impl_;
  std::optional<Error> err = m.bounded(*rule, "", limits, [&] {
    std::optional<Error> e;
    if (Runtime::Impl::Compiled* c = m.compiled_for(*rule, e, &rule->code_cache_)) {
      rule->has_check_ = !c->check.IsEmpty();
      rule->has_transform_ = !c->transform.IsEmpty();
    }
    return e;
  });
  if (err) {
    err->kind = Error::Kind::load;
    return Failure(std::move(*err));
  }
  return std::shared_ptr<const Rule>(std::move(rule));
}

}  // namespace hotpath::rules
