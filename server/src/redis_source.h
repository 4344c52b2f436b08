// RedisSource: pipelines shared through Redis, so every hotpathd instance serves the same set.
//
// Key layout (P = --redis-prefix, default "hotpath"):
//   P:pipelines         set of pipeline names
//   P:pipeline:<name>   hash, one field per file of the pipeline's folder: "pipeline.json" (the
//                       definition, as on disk) and the files it names ("schema": "schema.json"
//                       -> field "schema.json"); schemas get the base URI
//                       redis://pipelines/<name>/<field>
//   P:changes           pub/sub channel: publish anything after changing the keys
//
// A background thread subscribes to P:changes and, on every message (and after every
// reconnect), reads all pipelines, compiles them and publishes one new snapshot atomically.
// A pipeline that fails to compile keeps its previous version (the error is logged and
// counted); one deleted from P:pipelines is dropped. If P:pipelines does not exist at all (an
// empty, restarted Redis), the current snapshot is kept. When Redis goes away the instance keeps
// serving what it has and reconnects with exponential backoff (100 ms to 5 s).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "hotpath/result.h"
#include "logger.h"
#include "pipeline_registry.h"
#include "server_options.h"

namespace hotpath::server {

class RedisSource {
 public:
  // Checks the URL (redis://HOST:PORT[/DB]); does not connect yet.
  static Result<std::unique_ptr<RedisSource>, std::string> create(const ServerOptions& options,
                                                                  PipelineRegistry& registry,
                                                                  const Logger& log);
  ~RedisSource();
  RedisSource(const RedisSource&) = delete;
  RedisSource& operator=(const RedisSource&) = delete;

  void start();         // starts the watcher thread
  void request_stop();  // asks the thread to stop; does not wait (safe on an I/O thread)
  void stop();          // stops and joins it (idempotent)

 private:
  RedisSource(PipelineRegistry& registry, const Logger& log);
  void run();
  bool wait_or_stop(int fd, int timeout_ms);  // true: fd readable; false: timeout or stop
  bool reload();                              // false when Redis failed mid-read (reconnect)

  PipelineRegistry& registry_;
  const Logger& log_;
  std::string host_;
  int port_ = 6379;
  int db_ = 0;
  std::string prefix_;
  std::string url_;
  int stop_pipe_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  struct Connection;
  std::unique_ptr<Connection> commands_;
};

}  // namespace hotpath::server
