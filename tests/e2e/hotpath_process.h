// Runs build/bin/hotpath as a child process (posix_spawn) for the end-to-end tests: feeds its
// stdin (from a string or a generator, for inputs too large to hold), captures or streams its
// stdout, captures stderr, and reports the exit code and the child's own peak RSS.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace hotpath::e2e {

struct ProcessResult {
  int exit_code = -1;  // -1 when the child died from a signal (see term_signal)
  int term_signal = 0;
  std::string out;  // empty when RunSpec::stdout_sink was given
  std::string err;
  long max_rss_kib = 0;  // peak resident set size of the child (getrusage via wait4)
};

struct RunSpec {
  std::vector<std::string> args;  // after the program name
  std::string stdin_data;
  // When set, called repeatedly for stdin bytes: fill up to `capacity` bytes of `buffer`,
  // return how many were written, 0 at the end.
  std::function<size_t(char* buffer, size_t capacity)> stdin_generator;
  // When set, stdout is streamed here chunk by chunk instead of being kept in `out`.
  std::function<void(std::string_view chunk)> stdout_sink;
  // When true, the child's stderr is a pseudo-terminal (isatty(2) is true); `err` gets what
  // the terminal received.
  bool stderr_is_tty = false;
};

ProcessResult run_hotpath(const RunSpec& spec);
// Shorthand: args, optional stdin.
ProcessResult run_hotpath(std::vector<std::string> args, std::string stdin_data = {});

// A private temporary directory, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to path()/name (creating subdirectories) and returns the full path.
  std::string write(const std::string& name, std::string_view content) const;

 private:
  std::string path_;
};

// The invalid unit the CLI prints for input that cannot be validated.
std::string rejected_unit(std::string_view error);

}  // namespace hotpath::e2e
