// WorkerPool: a fixed set of threads running jobs from a bounded FIFO queue. try_submit never
// blocks and never grows the queue past its capacity: a full queue is the caller's signal to
// answer 429 + Retry-After instead of queueing without bound.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hotpath::server {

class WorkerPool {
 public:
  using Job = std::function<void()>;
  // `on_start` runs first on each worker thread (e.g. to warm per-thread state).
  WorkerPool(unsigned threads, uint64_t capacity, std::function<void()> on_start = {});
  ~WorkerPool();  // finishes queued jobs, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool try_submit(Job job);  // false when the queue is full
  uint64_t depth() const;
  uint64_t capacity() const { return capacity_; }
  void stop();  // finishes queued jobs, then joins (idempotent)

 private:
  void run();
  const uint64_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace hotpath::server
