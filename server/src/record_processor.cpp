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

void RecordProcessor::append_rejected(std::vector<std::string> messages, std::string& out) const {
  schema::Output result;
  result.valid = false;
  for (std::string& message : messages) {
    schema::OutputError e;
    e.message = std::move(message);
    result.errors.push_back(std::move(e));
  }
  result.write_json(out);
  out += '\n';
}

bool RecordProcessor::process_record(const Pipeline& p, Step step, bool ndjson,
                                     std::string_view text, uint64_t line, std::string& out) {
  auto parsed = document_.parse(text, parse_options_);
  if (!parsed.ok()) {
    const json::ParseError& e = parsed.error();
    uint64_t at = line + (e.line > 0 ? e.line - 1 : 0);
    append_rejected({cli::invalid_json_message(at, e.column, e.message)}, out);
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
  const size_t mark = out.size();
  if (ndjson) out += "{\"valid\":true,\"output\":";
  // The transform writes straight into `out`, unless the rules step reads its output first.
  std::string_view rules_input = text;
  if (p.transform) {
    std::string& dest = p.rules ? transformed_ : out;
    if (p.rules) transformed_.clear();
    auto r = p.transform->evaluate(&root, dest, nullptr, p.transform_limits);
    if (!r.ok()) {
      out.resize(mark);
      append_rejected({"transform failed: " + r.error().to_string()}, out);
      return false;
    }
    if (!*r) return append_undefined(mark, ndjson, out);  // the rules step does not run
    rules_input = transformed_;
  }
  if (p.rules) {
    // A rule's output is appended to `out`; a failure leaves `out` as it was.
    auto r = rules_runtime().run(*p.rules, rules_input, p.name, p.rules_limits, out);
    count_rules_result(r);
    if (!r.ok() || !r->valid) {
      out.resize(mark);
      if (!r.ok())
        append_rejected({"rules failed: " + r.error().to_string()}, out);
      else
        append_rejected(std::move(r->reasons), out);
      return false;
    }
    switch (r->output) {
      case rules::Outcome::Output::undefined:
        return append_undefined(mark, ndjson, out);
      case rules::Outcome::Output::value:
        break;
      case rules::Outcome::Output::unchanged:
        if (p.transform)
          out += transformed_;
        else
          json::write(root, out);
        break;
    }
  } else if (!p.transform) {
    json::write(root, out);  // re-serialized, as without any step
  }
  out += ndjson ? "}\n" : "\n";
  return true;
}

// An undefined result: no output value ({"valid":true} in NDJSON, an empty body alone).
bool RecordProcessor::append_undefined(size_t mark, bool ndjson, std::string& out) const {
  out.resize(mark);
  if (ndjson) out += kValidUnit;
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
      append_rejected({cli::invalid_json_message(line, 1, "empty line")}, out);
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
