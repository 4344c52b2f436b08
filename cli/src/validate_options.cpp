// Parser of `hotpath validate` arguments: GNU-style long options (`--opt VALUE` or `--opt=VALUE`),
// `--` ends the options, `-` is standard input.
#include "validate_options.h"

#include <sys/stat.h>

#include <charconv>
#include <optional>

#include "option_scanner.h"

namespace hotpath::cli {
namespace {

constexpr std::string_view kHelp =
    R"(Usage: hotpath validate --schema S.json [OPTIONS] [FILE|-]...

Validate JSON documents against a JSON Schema (draft-04, -06, -07, 2019-09, 2020-12).

Each FILE holds one JSON document; '-' or no FILE at all reads standard input. One output
line is printed per document, in argument order. With --ndjson every input line is a
document: one output line per input line, in input order (several FILEs are read one after
the other; line numbers in messages count from 1 in each FILE).

Options:
  --schema S.json            the schema to validate against (required)
  --ref-map PREFIX=DIR       resolve $ref URIs that start with PREFIX to files in DIR
                             (repeatable; nothing is ever fetched from the network)
  --default-dialect D        dialect of a schema without $schema: draft4, draft6, draft7,
                             draft2019-09, draft2020-12 (default) or a metaschema URI
  --formats                  make "format" an assertion (default: annotation only)
  --output flag|basic        output format (default: basic)
  --ndjson                   newline-delimited JSON: each line is one document
  --threads N                worker threads for --ndjson (default: one per CPU)
  --max-document-bytes N     refuse larger documents or NDJSON lines; suffixes K, M, G
                             (default: 256M)
  -h, --help                 show this help and exit

Output, one line per document (the JSON Schema standard output unit):
  {"valid":true}
  {"valid":false,"errors":[{"keywordLocation":"...","absoluteKeywordLocation":"...",
                            "instanceLocation":"...","error":"..."}]}
  --output flag prints {"valid":false} without errors. A document that is not JSON, a blank
  NDJSON line and an NDJSON line over --max-document-bytes are printed as invalid, with one
  error such as "invalid JSON at line L, column C: message" and empty locations.

Exit status:
  0  every document is valid
  1  at least one document is invalid (failed the schema, or is not JSON)
  2  usage error, schema error (unreadable, invalid or unresolvable $ref), I/O error, or a
     document larger than --max-document-bytes (processing stops at the first such error)
)";

std::optional<schema::Dialect> parse_dialect(std::string_view name) {
  return schema::dialect_from_name(name);
}

bool parse_threads(std::string_view text, unsigned& out) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v == 0 || v > 1024) return false;
  out = v;
  return true;
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Failure<UsageError> usage(std::string message) {
  return Failure<UsageError>{UsageError{std::move(message)}};
}

}  // namespace

bool parse_byte_size(std::string_view text, uint64_t& out) {
  if (text.empty()) return false;
  unsigned shift = 0;
  switch (text.back()) {
    case 'k':
    case 'K':
      shift = 10;
      break;
    case 'm':
    case 'M':
      shift = 20;
      break;
    case 'g':
    case 'G':
      shift = 30;
      break;
    default:
      break;
  }
  if (shift != 0) text.remove_suffix(1);
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return false;
  if (shift != 0 && v > (UINT64_MAX >> shift)) return false;
  out = v << shift;
  return out > 0;
}

std::string_view validate_help_text() { return kHelp; }

Result<ValidateOptions, UsageError> parse_validate_options(
    const std::vector<std::string_view>& args) {
  ValidateOptions opts;
  bool have_output = false, have_dialect = false, have_threads = false, have_max = false;
  OptionScanner scanner(args, {"-h", "--help", "--formats", "--ndjson"},
                        {"--schema", "--ref-map", "--default-dialect", "--output", "--threads",
                         "--max-document-bytes"});
  for (;;) {
    auto scanned = scanner.next();
    if (!scanned.ok()) return usage(scanned.error());
    if (!*scanned) break;
    const ScannedArg& a = **scanned;
    if (a.kind == ScannedArg::Kind::positional) {
      opts.inputs.emplace_back(a.value);
      continue;
    }
    if (a.kind == ScannedArg::Kind::flag) {
      if (a.name == "-h" || a.name == "--help") opts.show_help = true;
      if (a.name == "--formats") opts.assert_formats = true;
      if (a.name == "--ndjson") opts.ndjson = true;
      continue;
    }
    std::string_view name = a.name, value = a.value;
    if (name == "--schema") {
      if (!opts.schema_path.empty()) return usage("--schema given more than once");
      if (value.empty()) return usage("--schema needs a file name");
      opts.schema_path = value;
    } else if (name == "--ref-map") {
      auto eq = value.find('=');
      if (eq == std::string_view::npos || eq == 0 || eq + 1 == value.size())
        return usage("--ref-map expects PREFIX=DIR, got '" + std::string(value) + "'");
      schema::RefMap map{std::string(value.substr(0, eq)), std::string(value.substr(eq + 1))};
      if (!is_directory(map.directory))
        return usage("--ref-map " + map.prefix + "=" + map.directory + ": not a directory");
      opts.ref_maps.push_back(std::move(map));
    } else if (name == "--default-dialect") {
      if (have_dialect) return usage("--default-dialect given more than once");
      auto d = parse_dialect(value);
      if (!d)
        return usage(
            "unknown dialect '" + std::string(value) +
            "' (expected draft4, draft6, draft7, draft2019-09, draft2020-12 or a metaschema URI)");
      opts.default_dialect = *d;
      have_dialect = true;
    } else if (name == "--output") {
      if (have_output) return usage("--output given more than once");
      auto f = schema::output_format_from_name(value);
      if (!f)
        return usage("unknown output format '" + std::string(value) + "' (expected flag or basic)");
      opts.output = *f;
      have_output = true;
    } else if (name == "--threads") {
      if (have_threads) return usage("--threads given more than once");
      if (!parse_threads(value, opts.threads))
        return usage("--threads expects an integer from 1 to 1024, got '" + std::string(value) +
                     "'");
      have_threads = true;
    } else if (name == "--max-document-bytes") {
      if (have_max) return usage("--max-document-bytes given more than once");
      if (!parse_byte_size(value, opts.max_document_bytes))
        return usage(
            "--max-document-bytes expects a positive size such as 1048576, 64K, 256M or 1G, got '" +
            std::string(value) + "'");
      have_max = true;
    }
  }
  if (opts.show_help) return opts;
  if (opts.schema_path.empty()) return usage("--schema is required");
  return opts;
}

}  // namespace hotpath::cli
