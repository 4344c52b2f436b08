// hotpath/regex: ECMAScript (ECMA-262) regular expressions over UTF-8 text.
// Used by JSON Schema `pattern`/`patternProperties`/`format: regex` and by JSONata regex
// literals. Matching can never hang: every match runs under a step budget and reports
// `budget_exceeded` instead of backtracking forever on hostile pattern/input pairs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/result.h"

namespace hotpath::regex {

struct Flags {
  bool unicode = true;       // 'u': code-point semantics, \p{..}, \u{...}; strict syntax
  bool ignore_case = false;  // 'i'
  bool multiline = false;    // 'm': ^ and $ match at line terminators
  bool dot_all = false;      // 's': . matches line terminators
};

struct SyntaxError {
  std::string message;            // e.g. "unterminated character class"
  size_t position = 0;            // byte offset in the pattern
  std::string to_string() const;  // "at position 4: unterminated character class"
};

// A successful match. Offsets are UTF-8 byte offsets into the subject.
struct Match {
  size_t begin = 0;
  size_t end = 0;
  // groups[0] is the whole match; groups[k] is capture k; unmatched groups are {npos, npos}.
  std::vector<std::pair<size_t, size_t>> groups;
  std::vector<std::string> group_names;  // parallel to groups; "" for unnamed
  static constexpr size_t npos = static_cast<size_t>(-1);
};

enum class Status : uint8_t { no_match, match, budget_exceeded };

class Regex {
 public:
  static constexpr uint64_t kDefaultStepBudget = 1'000'000;

  static Result<Regex, SyntaxError> compile(std::string_view pattern, Flags flags = {});

  // Finds the first match starting at or after byte offset `start` (ECMAScript
  // RegExp.prototype.exec semantics: leftmost, then by priority of alternatives).
  Status search(std::string_view subject, size_t start = 0, Match* out = nullptr,
                uint64_t step_budget = kDefaultStepBudget) const;
  // Convenience for JSON Schema: does the pattern match anywhere in `subject`?
  Status test(std::string_view subject, uint64_t step_budget = kDefaultStepBudget) const {
    return search(subject, 0, nullptr, step_budget);
  }

  std::string_view pattern() const;
  size_t group_count() const;  // number of capture groups, excluding group 0

  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;
  Regex(const Regex&);  // cheap: shares the immutable compiled program
  Regex& operator=(const Regex&);
  ~Regex();

 private:
  struct Program;
  explicit Regex(std::shared_ptr<const Program> p);
  std::shared_ptr<const Program> program_;
};

}  // namespace hotpath::regex
