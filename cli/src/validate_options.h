// Command-line options of `hotpath validate` and their parser.
// Parsing never exits or prints: it returns the options or a usage message for the caller to
// report.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/result.h"
#include "hotpath/schema.h"

namespace hotpath::cli {

inline constexpr uint64_t kDefaultMaxDocumentBytes = uint64_t(256) << 20;  // 256 MiB

struct ValidateOptions {
  bool show_help = false;
  std::string schema_path;
  std::vector<schema::RefMap> ref_maps;
  schema::Dialect default_dialect = schema::Dialect::draft2020_12;
  bool assert_formats = false;
  schema::OutputFormat output = schema::OutputFormat::basic;
  bool ndjson = false;
  unsigned threads = 0;  // 0: one per hardware thread
  uint64_t max_document_bytes = kDefaultMaxDocumentBytes;
  std::vector<std::string> inputs;  // "-" is standard input; empty means standard input
};

struct UsageError {
  std::string message;  // e.g. "--threads expects a positive integer, got 'x'"
};

// `args` are the arguments after the word "validate".
Result<ValidateOptions, UsageError> parse_validate_options(
    const std::vector<std::string_view>& args);

// Parses "123", "64K", "256M", "1G" (binary multiples). Returns false on anything else or overflow.
bool parse_byte_size(std::string_view text, uint64_t& out);

std::string_view validate_help_text();

}  // namespace hotpath::cli
