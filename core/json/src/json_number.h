// Private to core/json: number text handling shared by the parser and the exact comparisons.
// A JSON number's text is split into its significant decimal digits and a power of ten, so
// comparisons and divisibility are exact whatever the magnitude (1e400, 400-digit integers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hotpath/json.h"

namespace hotpath::json::internal {

// Exponents beyond this magnitude are clamped (the input is at most 4 GiB, so two numbers
// whose exponents both exceed it cannot be told apart by this module; nothing realistic is).
inline constexpr int64_t kMaxDecimalExponent = int64_t(1) << 60;

// The value of a JSON number text as  (-1)^neg * digits * 10^exp, where `digits` is the
// decimal integer made of the significant digits: no leading and no trailing zeros. Zero
// has no digits. The digits are a window [begin, end) over the concatenation of the integer
// part and the fraction part of the text, so nothing is copied.
struct Decimal {
  bool neg = false;
  const char* int_part = nullptr;
  uint32_t int_len = 0;
  const char* frac_part = nullptr;
  uint32_t frac_len = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
  int64_t exp = 0;

  bool is_zero() const { return begin == end; }
  uint32_t digit_count() const { return end - begin; }
  // i-th significant digit, 0 <= i < digit_count(), as 0..9.
  unsigned digit(uint32_t i) const {
    uint32_t k = begin + i;
    return static_cast<unsigned>((k < int_len ? int_part[k] : frac_part[k - int_len]) - '0');
  }
  // Power of ten of the leading digit plus one: value = 0.d1d2... * 10^adjusted().
  int64_t adjusted() const { return exp + digit_count(); }
};

// Splits a JSON number text (no surrounding whitespace). Returns false when `text` is not a
// JSON number.
bool decompose(std::string_view text, Decimal& out);

// Exact three-way comparison of the mathematical values (-0 == 0).
int compare_decimal(const Decimal& a, const Decimal& b);

// Parses the JSON number that starts at `text` into `out` (kind, double, exact integer, and
// the source text). Scans without a length: `text` must lie in a buffer that ends with a byte
// that cannot continue a number (the parser's input copy is followed by zero padding).
// Returns the end of the number, or nullptr when no valid number starts at `text` ("-", "1.",
// "1e+"). The caller checks what follows: "01" and "1x" stop after "0" and "1".
const char* parse_number(const char* text, Value& out);

}  // namespace hotpath::json::internal
