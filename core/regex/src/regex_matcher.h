// The backtracking matcher: runs a CompiledProgram at one start position with an explicit
// heap-allocated backtrack stack (never recursion) and a step budget.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "regex_program.h"

namespace hotpath::regex::internal {

constexpr uint64_t kUnset = ~uint64_t(0);
// Memory bound of one search independent of the step budget: beyond this many backtrack or
// trail entries (24 / 16 bytes each) the search stops with Status::budget_exceeded.
constexpr size_t kMaxStackEntries = size_t(1) << 22;
// Programs are addressed with 30-bit instruction indices.
constexpr size_t kMaxProgramSize = size_t(1) << 30;

// Reusable matcher memory. One per thread, so steady-state matching does not allocate.
struct MatchScratch {
  struct Backtrack {
    uint32_t pc_kind;  // pc << 2 | kind
    uint32_t trail;    // trail height to restore
    size_t pos;
    uint64_t aux;
  };
  struct TrailEntry {
    uint32_t reg;
    uint64_t old;
  };
  struct Frame {
    size_t pos;
    size_t marker;  // index of the lookaround's marker in the backtrack stack; when the
                    // matcher backtracks to an entry below it, the frame is gone too
  };
  std::vector<uint64_t> regs;
  std::vector<Backtrack> backtrack;
  std::vector<TrailEntry> trail;
  std::vector<Frame> frames;

  void release_if_large();
};

class Matcher {
 public:
  Matcher(const CompiledProgram& program, std::string_view subject, MatchScratch& scratch,
          uint64_t budget);
  // Status::match leaves the capture registers in scratch.regs.
  Status run_at(size_t start);

 private:
  bool match_one(const Inst& in, size_t pos, size_t* next) const;
  uint32_t cp_before(size_t pos) const;  // pos > 0
  uint32_t cp_at(size_t pos) const;      // pos < n_
  bool is_word_before(size_t pos) const;
  bool is_word_at(size_t pos) const;
  bool word_char(uint32_t cp) const;
  bool backref(const Inst& in, size_t* pos) const;
  void set_reg(uint32_t reg, uint64_t value);
  void push(uint32_t pc, uint32_t kind, size_t pos, uint64_t aux);
  void undo_trail(uint32_t height);

  const CompiledProgram& p_;
  const uint8_t* s_;
  size_t n_;
  MatchScratch& m_;
  uint64_t steps_;
  bool unicode_ignore_case_;
};

}  // namespace hotpath::regex::internal
