// Picture-string functions of the JSONata standard library ($formatNumber, $formatBase,
// $formatInteger, $parseInteger, $fromMillis, $toMillis), after XPath/XQuery F&O 3.1 as
// jsonata-js 2.x implements them: same outputs, same error codes (D3080..D3136, D3100, D3110).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hotpath/jsonata.h"
#include "hotpath/result.h"

namespace hotpath::jsonata::format {

// The decimal-format symbols of $formatNumber's optional third argument. Every member is a
// UTF-8 string; the defaults are jsonata-js's.
struct DecimalFormat {
  std::string decimal_separator = ".";
  std::string grouping_separator = ",";
  std::string exponent_separator = "e";
  std::string minus_sign = "-";
  std::string infinity = "Infinity";
  std::string nan = "NaN";
  std::string percent = "%";
  std::string per_mille = "\xE2\x80\xB0";  // U+2030
  std::string zero_digit = "0";            // first character of the decimal digit family
  std::string digit = "#";
  std::string pattern_separator = ";";

  // Sets the symbol named as in the options object ("decimal-separator", "per-mille", "NaN",
  // ...). Returns false (and changes nothing) for a name that is not a symbol; jsonata-js
  // silently ignores such keys, so callers normally ignore the return value.
  bool set(std::string_view name, std::string_view value);
};

// $formatNumber(value, picture [, options]). `options` may be nullptr (all defaults). The value
// is expected finite (jsonata-js never formats NaN/Infinity: its callers reject them first).
// Errors: D3080..D3093 for a malformed picture (the last rule broken wins, as in jsonata-js).
Result<std::string, Error> format_number(double value, std::string_view picture,
                                         const DecimalFormat* options);

// $formatBase(value [, radix]). Value and radix are rounded half-to-even first; the radix
// defaults to 10 and must lie in 2..36 (else D3100). Digits above 9 are lower-case letters.
Result<std::string, Error> format_base(double value, std::optional<double> radix);

// $formatInteger(value, picture): the value is floored, then written as decimal digits (any
// Unicode decimal digit family, '#' optional digits, grouping separators), "a"/"A" letters,
// "i"/"I" roman numerals, "w"/"W"/"Ww" English words, with ";o" for ordinals.
// Errors: D3130 (unsupported numbering sequence), D3131 (mixed digit families), U1001 for roman
// numerals of 1e7 or more (jsonata-js overflows its stack there).
Result<std::string, Error> format_integer(double value, std::string_view picture);

// $parseInteger(text, picture): the inverse of format_integer. Like jsonata-js, text that does
// not fit the picture yields NaN (which jsonata-js serializes as null), never an error; the
// optional is always engaged today (kept optional for an undefined result).
// Errors: D3130, D3131 as for format_integer.
Result<std::optional<double>, Error> parse_integer(std::string_view text, std::string_view picture);

// $fromMillis(millis [, picture [, timezone]]). Without a picture the result is ISO 8601
// ("2017-11-07T15:07:54.972Z", or "...+01:00" with a timezone). `timezone` is "±HHMM", read
// with parseInt like jsonata-js (so "+0530" is +05:30 but "-0530" is -06:30, and text that is
// not a number turns every field into "NaN"). Fractional millis truncate toward zero; times
// outside +-8.64e15 ms print NaN fields, as in jsonata-js.
// Errors: D3132 (unknown component), D3133 (name modifier on a non-name component),
// D3134 (timezone format of more than four digits), D3135 (missing ']'), and D3130/D3131 from
// a component's integer picture.
Result<std::string, Error> from_millis(double millis, std::optional<std::string_view> picture,
                                       std::optional<std::string_view> timezone);

// $toMillis(timestamp [, picture]). Without a picture the timestamp must be ISO 8601 (D3110
// otherwise; a timestamp without offset is read as UTC; a string that passes the pattern but
// that V8's Date.parse rejects, e.g. "2018-13-01", yields NaN). With a picture, returns nullopt
// when the timestamp does not match it (jsonata-js: undefined); components missing before the
// given ones default from `now_millis` (jsonata-js: the evaluation's $now(); nullopt = the
// system clock), missing ones after them to their minimum.
// Errors: D3110, D3130..D3133, D3135, D3136 (gaps in, or unsupported sets of, the components).
Result<std::optional<double>, Error> to_millis(std::string_view timestamp,
                                               std::optional<std::string_view> picture,
                                               std::optional<double> now_millis = std::nullopt);

}  // namespace hotpath::jsonata::format
