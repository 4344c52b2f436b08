// RecordProcessor: runs one request body through a pipeline. One per thread (I/O threads and
// workers each own one), so its json::Document is reused and parsing does not allocate in
// steady state.
//
// Output (every line ends with '\n'):
//   validate endpoint: exactly what `hotpath validate` prints, one standard output unit per
//     record ({"valid":true} or {"valid":false,"errors":[...]}), NDJSON line for line;
//   pipeline endpoint, one record: the transform's result (or, without a transform, the record
//     re-serialized), or the error unit; an undefined result is an empty body;
//   pipeline endpoint, NDJSON: {"valid":true,"output":<result>} ({"valid":true} when the
//     result is undefined) or the error unit, per line.
// A transform that fails on a record (e.g. T2001, or its time limit) makes that record invalid,
// with one error "transform failed: CODE at position N: message". The rules step runs on the
// transform's output (or the record): a check that rejects gives one error per reason; a rule
// that throws, times out or runs out of heap gives one error "rules failed: FILE:L:C: message".
// Input that is not JSON becomes an invalid unit with one error:
//   "invalid JSON at line L, column C: <message>" (L counts lines of the body).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/json.h"
#include "pipeline_registry.h"

namespace hotpath::server {

enum class Step : uint8_t { validate_only, full_pipeline };

struct ProcessResult {
  uint64_t records = 0;
  uint64_t invalid = 0;
};

class RecordProcessor {
 public:
  explicit RecordProcessor(uint64_t max_document_bytes);

  // One JSON document: appends its output line to `out`.
  ProcessResult process_document(const Pipeline& p, Step step, std::string_view body,
                                 std::string& out);
  // NDJSON: one output line per input line, in order. A final line without '\n' is a record; a
  // trailing '\n' does not start another. Blank lines are invalid ("empty line").
  ProcessResult process_ndjson(const Pipeline& p, Step step, std::string_view body,
                               std::string& out);

  // The processor of the calling thread.
  static RecordProcessor& for_this_thread(uint64_t max_document_bytes);

 private:
  bool process_record(const Pipeline& p, Step step, bool ndjson, std::string_view text,
                      uint64_t line, std::string& out);
  // The invalid unit with one error per message.
  void append_rejected(std::vector<std::string> messages, std::string& out) const;
  bool append_undefined(size_t mark, bool ndjson, std::string& out) const;

  json::Document document_;
  std::string transformed_;  // the transform step's output when the rules step reads it (reused)
  json::ParseOptions parse_options_;
};

}  // namespace hotpath::server
