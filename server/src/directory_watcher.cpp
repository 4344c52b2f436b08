#include "directory_watcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <vector>

namespace hotpath::server {

namespace fs = std::filesystem;

DirectoryWatcher::DirectoryWatcher(std::string dir, uint64_t interval_ms,
                                   PipelineRegistry& registry, const Logger& log)
    : dir_(std::move(dir)), interval_ms_(interval_ms), registry_(registry), log_(log) {}

DirectoryWatcher::~DirectoryWatcher() { stop(); }

void DirectoryWatcher::start() {
  thread_ = std::thread([this] { run(); });
}

void DirectoryWatcher::request_stop() {
  std::lock_guard lock(mu_);
  stopping_ = true;
  cv_.notify_all();
}

void DirectoryWatcher::stop() {
  request_stop();
  if (thread_.joinable()) thread_.join();
}

// "path size mtime_ns" per file, the set's files and then DIR's pipeline folders; a file that
// is gone or unreadable reads as "path -".
std::string DirectoryWatcher::fingerprint(const PipelineSet& set) const {
  std::vector<std::string> files = set.files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    fs::path definition = entry.path() / "pipeline.json";
    if (entry.is_directory(ec) && fs::exists(definition, ec)) files.push_back(definition.string());
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  std::string fp;
  for (const std::string& f : files) {
    struct stat st {};
    fp += f;
    if (::stat(f.c_str(), &st) == 0) {
      fp += ' ' + std::to_string(st.st_size) + ' ' +
            std::to_string(int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec);
    } else {
      fp += " -";
    }
    fp += '\n';
  }
  return fp;
}

void DirectoryWatcher::run() {
  std::string seen = fingerprint(*registry_.snapshot());
  std::string failed;  // the fingerprint of the last failed load: its error is logged once
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stopping_; });
    if (stopping_) return;
    lock.unlock();
    std::string now = fingerprint(*registry_.snapshot());
    if (now != seen && now != failed) {
      auto set = registry_.load_directory(dir_);
      if (set.ok()) {
        std::string names;
        for (const auto& [name, p] : (*set)->pipelines) names += (names.empty() ? "" : ",") + name;
        registry_.publish(std::move(*set));
        seen = fingerprint(*registry_.snapshot());
        failed.clear();
        log_.log(LogLevel::info, "pipelines reloaded", {{"source", dir_}, {"pipelines", names}});
      } else {
        failed = now;
        registry_.record_reload_errors(1);
        log_.log(LogLevel::error, "pipeline reload failed; the current set keeps serving",
                 {{"source", dir_}, {"error", set.error()}});
      }
    }
    lock.lock();
  }
}

}  // namespace hotpath::server
