// hotpathd: the Hotpath engine over HTTP. Parses options, loads the pipelines, serves until
// SIGTERM/SIGINT has drained every connection. Exit codes: 0 clean drain, 1 forced stop after
// --drain-timeout-ms, 2 usage, configuration or pipeline error at startup.
#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "directory_watcher.h"
#include "grpc_server.h"
#include "http_server.h"
#include "logger.h"
#include "metrics.h"
#include "pipeline_registry.h"
#include "redis_source.h"
#include "rules_host.h"
#include "server_options.h"
#include "static_site.h"

namespace {

// A connection flood needs file descriptors: use the hard limit, not the (often 1024) soft one.
void raise_fd_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hotpath::server;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = parse_args(args);
  if (!parsed.ok()) {
    std::fprintf(stderr, "hotpathd: %s\n(run hotpathd --help for the options)\n",
                 parsed.error().message.c_str());
    return 2;
  }
  if (parsed->help) {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  if (parsed->version) {
    std::printf("hotpathd %s\n", HOTPATH_VERSION);
    return 0;
  }
  const ServerOptions& options = parsed->options;
  std::signal(SIGPIPE, SIG_IGN);
  raise_fd_limit();

  Logger log(options.log_level);
  PipelineRegistry registry;
  Metrics metrics;
  configure_rules(options.rules_heap_bytes, &log);
  // With both --pipelines and --redis, the directory is the starting set (ready at once) and
  // Redis replaces it as soon as it holds pipelines.
  if (!options.pipelines_dir.empty()) {
    auto set = registry.load_directory(options.pipelines_dir);
    if (!set.ok()) {
      std::fprintf(stderr, "hotpathd: %s\n", set.error().c_str());
      return 2;
    }
    std::string names;
    for (const auto& [name, p] : (*set)->pipelines) names += (names.empty() ? "" : ",") + name;
    registry.publish(std::move(*set));
    log.log(LogLevel::info, "pipelines loaded",
            {{"source", options.pipelines_dir}, {"pipelines", names}});
  }
  std::unique_ptr<RedisSource> redis;
  if (!options.redis_url.empty()) {
    // Pipelines from Redis are loaded in the background; without --pipelines, /readyz answers
    // 503 until the first load.
    auto source = RedisSource::create(options, registry, log);
    if (!source.ok()) {
      std::fprintf(stderr, "hotpathd: %s\n", source.error().c_str());
      return 2;
    }
    redis = std::move(*source);
  }

  std::optional<StaticSite> site;
  if (!options.playground_dir.empty()) {
    auto loaded = StaticSite::load(options.playground_dir, options.wasm_package_dir);
    if (!loaded.ok()) {
      std::fprintf(stderr, "hotpathd: %s\n", loaded.error().c_str());
      return 2;
    }
    site = std::move(*loaded);
    log.log(LogLevel::info, "playground loaded",
            {{"source", options.playground_dir},
             {"files", uint64_t(site->file_count())},
             {"bytes", uint64_t(site->total_bytes())}});
  }

  HttpServer server(options, registry, metrics, log, site ? &*site : nullptr);
  auto port = server.listen();
  if (!port.ok()) {
    std::fprintf(stderr, "hotpathd: %s\n", port.error().c_str());
    return 2;
  }
  std::unique_ptr<GrpcServer> grpc;
  if (!options.grpc_listen.empty()) {
    grpc = std::make_unique<GrpcServer>(options, registry, metrics, log);
    auto grpc_port = grpc->start();
    if (!grpc_port.ok()) {
      std::fprintf(stderr, "hotpathd: %s\n", grpc_port.error().c_str());
      return 2;
    }
    std::printf("hotpathd gRPC listening on port %u\n", unsigned(*grpc_port));
  }
  if (redis) redis->start();
  // Without Redis, the directory is the source of truth: watch it for changes.
  std::unique_ptr<DirectoryWatcher> watcher;
  if (!redis && options.watch_interval_ms > 0) {
    watcher = std::make_unique<DirectoryWatcher>(options.pipelines_dir, options.watch_interval_ms,
                                                 registry, log);
    watcher->start();
  }
  // Runs on an I/O thread when the drain starts: only non-blocking requests here.
  server.on_drain([&redis, &grpc, &watcher] {
    if (watcher) watcher->request_stop();
    if (redis) redis->request_stop();
    if (grpc) grpc->begin_shutdown();
  });
  // The last line on stdout: tells scripts and tests (with --listen HOST:0) where to connect.
  std::printf("hotpathd listening on port %u\n", unsigned(*port));
  std::fflush(stdout);
  log.log(LogLevel::info, "listening",
          {{"listen", options.listen}, {"port", uint64_t(*port)}, {"pid", int64_t(getpid())}});
  int code = server.run();
  if (watcher) watcher->stop();
  if (redis) redis->stop();
  if (grpc) {
    grpc->wait();
    grpc.reset();
    log.log(LogLevel::info, "grpc stopped");
    // Every call is answered and every log line written. gRPC 1.51's library shutdown at exit
    // then idles 1-2 s waiting for its internal timer threads; skip it.
    std::fflush(stdout);
    std::_Exit(code);
  }
  return code;
}
