// hotpath/schema: JSON Schema (draft-04, -06, -07, 2019-09, 2020-12) compiled once into an
// immutable evaluation program, then evaluated against many parsed instances.
// A compiled Validator is immutable and safe to use from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/json.h"
#include "hotpath/result.h"

namespace hotpath::schema {

enum class Dialect : uint8_t { draft4, draft6, draft7, draft2019_09, draft2020_12 };

// Accepts "draft4", "draft6", "draft7", "draft2019-09", "draft2020-12" or a metaschema URI
// (with or without a trailing '#'). Returns nullopt for anything else.
std::optional<Dialect> dialect_from_name(std::string_view name);
std::string_view dialect_name(Dialect d);  // "draft2020-12"
std::string_view dialect_uri(Dialect d);   // "https://json-schema.org/draft/2020-12/schema"

enum class OutputFormat : uint8_t { flag, basic };
std::optional<OutputFormat> output_format_from_name(std::string_view name);

// One error of the standard "basic" output format, plus what bindings need to rebuild
// ajv's error shape (keyword, params).
struct OutputError {
  std::string keyword;           // "minimum"
  std::string keyword_location;  // evaluation path, JSON pointer: "/properties/price/minimum"
  std::string
      absolute_keyword_location;  // "https://example.com/order.json#/properties/price/minimum"
  std::string instance_location;  // JSON pointer into the instance: "/price"
  std::string message;            // "must be >= 0, got -1"
  std::string params;  // ajv-style params as a JSON object text: {"comparison":">=","limit":0}
};

// A standard output unit.
struct Output {
  bool valid = true;
  std::vector<OutputError> errors;  // always empty for OutputFormat::flag
  // {"valid":true} or {"valid":false,"errors":[{"keywordLocation":..,"absoluteKeywordLocation":..,
  //  "instanceLocation":..,"error":..}, ...]}  (flag output: {"valid":false})
  void write_json(std::string& out) const;
  std::string to_json() const;
};

struct CompileError {
  std::string message;     // what is wrong, naming the keyword or reference
  std::string schema_uri;  // the schema resource it was found in ("" for the root given as text)
  std::string location;    // JSON pointer inside that resource: "/properties/a/$ref"
  std::string to_string() const;  // "<uri>#<location>: <message>"
};

struct RefMap {
  std::string prefix;     // URI prefix, e.g. "http://localhost:1234/"
  std::string directory;  // local directory the rest of the URI is resolved in
};

struct CompileOptions {
  Dialect default_dialect = Dialect::draft2020_12;  // when a schema has no $schema
  bool assert_formats = false;   // `format` asserts (true) or is an annotation only (false)
  std::vector<RefMap> ref_maps;  // remote references are only ever resolved through these
  uint64_t regex_step_budget = 1'000'000;  // per pattern match; exceeding it fails validation
  // Subschema evaluations per validation, raised to 256 per value of a larger instance.
  // Schemas that apply a recursive subschema twice at each level (oneOf/anyOf branches, or
  // if + properties, over the same children) take time exponential in the instance's depth;
  // past the budget the instance is rejected with an error instead of holding a thread.
  uint64_t evaluation_budget = 1'000'000;
};

namespace internal {
struct Program;
class SchemaStore;
}  // namespace internal

class Validator {
 public:
  // Flag output: fastest path, stops at the first failure.
  bool validate(const json::Value& instance) const;
  // Full evaluation with the requested output format.
  Output evaluate(const json::Value& instance, OutputFormat format) const;

  Dialect dialect() const;  // dialect of the root schema

  Validator(const Validator&) = default;
  Validator& operator=(const Validator&) = default;
  Validator(Validator&&) noexcept = default;
  Validator& operator=(Validator&&) noexcept = default;
  ~Validator();

 private:
  friend class Compiler;
  explicit Validator(std::shared_ptr<const internal::Program> p);
  std::shared_ptr<const internal::Program> program_;
};

// Holds the schemas known by URI (built-in metaschemas, schemas added in code, files reached
// through ref maps) and compiles validators. Never touches the network.
class Compiler {
 public:
  explicit Compiler(CompileOptions options = {});
  ~Compiler();
  Compiler(Compiler&&) noexcept;
  Compiler& operator=(Compiler&&) noexcept;

  // Makes a schema available to $ref under `uri` (or under its own $id when uri is empty).
  // Returns the URI it was registered under.
  Result<std::string, CompileError> add_schema(std::string_view schema_json,
                                               std::string_view uri = {});
  void add_ref_map(RefMap map);

  // Compiles a root schema given as JSON text. `uri` is its retrieval URI (used as the base
  // URI when the schema has no $id). Empty means the schema has no URI of its own: each such
  // root gets a private base, and absoluteKeywordLocation then holds only the fragment
  // ("#/properties/a/type") unless the schema declares an $id.
  Result<Validator, CompileError> compile(std::string_view schema_json, std::string_view uri = {});
  // Compiles a schema file read from disk (its file:// URI is the base URI).
  Result<Validator, CompileError> compile_file(const std::string& path);

  const CompileOptions& options() const;

 private:
  std::unique_ptr<internal::SchemaStore> store_;
};

}  // namespace hotpath::schema
