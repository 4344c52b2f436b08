#include "store.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "metaschemas.h"
#include "uri.h"

namespace hotpath::schema::internal {
namespace {

std::string strip_hash(std::string_view uri) {
  if (!uri.empty() && uri.back() == '#') uri.remove_suffix(1);
  return std::string(uri);
}

const json::Value* member(const json::Value* v, std::string_view key) {
  return v && v->is_object() ? v->find(key) : nullptr;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return static_cast<bool>(in) || in.eof();
}

bool is_schema_value(const json::Value* v) { return v->is_object() || v->is_bool(); }

}  // namespace

uint16_t default_vocab(Dialect d) {
  (void)d;
  return kVocabAll;
}

bool SchemaStore::dialect_for(const std::string& schema_uri, Dialect* dialect, uint16_t* vocab,
                              std::string* why, int depth) {
  if (auto d = dialect_from_name(schema_uri)) {
    *dialect = *d;
    *vocab = default_vocab(*d);
    return true;
  }
  if (depth > 8) {
    *why = "metaschema chain too long at \"" + schema_uri + "\"";
    return false;
  }
  std::string uri = strip_hash(schema_uri);
  std::string inner_why;
  const Resource* meta = find_resource(uri, &inner_why);
  if (!meta) {
    *why = "unknown $schema \"" + schema_uri +
           "\": not a built-in metaschema and not resolvable (" + inner_why + ")";
    return false;
  }
  const json::Value* parent = member(meta->root, "$schema");
  if (!parent || !parent->is_string()) {
    *why = "metaschema \"" + schema_uri + "\" has no $schema naming its dialect";
    return false;
  }
  if (!dialect_for(std::string(parent->as_string()), dialect, vocab, why, depth + 1)) return false;
  const json::Value* vocabulary = member(meta->root, "$vocabulary");
  if (vocabulary && vocabulary->is_object() && *dialect >= Dialect::draft2019_09) {
    uint16_t bits = 0;
    for (auto m = vocabulary->begin_members(); m != vocabulary->end_members(); ++m) {
      std::string_view k = m->key;
      auto ends = [&](std::string_view suffix) {
        return k.size() >= suffix.size() && k.substr(k.size() - suffix.size()) == suffix &&
               k.find("json-schema.org/draft/") != std::string_view::npos;
      };
      if (ends("/vocab/core"))
        bits |= kVocabCore;
      else if (ends("/vocab/applicator"))
        bits |= kVocabApplicator | (*dialect == Dialect::draft2019_09 ? kVocabUnevaluated : 0);
      else if (ends("/vocab/unevaluated"))
        bits |= kVocabUnevaluated;
      else if (ends("/vocab/validation"))
        bits |= kVocabValidation;
      else if (ends("/vocab/meta-data"))
        bits |= kVocabMetaData;
      else if (ends("/vocab/format-annotation") || ends("/vocab/format"))
        bits |= kVocabFormatAnnotation;
      else if (ends("/vocab/format-assertion"))
        bits |= kVocabFormatAssertion;
      else if (ends("/vocab/content"))
        bits |= kVocabContent;
      else if (m->value.is_bool() && m->value.as_bool()) {
        *why = "metaschema \"" + schema_uri + "\" requires unknown vocabulary \"" + std::string(k) +
               "\"";
        return false;
      }
    }
    *vocab = bits | kVocabCore;
  }
  return true;
}

Result<const json::Value*, CompileError> SchemaStore::load_text(std::string_view text,
                                                                const std::string& uri,
                                                                Dialect dialect) {
  auto doc = std::make_shared<json::Document>();
  json::ParseOptions popts;
  popts.max_depth = 10000;
  auto parsed = doc->parse(text, popts);
  if (!parsed) {
    return Failure(CompileError{"invalid JSON in schema: " + parsed.error().to_string(), uri, ""});
  }
  const json::Value* root = parsed.value();
  documents_.push_back(doc);
  root_docs_[root] = doc.get();
  const json::Document* saved_doc = current_doc_;
  current_doc_ = doc.get();
  SchemaLocation loc;
  loc.base = uri;
  loc.dialect = dialect;
  loc.vocab = default_vocab(dialect);
  if (const json::Value* s = member(root, "$schema"); s && s->is_string()) {
    std::string why;
    if (!dialect_for(std::string(s->as_string()), &loc.dialect, &loc.vocab, &why)) {
      return Failure(CompileError{why, uri, "/$schema"});
    }
  }
  if (!uri.empty()) resources_[uri] = Resource{uri, root};
  walk(root, loc, root);
  current_doc_ = saved_doc;
  if (!pending_error_.empty()) {
    std::string e = std::move(pending_error_);
    pending_error_.clear();
    return Failure(CompileError{e, uri, ""});
  }
  return root;
}

Result<const json::Value*, CompileError> SchemaStore::add_document(std::string_view text,
                                                                   const std::string& uri) {
  return load_text(text, uri, options_.default_dialect);
}

void SchemaStore::walk(const json::Value* v, SchemaLocation loc, const json::Value* doc_root) {
  if (v->is_bool()) {
    if (locations_.emplace(v, loc).second && current_doc_) doc_values_[current_doc_].push_back(v);
    return;
  }
  if (!v->is_object()) return;
  const bool legacy = loc.dialect <= Dialect::draft7;
  const json::Value* ref = member(v, "$ref");
  const bool ref_overrides = legacy && ref && ref->is_string();
  const json::Value* id = member(v, loc.dialect == Dialect::draft4 ? "id" : "$id");
  if (id && id->is_string() && !ref_overrides) {
    std::string_view ids = id->as_string();
    if (legacy && !ids.empty() && ids[0] == '#') {
      anchors_[{loc.base, std::string(ids.substr(1))}] = Anchor{v, false};
    } else {
      std::string resolved = resolve_uri(loc.base, ids);
      UriParts parts = split_fragment(resolved);
      std::string new_base(parts.without_fragment);
      if (v != doc_root) {
        if (const json::Value* s = member(v, "$schema"); s && s->is_string() && !legacy) {
          std::string why;
          if (!dialect_for(std::string(s->as_string()), &loc.dialect, &loc.vocab, &why))
            pending_error_ = why;
        }
      }
      loc.base = new_base;
      loc.pointer.clear();
      resources_[new_base] = Resource{new_base, v};
      if (legacy && !parts.fragment.empty())
        anchors_[{new_base, std::string(parts.fragment)}] = Anchor{v, false};
    }
  }
  if (!legacy) {
    if (const json::Value* a = member(v, "$anchor"); a && a->is_string()) {
      anchors_[{loc.base, std::string(a->as_string())}] = Anchor{v, false};
    }
    if (loc.dialect == Dialect::draft2020_12) {
      if (const json::Value* a = member(v, "$dynamicAnchor"); a && a->is_string()) {
        anchors_[{loc.base, std::string(a->as_string())}] = Anchor{v, true};
      }
    }
    if (loc.dialect == Dialect::draft2019_09) {
      if (const json::Value* a = member(v, "$recursiveAnchor"); a && a->is_bool() && a->as_bool()) {
        recursive_anchor_[v] = true;
      }
    }
  }
  if (locations_.emplace(v, loc).second && current_doc_) doc_values_[current_doc_].push_back(v);
  if (ref_overrides) return;

  auto child = [&](const json::Value* c, std::string_view kw) {
    if (!is_schema_value(c)) return;
    SchemaLocation cl = loc;
    append_pointer_token(cl.pointer, kw);
    walk(c, cl, doc_root);
  };
  auto child2 = [&](const json::Value* c, std::string_view kw, std::string_view key) {
    if (!is_schema_value(c)) return;
    SchemaLocation cl = loc;
    append_pointer_token(cl.pointer, kw);
    append_pointer_token(cl.pointer, key);
    walk(c, cl, doc_root);
  };
  for (auto m = v->begin_members(); m != v->end_members(); ++m) {
    std::string_view k = m->key;
    const json::Value* c = &m->value;
    if (k == "additionalItems" || k == "additionalProperties" || k == "not" ||
        k == "propertyNames" || k == "contains" || k == "if" || k == "then" || k == "else" ||
        k == "unevaluatedItems" || k == "unevaluatedProperties" || k == "contentSchema" ||
        (k == "items" && !c->is_array())) {
      child(c, k);
    } else if (k == "allOf" || k == "anyOf" || k == "oneOf" || k == "prefixItems" ||
               (k == "items" && c->is_array())) {
      if (!c->is_array()) continue;
      for (uint32_t i = 0; i < c->size(); ++i) child2(&(*c)[i], k, std::to_string(i));
    } else if (k == "properties" || k == "patternProperties" || k == "$defs" ||
               k == "definitions" || k == "dependentSchemas" || k == "dependencies") {
      if (!c->is_object()) continue;
      for (auto cm = c->begin_members(); cm != c->end_members(); ++cm)
        child2(&cm->value, k, cm->key);
    }
  }
}

void SchemaStore::forget_document(const json::Value* root) {
  auto d = root_docs_.find(root);
  if (d == root_docs_.end()) return;
  const json::Document* doc = d->second;
  root_docs_.erase(d);
  std::unordered_set<const json::Value*> values;
  if (auto it = doc_values_.find(doc); it != doc_values_.end()) {
    values.insert(it->second.begin(), it->second.end());
    doc_values_.erase(it);
  }
  values.insert(root);
  for (const json::Value* v : values) {
    locations_.erase(v);
    recursive_anchor_.erase(v);
  }
  for (auto it = resources_.begin(); it != resources_.end();) {
    it = values.count(it->second.root) ? resources_.erase(it) : std::next(it);
  }
  for (auto it = anchors_.begin(); it != anchors_.end();) {
    it = values.count(it->second.value) ? anchors_.erase(it) : std::next(it);
  }
  std::erase_if(documents_,
                [&](const std::shared_ptr<json::Document>& p) { return p.get() == doc; });
}

void SchemaStore::index_at(const json::Value* v, const SchemaLocation& loc) {
  if (locations_.count(v)) return;
  walk(v, loc, nullptr);
}

const Resource* SchemaStore::find_resource(const std::string& uri_in, std::string* why) {
  std::string uri = strip_hash(uri_in);
  if (auto it = resources_.find(uri); it != resources_.end()) return &it->second;
  for (size_t i = 0; i < kEmbeddedMetaschemaCount; ++i) {
    const EmbeddedSchema& e = kEmbeddedMetaschemas[i];
    std::string_view eu = e.uri;
    bool same = eu == uri;
    // Accept the http/https variant of the same metaschema URI.
    if (!same && uri.rfind("http://", 0) == 0 && eu.rfind("https://", 0) == 0)
      same = eu.substr(8) == std::string_view(uri).substr(7);
    if (!same && uri.rfind("https://", 0) == 0 && eu.rfind("http://", 0) == 0)
      same = eu.substr(7) == std::string_view(uri).substr(8);
    if (same) {
      auto r = load_text(e.json, uri, Dialect::draft2020_12);
      if (!r) {
        *why = r.error().message;
        return nullptr;
      }
      resources_[uri] = Resource{uri, r.value()};
      return &resources_[uri];
    }
  }
  for (const RefMap& map : options_.ref_maps) {
    if (map.prefix.empty() || uri.rfind(map.prefix, 0) != 0) continue;
    std::string rest = uri.substr(map.prefix.size());
    if (rest.find("..") != std::string::npos) {
      *why = "refusing \"..\" in mapped reference \"" + uri + "\"";
      return nullptr;
    }
    std::string path = map.directory;
    if (!path.empty() && path.back() != '/') path.push_back('/');
    path += rest;
    std::string text;
    if (!read_file(path, text)) {
      *why = "\"" + uri + "\" maps to file \"" + path + "\" (ref map " + map.prefix +
             "), which cannot be read";
      return nullptr;
    }
    auto r = load_text(text, uri, options_.default_dialect);
    if (!r) {
      *why = "\"" + path + "\": " + r.error().message;
      return nullptr;
    }
    resources_[uri] = Resource{uri, r.value()};
    return &resources_[uri];
  }
  if (uri.rfind("file://", 0) == 0) {
    std::string path = percent_decode(uri.substr(7));
    std::string text;
    if (read_file(path, text)) {
      auto r = load_text(text, uri, options_.default_dialect);
      if (!r) {
        *why = "\"" + path + "\": " + r.error().message;
        return nullptr;
      }
      resources_[uri] = Resource{uri, r.value()};
      return &resources_[uri];
    }
  }
  *why = "\"" + uri +
         "\" is not a known schema (remote references are resolved only through ref maps or added "
         "schemas)";
  return nullptr;
}

const Anchor* SchemaStore::find_anchor(const std::string& resource_uri,
                                       const std::string& name) const {
  auto it = anchors_.find({resource_uri, name});
  return it == anchors_.end() ? nullptr : &it->second;
}

std::vector<std::pair<std::string, const json::Value*>> SchemaStore::dynamic_anchors(
    const std::string& resource_uri) const {
  std::vector<std::pair<std::string, const json::Value*>> out;
  for (auto it = anchors_.lower_bound({resource_uri, std::string()});
       it != anchors_.end() && it->first.first == resource_uri; ++it) {
    if (it->second.dynamic) out.emplace_back(it->first.second, it->second.value);
  }
  return out;
}

bool SchemaStore::has_recursive_anchor(const json::Value* resource_root) const {
  return recursive_anchor_.count(resource_root) != 0;
}

const json::Value* SchemaStore::resolve(const std::string& absolute_ref, std::string* why,
                                        bool* is_dynamic_anchor) {
  UriParts parts = split_fragment(absolute_ref);
  std::string base(parts.without_fragment);
  const Resource* res = find_resource(base, why);
  if (!res) return nullptr;
  std::string frag = percent_decode(parts.fragment);
  if (frag.empty()) return res->root;
  if (frag[0] == '/') {
    std::vector<std::string> tokens;
    if (!parse_json_pointer(frag, tokens)) {
      *why = "malformed JSON pointer \"" + frag + "\"";
      return nullptr;
    }
    const json::Value* cur = res->root;
    const SchemaLocation* root_loc = location(res->root);
    SchemaLocation loc =
        root_loc ? *root_loc : SchemaLocation{res->uri, "", options_.default_dialect, kVocabAll};
    for (const std::string& t : tokens) {
      const json::Value* next = nullptr;
      if (cur->is_object()) {
        next = cur->find(t);
      } else if (cur->is_array() && !t.empty() && t.size() < 10 &&
                 t.find_first_not_of("0123456789") == std::string::npos &&
                 (t == "0" || t[0] != '0')) {
        size_t idx = std::stoul(t);
        if (idx < cur->size()) next = &(*cur)[static_cast<uint32_t>(idx)];
      }
      if (!next) {
        *why = "JSON pointer \"" + frag + "\" does not exist in \"" + res->uri + "\"";
        return nullptr;
      }
      cur = next;
      if (const SchemaLocation* l = location(cur))
        loc = *l;
      else
        append_pointer_token(loc.pointer, t);
    }
    if (!is_schema_value(cur)) {
      *why = "\"" + absolute_ref + "\" does not point to a schema (object or boolean)";
      return nullptr;
    }
    index_at(cur, loc);
    return cur;
  }
  const Anchor* a = find_anchor(res->uri, frag);
  if (!a) {
    *why = "no anchor \"" + frag + "\" in \"" + res->uri + "\"";
    return nullptr;
  }
  if (is_dynamic_anchor) *is_dynamic_anchor = a->dynamic;
  return a->value;
}

}  // namespace hotpath::schema::internal
