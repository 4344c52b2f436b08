// DirectoryWatcher: hot reload of `--pipelines DIR`. A background thread polls, every
// --watch-interval-ms, the size and modification time of every file the current set was built
// from, plus the list of DIR's pipeline folders. When anything changed it loads the whole
// directory again — compiling schemas, JSONata and JS rules on this thread, off the request
// path — and swaps the new set in atomically; requests already running finish on the old one.
// A load that fails (a syntax error in a rule, a broken schema) keeps the current set serving,
// logs the error once per change, and counts it in hotpathd_pipeline_reload_errors_total.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "logger.h"
#include "pipeline_registry.h"

namespace hotpath::server {

class DirectoryWatcher {
 public:
  DirectoryWatcher(std::string dir, uint64_t interval_ms, PipelineRegistry& registry,
                   const Logger& log);
  ~DirectoryWatcher();
  DirectoryWatcher(const DirectoryWatcher&) = delete;
  DirectoryWatcher& operator=(const DirectoryWatcher&) = delete;

  void start();
  void request_stop();  // does not wait (safe on an I/O thread)
  void stop();          // stops and joins (idempotent)

 private:
  void run();
  std::string fingerprint(const PipelineSet& set) const;

  std::string dir_;
  uint64_t interval_ms_;
  PipelineRegistry& registry_;
  const Logger& log_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace hotpath::server
