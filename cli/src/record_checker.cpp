#include "record_checker.h"

namespace hotpath::cli {

std::string invalid_json_message(uint64_t line, uint64_t column, std::string_view message) {
  std::string m =
      "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
  m += message;
  return m;
}

RecordChecker::RecordChecker(const schema::Validator& validator, schema::OutputFormat format,
                             uint64_t max_document_bytes)
    : validator_(validator), format_(format) {
  parse_options_.max_size = static_cast<size_t>(max_document_bytes);
  schema::Output valid;
  valid.valid = true;
  valid_line_ = valid.to_json() + '\n';
  schema::Output invalid;
  invalid.valid = false;
  invalid_flag_line_ = invalid.to_json() + '\n';
}

bool RecordChecker::check(std::string_view text, uint64_t first_line, std::string& out) {
  auto parsed = document_.parse(text, parse_options_);
  if (!parsed.ok()) {
    const json::ParseError& e = parsed.error();
    uint64_t line = first_line + (e.line > 0 ? e.line - 1 : 0);
    append_rejected(invalid_json_message(line, e.column, e.message), out);
    return false;
  }
  const json::Value& root = **parsed;
  // Most records are valid: the flag evaluation stops early and builds nothing, and only a
  // failing record pays for the full "basic" evaluation.
  if (validator_.validate(root)) {
    out += valid_line_;
    return true;
  }
  if (format_ == schema::OutputFormat::flag) {
    out += invalid_flag_line_;
    return false;
  }
  schema::Output result = validator_.evaluate(root, schema::OutputFormat::basic);
  result.write_json(out);
  out += '\n';
  return result.valid;
}

void RecordChecker::append_rejected(std::string_view error, std::string& out) const {
  if (format_ == schema::OutputFormat::flag) {
    out += invalid_flag_line_;
    return;
  }
  schema::Output result;
  result.valid = false;
  schema::OutputError e;
  e.message = std::string(error);
  result.errors.push_back(std::move(e));
  result.write_json(out);
  out += '\n';
}

}  // namespace hotpath::cli
