#include "logger.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "hotpath/json.h"

namespace hotpath::server {
namespace {

const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
    case LogLevel::off:
      break;
  }
  return "off";
}

void append_timestamp(std::string& out) {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  out += buf;
}

}  // namespace

void Logger::log(LogLevel l, std::string_view msg, std::initializer_list<LogField> fields) const {
  if (!enabled(l)) return;
  std::string line = "{\"ts\":\"";
  append_timestamp(line);
  line += "\",\"level\":\"";
  line += level_name(l);
  line += "\",\"msg\":";
  json::write_string(msg, line);
  for (const LogField& f : fields) {
    line += ',';
    json::write_string(f.key, line);
    line += ':';
    std::visit(
        [&line](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string_view>) {
            json::write_string(json::is_valid_utf8(v) ? v : std::string_view("<non-UTF-8>"), line);
          } else if constexpr (std::is_same_v<T, bool>) {
            line += v ? "true" : "false";
          } else if constexpr (std::is_same_v<T, double>) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.6g", v);
            line += buf;
          } else {
            line += std::to_string(v);
          }
        },
        f.value);
  }
  line += "}\n";
  // One write per line: O_APPEND-free stderr writes of a few hundred bytes are not split.
  size_t off = 0;
  while (off < line.size()) {
    ssize_t n = ::write(2, line.data() + off, line.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
}

}  // namespace hotpath::server
