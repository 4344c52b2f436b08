// Tokenizer for JSONata source text. Positions are jsonata-js's: the character offset just
// after the token (in UTF-16 code units, as jsonata-js counts them).
#pragma once

#include <string>
#include <string_view>

#include "hotpath/jsonata.h"

namespace hotpath::jsonata::detail {

enum class TT : uint8_t { End, Name, Variable, Operator, String, Number, Value, Regex };

struct Token {
  TT type = TT::End;
  std::string value;  // name, variable (without $), operator text, string contents, regex pattern
  std::string flags;  // regex flags
  double num = 0;
  int literal = 0;  // Value: 0 null, 1 true, 2 false
  size_t position = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}
  // prefix: a regex may start here (operand position).
  bool next(bool regex_allowed, Token& out, Error& err);
  size_t offset() const { return pos_; }
  void set_offset(size_t p) { pos_ = p; }
  // Character position (UTF-16 units) of byte offset `byte`.
  size_t char_pos(size_t byte) const;
  std::string_view source() const { return src_; }

 private:
  std::string_view src_;
  size_t pos_ = 0;
};

}  // namespace hotpath::jsonata::detail
