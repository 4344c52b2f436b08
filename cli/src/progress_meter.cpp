#include "progress_meter.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "input_source.h"

namespace hotpath::cli {
namespace {
// Quiet period before the line appears, so short runs never print it.
constexpr std::chrono::milliseconds kDelay{1000};
constexpr std::chrono::milliseconds kRedrawEvery{250};
}  // namespace

ProgressMeter::ProgressMeter()
    : enabled_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()), last_draw_(start_) {}

void ProgressMeter::add(uint64_t records, uint64_t bytes) {
  records_ += records;
  bytes_ += bytes;
  if (!enabled_) return;
  auto now = Clock::now();
  if (now - start_ < kDelay || now - last_draw_ < kRedrawEvery) return;
  draw(now);
}

void ProgressMeter::draw(Clock::time_point now) {
  last_draw_ = now;
  shown_ = true;
  double seconds = std::chrono::duration<double>(now - start_).count();
  if (seconds <= 0) seconds = 1e-9;
  char line[160];
  int n =
      std::snprintf(line, sizeof line, "\rhotpath: %llu records, %.0f records/s, %.1f MB/s\033[K",
                    static_cast<unsigned long long>(records_), double(records_) / seconds,
                    double(bytes_) / 1e6 / seconds);
  if (n > 0) (void)write_all(STDERR_FILENO, std::string_view(line, static_cast<size_t>(n)));
}

void ProgressMeter::finish() {
  if (!shown_) return;
  draw(Clock::now());
  (void)write_all(STDERR_FILENO, "\n");
}

}  // namespace hotpath::cli
