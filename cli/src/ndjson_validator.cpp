#include "ndjson_validator.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "record_checker.h"

namespace hotpath::cli {
namespace {

constexpr size_t kReadChunk = size_t(256) << 10;
// A batch is handed to a worker once it holds this many bytes of whole lines: large enough to
// make the hand-off cost negligible, small enough to spread even short inputs over threads.
constexpr size_t kBatchTarget = size_t(128) << 10;
constexpr uint64_t kMaxBytesInFlight = uint64_t(64) << 20;

struct Batch {
  uint64_t seq = 0;
  uint64_t first_line = 0;
  std::string text;                 // whole lines; only the last batch may end without '\n'
  uint64_t skipped_line_bytes = 0;  // nonzero: stands for one line too long to hold (text empty)
  std::string out;
  uint64_t records = 0;
  uint64_t invalid = 0;
};

uint64_t count_newlines(std::string_view text) {
  uint64_t n = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) !=
         nullptr) {
    ++n;
    ++p;
  }
  return n;
}

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

std::string oversized_message(uint64_t line, uint64_t bytes, uint64_t limit) {
  return "line " + std::to_string(line) + " is " + std::to_string(bytes) +
         " bytes, larger than --max-document-bytes " + describe_size(limit) + "; not validated";
}

// State shared by the reader, the workers and the writer; one mutex guards all of it (batches
// are ~128 KiB, so the lock is taken a few thousand times per second at most).
class Pipeline {
 public:
  Pipeline(const schema::Validator& validator, const NdjsonConfig& config, ProgressMeter& progress,
           int out_fd)
      : validator_(validator),
        config_(config),
        progress_(progress),
        out_fd_(out_fd),
        max_batches_(4 * size_t(config.threads) + 4) {}

  Result<NdjsonStats, IoError> run(InputSource& input) {
    std::vector<std::thread> workers;
    workers.reserve(config_.threads);
    for (unsigned i = 0; i < config_.threads; ++i) workers.emplace_back([this] { work(); });
    std::thread writer([this] { write(); });

    read(input);

    {
      std::lock_guard lk(mu_);
      input_closed_ = true;
    }
    work_cv_.notify_all();
    done_cv_.notify_all();
    for (auto& t : workers) t.join();
    writer.join();

    if (read_error_) return Failure<IoError>{*read_error_};
    if (write_error_) return Failure<IoError>{*write_error_};
    return stats_;
  }

 private:
  // --- reader (the calling thread) ---------------------------------------------------------
  void read(InputSource& input) {
    std::string pending;      // unsent bytes: whole lines, then at most one partial line
    size_t complete_end = 0;  // pending[0, complete_end) are whole lines
    for (;;) {
      if (stopped()) return;
      size_t old = pending.size();
      pending.resize(old + kReadChunk);
      auto n = input.read_some(pending.data() + old, kReadChunk);
      if (!n.ok()) {
        // Whole lines read before the error are still validated; a partial line is dropped.
        fail_read(n.error());
        if (complete_end > 0 && !stopped()) dispatch_text(pending, complete_end);
        return;
      }
      pending.resize(old + *n);
      if (*n == 0) break;
      if (const void* nl = memrchr(pending.data() + old, '\n', *n))
        complete_end = static_cast<size_t>(static_cast<const char*>(nl) - pending.data()) + 1;

      if (pending.size() - complete_end > config_.max_record_bytes) {
        // The current line is too long to hold: send what precedes it, then skip to its end.
        if (complete_end > 0) dispatch_text(pending, complete_end);
        uint64_t skipped = pending.size();
        pending.clear();
        if (!skip_line(input, pending, skipped)) return;
        dispatch_skipped(skipped);
        const void* nl = memrchr(pending.data(), '\n', pending.size());
        complete_end =
            nl ? static_cast<size_t>(static_cast<const char*>(nl) - pending.data()) + 1 : 0;
      }
      if (complete_end >= kBatchTarget) {
        dispatch_text(pending, complete_end);
        complete_end = 0;
      }
    }
    // End of input: the rest is whole lines plus possibly a last line without '\n'.
    if (!pending.empty() && !stopped()) dispatch_text(pending, pending.size());
  }

  // Reads and discards up to and including the next '\n'; what follows it is left in `rest`.
  // `skipped` counts the discarded bytes of the line. False on a read error.
  bool skip_line(InputSource& input, std::string& rest, uint64_t& skipped) {
    std::string chunk(kReadChunk, '\0');
    for (;;) {
      auto n = input.read_some(chunk.data(), chunk.size());
      if (!n.ok()) {
        fail_read(n.error());
        return false;
      }
      if (*n == 0) return true;
      if (const void* nl = memchr(chunk.data(), '\n', *n)) {
        size_t at = static_cast<size_t>(static_cast<const char*>(nl) - chunk.data());
        skipped += at;
        rest.assign(chunk.data() + at + 1, *n - at - 1);
        return true;
      }
      skipped += *n;
    }
  }

  // Sends pending[0, end) as one batch and keeps the rest in `pending`.
  void dispatch_text(std::string& pending, size_t end) {
    std::unique_ptr<Batch> b = take_free_batch();
    b->text.swap(pending);
    pending.assign(b->text.data() + end, b->text.size() - end);
    b->text.resize(end);
    uint64_t lines = count_newlines(b->text);
    if (!b->text.empty() && b->text.back() != '\n') ++lines;
    b->first_line = next_line_;
    next_line_ += lines;
    submit(std::move(b));
  }

  void dispatch_skipped(uint64_t bytes) {
    std::unique_ptr<Batch> b = take_free_batch();
    b->text.clear();
    b->skipped_line_bytes = bytes;
    b->first_line = next_line_++;
    submit(std::move(b));
  }

  std::unique_ptr<Batch> take_free_batch() {
    std::lock_guard lk(mu_);
    if (free_.empty()) return std::make_unique<Batch>();
    auto b = std::move(free_.back());
    free_.pop_back();
    return b;
  }

  void submit(std::unique_ptr<Batch> b) {
    std::unique_lock lk(mu_);
    // Back-pressure: wait for the writer while too much is between reader and writer.
    room_cv_.wait(lk, [&] {
      return stopped_locked() || (in_flight_ < max_batches_ &&
                                  (in_flight_ == 0 || bytes_in_flight_ < kMaxBytesInFlight));
    });
    if (stopped_locked()) return;
    b->seq = next_seq_++;
    ++in_flight_;
    bytes_in_flight_ += b->text.size();
    work_.push_back(std::move(b));
    lk.unlock();
    work_cv_.notify_one();
  }

  void fail_read(const IoError& e) {
    std::lock_guard lk(mu_);
    read_error_ = e;
  }

  bool stopped() {
    std::lock_guard lk(mu_);
    return stopped_locked();
  }
  bool stopped_locked() const { return write_error_.has_value(); }

  // --- workers -------------------------------------------------------------------------------
  void work() {
    RecordChecker checker(validator_, config_.output, config_.max_record_bytes);
    for (;;) {
      std::unique_ptr<Batch> b;
      {
        std::unique_lock lk(mu_);
        work_cv_.wait(lk, [&] { return !work_.empty() || input_closed_; });
        if (work_.empty()) return;
        b = std::move(work_.front());
        work_.pop_front();
      }
      process(*b, checker);
      {
        std::lock_guard lk(mu_);
        done_.emplace(b->seq, std::move(b));
      }
      done_cv_.notify_all();
    }
  }

  void process(Batch& b, RecordChecker& checker) const {
    b.out.clear();
    b.records = 0;
    b.invalid = 0;
    if (b.skipped_line_bytes != 0) {
      checker.append_rejected(
          oversized_message(b.first_line, b.skipped_line_bytes, config_.max_record_bytes), b.out);
      b.records = b.invalid = 1;
      return;
    }
    std::string_view rest = b.text;
    uint64_t line = b.first_line;
    while (!rest.empty()) {
      size_t nl = rest.find('\n');
      std::string_view record = rest.substr(0, nl);
      rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
      bool valid = false;
      if (record.size() > config_.max_record_bytes) {
        checker.append_rejected(oversized_message(line, record.size(), config_.max_record_bytes),
                                b.out);
      } else if (is_blank(record)) {
        checker.append_rejected(invalid_json_message(line, 1, "empty line"), b.out);
      } else {
        valid = checker.check(record, line, b.out);
      }
      ++b.records;
      b.invalid += valid ? 0 : 1;
      ++line;
    }
  }

  // --- writer --------------------------------------------------------------------------------
  void write() {
    uint64_t next = 0;
    for (;;) {
      std::unique_ptr<Batch> b;
      {
        std::unique_lock lk(mu_);
        done_cv_.wait(
            lk, [&] { return done_.count(next) != 0 || (input_closed_ && next == next_seq_); });
        auto it = done_.find(next);
        if (it == done_.end()) return;  // input closed and everything written
        b = std::move(it->second);
        done_.erase(it);
      }
      bool ok = write_error_.has_value() || write_all(out_fd_, b->out);
      uint64_t in_bytes = b->skipped_line_bytes != 0 ? b->skipped_line_bytes : b->text.size();
      if (ok && !write_error_) {
        stats_.records += b->records;
        stats_.invalid += b->invalid;
        progress_.add(b->records, in_bytes);
      }
      {
        std::lock_guard lk(mu_);
        if (!ok && !write_error_)
          write_error_ =
              IoError{errno == EPIPE ? std::string()
                                     : std::string("cannot write output: ") + std::strerror(errno)};
        --in_flight_;
        bytes_in_flight_ -= b->text.size();
        b->skipped_line_bytes = 0;
        free_.push_back(std::move(b));
      }
      room_cv_.notify_all();
      ++next;
    }
  }

  const schema::Validator& validator_;
  const NdjsonConfig& config_;
  ProgressMeter& progress_;
  const int out_fd_;
  const size_t max_batches_;

  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_, room_cv_;
  std::deque<std::unique_ptr<Batch>> work_;
  std::map<uint64_t, std::unique_ptr<Batch>> done_;
  std::vector<std::unique_ptr<Batch>> free_;
  size_t in_flight_ = 0;
  uint64_t bytes_in_flight_ = 0;
  uint64_t next_seq_ = 0;
  bool input_closed_ = false;
  std::optional<IoError> read_error_;
  std::optional<IoError> write_error_;

  uint64_t next_line_ = 1;  // reader only
  NdjsonStats stats_;       // writer only
};

}  // namespace

NdjsonValidator::NdjsonValidator(const schema::Validator& validator, NdjsonConfig config,
                                 ProgressMeter& progress)
    : validator_(validator), config_(config), progress_(progress) {}

Result<NdjsonStats, IoError> NdjsonValidator::run(InputSource& input, int out_fd) {
  if (config_.threads == 0) config_.threads = 1;
  Pipeline pipeline(validator_, config_, progress_, out_fd);
  return pipeline.run(input);
}

}  // namespace hotpath::cli
