// The evaluator's value model. A Value is 16 bytes: scalars inline, strings as (pointer,
// length) into the input document, the compiled expression or the evaluation arena, and
// arrays/objects either as references to input json::Value nodes (JArr/JObj, never copied) or
// as arena-owned Array/Object built by the expression.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "hotpath/json.h"

namespace hotpath::jsonata::detail {

struct Array;
struct Object;
struct Func;
struct Env;

enum class VK : uint8_t { Undef, Null, Bool, Num, Str, Arr, Obj, JArr, JObj, Func };

struct Value {
  VK k = VK::Undef;
  // String length; for booleans the value (0 or 1). One field rather than a separate bool
  // byte: the first word then moves through registers whole (a byte beside `k` was merged
  // through %ah on every return of a Value).
  uint32_t n = 0;
  union {
    double d;
    const char* s;
    Array* a;
    Object* o;
    const json::Value* j;
    Func* f;
  } u{0.0};

  static Value undef() { return Value(); }
  static Value null() {
    Value v;
    v.k = VK::Null;
    return v;
  }
  static Value boolean(bool x) {
    Value v;
    v.k = VK::Bool;
    v.n = x;
    return v;
  }
  static Value num(double x) {
    Value v;
    v.k = VK::Num;
    v.u.d = x;
    return v;
  }
  static Value str(std::string_view x) {
    Value v;
    v.k = VK::Str;
    v.u.s = x.data();
    v.n = static_cast<uint32_t>(x.size());
    return v;
  }
  static Value arr(Array* a) {
    Value v;
    v.k = VK::Arr;
    v.u.a = a;
    return v;
  }
  static Value obj(Object* o) {
    Value v;
    v.k = VK::Obj;
    v.u.o = o;
    return v;
  }
  static Value fn(Func* f) {
    Value v;
    v.k = VK::Func;
    v.u.f = f;
    return v;
  }
  // A json::Value: scalars are converted, arrays/objects referenced.
  static Value from_json(const json::Value& j) {
    Value v;
    switch (j.type()) {
      case json::Type::null:
        v.k = VK::Null;
        break;
      case json::Type::boolean:
        v.k = VK::Bool;
        v.n = j.as_bool();
        break;
      case json::Type::number:
        v.k = VK::Num;
        v.u.d = j.as_double();
        break;
      case json::Type::string: {
        std::string_view s = j.as_string();
        v.k = VK::Str;
        v.u.s = s.data();
        v.n = static_cast<uint32_t>(s.size());
        break;
      }
      case json::Type::array:
        v.k = VK::JArr;
        v.u.j = &j;
        break;
      case json::Type::object:
        v.k = VK::JObj;
        v.u.j = &j;
        break;
    }
    return v;
  }

  bool undef_() const { return k == VK::Undef; }
  bool truth() const { return n != 0; }  // booleans
  bool is_array() const { return k == VK::Arr || k == VK::JArr; }
  bool is_object() const { return k == VK::Obj || k == VK::JObj; }
  bool is_str() const { return k == VK::Str; }
  bool is_num() const { return k == VK::Num; }
  bool is_func() const { return k == VK::Func; }
  std::string_view sv() const { return {u.s, n}; }
};

// Storage for the items of the arrays and sequences one evaluation builds: bump allocation
// from blocks that live until the evaluation ends (the first in the evaluation's frame), so a
// path step's sequence costs no malloc/free pair. A buffer a growing vector lets go of stays
// until the end (it was allocated before its replacement, so it is rarely the latest
// allocation, which alone is taken back): growth wastes at most the live size. Buffers above
// kLarge bytes are ordinary heap allocations, freed when their vector lets go of them.
class SeqArena {
 public:
  SeqArena() = default;
  SeqArena(const SeqArena&) = delete;
  SeqArena& operator=(const SeqArena&) = delete;
  ~SeqArena() {
    for (char* b : blocks_) ::operator delete(b);
  }
  void* allocate(size_t bytes) {
    bytes = round(bytes);
    if (bytes > kLarge) return ::operator new(bytes);
    if (size_t(end_ - next_) < bytes) [[unlikely]]
      refill();
    void* p = next_;
    next_ += bytes;
    return p;
  }
  void deallocate(void* p, size_t bytes) {
    bytes = round(bytes);
    if (bytes > kLarge) {
      ::operator delete(p);
    } else if (static_cast<char*>(p) + bytes == next_) {
      next_ = static_cast<char*>(p);
    }
  }

 private:
  static constexpr size_t kLarge = 16 * 1024;
  static constexpr size_t kBlock = 64 * 1024;  // >= kLarge: any small request fits a new block
  static size_t round(size_t bytes) { return (bytes + 15) & ~size_t(15); }
  void refill() {
    blocks_.push_back(static_cast<char*>(::operator new(kBlock)));
    next_ = blocks_.back();
    end_ = next_ + kBlock;
  }
  alignas(16) char first_[1024];
  char* next_ = first_;
  char* end_ = first_ + sizeof first_;
  std::vector<char*> blocks_;
};

// The allocator of Array::v: from the evaluation's SeqArena, or the heap for an Array made
// without one (a scratch Array on the stack).
template <typename T>
struct SeqAlloc {
  using value_type = T;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  SeqArena* arena = nullptr;
  SeqAlloc() = default;
  explicit SeqAlloc(SeqArena* a) : arena(a) {}
  template <typename U>
  SeqAlloc(const SeqAlloc<U>& o) : arena(o.arena) {}  // NOLINT: rebinding
  T* allocate(size_t n) {
    return static_cast<T*>(arena ? arena->allocate(n * sizeof(T)) : ::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) {
    if (arena)
      arena->deallocate(p, n * sizeof(T));
    else
      ::operator delete(p);
  }
  template <typename U>
  bool operator==(const SeqAlloc<U>& o) const {
    return arena == o.arena;
  }
};

using Values = std::vector<Value, SeqAlloc<Value>>;

struct Array {
  Values v;
  bool sequence = false;
  bool keep_singleton = false;
  bool cons = false;
  bool outer_wrapper = false;
  bool tuple_stream = false;  // items are tuple objects {"@": value, binding: value, ...}
};

struct Object {
  using Member = std::pair<std::string_view, Value>;
  std::vector<Member, SeqAlloc<Member>> m;
  const Value* find(std::string_view key) const {
    for (auto it = m.rbegin(); it != m.rend(); ++it)
      if (json::key_equals(it->first, key)) return &it->second;
    return nullptr;
  }
  void set(std::string_view key, Value v) {
    for (auto& p : m)
      if (json::key_equals(p.first, key)) {
        p.second = v;
        return;
      }
    m.emplace_back(key, v);
  }
  void erase(std::string_view key) {
    for (size_t i = 0; i < m.size(); ++i)
      if (m[i].first == key) {
        m.erase(m.begin() + long(i));
        return;
      }
  }
};

// Generic array access over Arr and JArr.
inline size_t arr_size(const Value& v) { return v.k == VK::Arr ? v.u.a->v.size() : v.u.j->size(); }
inline Value arr_at(const Value& v, size_t i) {
  return v.k == VK::Arr ? v.u.a->v[i] : Value::from_json((*v.u.j)[uint32_t(i)]);
}

}  // namespace hotpath::jsonata::detail
