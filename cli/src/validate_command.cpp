#include "validate_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "hotpath/schema.h"
#include "input_source.h"
#include "ndjson_validator.h"
#include "progress_meter.h"
#include "record_checker.h"
#include "validate_options.h"

namespace hotpath::cli {
namespace {

// Fails before any output when an input file is missing, so that a typo in the last of many
// file names does not leave a half-written result behind.
bool check_inputs_exist(const std::vector<std::string>& inputs) {
  for (const auto& path : inputs) {
    if (path == "-") continue;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      print_error("cannot open '" + path + "': " + std::strerror(errno));
      return false;
    }
    if (S_ISDIR(st.st_mode)) {
      print_error("cannot read '" + path + "': Is a directory");
      return false;
    }
  }
  return true;
}

Result<schema::Validator, int> compile_schema(const ValidateOptions& opts) {
  // Read errors are reported as such (not as schema errors) before compiling.
  auto file = InputSource::open(opts.schema_path);
  if (!file.ok()) {
    print_error("cannot read schema: " + file.error().message);
    return Failure<int>{kExitError};
  }
  schema::CompileOptions copts;
  copts.default_dialect = opts.default_dialect;
  copts.assert_formats = opts.assert_formats;
  copts.ref_maps = opts.ref_maps;
  schema::Compiler compiler(std::move(copts));
  auto validator = compiler.compile_file(opts.schema_path);
  if (!validator.ok()) {
    print_error("schema error: " + validator.error().to_string());
    return Failure<int>{kExitError};
  }
  return std::move(validator).value();
}

}  // namespace

int run_validate(const std::vector<std::string_view>& args) {
  auto parsed = parse_validate_options(args);
  if (!parsed.ok()) {
    print_usage_error(parsed.error().message, "validate");
    return kExitError;
  }
  ValidateOptions& opts = *parsed;
  if (opts.show_help) {
    return write_all(STDOUT_FILENO, validate_help_text()) ? kExitValid : kExitError;
  }
  if (opts.inputs.empty()) opts.inputs.emplace_back("-");
  if (!check_inputs_exist(opts.inputs)) return kExitError;

  auto validator = compile_schema(opts);
  if (!validator.ok()) return validator.error();

  uint64_t invalid = 0;
  if (opts.ndjson) {
    NdjsonConfig config;
    config.output = opts.output;
    config.threads =
        opts.threads != 0 ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
    config.max_record_bytes = opts.max_document_bytes;
    ProgressMeter progress;
    NdjsonValidator ndjson(*validator, config, progress);
    for (const auto& path : opts.inputs) {
      auto input = InputSource::open(path);
      if (!input.ok()) {
        progress.finish();
        print_error(input.error().message);
        return kExitError;
      }
      auto stats = ndjson.run(*input, STDOUT_FILENO);
      if (!stats.ok()) {
        progress.finish();
        if (!stats.error().message.empty()) print_error(stats.error().message);
        return kExitError;
      }
      invalid += stats->invalid;
    }
    progress.finish();
  } else {
    RecordChecker checker(*validator, opts.output, opts.max_document_bytes);
    std::string out;
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
      out.clear();
      if (!checker.check(*bytes, 1, out)) ++invalid;
      if (!write_all(STDOUT_FILENO, out)) {
        if (errno != EPIPE)
          print_error(std::string("cannot write output: ") + std::strerror(errno));
        return kExitError;
      }
    }
  }
  return invalid == 0 ? kExitValid : kExitInvalid;
}

}  // namespace hotpath::cli
