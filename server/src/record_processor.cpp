#include "record_processor.h"

#include <algorithm>
#include <memory>

#include "record_checker.h"  // cli/src: invalid_json_message, shared with `hotpath validate`
#include "rules_host.h"

namespace hotpath::server {
namespace {

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

constexpr std::string_view kValidUnit = "{\"valid\":true}\n";

}  // namespace

RecordProcessor::RecordProcessor(uint64_t max_document_bytes) {
  parse_options_.max_size = static_cast<size_t>(max_document_bytes);
}

RecordProcessor& RecordProcessor::for_this_thread(uint64_t max_document_bytes) {
  thread_local std::unique_ptr<RecordProcessor> processor;
  if (!processor) processor = std::make_unique<RecordProcessor>(max_document_bytes);
  return *processor;
}

void RecordProcessor::append_rejected(std::string_view message, std::string& out) const {
  schema::Output result;
  result.valid = false;
  schema::OutputError e;
  e.message = std::string(message);
  result.errors.push_back(std::move(e));
  result.write_json(out);
  out += '\n';
}

bool RecordProcessor::process_record(const Pipeline& p, Step step, bool ndjson,
                                     std::string_view text, uint64_t line, std::string& out) {
  auto parsed = document_.parse(text, parse_options_);
  if (!parsed.ok()) {
    const json::ParseError& e = parsed.error();
    uint64_t at = line + (e.line > 0 ? e.line - 1 : 0);
    append_rejected(cli::invalid_json_message(at, e.column, e.message), out);
    return false;
  }
  const json::Value& root = **parsed;
  // As in the CLI: the fast flag evaluation first; only failing records pay for "basic".
  if (p.validator && !p.validator->validate(root)) {
    schema::Output result = p.validator->evaluate(root, schema::OutputFormat::basic);
    result.write_json(out);
    out += '\n';
    return false;
  }
  if (step == Step::validate_only) {
    out += kValidUnit;
    return true;
  }
  // The record after the transform step: its JSON text (`current`), or undefined.
  std::string_view current;
  bool record_itself = true;
  if (p.transform) {
    transformed_.clear();
    auto r = p.transform->evaluate(&root, transformed_, nullptr, p.transform_limits);
    if (!r.ok()) {
      append_rejected("transform failed: " + r.error().to_string(), out);
      return false;
    }
    if (!*r) return append_output(std::nullopt, ndjson, out);  // undefined: rules do not run
    current = transformed_;
    record_itself = false;
  }
  if (p.rules) {
    ruled_.clear();
    auto r = rules_runtime().run(*p.rules, record_itself ? text : current, p.name, p.rules_limits,
                                 ruled_);
    count_rules_result(r);
    if (!r.ok()) {
      append_rejected("rules failed: " + r.error().to_string(), out);
      return false;
    }
    if (!r->valid) {
      schema::Output result;
      result.valid = false;
      for (std::string& reason : r->reasons) {
        schema::OutputError e;
        e.message = std::move(reason);
        result.errors.push_back(std::move(e));
      }
      result.write_json(out);
      out += '\n';
      return false;
    }
    if (r->output == rules::Outcome::Output::undefined)
      return append_output(std::nullopt, ndjson, out);
    if (r->output == rules::Outcome::Output::value) {
      current = ruled_;
      record_itself = false;
    }
  }
  if (record_itself) {  // re-serialized, as without any step
    transformed_.clear();
    json::write(root, transformed_);
    current = transformed_;
  }
  return append_output(current, ndjson, out);
}

// A valid record's line: the output value, or nothing for undefined ({"valid":true} in NDJSON,
// an empty body alone).
bool RecordProcessor::append_output(std::optional<std::string_view> value, bool ndjson,
                                    std::string& out) const {
  if (!value) {
    if (ndjson) out += kValidUnit;
    return true;
  }
  if (ndjson) out += "{\"valid\":true,\"output\":";
  out += *value;
  out += ndjson ? "}\n" : "\n";
  return true;
}

ProcessResult RecordProcessor::process_document(const Pipeline& p, Step step, std::string_view body,
                                                std::string& out) {
  ProcessResult r;
  r.records = 1;
  r.invalid = process_record(p, step, false, body, 1, out) ? 0 : 1;
  p.stats->valid.fetch_add(1 - r.invalid, std::memory_order_relaxed);
  p.stats->invalid.fetch_add(r.invalid, std::memory_order_relaxed);
  return r;
}

ProcessResult RecordProcessor::process_ndjson(const Pipeline& p, Step step, std::string_view body,
                                              std::string& out) {
  ProcessResult r;
  uint64_t line = 1;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    std::string_view record = body.substr(0, nl);
    body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
    bool valid = false;
    if (is_blank(record)) {
      append_rejected(cli::invalid_json_message(line, 1, "empty line"), out);
    } else {
      valid = process_record(p, step, true, record, line, out);
    }
    ++r.records;
    r.invalid += valid ? 0 : 1;
    ++line;
  }
  p.stats->valid.fetch_add(r.records - r.invalid, std::memory_order_relaxed);
  p.stats->invalid.fetch_add(r.invalid, std::memory_order_relaxed);
  return r;
}

}  // namespace hotpath::server
