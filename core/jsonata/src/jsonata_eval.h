// The evaluator: one Ev per evaluate() call owns the arena (arrays, objects, strings,
// closures, environments built during that evaluation) and the error state. The compiled
// Ast is only read, so one Expression can be evaluated from many threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/jsonata.h"
#include "jsonata_ast.h"
#include "jsonata_number.h"
#include "jsonata_value.h"

namespace hotpath::jsonata::detail {

// A frame of variables. The first few live inline (lambda parameters, block bindings), so a
// call allocates nothing beyond its arena slot.
struct Env {
  using Var = std::pair<std::string_view, Value>;
  static constexpr size_t kInline = 4;
  Env* parent = nullptr;
  Var inline_vars[kInline];
  uint32_t n_inline = 0;
  std::vector<Var> more;

  void bind(std::string_view name, Value v) {
    if (Value* p = find_local(name)) {
      *p = v;
      return;
    }
    if (n_inline < kInline)
      inline_vars[n_inline++] = Var(name, v);
    else
      more.emplace_back(name, v);
  }
  Value* find_local(std::string_view name) {
    for (uint32_t i = 0; i < n_inline; ++i)
      if (inline_vars[i].first == name) return &inline_vars[i].second;
    for (auto& p : more)
      if (p.first == name) return &p.second;
    return nullptr;
  }
  const Value* find(std::string_view name) const {
    for (const Env* e = this; e; e = e->parent) {
      for (uint32_t i = 0; i < e->n_inline; ++i)
        if (e->inline_vars[i].first == name) return &e->inline_vars[i].second;
      for (const auto& p : e->more)
        if (p.first == name) return &p.second;
    }
    return nullptr;
  }
};

class Ev;
using BuiltinFn = bool (*)(Ev&, std::vector<Value>& args, Value& out);

struct BuiltinDef {
  const char* name;
  const char* sig_text;
  BuiltinFn fn;
  int arity;
  const Signature* sig;
};
const BuiltinDef* find_builtin(std::string_view name);
struct Func;
Func* builtin_func(const BuiltinDef* def);  // the shared, immutable function value

struct Func {
  enum class Kind : uint8_t { Lambda, Builtin, Partial, Regex, Transform, Chain };
  Kind kind = Kind::Lambda;
  bool thunk = false;
  const Node* node = nullptr;  // Lambda / Transform
  Env* env = nullptr;          // closure environment
  Value input;                 // closure input
  const BuiltinDef* bi = nullptr;
  Value target;              // Partial / Chain (first)
  Value second;              // Chain
  std::vector<Value> bound;  // Partial
  std::vector<bool> hole;    // Partial: true = placeholder
  const regex::Regex* re = nullptr;
  // Position of the latest direct call of this (per-evaluation) function: jsonata-js stamps
  // errors leaving a function with it, so recursion reports the innermost call site.
  size_t last_position = 0;
};

struct Tuple {
  Value at;
  std::vector<std::pair<std::string_view, Value>> binds;
};

// A typed bump arena: objects live until the evaluation ends. The first `Inline` objects live
// in the pool itself (so in the evaluation's frame), constructed only when handed out: an
// evaluation that needs none pays nothing for them. Blocks are allocated after that and grow
// geometrically, so a small evaluation allocates nothing.
template <typename T, size_t Inline = 0>
class Pool {
 public:
  Pool() = default;
  Pool(const Pool&) = delete;  // objects handed out point into the pool
  Pool& operator=(const Pool&) = delete;
  ~Pool() {
    if constexpr (Inline > 0) {
      for (size_t i = 0; i < inline_used_; ++i)
        std::destroy_at(std::launder(reinterpret_cast<T*>(slot(i))));
    }
  }
  T* make() {
    if constexpr (Inline > 0) {
      if (inline_used_ < Inline) return ::new (slot(inline_used_++)) T();
    }
    if (used_ == cap_) {
      cap_ = cap_ ? cap_ * 2 : 8;
      if (cap_ > 4096) cap_ = 4096;
      blocks_.push_back(std::make_unique<T[]>(cap_));
      used_ = 0;
    }
    return &blocks_.back()[used_++];
  }

 private:
  void* slot(size_t i) { return inline_ + i * sizeof(T); }
  alignas(T) unsigned char inline_[Inline > 0 ? Inline * sizeof(T) : 1];
  size_t inline_used_ = 0;
  std::vector<std::unique_ptr<T[]>> blocks_;
  size_t used_ = 0;
  size_t cap_ = 0;
};

class Ev {
 public:
  // ---- arena (seq_arena first: the arrays and objects using it are destroyed before it)
  SeqArena seq_arena;
  Pool<Array, 4> arrays;
  Pool<Object, 2> objects;
  Pool<std::string, 4> strings;
  Pool<Func, 2> funcs;
  Pool<Env, 2> envs;
  std::vector<std::unique_ptr<Ast>> asts;  // $eval

  Array* new_array() {
    Array* a = arrays.make();
    a->v = Values(SeqAlloc<Value>(&seq_arena));
    return a;
  }
  Array* new_seq() {
    Array* a = new_array();
    a->sequence = true;
    return a;
  }
  Object* new_object() {
    Object* o = objects.make();
    o->m = decltype(o->m)(SeqAlloc<Object::Member>(&seq_arena));
    return o;
  }
  Func* new_func() { return funcs.make(); }
  Env* new_env(Env* parent) {
    Env* e = envs.make();
    e->parent = parent;
    return e;
  }
  Value make_str(std::string s) {
    if (!charge_bytes(s.size())) return Value();
    std::string* p = strings.make();
    *p = std::move(s);
    return Value::str(*p);
  }

  // ---- resource budgets: what one evaluation may allocate (values in constructed arrays,
  // bytes in constructed strings). Exceeding one is error U1001, checked before allocating.
  int64_t value_budget = int64_t(1) << 25;  // 32 Mi values (512 MiB of Value)
  int64_t byte_budget = int64_t(1) << 29;   // 512 MiB of strings
  bool over_budget = false;
  // Work done outside eval() (writing, deep comparison) over values that may share structure
  // (a DAG built by [[$a], [$a]] doubles its size per step without allocating): checked
  // against the deadline and a step budget, so output can never run away.
  uint64_t work_budget = uint64_t(1) << 26;
  bool charge_work() {
    if (--work_budget == 0) {
      over_budget = true;
      return fail("U1001", call_position, "");
    }
    if (has_deadline && (work_budget & 1023) == 0 && std::chrono::steady_clock::now() > deadline) {
      timed_out = true;
      return fail("U1001", call_position, "");
    }
    return true;
  }
  bool charge_values(size_t n) {
    value_budget -= int64_t(n);
    if (value_budget >= 0) return true;
    if (!failed) over_budget = true;
    return fail("U1001", call_position, "");
  }
  bool charge_bytes(size_t n) {
    byte_budget -= int64_t(n);
    if (byte_budget >= 0) return true;
    if (!failed) over_budget = true;
    return fail("U1001", call_position, "");
  }
  std::string_view keep(std::string_view s) {
    std::string* p = strings.make();
    p->assign(s.data(), s.size());
    return *p;
  }

  // ---- errors
  bool failed = false;
  Error err;
  bool fail(const char* code, size_t position = 0, std::string token = {}) {
    if (!failed) {
      failed = true;
      err.code = code;
      err.position = position;
      err.token = std::move(token);
    }
    return false;
  }
  // Details for the message of the error just raised ({{value}}, {{value2}}, {{index}}).
  std::string err_value, err_value2;
  int err_index = 0;
  bool detail(const Value& v, const Value* v2 = nullptr, int index = 0);
  bool detail_index(int index) {
    err_index = index;
    return false;
  }

  // ---- limits
  uint32_t depth = 0;
  // Function applications in progress: not part of jsonata-js's `depth`, but they nest on the
  // native stack (higher-order callbacks), so they count against the nesting cap below.
  uint32_t applications = 0;
#if defined(__EMSCRIPTEN__)
  // In wasm the JS engine's own stack (about 1 MB), not the linear-memory stack the stack
  // guard watches, is what runs out first: a nesting cap measured to stay below it.
  static constexpr uint32_t kMaxNesting = 500;
#else
  static constexpr uint32_t kMaxNesting = 100000;  // the stack guard normally stops far earlier
#endif
  uint32_t max_depth = 0;
  bool has_deadline = false;
  bool timed_out = false;
  std::chrono::steady_clock::time_point deadline;
  uint32_t tick = 0;
  // $now()/$millis(): one timestamp per evaluation, read on first use (as is the seed of
  // $random and $shuffle).
  double now_ms() {
    if (!have_now_) {
      now_ms_ = double(std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
      have_now_ = true;
    }
    return now_ms_;
  }
  uint64_t next_random() {  // xorshift64
    if (rng_ == 0) {
      rng_ = uint64_t(now_ms()) * 0x2545F4914F6CDD1Dull + uintptr_t(this);
      if (rng_ == 0) rng_ = 0x9E3779B97F4A7C15ull;
    }
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 7;
    rng_ ^= rng_ << 17;
    return rng_;
  }
  Env* global = nullptr;
  bool has_bindings = true;  // evaluate() was given Bindings (they may shadow builtins)
  // Argument vectors of calls in progress, reused across calls (one per nesting level).
  static constexpr size_t kArgInline = 8;
  std::vector<Value> arg_inline[kArgInline];
  std::vector<std::unique_ptr<std::vector<Value>>> arg_more;  // deeper levels
  size_t arg_depth = 0;
  std::vector<Value> sig_scratch;  // validate()'s output, swapped with the arguments

  // ---- evaluation
  Value eval(const Node* e, Value input, Env* env);
  // Applies a function value to arguments (with signature validation and thunks).
  Value apply(Value proc, std::vector<Value>& args, Value input, Env* env, size_t stamp = 0);
  // Context for builtins: the input of the call (for '-' signature params) and the env.
  Value call_input;
  Env* call_env = nullptr;
  size_t call_position = 0;

  // helpers used by the functions
  static bool is_seq(const Value& v) { return v.k == VK::Arr && v.u.a->sequence; }
  Value seq_of(Value v);  // createSequence(v)
  Value append(Value a, Value b);
  bool boolean(Value v);
  bool deep_equal(Value a, Value b);
  Value clone(Value v);
  int arity(Value f);
  // iteration of object members (in JS key order)
  void entries(Value obj, std::vector<std::pair<std::string_view, Value>>& out);
  // An input object whose members can be used as written: no duplicate keys and no
  // array-index keys (which JavaScript would reorder).
  bool plain_jobj(const json::Value& j);
  Value lookup_key(Value obj, std::string_view key);
  Value flatten_into(Value v, Array* out);

 private:
  Value eval_path(const Node* e, Value input, Env* env);
  Value eval_step(const Node* step, Value input_seq, Env* env, bool last, bool single);
  bool eval_tuple_step(const Node* step, Value input_seq, std::vector<Tuple>* in,
                       std::vector<Tuple>& out, Env* env);
  Value eval_name(std::string_view key, Value input);
  Value eval_binary(const Node* e, Value input, Env* env);
  Value eval_filter(const Node* pred, Value input, Env* env);
  bool eval_filter_tuples(const Node* pred, std::vector<Tuple>& tuples, Env* env);
  Value eval_group(const Node* g, Value input, std::vector<Tuple>* tuples, Env* env);
  Value eval_sort(const Node* s, Value input, std::vector<Tuple>* tuples, Env* env);
  Value eval_call(const Node* e, Value input, Env* env, const Value* applyto);
  Value eval_partial(const Node* e, Value input, Env* env);
  Value eval_transform_apply(const Func* f, Value obj);
  Value apply_inner(Value proc, std::vector<Value>& args, Value input, Env* env);
  bool validate(const Signature* sig, std::vector<Value>& args, Value context, size_t pos,
                const char* token);
  Env* tuple_env(Env* env, const Tuple& t);
  bool check_limits(size_t pos);
  // eval()'s check, inline: the common case (no deadline, shallow, stack to spare) decided
  // here; anything else goes to check_limits, which decides exactly. depth <= depth +
  // applications, so passing the nesting cap here also passes check_limits's depth tests.
  [[gnu::always_inline]] bool within_limits(size_t pos) {
    if (!has_deadline && depth + applications <= kMaxNesting &&
        (!max_depth || depth <= max_depth) && stack_ok()) [[likely]]
      return true;
    return check_limits(pos);
  }

 public:
  // This thread's stack floor (stack_guard.h), read once: eval() checks it on every node.
  uintptr_t stack_floor_ = 0;
  bool stack_ok() const {
    char probe;
    return reinterpret_cast<uintptr_t>(&probe) > stack_floor_;
  }

 private:
  double now_ms_ = 0;
  bool have_now_ = false;
  uint64_t rng_ = 0;
};

// output.cpp
void write_value(Ev& ev, const Value& v, std::string& out);
std::string string_of(Ev& ev, Value v, bool prettify);  // $string semantics
char type_symbol(const Value& v);

}  // namespace hotpath::jsonata::detail
