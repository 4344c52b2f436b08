#include "transform_command.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>

#include "hotpath/json.h"
#include "hotpath/jsonata.h"
#include "input_source.h"
#include "option_scanner.h"
#include "record_checker.h"
#include "validate_command.h"
#include "validate_options.h"

namespace hotpath::cli {
namespace {

constexpr std::string_view kHelp =
    R"(Usage: hotpath transform (--expr E | --expr-file F) [OPTIONS] [FILE|-]...

Evaluate a JSONata expression (the language of jsonata-js 2.x) over JSON documents.

Each FILE holds one JSON document; '-' or no FILE at all reads standard input. Each result is
printed as compact JSON on its own line; an undefined result prints nothing. With --ndjson
every input line is a document and exactly one line is printed per input line (empty when
the result is undefined or the line failed).

Options:
  --expr E                   the expression
  --expr-file F              read the expression from a file
  --bindings B.json          a JSON object whose members are bound as $name
  --ndjson                   newline-delimited JSON: each line is one document
  --no-input                 evaluate once with no input at all (no FILE may be given)
  --timeout-ms N             fail an evaluation running longer than N ms (code U1001)
  --max-depth N              fail an evaluation nesting deeper than N calls (code U1001)
  --max-document-bytes N     refuse larger documents or NDJSON lines; suffixes K, M, G
                             (default: 256M)
  -h, --help                 show this help and exit

Errors: the first line on standard error is "CODE at position N: message" with jsonata-js's
code (e.g. S0201 syntax, T2001 type, D3030 dynamic, U1001 limit); with --ndjson each failed
line is reported as "line L: CODE at position N: message" and the run continues.

Exit status:
  0  every evaluation succeeded
  1  an expression error (compile or evaluation), or an input that is not JSON
  2  usage error, I/O error, or a document larger than --max-document-bytes
)";

struct TransformOptions {
  bool show_help = false;
  std::string expr;
  std::string expr_file;
  bool have_expr = false;
  std::string bindings_file;
  bool ndjson = false;
  bool no_input = false;
  jsonata::Limits limits;
  uint64_t max_document_bytes = kDefaultMaxDocumentBytes;
  std::vector<std::string> inputs;
};

struct UsageFailure {
  std::string message;
};

Failure<UsageFailure> usage(std::string message) {
  return Failure<UsageFailure>{UsageFailure{std::move(message)}};
}

bool parse_u32(std::string_view text, uint32_t& out) {
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || v == 0) return false;
  out = v;
  return true;
}

Result<TransformOptions, UsageFailure> parse_options(const std::vector<std::string_view>& args) {
  TransformOptions opts;
  OptionScanner scanner(args, {"-h", "--help", "--ndjson", "--no-input"},
                        {"--expr", "--expr-file", "--bindings", "--timeout-ms", "--max-depth",
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
      if (a.name == "--ndjson") opts.ndjson = true;
      if (a.name == "--no-input") opts.no_input = true;
      continue;
    }
    std::string_view name = a.name, value = a.value;
    if (name == "--expr" || name == "--expr-file") {
      if (opts.have_expr) return usage("give the expression once: --expr or --expr-file");
      opts.have_expr = true;
      (name == "--expr" ? opts.expr : opts.expr_file) = value;
      if (name == "--expr-file" && value.empty()) return usage("--expr-file needs a file name");
    } else if (name == "--bindings") {
      if (!opts.bindings_file.empty()) return usage("--bindings given more than once");
      if (value.empty()) return usage("--bindings needs a file name");
      opts.bindings_file = value;
    } else if (name == "--timeout-ms") {
      if (!parse_u32(value, opts.limits.timeout_ms))
        return usage("--timeout-ms expects a positive integer, got '" + std::string(value) + "'");
    } else if (name == "--max-depth") {
      if (!parse_u32(value, opts.limits.max_depth))
        return usage("--max-depth expects a positive integer, got '" + std::string(value) + "'");
    } else if (name == "--max-document-bytes") {
      if (!parse_byte_size(value, opts.max_document_bytes))
        return usage(
            "--max-document-bytes expects a positive size such as 1048576, 64K, 256M or 1G, got '" +
            std::string(value) + "'");
    }
  }
  if (opts.show_help) return opts;
  if (!opts.have_expr) return usage("--expr or --expr-file is required");
  if (opts.no_input && !opts.inputs.empty()) return usage("--no-input takes no FILE");
  if (opts.no_input && opts.ndjson) return usage("--no-input and --ndjson exclude each other");
  return opts;
}

// The expression error line: "CODE at position N: message" (no prefix: scripts match on it).
void print_expression_error(const jsonata::Error& error, std::string_view prefix = {}) {
  std::string line(prefix);
  line += error.to_string();
  line += '\n';
  (void)write_all(STDERR_FILENO, line);
}

bool write_out(std::string& out) {
  if (out.empty()) return true;
  bool ok = write_all(STDOUT_FILENO, out);
  out.clear();
  if (!ok && errno != EPIPE)
    print_error(std::string("cannot write output: ") + std::strerror(errno));
  return ok;
}

// Evaluates one NDJSON stream: one output line per input line.
class NdjsonTransformer {
 public:
  NdjsonTransformer(const jsonata::Expression& expr, const jsonata::Bindings* bindings,
                    const TransformOptions& opts)
      : expr_(expr), bindings_(bindings), opts_(opts) {
    parse_options_.max_size = opts.max_document_bytes;
  }

  // Returns false on an I/O error (already reported); counts failed lines in `failed`.
  bool run(InputSource& input, uint64_t& failed) {
    std::string buffer;
    size_t begin = 0;  // start of the current, incomplete line in `buffer`
    uint64_t line_no = 0;
    constexpr size_t kChunk = size_t(1) << 20;
    for (;;) {
      if (begin > 0 && begin >= buffer.size() / 2) {
        buffer.erase(0, begin);
        begin = 0;
      }
      size_t old = buffer.size();
      buffer.resize(old + kChunk);
      auto n = input.read_some(buffer.data() + old, kChunk);
      if (!n.ok()) {
        print_error(n.error().message);
        return false;
      }
      buffer.resize(old + *n);
      const bool eof = *n == 0;
      for (;;) {
        size_t nl = buffer.find('\n', begin);
        if (nl == std::string::npos) {
          if (!eof) break;
          if (begin == buffer.size()) break;
          nl = buffer.size();  // a final line without '\n'
        }
        std::string_view line(buffer.data() + begin, nl - begin);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        ++line_no;
        if (!one_line(line, line_no)) ++failed;
        begin = std::min(nl + 1, buffer.size());
        if (out_.size() >= (size_t(64) << 10) && !write_out(out_)) return false;
      }
      if (eof) break;
      if (buffer.size() - begin > opts_.max_document_bytes) {
        print_error(input.name() + ": line " + std::to_string(line_no + 1) +
                    " is larger than --max-document-bytes " +
                    describe_size(opts_.max_document_bytes));
        return false;
      }
    }
    return write_out(out_);
  }

 private:
  bool one_line(std::string_view line, uint64_t line_no) {
    auto parsed = document_.parse(line, parse_options_);
    if (!parsed.ok()) {
      print_error("line " + std::to_string(line_no) + ": " +
                  (line.empty() ? invalid_json_message(line_no, 1, "empty line")
                                : invalid_json_message(line_no, parsed.error().column,
                                                       parsed.error().message)));
      out_ += '\n';
      return false;
    }
    auto r = expr_.evaluate(*parsed, out_, bindings_, opts_.limits);
    if (!r.ok()) {
      print_expression_error(r.error(), "line " + std::to_string(line_no) + ": ");
      out_ += '\n';
      return false;
    }
    out_ += '\n';
    return true;
  }

  const jsonata::Expression& expr_;
  const jsonata::Bindings* bindings_;
  const TransformOptions& opts_;
  json::ParseOptions parse_options_;
  json::Document document_;
  std::string out_;
};

}  // namespace

int run_transform(const std::vector<std::string_view>& args) {
  auto parsed = parse_options(args);
  if (!parsed.ok()) {
    print_usage_error(parsed.error().message, "transform");
    return kExitError;
  }
  TransformOptions& opts = *parsed;
  if (opts.show_help) return write_all(STDOUT_FILENO, kHelp) ? kExitValid : kExitError;

  if (!opts.expr_file.empty()) {
    auto text = InputSource::read_file(opts.expr_file, opts.max_document_bytes);
    if (!text.ok()) {
      print_error("cannot read expression: " + text.error().message);
      return kExitError;
    }
    opts.expr = std::move(*text);
  }
  auto expr = jsonata::Expression::compile(opts.expr);
  if (!expr.ok()) {
    print_expression_error(expr.error());
    return kExitInvalid;
  }

  // Bindings: their Document lives until the end of the run.
  json::Document bindings_doc;
  jsonata::Bindings bindings;
  const jsonata::Bindings* bindings_ptr = nullptr;
  if (!opts.bindings_file.empty()) {
    auto text = InputSource::read_file(opts.bindings_file, opts.max_document_bytes);
    if (!text.ok()) {
      print_error("cannot read bindings: " + text.error().message);
      return kExitError;
    }
    auto root = bindings_doc.parse(*text);
    if (!root.ok()) {
      print_error(opts.bindings_file + ": invalid JSON at " + root.error().to_string());
      return kExitError;
    }
    if (!bindings.set_all(**root)) {
      print_error(opts.bindings_file + ": bindings must be a JSON object");
      return kExitError;
    }
    bindings_ptr = &bindings;
  }

  std::string out;
  if (opts.no_input) {
    auto r = expr->evaluate(nullptr, out, bindings_ptr, opts.limits);
    if (!r.ok()) {
      print_expression_error(r.error());
      return kExitInvalid;
    }
    if (*r) out += '\n';
    return write_out(out) ? kExitValid : kExitError;
  }

  if (opts.inputs.empty()) opts.inputs.emplace_back("-");
  uint64_t failed = 0;
  if (opts.ndjson) {
    NdjsonTransformer transformer(*expr, bindings_ptr, opts);
    for (const auto& path : opts.inputs) {
      auto input = InputSource::open(path);
      if (!input.ok()) {
        print_error(input.error().message);
        return kExitError;
      }
      if (!transformer.run(*input, failed)) return kExitError;
    }
    return failed == 0 ? kExitValid : kExitInvalid;
  }

  json::Document doc;
  json::ParseOptions parse_options;
  parse_options.max_size = opts.max_document_bytes;
  for (const auto& path : opts.inputs) {
    auto input = InputSource::open(path);
    if (!input.ok()) {
      print_error(input.error().message);
      return kExitError;
    }
    auto bytes = input->read_all(opts.max_document_bytes);
    if (!bytes.ok()) {
      print_error(bytes.error().message);
      return kExitError;
    }
    auto root = doc.parse(*bytes, parse_options);
    if (!root.ok()) {
      print_error(
          input->name() + ": " +
          invalid_json_message(root.error().line, root.error().column, root.error().message));
      ++failed;
      continue;
    }
    auto r = expr->evaluate(*root, out, bindings_ptr, opts.limits);
    if (!r.ok()) {
      print_expression_error(r.error());
      return kExitInvalid;
    }
    if (*r) out += '\n';
    if (!write_out(out)) return kExitError;
  }
  return failed == 0 ? kExitValid : kExitInvalid;
}

}  // namespace hotpath::cli
