#include <cstdlib>
#include <cstring>
#include <string>

#include "jsonata_ast.h"
#include "jsonata_lexer.h"
#include "jsonata_utf8.h"

namespace hotpath::jsonata::detail {

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }
bool is_op_char(char c) {
  return std::strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c) != nullptr && c != 0;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

size_t Lexer::char_pos(size_t byte) const {
  size_t n = 0;
  for (size_t i = 0; i < byte && i < src_.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(src_[i]);
    if ((c & 0xC0) != 0x80) n += (c >= 0xF0) ? 2 : 1;
  }
  return n + (byte > src_.size() ? byte - src_.size() : 0);
}

bool Lexer::next(bool regex_allowed, Token& t, Error& err) {
  const size_t len = src_.size();
  for (;;) {
    while (pos_ < len && is_ws(src_[pos_])) ++pos_;
    if (pos_ + 1 < len && src_[pos_] == '/' && src_[pos_ + 1] == '*') {
      size_t start = pos_;
      pos_ += 2;
      for (;;) {
        if (pos_ + 1 >= len) {
          err = make_error("S0106", char_pos(start));
          return false;
        }
        if (src_[pos_] == '*' && src_[pos_ + 1] == '/') break;
        ++pos_;
      }
      pos_ += 2;
      continue;
    }
    break;
  }
  t = Token();
  if (pos_ >= len) {
    t.type = TT::End;
    t.position = char_pos(len);
    return true;
  }
  char c = src_[pos_];
  auto op = [&](const char* s, size_t n) {
    pos_ += n;
    t.type = TT::Operator;
    t.value.assign(s, n);
    t.position = char_pos(pos_);
    return true;
  };
  if (regex_allowed && c == '/') {
    ++pos_;
    size_t start = pos_;
    int depth = 0;
    while (pos_ < len) {
      char ch = src_[pos_];
      if (ch == '/' && depth == 0) {
        size_t bs = 0;
        while (pos_ >= bs + 1 && src_[pos_ - bs - 1] == '\\') ++bs;
        if (bs % 2 == 0) {
          t.value = std::string(src_.substr(start, pos_ - start));
          if (t.value.empty()) {
            err = make_error("S0301", char_pos(pos_));
            return false;
          }
          ++pos_;
          size_t fs = pos_;
          while (pos_ < len && (src_[pos_] == 'i' || src_[pos_] == 'm')) ++pos_;
          t.flags = std::string(src_.substr(fs, pos_ - fs));
          t.type = TT::Regex;
          t.position = char_pos(pos_);
          return true;
        }
      }
      bool escaped = pos_ > 0 && src_[pos_ - 1] == '\\';
      if ((ch == '(' || ch == '[' || ch == '{') && !escaped) ++depth;
      if ((ch == ')' || ch == ']' || ch == '}') && !escaped) --depth;
      ++pos_;
    }
    err = make_error("S0302", char_pos(pos_));
    return false;
  }
  char d = pos_ + 1 < len ? src_[pos_ + 1] : 0;
  if (c == '.' && d == '.') return op("..", 2);
  if (c == ':' && d == '=') return op(":=", 2);
  if (c == '!' && d == '=') return op("!=", 2);
  if (c == '>' && d == '=') return op(">=", 2);
  if (c == '<' && d == '=') return op("<=", 2);
  if (c == '*' && d == '*') return op("**", 2);
  if (c == '~' && d == '>') return op("~>", 2);
  if (c == '?' && d == ':') return op("?:", 2);
  if (c == '?' && d == '?') return op("??", 2);
  if (is_op_char(c)) return op(&src_[pos_], 1);
  if (c == '"' || c == '\'') {
    char q = c;
    ++pos_;
    std::string s;
    while (pos_ < len) {
      char ch = src_[pos_];
      if (ch == '\\') {
        ++pos_;
        char e = pos_ < len ? src_[pos_] : 0;
        switch (e) {
          case '"':
            s += '"';
            break;
          case '\\':
            s += '\\';
            break;
          case '/':
            s += '/';
            break;
          case 'b':
            s += '\b';
            break;
          case 'f':
            s += '\f';
            break;
          case 'n':
            s += '\n';
            break;
          case 'r':
            s += '\r';
            break;
          case 't':
            s += '\t';
            break;
          case 'u': {
            uint32_t cp = 0;
            bool ok = pos_ + 4 < len;
            for (int k = 1; ok && k <= 4; ++k) {
              int h = hexval(src_[pos_ + size_t(k)]);
              if (h < 0)
                ok = false;
              else
                cp = cp * 16 + uint32_t(h);
            }
            if (!ok) {
              err = make_error("S0104", char_pos(pos_));
              return false;
            }
            pos_ += 4;
            // surrogate pair
            if (cp >= 0xD800 && cp < 0xDC00 && pos_ + 6 < len && src_[pos_ + 1] == '\\' &&
                src_[pos_ + 2] == 'u') {
              uint32_t lo = 0;
              bool ok2 = true;
              for (int k = 3; ok2 && k <= 6; ++k) {
                int h = hexval(src_[pos_ + size_t(k)]);
                if (h < 0)
                  ok2 = false;
                else
                  lo = lo * 16 + uint32_t(h);
              }
              if (ok2 && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                pos_ += 6;
              }
            }
            append_utf8(s, cp);
            break;
          }
          default:
            err = make_error("S0103", char_pos(pos_), std::string(1, e));
            return false;
        }
      } else if (ch == q) {
        ++pos_;
        t.type = TT::String;
        t.value = std::move(s);
        t.position = char_pos(pos_);
        return true;
      } else {
        s += ch;
      }
      ++pos_;
    }
    err = make_error("S0101", char_pos(pos_));
    return false;
  }
  if (c >= '0' && c <= '9') {
    size_t p = pos_;
    if (src_[p] == '0') {
      ++p;
    } else {
      while (p < len && src_[p] >= '0' && src_[p] <= '9') ++p;
    }
    if (p + 1 < len && src_[p] == '.' && src_[p + 1] >= '0' && src_[p + 1] <= '9') {
      ++p;
      while (p < len && src_[p] >= '0' && src_[p] <= '9') ++p;
    }
    if (p < len && (src_[p] == 'e' || src_[p] == 'E')) {
      size_t q = p + 1;
      if (q < len && (src_[q] == '+' || src_[q] == '-')) ++q;
      if (q < len && src_[q] >= '0' && src_[q] <= '9') {
        while (q < len && src_[q] >= '0' && src_[q] <= '9') ++q;
        p = q;
      }
    }
    std::string text(src_.substr(pos_, p - pos_));
    double v = std::strtod(text.c_str(), nullptr);
    if (!(v - v == 0)) {  // inf or nan
      err = make_error("S0102", char_pos(pos_), text);
      return false;
    }
    pos_ = p;
    t.type = TT::Number;
    t.num = v;
    t.value = std::move(text);
    t.position = char_pos(pos_);
    return true;
  }
  if (c == '`') {
    size_t end = src_.find('`', pos_ + 1);
    if (end == std::string_view::npos) {
      pos_ = len;
      err = make_error("S0105", char_pos(len));
      return false;
    }
    t.type = TT::Name;
    t.value = std::string(src_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    t.position = char_pos(pos_);
    return true;
  }
  size_t i = pos_;
  while (i < len && !is_ws(src_[i]) && !is_op_char(src_[i])) ++i;
  if (c == '$') {
    t.type = TT::Variable;
    t.value = std::string(src_.substr(pos_ + 1, i - pos_ - 1));
    pos_ = i;
    t.position = char_pos(pos_);
    return true;
  }
  std::string name(src_.substr(pos_, i - pos_));
  pos_ = i;
  t.position = char_pos(pos_);
  if (name == "or" || name == "in" || name == "and") {
    t.type = TT::Operator;
    t.value = std::move(name);
  } else if (name == "true" || name == "false" || name == "null") {
    t.type = TT::Value;
    t.literal = name == "null" ? 0 : (name == "true" ? 1 : 2);
    t.value = std::move(name);
  } else {
    t.type = TT::Name;
    t.value = std::move(name);
  }
  return true;
}

}  // namespace hotpath::jsonata::detail
