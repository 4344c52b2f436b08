// SchemaStore: every schema document the Compiler knows, indexed by URI, with their
// embedded resources ($id), anchors and the dialect/vocabularies in force at each
// subschema. Loads built-in metaschemas and ref-mapped files on demand; never the network.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hotpath/json.h"
#include "hotpath/schema.h"

namespace hotpath::schema::internal {

// Vocabularies, as bits. Older drafts enable everything their dialect defines.
enum Vocab : uint16_t {
  kVocabCore = 1,
  kVocabApplicator = 2,
  kVocabUnevaluated = 4,
  kVocabValidation = 8,
  kVocabMetaData = 16,
  kVocabFormatAnnotation = 32,
  kVocabFormatAssertion = 64,
  kVocabContent = 128,
  kVocabAll = 0xff & ~kVocabFormatAssertion,
};

// Where a subschema sits: the schema resource it belongs to and its JSON pointer in it.
struct SchemaLocation {
  std::string base;     // URI of the enclosing resource (after this subschema's own $id)
  std::string pointer;  // JSON pointer from that resource's root
  Dialect dialect = Dialect::draft2020_12;
  uint16_t vocab = kVocabAll;
};

struct Resource {
  std::string uri;
  const json::Value* root = nullptr;
};

struct Anchor {
  const json::Value* value = nullptr;
  bool dynamic = false;
};

class SchemaStore {
 public:
  explicit SchemaStore(CompileOptions options) : options_(std::move(options)) {}

  CompileOptions& options() { return options_; }

  // Parses `text` and indexes it under `uri` (and under any $id it declares).
  Result<const json::Value*, CompileError> add_document(std::string_view text,
                                                        const std::string& uri);

  // A resource by absolute URI without fragment; loads embedded metaschemas and ref-mapped
  // files on first use. nullptr (and *why set) when it cannot be found.
  const Resource* find_resource(const std::string& uri, std::string* why);

  // Resolves `ref` (already made absolute, fragment included) to a subschema value.
  const json::Value* resolve(const std::string& absolute_ref, std::string* why,
                             bool* is_dynamic_anchor = nullptr);

  // The location of an indexed subschema, or nullptr.
  const SchemaLocation* location(const json::Value* v) const {
    auto it = locations_.find(v);
    return it == locations_.end() ? nullptr : &it->second;
  }
  // Indexes a subtree reached by a JSON pointer into a place the first walk did not visit.
  void index_at(const json::Value* v, const SchemaLocation& loc);

  const Anchor* find_anchor(const std::string& resource_uri, const std::string& name) const;
  // All dynamic anchors declared in a resource.
  std::vector<std::pair<std::string, const json::Value*>> dynamic_anchors(
      const std::string& resource_uri) const;
  bool has_recursive_anchor(const json::Value* resource_root) const;

  const std::vector<std::shared_ptr<json::Document>>& documents() const { return documents_; }

  // Drops everything indexed from the document whose root is `root` (a root compiled without
  // a URI: nothing can refer to it afterwards), so a long-lived Compiler does not grow with
  // every compile. Programs keep their own reference to the document.
  void forget_document(const json::Value* root);

  // Dialect and vocabularies named by a `$schema` URI (built in, or a custom metaschema
  // that is resolvable). False with *why set when unknown.
  bool dialect_for(const std::string& schema_uri, Dialect* dialect, uint16_t* vocab,
                   std::string* why, int depth = 0);

 private:
  void walk(const json::Value* v, SchemaLocation loc, const json::Value* doc_root);
  Result<const json::Value*, CompileError> load_text(std::string_view text, const std::string& uri,
                                                     Dialect dialect);

  CompileOptions options_;
  std::vector<std::shared_ptr<json::Document>> documents_;
  std::map<std::string, Resource> resources_;
  std::map<std::pair<std::string, std::string>, Anchor> anchors_;
  std::unordered_map<const json::Value*, SchemaLocation> locations_;
  std::unordered_map<const json::Value*, bool> recursive_anchor_;
  // Which indexed values came from which document, so forget_document can undo the index.
  const json::Document* current_doc_ = nullptr;
  std::unordered_map<const json::Document*, std::vector<const json::Value*>> doc_values_;
  std::unordered_map<const json::Value*, const json::Document*> root_docs_;
  std::string pending_error_;
};

uint16_t default_vocab(Dialect d);

}  // namespace hotpath::schema::internal
