#include "rules_host.h"

#include <array>
#include <atomic>
#include <memory>

#include "pipeline_registry.h"

namespace hotpath::server {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

struct Config {
  uint64_t heap_limit_bytes = uint64_t(128) << 20;
  const Logger* log = nullptr;
};
Config config;

// Results: ok, rejected, then one per rules::Error::Kind.
constexpr std::array<const char*, 7> kResults = {"ok",      "rejected", "load_error", "thrown",
                                                 "timeout", "heap",     "bad_result"};
std::array<std::atomic<uint64_t>, kResults.size()> results{};
std::atomic<uint64_t> isolates{0};

}  // namespace

void configure_rules(uint64_t heap_limit_bytes, const Logger* log) {
  config.heap_limit_bytes = heap_limit_bytes;
  config.log = log;
}

namespace {

thread_local std::unique_ptr<rules::Runtime> thread_runtime;
thread_local uint64_t thread_isolates_counted = 0;

// Isolates are created lazily inside the runtime's calls: count the ones this thread's runtime
// created since the last look.
void count_new_isolates() {
  if (!thread_runtime) return;
  const uint64_t created = thread_runtime->stats().isolates_created;
  if (created != thread_isolates_counted) {
    isolates.fetch_add(created - thread_isolates_counted, kRelaxed);
    thread_isolates_counted = created;
  }
}

}  // namespace

rules::Runtime& rules_runtime() {
  if (!thread_runtime) {
    rules::RuntimeOptions options;
    options.heap_limit_bytes = static_cast<size_t>(config.heap_limit_bytes);
    if (config.log && config.log->enabled(LogLevel::info)) {  // else ctx.log costs nothing
      const Logger* log = config.log;
      options.log = [log](const rules::LogEntry& e) {
        log->log(LogLevel::info, "rule log",
                 {{"pipeline", e.pipeline}, {"rule", e.file}, {"message", e.message}});
      };
    }
    thread_runtime = std::make_unique<rules::Runtime>(std::move(options));
  }
  count_new_isolates();
  return *thread_runtime;
}

void warm_rules(const PipelineSet& set) {
  for (const auto& [name, p] : set.pipelines) {
    if (p->rules) (void)rules_runtime().prepare(*p->rules, p->rules_limits);
  }
  count_new_isolates();
}

void count_rules_result(const Result<rules::Outcome, rules::Error>& r) {
  size_t i = r.ok() ? (r->valid ? 0 : 1) : 2 + static_cast<size_t>(r.error().kind);
  results[i].fetch_add(1, kRelaxed);
  count_new_isolates();
}

void render_rules_metrics(std::string& out) {
  out +=
      "# HELP hotpathd_rules_calls_total Records through a pipeline's JS rules, by result.\n"
      "# TYPE hotpathd_rules_calls_total counter\n";
  for (size_t i = 0; i < kResults.size(); ++i) {
    out += std::string("hotpathd_rules_calls_total{result=\"") + kResults[i] + "\"} " +
           std::to_string(results[i].load(kRelaxed)) + "\n";
  }
  out +=
      "# HELP hotpathd_rules_isolates_created_total V8 isolates created for rules (one per "
      "thread, plus one after each timeout or heap-limit failure).\n"
      "# TYPE hotpathd_rules_isolates_created_total counter\n"
      "hotpathd_rules_isolates_created_total " +
      std::to_string(isolates.load(kRelaxed)) + "\n";
}

}  // namespace hotpath::server
