// ServerOptions: everything hotpathd can be told, from the command line and an optional JSON
// config file (`--config FILE`, same names as the flags without the leading dashes; flags given
// on the command line win over the file).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hotpath/result.h"

namespace hotpath::server {

enum class LogLevel : uint8_t { debug, info, warn, error, off };

struct ServerOptions {
  std::string pipelines_dir;              // --pipelines DIR
  std::string listen = "127.0.0.1:8080";  // --listen HOST:PORT (port 0 = any free port)
  std::string grpc_listen;                // --grpc-listen HOST:PORT (empty: no gRPC)
  std::string redis_url;                  // --redis redis://HOST:PORT[/DB]
  std::string redis_prefix = "hotpath";   // --redis-prefix P (keys P:pipelines, P:pipeline:<n>...)
  std::string playground_dir;             // --playground DIR: the page served at /
  std::string wasm_package_dir;           // --wasm-package DIR: @hotpath/wasm, served at /wasm/
  unsigned threads = 0;                   // --threads N: I/O threads (0 = hardware threads)
  unsigned workers = 0;                   // --workers N: worker pool threads (0 = hardware threads)
  uint64_t max_body_bytes = uint64_t(16) << 20;  // --max-body-bytes (413 above)
  uint64_t max_header_bytes = 16 << 10;          // --max-header-bytes (431 above)
  uint64_t max_connections = 10000;              // --max-connections (503 above)
  uint64_t queue_depth = 1024;                   // --queue-depth: worker queue (429 when full)
  uint64_t inline_max_bytes = 64 << 10;          // --inline-max-bytes: larger bodies -> pool
  uint64_t read_timeout_ms = 10000;   // --read-timeout-ms: whole request, from its first byte
  uint64_t idle_timeout_ms = 60000;   // --idle-timeout-ms: keep-alive wait for the next request
  uint64_t write_timeout_ms = 10000;  // --write-timeout-ms: sending one response
  uint64_t drain_timeout_ms = 30000;  // --drain-timeout-ms: SIGTERM drain, then forced exit
  uint64_t retry_after_s = 1;         // --retry-after-s: Retry-After on 429/503
  uint64_t rules_heap_bytes = uint64_t(128) << 20;  // --rules-heap: each rules isolate's heap
  uint64_t watch_interval_ms = 1000;    // --watch-interval-ms: --pipelines DIR polled (0 = off)
  LogLevel log_level = LogLevel::info;  // --log-level debug|info|warn|error|off
  std::string config_file;              // --config FILE
};

struct UsageError {
  std::string message;
};

// Parses argv (without argv[0]). `--help` sets `help` and returns successfully.
struct ParsedArgs {
  ServerOptions options;
  bool help = false;
  bool version = false;
};
Result<ParsedArgs, UsageError> parse_args(const std::vector<std::string>& args);

std::string usage_text();

}  // namespace hotpath::server
