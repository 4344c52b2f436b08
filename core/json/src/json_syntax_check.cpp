// The located-error path of Document::parse: a strict, non-recursive JSON scanner whose only
// job is to find the first error, say what is wrong in words, and where.
#include "json_syntax_check.h"

#include <algorithm>
#include <vector>

namespace hotpath::json::internal {
namespace {

std::string hex_byte(unsigned char b) {
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string{'0', 'x', kHex[b >> 4], kHex[b & 15]};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
unsigned hex_value(char c) {
  return is_digit(c) ? unsigned(c - '0') : unsigned((c | 0x20) - 'a' + 10);
}

class SyntaxChecker {
 public:
  SyntaxChecker(std::string_view input, uint32_t max_depth) : in_(input), max_depth_(max_depth) {}

  // Returns true when an error was found (then message / offset are set).
  bool run() {
    // A leading UTF-8 byte order mark is ignored, as simdjson does (RFC 8259 allows it).
    if (in_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    skip_whitespace();
    if (at_end()) return fail("empty input", 0);
    Expect expect = Expect::root_value;
    for (;;) {
      // A value is expected at pos_.
      skip_whitespace();
      if (at_end()) return fail_end_of_input();
      const char c = in_[pos_];
      switch (c) {
        case '[':
        case '{': {
          if (stack_.size() >= max_depth_) {
            return fail("nesting deeper than " + std::to_string(max_depth_) + " levels", pos_);
          }
          const bool is_object = c == '{';
          stack_.push_back(is_object);
          ++pos_;
          skip_whitespace();
          if (at_end()) return fail_end_of_input();
          if (in_[pos_] == (is_object ? '}' : ']')) {
            ++pos_;
            stack_.pop_back();
            break;  // an empty container is a complete value
          }
          if (!is_object) {
            expect = Expect::first_item;
            continue;
          }
          if (in_[pos_] != '"') return fail_unexpected("expected a string key or '}'");
          if (scan_key()) return true;
          expect = Expect::member_value;
          continue;
        }
        case '"':
          if (scan_string()) return true;
          break;
        case '-':
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9':
          if (scan_number()) return true;
          break;
        case 't':
        case 'f':
        case 'n':
          if (scan_literal(c == 't' ? "true" : c == 'f' ? "false" : "null")) return true;
          break;
        default:
          if (c == ']' && expect == Expect::next_item)
            return fail("trailing comma in array", comma_);
          return fail_unexpected(expected_value_message(expect));
      }
      // A value is complete: close containers until the next value is due.
      for (;;) {
        skip_whitespace();
        if (stack_.empty()) {
          if (!at_end()) return fail_unexpected("trailing characters after JSON value");
          return false;
        }
        if (at_end()) return fail_end_of_input();
        const char d = in_[pos_];
        if (!stack_.back()) {
          if (d == ',') {
            comma_ = pos_++;
            expect = Expect::next_item;
            break;
          }
          if (d == ']') {
            ++pos_;
            stack_.pop_back();
            continue;
          }
          return fail_unexpected("expected ',' or ']' after array element");
        }
        if (d == ',') {
          comma_ = pos_++;
          skip_whitespace();
          if (at_end()) return fail_end_of_input();
          if (in_[pos_] == '}') return fail("trailing comma in object", comma_);
          if (in_[pos_] != '"') return fail_unexpected("expected a string key after ','");
          if (scan_key()) return true;
          expect = Expect::member_value;
          break;
        }
        if (d == '}') {
          ++pos_;
          stack_.pop_back();
          continue;
        }
        return fail_unexpected("expected ',' or '}' after object member");
      }
    }
  }

  std::string message;
  size_t offset = 0;

 private:
  enum class Expect { root_value, first_item, next_item, member_value };

  static const char* expected_value_message(Expect e) {
    switch (e) {
      case Expect::root_value:
        return "expected a value";
      case Expect::first_item:
        return "expected a value or ']'";
      case Expect::next_item:
        return "expected a value after ','";
      case Expect::member_value:
        return "expected a value after ':'";
    }
    return "expected a value";
  }

  bool at_end() const { return pos_ >= in_.size(); }
  void skip_whitespace() {
    while (pos_ < in_.size()) {
      char c = in_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
      ++pos_;
    }
  }

  bool fail(std::string msg, size_t at) {
    message = std::move(msg);
    offset = at;
    return true;
  }
  bool fail_end_of_input() {
    if (stack_.empty()) return fail("unexpected end of input", in_.size());
    return fail(
        stack_.back() ? "unexpected end of input in object" : "unexpected end of input in array",
        in_.size());
  }
  // An unexpected byte at pos_: invalid UTF-8 is named as such, anything else gets `msg`.
  bool fail_unexpected(const char* msg) {
    if (static_cast<unsigned char>(in_[pos_]) >= 0x80) {
      std::string utf8_message;
      size_t at = pos_;
      if (check_utf8(pos_, utf8_message, at)) return fail(std::move(utf8_message), at);
    }
    return fail(msg, pos_);
  }

  // Validates the UTF-8 sequence starting at `i` (lead byte >= 0x80). Returns true on error
  // with the message and its offset; otherwise leaves `i + length` in `next`.
  bool check_utf8(size_t i, std::string& msg, size_t& next) const {
    const auto c = static_cast<unsigned char>(in_[i]);
    size_t need = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    const char* why = nullptr;
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
    } else if (c == 0xE0) {
      need = 2, lo = 0xA0, why = "overlong encoding";
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      need = 2;
    } else if (c == 0xED) {
      need = 2, hi = 0x9F, why = "encodes a UTF-16 surrogate";
    } else if (c == 0xF0) {
      need = 3, lo = 0x90, why = "overlong encoding";
    } else if (c >= 0xF1 && c <= 0xF3) {
      need = 3;
    } else if (c == 0xF4) {
      need = 3, hi = 0x8F, why = "above U+10FFFF";
    } else {
      msg = "invalid UTF-8 byte " + hex_byte(c);
      next = i;
      return true;
    }
    for (size_t k = 1; k <= need; ++k) {
      if (i + k >= in_.size()) {
        msg = "unexpected end of input in UTF-8 sequence";
        next = in_.size();
        return true;
      }
      const auto b = static_cast<unsigned char>(in_[i + k]);
      if (b < 0x80 || b > 0xBF) {
        msg = "incomplete UTF-8 sequence starting with byte " + hex_byte(c);
        next = i;
        return true;
      }
      if (k == 1 && (b < lo || b > hi)) {
        msg = "invalid UTF-8 sequence starting with byte " + hex_byte(c) + " (" + why + ")";
        next = i;
        return true;
      }
    }
    next = i + need + 1;
    return false;
  }

  bool scan_key() {
    if (scan_string()) return true;
    skip_whitespace();
    if (at_end()) return fail_end_of_input();
    if (in_[pos_] != ':') return fail_unexpected("expected ':' after object key");
    ++pos_;
    return false;
  }

  // Reads 4 hex digits at i; false with the error set when they are not there.
  bool read_hex4(size_t i, size_t escape_at, uint32_t& value, bool& failed) {
    value = 0;
    for (size_t k = 0; k < 4; ++k) {
      if (i + k >= in_.size()) {
        failed = fail("unexpected end of input in string", in_.size());
        return false;
      }
      if (!is_hex(in_[i + k])) {
        failed = fail("invalid \\u escape in string: expected 4 hex digits", escape_at);
        return false;
      }
      value = value * 16 + hex_value(in_[i + k]);
    }
    return true;
  }

  bool scan_string() {  // pos_ is at the opening quote
    const size_t n = in_.size();
    size_t i = pos_ + 1;
    for (;;) {
      if (i >= n) return fail("unexpected end of input in string", n);
      const auto c = static_cast<unsigned char>(in_[i]);
      if (c == '"') {
        pos_ = i + 1;
        return false;
      }
      if (c == '\\') {
        if (i + 1 >= n) return fail("unexpected end of input in string", n);
        const char e = in_[i + 1];
        switch (e) {
          case '"':
          case '\\':
          case '/':
          case 'b':
          case 'f':
          case 'n':
          case 'r':
          case 't':
            i += 2;
            continue;
          case 'u': {
            uint32_t cp = 0;
            bool failed = false;
            if (!read_hex4(i + 2, i, cp, failed)) return failed;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              uint32_t low = 0;
              bool low_failed = false;
              if (i + 7 < n && in_[i + 6] == '\\' && in_[i + 7] == 'u' && i + 11 < n &&
                  read_hex4(i + 8, i + 6, low, low_failed) && low >= 0xDC00 && low <= 0xDFFF) {
                i += 12;
                continue;
              }
              return fail("lone surrogate " + std::string(in_.substr(i, 6)) + " in string escape",
                          i);
            }
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
              return fail("lone surrogate " + std::string(in_.substr(i, 6)) + " in string escape",
                          i);
            }
            i += 6;
            continue;
          }
          default: {
            const auto eb = static_cast<unsigned char>(e);
            if (eb >= 0x20 && eb < 0x7F)
              return fail(std::string("invalid escape '\\") + e + "' in string", i);
            return fail("invalid escape: '\\' followed by byte " + hex_byte(eb) + " in string", i);
          }
        }
      }
      if (c < 0x20) return fail("unescaped control character " + hex_byte(c) + " in string", i);
      if (c < 0x80) {
        ++i;
        continue;
      }
      std::string utf8_message;
      size_t next = i;
      if (check_utf8(i, utf8_message, next)) {
        if (next == n) return fail("unexpected end of input in string", n);
        return fail(std::move(utf8_message) + " in string", next);
      }
      i = next;
    }
  }

  bool scan_number() {
    const size_t n = in_.size();
    size_t i = pos_;
    if (in_[i] == '-') {
      ++i;
      if (i >= n || !is_digit(in_[i])) return fail("invalid number: expected a digit after '-'", i);
    }
    if (in_[i] == '0') {
      ++i;
      if (i < n && is_digit(in_[i]))
        return fail("invalid number: leading zeros are not allowed", i - 1);
    } else {
      while (i < n && is_digit(in_[i])) ++i;
    }
    if (i < n && in_[i] == '.') {
      ++i;
      if (i >= n || !is_digit(in_[i])) return fail("invalid number: expected a digit after '.'", i);
      while (i < n && is_digit(in_[i])) ++i;
    }
    if (i < n && (in_[i] == 'e' || in_[i] == 'E')) {
      ++i;
      if (i < n && (in_[i] == '+' || in_[i] == '-')) ++i;
      if (i >= n || !is_digit(in_[i]))
        return fail("invalid number: expected a digit in the exponent", i);
      while (i < n && is_digit(in_[i])) ++i;
    }
    pos_ = i;
    return false;
  }

  bool scan_literal(std::string_view literal) {
    if (in_.substr(pos_, literal.size()) != literal) {
      return fail("invalid literal, expected '" + std::string(literal) + "'", pos_);
    }
    pos_ += literal.size();
    return false;
  }

  std::string_view in_;
  uint32_t max_depth_;
  size_t pos_ = 0;
  size_t comma_ = 0;
  std::vector<bool> stack_;  // true for objects; its size is the nesting depth
};

}  // namespace

bool find_syntax_error(std::string_view input, uint32_t max_depth, std::string& message,
                       size_t& offset) {
  SyntaxChecker checker(input, max_depth);
  if (!checker.run()) return false;
  message = std::move(checker.message);
  offset = checker.offset;
  return true;
}

ParseError make_parse_error(std::string_view input, std::string message, size_t offset) {
  offset = std::min(offset, input.size());
  ParseError error;
  error.message = std::move(message);
  error.offset = offset;
  const std::string_view before = input.substr(0, offset);
  error.line = static_cast<uint32_t>(1 + std::count(before.begin(), before.end(), '\n'));
  const size_t last_newline = before.rfind('\n');
  error.column = static_cast<uint32_t>(
      last_newline == std::string_view::npos ? offset + 1 : offset - last_newline);
  return error;
}

}  // namespace hotpath::json::internal
