// Compiler: turns indexed schema documents (SchemaStore) into a Program of Nodes.
// Nodes are created on first reference and filled from a work queue, so deep $ref chains
// and recursive schemas compile without recursion.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "program.h"
#include "store.h"
#include "uri.h"

namespace hotpath::schema {

namespace internal {

void NameTable::build(const std::vector<std::string>& names) {
  entries_.clear();
  for (const std::string& n : names) entries_.push_back(Entry{words(n.data(), n.size()), n});
  slots_.clear();
  mask_ = 0;
  if (entries_.size() <= kLinearMax) return;
  size_t capacity = 8;
  while (capacity < entries_.size() * 2) capacity *= 2;
  slots_.assign(capacity, -1);
  mask_ = capacity - 1;
  for (size_t i = 0; i < entries_.size(); ++i) {
    uint64_t h = hash(entries_[i].w) & mask_;
    bool duplicate = false;
    for (; slots_[h] >= 0; h = (h + 1) & mask_) {
      if (entries_[slots_[h]].name == entries_[i].name) {
        duplicate = true;
        break;
      }
    }
    if (!duplicate) slots_[h] = static_cast<int32_t>(i);  // the first of duplicate names wins
  }
}

namespace {

constexpr std::string_view kAnonPrefix = "urn:hotpath:anon:";

std::string display_uri(std::string_view base) {
  if (base.rfind(kAnonPrefix, 0) == 0) return "";
  return std::string(base);
}

std::string quoted(std::string_view s) {
  std::string out;
  json::write_string(s, out);
  return out;
}

bool non_negative_integer(const json::Value& v, uint64_t* out) {
  if (!v.is_number() || !v.is_integer()) return false;
  if (v.number_kind() == json::NumberKind::int64) {
    if (v.as_int64() < 0) return false;
    *out = static_cast<uint64_t>(v.as_int64());
    return true;
  }
  if (v.number_kind() == json::NumberKind::uint64) {
    *out = v.as_uint64();
    return true;
  }
  double d = v.as_double();  // 1.0, 1e3
  if (!(d >= 0)) return false;
  *out = d >= 1.8e19 ? std::numeric_limits<uint64_t>::max() : static_cast<uint64_t>(d);
  return true;
}

// Assertions that never apply subschemas (and so never recurse or produce annotations).
bool is_leaf_assertion(Op op) {
  switch (op) {
    case Op::type:
    case Op::enum_:
    case Op::const_:
    case Op::multiple_of:
    case Op::maximum:
    case Op::exclusive_maximum:
    case Op::minimum:
    case Op::exclusive_minimum:
    case Op::max_length:
    case Op::min_length:
    case Op::pattern:
    case Op::max_items:
    case Op::min_items:
    case Op::unique_items:
    case Op::max_properties:
    case Op::min_properties:
    case Op::required:
    case Op::format:
      return true;
    default:
      return false;
  }
}

class ProgramBuilder {
 public:
  ProgramBuilder(SchemaStore& store, Program& prog) : store_(store), prog_(prog) {}

  const Node* get(const json::Value* v) {
    if (auto it = memo_.find(v); it != memo_.end()) return it->second;
    Node* n = &prog_.nodes.emplace_back();
    memo_[v] = n;
    queue_.emplace_back(v, n);
    return n;
  }

  bool build(const json::Value* root) {
    prog_.root = get(root);
    size_t anchors_done = 0;
    while (true) {
      while (!queue_.empty()) {
        auto [v, n] = queue_.back();
        queue_.pop_back();
        if (!fill(v, n)) return false;
      }
      // Dynamic anchors of every resource that evaluation can enter must be compiled.
      if (anchors_done == prog_.resources.size()) break;
      for (; anchors_done < prog_.resources.size(); ++anchors_done) {
        std::string uri = prog_.resources[anchors_done].uri;
        for (auto& [name, value] : store_.dynamic_anchors(uri)) {
          const Node* target = get(value);
          prog_.resources[anchors_done].dynamic_anchors.emplace_back(name, target);
        }
        std::string why;
        if (const Resource* r = store_.find_resource(uri, &why);
            r && store_.has_recursive_anchor(r->root)) {
          const Node* target = get(r->root);
          prog_.resources[anchors_done].recursive_anchor = target;
        }
      }
    }
    for (Node& node : prog_.nodes) {
      node.leaf = !node.is_bool && !node.tracks_annotations;
      for (Keyword& k : node.keywords) {
        if (!is_leaf_assertion(k.op)) node.leaf = false;
        if (k.op == Op::enum_ && k.all_strings) {
          for (const json::Value& v : k.values) k.names.emplace_back(v.as_string());
        }
        if (k.op == Op::properties || k.op == Op::required || k.op == Op::enum_)
          k.name_table.build(k.names);
        // required: a name listed twice has one bit, the one name_table.find gives for it.
        if (k.op == Op::required && k.names.size() <= 64)
          positions_in(k.name_table, k.names, &k.required_mask);
        if ((k.op == Op::dynamic_ref || k.op == Op::recursive_ref) && k.flag)
          prog_.uses_dynamic_scope = true;
      }
      fold_required(node);
      for (const Keyword& k : node.keywords) {
        if (k.op == Op::type) {
          node.type_mask = k.type_mask;
          node.strict_integer = k.flag;
        } else if (k.op != Op::required || !k.flag) {
          node.flag_keywords.push_back(&k);
        }
      }
    }
    if (!prog_.uses_dynamic_scope)
      for (Node& node : prog_.nodes) inline_all_of(node);
    if (!check_cycles()) return false;
    link_ref_chains();
    for (Node& node : prog_.nodes) assign_member_memo(node);
    // Node::solo. Without the eval() around it, that keyword's own applicators still pass
    // through eval() (and its depth check) for every subschema they run.
    if (!prog_.uses_dynamic_scope) {
      for (Node& node : prog_.nodes) {
        if (!node.is_bool && !node.tracks_annotations && node.type_mask == 0x7F &&
            node.memo_names == 0 && node.flag_keywords.size() == 1)
          node.solo = node.flag_keywords[0];
      }
    }
    return true;
  }

  CompileError error;

 private:
  // When every name in `required` is also in the same node's `properties`, flag mode checks
  // presence during the properties pass (which looks every member up anyway) instead of a
  // second pass over the members; basic mode keeps the separate keyword for its error.
  static void fold_required(Node& node) {
    Keyword* props = properties_of(node);
    if (!props || props->names.size() > 64) return;
    for (Keyword& k : node.keywords) {
      uint64_t mask = 0;
      if (k.op != Op::required || k.names.empty() ||
          !positions_in(props->name_table, k.names, &mask))
        continue;
      props->required_mask |= mask;
      k.flag = true;  // folded into props
    }
  }

  // Flag mode: an `allOf` is the conjunction of its subschemas' keywords on the same
  // instance, so when none of them restricts the type or collects annotations, the node
  // runs their keywords in its own list (nested allOfs too) instead of evaluating each
  // subschema as a node of its own. Only without dynamic references, which would see the
  // resources of the subschemas in the dynamic scope.
  static void inline_all_of(Node& node) {
    if (node.is_bool || node.tracks_annotations) return;
    auto inlinable = [&](const Keyword& k) {
      if (k.op != Op::all_of) return false;
      for (const Node* c : k.children) {
        if (c == &node || c->tracks_annotations || (c->is_bool && !c->bool_value) ||
            (!c->is_bool && c->type_mask != 0x7F))
          return false;
      }
      return true;
    };
    if (std::none_of(node.flag_keywords.begin(), node.flag_keywords.end(),
                     [&](const Keyword* k) { return inlinable(*k); }))
      return;
    std::vector<const Keyword*> list;
    for (const Keyword* k : node.flag_keywords) {
      if (!inlinable(*k)) {
        list.push_back(k);
        continue;
      }
      for (const Node* c : k->children) {
        if (c->is_bool) continue;  // `true`
        // The builder owns every node; subschemas of an allOf nest, so this ends.
        Node& child = const_cast<Node&>(*c);
        inline_all_of(child);
        list.insert(list.end(), child.flag_keywords.begin(), child.flag_keywords.end());
      }
    }
    node.flag_keywords = std::move(list);
  }

  static Keyword* properties_of(Node& node) {
    for (Keyword& k : node.keywords)
      if (k.op == Op::properties) return &k;
    return nullptr;
  }

  // Where each of `names` is in `table` (at most 64 entries): ORs their bits into *mask and,
  // when given, appends their indexes to *index. False when a name is not in the table.
  static bool positions_in(const NameTable& table, const std::vector<std::string>& names,
                           uint64_t* mask, std::vector<uint8_t>* index = nullptr) {
    for (const std::string& name : names) {
      const int j = table.find(name);
      if (j < 0) return false;
      *mask |= uint64_t(1) << j;
      if (index) index->push_back(static_cast<uint8_t>(j));
    }
    return true;
  }

  // Makes `owner` a member-memo node (see Node::memo_names) when a subschema applied in
  // place below it (through allOf/anyOf/oneOf/not/if/then/else/dependentSchemas/$ref, on
  // the same instance) has a `properties` or `required` whose names are all among the
  // owner's `properties`. A subschema reached from several owners serves the first; the
  // evaluator checks the owner before reading a memo.
  void assign_member_memo(Node& owner) {
    if (owner.is_bool || owner.tracks_annotations || prog_.uses_dynamic_scope) return;
    Keyword* props = properties_of(owner);
    if (!props || props->names.empty() || props->names.size() > 64) return;
    // A name written twice in `properties` (the parser keeps both) would be recorded under
    // either index while readers look up the first: no memo then.
    for (size_t i = 0; i < props->names.size(); ++i) {
      if (props->name_table.find(props->names[i]) != static_cast<int>(i)) return;
    }
    bool used = false;
    std::vector<const Node*> todo;
    std::unordered_set<const Node*> seen{&owner};
    auto push_in_place = [&](const Node& n) {
      for (const Keyword& k : n.keywords) {
        switch (k.op) {
          case Op::ref:
          case Op::all_of:
          case Op::any_of:
          case Op::one_of:
          case Op::not_:
          case Op::if_then_else:
          case Op::dependent_schemas:
            for (const Node* c : {k.child, k.child2, k.child3})
              if (c && seen.insert(c).second) todo.push_back(c);
            for (const Node* c : k.children)
              if (seen.insert(c).second) todo.push_back(c);
            break;
          default:
            break;
        }
      }
    };
    push_in_place(owner);
    while (!todo.empty()) {
      // The builder owns every node (prog_.nodes); the graph hands out const pointers.
      Node& n = const_cast<Node&>(*todo.back());
      todo.pop_back();
      if (n.is_bool || n.tracks_annotations) continue;
      for (Keyword& k : n.keywords) {
        if (k.memo_owner) continue;
        const bool reads = (k.op == Op::properties && !k.additional && k.patterns.empty()) ||
                           (k.op == Op::required && !k.flag);
        if (!reads || k.names.empty()) continue;
        uint64_t mask = 0;
        std::vector<uint8_t> index;
        if (!positions_in(props->name_table, k.names, &mask,
                          k.op == Op::properties ? &index : nullptr))
          continue;
        k.memo_owner = &owner;
        k.memo_index = std::move(index);  // properties
        k.memo_mask = mask;               // required
        used = true;
      }
      push_in_place(n);
    }
    if (!used) return;
    owner.memo_names = static_cast<uint32_t>(props->names.size());
    props->memo_fill = &owner;
    // The properties pass fills the memo, so it runs before the keywords that read it.
    auto& fk = owner.flag_keywords;
    auto it = std::find(fk.begin(), fk.end(), props);
    if (it != fk.end()) std::rotate(fk.begin(), it, it + 1);
  }

  // A node whose only keyword is a static `$ref` passes its instance on unchanged, so flag
  // mode can go straight to the end of the chain. Only without dynamic references: then the
  // resources a chain passes through (the dynamic scope) are never read. check_cycles has
  // refused chains that loop (the hop limit is a second guard).
  void link_ref_chains() {
    auto ref_only = [](const Node& n) {
      return !n.is_bool && !n.tracks_annotations && n.keywords.size() == 1 &&
             n.keywords[0].op == Op::ref;
    };
    for (Node& node : prog_.nodes) {
      node.flag_target = &node;
      if (prog_.uses_dynamic_scope) continue;
      const Node* target = &node;
      for (size_t hops = 0; ref_only(*target) && hops <= prog_.nodes.size(); ++hops)
        target = target->keywords[0].child;
      if (!ref_only(*target)) node.flag_target = target;
    }
  }

  uint32_t resource_index(const std::string& base) {
    auto it = resource_ids_.find(base);
    if (it != resource_ids_.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(prog_.resources.size());
    prog_.resources.push_back(ResourceInfo{display_uri(base), {}, nullptr});
    prog_.resources.back().uri = base;  // internal URI; display form is derived when printing
    resource_ids_[base] = id;
    return id;
  }

  bool fill(const json::Value* v, Node* n);
  bool check_cycles();

  SchemaStore& store_;
  Program& prog_;
  std::unordered_map<const json::Value*, const Node*> memo_;
  std::vector<std::pair<const json::Value*, Node*>> queue_;
  std::unordered_map<std::string, uint32_t> resource_ids_;
};

bool ProgramBuilder::fill(const json::Value* v, Node* n) {
  const SchemaLocation* locp = store_.location(v);
  SchemaLocation loc = locp ? *locp : SchemaLocation{};
  const std::string shown = display_uri(loc.base);
  n->resource = resource_index(loc.base);
  n->abs_location = shown + "#" + encode_fragment(loc.pointer);

  auto fail = [&](std::string message, std::string_view keyword) {
    std::string where = loc.pointer;
    if (!keyword.empty()) append_pointer_token(where, keyword);
    error = CompileError{std::move(message), shown, where};
    return false;
  };
  if (v->is_bool()) {
    n->is_bool = true;
    n->bool_value = v->as_bool();
    return true;
  }
  if (!v->is_object()) {
    return fail(
        "a schema must be an object or a boolean, got " + std::string(json::type_name(v->type())),
        "");
  }

  const Dialect d = loc.dialect;
  const uint16_t vocab = loc.vocab;
  const bool legacy = d <= Dialect::draft7;
  auto has = [&](uint16_t bit) { return (vocab & bit) != 0; };
  auto kw_abs = [&](std::string_view name) {
    std::string p = loc.pointer;
    append_pointer_token(p, name);
    return shown + "#" + encode_fragment(p);
  };
  auto add = [&](Op op, std::string_view name) -> Keyword& {
    Keyword& k = n->keywords.emplace_back();
    k.op = op;
    k.name = std::string(name);
    k.abs_location = kw_abs(name);
    return k;
  };
  auto find = [&](std::string_view name) { return v->find(name); };
  auto schema_value = [](const json::Value* c) { return c && (c->is_object() || c->is_bool()); };
  auto child_at = [&](const json::Value* c, std::string_view kw, std::string_view key = {},
                      bool has_key = false) {
    SchemaLocation cl = loc;
    append_pointer_token(cl.pointer, kw);
    if (has_key) append_pointer_token(cl.pointer, key);
    store_.index_at(c, cl);
    return get(c);
  };
  auto resolve_ref = [&](std::string_view kw, const json::Value* ref,
                         bool* dynamic) -> const Node* {
    if (!ref->is_string()) {
      fail("\"" + std::string(kw) + "\" must be a string, got " +
               std::string(json::type_name(ref->type())),
           kw);
      return nullptr;
    }
    std::string target_uri = resolve_uri(loc.base, ref->as_string());
    std::string why;
    const json::Value* target = store_.resolve(target_uri, &why, dynamic);
    if (!target) {
      fail("cannot resolve " + std::string(kw) + " " + quoted(ref->as_string()) + ": " + why, kw);
      return nullptr;
    }
    return get(target);
  };

  // ---- core: references -------------------------------------------------------------
  if (const json::Value* ref = find("$ref")) {
    const Node* target = resolve_ref("$ref", ref, nullptr);
    if (!target) return false;
    add(Op::ref, "$ref").child = target;
    if (legacy) return true;  // draft-04..07: $ref replaces its siblings
  }
  if (d == Dialect::draft2019_09) {
    if (const json::Value* ref = find("$recursiveRef")) {
      const Node* target = resolve_ref("$recursiveRef", ref, nullptr);
      if (!target) return false;
      Keyword& k = add(Op::recursive_ref, "$recursiveRef");
      k.child = target;
      std::string why;
      const json::Value* tv = store_.resolve(resolve_uri(loc.base, ref->as_string()), &why);
      k.flag = tv && store_.has_recursive_anchor(tv);
    }
  }
  if (d == Dialect::draft2020_12) {
    if (const json::Value* ref = find("$dynamicRef")) {
      bool dynamic = false;
      const Node* target = resolve_ref("$dynamicRef", ref, &dynamic);
      if (!target) return false;
      Keyword& k = add(Op::dynamic_ref, "$dynamicRef");
      k.child = target;
      UriParts parts = split_fragment(ref->as_string());
      // Only a plain-name fragment that lands on a $dynamicAnchor is resolved dynamically.
      k.flag = dynamic && parts.has_fragment && !parts.fragment.empty() && parts.fragment[0] != '/';
      k.names.emplace_back(parts.fragment);
    }
  }

  // ---- validation: assertions (cheap checks first) -----------------------------------
  if (has(kVocabValidation)) {
    if (const json::Value* t = find("type")) {
      uint8_t mask = 0;
      auto add_type = [&](const json::Value& s) {
        if (!s.is_string()) return false;
        std::string_view name = s.as_string();
        if (name == "null")
          mask |= kNull;
        else if (name == "boolean")
          mask |= kBoolean;
        else if (name == "object")
          mask |= kObject;
        else if (name == "array")
          mask |= kArray;
        else if (name == "number")
          mask |= kNumber;
        else if (name == "string")
          mask |= kString;
        else if (name == "integer")
          mask |= kInteger;
        else if (name == "any" && d == Dialect::draft4)
          mask |= 0x7f;
        else
          return false;
        return true;
      };
      if (t->is_array()) {
        for (uint32_t i = 0; i < t->size(); ++i) {
          if (!add_type((*t)[i])) {
            return fail(
                "invalid \"type\": unknown type " + json::to_string((*t)[i]) +
                    " (expected one of null, boolean, object, array, number, string, integer)",
                "type");
          }
        }
      } else if (!add_type(*t)) {
        return fail("invalid \"type\": unknown type " + json::to_string(*t) +
                        " (expected one of null, boolean, object, array, number, string, integer)",
                    "type");
      }
      Keyword& k = add(Op::type, "type");
      k.type_mask = mask;
      k.flag = d == Dialect::draft4;  // draft-04: 1.0 is a number but not an integer
    }
    if (const json::Value* e = find("enum")) {
      if (!e->is_array()) return fail("invalid \"enum\": must be an array", "enum");
      Keyword& k = add(Op::enum_, "enum");
      k.all_strings = true;
      for (uint32_t i = 0; i < e->size(); ++i) {
        k.values.push_back((*e)[i]);
        if (!(*e)[i].is_string()) k.all_strings = false;
      }
    }
    if (d >= Dialect::draft6) {
      if (const json::Value* c = find("const")) add(Op::const_, "const").values.push_back(*c);
    }
    if (const json::Value* m = find("multipleOf")) {
      if (!m->is_number() || !(m->as_double() > 0) || m->number_text()[0] == '-') {
        return fail(
            "invalid \"multipleOf\": must be a number greater than 0, got " + json::to_string(*m),
            "multipleOf");
      }
      Keyword& k = add(Op::multiple_of, "multipleOf");
      k.number = *m;
      k.divisor = json::Divisor(k.number.number_text());
    }
    auto limit = [&](std::string_view name, Op op, Op exclusive_op,
                     std::string_view draft4_flag) -> bool {
      const json::Value* m = find(name);
      if (!m) return true;
      if (!m->is_number()) {
        return fail(
            "invalid \"" + std::string(name) + "\": must be a number, got " + json::to_string(*m),
            name);
      }
      bool exclusive = false;
      if (d == Dialect::draft4) {
        if (const json::Value* f = find(draft4_flag); f && f->is_bool()) exclusive = f->as_bool();
      }
      add(exclusive ? exclusive_op : op, name).number = *m;
      return true;
    };
    if (!limit("maximum", Op::maximum, Op::exclusive_maximum, "exclusiveMaximum")) return false;
    if (!limit("minimum", Op::minimum, Op::exclusive_minimum, "exclusiveMinimum")) return false;
    if (d >= Dialect::draft6) {
      if (!limit("exclusiveMaximum", Op::exclusive_maximum, Op::exclusive_maximum, ""))
        return false;
      if (!limit("exclusiveMinimum", Op::exclusive_minimum, Op::exclusive_minimum, ""))
        return false;
    }
    auto count = [&](std::string_view name, Op op) -> bool {
      const json::Value* m = find(name);
      if (!m) return true;
      uint64_t c = 0;
      if (!non_negative_integer(*m, &c)) {
        return fail("invalid \"" + std::string(name) + "\": must be a non-negative integer, got " +
                        json::to_string(*m),
                    name);
      }
      add(op, name).count = c;
      return true;
    };
    if (!count("maxLength", Op::max_length) || !count("minLength", Op::min_length) ||
        !count("maxItems", Op::max_items) || !count("minItems", Op::min_items) ||
        !count("maxProperties", Op::max_properties) ||
        !count("minProperties", Op::min_properties)) {
      return false;
    }
    if (const json::Value* p = find("pattern")) {
      if (!p->is_string()) return fail("invalid \"pattern\": must be a string", "pattern");
      auto re = regex::Regex::compile(p->as_string());
      if (!re) {
        return fail("invalid \"pattern\" " + quoted(p->as_string()) + ": " + re.error().to_string(),
                    "pattern");
      }
      Keyword& k = add(Op::pattern, "pattern");
      k.regex = std::make_unique<regex::Regex>(std::move(re.value()));
      k.names.emplace_back(p->as_string());
    }
    if (const json::Value* u = find("uniqueItems")) {
      if (!u->is_bool()) return fail("invalid \"uniqueItems\": must be a boolean", "uniqueItems");
      if (u->as_bool()) add(Op::unique_items, "uniqueItems");
    }
    if (const json::Value* r = find("required")) {
      if (!r->is_array() || (d == Dialect::draft4 && r->size() == 0 && false)) {
        return fail(
            "invalid \"required\": must be an array of property names, got " + json::to_string(*r),
            "required");
      }
      Keyword& k = add(Op::required, "required");
      for (uint32_t i = 0; i < r->size(); ++i) {
        if (!(*r)[i].is_string()) {
          return fail("invalid \"required\": item " + std::to_string(i) + " is not a string",
                      "required");
        }
        k.names.emplace_back((*r)[i].as_string());
      }
    }
    if (d >= Dialect::draft2019_09) {
      if (const json::Value* dr = find("dependentRequired")) {
        if (!dr->is_object())
          return fail("invalid \"dependentRequired\": must be an object", "dependentRequired");
        Keyword& k = add(Op::dependent_required, "dependentRequired");
        for (auto m = dr->begin_members(); m != dr->end_members(); ++m) {
          if (!m->value.is_array()) {
            return fail(
                "invalid \"dependentRequired\": value of " + quoted(m->key) + " must be an array",
                "dependentRequired");
          }
          k.names.emplace_back(m->key);
          auto& list = k.deps.emplace_back();
          for (uint32_t i = 0; i < m->value.size(); ++i) {
            if (!m->value[i].is_string())
              return fail("invalid \"dependentRequired\": names must be strings",
                          "dependentRequired");
            list.emplace_back(m->value[i].as_string());
          }
        }
      }
    }
  }
  // ---- format -------------------------------------------------------------------------
  if (const json::Value* f = find("format"); f && f->is_string()) {
    bool assert_it = store_.options().assert_formats || has(kVocabFormatAssertion);
    if (assert_it) {
      if (FormatCheck check = find_format(f->as_string())) {
        Keyword& k = add(Op::format, "format");
        k.format_check = check;
        k.names.emplace_back(f->as_string());
      }
    }
  }

  // ---- draft-07 content assertions (annotations only from 2019-09 on) ---------------
  if (d == Dialect::draft7) {
    const json::Value* enc = find("contentEncoding");
    const json::Value* media = find("contentMediaType");
    bool base64 = enc && enc->is_string() && enc->as_string() == "base64";
    bool is_json = media && media->is_string() && media->as_string() == "application/json";
    if (base64 || is_json) {
      Keyword& k = add(Op::content, base64 ? "contentEncoding" : "contentMediaType");
      k.flag = base64;
      k.all_strings = is_json;
    }
  }

  // ---- applicators --------------------------------------------------------------------
  if (has(kVocabApplicator)) {
    // Legacy "dependencies" (draft-04..07; later drafts split it into dependentRequired and
    // dependentSchemas, and we keep honouring it there for compatibility).
    if (const json::Value* deps = find("dependencies"); deps && deps->is_object()) {
      Keyword req{Op::dependent_required};
      Keyword sch{Op::dependent_schemas};
      for (auto m = deps->begin_members(); m != deps->end_members(); ++m) {
        if (m->value.is_array()) {
          req.names.emplace_back(m->key);
          auto& list = req.deps.emplace_back();
          for (uint32_t i = 0; i < m->value.size(); ++i) {
            if (!m->value[i].is_string())
              return fail("invalid \"dependencies\": names must be strings", "dependencies");
            list.emplace_back(m->value[i].as_string());
          }
        } else if (schema_value(&m->value)) {
          sch.names.emplace_back(m->key);
          sch.children.push_back(child_at(&m->value, "dependencies", m->key, true));
        } else {
          return fail("invalid \"dependencies\": value of " + quoted(m->key) +
                          " must be an array or a schema",
                      "dependencies");
        }
      }
      for (Keyword* k : {&req, &sch}) {
        if (k->names.empty()) continue;
        Keyword& added = add(k->op, "dependencies");
        added.names = std::move(k->names);
        added.deps = std::move(k->deps);
        added.children = std::move(k->children);
      }
    }
    for (std::string_view name : {"allOf", "anyOf", "oneOf"}) {
      const json::Value* a = find(name);
      if (!a) continue;
      if (!a->is_array() || a->size() == 0) {
        return fail("invalid \"" + std::string(name) + "\": must be a non-empty array of schemas",
                    name);
      }
      Keyword& k = add(name == "allOf"   ? Op::all_of
                       : name == "anyOf" ? Op::any_of
                                         : Op::one_of,
                       name);
      for (uint32_t i = 0; i < a->size(); ++i) {
        if (!schema_value(&(*a)[i])) {
          return fail("invalid \"" + std::string(name) + "\": item " + std::to_string(i) +
                          " is not a schema",
                      name);
        }
        k.children.push_back(child_at(&(*a)[i], name, std::to_string(i), true));
      }
    }
    if (const json::Value* c = find("not")) {
      if (!schema_value(c)) return fail("invalid \"not\": must be a schema", "not");
      add(Op::not_, "not").child = child_at(c, "not");
    }
    if (d >= Dialect::draft7) {
      // `if` alone never fails but its annotations still count for unevaluated*.
      if (const json::Value* c = find("if"); c && schema_value(c)) {
        const json::Value* t = find("then");
        const json::Value* e = find("else");
        Keyword& k = add(Op::if_then_else, "if");
        k.child = child_at(c, "if");
        if (t && schema_value(t)) {
          k.child2 = child_at(t, "then");
          k.child2_abs = kw_abs("then");
        }
        if (e && schema_value(e)) {
          k.child3 = child_at(e, "else");
          k.child3_abs = kw_abs("else");
        }
      }
    }
    if (d >= Dialect::draft2019_09) {
      if (const json::Value* ds = find("dependentSchemas")) {
        if (!ds->is_object())
          return fail("invalid \"dependentSchemas\": must be an object", "dependentSchemas");
        Keyword& k = add(Op::dependent_schemas, "dependentSchemas");
        for (auto m = ds->begin_members(); m != ds->end_members(); ++m) {
          if (!schema_value(&m->value))
            return fail(
                "invalid \"dependentSchemas\": value of " + quoted(m->key) + " must be a schema",
                "dependentSchemas");
          k.names.emplace_back(m->key);
          k.children.push_back(child_at(&m->value, "dependentSchemas", m->key, true));
        }
      }
    }
    // properties + patternProperties + additionalProperties form one instruction.
    const json::Value* props = find("properties");
    const json::Value* pprops = find("patternProperties");
    const json::Value* addl = find("additionalProperties");
    if (props || pprops || addl) {
      if (props && !props->is_object())
        return fail("invalid \"properties\": must be an object", "properties");
      if (pprops && !pprops->is_object())
        return fail("invalid \"patternProperties\": must be an object", "patternProperties");
      if (addl && !schema_value(addl))
        return fail("invalid \"additionalProperties\": must be a schema", "additionalProperties");
      Keyword& k = add(Op::properties, "properties");
      if (props) {
        for (auto m = props->begin_members(); m != props->end_members(); ++m) {
          if (!schema_value(&m->value))
            return fail("invalid \"properties\": value of " + quoted(m->key) + " must be a schema",
                        "properties");
          k.names.emplace_back(m->key);
          k.children.push_back(child_at(&m->value, "properties", m->key, true));
        }
      }
      if (pprops) {
        for (auto m = pprops->begin_members(); m != pprops->end_members(); ++m) {
          if (!schema_value(&m->value))
            return fail(
                "invalid \"patternProperties\": value of " + quoted(m->key) + " must be a schema",
                "patternProperties");
          auto re = regex::Regex::compile(m->key);
          if (!re)
            return fail("invalid \"patternProperties\" pattern " + quoted(m->key) + ": " +
                            re.error().to_string(),
                        "patternProperties");
          k.patterns.push_back(
              PatternChild{std::move(re.value()), std::string(m->key),
                           child_at(&m->value, "patternProperties", m->key, true)});
        }
      }
      k.patterns_abs_location = kw_abs("patternProperties");
      if (addl) {
        k.additional = child_at(addl, "additionalProperties");
        k.additional_abs_location = kw_abs("additionalProperties");
      }
    }
    if (d >= Dialect::draft6) {
      if (const json::Value* c = find("propertyNames")) {
        if (!schema_value(c))
          return fail("invalid \"propertyNames\": must be a schema", "propertyNames");
        add(Op::property_names, "propertyNames").child = child_at(c, "propertyNames");
      }
    }
    // Arrays: prefixItems/items (2020-12) or items/additionalItems (earlier drafts).
    if (d == Dialect::draft2020_12) {
      const json::Value* prefix = find("prefixItems");
      const json::Value* items = find("items");
      if (prefix && !prefix->is_array())
        return fail("invalid \"prefixItems\": must be an array of schemas", "prefixItems");
      if (items && !schema_value(items))
        return fail("invalid \"items\": must be a schema", "items");
      if (prefix || items) {
        Keyword& k = add(Op::items, prefix ? "prefixItems" : "items");
        if (prefix) {
          k.flag = true;
          for (uint32_t i = 0; i < prefix->size(); ++i) {
            if (!schema_value(&(*prefix)[i]))
              return fail("invalid \"prefixItems\": item " + std::to_string(i) + " is not a schema",
                          "prefixItems");
            k.children.push_back(child_at(&(*prefix)[i], "prefixItems", std::to_string(i), true));
          }
        }
        if (items) {
          k.child = child_at(items, "items");
          k.rest_name = "items";
          k.rest_abs_location = kw_abs("items");
        }
      }
    } else {
      const json::Value* items = find("items");
      if (items) {
        if (items->is_array()) {
          Keyword& k = add(Op::items, "items");
          k.flag = true;
          for (uint32_t i = 0; i < items->size(); ++i) {
            if (!schema_value(&(*items)[i]))
              return fail("invalid \"items\": item " + std::to_string(i) + " is not a schema",
                          "items");
            k.children.push_back(child_at(&(*items)[i], "items", std::to_string(i), true));
          }
          if (const json::Value* ai = find("additionalItems")) {
            if (!schema_value(ai))
              return fail("invalid \"additionalItems\": must be a schema", "additionalItems");
            k.child = child_at(ai, "additionalItems");
            k.rest_name = "additionalItems";
            k.rest_abs_location = kw_abs("additionalItems");
          }
        } else if (schema_value(items)) {
          Keyword& k = add(Op::items, "items");
          k.child = child_at(items, "items");
          k.rest_name = "items";
          k.rest_abs_location = kw_abs("items");
        } else {
          return fail("invalid \"items\": must be a schema or an array of schemas", "items");
        }
      }
    }
    if (d >= Dialect::draft6) {
      if (const json::Value* c = find("contains")) {
        if (!schema_value(c)) return fail("invalid \"contains\": must be a schema", "contains");
        Keyword& k = add(Op::contains, "contains");
        k.child = child_at(c, "contains");
        k.flag = d == Dialect::draft2020_12;  // only 2020-12 lets contains feed unevaluatedItems
        k.count = 1;
        k.count2 = UINT64_MAX;
        if (d >= Dialect::draft2019_09 && has(kVocabValidation)) {
          if (const json::Value* mn = find("minContains")) {
            if (!non_negative_integer(*mn, &k.count))
              return fail("invalid \"minContains\": must be a non-negative integer", "minContains");
          }
          if (const json::Value* mx = find("maxContains")) {
            if (!non_negative_integer(*mx, &k.count2))
              return fail("invalid \"maxContains\": must be a non-negative integer", "maxContains");
          }
        }
      }
    }
  }
  // ---- unevaluated* run last: they need every other keyword's annotations --------------
  if (d >= Dialect::draft2019_09 && has(kVocabUnevaluated)) {
    if (const json::Value* c = find("unevaluatedItems")) {
      if (!schema_value(c))
        return fail("invalid \"unevaluatedItems\": must be a schema", "unevaluatedItems");
      add(Op::unevaluated_items, "unevaluatedItems").child = child_at(c, "unevaluatedItems");
      n->tracks_annotations = true;
    }
    if (const json::Value* c = find("unevaluatedProperties")) {
      if (!schema_value(c))
        return fail("invalid \"unevaluatedProperties\": must be a schema", "unevaluatedProperties");
      add(Op::unevaluated_properties, "unevaluatedProperties").child =
          child_at(c, "unevaluatedProperties");
      n->tracks_annotations = true;
    }
  }
  return true;
}

// A cycle of in-place applicators ($ref, allOf, ...) would evaluate the same instance
// forever: reject it at compile time, naming the path.
bool ProgramBuilder::check_cycles() {
  enum Color : uint8_t { white, gray, black };
  std::unordered_map<const Node*, Color> color;
  struct Edge {
    const Node* to;
    const Keyword* via;
  };
  auto edges_of = [](const Node* n) {
    std::vector<Edge> out;
    for (const Keyword& k : n->keywords) {
      switch (k.op) {
        case Op::ref:
          out.push_back({k.child, &k});
          break;
        case Op::dynamic_ref:
        case Op::recursive_ref:
          if (!k.flag) out.push_back({k.child, &k});
          break;
        case Op::all_of:
        case Op::any_of:
        case Op::one_of:
        case Op::dependent_schemas:
          for (const Node* c : k.children) out.push_back({c, &k});
          break;
        case Op::not_:
          out.push_back({k.child, &k});
          break;
        case Op::if_then_else:
          out.push_back({k.child, &k});
          if (k.child2) out.push_back({k.child2, &k});
          if (k.child3) out.push_back({k.child3, &k});
          break;
        default:
          break;
      }
    }
    return out;
  };
  struct Frame {
    const Node* node;
    std::vector<Edge> edges;
    size_t next;
    const Keyword* via;
  };
  for (const Node& start : prog_.nodes) {
    if (color[&start] != white) continue;
    std::vector<Frame> stack;
    stack.push_back({&start, edges_of(&start), 0, nullptr});
    color[&start] = gray;
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next == f.edges.size()) {
        color[f.node] = black;
        stack.pop_back();
        continue;
      }
      Edge e = f.edges[f.next++];
      Color c = color[e.to];
      if (c == gray) {
        std::string path;
        size_t from = 0;
        for (size_t i = 0; i < stack.size(); ++i)
          if (stack[i].node == e.to) from = i;
        for (size_t i = from + 1; i < stack.size(); ++i)
          path += stack[i].via->abs_location + " -> ";
        path += e.via->abs_location;
        std::string loc = e.via->abs_location;
        size_t hash = loc.find('#');
        error = CompileError{"reference cycle that never advances in the instance: " + path,
                             loc.substr(0, hash), percent_decode(loc.substr(hash + 1))};
        return false;
      }
      if (c == white) {
        color[e.to] = gray;
        stack.push_back({e.to, edges_of(e.to), 0, e.via});
      }
    }
  }
  return true;
}

}  // namespace
}  // namespace internal

// ---- public API -----------------------------------------------------------------------

using internal::SchemaStore;

Compiler::Compiler(CompileOptions options)
    : store_(std::make_unique<SchemaStore>(std::move(options))) {}
Compiler::~Compiler() = default;
Compiler::Compiler(Compiler&&) noexcept = default;
Compiler& Compiler::operator=(Compiler&&) noexcept = default;

const CompileOptions& Compiler::options() const { return store_->options(); }

void Compiler::add_ref_map(RefMap map) { store_->options().ref_maps.push_back(std::move(map)); }

Result<std::string, CompileError> Compiler::add_schema(std::string_view schema_json,
                                                       std::string_view uri) {
  std::string target(uri);
  if (target.empty()) {
    json::Document probe;
    json::ParseOptions popts;
    popts.max_depth = 10000;
    auto parsed = probe.parse(schema_json, popts);
    if (!parsed)
      return Failure(CompileError{"invalid JSON in schema: " + parsed.error().to_string(), "", ""});
    const json::Value* root = parsed.value();
    const json::Value* id = root->is_object() ? root->find("$id") : nullptr;
    if (!id && root->is_object()) id = root->find("id");
    if (!id || !id->is_string()) {
      return Failure(
          CompileError{"schema has no \"$id\": give the URI to register it under", "", ""});
    }
    target = std::string(internal::split_fragment(id->as_string()).without_fragment);
  }
  auto r = store_->add_document(schema_json, target);
  if (!r) return Failure(r.error());
  return target;
}

Result<Validator, CompileError> Compiler::compile(std::string_view schema_json,
                                                  std::string_view uri) {
  static std::atomic<uint64_t> anon_counter{0};
  std::string base(uri);
  if (base.empty()) base = std::string(internal::kAnonPrefix) + std::to_string(++anon_counter);
  auto root = store_->add_document(schema_json, base);
  if (!root) return Failure(root.error());
  auto prog = std::make_shared<internal::Program>();
  prog->regex_step_budget = store_->options().regex_step_budget;
  prog->evaluation_budget = store_->options().evaluation_budget;
  internal::ProgramBuilder builder(*store_, *prog);
  const bool built = builder.build(root.value());
  if (const internal::SchemaLocation* l = store_->location(root.value()))
    prog->dialect = l->dialect;
  prog->documents = store_->documents();
  // A root without a URI cannot be referred to again: drop it from the store.
  if (uri.empty()) store_->forget_document(root.value());
  if (!built) return Failure(builder.error);
  return Validator(std::move(prog));
}

Result<Validator, CompileError> Compiler::compile_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Failure(
        CompileError{"cannot read schema file \"" + path + "\": " + std::strerror(errno), "", ""});
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  char resolved[PATH_MAX];
  std::string abs = realpath(path.c_str(), resolved) ? std::string(resolved) : path;
  return compile(ss.str(), "file://" + abs);
}

Validator::Validator(std::shared_ptr<const internal::Program> p) : program_(std::move(p)) {}
Validator::~Validator() = default;
Dialect Validator::dialect() const { return program_->dialect; }

}  // namespace hotpath::schema
