// UTF-8 decoding for the regex matcher and parser. Invalid bytes never stop matching: each one
// reads as U+FFFD of length 1. Encoded surrogates (WTF-8) decode as the surrogate code point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace hotpath::regex::utf8 {

constexpr uint32_t kReplacement = 0xFFFD;

// Decodes the code point starting at s[pos] (pos < n); *len receives its byte length.
inline uint32_t decode(const uint8_t* s, size_t n, size_t pos, size_t* len) {
  uint8_t b0 = s[pos];
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  auto cont = [&](size_t i) { return pos + i < n && (s[pos + i] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (cont(1)) {
      *len = 2;
      return (uint32_t(b0 & 0x1F) << 6) | (s[pos + 1] & 0x3F);
    }
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (cont(1) && cont(2) && (b0 != 0xE0 || s[pos + 1] >= 0xA0)) {
      *len = 3;
      return (uint32_t(b0 & 0x0F) << 12) | (uint32_t(s[pos + 1] & 0x3F) << 6) | (s[pos + 2] & 0x3F);
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (cont(1) && cont(2) && cont(3) && (b0 != 0xF0 || s[pos + 1] >= 0x90) &&
        (b0 != 0xF4 || s[pos + 1] <= 0x8F)) {
      *len = 4;
      return (uint32_t(b0 & 0x07) << 18) | (uint32_t(s[pos + 1] & 0x3F) << 12) |
             (uint32_t(s[pos + 2] & 0x3F) << 6) | (s[pos + 3] & 0x3F);
    }
  }
  *len = 1;
  return kReplacement;
}

// Decodes the code point that ends at s[pos - 1] (pos > 0); *len receives its byte length.
inline uint32_t decode_before(const uint8_t* s, size_t n, size_t pos, size_t* len) {
  uint8_t last = s[pos - 1];
  if (last < 0x80) {
    *len = 1;
    return last;
  }
  size_t k = pos - 1;
  while (k > 0 && pos - k < 4 && (s[k] & 0xC0) == 0x80) --k;
  size_t l = 0;
  uint32_t cp = decode(s, n, k, &l);
  if (k + l == pos) {
    *len = l;
    return cp;
  }
  *len = 1;
  return kReplacement;
}

inline void append(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else if (cp < 0x800) {
    out.push_back(char(0xC0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(char(0xE0 | (cp >> 12)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (cp >> 18)));
    out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  }
}

}  // namespace hotpath::regex::utf8
