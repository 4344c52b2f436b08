// The compiled form of a regex: bytecode for the backtracking matcher plus the search hints
// (anchoring, literal prefix, first-byte set) that let search() skip hopeless start positions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/regex.h"
#include "regex_ast.h"
#include "regex_charset.h"

namespace hotpath::regex::internal {

enum class Op : uint8_t {
  kLiteral,          // bytes literals[a, a+b)
  kClass,            // one code point in classes[a]
  kDot,              // one code point that is not a line terminator
  kAny,              // one code point
  kBol,              // ^ (flag kMultiline)
  kEol,              // $
  kWordBoundary,     // \b
  kNotWordBoundary,  // \B
  kSplit,            // try pc a, on failure pc b
  kJump,             // pc = a
  kSave,             // register a = position
  kReset,            // registers [a, b) = unset
  kBackref,          // capture a
  kLook,             // lookaround whose body follows; a = pc after its kLookEnd
  kLookEnd,
  kStar,      // simple loop of the one-character matcher at pc+1, a..b times
  kRepInit,   // register a (counter) = 0
  kRepLoop,   // counter a, min b, max c, exit pc d; body entry at pc+1
  kRepEnter,  // register a+1 = position; reset capture registers [b, c)
  kRepEnd,    // counter a, min b, loop pc c
  kMatch,
};

enum InstFlags : uint8_t {
  kBackward = 1,  // matches right to left (inside a lookbehind)
  kGreedy = 2,
  kNegate = 4,
  kIgnoreCase = 8,
  kMultiline = 16,
};

struct Inst {
  Op op;
  uint8_t flags = 0;
  uint32_t a = 0, b = 0, c = 0, d = 0;
};

struct ClassData {
  uint64_t ascii[2] = {0, 0};
  std::vector<CharSet::Range> ranges;
  bool contains(uint32_t cp) const {
    if (cp < 128) return (ascii[cp >> 6] >> (cp & 63)) & 1;
    size_t lo = 0, hi = ranges.size();
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (ranges[mid].second < cp) {
        lo = mid + 1;
      } else if (ranges[mid].first > cp) {
        hi = mid;
      } else {
        return true;
      }
    }
    return false;
  }
};

// One step of a "linear" pattern: ^ followed by a sequence of ASCII characters or ASCII
// classes, each repeated min..max times, optionally ending in $. When every variable repeat
// is followed by characters it cannot match, greedy matching never has to give anything back,
// so test() runs as one left-to-right scan with no backtracking (and no step budget).
struct LinearStep {
  uint64_t ascii[2] = {0, 0};  // members, as a bitset (built first, checked for overlaps)
  uint32_t min = 1, max = 1;
  uint8_t member[256] = {};  // the same set by byte, for the scan (bytes >= 128 never match)
};

struct CompiledProgram {
  std::string pattern;
  Flags flags;
  std::vector<Inst> code;
  std::vector<ClassData> classes;
  std::string literals;
  uint32_t group_count = 0;
  std::vector<std::string> group_names;  // size group_count + 1
  uint32_t register_count = 0;           // 2 * (group_count + 1) captures, then 2 per loop
  // Search hints.
  bool anchored = false;         // every match starts at offset 0
  std::string prefix;            // every match starts with these bytes
  bool use_first_bytes = false;  // every match starts with a byte in first_bytes
  std::array<uint64_t, 4> first_bytes{};
  // Fast path for test() on linear patterns (see LinearStep); empty when not linear.
  bool linear = false;
  bool linear_end_anchor = false;
  std::vector<LinearStep> linear_steps;
};

// Appends the program for `ast` to `out` (which already holds pattern and flags).
void compile(const Ast& ast, CompiledProgram* out);

}  // namespace hotpath::regex::internal
