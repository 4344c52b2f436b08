// HttpServer: hotpathd's HTTP/1.1 front (Boost.Beast over Asio). The only translation unit that
// includes Beast, so the rest of the server compiles quickly.
//
// Threads: N I/O threads, each running its own io_context; one acceptor hands connections out
// round-robin. Bodies up to --inline-max-bytes are processed on the I/O thread; larger ones go
// to the bounded WorkerPool, and the response is posted back to the connection's thread.
// SIGTERM/SIGINT drain: stop accepting, close idle keep-alive connections, finish every request
// already started (responses then carry `Connection: close`), exit.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "hotpath/result.h"
#include "logger.h"
#include "metrics.h"
#include "pipeline_registry.h"
#include "server_options.h"
#include "static_site.h"

namespace hotpath::server {

class HttpServer {
 public:
  // `site` (may be null: no page) is served for GET requests outside the API routes.
  HttpServer(const ServerOptions& options, PipelineRegistry& registry, Metrics& metrics,
             const Logger& log, const StaticSite* site = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens on --listen. Returns the bound port (useful with port 0).
  Result<uint16_t, std::string> listen();
  // Called once when a drain starts (e.g. to stop the Redis watcher).
  void on_drain(std::function<void()> callback);
  // Serves until a signal has drained every connection. Returns the process exit code:
  // 0 after a complete drain, 1 when --drain-timeout-ms forced it.
  int run();

  struct Impl;  // defined in http_server.cpp (keeps Beast out of this header)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotpath::server
