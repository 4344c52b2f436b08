// hotpath-conformance: runs the official JSON-Schema-Test-Suite against core/schema and counts
// passes per draft and per optional group. `make test` gates on its exit status: every required
// test must pass and at least 97% of the optional ones.
//
//   hotpath-conformance SUITE_DIR [--draft NAME] [--verbose] [--trace] [--test-timeout SECONDS]
#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "hotpath/json.h"
#include "hotpath/schema.h"

namespace {

namespace fs = std::filesystem;
namespace json = hotpath::json;
namespace schema = hotpath::schema;

// The suite serves its remote schemas from this origin; we map it onto SUITE_DIR/remotes/.
constexpr std::string_view kRemotesOrigin = "http://localhost:1234/";

// Gate: the share of optional tests (skips count as not passed) that must pass.
constexpr double kOptionalPassRateGate = 97.0;

struct DraftDirectory {
  std::string_view name;  // directory under tests/, also the group name
  schema::Dialect dialect;
};
constexpr DraftDirectory kDrafts[] = {
    {"draft4", schema::Dialect::draft4},
    {"draft6", schema::Dialect::draft6},
    {"draft7", schema::Dialect::draft7},
    {"draft2019-09", schema::Dialect::draft2019_09},
    {"draft2020-12", schema::Dialect::draft2020_12},
};

// Directories of tests/ the runner deliberately does not run.
struct NotRun {
  std::string_view name;
  std::string_view reason;
};
constexpr NotRun kNotRun[] = {
    {"draft3", "not a supported dialect"},
    {"latest", "an alias of draft2020-12, which is run under its own name"},
    {"v1", "not a supported dialect: the unreleased successor of 2020-12"},
};

// Tests that are not run, each with the reason. `file` is matched (fnmatch) against the path
// under tests/, e.g. "draft4/optional/zeroTerminatedFloats.json"; `test_case` and `test`
// against the descriptions. Every entry here must say why; the goal is an empty table.
struct Skip {
  std::string_view file;
  std::string_view test_case;
  std::string_view test;
  std::string_view reason;
};
const std::vector<Skip>& skips() {
  static const std::vector<Skip> table = {
      // (none yet)
  };
  return table;
}

struct Counts {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  uint64_t total() const { return passed + failed + skipped; }
  Counts& operator+=(const Counts& o) {
    passed += o.passed;
    failed += o.failed;
    skipped += o.skipped;
    return *this;
  }
};

struct RunOptions {
  fs::path suite;
  std::optional<std::string> only_draft;
  bool verbose = false;
  bool trace = false;
  int test_timeout_seconds = 60;
};

// Stops the process with a clear message when one test runs for longer than the limit, so a
// hanging evaluation is reported by name instead of as a bare ctest timeout.
class HangWatchdog {
 public:
  explicit HangWatchdog(int limit_seconds) : limit_(limit_seconds) {
    if (limit_ > 0) thread_ = std::thread([this] { watch(); });
  }
  ~HangWatchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  void begin(std::string label) {
    std::lock_guard<std::mutex> lock(mutex_);
    label_ = std::move(label);
    started_ = std::chrono::steady_clock::now();
    running_ = true;
  }
  void end() {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
  }

 private:
  void watch() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      wake_.wait_for(lock, std::chrono::milliseconds(200));
      if (running_ && std::chrono::steady_clock::now() - started_ > std::chrono::seconds(limit_)) {
        std::fprintf(stderr, "hotpath-conformance: HUNG for more than %d s on: %s\n", limit_,
                     label_.c_str());
        std::fflush(stdout);
        std::_Exit(3);
      }
    }
  }

  int limit_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool running_ = false;
  std::string label_;
  std::chrono::steady_clock::time_point started_;
};

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<fs::path> json_files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string_view string_member(const json::Value& object, std::string_view key) {
  const json::Value* v = object.is_object() ? object.find(key) : nullptr;
  return v && v->is_string() ? v->as_string() : std::string_view{};
}

bool glob_matches(std::string_view pattern, std::string_view text) {
  return fnmatch(std::string(pattern).c_str(), std::string(text).c_str(), 0) == 0;
}

const Skip* find_skip(std::string_view file, std::string_view test_case, std::string_view test) {
  for (const Skip& s : skips()) {
    if (glob_matches(s.file, file) && glob_matches(s.test_case, test_case) &&
        glob_matches(s.test, test))
      return &s;
  }
  return nullptr;
}

std::string truncated(std::string s, size_t limit = 2000) {
  if (s.size() > limit) {
    s.resize(limit);
    s += "...";
  }
  return s;
}

// Everything one group of files needs to run.
struct Group {
  std::string name;  // "draft2020-12", "draft2020-12/optional/bignum"
  std::vector<fs::path> files;
  schema::Dialect dialect;
  bool assert_formats = false;
};

class SuiteRunner {
 public:
  explicit SuiteRunner(RunOptions options)
      : options_(std::move(options)), watchdog_(options_.test_timeout_seconds) {
    remotes_ = (options_.suite / "remotes").string() + "/";
  }

  Counts run_group(const Group& group) {
    Counts counts;
    for (const fs::path& file : group.files) run_file(group, file, counts);
    std::printf("%s: %llu passed, %llu failed, %llu skipped\n", group.name.c_str(),
                static_cast<unsigned long long>(counts.passed),
                static_cast<unsigned long long>(counts.failed),
                static_cast<unsigned long long>(counts.skipped));
    std::fflush(stdout);
    return counts;
  }

 private:
  // A test's outcome: nullopt when it passed, otherwise why it failed.
  using Failure = std::optional<std::string>;

  void run_file(const Group& group, const fs::path& path, Counts& counts) {
    const std::string file = fs::relative(path, options_.suite / "tests").generic_string();
    std::optional<std::string> text = read_file(path);
    json::Document doc;
    if (!text) {
      report_file_error(file, "cannot read the file", counts);
      return;
    }
    auto parsed = doc.parse(*text);
    if (!parsed.ok()) {
      report_file_error(file, "cannot parse the file: " + parsed.error().to_string(), counts);
      return;
    }
    const json::Value& cases = *parsed.value();
    if (!cases.is_array()) {
      report_file_error(file, "the file is not an array of test cases", counts);
      return;
    }
    for (const json::Value* test_case = cases.begin_items(); test_case != cases.end_items();
         ++test_case) {
      run_case(group, file, *test_case, counts);
    }
  }

  void report_file_error(const std::string& file, const std::string& why, Counts& counts) {
    // A file we cannot read counts as one failure so it can never pass silently.
    ++counts.failed;
    std::printf("FAIL %s: %s\n", file.c_str(), why.c_str());
  }

  void run_case(const Group& group, const std::string& file, const json::Value& test_case,
                Counts& counts) {
    const std::string_view case_description = string_member(test_case, "description");
    const json::Value* schema_value = test_case.find("schema");
    const json::Value* tests = test_case.find("tests");
    if (!schema_value || !tests || !tests->is_array()) {
      report_file_error(file, "malformed test case \"" + std::string(case_description) + "\"",
                        counts);
      return;
    }
    const std::string schema_text = json::to_string(*schema_value);

    // Compiled lazily: a case whose tests are all skipped is never compiled. The compiler lives
    // as long as the case so that its test results never depend on validator lifetime rules
    // (those are pinned in core/schema/tests instead).
    std::optional<schema::Compiler> compiler;
    std::optional<hotpath::Result<schema::Validator, schema::CompileError>> compiled;
    for (const json::Value* t = tests->begin_items(); t != tests->end_items(); ++t) {
      const std::string_view test_description = string_member(*t, "description");
      if (const Skip* skip = find_skip(file, case_description, test_description)) {
        ++counts.skipped;
        if (options_.verbose) {
          std::printf("SKIP %s | %s | %s: %.*s\n", file.c_str(),
                      std::string(case_description).c_str(), std::string(test_description).c_str(),
                      static_cast<int>(skip->reason.size()), skip->reason.data());
        }
        continue;
      }
      const std::string label =
          file + " | " + std::string(case_description) + " | " + std::string(test_description);
      if (options_.trace) {
        std::fprintf(stderr, "RUN  %s\n", label.c_str());
        std::fflush(stderr);
      }
      watchdog_.begin(label);
      if (!compiled) {
        schema::CompileOptions compile_options;
        compile_options.default_dialect = group.dialect;
        compile_options.assert_formats = group.assert_formats;
        compile_options.ref_maps.push_back({std::string(kRemotesOrigin), remotes_});
        compiler.emplace(std::move(compile_options));
        compiled.emplace(compiler->compile(schema_text));
      }
      const Failure failure = run_test(*compiled, *t);
      watchdog_.end();
      if (!failure) {
        ++counts.passed;
        continue;
      }
      ++counts.failed;
      if (options_.verbose) {
        const json::Value* data = t->find("data");
        const json::Value* valid = t->find("valid");
        std::printf("FAIL %s\n  schema:   %s\n  data:     %s\n  expected: %s\n  why:      %s\n",
                    label.c_str(), truncated(schema_text).c_str(),
                    data ? truncated(json::to_string(*data)).c_str() : "(none)",
                    valid ? json::to_string(*valid).c_str() : "(none)", failure->c_str());
      }
    }
  }

  static Failure run_test(const hotpath::Result<schema::Validator, schema::CompileError>& compiled,
                          const json::Value& test) {
    const json::Value* data = test.find("data");
    const json::Value* valid = test.find("valid");
    if (!data || !valid || !valid->is_bool())
      return "malformed test (needs \"data\" and a boolean \"valid\")";
    if (!compiled.ok()) return "compile error: " + compiled.error().to_string();
    const schema::Validator& validator = compiled.value();
    const bool expected = valid->as_bool();

    const bool got = validator.validate(*data);
    if (got != expected) {
      std::string why = std::string("validate() returned ") + (got ? "valid" : "invalid") +
                        ", expected " + (expected ? "valid" : "invalid");
      if (!got) {
        const schema::Output basic = validator.evaluate(*data, schema::OutputFormat::basic);
        why += "; basic output: " + truncated(basic.to_json());
      }
      return why;
    }
    const schema::Output basic = validator.evaluate(*data, schema::OutputFormat::basic);
    if (basic.valid != got) {
      return std::string("evaluate(basic).valid = ") + (basic.valid ? "true" : "false") +
             " disagrees with validate() = " + (got ? "true" : "false");
    }
    if (!basic.valid && basic.errors.empty()) return "invalid, but the basic output has no errors";
    const schema::Output flag = validator.evaluate(*data, schema::OutputFormat::flag);
    if (flag.valid != got) {
      return std::string("evaluate(flag).valid = ") + (flag.valid ? "true" : "false") +
             " disagrees with validate() = " + (got ? "true" : "false");
    }
    if (!flag.errors.empty()) return "flag output carries errors";
    return std::nullopt;
  }

  RunOptions options_;
  std::string remotes_;
  HangWatchdog watchdog_;
};

std::string percent(const Counts& c) {
  char buf[32];
  const double rate = c.total() == 0
                          ? 100.0
                          : 100.0 * static_cast<double>(c.passed) / static_cast<double>(c.total());
  std::snprintf(buf, sizeof buf, "%.2f%%", rate);
  return buf;
}

void print_counts(const char* name, const Counts& c, bool with_rate) {
  std::printf("%s: %llu passed, %llu failed, %llu skipped", name,
              static_cast<unsigned long long>(c.passed), static_cast<unsigned long long>(c.failed),
              static_cast<unsigned long long>(c.skipped));
  if (with_rate) std::printf(" (%s passed)", percent(c).c_str());
  std::printf("\n");
}

int usage(const char* why) {
  std::fprintf(
      stderr,
      "hotpath-conformance: %s\n"
      "usage: hotpath-conformance SUITE_DIR [--draft NAME] [--verbose] [--trace] [--test-timeout "
      "SECONDS]\n"
      "  SUITE_DIR   a checkout of JSON-Schema-Test-Suite (holds tests/ and remotes/)\n"
      "  --draft     run one of draft4, draft6, draft7, draft2019-09, draft2020-12\n"
      "  --verbose   print every failing (and skipped) test with its schema, data and the reason\n"
      "  --trace     print each test to stderr before running it (to find a crash)\n"
      "  --test-timeout  abort with the test's name when one test runs longer (default 60, 0 = "
      "off)\n",
      why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  RunOptions options;
  bool have_suite = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--verbose" || arg == "-v") {
      options.verbose = true;
    } else if (arg == "--trace") {
      options.trace = true;
    } else if (arg == "--draft" || arg == "--test-timeout") {
      if (i + 1 >= argc) return usage("missing value after an option");
      const std::string value = argv[++i];
      if (arg == "--draft") {
        options.only_draft = value;
      } else {
        char* end = nullptr;
        const long seconds = std::strtol(value.c_str(), &end, 10);
        if (end == value.c_str() || *end != '\0' || seconds < 0)
          return usage("--test-timeout takes seconds");
        options.test_timeout_seconds = static_cast<int>(seconds);
      }
    } else if (!arg.empty() && arg[0] == '-') {
      return usage("unknown option");
    } else if (!have_suite) {
      options.suite = fs::path(std::string(arg));
      have_suite = true;
    } else {
      return usage("more than one SUITE_DIR");
    }
  }
  if (!have_suite) return usage("missing SUITE_DIR");
  std::error_code ec;
  if (!fs::is_directory(options.suite / "tests", ec) ||
      !fs::is_directory(options.suite / "remotes", ec)) {
    std::fprintf(stderr, "hotpath-conformance: %s has no tests/ and remotes/ directories\n",
                 options.suite.string().c_str());
    return 2;
  }
  if (options.only_draft) {
    const bool known =
        std::any_of(std::begin(kDrafts), std::end(kDrafts),
                    [&](const DraftDirectory& d) { return d.name == *options.only_draft; });
    if (!known)
      return usage("unknown --draft (draft4, draft6, draft7, draft2019-09, draft2020-12)");
  }

  // Say what is deliberately left out, and flag any directory of the suite nobody decided about.
  std::string not_run;
  for (const NotRun& n : kNotRun) {
    if (!not_run.empty()) not_run += ", ";
    not_run += std::string(n.name) + " (" + std::string(n.reason) + ")";
  }
  std::printf("not run: %s\n", not_run.c_str());
  for (const auto& entry : fs::directory_iterator(options.suite / "tests", ec)) {
    const std::string name = entry.path().filename().string();
    const bool known = std::any_of(std::begin(kDrafts), std::end(kDrafts),
                                   [&](const auto& d) { return d.name == name; }) ||
                       std::any_of(std::begin(kNotRun), std::end(kNotRun),
                                   [&](const auto& n) { return n.name == name; });
    if (!known) std::printf("note: tests/%s is neither run nor listed as not run\n", name.c_str());
  }

  SuiteRunner runner(options);
  Counts required;
  Counts optional;
  bool missing_draft = false;
  for (const DraftDirectory& draft : kDrafts) {
    if (options.only_draft && *options.only_draft != draft.name) continue;
    const fs::path dir = options.suite / "tests" / std::string(draft.name);
    if (!fs::is_directory(dir, ec)) {
      std::printf("%.*s: missing directory %s\n", static_cast<int>(draft.name.size()),
                  draft.name.data(), dir.string().c_str());
      missing_draft = true;
      continue;
    }
    required +=
        runner.run_group({std::string(draft.name), json_files_in(dir), draft.dialect, false});
    for (const fs::path& file : json_files_in(dir / "optional")) {
      optional += runner.run_group({std::string(draft.name) + "/optional/" + file.stem().string(),
                                    {file},
                                    draft.dialect,
                                    false});
    }
    // The format files test format *assertion*, so they run with CompileOptions::assert_formats.
    for (const fs::path& file : json_files_in(dir / "optional" / "format")) {
      optional +=
          runner.run_group({std::string(draft.name) + "/optional/format/" + file.stem().string(),
                            {file},
                            draft.dialect,
                            true});
    }
  }

  print_counts("required", required, true);
  print_counts("optional", optional, true);
  Counts all = required;
  all += optional;
  print_counts("conformance", all, false);

  const double optional_rate =
      optional.total() == 0
          ? 100.0
          : 100.0 * static_cast<double>(optional.passed) / static_cast<double>(optional.total());
  bool ok = !missing_draft;
  if (required.failed > 0) {
    std::fprintf(stderr, "hotpath-conformance: %llu required test(s) failed\n",
                 static_cast<unsigned long long>(required.failed));
    ok = false;
  }
  if (optional_rate < kOptionalPassRateGate) {
    std::fprintf(stderr, "hotpath-conformance: optional pass rate %.2f%% is below %.0f%%\n",
                 optional_rate, kOptionalPassRateGate);
    ok = false;
  }
  return ok ? 0 : 1;
}
