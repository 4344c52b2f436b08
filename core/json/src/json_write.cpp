// Serialization (compact JSON, numbers as their source text) and the UTF-8 helpers.
#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "hotpath/json.h"
#include "simdjson.h"

namespace hotpath::json {
namespace {

void write_number(const Value& v, std::string& out) {
  std::string_view text = v.number_text();
  if (!text.empty()) {
    out.append(text.data(), text.size());
    return;
  }
  // A hand-built Value without source text: write its binary value.
  char buf[32];
  std::to_chars_result r{};
  switch (v.number_kind()) {
    case NumberKind::int64:
      r = std::to_chars(buf, buf + sizeof buf, v.as_int64());
      break;
    case NumberKind::uint64:
      r = std::to_chars(buf, buf + sizeof buf, v.as_uint64());
      break;
    case NumberKind::float64:
      if (!std::isfinite(v.as_double())) {
        out.append("null");  // JSON has no infinity; this is what JSON.stringify writes
        return;
      }
#if defined(__EMSCRIPTEN__)
      // Emscripten 3.1.6's libc++ has no floating-point to_chars: the shortest %g form that
      // reads back exactly (the same digits; the exponent form may differ from to_chars').
      for (int precision = 1; precision <= 17; ++precision) {
        int n = std::snprintf(buf, sizeof buf, "%.*g", precision, v.as_double());
        r.ptr = buf + n;
        if (std::strtod(buf, nullptr) == v.as_double()) break;
      }
#else
      r = std::to_chars(buf, buf + sizeof buf, v.as_double());
#endif
      break;
  }
  out.append(buf, r.ptr);
}

}  // namespace

// True when one of the 8 bytes in `w` is below 0x20, '"' or '\\' (SWAR: exact for "any").
inline bool word_needs_escape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101u;
  constexpr uint64_t kHigh = 0x8080808080808080u;
  const uint64_t quote = w ^ (kOnes * '"');
  const uint64_t backslash = w ^ (kOnes * '\\');
  return (((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) |
          ((backslash - kOnes) & ~backslash)) &
         kHigh;
}

namespace {

// Escapes [p, end) into o, which has room for 6 bytes per input byte, as JSON.stringify
// does: '"', '\\' and the C0 controls (\b \f \n \r \t or \u00XX); everything else, UTF-8
// included, as is. Returns the end of the output.
char* escape_into(const char* p, const char* end, char* o) {
  static constexpr char kHex[] = "0123456789abcdef";
  while (p != end) {
    if (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if (!word_needs_escape(word)) {
        std::memcpy(o, p, 8);
        p += 8;
        o += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(*p++);
    if (c >= 0x20 && c != '"' && c != '\\') {
      *o++ = static_cast<char>(c);
      continue;
    }
    *o++ = '\\';
    switch (c) {
      case '"':
        *o++ = '"';
        break;
      case '\\':
        *o++ = '\\';
        break;
      case '\b':
        *o++ = 'b';
        break;
      case '\f':
        *o++ = 'f';
        break;
      case '\n':
        *o++ = 'n';
        break;
      case '\r':
        *o++ = 'r';
        break;
      case '\t':
        *o++ = 't';
        break;
      default:
        *o++ = 'u';
        *o++ = '0';
        *o++ = '0';
        *o++ = kHex[c >> 4];
        *o++ = kHex[c & 15];
    }
  }
  return o;
}

}  // namespace

char* write_string(std::string_view s, char* out) {
  *out++ = '"';
  out = escape_into(s.data(), s.data() + s.size(), out);
  *out++ = '"';
  return out;
}

void write_string(std::string_view s, std::string& out) {
  // Escaped straight into `out`, grown to the worst case; a long string goes in chunks so the
  // reservation stays within 6x of a chunk, not of the string.
  constexpr size_t kChunk = 4096;
  const size_t start = out.size();
  out.resize(start + string_literal_bound(std::min(s.size(), kChunk)));
  char* o = out.data() + start;
  *o++ = '"';
  const char* p = s.data();
  const char* const end = p + s.size();
  while (true) {
    const char* stop = size_t(end - p) > kChunk ? p + kChunk : end;
    o = escape_into(p, stop, o);
    p = stop;
    if (p == end) break;
    const size_t used = size_t(o - out.data());
    out.resize(used + string_literal_bound(std::min(size_t(end - p), kChunk)));
    o = out.data() + used;
  }
  *o++ = '"';
  out.resize(size_t(o - out.data()));
}

void write(const Value& v, std::string& out) {
  switch (v.type()) {
    case Type::null:
      out.append("null", 4);
      return;
    case Type::boolean:
      v.as_bool() ? out.append("true", 4) : out.append("false", 5);
      return;
    case Type::number:
      write_number(v, out);
      return;
    case Type::string:
      write_string(v.as_string(), out);
      return;
    case Type::array:
      out.push_back('[');
      for (const Value* item = v.begin_items(); item != v.end_items(); ++item) {
        if (item != v.begin_items()) out.push_back(',');
        write(*item, out);
      }
      out.push_back(']');
      return;
    case Type::object:
      out.push_back('{');
      for (const Member* m = v.begin_members(); m != v.end_members(); ++m) {
        if (m != v.begin_members()) out.push_back(',');
        write_string(m->key, out);
        out.push_back(':');
        write(m->value, out);
      }
      out.push_back('}');
      return;
  }
}

std::string to_string(const Value& v) {
  std::string out;
  write(v, out);
  return out;
}

std::string ParseError::to_string() const {
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

bool is_valid_utf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

size_t count_code_points(std::string_view s) {
  // Eight bytes at a time: a continuation byte is 10xxxxxx, so (bit 7 & ~bit 6) marks one.
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const char* p = s.data();
  size_t n = s.size();
  size_t continuation = 0;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    continuation += static_cast<size_t>(std::popcount(w & ~(w << 1) & kHigh));
  }
  for (; n > 0; ++p, --n) continuation += (static_cast<unsigned char>(*p) & 0xC0) == 0x80;
  return s.size() - continuation;
}

}  // namespace hotpath::json
