#include "server_options.h"

#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <utility>

#include "hotpath/json.h"

namespace hotpath::server {
namespace {

using Setter = std::function<bool(ServerOptions&, const std::string&)>;

bool parse_uint(const std::string& s, uint64_t& out) {
  if (s.empty()) return false;
  uint64_t mult = 1;
  std::string digits = s;
  switch (s.back()) {
    case 'K':
    case 'k':
      mult = uint64_t(1) << 10;
      break;
    case 'M':
    case 'm':
      mult = uint64_t(1) << 20;
      break;
    case 'G':
    case 'g':
      mult = uint64_t(1) << 30;
      break;
    default:
      break;
  }
  if (mult != 1) digits.pop_back();
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || p != digits.data() + digits.size() || digits.empty()) return false;
  if (v > UINT64_MAX / mult) return false;
  out = v * mult;
  return true;
}

Setter uint_field(uint64_t ServerOptions::*field, uint64_t min) {
  return [field, min](ServerOptions& o, const std::string& v) {
    uint64_t n = 0;
    if (!parse_uint(v, n) || n < min) return false;
    o.*field = n;
    return true;
  };
}

Setter threads_field(unsigned ServerOptions::*field) {
  return [field](ServerOptions& o, const std::string& v) {
    uint64_t n = 0;
    if (!parse_uint(v, n) || n > 1024) return false;
    o.*field = static_cast<unsigned>(n);
    return true;
  };
}

Setter string_field(std::string ServerOptions::*field) {
  return [field](ServerOptions& o, const std::string& v) {
    if (v.empty()) return false;
    o.*field = v;
    return true;
  };
}

const std::map<std::string, std::pair<Setter, const char*>>& option_table() {
  static const std::map<std::string, std::pair<Setter, const char*>> table = {
      {"pipelines", {string_field(&ServerOptions::pipelines_dir), "a directory"}},
      {"listen", {string_field(&ServerOptions::listen), "HOST:PORT"}},
      {"grpc-listen", {string_field(&ServerOptions::grpc_listen), "HOST:PORT"}},
      {"redis", {string_field(&ServerOptions::redis_url), "redis://HOST:PORT"}},
      {"redis-prefix", {string_field(&ServerOptions::redis_prefix), "a key prefix"}},
      {"playground", {string_field(&ServerOptions::playground_dir), "a directory"}},
      {"wasm-package", {string_field(&ServerOptions::wasm_package_dir), "a directory"}},
      {"threads", {threads_field(&ServerOptions::threads), "a number 0-1024"}},
      {"workers", {threads_field(&ServerOptions::workers), "a number 0-1024"}},
      {"max-body-bytes", {uint_field(&ServerOptions::max_body_bytes, 1), "a size (K, M, G)"}},
      {"max-header-bytes",
       {uint_field(&ServerOptions::max_header_bytes, 256), "a size of at least 256"}},
      {"max-connections", {uint_field(&ServerOptions::max_connections, 1), "a number >= 1"}},
      {"queue-depth", {uint_field(&ServerOptions::queue_depth, 0), "a number"}},
      {"inline-max-bytes", {uint_field(&ServerOptions::inline_max_bytes, 0), "a size"}},
      {"read-timeout-ms", {uint_field(&ServerOptions::read_timeout_ms, 1), "milliseconds"}},
      {"idle-timeout-ms", {uint_field(&ServerOptions::idle_timeout_ms, 1), "milliseconds"}},
      {"write-timeout-ms", {uint_field(&ServerOptions::write_timeout_ms, 1), "milliseconds"}},
      {"drain-timeout-ms", {uint_field(&ServerOptions::drain_timeout_ms, 1), "milliseconds"}},
      {"retry-after-s", {uint_field(&ServerOptions::retry_after_s, 0), "seconds"}},
      {"rules-heap",
       {uint_field(&ServerOptions::rules_heap_bytes, 16 << 20), "a size of at least 16M"}},
      {"watch-interval-ms", {uint_field(&ServerOptions::watch_interval_ms, 0), "milliseconds"}},
      {"log-level",
       {[](ServerOptions& o, const std::string& v) {
          static const std::map<std::string, LogLevel> levels = {{"debug", LogLevel::debug},
                                                                 {"info", LogLevel::info},
                                                                 {"warn", LogLevel::warn},
                                                                 {"error", LogLevel::error},
                                                                 {"off", LogLevel::off}};
          auto it = levels.find(v);
          if (it == levels.end()) return false;
          o.log_level = it->second;
          return true;
        },
        "debug, info, warn, error or off"}},
  };
  return table;
}

Result<bool, UsageError> apply(ServerOptions& o, const std::string& name, const std::string& value,
                               const std::string& origin) {
  const auto& table = option_table();
  auto it = table.find(name);
  if (it == table.end()) return Failure{UsageError{origin + ": unknown option '" + name + "'"}};
  if (!it->second.first(o, value)) {
    return Failure{UsageError{origin + ": --" + name + " expects " + it->second.second + ", got '" +
                              value + "'"}};
  }
  return true;
}

Result<bool, UsageError> apply_config_file(ServerOptions& o, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Failure{UsageError{"cannot read config file " + path}};
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  json::Document doc;
  auto parsed = doc.parse(text);
  if (!parsed.ok()) {
    return Failure{
        UsageError{"config file " + path + ": invalid JSON at " + parsed.error().to_string()}};
  }
  const json::Value& root = **parsed;
  if (!root.is_object()) return Failure{UsageError{"config file " + path + ": not a JSON object"}};
  for (const json::Member* m = root.begin_members(); m != root.end_members(); ++m) {
    std::string value;
    switch (m->value.type()) {
      case json::Type::string:
        value = std::string(m->value.as_string());
        break;
      case json::Type::number:
        value = std::string(m->value.number_text());
        break;
      default:
        return Failure{UsageError{"config file " + path + ": \"" + std::string(m->key) +
                                  "\" must be a string or a number"}};
    }
    std::string key(m->key);
    if (key == "config") return Failure{UsageError{"config file " + path + ": nested config"}};
    auto r = apply(o, key, value, "config file " + path);
    if (!r.ok()) return Failure{r.error()};
  }
  return true;
}

}  // namespace

std::string usage_text() {
  return R"(usage: hotpathd --pipelines DIR [--listen HOST:PORT] [--grpc-listen HOST:PORT] [--threads N]
                [--config FILE] [--redis redis://HOST:PORT] [limits...]

Serves Hotpath pipelines over HTTP/1.1:
  POST /v1/pipelines/{name}   application/json (one record) or application/x-ndjson (many)
  POST /v1/validate/{name}    only the pipeline's validate step
  GET  /healthz  /readyz  /metrics
  GET  /  and its files        the playground page, with --playground

options (also accepted as keys of the JSON --config file):
  --pipelines DIR          directory of pipelines: DIR/<name>/pipeline.json
  --listen HOST:PORT       default 127.0.0.1:8080; port 0 picks a free port (logged)
  --grpc-listen HOST:PORT  also serve gRPC hotpath.v1.Engine there (port 0: a free port)
  --redis URL              pipelines from Redis (redis://HOST:PORT[/DB]), watched for changes;
                           with --pipelines too, the directory is served until Redis has some
  --redis-prefix P         Redis key prefix (default "hotpath")
  --playground DIR         serve this page folder (web/playground) at /, read at start-up
  --wasm-package DIR       serve the @hotpath/wasm package (bindings/wasm) at /wasm/ for it
  --threads N              I/O threads, each with its own io_context (default: hardware threads)
  --workers N              worker pool threads for large bodies (default: hardware threads)
  --max-body-bytes N       larger bodies get 413 (default 16M; K, M, G suffixes)
  --max-header-bytes N     larger request headers get 431 (default 16K)
  --max-connections N      more open connections get 503 + Retry-After (default 10000)
  --queue-depth N          worker queue bound; a full queue gives 429 + Retry-After (default 1024)
  --inline-max-bytes N     bodies up to N are processed on the I/O thread (default 64K)
  --read-timeout-ms N      time to receive a whole request once it started (default 10000)
  --idle-timeout-ms N      keep-alive connections idle longer are closed (default 60000)
  --write-timeout-ms N     time to send one response (default 10000)
  --drain-timeout-ms N     SIGTERM/SIGINT drain limit before a forced exit (default 30000)
  --retry-after-s N        Retry-After value on 429/503 (default 1)
  --rules-heap N           heap limit of each JS rules isolate (one per thread; default 128M)
  --watch-interval-ms N    poll --pipelines DIR for changes and hot-reload them (default 1000;
                           0 = never; not used with --redis)
  --log-level L            debug, info (one line per request), warn, error, off (default info)
  --help, --version
)";
}

Result<ParsedArgs, UsageError> parse_args(const std::vector<std::string>& args) {
  ParsedArgs out;
  std::vector<std::pair<std::string, std::string>> flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out.help = true;
      return out;
    }
    if (a == "--version") {
      out.version = true;
      return out;
    }
    if (a.rfind("--", 0) != 0) return Failure{UsageError{"unexpected argument '" + a + "'"}};
    std::string name = a.substr(2), value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else {
      if (i + 1 >= args.size()) return Failure{UsageError{"--" + name + " needs a value"}};
      value = args[++i];
    }
    if (name == "config") {
      out.options.config_file = value;
    } else {
      if (option_table().find(name) == option_table().end())
        return Failure{UsageError{"unknown option --" + name}};
      flags.emplace_back(name, value);
    }
  }
  if (!out.options.config_file.empty()) {
    auto r = apply_config_file(out.options, out.options.config_file);
    if (!r.ok()) return Failure{r.error()};
  }
  for (const auto& [name, value] : flags) {
    auto r = apply(out.options, name, value, "command line");
    if (!r.ok()) return Failure{r.error()};
  }
  if (out.options.pipelines_dir.empty() && out.options.redis_url.empty())
    return Failure{UsageError{"--pipelines DIR or --redis URL (or both) is required"}};
  return out;
}

}  // namespace hotpath::server
