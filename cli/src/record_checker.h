// RecordChecker: turns one JSON text into one output line (a standard output unit + '\n').
// Owns a reusable json::Document, so one checker per thread parses without allocating in
// steady state. Inputs that are not JSON become an invalid unit whose single error names
// the line and column, so every input keeps its own output line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hotpath/json.h"
#include "hotpath/schema.h"

namespace hotpath::cli {

class RecordChecker {
 public:
  RecordChecker(const schema::Validator& validator, schema::OutputFormat format,
                uint64_t max_document_bytes);

  // Validates `text`, whose first byte is on input line `first_line`; appends one output
  // line to `out`. Returns true when the document is valid.
  bool check(std::string_view text, uint64_t first_line, std::string& out);

  // Appends the unit for an input that could not be validated, with `error` as its message
  // (e.g. "invalid JSON at line 3, column 1: empty line"). Always "invalid".
  void append_rejected(std::string_view error, std::string& out) const;

 private:
  const schema::Validator& validator_;
  schema::OutputFormat format_;
  json::ParseOptions parse_options_;
  json::Document document_;
  std::string valid_line_;         // Output{valid}.to_json() + '\n'
  std::string invalid_flag_line_;  // Output{invalid, no errors}.to_json() + '\n'
};

// "invalid JSON at line L, column C: message"
std::string invalid_json_message(uint64_t line, uint64_t column, std::string_view message);

}  // namespace hotpath::cli
