// Evaluator: runs a compiled Program against one parsed instance.
// Flag mode stops at the first failure and builds no strings; basic mode keeps the
// evaluation path and instance location as it goes and records every failing keyword.
#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>

#include "hotpath/stack_guard.h"
#include "program.h"
#include "uri.h"

namespace hotpath::schema {
namespace internal {
namespace {

#define HP_NOINLINE __attribute__((noinline))
#define HP_COLD __attribute__((noinline, cold))

constexpr int kMaxDepth = 4096;  // nested subschema evaluations; >1000-hop $ref chains fit

// Which properties/items of the current instance have been evaluated (for unevaluated*).
struct Annotations {
  std::vector<uint8_t> props;  // by member index
  bool all_props = false;
  uint32_t items_prefix = 0;
  bool all_items = false;
  std::vector<uint8_t> item_bits;  // by item index (contains)

  void mark_prop(uint32_t i, uint32_t n) {
    if (props.size() < n) props.resize(n, 0);
    props[i] = 1;
  }
  bool prop(uint32_t i) const { return all_props || (i < props.size() && props[i]); }
  void mark_item(uint32_t i, uint32_t n) {
    if (item_bits.size() < n) item_bits.resize(n, 0);
    item_bits[i] = 1;
  }
  bool item(uint32_t i) const {
    return all_items || i < items_prefix || (i < item_bits.size() && item_bits[i]);
  }
  void merge(const Annotations& o) {
    all_props |= o.all_props;
    if (props.size() < o.props.size()) props.resize(o.props.size(), 0);
    for (size_t i = 0; i < o.props.size(); ++i) props[i] |= o.props[i];
    all_items |= o.all_items;
    items_prefix = std::max(items_prefix, o.items_prefix);
    if (item_bits.size() < o.item_bits.size()) item_bits.resize(o.item_bits.size(), 0);
    for (size_t i = 0; i < o.item_bits.size(); ++i) item_bits[i] |= o.item_bits[i];
  }
};

// The dynamic scope: a stack that lives inline for the usual shallow case, so a validation
// call allocates nothing.
class ScopeStack {
 public:
  bool empty() const { return size_ == 0; }
  uint32_t back() const { return at(size_ - 1); }
  void push_back(uint32_t r) {
    if (size_ < kInline)
      inline_[size_] = r;
    else
      spill_.push_back(r);
    ++size_;
  }
  void pop_back() {
    --size_;
    if (size_ >= kInline) spill_.pop_back();
  }
  uint32_t at(size_t i) const { return i < kInline ? inline_[i] : spill_[i - kInline]; }
  size_t size() const { return size_; }

 private:
  static constexpr size_t kInline = 32;
  uint32_t inline_[kInline];
  size_t size_ = 0;
  std::vector<uint32_t> spill_;
};

// One JSON-pointer segment of a path: a name (a keyword, a property) or an array index, or
// none (a default-constructed Seg: nothing to append). Names view strings that outlive the
// evaluation (the schema's, the instance's), so recursive frames never hold strings.
struct Seg {
  static constexpr uint32_t kName = UINT32_MAX, kNone = UINT32_MAX - 1;
  std::string_view name;
  uint32_t index = kNone;  // an array index, or kName / kNone
};
Seg seg(std::string_view name) { return Seg{name, Seg::kName}; }
Seg seg(uint32_t index) { return Seg{{}, index}; }  // arrays never reach 2^32 - 2 items
using PathStack = std::vector<Seg>;

void push_segment(PathStack& path, Seg s) {
  if (s.index != Seg::kNone) path.push_back(s);
}
void push_segment(PathStack& path, std::string_view name) { path.push_back(seg(name)); }

std::string render(const PathStack& path) {
  size_t size = 0;  // before escapes, which are rare: one allocation
  for (const Seg& s : path) size += 1 + (s.index == Seg::kName ? s.name.size() : 10);
  std::string out;
  out.reserve(size);
  for (const Seg& s : path) {
    if (s.index == Seg::kName) {
      append_pointer_token(out, s.name);
    } else {
      char buf[16];
      auto r = std::to_chars(buf, buf + sizeof buf, s.index);
      out.push_back('/');
      out.append(buf, r.ptr);
    }
  }
  return out;
}

// Flag mode: where the named members are in the object a member-memo node is evaluating
// (Node::memo_names). Made by that node's eval_with_memo; its `properties` pass fills it,
// the in-place subschemas below read it.
struct MemberMemo {
  const Node* owner;
  const json::Value* object;
  const json::Member** at;  // at[i]: the member, when bit i of `present` is set (MemoSlots)
  bool filled = false;      // the properties pass completed, and no name appeared twice
  uint64_t present = 0;     // bit i: the owner's properties name i is a member
};

// The `at` arrays of the member memos in use, taken and given back in the order of the
// frames that use them: inline for the usual depth, a heap block per memo past that. A memo
// costs its (recursive) frame a pointer, not its slots.
class MemoSlots {
 public:
  MemoSlots() {}  // user-provided: the Ctx that holds it leaves `inline_` unset
  const json::Member** take(size_t n) {
    if (spill_.empty() && used_ + n <= kInline) {
      const json::Member** p = inline_ + used_;
      used_ += n;
      return p;
    }
    spill_.push_back(std::make_unique<const json::Member*[]>(n));
    return spill_.back().get();
  }
  void give_back(const json::Member** p, size_t n) {
    if (!spill_.empty() && spill_.back().get() == p)
      spill_.pop_back();
    else
      used_ -= n;
  }

 private:
  static constexpr size_t kInline = 128;
  const json::Member* inline_[kInline];
  size_t used_ = 0;
  std::vector<std::unique_ptr<const json::Member*[]>> spill_;
};

struct Ctx {
  // A constructor, not aggregate initialization: that would zero the inline arrays of
  // ScopeStack and MemoSlots (over a kilobyte) on every validate() call.
  Ctx(const Program& p, bool basic_output, std::vector<OutputError>* out,
      const json::Value& instance)
      : prog(p),
        basic(basic_output),
        errors(out),
        root(instance),
        budget(p.evaluation_budget),
        steps_left(p.evaluation_budget) {}
  const Program& prog;
  bool basic;
  std::vector<OutputError>* errors;
  // Basic mode: the evaluation path (keywordLocation) and instanceLocation as stacks of
  // segments, turned into JSON pointers only when an error is reported.
  PathStack kpath;
  PathStack ipath;
  ScopeStack scope;            // dynamic scope: resources entered, outermost first
  const json::Value& root;     // the whole instance (its size scales the evaluation budget)
  uint64_t budget;             // in force: the program's, raised once for a large instance
  bool budget_scaled = false;  // that raise has been considered (the instance counted)
  // eval() calls left before the evaluation is aborted; 0 once it is (see abort_evaluation).
  uint64_t steps_left;
  // Aborted (too deep, or over budget): the instance is invalid whatever the keywords above
  // make of the failure (`not`, anyOf), and every further eval() fails at once.
  bool aborted = false;
  OutputError abort_error;  // basic mode: reported last, so no applicator can discard it
  int depth = 0;
  uintptr_t stack_floor = hotpath::stack_floor();  // read once per call (thread-local)
  // Basic mode: enclosing children whose flag-mode pre-check failed (eval_child_basic).
  int failed_prechecks = 0;
  MemberMemo* memo = nullptr;  // flag mode: of the innermost member-memo node
  MemoSlots memo_slots;
};

// The memo of `owner` on `object`, when its properties pass has filled it.
[[gnu::always_inline]] inline const MemberMemo* memo_for(const Ctx& c, const Node* owner,
                                                         const json::Value& object) {
  const MemberMemo* m = c.memo;
  return m && m->owner == owner && m->object == &object && m->filled ? m : nullptr;
}

// Restores a path to its length at construction.
struct PathMark {
  PathStack& s;
  size_t n;
  explicit PathMark(PathStack& path) : s(path), n(path.size()) {}
  ~PathMark() { s.resize(n); }
};

// Runs a sub-evaluation in flag mode (for `not`, `if`, `contains`: their errors never show).
struct FlagMode {
  Ctx& c;
  bool saved;
  explicit FlagMode(Ctx& ctx) : c(ctx), saved(ctx.basic) { ctx.basic = false; }
  ~FlagMode() { c.basic = saved; }
};

// Appends `v` as JSON, cut to about 64 bytes ("..." marks a cut).
void append_preview(std::string& out, const json::Value& v) {
  const size_t start = out.size();
  json::write(v, out);
  if (out.size() - start > 64) {
    size_t cut = start + 60;
    while (cut > start && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
      --cut;  // keep UTF-8 whole
    out.resize(cut);
    out += "...";
  }
}

std::string preview(const json::Value& v) {
  std::string s;
  append_preview(s, v);
  return s;
}

std::string quoted(std::string_view s) {
  std::string out;
  json::write_string(s, out);
  return out;
}

// Appends the decimal text of n.
void append_number(std::string& out, uint64_t n) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

void report(Ctx& c, std::string_view keyword, const std::string& abs_location, std::string message,
            std::string params = "{}") {
  if (!c.basic) return;
  if (c.errors->capacity() == 0) c.errors->reserve(8);  // an invalid instance seldom has more
  OutputError e;
  e.keyword.assign(keyword);
  e.keyword_location = render(c.kpath);
  e.absolute_keyword_location = abs_location;
  e.instance_location = render(c.ipath);
  e.message = std::move(message);
  e.params = std::move(params);
  c.errors->push_back(std::move(e));
}

std::string type_list(uint8_t mask) {
  static const std::pair<uint8_t, const char*> names[] = {
      {kNull, "null"},     {kBoolean, "boolean"}, {kObject, "object"},  {kArray, "array"},
      {kNumber, "number"}, {kString, "string"},   {kInteger, "integer"}};
  std::string out;
  for (auto& [bit, name] : names) {
    if (mask & bit) {
      if (!out.empty()) out += ",";
      out += name;
    }
  }
  return out;
}

bool type_matches(uint8_t mask, const json::Value& v, bool strict_integer) {
  switch (v.type()) {
    case json::Type::null:
      return mask & kNull;
    case json::Type::boolean:
      return mask & kBoolean;
    case json::Type::object:
      return mask & kObject;
    case json::Type::array:
      return mask & kArray;
    case json::Type::string:
      return mask & kString;
    case json::Type::number:
      if (mask & kNumber) return true;
      if (mask & kInteger) {
        if (v.number_kind() != json::NumberKind::float64) return true;
        if (strict_integer) {  // draft-04: an integer is written without fraction or exponent
          return v.number_text().find_first_of(".eE") == std::string_view::npos;
        }
        return v.is_integer();
      }
      return false;
  }
  return false;
}

// Flag mode's `type` check, hoisted into the Node: one table lookup and bit test; only a
// float64-held number against "integer" (without "number") looks further.
constexpr uint8_t kTypeBitOf[] = {kNull, kBoolean, kNumber, kString, kArray, kObject};
static_assert(static_cast<int>(json::Type::null) == 0 && static_cast<int>(json::Type::object) == 5);

[[gnu::always_inline]] inline bool node_type_ok(const Node* n, const json::Value& v) {
  const uint8_t bit = kTypeBitOf[static_cast<uint8_t>(v.type())];
  if (n->type_mask & bit) [[likely]]
    return true;
  return bit == kNumber && (n->type_mask & kInteger) &&
         type_matches(kInteger, v, n->strict_integer);
}

// Returns (i, j) with i < j of the first pair of equal items, or false.
bool find_duplicate(const json::Value& arr, uint32_t* out_i, uint32_t* out_j) {
  const uint32_t n = arr.size();
  if (n < 2) return false;
  if (n <= 16) {
    for (uint32_t j = 1; j < n; ++j)
      for (uint32_t i = 0; i < j; ++i)
        if (json::equal(arr[i], arr[j])) {
          *out_i = i;
          *out_j = j;
          return true;
        }
    return false;
  }
  // Hash consistent with json::equal: numbers hash by their nearest double (equal values
  // round to the same double), objects by an order-independent combination.
  struct Hasher {
    static uint64_t mix(uint64_t h) {
      h ^= h >> 33;
      h *= 0xff51afd7ed558ccdULL;
      h ^= h >> 33;
      h *= 0xc4ceb9fe1a85ec53ULL;
      h ^= h >> 33;
      return h;
    }
    static uint64_t str(std::string_view s) {
      uint64_t h = 1469598103934665603ULL;
      for (unsigned char ch : s) {
        h ^= ch;
        h *= 1099511628211ULL;
      }
      return h;
    }
    static uint64_t of(const json::Value& v, int depth) {
      switch (v.type()) {
        case json::Type::null:
          return 1;
        case json::Type::boolean:
          return v.as_bool() ? 2 : 3;
        case json::Type::number: {
          double d = v.as_double();
          if (d == 0) d = 0;  // -0 == 0
          uint64_t bits;
          std::memcpy(&bits, &d, sizeof bits);
          return mix(bits ^ 4);
        }
        case json::Type::string:
          return mix(str(v.as_string()) ^ 5);
        case json::Type::array: {
          uint64_t h = 6;
          if (depth > 32) return h;
          for (auto it = v.begin_items(); it != v.end_items(); ++it)
            h = mix(h * 31 + of(*it, depth + 1));
          return h;
        }
        case json::Type::object: {
          uint64_t h = 7;
          if (depth > 32) return h;
          for (auto m = v.begin_members(); m != v.end_members(); ++m)
            h += mix(str(m->key) ^ of(m->value, depth + 1));
          return h;
        }
      }
      return 0;
    }
  };
  std::unordered_multimap<uint64_t, uint32_t> seen;
  seen.reserve(n);
  for (uint32_t j = 0; j < n; ++j) {
    uint64_t h = Hasher::of(arr[j], 0);
    auto range = seen.equal_range(h);
    for (auto it = range.first; it != range.second; ++it) {
      if (json::equal(arr[it->second], arr[j])) {
        *out_i = it->second;
        *out_j = j;
        return true;
      }
    }
    seen.emplace(h, j);
  }
  return false;
}

bool eval(const Node* n, const json::Value& inst, Ctx& c, Annotations* ann);
bool eval_keyword(const Keyword& k, const json::Value& inst, Ctx& c, Annotations* ann);

// RFC 4648 base64 with padding; false on any invalid character or length.
bool decode_base64(std::string_view in, std::string& out) {
  auto val = [](char ch) -> int {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
  };
  if (in.size() % 4 != 0) return false;
  out.clear();
  for (size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      char ch = in[i + j];
      if (ch == '=' && i + 4 == in.size() && j >= 2) {
        v[j] = 0;
        ++pad;
        continue;
      }
      if (pad) return false;
      v[j] = val(ch);
      if (v[j] < 0) return false;
    }
    uint32_t n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out.push_back(static_cast<char>(n >> 16));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return true;
}

bool check_leaf(const Node* n, const json::Value& inst, const Ctx& c);

// Evaluates `child` against `value` with the evaluation path extended by `seg1[/seg2]` and
// the instance location by `iseg`.
HP_NOINLINE bool eval_child_basic(const Node* child, const json::Value& value, Ctx& c,
                                  Annotations* ann, std::string_view seg1, Seg seg2, Seg iseg) {
  // Most subtrees of an invalid instance are valid: a flag-mode pass (no paths, no messages,
  // stops at the first failure) settles those, and only a failing subtree is walked again in
  // basic mode to word its errors. Not when the caller collects annotations, which flag mode
  // would gather differently, and not below two failed pre-checks: each level on the way to a
  // deep failure would otherwise pass over its whole subtree again (depth x size).
  const bool precheck = ann == nullptr && c.failed_prechecks < 2;
  if (precheck) {
    bool ok;
    {
      FlagMode fm(c);
      const Node* target = child->flag_target;
      ok = target->leaf      ? check_leaf(target, value, c)
           : target->is_bool ? target->bool_value
                             : eval(target, value, c, nullptr);
    }
    if (ok) return true;
  }
  PathMark km(c.kpath), im(c.ipath);
  push_segment(c.kpath, seg1);
  push_segment(c.kpath, seg2);
  push_segment(c.ipath, iseg);
  if (precheck) ++c.failed_prechecks;
  const bool ok = eval(child, value, c, ann);
  if (precheck) --c.failed_prechecks;
  return ok;
}

// Flag mode (the hot case) is inlined into the applicators and builds no path segments;
// basic mode extends the evaluation path and instance location out of line.
[[gnu::always_inline]] inline bool eval_child(const Node* child, const json::Value& value, Ctx& c,
                                              Annotations* ann, std::string_view seg1,
                                              Seg seg2 = {}, Seg iseg = {}) {
  if (!c.basic) [[likely]] {
    const Node* target = child->flag_target;
    if (target->leaf) return check_leaf(target, value, c);
    if (target->is_bool) return target->bool_value;
    return eval(target, value, c, ann);
  }
  return eval_child_basic(child, value, c, ann, seg1, seg2, iseg);
}

HP_NOINLINE bool op_ref(const Keyword& k, const json::Value& inst, Ctx& c, Annotations* ann) {
  return eval_child(k.child, inst, c, ann, k.name);
}

HP_NOINLINE bool op_dynamic_ref(const Keyword& k, const json::Value& inst, Ctx& c,
                                Annotations* ann) {
  const Node* target = k.child;
  if (k.flag) {
    for (size_t si = 0; si < c.scope.size(); ++si) {
      const ResourceInfo& res = c.prog.resources[c.scope.at(si)];
      auto it = std::find_if(res.dynamic_anchors.begin(), res.dynamic_anchors.end(),
                             [&](const auto& a) { return a.first == k.names[0]; });
      if (it != res.dynamic_anchors.end()) {
        target = it->second;
        break;
      }
    }
  }
  return eval_child(target, inst, c, ann, k.name);
}

HP_NOINLINE bool op_recursive_ref(const Keyword& k, const json::Value& inst, Ctx& c,
                                  Annotations* ann) {
  const Node* target = k.child;
  if (k.flag) {
    for (size_t si = 0; si < c.scope.size(); ++si) {
      if (const Node* a = c.prog.resources[c.scope.at(si)].recursive_anchor) {
        target = a;
        break;
      }
    }
  }
  return eval_child(target, inst, c, ann, k.name);
}

HP_NOINLINE bool op_all_of(const Keyword& k, const json::Value& inst, Ctx& c, Annotations* ann) {
  bool ok = true;
  for (size_t i = 0; i < k.children.size(); ++i) {
    if (!eval_child(k.children[i], inst, c, ann, k.name, seg(static_cast<uint32_t>(i)))) {
      ok = false;
      if (!c.basic) return false;
    }
  }
  return ok;
}

HP_NOINLINE bool op_any_of(const Keyword& k, const json::Value& inst, Ctx& c, Annotations* ann) {
  size_t mark = c.errors ? c.errors->size() : 0;
  bool any = false;
  for (size_t i = 0; i < k.children.size(); ++i) {
    Annotations tmp;
    if (eval_child(k.children[i], inst, c, ann ? &tmp : nullptr, k.name,
                   seg(static_cast<uint32_t>(i)))) {
      any = true;
      if (!ann) break;
      ann->merge(tmp);
    }
  }
  if (any) {
    if (c.errors) c.errors->resize(mark);
    return true;
  }
  if (c.basic) {
    [&]() HP_COLD {
      PathMark km(c.kpath);
      push_segment(c.kpath, k.name);
      report(c, "anyOf", k.abs_location, "must match at least one schema in \"anyOf\"");
    }();
  }
  return false;
}

HP_NOINLINE bool op_one_of(const Keyword& k, const json::Value& inst, Ctx& c, Annotations* ann) {
  size_t mark = c.errors ? c.errors->size() : 0;
  std::vector<size_t> passing;
  Annotations keep;
  for (size_t i = 0; i < k.children.size(); ++i) {
    Annotations tmp;
    if (eval_child(k.children[i], inst, c, ann ? &tmp : nullptr, k.name,
                   seg(static_cast<uint32_t>(i)))) {
      passing.push_back(i);
      if (ann) keep = std::move(tmp);
      if (passing.size() > 1 && !c.basic) return false;
    }
  }
  if (passing.size() == 1) {
    if (c.errors) c.errors->resize(mark);
    if (ann) ann->merge(keep);
    return true;
  }
  if (c.basic)
    [&]() HP_COLD {
      if (!passing.empty()) c.errors->resize(mark);
      PathMark km(c.kpath);
      push_segment(c.kpath, k.name);
      if (passing.empty()) {
        report(c, "oneOf", k.abs_location,
               "must match exactly one schema in \"oneOf\", but matched none",
               "{\"passingSchemas\":null}");
      } else {
        std::string list, json_list;
        for (size_t i = 0; i < passing.size(); ++i) {
          list += (i ? ", " : "") + std::to_string(passing[i]);
          json_list += (i ? "," : "") + std::to_string(passing[i]);
        }
        report(c, "oneOf", k.abs_location,
               "must match exactly one schema in \"oneOf\", but matched " +
                   std::to_string(passing.size()) + " (indices " + list + ")",
               "{\"passingSchemas\":[" + json_list + "]}");
      }
    }();
  return false;
}

HP_NOINLINE bool op_not(const Keyword& k, const json::Value& inst, Ctx& c, Annotations*) {
  bool r;
  {
    FlagMode fm(c);
    r = eval(k.child, inst, c, nullptr);
  }
  if (r) {
    [&]() HP_COLD {
      PathMark km(c.kpath);
      if (c.basic) push_segment(c.kpath, k.name);
      report(c, "not", k.abs_location, "must not be valid against the schema in \"not\"");
    }();
  }
  return !r;
}

HP_NOINLINE bool op_if_then_else(const Keyword& k, const json::Value& inst, Ctx& c,
                                 Annotations* ann) {
  bool r;
  if (!ann) {
    if (!k.child2 && !k.child3) return true;
    FlagMode fm(c);
    const Node* cond = k.child;
    r = cond->solo ? eval_keyword(*cond->solo, inst, c, nullptr) : eval(cond, inst, c, nullptr);
  } else {
    Annotations tmp;
    {
      FlagMode fm(c);
      r = eval(k.child, inst, c, &tmp);
    }
    if (r) ann->merge(tmp);
  }
  if (r) {
    if (!k.child2) return true;
    return eval_child(k.child2, inst, c, ann, "then");
  }
  if (!k.child3) return true;
  return eval_child(k.child3, inst, c, ann, "else");
}

HP_NOINLINE bool op_dependent_schemas(const Keyword& k, const json::Value& inst, Ctx& c,
                                      Annotations* ann) {
  if (!inst.is_object()) return true;
  bool ok = true;
  for (size_t i = 0; i < k.names.size(); ++i) {
    if (!inst.find(k.names[i])) continue;
    if (!eval_child(k.children[i], inst, c, ann, k.name, seg(k.names[i]))) {
      ok = false;
      if (!c.basic) return false;
    }
  }
  return ok;
}

HP_NOINLINE bool op_dependent_required(const Keyword& k, const json::Value& inst, Ctx& c,
                                       Annotations*) {
  if (!inst.is_object()) return true;
  bool ok = true;
  for (size_t i = 0; i < k.names.size(); ++i) {
    if (!inst.find(k.names[i])) continue;
    for (const std::string& dep : k.deps[i]) {
      if (inst.find(dep)) continue;
      ok = false;
      if (!c.basic) return false;
      [&]() HP_COLD {
        PathMark km(c.kpath);
        push_segment(c.kpath, k.name);
        std::string deps;
        for (size_t j = 0; j < k.deps[i].size(); ++j) deps += (j ? ", " : "") + k.deps[i][j];
        report(
            c, k.name, k.abs_location,
            "property " + quoted(dep) + " is required when " + quoted(k.names[i]) + " is present",
            "{\"property\":" + quoted(k.names[i]) + ",\"missingProperty\":" + quoted(dep) +
                ",\"depsCount\":" + std::to_string(k.deps[i].size()) + ",\"deps\":" + quoted(deps) +
                "}");
      }();
    }
  }
  return ok;
}

// Flag mode, `properties` naming one or two members and nothing else (the shape of an
// `if: {properties: {kind: {const: ...}}}`), on an object with more members than that: looking
// each name up costs one length compare per member, where the member-driven loop below would
// hash every key. Every member with the name is checked (duplicate keys are kept as written).
HP_NOINLINE bool properties_by_name(const Keyword& k, const json::Value& inst, Ctx& c,
                                    Annotations* ann) {
  const json::Member* first = inst.begin_members();
  const json::Member* last = inst.end_members();
  uint64_t seen = 0;
  for (size_t j = 0; j < k.names.size(); ++j) {
    for (const json::Member* m = first; m != last; ++m) {
      if (!json::key_equals(m->key, k.names[j])) continue;
      seen |= uint64_t(1) << j;
      if (!eval_child(k.children[j], m->value, c, nullptr, {})) return false;
      if (ann) ann->mark_prop(static_cast<uint32_t>(m - first), inst.size());
    }
  }
  return (seen & k.required_mask) == k.required_mask;
}

// Flag mode, `properties` of a subschema applied in place below a member-memo node, naming
// only members the owner's properties pass has already found (Keyword::memo_owner).
HP_NOINLINE bool properties_from_memo(const Keyword& k, const MemberMemo& memo, Ctx& c) {
  uint64_t seen = 0;
  for (size_t j = 0; j < k.memo_index.size(); ++j) {
    const unsigned i = k.memo_index[j];
    if (!((memo.present >> i) & 1)) continue;
    seen |= uint64_t(1) << j;
    if (!eval_child(k.children[j], memo.at[i]->value, c, nullptr, {})) return false;
  }
  return (seen & k.required_mask) == k.required_mask;
}

// The member-driven pass of `properties` (with patternProperties and additionalProperties).
// kFill: flag mode for a member-memo node, recording where each named member is in `fill`
// (a separate instantiation keeps that bookkeeping out of the common loop).
template <bool kFill>
bool properties_pass(const Keyword& k, const json::Value& inst, Ctx& c, Annotations* ann,
                     MemberMemo* fill);

HP_NOINLINE bool op_properties(const Keyword& k, const json::Value& inst, Ctx& c,
                               Annotations* ann) {
  if (!inst.is_object()) return true;
  if (!c.basic) {
    if (k.memo_fill && c.memo && c.memo->owner == k.memo_fill && c.memo->object == &inst)
      return properties_pass<true>(k, inst, c, ann, c.memo);
    if (k.memo_owner && !ann) {
      if (const MemberMemo* memo = memo_for(c, k.memo_owner, inst))
        return properties_from_memo(k, *memo, c);
    }
    if (k.names.size() <= 2 && inst.size() > 2 * k.names.size() && !k.additional &&
        k.patterns.empty()) {
      return properties_by_name(k, inst, c, ann);
    }
  }
  return properties_pass<false>(k, inst, c, ann, nullptr);
}

template <bool kFill>
[[gnu::always_inline]] inline bool properties_pass(const Keyword& k, const json::Value& inst,
                                                   Ctx& c, Annotations* ann, MemberMemo* fill) {
  bool duplicate = false;
  bool ok = true;
  const uint32_t count = inst.size();
  uint32_t mi = 0;
  uint64_t seen = 0;  // properties present, for a folded `required`
  int guess = 0;      // members usually come in schema order: try the name after the last match
  for (auto m = inst.begin_members(); m != inst.end_members(); ++m, ++mi) {
    bool matched = false;
    int j;
    if (static_cast<size_t>(guess) < k.names.size() && json::key_equals(m->key, k.names[guess]))
      j = guess;
    else
      j = k.name_table.find(m->key);
    if (j >= 0) {
      guess = j + 1;
      matched = true;
      if constexpr (kFill) {  // an owner has at most 64 names
        duplicate |= (seen >> j) & 1;
        fill->at[j] = m;
      }
      seen |= uint64_t(1) << (j & 63);
      if (!eval_child(k.children[j], m->value, c, nullptr, "properties", seg(m->key),
                      seg(m->key))) {
        ok = false;
        if (!c.basic) return false;
      }
    }
    for (const PatternChild& p : k.patterns) {
      regex::Status st = p.regex.test(m->key, c.prog.regex_step_budget);
      if (st == regex::Status::budget_exceeded) {
        ok = false;
        if (!c.basic) return false;
        [&]() HP_COLD {
          PathMark km(c.kpath), im(c.ipath);
          push_segment(c.kpath, "patternProperties");
          push_segment(c.kpath, p.source);
          push_segment(c.ipath, m->key);
          report(c, "patternProperties", k.patterns_abs_location,
                 "pattern " + quoted(p.source) + " exceeded the regex step budget (" +
                     std::to_string(c.prog.regex_step_budget) + " steps) on property name " +
                     quoted(m->key));
        }();
        continue;
      }
      if (st != regex::Status::match) continue;
      matched = true;
      if (!eval_child(p.child, m->value, c, nullptr, "patternProperties", seg(p.source),
                      seg(m->key))) {
        ok = false;
        if (!c.basic) return false;
      }
    }
    if (!matched && k.additional) {
      matched = true;
      if (k.additional->is_bool && !k.additional->bool_value) {
        ok = false;
        if (!c.basic) return false;
        [&]() HP_COLD {
          PathMark km(c.kpath), im(c.ipath);
          push_segment(c.kpath, "additionalProperties");
          push_segment(c.ipath, m->key);
          report(c, "additionalProperties", k.additional_abs_location,
                 "property " + quoted(m->key) + " is not allowed (additionalProperties is false)",
                 "{\"additionalProperty\":" + quoted(m->key) + "}");
        }();
      } else if (!eval_child(k.additional, m->value, c, nullptr, "additionalProperties", {},
                             seg(m->key))) {
        ok = false;
        if (!c.basic) return false;
      }
    }
    if (matched && ann) ann->mark_prop(mi, count);
  }
  if (!c.basic && (seen & k.required_mask) != k.required_mask) return false;
  if constexpr (kFill) {
    fill->present = seen;
    fill->filled = ok && !duplicate;
  }
  return ok;
}

HP_NOINLINE bool op_property_names(const Keyword& k, const json::Value& inst, Ctx& c,
                                   Annotations*) {
  if (!inst.is_object()) return true;
  bool ok = true;
  for (auto m = inst.begin_members(); m != inst.end_members(); ++m) {
    json::Value name = json::Value::string(m->key.data(), static_cast<uint32_t>(m->key.size()));
    if (!eval_child(k.child, name, c, nullptr, k.name, {}, seg(m->key))) {
      ok = false;
      if (!c.basic) return false;
    }
  }
  return ok;
}

HP_NOINLINE bool op_items(const Keyword& k, const json::Value& inst, Ctx& c, Annotations* ann) {
  if (!inst.is_array()) return true;
  bool ok = true;
  const uint32_t n = inst.size();
  const uint32_t p = static_cast<uint32_t>(k.children.size());
  const uint32_t upto = std::min(n, p);
  for (uint32_t i = 0; i < upto; ++i) {
    if (!eval_child(k.children[i], inst[i], c, nullptr, k.name, seg(i), seg(i))) {
      ok = false;
      if (!c.basic) return false;
    }
  }
  if (k.child && n > p) {
    if (k.child->is_bool && !k.child->bool_value) {
      ok = false;
      if (!c.basic) return false;
      [&]() HP_COLD {
        PathMark km(c.kpath);
        push_segment(c.kpath, k.rest_name);
        report(c, k.rest_name, k.rest_abs_location,
               "must have at most " + std::to_string(p) + " item" + (p == 1 ? "" : "s") + ", got " +
                   std::to_string(n),
               "{\"limit\":" + std::to_string(p) + "}");
      }();
    } else {
      for (uint32_t i = p; i < n; ++i) {
        if (!eval_child(k.child, inst[i], c, nullptr, k.rest_name, {}, seg(i))) {
          ok = false;
          if (!c.basic) return false;
        }
      }
    }
  }
  if (ann) {
    if (k.child)
      ann->all_items = true;
    else
      ann->items_prefix = std::max(ann->items_prefix, upto);
  }
  return ok;
}

HP_NOINLINE bool op_contains(const Keyword& k, const json::Value& inst, Ctx& c, Annotations* ann) {
  if (!inst.is_array()) return true;
  uint64_t matches = 0;
  const uint32_t n = inst.size();
  const bool need_all = (ann && k.flag) || k.count2 != UINT64_MAX;
  {
    FlagMode fm(c);
    for (uint32_t i = 0; i < n; ++i) {
      if (eval(k.child, inst[i], c, nullptr)) {
        ++matches;
        if (ann && k.flag) ann->mark_item(i, n);
        if (!need_all && matches >= k.count) break;
      }
    }
  }
  if (matches < k.count) {
    [&]() HP_COLD {
      PathMark km(c.kpath);
      if (c.basic) push_segment(c.kpath, k.name);
      report(c, "contains", k.abs_location,
             "must contain at least " + std::to_string(k.count) + " item" +
                 (k.count == 1 ? "" : "s") + " matching the \"contains\" schema, found " +
                 std::to_string(matches),
             "{\"minContains\":" + std::to_string(k.count) + "}");
    }();
    return false;
  }
  if (matches > k.count2) {
    [&]() HP_COLD {
      PathMark km(c.kpath);
      if (c.basic) push_segment(c.kpath, k.name);
      report(c, "contains", k.abs_location,
             "must contain at most " + std::to_string(k.count2) + " item" +
                 (k.count2 == 1 ? "" : "s") + " matching the \"contains\" schema, found " +
                 std::to_string(matches),
             "{\"maxContains\":" + std::to_string(k.count2) + "}");
    }();
    return false;
  }
  return true;
}

HP_NOINLINE bool op_unevaluated_properties(const Keyword& k, const json::Value& inst, Ctx& c,
                                           Annotations* ann) {
  if (!inst.is_object()) return true;
  bool ok = true;
  const uint32_t count = inst.size();
  uint32_t mi = 0;
  for (auto m = inst.begin_members(); m != inst.end_members(); ++m, ++mi) {
    if (ann->prop(mi)) continue;
    if (k.child->is_bool && !k.child->bool_value) {
      ok = false;
      if (!c.basic) return false;
      [&]() HP_COLD {
        PathMark km(c.kpath), im(c.ipath);
        push_segment(c.kpath, k.name);
        push_segment(c.ipath, m->key);
        report(c, k.name, k.abs_location,
               "property " + quoted(m->key) + " is not allowed (unevaluatedProperties is false)",
               "{\"unevaluatedProperty\":" + quoted(m->key) + "}");
      }();
      continue;
    }
    if (!eval_child(k.child, m->value, c, nullptr, k.name, {}, seg(m->key))) {
      ok = false;
      if (!c.basic) return false;
    }
  }
  if (ok) {
    for (uint32_t i = 0; i < count; ++i) ann->mark_prop(i, count);
  }
  return ok;
}

HP_NOINLINE bool op_unevaluated_items(const Keyword& k, const json::Value& inst, Ctx& c,
                                      Annotations* ann) {
  if (!inst.is_array()) return true;
  bool ok = true;
  const uint32_t n = inst.size();
  for (uint32_t i = 0; i < n; ++i) {
    if (ann->item(i)) continue;
    if (k.child->is_bool && !k.child->bool_value) {
      ok = false;
      if (!c.basic) return false;
      [&]() HP_COLD {
        PathMark km(c.kpath), im(c.ipath);
        push_segment(c.kpath, k.name);
        push_segment(c.ipath, seg(i));
        report(c, k.name, k.abs_location,
               "item " + std::to_string(i) + " is not allowed (unevaluatedItems is false)",
               "{\"unevaluatedItem\":" + std::to_string(i) + "}");
      }();
      continue;
    }
    if (!eval_child(k.child, inst[i], c, nullptr, k.name, {}, seg(i))) {
      ok = false;
      if (!c.basic) return false;
    }
  }
  if (ok) ann->all_items = true;
  return ok;
}

// Leaf assertions: never recurse, so their frame size does not add up with depth.
// Basic-mode report of a leaf assertion that check_assertion has already found failing: this
// only words the error (re-deriving details such as the length or the duplicate's index).
HP_COLD void report_assertion(const Keyword& k, const json::Value& inst, Ctx& c) {
  // Each message and params text is built once, by appending (no temporaries).
  std::string message, params;
  message.reserve(96);
  params.reserve(48);
  auto fail = [&]() {
    PathMark km(c.kpath);
    push_segment(c.kpath, k.name);
    report(c, k.name, k.abs_location, std::move(message), std::move(params));
  };
  // params = {"key": value}, the value as JSON text already, or a string to quote.
  auto param = [&](std::string_view key, std::string_view json_text) {
    params += "{\"";
    params += key;
    params += "\":";
    params += json_text;
    params += '}';
  };
  auto param_string = [&](std::string_view key, std::string_view text) {
    params += "{\"";
    params += key;
    params += "\":";
    json::write_string(text, params);
    params += '}';
  };
  auto limit_params = [&](uint64_t limit) {
    char buf[24];
    param("limit",
          std::string_view(buf, size_t(std::to_chars(buf, buf + sizeof buf, limit).ptr - buf)));
  };
  auto got = [&](const json::Value& v) {  // ", got <the value>"
    message += ", got ";
    append_preview(message, v);
  };
  auto plural = [](uint64_t n, const char* one, const char* many) { return n == 1 ? one : many; };
  // maxItems / minItems / maxProperties / minProperties: "must have at most 3 items, got 4"
  auto count_limit = [&](bool at_most, const char* one, const char* many) {
    message += at_most ? "must have at most " : "must have at least ";
    append_number(message, k.count);
    message += plural(k.count, one, many);
    message += ", got ";
    append_number(message, inst.size());
    limit_params(k.count);
    fail();
  };
  switch (k.op) {
    case Op::type: {
      const std::string want = type_list(k.type_mask);
      message += "must be ";
      if (k.type_mask & (k.type_mask - 1)) {
        message += "one of ";
        for (char ch : want) message += ch == ',' ? '|' : ch;
      } else {
        message += want;
      }
      message += ", got ";
      message += json::type_name(inst.type());
      if (inst.is_number() || inst.is_bool() || inst.is_null()) {
        message += ' ';
        append_preview(message, inst);
      }
      param_string("type", want);
      return fail();
    }
    case Op::enum_: {
      std::string allowed = "[";
      for (size_t i = 0; i < k.values.size(); ++i) {
        if (i) allowed += ',';
        json::write(k.values[i], allowed);
      }
      allowed += ']';
      message += "must be one of ";
      if (allowed.size() > 200) {
        message.append(allowed, 0, 196);
        message += "...]";
      } else {
        message += allowed;
      }
      got(inst);
      param("allowedValues", allowed);
      return fail();
    }
    case Op::const_: {
      message += "must be equal to the constant ";
      append_preview(message, k.values[0]);
      got(inst);
      std::string value;
      json::write(k.values[0], value);
      param("allowedValue", value);
      return fail();
    }
    case Op::multiple_of: {
      const std::string_view divisor = k.number.number_text();
      message += "must be a multiple of ";
      message += divisor;
      got(inst);
      param("multipleOf", divisor);
      return fail();
    }
    case Op::maximum:
    case Op::exclusive_maximum:
    case Op::minimum:
    case Op::exclusive_minimum: {
      const char* op = k.op == Op::maximum             ? "<="
                       : k.op == Op::exclusive_maximum ? "<"
                       : k.op == Op::minimum           ? ">="
                                                       : ">";
      const std::string_view lim = k.number.number_text();
      message += "must be ";
      message += op;
      message += ' ';
      message += lim;
      got(inst);
      params += "{\"comparison\":\"";
      params += op;
      params += "\",\"limit\":";
      params += lim;
      params += '}';
      return fail();
    }
    case Op::max_length:
    case Op::min_length:
      message += k.op == Op::max_length ? "must be at most " : "must be at least ";
      append_number(message, k.count);
      message += plural(k.count, " character", " characters");
      message += " long, got ";
      append_number(message, json::count_code_points(inst.as_string()));
      limit_params(k.count);
      return fail();
    case Op::pattern:
      if (k.regex->test(inst.as_string(), c.prog.regex_step_budget) ==
          regex::Status::budget_exceeded) {
        message += "pattern ";
        json::write_string(k.names[0], message);
        message += " exceeded the regex step budget (";
        append_number(message, c.prog.regex_step_budget);
        message += " steps); the value is rejected";
      } else {
        message += "must match pattern ";
        json::write_string(k.names[0], message);
        got(inst);
      }
      param_string("pattern", k.names[0]);
      return fail();
    case Op::max_items:
    case Op::min_items:
      return count_limit(k.op == Op::max_items, " item", " items");
    case Op::unique_items: {
      uint32_t i = 0, j = 0;
      find_duplicate(inst, &i, &j);
      message += "must not contain duplicate items (items ";
      append_number(message, i);
      message += " and ";
      append_number(message, j);
      message += " are equal)";
      params += "{\"i\":";
      append_number(params, j);
      params += ",\"j\":";
      append_number(params, i);
      params += '}';
      return fail();
    }
    case Op::max_properties:
    case Op::min_properties:
      return count_limit(k.op == Op::max_properties, " property", " properties");
    case Op::required:
      for (const std::string& name : k.names) {  // one error per missing name
        if (!inst.find(name)) {
          message.clear();
          params.clear();
          message += "required property ";
          json::write_string(name, message);
          message += " is missing";
          param_string("missingProperty", name);
          fail();
        }
      }
      return;
    case Op::format:
      message += "must be a valid ";
      message += k.names[0];
      got(inst);
      param_string("format", k.names[0]);
      return fail();
    default:
      return;
  }
}

// draft-07 contentEncoding/contentMediaType: decides and reports (rare, so one cold path).
HP_COLD bool eval_content(const Keyword& k, const json::Value& inst, Ctx& c) {
  if (!inst.is_string()) return true;
  auto fail = [&](std::string message) {
    if (c.basic) {
      PathMark km(c.kpath);
      push_segment(c.kpath, k.name);
      report(c, k.name, k.abs_location, std::move(message), "{}");
    }
    return false;
  };
  std::string decoded;
  std::string_view text = inst.as_string();
  if (k.flag) {
    if (!decode_base64(text, decoded)) {
      return fail("must be base64-encoded (contentEncoding), got " + preview(inst));
    }
    text = decoded;
  }
  if (k.all_strings) {
    json::Document doc;
    if (auto r = doc.parse(text); !r) {
      return fail("must contain a JSON document (contentMediaType application/json): " +
                  r.error().to_string());
    }
  }
  return true;
}

// The pass/fail part of every leaf assertion: no strings, no allocation. On failure in basic
// mode, report_assertion words the error (failure is the rare case).
[[gnu::always_inline]] inline bool check_assertion(const Keyword& k, const json::Value& inst,
                                                   const Ctx& c) {
  switch (k.op) {
    case Op::type:
      return type_matches(k.type_mask, inst, k.flag);
    case Op::enum_:
      if (k.all_strings) return inst.is_string() && k.name_table.find(inst.as_string()) >= 0;
      for (const json::Value& v : k.values)
        if (json::equal(v, inst)) return true;
      return false;
    case Op::const_:
      return json::equal(k.values[0], inst);
    case Op::multiple_of:
      return !inst.is_number() || k.divisor.divides(inst);
    case Op::maximum:
      return !inst.is_number() || json::compare_numbers(inst, k.number) <= 0;
    case Op::exclusive_maximum:
      return !inst.is_number() || json::compare_numbers(inst, k.number) < 0;
    case Op::minimum:
      return !inst.is_number() || json::compare_numbers(inst, k.number) >= 0;
    case Op::exclusive_minimum:
      return !inst.is_number() || json::compare_numbers(inst, k.number) > 0;
    case Op::max_length:
      if (!inst.is_string() || inst.as_string().size() <= k.count) return true;
      return json::count_code_points(inst.as_string()) <= k.count;
    case Op::min_length:
      if (!inst.is_string()) return true;
      if (inst.as_string().size() < k.count) return false;
      if (inst.as_string().size() / 4 >= k.count) return true;  // a code point is at most 4 bytes
      return json::count_code_points(inst.as_string()) >= k.count;
    case Op::pattern:
      return !inst.is_string() ||
             k.regex->test(inst.as_string(), c.prog.regex_step_budget) == regex::Status::match;
    case Op::max_items:
      return !inst.is_array() || inst.size() <= k.count;
    case Op::min_items:
      return !inst.is_array() || inst.size() >= k.count;
    case Op::max_properties:
      return !inst.is_object() || inst.size() <= k.count;
    case Op::min_properties:
      return !inst.is_object() || inst.size() >= k.count;
    case Op::unique_items: {
      uint32_t i, j;
      return !inst.is_array() || !find_duplicate(inst, &i, &j);
    }
    case Op::required: {
      if (!inst.is_object() || (k.flag && !c.basic)) return true;
      if (k.memo_owner) {
        if (const MemberMemo* memo = memo_for(c, k.memo_owner, inst))
          return (memo->present & k.memo_mask) == k.memo_mask;
      }
      const size_t r = k.names.size();
      if (r == 1) {
        for (auto m = inst.begin_members(); m != inst.end_members(); ++m)
          if (json::key_equals(m->key, k.names[0])) return true;
        return false;
      }
      if (r > 64) {
        for (const std::string& name : k.names)
          if (!inst.find(name)) return false;
        return true;
      }
      uint64_t seen = 0;
      for (auto m = inst.begin_members(); m != inst.end_members(); ++m) {
        if (int j = k.name_table.find(m->key); j >= 0) seen |= uint64_t(1) << j;
      }
      return seen == k.required_mask;
    }
    case Op::format:
      return !inst.is_string() || k.format_check(inst.as_string());
    default:
      return false;  // content: always takes the full path
  }
}

// Flag mode over a node of leaf assertions: no recursion, so no depth, scope or annotations.
bool check_leaf(const Node* n, const json::Value& inst, const Ctx& c) {
  if (!node_type_ok(n, inst)) return false;
  for (const Keyword* k : n->flag_keywords) {
    if (!check_assertion(*k, inst, c)) return false;
  }
  return true;
}

bool eval_keyword(const Keyword& k, const json::Value& inst, Ctx& c, Annotations* ann) {
  switch (k.op) {
    case Op::ref:
      return op_ref(k, inst, c, ann);
    case Op::dynamic_ref:
      return op_dynamic_ref(k, inst, c, ann);
    case Op::recursive_ref:
      return op_recursive_ref(k, inst, c, ann);
    case Op::all_of:
      return op_all_of(k, inst, c, ann);
    case Op::any_of:
      return op_any_of(k, inst, c, ann);
    case Op::one_of:
      return op_one_of(k, inst, c, ann);
    case Op::not_:
      return op_not(k, inst, c, ann);
    case Op::if_then_else:
      return op_if_then_else(k, inst, c, ann);
    case Op::dependent_schemas:
      return op_dependent_schemas(k, inst, c, ann);
    case Op::dependent_required:
      return op_dependent_required(k, inst, c, ann);
    case Op::properties:
      return op_properties(k, inst, c, ann);
    case Op::property_names:
      return op_property_names(k, inst, c, ann);
    case Op::items:
      return op_items(k, inst, c, ann);
    case Op::contains:
      return op_contains(k, inst, c, ann);
    case Op::unevaluated_properties:
      return op_unevaluated_properties(k, inst, c, ann);
    case Op::unevaluated_items:
      return op_unevaluated_items(k, inst, c, ann);
    case Op::content:
      return eval_content(k, inst, c);
    default:
      if (check_assertion(k, inst, c)) [[likely]]
        return true;
      if (c.basic) report_assertion(k, inst, c);
      return false;
  }
}

// Values in `v` and below (an explicit stack: hand-built instances may nest deeper than the
// parser allows).
uint64_t count_values(const json::Value& v) {
  uint64_t n = 0;
  std::vector<const json::Value*> todo{&v};
  while (!todo.empty()) {
    const json::Value* x = todo.back();
    todo.pop_back();
    ++n;
    if (x->is_array()) {
      for (const json::Value* i = x->begin_items(); i != x->end_items(); ++i) todo.push_back(i);
    } else if (x->is_object()) {
      for (const json::Member* m = x->begin_members(); m != x->end_members(); ++m)
        todo.push_back(&m->value);
    }
  }
  return n;
}

constexpr uint64_t kBudgetPerValue = 256;

// Deep instances and long $ref chains are legal, and so are schemas whose evaluation grows
// exponentially with the instance's depth; past kMaxDepth nested subschemas, when the
// thread's stack runs low, or past the evaluation budget, evaluation stops with an error
// instead of crashing or holding the thread.
HP_COLD bool abort_evaluation(Ctx& c, const Node* n, bool stack_low) {
  if (c.aborted) return false;
  const bool too_deep = c.depth >= kMaxDepth;
  if (!too_deep && !stack_low && !c.budget_scaled) {  // over budget: scale it to the instance
    c.budget_scaled = true;
    const uint64_t scaled = count_values(c.root) * kBudgetPerValue;
    if (scaled > c.budget) {
      c.steps_left = scaled - c.budget;
      c.budget = scaled;
      return true;  // go on evaluating
    }
  }
  std::string message =
      too_deep ? "evaluation nested deeper than " + std::to_string(kMaxDepth) +
                     " subschemas; the value is rejected"
      : stack_low
          ? "evaluation nested too deep for this thread's stack (" + std::to_string(c.depth) +
                " subschemas); the value is rejected"
          : "evaluation exceeded its budget of " + std::to_string(c.budget) +
                " subschema evaluations (the schema applies a recursive subschema more than "
                "once at each level); the value is rejected";
  c.aborted = true;
  c.steps_left = 0;
  if (c.errors) {
    c.abort_error = OutputError{"$ref",          render(c.kpath),    n->abs_location,
                                render(c.ipath), std::move(message), "{}"};
  }
  return false;
}

// A schema with unevaluated*: collects its own annotations, and passes them up when valid.
HP_NOINLINE bool eval_tracking(const Node* n, const json::Value& inst, Ctx& c, Annotations* ann) {
  Annotations local;
  bool valid = true;
  for (const Keyword& k : n->keywords) {
    if (!eval_keyword(k, inst, c, &local)) {
      valid = false;
      if (!c.basic) break;
    }
  }
  if (valid && ann) ann->merge(local);
  return valid;
}

// Flag mode over an object, for a member-memo node: its keywords run with a memo of where
// its named members are (the properties pass, first in flag_keywords, fills it).
HP_NOINLINE bool eval_with_memo(const Node* n, const json::Value& inst, Ctx& c) {
  MemberMemo memo{n, &inst, c.memo_slots.take(n->memo_names)};
  MemberMemo* const outer = c.memo;
  c.memo = &memo;
  bool valid = node_type_ok(n, inst);
  for (size_t i = 0, count = n->flag_keywords.size(); valid && i < count; ++i)
    valid = eval_keyword(*n->flag_keywords[i], inst, c, nullptr);
  c.memo = outer;
  c.memo_slots.give_back(memo.at, n->memo_names);
  return valid;
}

bool eval(const Node* n, const json::Value& inst, Ctx& c, Annotations* ann) {
  if (n->is_bool) {
    if (n->bool_value) return true;
    report(c, "false schema", n->abs_location, "no value is allowed here (the schema is false)");
    return false;
  }
  const bool stack_low = reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < c.stack_floor;
  if (c.depth >= kMaxDepth || c.steps_left == 0 || stack_low) [[unlikely]] {
    if (!abort_evaluation(c, n, stack_low)) return false;
  }
  --c.steps_left;
  ++c.depth;
  const bool pushed =
      c.prog.uses_dynamic_scope && (c.scope.empty() || c.scope.back() != n->resource);
  if (pushed) c.scope.push_back(n->resource);

  bool valid = true;
  if (n->tracks_annotations) [[unlikely]] {
    valid = eval_tracking(n, inst, c, ann);
  } else if (!c.basic) [[likely]] {
    if (n->memo_names != 0 && !ann && inst.is_object()) [[unlikely]] {
      valid = eval_with_memo(n, inst, c);
    } else {
      valid = node_type_ok(n, inst);
      for (size_t i = 0, count = n->flag_keywords.size(); valid && i < count; ++i)
        valid = eval_keyword(*n->flag_keywords[i], inst, c, ann);
    }
  } else {
    for (const Keyword& k : n->keywords) {
      if (!eval_keyword(k, inst, c, ann)) {
        valid = false;
        if (!c.basic) break;
      }
    }
  }

  if (pushed) c.scope.pop_back();
  --c.depth;
  return valid;
}

}  // namespace
}  // namespace internal

bool Validator::validate(const json::Value& instance) const {
  internal::Ctx c(*program_, false, nullptr, instance);
  return internal::eval(program_->root, instance, c, nullptr) && !c.aborted;
}

Output Validator::evaluate(const json::Value& instance, OutputFormat format) const {
  Output out;
  if (format == OutputFormat::flag) {
    out.valid = validate(instance);
    return out;
  }
  internal::Ctx c(*program_, true, &out.errors, instance);
  c.kpath.reserve(32);
  c.ipath.reserve(16);
  out.valid = internal::eval(program_->root, instance, c, nullptr) && !c.aborted;
  if (c.aborted) out.errors.push_back(std::move(c.abort_error));
  if (out.valid) out.errors = {};  // discarded errors (anyOf, oneOf branches): no memory kept
  return out;
}

}  // namespace hotpath::schema
