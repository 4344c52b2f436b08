// NdjsonValidator: validates a newline-delimited JSON stream on several threads and writes one
// output line per input line, in input order, with bounded memory.
//
//   reader (caller's thread) --batches of whole lines--> workers (one RecordChecker each)
//        ^                                                   |
//        +-- waits while too much is in flight <-- writer (writes batches in sequence order)
//
// The reader never holds more than one partial line plus one batch; at most a bounded number
// of batches (and bytes) are between reader and writer, so a 1 GB stream runs in a few MB.
#pragma once

#include <cstdint>

#include "hotpath/result.h"
#include "hotpath/schema.h"
#include "input_source.h"
#include "progress_meter.h"

namespace hotpath::cli {

struct NdjsonStats {
  uint64_t records = 0;  // output lines written
  uint64_t invalid = 0;  // of which invalid (schema failure, not JSON, blank or oversized line)
};

struct NdjsonConfig {
  schema::OutputFormat output = schema::OutputFormat::basic;
  unsigned threads = 1;
  uint64_t max_record_bytes = uint64_t(256) << 20;
};

class NdjsonValidator {
 public:
  NdjsonValidator(const schema::Validator& validator, NdjsonConfig config, ProgressMeter& progress);

  // Streams `input` to `out_fd`. Line numbers in messages count from 1. On a read or write
  // error, what was read before it is still written, then the error is returned (an empty
  // message means a closed output pipe, which needs no message).
  Result<NdjsonStats, IoError> run(InputSource& input, int out_fd);

 private:
  const schema::Validator& validator_;
  NdjsonConfig config_;
  ProgressMeter& progress_;
};

}  // namespace hotpath::cli
