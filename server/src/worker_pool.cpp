#include "worker_pool.h"

namespace hotpath::server {

WorkerPool::WorkerPool(unsigned threads, uint64_t capacity, std::function<void()> on_start)
    : capacity_(capacity) {
  for (unsigned i = 0; i < threads; ++i) {
    threads_.emplace_back([this, on_start] {
      if (on_start) on_start();
      run();
    });
  }
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::stop() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

bool WorkerPool::try_submit(Job job) {
  {
    std::lock_guard lk(mu_);
    if (stopping_ || queue_.size() >= capacity_ || threads_.empty()) return false;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

uint64_t WorkerPool::depth() const {
  std::lock_guard lk(mu_);
  return queue_.size();
}

void WorkerPool::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has run
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

}  // namespace hotpath::server
