#include "pipeline_registry.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "hotpath/json.h"
#include "rules_host.h"

namespace hotpath::server {

namespace fs = std::filesystem;

bool is_valid_pipeline_name(std::string_view name) {
  if (name.empty() || name.size() > 128 || name[0] == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

Result<PipelineDefinition, std::string> parse_pipeline_definition(std::string_view name,
                                                                  std::string_view text) {
  std::string where = "pipeline \"" + std::string(name) + "\": ";
  json::Document doc;
  auto parsed = doc.parse(text);
  if (!parsed.ok()) {
    return Failure{where + "pipeline.json is not valid JSON: " + parsed.error().to_string()};
  }
  const json::Value& root = **parsed;
  if (!root.is_object()) return Failure{where + "pipeline.json must be a JSON object"};
  PipelineDefinition def;
  for (const json::Member* m = root.begin_members(); m != root.end_members(); ++m) {
    const std::string key(m->key);
    const json::Value& v = m->value;
    if (key == "schema") {
      if (!v.is_string() || v.as_string().empty())
        return Failure{where + "\"schema\" must be a non-empty string (a path)"};
      def.schema = std::string(v.as_string());
    } else if (key == "formats") {
      if (!v.is_bool()) return Failure{where + "\"formats\" must be true or false"};
      def.formats = v.as_bool();
    } else if (key == "default-dialect") {
      auto d = v.is_string() ? schema::dialect_from_name(v.as_string()) : std::nullopt;
      if (!d) return Failure{where + "\"default-dialect\" must name a JSON Schema dialect"};
      def.default_dialect = *d;
    } else if (key == "description") {
      if (!v.is_string()) return Failure{where + "\"description\" must be a string"};
    } else if (key == "transform") {
      if (!v.is_string() || v.as_string().empty())
        return Failure{where + "\"transform\" must be a non-empty string (a path)"};
      def.transform = std::string(v.as_string());
    } else if (key == "transform-timeout-ms") {
      if (!v.is_number() || v.number_kind() != json::NumberKind::int64 || v.as_int64() < 1 ||
          v.as_int64() > 3600000)
        return Failure{where + "\"transform-timeout-ms\" must be an integer from 1 to 3600000"};
      def.transform_timeout_ms = static_cast<uint32_t>(v.as_int64());
    } else if (key == "rules") {
      if (!v.is_string() || v.as_string().empty())
        return Failure{where + "\"rules\" must be a non-empty string (a path)"};
      def.rules = std::string(v.as_string());
    } else if (key == "rules-timeout-ms") {
      if (!v.is_number() || v.number_kind() != json::NumberKind::int64 || v.as_int64() < 1 ||
          v.as_int64() > 3600000)
        return Failure{where + "\"rules-timeout-ms\" must be an integer from 1 to 3600000"};
      def.rules_timeout_ms = static_cast<uint32_t>(v.as_int64());
    } else {
      return Failure{where + "unknown key \"" + key +
                     "\" in pipeline.json (known: schema, formats, default-dialect, "
                     "description, transform, transform-timeout-ms, rules, rules-timeout-ms)"};
    }
  }
  return def;
}

void PipelineRegistry::publish(std::shared_ptr<const PipelineSet> set) {
  current_.store(std::move(set));
  reloads_.fetch_add(1, std::memory_order_relaxed);
  ready_.store(true, std::memory_order_release);
}

std::shared_ptr<PipelineStats> PipelineRegistry::stats_for(const std::string& name) {
  std::lock_guard lk(stats_mu_);
  auto& s = stats_[name];
  if (!s) s = std::make_shared<PipelineStats>();
  return s;
}

void PipelineRegistry::render_metrics(std::string& out) const {
  auto set = snapshot();
  out +=
      "# HELP hotpathd_pipelines_loaded Pipelines in the current snapshot.\n"
      "# TYPE hotpathd_pipelines_loaded gauge\n"
      "hotpathd_pipelines_loaded " +
      std::to_string(set->pipelines.size()) +
      "\n# HELP hotpathd_pipeline_snapshots_total Pipeline snapshots published (loads and "
      "reloads).\n# TYPE hotpathd_pipeline_snapshots_total counter\n"
      "hotpathd_pipeline_snapshots_total " +
      std::to_string(reloads()) +
      "\n# HELP hotpathd_pipeline_reload_errors_total Pipeline definitions refused by a reload "
      "(the previous version kept serving).\n"
      "# TYPE hotpathd_pipeline_reload_errors_total counter\n"
      "hotpathd_pipeline_reload_errors_total " +
      std::to_string(reload_errors_.load(std::memory_order_relaxed)) +
      "\n# HELP hotpathd_pipeline_records_total Records through each pipeline's validate step.\n"
      "# TYPE hotpathd_pipeline_records_total counter\n";
  std::lock_guard lk(stats_mu_);
  for (const auto& [name, s] : stats_) {
    out += "hotpathd_pipeline_records_total{pipeline=\"" + name + "\",result=\"valid\"} " +
           std::to_string(s->valid.load(std::memory_order_relaxed)) + "\n";
    out += "hotpathd_pipeline_records_total{pipeline=\"" + name + "\",result=\"invalid\"} " +
           std::to_string(s->invalid.load(std::memory_order_relaxed)) + "\n";
  }
}

Result<std::shared_ptr<const Pipeline>, std::string> PipelineRegistry::compile(
    std::string_view name, std::string_view definition_text, const FileReader& read_file) {
  if (!is_valid_pipeline_name(name)) {
    return Failure{"pipeline \"" + std::string(name) +
                   "\": invalid name (letters, digits, '-', '_', '.'; not starting with '.')"};
  }
  auto def = parse_pipeline_definition(name, definition_text);
  if (!def.ok()) return Failure{def.error()};
  auto p = std::make_shared<Pipeline>();
  p->name = std::string(name);
  if (!def->schema.empty()) {
    auto text = read_file(def->schema);
    if (!text.ok()) return Failure{"pipeline \"" + p->name + "\": schema: " + text.error()};
    schema::CompileOptions options;
    options.assert_formats = def->formats;
    options.default_dialect = def->default_dialect;
    schema::Compiler compiler(options);
    auto v = compiler.compile(text->first, text->second);
    if (!v.ok()) {
      return Failure{"pipeline \"" + p->name + "\": schema error: " + v.error().to_string()};
    }
    p->validator.emplace(std::move(*v));
  }
  if (!def->transform.empty()) {
    auto text = read_file(def->transform);
    if (!text.ok()) return Failure{"pipeline \"" + p->name + "\": transform: " + text.error()};
    auto e = jsonata::Expression::compile(text->first);
    if (!e.ok()) {
      return Failure{"pipeline \"" + p->name + "\": transform " + def->transform + ": " +
                     e.error().to_string()};
    }
    p->transform.emplace(std::move(*e));
    p->transform_limits.timeout_ms = def->transform_timeout_ms;
  }
  if (!def->rules.empty()) {
    auto text = read_file(def->rules);
    if (!text.ok()) return Failure{"pipeline \"" + p->name + "\": rules: " + text.error()};
    p->rules_limits.timeout_ms = def->rules_timeout_ms;
    auto rule =
        rules::Rule::load(def->rules, std::move(text->first), rules_runtime(), p->rules_limits);
    (void)rules_runtime();  // counts the isolate the load may have created
    if (!rule.ok()) {
      return Failure{"pipeline \"" + p->name + "\": rules " + rule.error().to_string()};
    }
    p->rules = std::move(*rule);
  }
  p->stats = stats_for(p->name);
  return std::shared_ptr<const Pipeline>(std::move(p));
}

namespace {

Result<std::string, std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Failure{"cannot read " + path.string()};
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Failure{"cannot read " + path.string()};
  return ss.str();
}

}  // namespace

Result<std::shared_ptr<const PipelineSet>, std::string> PipelineRegistry::load_directory(
    const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Failure{"pipelines directory " + dir + " not found"};
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "pipeline.json"))
      folders.push_back(entry.path());
  }
  if (ec) return Failure{"cannot list " + dir + ": " + ec.message()};
  std::sort(folders.begin(), folders.end());
  auto set = std::make_shared<PipelineSet>();
  set->source = "directory " + dir;
  for (const fs::path& folder : folders) {
    std::string name = folder.filename().string();
    auto definition = read_file(folder / "pipeline.json");
    if (!definition.ok()) return Failure{"pipeline \"" + name + "\": " + definition.error()};
    set->files.push_back((folder / "pipeline.json").string());
    auto reader =
        [&folder,
         &set](const std::string& ref) -> Result<std::pair<std::string, std::string>, std::string> {
      fs::path path = fs::weakly_canonical(folder / ref);
      set->files.push_back(path.string());
      auto text = read_file(path);
      if (!text.ok()) return Failure{text.error()};
      // file:// base URI, so relative $refs name sibling files as in the CLI.
      return std::pair{std::move(*text), "file://" + path.string()};
    };
    auto p = compile(name, *definition, reader);
    if (!p.ok()) return Failure{p.error()};
    set->pipelines.emplace(name, std::move(*p));
  }
  return std::shared_ptr<const PipelineSet>(std::move(set));
}

}  // namespace hotpath::server
