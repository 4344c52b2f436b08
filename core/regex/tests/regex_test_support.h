// Helpers shared by the regex tests: run a pattern and flatten the result into values that
// compare exactly (status plus every group's byte offsets, -1 for an unmatched group).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hotpath/regex.h"

namespace hotpath::regex::testing {

using Groups = std::vector<std::pair<long, long>>;

inline Flags non_unicode(Flags f = {}) {
  f.unicode = false;
  return f;
}
inline Flags with_i(Flags f = {}) {
  f.ignore_case = true;
  return f;
}

// Groups of the first match at or after `start`; an empty vector when nothing matches.
// A pattern that does not compile yields {{-2, -2}}.
inline Groups exec(std::string_view pattern, std::string_view subject, Flags flags = {},
                   size_t start = 0) {
  auto re = Regex::compile(pattern, flags);
  if (!re.ok()) return {{-2, -2}};
  Match m;
  if (re->search(subject, start, &m) != Status::match) return {};
  Groups out;
  for (const auto& [b, e] : m.groups) {
    out.emplace_back(b == Match::npos ? -1 : long(b), e == Match::npos ? -1 : long(e));
  }
  return out;
}

inline bool matches(std::string_view pattern, std::string_view subject, Flags flags = {}) {
  auto re = Regex::compile(pattern, flags);
  return re.ok() && re->test(subject) == Status::match;
}

// "message@position" of the compile error, or "ok".
inline std::string compile_error(std::string_view pattern, Flags flags = {}) {
  auto re = Regex::compile(pattern, flags);
  if (re.ok()) return "ok";
  return re.error().message + "@" + std::to_string(re.error().position);
}

}  // namespace hotpath::regex::testing
