// The compiled form of a schema: an immutable graph of Nodes (one per subschema), each a
// flat list of Keyword instructions. Built by compiler.cpp, run by evaluator.cpp.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "formats.h"
#include "hotpath/json.h"
#include "hotpath/regex.h"
#include "hotpath/schema.h"

namespace hotpath::schema::internal {

struct Node;

enum class Op : uint8_t {
  // in-place applicators
  ref,                // child
  dynamic_ref,        // child (static target) + name; dynamic when `flag`
  recursive_ref,      // child (static target); dynamic when `flag`
  all_of,             // children
  any_of,             // children
  one_of,             // children
  not_,               // child
  if_then_else,       // child (if), child2 (then, may be null), child3 (else, may be null)
  dependent_schemas,  // names[i] -> children[i]
  // object applicators
  properties,              // props: names/children + patterns + additional (one combined op)
  property_names,          // child
  unevaluated_properties,  // child
  // array applicators
  items,              // children (prefix) + child (rest, may be null); names
                      // "prefixItems"/"items"/"additionalItems"
  contains,           // child, min/max counts
  unevaluated_items,  // child
  // assertions
  type,         // type_mask
  enum_,        // values
  const_,       // values[0]
  multiple_of,  // number
  maximum,
  exclusive_maximum,
  minimum,
  exclusive_minimum,  // number
  max_length,
  min_length,  // count
  pattern,     // regex
  max_items,
  min_items,  // count
  unique_items,
  max_properties,
  min_properties,      // count
  required,            // names
  dependent_required,  // names[i] -> deps[i]
  format,              // format_check
  content,  // draft-07 contentEncoding (flag: base64) / contentMediaType (all_strings: JSON)
};

// Bits of Keyword::type_mask, one per JSON Schema type name.
enum TypeBit : uint8_t {
  kNull = 1,
  kBoolean = 2,
  kObject = 4,
  kArray = 8,
  kNumber = 16,
  kString = 32,
  kInteger = 64,
};

// Exact lookup of a fixed set of property names (properties, required). A key of up to 16
// bytes is fully described by its length and two overlapping word loads, so comparison
// needs no memcmp; longer keys compare the middle too. Open addressing, power-of-two table.
class NameTable {
 public:
  void build(const std::vector<std::string>& names);
  // Index of `key` in the names given to build(), or -1.
  [[gnu::always_inline]] int find(std::string_view key) const {
    const Words w = words(key.data(), key.size());
    if (entries_.size() <= kLinearMax) {
      for (size_t i = 0; i < entries_.size(); ++i) {
        if (entries_[i].matches(w, key)) return static_cast<int>(i);
      }
      return -1;
    }
    for (uint64_t h = hash(w) & mask_;; h = (h + 1) & mask_) {
      int32_t slot = slots_[h];
      if (slot < 0) return -1;
      if (entries_[slot].matches(w, key)) return slot;
    }
  }
  size_t size() const { return entries_.size(); }

 private:
  struct Words {
    uint64_t a, b, n;
  };
  static Words words(const char* p, size_t n) {
    uint64_t a = 0, b = 0;
    if (n >= 8) {
      std::memcpy(&a, p, 8);
      std::memcpy(&b, p + n - 8, 8);
    } else if (n >= 4) {
      uint32_t x, y;
      std::memcpy(&x, p, 4);
      std::memcpy(&y, p + n - 4, 4);
      a = x;
      b = y;
    } else if (n > 0) {
      a = static_cast<unsigned char>(p[0]) | (uint64_t(static_cast<unsigned char>(p[n / 2])) << 8) |
          (uint64_t(static_cast<unsigned char>(p[n - 1])) << 16);
    }
    return {a, b, n};
  }
  static uint64_t hash(const Words& w) {
    uint64_t h = (w.a * 0x9E3779B97F4A7C15ULL) ^ (w.b * 0xC2B2AE3D27D4EB4FULL) ^
                 (w.n * 0x165667B19E3779F9ULL);
    return h ^ (h >> 29);
  }
  struct Entry {
    Words w;
    std::string_view name;
    bool matches(const Words& k, std::string_view key) const {
      if (k.n != w.n || k.a != w.a || k.b != w.b) return false;
      return w.n <= 16 || std::memcmp(key.data() + 8, name.data() + 8, w.n - 16) == 0;
    }
  };
  static constexpr size_t kLinearMax = 4;
  std::vector<Entry> entries_;  // views into the Keyword's names
  std::vector<int32_t> slots_;
  uint64_t mask_ = 0;
};

struct PatternChild {
  regex::Regex regex;
  std::string source;
  const Node* child = nullptr;
};

struct Keyword {
  Op op;
  bool flag = false;         // dynamic_ref/recursive_ref: resolve dynamically; items: has prefix;
                             // required: folded into the node's properties (flag mode)
  std::string name;          // keyword as written ("minimum", "$ref", "prefixItems")
  std::string abs_location;  // absoluteKeywordLocation of this keyword
  const Node* child = nullptr;
  const Node* child2 = nullptr;
  const Node* child3 = nullptr;
  std::vector<const Node*> children;
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> deps;
  std::vector<json::Value> values;  // enum/const values; numeric limit in values[0]
  json::Value number;               // numeric limit / divisor
  json::Divisor divisor;            // multipleOf: `number`, read once
  uint64_t count = 0;
  uint64_t count2 = 0;  // contains: max (UINT64_MAX = none)
  uint8_t type_mask = 0;
  FormatCheck format_check = nullptr;
  std::unique_ptr<regex::Regex> regex;
  // properties op
  std::vector<PatternChild> patterns;
  const Node* additional = nullptr;
  std::string additional_abs_location, patterns_abs_location;
  std::string
      rest_name;  // items op: name of the keyword applying to the rest ("items"/"additionalItems")
  std::string rest_abs_location;
  std::string child2_abs, child3_abs;  // if_then_else: locations of then/else
  bool all_strings = false;            // enum of strings only: fast path
  NameTable name_table;                // properties / required / string enum: index into `names`
  // properties: members (by index into `names`) that a folded `required` of the same node
  // needs; flag mode fails the properties pass when one is missing (see fold_required).
  // required (at most 64 names): the bits of its names in its own name_table.
  uint64_t required_mask = 0;
  // Member memo (flag mode, see Node::memo_names). On the owner's `properties`:
  // `memo_fill` is its node, and the pass records where each named member is. On a
  // `properties` or `required` of a subschema applied in place below the owner (allOf, if,
  // then, ...) whose names are all among the owner's: `memo_owner` is that owner, and
  // `memo_index[i]` (properties) or the bits of `memo_mask` (required) give the owner's
  // index of each name, so the lookup is read from the memo instead of a pass over members.
  // (One `properties` can be both: the owner of its own subschemas, and below another.)
  const Node* memo_fill = nullptr;
  const Node* memo_owner = nullptr;
  std::vector<uint8_t> memo_index;
  uint64_t memo_mask = 0;
};

struct Node {
  bool is_bool = false;  // boolean schema
  bool bool_value = true;
  bool tracks_annotations = false;  // has unevaluatedProperties/unevaluatedItems
  bool leaf = false;      // only leaf assertions: flag mode checks it inline, without eval()
  uint32_t resource = 0;  // index into Program::resources
  // Flag mode checks `type` on entry (one bit test), then runs `flag_keywords`: the keywords
  // without `type` and without a `required` folded into `properties`. Basic mode runs
  // `keywords`, in schema order, so its errors come in that order.
  uint8_t type_mask = 0x7F;     // TypeBits allowed; all by default
  bool strict_integer = false;  // draft-04 "integer": written without fraction or exponent
  std::string abs_location;     // canonical URI of this subschema: "base#/pointer"
  std::vector<Keyword> keywords;
  std::vector<const Keyword*> flag_keywords;  // into `keywords`, fixed once compiled
  // Flag mode evaluates this node instead: the end of a chain of nodes holding only a static
  // `$ref` (`{"$ref": "#/$defs/price"}`), or the node itself. Basic mode walks the chain, as
  // its keywordLocation must name each `$ref`. Set for every node once compiled.
  const Node* flag_target = nullptr;
  // Member memo, when not 0: the number of names in this node's `properties` (<= 64). In
  // flag mode on an object, that pass (ordered first in flag_keywords) records where each
  // of its named members is, for the in-place subschemas below it that look the same names
  // up (`if: {properties: {kind: ...}}`, `then: {required: [...]}`).
  uint32_t memo_names = 0;
  // Flag mode, on a node that accepts every type and runs exactly one keyword without a
  // member memo or dynamic scope: that keyword, which an `if` runs directly (no eval()).
  const Keyword* solo = nullptr;
};

struct ResourceInfo {
  std::string uri;
  std::vector<std::pair<std::string, const Node*>> dynamic_anchors;  // $dynamicAnchor name -> node
  const Node* recursive_anchor = nullptr;  // root node when it has "$recursiveAnchor": true
};

struct Program {
  const Node* root = nullptr;
  bool uses_dynamic_scope = false;  // some $dynamicRef/$recursiveRef resolves dynamically
  Dialect dialect = Dialect::draft2020_12;
  uint64_t regex_step_budget = 1'000'000;
  uint64_t evaluation_budget = 1'000'000;  // see CompileOptions
  std::deque<Node> nodes;                  // stable addresses
  std::vector<ResourceInfo> resources;
  std::vector<std::shared_ptr<json::Document>> documents;  // keep schema Values alive
};

}  // namespace hotpath::schema::internal
