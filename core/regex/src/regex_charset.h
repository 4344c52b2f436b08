// CharSet: a set of code points as sorted, disjoint, non-adjacent ranges, plus the Unicode
// lookups that build sets for the parser (\p{...}, \s, case closure) and canonicalize code
// points for case-insensitive back-references.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace hotpath::regex {

constexpr uint32_t kMaxCodePoint = 0x10FFFF;

class CharSet {
 public:
  using Range = std::pair<uint32_t, uint32_t>;  // inclusive

  void add(uint32_t cp) { add_range(cp, cp); }
  void add_range(uint32_t first, uint32_t last) {
    ranges_.emplace_back(first, last);
    normalized_ = false;
  }
  void add_set(const CharSet& other) {
    ranges_.insert(ranges_.end(), other.ranges_.begin(), other.ranges_.end());
    normalized_ = false;
  }
  void normalize();  // sorts and merges; every reader below needs a normalized set
  void invert();     // complement within [0, 0x10FFFF]
  bool contains(uint32_t cp) const;
  bool empty() const { return ranges_.empty(); }
  // Returns true and the code point when the set holds exactly one code point.
  bool single(uint32_t* cp) const;
  const std::vector<Range>& ranges() const { return ranges_; }

 private:
  std::vector<Range> ranges_;
  bool normalized_ = true;
};

namespace unicode {

// ECMAScript Canonicalize(ch): simple case folding in u-mode, single-unit uppercase otherwise.
uint32_t canonicalize(uint32_t cp, bool unicode_mode);
// Adds every code point whose canonical form equals that of a member (set must be normalized;
// the result is normalized).
void close_over_case(CharSet& set, bool unicode_mode);

// \p{name} / \p{name=value} with ECMAScript's exact (case-sensitive) names. False if unknown.
bool property_set(std::string_view name, std::string_view value, bool has_value, CharSet* out);

void add_white_space(CharSet* out);  // \s: WhiteSpace + LineTerminator
bool is_id_start(uint32_t cp);       // for capture group names
bool is_id_continue(uint32_t cp);
bool is_cased(uint32_t cp);  // for Final_Sigma (unicode_case.cpp)
bool is_case_ignorable(uint32_t cp);
const char* version();

}  // namespace unicode
}  // namespace hotpath::regex
