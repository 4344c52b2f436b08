#include "watchdog.h"

#include <time.h>

#include <algorithm>
#include <chrono>

namespace hotpath::rules::detail {
namespace {

int64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

void WatchTarget::arm(uint32_t timeout_ms) {
  timeout_ms_.store(timeout_ms, std::memory_order_relaxed);
  state_.store((++call_ << 2) | kArmed, std::memory_order_seq_cst);
  Watchdog::instance().wake_if_sleeping();
}

bool WatchTarget::disarm() {
  const uint64_t old = state_.exchange(call_ << 2, std::memory_order_acq_rel);
  if (!(old & kFiring)) return false;
  // The watchdog claimed this call: wait until its fire() has returned.
  while (fired_call_.load(std::memory_order_acquire) != call_) std::this_thread::yield();
  return true;
}

Watchdog& Watchdog::instance() {
  // Never destroyed: runtimes on other threads may outlive static destruction at exit.
  static Watchdog* w = new Watchdog();
  return *w;
}

Watchdog::Watchdog() {
  thread_ = std::thread([this] { loop(); });
  thread_.detach();
}

void Watchdog::add(WatchTarget* t) {
  std::lock_guard lock(mu_);
  targets_.push_back(t);
  ++wakes_;
  cv_.notify_one();
}

void Watchdog::remove(WatchTarget* t) {
  std::lock_guard lock(mu_);
  targets_.erase(std::remove(targets_.begin(), targets_.end(), t), targets_.end());
}

void Watchdog::wake_if_sleeping() {
  if (!sleeping_.load(std::memory_order_seq_cst)) return;
  std::lock_guard lock(mu_);
  ++wakes_;
  cv_.notify_one();
}

void Watchdog::loop() {
  int idle_polls = 0;
  std::unique_lock lock(mu_);
  for (;;) {
    bool any_armed = false;
    const int64_t now = monotonic_ns();
    for (WatchTarget* t : targets_) {
      uint64_t state = t->state_.load(std::memory_order_acquire);
      if (!(state & WatchTarget::kArmed)) continue;
      any_armed = true;
      if (state != t->seen_state_) {  // a call we have not seen yet: start its clock
        t->seen_state_ = state;
        t->seen_at_ns_ = now;
        continue;
      }
      const int64_t limit = int64_t{t->timeout_ms_.load(std::memory_order_relaxed)} * 1'000'000;
      if (now - t->seen_at_ns_ < limit || (state & WatchTarget::kFiring)) continue;
      // Claim the call; fails if it has ended (or the next one started) meanwhile.
      if (t->state_.compare_exchange_strong(state, state | WatchTarget::kFiring,
                                            std::memory_order_acq_rel)) {
        t->fire();
        t->fired_call_.store(state >> 2, std::memory_order_release);
      }
    }
    idle_polls = any_armed ? 0 : idle_polls + 1;
    if (targets_.empty() || idle_polls >= 100) {
      // Announce the sleep, then look once more: an arm either sees `sleeping_` and wakes us,
      // or stored its state before this second look (both sides are seq_cst).
      sleeping_.store(true, std::memory_order_seq_cst);
      bool armed = false;
      for (WatchTarget* t : targets_) {
        armed |= (t->state_.load(std::memory_order_seq_cst) & WatchTarget::kArmed) != 0;
      }
      if (!armed) {
        const uint64_t seen = wakes_;
        cv_.wait(lock, [&] { return wakes_ != seen; });
      }
      sleeping_.store(false, std::memory_order_seq_cst);
      idle_polls = 0;
      continue;
    }
    cv_.wait_for(lock, std::chrono::milliseconds(1));
  }
}

}  // namespace hotpath::rules::detail
