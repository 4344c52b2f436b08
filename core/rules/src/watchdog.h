// Watchdog: one process-wide thread that stops rule calls running past their deadline.
//
// The hot path reads no clock and takes no lock: arming a call is one atomic store of
// (call number, armed), ending it one atomic exchange. The thread polls the registered targets
// every millisecond while any is armed, notes when it first saw each call armed, and fires when
// the same call is still armed `timeout_ms` later (so the deadline is honoured to within about a
// millisecond). It sleeps on a condition variable after 100 idle polls; an arm that finds it
// asleep wakes it. Firing marks the call first (compare-and-swap on the same word), so a deadline
// can never fire into the next call, and the owner's disarm waits for a fire in progress to end.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace hotpath::rules::detail {

class Watchdog;

class WatchTarget {
 public:
  virtual ~WatchTarget() = default;
  // Called on the watchdog thread while the call it fires for is still running.
  virtual void fire() = 0;

  // Owner thread: arms the deadline of the call about to run.
  void arm(uint32_t timeout_ms);
  // Owner thread: ends the call; true when the deadline fired during it.
  bool disarm();

 private:
  friend class Watchdog;
  static constexpr uint64_t kArmed = 1, kFiring = 2;
  std::atomic<uint64_t> state_{0};  // call number << 2 | kFiring | kArmed
  std::atomic<uint32_t> timeout_ms_{0};
  std::atomic<uint64_t> fired_call_{0};  // the last call whose fire() has returned
  uint64_t call_ = 0;                    // owner's call counter
  // Watchdog thread only: the armed state it last saw and when.
  uint64_t seen_state_ = 0;
  int64_t seen_at_ns_ = 0;
};

class Watchdog {
 public:
  static Watchdog& instance();
  void add(WatchTarget* t);
  void remove(WatchTarget* t);
  void wake_if_sleeping();

 private:
  Watchdog();
  void loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<WatchTarget*> targets_;
  std::atomic<bool> sleeping_{false};
  uint64_t wakes_ = 0;
  std::thread thread_;
};

}  // namespace hotpath::rules::detail
