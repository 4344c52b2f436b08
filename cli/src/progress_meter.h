// ProgressMeter: one self-updating stderr line ("hotpath: 1200000 records, 410000 records/s,
// 95.3 MB/s") for long NDJSON runs. Shown only when stderr is a terminal and the run has
// lasted more than a second; never written to pipes or files, so machine consumers of
// stderr see only real errors.
#pragma once

#include <chrono>
#include <cstdint>

namespace hotpath::cli {

class ProgressMeter {
 public:
  ProgressMeter();  // enabled iff isatty(STDERR_FILENO)

  // Called by one thread (the output writer) after each batch. Cheap when nothing is shown.
  void add(uint64_t records, uint64_t bytes);
  // Prints the final figures and a newline if the line was ever shown.
  void finish();

 private:
  void draw(std::chrono::steady_clock::time_point now);

  using Clock = std::chrono::steady_clock;
  bool enabled_ = false;
  bool shown_ = false;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  uint64_t records_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace hotpath::cli
