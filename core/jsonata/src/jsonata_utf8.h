// UTF-8 encoding of one code point, shared by the lexer (\u escapes), the standard functions
// (code-point string operations, $base64decode) and the picture-string functions; and string
// ordering as JavaScript does it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace hotpath::jsonata {

inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// -1, 0 or 1 as JavaScript orders the two strings: by UTF-16 code units. UTF-8 bytes order by
// code point, which agrees except between U+E000..U+FFFF and the supplementary planes (whose
// surrogate pairs start with D800..DBFF, below E000): so compare bytes, and at the first
// difference check for that one case.
inline int compare_utf16(std::string_view a, std::string_view b) {
  const auto [pa, pb] =
      std::mismatch(a.begin(), a.begin() + std::min(a.size(), b.size()), b.begin());
  if (pa == a.begin() + std::min(a.size(), b.size())) {
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
  }
  size_t k = size_t(pa - a.begin());  // the differing code points start at the same offset
  while (k > 0 && (static_cast<uint8_t>(a[k]) & 0xC0) == 0x80) --k;
  const uint8_t la = static_cast<uint8_t>(a[k]), lb = static_cast<uint8_t>(b[k]);
  const bool high_a = la == 0xEE || la == 0xEF, high_b = lb == 0xEE || lb == 0xEF;
  if (la >= 0xF0 && high_b) return -1;
  if (high_a && lb >= 0xF0) return 1;
  return static_cast<uint8_t>(*pa) < static_cast<uint8_t>(*pb) ? -1 : 1;
}

}  // namespace hotpath::jsonata
