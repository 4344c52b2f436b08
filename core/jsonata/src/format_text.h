// Text helpers shared by the picture-string functions (format_number.cpp, format_datetime.cpp):
// their errors, and UTF-8 <-> code points (pictures are processed per code point, as the XPath
// F&O rules are written).
#pragma once

#include <string>
#include <string_view>

#include "format_functions.h"
#include "jsonata_utf8.h"

namespace hotpath::jsonata::format::text {

using U32 = std::u32string;

inline Failure<Error> fail(const char* code, std::string message) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  return Failure(std::move(e));
}

// ---- UTF-8 <-> code points ----------------------------------------------------------------

inline U32 decode(std::string_view s) {
  U32 out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp = c;
    size_t len = 1;
    if (c >= 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else if (c >= 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if (c >= 0xC0) {
      cp = c & 0x1F;
      len = 2;
    }
    if (i + len > s.size()) len = 1, cp = c;
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

using jsonata::append_utf8;

inline std::string encode(const U32& s) {
  std::string out;
  for (char32_t c : s) append_utf8(out, c);
  return out;
}

}  // namespace hotpath::jsonata::format::text
