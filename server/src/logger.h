// Logger: structured logs, one JSON object per line on stderr
// ({"ts":"2026-11-21T17:30:00.123Z","level":"info","msg":"request",...}). Thread-safe; a line
// is written with one write() so lines from different threads never interleave.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "server_options.h"

namespace hotpath::server {

struct LogField {
  std::string_view key;
  std::variant<std::string_view, int64_t, uint64_t, double, bool> value;
};

class Logger {
 public:
  explicit Logger(LogLevel level) : level_(level) {}
  bool enabled(LogLevel l) const { return l >= level_ && level_ != LogLevel::off; }
  void log(LogLevel l, std::string_view msg, std::initializer_list<LogField> fields = {}) const;

 private:
  LogLevel level_;
};

}  // namespace hotpath::server
