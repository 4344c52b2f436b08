// PipelineRegistry: the set of compiled pipelines hotpathd serves, as an immutable snapshot
// behind an atomic shared_ptr. A reload compiles a complete new PipelineSet off the I/O path
// and swaps it in at once; requests that already hold the old snapshot finish on it.
//
// A pipeline is defined by `pipeline.json`:
//   {"schema": "schema.json", "formats": true, "default-dialect": "draft7",
//    "transform": "transform.jsonata", "transform-timeout-ms": 1000,
//    "rules": "rules.js", "rules-timeout-ms": 100}
// Steps: validate (`schema`; without one every JSON record passes), then transform (a JSONata
// expression; without one the record itself), then rules (a JS rule file, core/rules: its check
// may reject the record, its transform replaces it), then serialize.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/jsonata.h"
#include "hotpath/result.h"
#include "hotpath/rules.h"
#include "hotpath/schema.h"

namespace hotpath::server {

// Per-pipeline record counters; kept by name so they survive reloads.
struct PipelineStats {
  std::atomic<uint64_t> valid{0};
  std::atomic<uint64_t> invalid{0};
};

struct Pipeline {
  std::string name;
  std::optional<schema::Validator> validator;    // none: the validate step accepts any JSON
  std::optional<jsonata::Expression> transform;  // none: the output is the record itself
  jsonata::Limits transform_limits;
  std::shared_ptr<const rules::Rule> rules;  // none: no rules step
  rules::Limits rules_limits;
  std::shared_ptr<PipelineStats> stats;
};

struct PipelineSet {
  std::map<std::string, std::shared_ptr<const Pipeline>, std::less<>> pipelines;
  std::string source;  // "directory DIR" or "redis URL"
  // Directory source: every file the set was built from (the watcher polls them).
  std::vector<std::string> files;
  const Pipeline* find(std::string_view name) const {
    auto it = pipelines.find(name);
    return it == pipelines.end() ? nullptr : it->second.get();
  }
};

struct PipelineDefinition {
  std::string schema;  // path (directory source) or key suffix (Redis); empty: no validate step
  bool formats = false;
  schema::Dialect default_dialect = schema::Dialect::draft2020_12;
  std::string transform;  // path or key suffix of the JSONata expression; empty: none
  uint32_t transform_timeout_ms = 1000;  // per record: a runaway expression fails that record
  std::string rules;                     // path or key suffix of the JS rule file; empty: none
  uint32_t rules_timeout_ms = 100;       // per record: a runaway rule fails that record
};

// Letters, digits, '-', '_' and '.', not starting with '.', 1-128 bytes.
bool is_valid_pipeline_name(std::string_view name);

// Parses a pipeline.json text. Errors name the pipeline and the offending key.
Result<PipelineDefinition, std::string> parse_pipeline_definition(std::string_view name,
                                                                  std::string_view text);

class PipelineRegistry {
 public:
  PipelineRegistry() : current_(std::make_shared<const PipelineSet>()) {}

  std::shared_ptr<const PipelineSet> snapshot() const { return current_.load(); }
  void publish(std::shared_ptr<const PipelineSet> set);
  bool ready() const { return ready_.load(std::memory_order_acquire); }
  uint64_t reloads() const { return reloads_.load(std::memory_order_relaxed); }
  // Pipeline definitions refused by a reload (the previous version kept serving).
  void record_reload_errors(uint64_t n) { reload_errors_.fetch_add(n, std::memory_order_relaxed); }

  std::shared_ptr<PipelineStats> stats_for(const std::string& name);
  void render_metrics(std::string& out) const;

  // Compiles one pipeline. `read_file(ref)` returns the text of a file the definition names
  // (schema, transform, rules) and its base URI (the directory source reads files; the Redis
  // source reads hash fields). A rule file is loaded (compiled, its top level run, its exports
  // checked) in the calling thread's rules runtime, off the request path.
  using FileReader = std::function<Result<std::pair<std::string, std::string>, std::string>(
      const std::string& ref)>;
  Result<std::shared_ptr<const Pipeline>, std::string> compile(std::string_view name,
                                                               std::string_view definition_text,
                                                               const FileReader& read_file);

  // Loads every DIR/<name>/pipeline.json. Any broken pipeline fails the whole load.
  Result<std::shared_ptr<const PipelineSet>, std::string> load_directory(const std::string& dir);

 private:
  std::atomic<std::shared_ptr<const PipelineSet>> current_;
  std::atomic<bool> ready_{false};
  std::atomic<uint64_t> reloads_{0};
  std::atomic<uint64_t> reload_errors_{0};
  mutable std::mutex stats_mu_;
  std::map<std::string, std::shared_ptr<PipelineStats>> stats_;
};

}  // namespace hotpath::server
