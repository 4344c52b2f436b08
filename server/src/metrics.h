// Metrics: the counters and histograms behind GET /metrics (Prometheus text format 0.0.4).
// Everything is a relaxed atomic, so recording from I/O and worker threads costs a few
// uncontended increments; per-pipeline counters live in PipelineStats (pipeline_registry.h).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace hotpath::server {

class PipelineRegistry;

enum class Route : uint8_t {
  pipelines,
  validate,
  healthz,
  readyz,
  metrics,
  playground,
  other,
  count
};
enum class RejectReason : uint8_t {
  connections,       // --max-connections reached: 503
  queue_full,        // worker queue full: 429
  body_too_large,    // 413
  header_too_large,  // 431
  bad_request,       // malformed HTTP: 400
  timeout,           // request not received within --read-timeout-ms (slow client): closed
  count
};

class Metrics {
 public:
  // Upper bounds of the latency histogram, seconds.
  static constexpr std::array<double, 14> kBuckets = {0.00005, 0.0001, 0.00025, 0.0005, 0.001,
                                                      0.0025,  0.005,  0.01,    0.025,  0.05,
                                                      0.1,     0.25,   0.5,     1.0};
  static constexpr std::array<unsigned, 13> kCodes = {200, 400, 404, 405, 408, 413, 415,
                                                      422, 429, 431, 500, 503, 0};

  void record_request(Route route, unsigned status, double seconds);
  void record_reject(RejectReason r) { rejects_[static_cast<size_t>(r)].fetch_add(1, kRelaxed); }
  void connection_opened() {
    accepted_.fetch_add(1, kRelaxed);
    open_.fetch_add(1, kRelaxed);
  }
  void connection_closed() { open_.fetch_sub(1, kRelaxed); }
  uint64_t open_connections() const { return open_.load(kRelaxed); }
  void job_queued() { jobs_.fetch_add(1, kRelaxed); }
  // gRPC: one per record; `stream` = ProcessStream (else Process), `found` = pipeline existed.
  void record_grpc(bool stream, bool found) {
    grpc_[stream ? 1 : 0][found ? 0 : 1].fetch_add(1, kRelaxed);
  }
  void set_queue(uint64_t depth, uint64_t capacity) {
    queue_depth_.store(depth, kRelaxed);
    queue_capacity_.store(capacity, kRelaxed);
  }

  std::string render(const PipelineRegistry& registry) const;

 private:
  static constexpr auto kRelaxed = std::memory_order_relaxed;
  static constexpr size_t kRoutes = static_cast<size_t>(Route::count);
  std::array<std::array<std::atomic<uint64_t>, kCodes.size()>, kRoutes> requests_{};
  struct Histogram {
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_ns{0};
  };
  std::array<Histogram, kRoutes> latency_{};  // per route
  std::array<std::atomic<uint64_t>, static_cast<size_t>(RejectReason::count)> rejects_{};
  std::atomic<uint64_t> accepted_{0};
  std::atomic<uint64_t> open_{0};
  std::atomic<uint64_t> jobs_{0};
  std::array<std::array<std::atomic<uint64_t>, 2>, 2> grpc_{};  // [unary, stream][ok, not_found]
  std::atomic<uint64_t> queue_depth_{0};
  std::atomic<uint64_t> queue_capacity_{0};
};

}  // namespace hotpath::server
