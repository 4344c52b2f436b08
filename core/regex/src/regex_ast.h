// The regex syntax tree produced by the parser and consumed by the compiler. Nodes live in one
// flat vector and refer to each other by index, so no destructor recurses over a deep tree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/regex.h"
#include "regex_charset.h"

namespace hotpath::regex::internal {

constexpr uint32_t kInfinite = UINT32_MAX;  // quantifier upper bound "no limit"
// Groups may nest this deep; deeper patterns are a SyntaxError rather than a deep recursion.
constexpr int kMaxNesting = 256;

enum class NodeKind : uint8_t {
  kEmpty,
  kChar,     // value = code point (matched exactly)
  kClass,    // value = index into Ast::sets (already case-closed and inverted)
  kDot,      // '.'
  kSeq,      // kids in source order
  kAlt,      // kids in priority order
  kGroup,    // capturing group; value = capture index (>= 1); kids[0] = body
  kLook,     // lookaround; negate, behind; kids[0] = body
  kBackref,  // value = capture index
  kQuant,    // min, max, greedy, cap_first..cap_end; kids[0] = atom
  kBol,      // '^'
  kEol,      // '$'
  kWordBoundary,
  kNotWordBoundary,
};

struct Node {
  NodeKind kind = NodeKind::kEmpty;
  bool greedy = true;
  bool negate = false;
  bool behind = false;
  uint32_t value = 0;
  uint32_t min = 0;
  uint32_t max = 0;
  uint32_t cap_first = 0;  // captures inside a quantified atom: [cap_first, cap_end)
  uint32_t cap_end = 0;
  std::vector<uint32_t> kids;
};

struct Ast {
  std::vector<Node> nodes;
  std::vector<CharSet> sets;
  uint32_t root = 0;
  uint32_t group_count = 0;              // capture groups, excluding group 0
  std::vector<std::string> group_names;  // index = capture index; [0] = ""
};

Result<Ast, SyntaxError> parse(std::string_view pattern, const Flags& flags);

}  // namespace hotpath::regex::internal
