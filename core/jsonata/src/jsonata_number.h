// JavaScript's number <-> text conversions, in one place for the writer, the standard library
// and the picture-string functions: what Number.prototype.toString() prints, and jsonata-js's
// $round, which shifts the decimal point through that text.
#pragma once

#include <cstddef>
#include <string>

namespace hotpath::jsonata::detail {

// The shortest digits that read back as d (> 0, finite), as JavaScript picks them (the
// closest such digits), into `digits` (no terminator, no trailing zeros; returns the count,
// at most 17), and the decimal exponent of the first digit: d ~ 0.DIGITS * 10^(exp10 + 1).
int shortest_digits(double d, char* digits, int& exp10);

// Appends String(d) for a finite d as JSON.stringify writes it (-0 as "0"); non-finite
// values append "null", as JSON.stringify writes them.
void format_number_js(double d, std::string& out);
// The same into `out`, which has room for kMaxNumberText bytes; returns the end.
constexpr size_t kMaxNumberText = 32;
char* format_number_js(double d, char* out);

// Number.prototype.toString() in radix 10, including "NaN", "Infinity" and "-Infinity".
std::string js_number_string(double d);

// x * 10^places as jsonata-js computes it: +(mantissa + "e" + (exponent + places)) on x's
// JavaScript text. Exact decimal shifting (1.005 shifted by 2 is 100.5, not 100.49999999999999).
// A non-finite x gives NaN, as the text "Infinitye2" does.
double shift_decimal(double x, long places);

// jsonata-js's $round(x, precision): half to even at `precision` decimal places (negative
// precision rounds to tens, hundreds...), never -0.
double js_round(double x, long precision);

}  // namespace hotpath::jsonata::detail
