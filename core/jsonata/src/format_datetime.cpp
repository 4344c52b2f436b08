// Integer and date/time pictures: $formatInteger, $parseInteger, $fromMillis and $toMillis
// (XPath F&O 3.1 format-integer / format-dateTime, as jsonata-js 2.x implements them). The
// date/time code reuses the integer-picture machinery, so both live in this file.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "format_functions.h"
#include "format_text.h"
#include "jsonata_number.h"

namespace hotpath::jsonata::format {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMillisPerDay = 86400000.0;

using namespace text;  // fail, decode, append_utf8, encode (format_text.h)

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
std::string lower(std::string s) {
  for (char& c : s) c = ascii_lower(c);
  return s;
}
std::string upper(std::string s) {
  for (char& c : s) c = ascii_upper(c);
  return s;
}
bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0 ||
         c == 0xFEFF || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// parseInt(s) as jsonata-js calls it, with no radix: leading whitespace, an optional sign, a
// "0x" prefix for hexadecimal, then the longest run of digits ("0x1F" is 31, "12ab" is 12).
double js_parse_int(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && is_space(static_cast<unsigned char>(s[i]))) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i + 1 < s.size() && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    double v = 0;
    size_t start = i += 2;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      const int d = is_digit(c)              ? c - '0'
                    : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                             : -1;
      if (d < 0) break;
      v = v * 16 + d;
    }
    if (i == start) return kNaN;
    return negative ? -v : v;
  }
  size_t start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == start) return kNaN;
  std::string digits(s.substr(start, i - start));
  double v = std::strtod(digits.c_str(), nullptr);
  return negative ? -v : v;
}

// ---- integer pictures (F&O 4.6.1) -----------------------------------------------------------

enum class Primary { kDecimal, kLetters, kRoman, kWords, kSequence };
enum class Case { kUpper, kLower, kTitle };

struct GroupSep {
  int position;
  char32_t character;
};

struct IntegerFormat {
  Primary primary = Primary::kDecimal;
  Case letter_case = Case::kLower;
  bool ordinal = false;
  // Decimal patterns only; mandatory < 0 means "not a decimal pattern" (jsonata-js: undefined).
  char32_t zero = '0';
  int mandatory = -1;
  int optional = -1;
  bool regular = false;
  int interval = 0;              // regular grouping: every `interval` digits
  char32_t group_char = 0;       // regular grouping: the separator
  std::vector<GroupSep> groups;  // irregular grouping, left to right
  int parse_width = 0;           // date/time parsing: exact digit count (0 = any)
  U32 token;                     // the unsupported sequence (D3130)
};

// Zero digits of the Unicode decimal digit families (BMP).
constexpr char32_t kDecimalGroups[] = {
    0x30,   0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6,
    0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0,
    0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
    0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }

Result<IntegerFormat, Error> analyse_integer_picture(const U32& picture) {
  IntegerFormat f;
  U32 primary = picture;
  size_t semicolon = picture.rfind(U';');
  if (semicolon != U32::npos) {
    primary = picture.substr(0, semicolon);
    U32 modifier = picture.substr(semicolon + 1);
    if (!modifier.empty() && modifier[0] == U'o') f.ordinal = true;
  }
  if (primary == U"A" || primary == U"a") {
    f.primary = Primary::kLetters;
    f.letter_case = primary == U"A" ? Case::kUpper : Case::kLower;
    return f;
  }
  if (primary == U"I" || primary == U"i") {
    f.primary = Primary::kRoman;
    f.letter_case = primary == U"I" ? Case::kUpper : Case::kLower;
    return f;
  }
  if (primary == U"W" || primary == U"Ww" || primary == U"w") {
    f.primary = Primary::kWords;
    f.letter_case = primary == U"W" ? Case::kUpper : primary == U"Ww" ? Case::kTitle : Case::kLower;
    return f;
  }
  // A decimal-digit-pattern, read right to left to find the grouping positions.
  int mandatory = 0, optional = 0, position = 0;
  bool have_zero = false;
  char32_t zero = 0;
  std::vector<GroupSep> seps;  // right to left
  for (size_t i = primary.size(); i-- > 0;) {
    const char32_t c = primary[i];
    bool digit = false;
    for (char32_t group : kDecimalGroups) {
      if (c >= group && c <= group + 9) {
        digit = true;
        ++mandatory;
        ++position;
        if (!have_zero) {
          have_zero = true;
          zero = group;
        } else if (group != zero) {
          return fail("D3131",
                      "In a decimal digit pattern, all digits must be from the same decimal group");
        }
        break;
      }
    }
    if (digit) continue;
    if (c == U'#') {
      ++position;
      ++optional;
    } else {
      seps.push_back(GroupSep{position, c});
    }
  }
  if (mandatory == 0) {
    f.primary = Primary::kSequence;
    f.token = primary;
    return f;
  }
  f.primary = Primary::kDecimal;
  f.zero = zero;
  f.mandatory = mandatory;
  f.optional = optional;
  // Regular grouping: one separator character at every multiple of a common interval.
  int interval = 0;
  if (!seps.empty()) {
    bool same = true;
    for (const GroupSep& s : seps)
      if (s.character != seps[0].character) same = false;
    if (same) {
      int factor = seps[0].position;
      for (const GroupSep& s : seps) factor = gcd(factor, s.position);
      interval = factor;
      for (size_t k = 1; k <= seps.size() && interval != 0; ++k) {
        bool found = false;
        for (const GroupSep& s : seps)
          if (s.position == static_cast<int>(k) * factor) found = true;
        if (!found) interval = 0;
      }
    }
  }
  if (interval > 0) {
    f.regular = true;
    f.interval = interval;
    f.group_char = seps[0].character;
  } else {
    f.groups.assign(seps.rbegin(), seps.rend());
  }
  return f;
}

const char* const kFew[] = {"Zero",    "One",     "Two",       "Three",    "Four",
                            "Five",    "Six",     "Seven",     "Eight",    "Nine",
                            "Ten",     "Eleven",  "Twelve",    "Thirteen", "Fourteen",
                            "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
const char* const kOrdinals[] = {
    "Zeroth",     "First",     "Second",    "Third",       "Fourth",     "Fifth",     "Sixth",
    "Seventh",    "Eighth",    "Ninth",     "Tenth",       "Eleventh",   "Twelfth",   "Thirteenth",
    "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"};
const char* const kDecades[] = {"Twenty",  "Thirty", "Forty",  "Fifty",  "Sixty",
                                "Seventy", "Eighty", "Ninety", "Hundred"};
const char* const kMagnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};

// English words for a non-negative integer: "Three Hundred and Twenty-Seven Thousand, ...".
std::string words_for(double num, bool prev, bool ordinal) {
  std::string w;
  if (!std::isfinite(num)) return w;
  if (num <= 19) {
    const int i = static_cast<int>(num);
    w = std::string(prev ? " and " : "") + (ordinal ? kOrdinals[i] : kFew[i]);
  } else if (num < 100) {
    const int tens = static_cast<int>(num / 10);
    const int rest = static_cast<int>(num) % 10;
    w = std::string(prev ? " and " : "") + kDecades[tens - 2];
    if (rest > 0) {
      w += "-" + words_for(rest, false, ordinal);
    } else if (ordinal) {
      w.pop_back();
      w += "ieth";
    }
  } else if (num < 1000) {
    const int hundreds = static_cast<int>(num / 100);
    const int rest = static_cast<int>(num) % 100;
    w = std::string(prev ? ", " : "") + kFew[hundreds] + " Hundred";
    if (rest > 0) {
      w += words_for(rest, true, ordinal);
    } else if (ordinal) {
      w += "th";
    }
  } else {
    int mag = static_cast<int>(std::floor(std::log10(num) / 3));
    if (mag > 4) mag = 4;
    const double factor = std::pow(10.0, mag * 3);
    const double mant = std::floor(num / factor);
    const double rest = num - mant * factor;
    w = std::string(prev ? ", " : "") + words_for(mant, false, false) + " " + kMagnitudes[mag - 1];
    if (rest > 0) {
      w += words_for(rest, true, ordinal);
    } else if (ordinal) {
      w += "th";
    }
  }
  return w;
}

// Lower-case word -> value, as recognised by words_to_number.
const std::map<std::string, double>& word_values() {
  static const std::map<std::string, double> table = [] {
    std::map<std::string, double> t;
    for (int i = 0; i < 20; ++i) {
      t[lower(kFew[i])] = i;
      t[lower(kOrdinals[i])] = i;
    }
    for (int i = 0; i < 9; ++i) {
      std::string w = lower(kDecades[i]);
      t[w] = (i + 2) * 10;
      t[w.substr(0, w.size() - 1) + "ieth"] = (i + 2) * 10;
    }
    t["hundredth"] = 100;
    for (int i = 0; i < 4; ++i) {
      std::string w = lower(kMagnitudes[i]);
      const double v = std::pow(10.0, (i + 1) * 3);
      t[w] = v;
      t[w + "th"] = v;
    }
    return t;
  }();
  return table;
}

double words_to_number(const std::string& text) {
  // Split on ", ", " and ", a whitespace, '\\' or '-' (first match at each position).
  std::vector<std::string> parts;
  std::string cur;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    size_t sep = 0;
    if (c == ',' && i + 1 < text.size() && is_space(static_cast<unsigned char>(text[i + 1]))) {
      sep = 2;
    } else if (is_space(static_cast<unsigned char>(c)) && text.compare(i + 1, 3, "and") == 0 &&
               i + 4 < text.size() && is_space(static_cast<unsigned char>(text[i + 4]))) {
      sep = 5;
    } else if (is_space(static_cast<unsigned char>(c)) || c == '\\' || c == '-') {
      sep = 1;
    }
    if (sep) {
      parts.push_back(cur);
      cur.clear();
      i += sep;
    } else {
      cur.push_back(c);
      ++i;
    }
  }
  parts.push_back(cur);
  std::vector<double> segs{0};
  for (const std::string& p : parts) {
    auto it = word_values().find(p);
    const double value = it == word_values().end() ? kNaN : it->second;
    if (value < 100) {
      double top = segs.back();
      segs.pop_back();
      if (top >= 1000) {
        segs.push_back(top);
        top = 0;
      }
      segs.push_back(top + value);
    } else {
      const double top = segs.back();
      segs.back() = top * value;
    }
  }
  double sum = 0;
  for (double s : segs) sum += s;
  return sum;
}

std::string to_roman(double value) {
  static const struct {
    int value;
    const char* text;
  } kNumerals[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
                   {90, "xc"},  {50, "l"},   {40, "xl"}, {10, "x"},   {9, "ix"},
                   {5, "v"},    {4, "iv"},   {1, "i"}};
  std::string out;
  for (const auto& n : kNumerals) {
    while (value >= n.value) {
      out += n.text;
      value -= n.value;
    }
  }
  return out;
}

double roman_value(char c) {
  switch (c) {
    case 'M':
      return 1000;
    case 'D':
      return 500;
    case 'C':
      return 100;
    case 'L':
      return 50;
    case 'X':
      return 10;
    case 'V':
      return 5;
    case 'I':
      return 1;
    default:
      return kNaN;
  }
}

double from_roman(const std::string& roman) {
  double total = 0, max = 1;
  for (size_t i = roman.size(); i-- > 0;) {
    const double v = roman_value(roman[i]);
    if (v < max) {
      total -= v;
    } else {
      max = v;
      total += v;
    }
  }
  return total;
}

std::string to_letters(double value, char a) {
  std::string out;
  while (value > 0) {
    out.insert(out.begin(), static_cast<char>(a + static_cast<int>(std::fmod(value - 1, 26))));
    value = std::floor((value - 1) / 26);
  }
  return out;
}

double from_letters(const U32& letters, char32_t a) {
  double total = 0;
  for (size_t i = 0; i < letters.size(); ++i) {
    const double code = static_cast<double>(letters[letters.size() - i - 1]);
    total += (code - static_cast<double>(a) + 1) * std::pow(26.0, static_cast<double>(i));
  }
  return total;
}

std::string unsupported_sequence(const IntegerFormat& f) {
  return "Formatting or parsing an integer as a sequence starting with \"" + encode(f.token) +
         "\" is not supported by this implementation";
}

// Formats an (already floored) integer with an analysed picture.
Result<std::string, Error> format_with(double value, const IntegerFormat& f) {
  const bool negative = value < 0;
  value = std::fabs(value);
  std::string out;
  switch (f.primary) {
    case Primary::kLetters:
      out = to_letters(value, f.letter_case == Case::kUpper ? 'A' : 'a');
      break;
    case Primary::kRoman:
      if (value >= 1e7)  // jsonata-js overflows its stack here
        return fail("U1001", "Stack overflow error: value too large for roman numerals");
      out = to_roman(value);
      if (f.letter_case == Case::kUpper) out = upper(out);
      break;
    case Primary::kWords:
      out = words_for(value, false, f.ordinal);
      if (f.letter_case == Case::kUpper)
        out = upper(out);
      else if (f.letter_case == Case::kLower)
        out = lower(out);
      break;
    case Primary::kDecimal: {
      U32 s = decode(detail::js_number_string(value));
      if (f.mandatory > static_cast<int>(s.size()))
        s.insert(0, static_cast<size_t>(f.mandatory) - s.size(), U'0');
      if (f.zero != U'0')
        for (char32_t& c : s) c = c + f.zero - U'0';
      if (f.regular) {
        const long n = (static_cast<long>(s.size()) - 1) / f.interval;
        for (long k = n; k > 0; --k) {
          const long pos = static_cast<long>(s.size()) - k * f.interval;
          s.insert(static_cast<size_t>(pos), 1, f.group_char);
        }
      } else {
        for (const GroupSep& g : f.groups) {
          const long len = static_cast<long>(s.size());
          const long pos = len - g.position;
          if (pos >= 0) {
            s.insert(static_cast<size_t>(pos), 1, g.character);
          } else {
            // JS substr(0, pos) is "" and substr(pos) counts from the end: digits are lost.
            const long from = len + pos > 0 ? len + pos : 0;
            s = U32(1, g.character) + s.substr(static_cast<size_t>(from));
          }
        }
      }
      if (f.ordinal && !s.empty()) {
        const char32_t last = s.back();
        const char* suffix = last == U'1' ? "st" : last == U'2' ? "nd" : last == U'3' ? "rd" : "th";
        if (s.size() > 1 && s[s.size() - 2] == U'1') suffix = "th";
        out = encode(s) + suffix;
      } else {
        out = encode(s);
      }
      break;
    }
    case Primary::kSequence:
      return fail("D3130", unsupported_sequence(f));
  }
  if (negative) out.insert(0, "-");
  return out;
}

// Parses text written with an analysed picture (no validation, like jsonata-js).
Result<double, Error> parse_with(std::string_view text, const IntegerFormat& f) {
  const bool is_upper = f.letter_case == Case::kUpper;
  switch (f.primary) {
    case Primary::kLetters:
      return from_letters(decode(text), is_upper ? U'A' : U'a');
    case Primary::kRoman:
      return from_roman(is_upper ? std::string(text) : upper(std::string(text)));
    case Primary::kWords:
      return words_to_number(lower(std::string(text)));
    case Primary::kDecimal: {
      U32 digits = decode(text);
      if (f.ordinal) digits = digits.size() >= 2 ? digits.substr(0, digits.size() - 2) : U32();
      auto strip = [&digits](char32_t c) {
        U32 kept;
        for (char32_t d : digits)
          if (d != c) kept.push_back(d);
        digits = kept;
      };
      if (f.regular) {
        strip(U',');
      } else {
        for (const GroupSep& g : f.groups) strip(g.character);
      }
      if (f.zero != U'0') {
        for (char32_t& c : digits) {
          if (c < f.zero) return kNaN;
          c = c - f.zero + U'0';
        }
      }
      return js_parse_int(encode(digits));
    }
    case Primary::kSequence:
      return fail("D3130", unsupported_sequence(f));
  }
  return kNaN;
}

// ---- calendar arithmetic (proleptic Gregorian, UTC) ----------------------------------------

int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {  // m 1..12
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

// TimeClip: NaN outside +-8.64e15, else truncated toward zero.
double time_clip(double t) {
  if (!std::isfinite(t) || std::fabs(t) > 8.64e15) return kNaN;
  return std::trunc(t) + 0.0;
}

// Date.UTC(year, month0, day, h, mi, s, ms), including its 0..99 -> 1900..1999 year mapping.
double js_date_utc(double y, double m0, double d = 1, double h = 0, double mi = 0, double s = 0,
                   double ms = 0) {
  for (double v : {y, m0, d, h, mi, s, ms})
    if (!std::isfinite(v)) return kNaN;
  y = std::trunc(y);
  if (y >= 0 && y <= 99) y += 1900;
  m0 = std::trunc(m0);
  const double ym = y + std::floor(m0 / 12);
  if (std::fabs(ym) > 400000) return kNaN;
  const double mn = m0 - std::floor(m0 / 12) * 12;
  const double day = static_cast<double>(days_from_civil(static_cast<int64_t>(ym),
                                                         static_cast<int64_t>(mn) + 1, 1)) +
                     std::trunc(d) - 1;
  const double time = std::trunc(h) * 3600000.0 + std::trunc(mi) * 60000.0 +
                      std::trunc(s) * 1000.0 + std::trunc(ms);
  return time_clip(day * kMillisPerDay + time);
}

// The UTC fields of a time value (NaN fields for an invalid date).
struct DateFields {
  bool valid = false;
  double time = kNaN;
  double year = kNaN, month0 = kNaN, day = kNaN, weekday = kNaN;  // weekday: 0 = Sunday
  double hours = kNaN, minutes = kNaN, seconds = kNaN, millis = kNaN;
};

DateFields fields_of(double t) {
  DateFields f;
  t = time_clip(t);
  if (std::isnan(t)) return f;
  const int64_t ms = static_cast<int64_t>(t);
  int64_t days = ms / 86400000;
  int64_t rem = ms % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  int64_t y;
  int m, d;
  civil_from_days(days, y, m, d);
  f.valid = true;
  f.time = t;
  f.year = static_cast<double>(y);
  f.month0 = m - 1;
  f.day = d;
  f.weekday = static_cast<double>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
  f.hours = static_cast<double>(rem / 3600000);
  f.minutes = static_cast<double>(rem / 60000 % 60);
  f.seconds = static_cast<double>(rem / 1000 % 60);
  f.millis = static_cast<double>(rem % 1000);
  return f;
}

// Start (ms) of week 1 of a year (month0 = 0) or a month: the week holding its first Thursday.
double start_of_first_week(double year, double month0) {
  const double first = js_date_utc(year, month0);
  double dow = fields_of(first).weekday;
  if (dow == 0) dow = 7;
  return dow > 4 ? first + (8 - dow) * kMillisPerDay : first - (dow - 1) * kMillisPerDay;
}

double delta_weeks(double start, double end) { return (end - start) / (kMillisPerDay * 7) + 1; }

// A date/time component's value: the number, or the text for P/C/E.
struct Component {
  double number = kNaN;
  std::string text;
  bool is_text = false;
};

Component fragment(const DateFields& date, char32_t component) {
  Component c;
  auto next_month = [](double y, double m) {
    return m == 11 ? std::make_pair(y + 1, 0.0) : std::make_pair(y, m + 1);
  };
  auto prev_month = [](double y, double m) {
    return m == 0 ? std::make_pair(y - 1, 11.0) : std::make_pair(y, m - 1);
  };
  switch (component) {
    case 'Y':
      c.number = date.year;
      break;
    case 'M':
      c.number = date.month0 + 1;
      break;
    case 'D':
      c.number = date.day;
      break;
    case 'd': {
      const double today = js_date_utc(date.year, date.month0, date.day);
      const double jan1 = js_date_utc(date.year, 0);
      c.number = (today - jan1) / kMillisPerDay + 1;
      break;
    }
    case 'F':
      c.number = date.weekday == 0 ? 7 : date.weekday;
      break;
    case 'W': {
      const double start = start_of_first_week(date.year, 0);
      const double today = js_date_utc(date.year, date.month0, date.day);
      double week = delta_weeks(start, today);
      if (week > 52) {
        if (today >= start_of_first_week(date.year + 1, 0)) week = 1;
      } else if (week < 1) {
        week = delta_weeks(start_of_first_week(date.year - 1, 0), today);
      }
      c.number = std::floor(week);
      break;
    }
    case 'w': {
      const double start = start_of_first_week(date.year, date.month0);
      const double today = js_date_utc(date.year, date.month0, date.day);
      double week = delta_weeks(start, today);
      if (week > 4) {
        auto nm = next_month(date.year, date.month0);
        if (today >= start_of_first_week(nm.first, nm.second)) week = 1;
      } else if (week < 1) {
        auto pm = prev_month(date.year, date.month0);
        week = delta_weeks(start_of_first_week(pm.first, pm.second), today);
      }
      c.number = std::floor(week);
      break;
    }
    case 'X': {
      const double start = start_of_first_week(date.year, 0);
      const double end = start_of_first_week(date.year + 1, 0);
      c.number = date.time < start ? date.year - 1 : date.time >= end ? date.year + 1 : date.year;
      if (!date.valid) c.number = kNaN;
      break;
    }
    case 'x': {
      const double start = start_of_first_week(date.year, date.month0);
      auto nm = next_month(date.year, date.month0);
      const double end = start_of_first_week(nm.first, nm.second);
      if (date.time < start)
        c.number = prev_month(date.year, date.month0).second + 1;
      else if (date.time >= end)
        c.number = nm.second + 1;
      else
        c.number = date.month0 + 1;
      if (!date.valid) c.number = kNaN;
      break;
    }
    case 'H':
      c.number = date.hours;
      break;
    case 'h': {
      double h = std::fmod(date.hours, 12);
      c.number = h == 0 ? 12 : h;
      break;
    }
    case 'P':
      c.is_text = true;
      c.text = date.hours >= 12 ? "pm" : "am";
      break;
    case 'm':
      c.number = date.minutes;
      break;
    case 's':
      c.number = date.seconds;
      break;
    case 'f':
      c.number = date.millis;
      break;
    case 'C':
    case 'E':
      c.is_text = true;
      c.text = "ISO";
      break;
    default:  // Z, z (formatted from the offset) and unknown components: no value
      break;
  }
  return c;
}

const char* const kDays[] = {"",         "Monday", "Tuesday",  "Wednesday",
                             "Thursday", "Friday", "Saturday", "Sunday"};
const char* const kMonths[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};

// ---- date/time pictures (F&O 9.8.4) ---------------------------------------------------------

enum class Names { kNone, kUpper, kLower, kTitle };

struct Marker {
  bool literal = false;
  std::string value;  // literal text (UTF-8)
  char32_t component = 0;
  std::optional<int> min_width, max_width;
  U32 presentation1;
  char32_t presentation2 = 0;
  Names names = Names::kNone;
  std::optional<IntegerFormat> integer;
  int year_digits = -1;  // Y: keep this many low-order digits (-1 = all)
};

bool in_set(char32_t c, const char* set) {
  for (const char* p = set; *p; ++p)
    if (static_cast<char32_t>(static_cast<unsigned char>(*p)) == c) return true;
  return false;
}

const char* default_presentation(char32_t c) {
  switch (c) {
    case 'Y':
    case 'M':
    case 'D':
    case 'd':
    case 'W':
    case 'w':
    case 'X':
    case 'x':
    case 'H':
    case 'h':
    case 'f':
      return "1";
    case 'F':
    case 'P':
    case 'C':
    case 'E':
      return "n";
    case 'm':
    case 's':
      return "01";
    case 'Z':
    case 'z':
      return "01:01";
    default:
      return nullptr;
  }
}

std::optional<int> parse_width(const U32& w) {
  // "*" means unbounded; parseInt("") is NaN, which compares false everywhere: also absent.
  if (w.empty() || w == U"*") return std::nullopt;
  const double v = js_parse_int(encode(w));
  if (std::isnan(v) || v > 1e6) return std::nullopt;
  return static_cast<int>(v);
}

Result<std::vector<Marker>, Error> analyse_datetime_picture(const U32& picture) {
  std::vector<Marker> spec;
  auto add_literal = [&](size_t start, size_t end) {
    if (end <= start) return;
    U32 text = picture.substr(start, end - start);
    U32 unescaped;
    for (size_t i = 0; i < text.size(); ++i) {
      unescaped.push_back(text[i]);
      if (text[i] == U']' && i + 1 < text.size() && text[i + 1] == U']') ++i;
    }
    Marker m;
    m.literal = true;
    m.value = encode(unescaped);
    spec.push_back(std::move(m));
  };
  size_t start = 0, pos = 0;
  while (pos < picture.size()) {
    if (picture[pos] == U'[') {
      if (pos + 1 < picture.size() && picture[pos + 1] == U'[') {
        add_literal(start, pos);
        Marker m;
        m.literal = true;
        m.value = "[";
        spec.push_back(std::move(m));
        pos += 2;
        start = pos;
        continue;
      }
      add_literal(start, pos);
      start = pos;
      pos = picture.find(U']', start);
      if (pos == U32::npos)
        return fail("D3135", "No matching closing bracket ']' in date/time picture string");
      U32 marker;
      for (size_t i = start + 1; i < pos; ++i)
        if (!is_space(picture[i])) marker.push_back(picture[i]);
      Marker def;
      def.component = marker.empty() ? 0 : marker[0];
      const size_t comma = marker.rfind(U',');
      U32 pres;
      if (comma != U32::npos) {
        const U32 width = marker.substr(comma + 1);
        const size_t dash = width.find(U'-');
        if (dash == U32::npos) {
          def.min_width = parse_width(width);
        } else {
          def.min_width = parse_width(width.substr(0, dash));
          def.max_width = parse_width(width.substr(dash + 1));
        }
        pres = comma >= 1 ? marker.substr(1, comma - 1)
                          : marker.substr(0, 1);  // JS substring(1, comma)
      } else {
        pres = marker.size() > 1 ? marker.substr(1) : U32();
      }
      if (pres.size() == 1) {
        def.presentation1 = pres;
      } else if (pres.size() > 1) {
        const char32_t last = pres.back();
        if (in_set(last, "atco")) {
          def.presentation2 = last;
          def.presentation1 = pres.substr(0, pres.size() - 1);
        } else {
          def.presentation1 = pres;
        }
      } else {
        const char* d = default_presentation(def.component);
        if (d == nullptr) {
          std::string c;
          if (def.component) append_utf8(c, def.component);
          return fail("D3132",
                      "Unknown component specifier \"" + c + "\" in date/time picture string");
        }
        def.presentation1 = decode(d);
      }
      if (def.presentation1[0] == U'n') {
        def.names = Names::kLower;
      } else if (def.presentation1[0] == U'N') {
        def.names = def.presentation1.size() > 1 && def.presentation1[1] == U'n' ? Names::kTitle
                                                                                 : Names::kUpper;
      } else if (in_set(def.component, "YMDdFWwXxHhmsf")) {
        U32 pattern = def.presentation1;
        if (def.presentation2) {
          pattern += U';';
          pattern += def.presentation2;
        }
        auto f = analyse_integer_picture(pattern);
        if (!f) return Failure(f.error());
        def.integer = std::move(f.value());
        IntegerFormat& inf = *def.integer;
        if (def.min_width && inf.mandatory >= 0 && inf.mandatory < *def.min_width)
          inf.mandatory = *def.min_width;
        if (def.component == U'Y') {
          if (def.max_width) {
            def.year_digits = *def.max_width;
            inf.mandatory = def.year_digits;
          } else if (inf.mandatory >= 0 && inf.mandatory + inf.optional >= 2) {
            def.year_digits = inf.mandatory + inf.optional;
          }
        }
        if (!spec.empty() && spec.back().integer)
          spec.back().integer->parse_width = spec.back().integer->mandatory;
      }
      if (def.component == U'Z' || def.component == U'z') {
        auto f = analyse_integer_picture(def.presentation1);
        if (!f) return Failure(f.error());
        def.integer = std::move(f.value());
      }
      spec.push_back(std::move(def));
      start = pos + 1;
    }
    ++pos;
  }
  add_literal(start, pos);
  return spec;
}

std::string component_name(char32_t c) {
  std::string s;
  append_utf8(s, c);
  return s;
}

Result<std::string, Error> format_marker(const DateFields& date, const Marker& m,
                                         double offset_hours, double offset_minutes) {
  const char32_t c = m.component;
  Component value = fragment(date, c);
  if (in_set(c, "YMDdFWwXxHhms")) {
    double v = value.number;
    if (c == U'Y' && m.year_digits != -1 && m.names == Names::kNone)
      v = std::fmod(v, std::pow(10.0, m.year_digits));
    if (m.names != Names::kNone) {
      std::string name;
      if (c == U'M' || c == U'x') {
        name = (v >= 1 && v <= 12) ? kMonths[static_cast<int>(v) - 1] : "undefined";
      } else if (c == U'F') {
        name = (v >= 1 && v <= 7) ? kDays[static_cast<int>(v)] : "undefined";
      } else {
        return fail("D3133",
                    "The 'name' modifier can only be applied to months and days in the "
                    "date/time picture string, not \"" +
                        component_name(c) + "\"");
      }
      if (m.names == Names::kUpper)
        name = upper(name);
      else if (m.names == Names::kLower)
        name = lower(name);
      if (m.max_width && static_cast<int>(name.size()) > *m.max_width)
        name.resize(static_cast<size_t>(*m.max_width));
      return name;
    }
    return format_with(v, *m.integer);
  }
  if (c == U'f') {
    if (!m.integer)
      return fail("D3133",
                  "The 'name' modifier can only be applied to months and days in the "
                  "date/time picture string, not \"f\"");
    return format_with(value.number, *m.integer);
  }
  if (c == U'Z' || c == U'z') {
    const double offset = offset_hours * 100 + offset_minutes;
    const IntegerFormat& f = *m.integer;
    std::string out;
    if (f.regular) {
      auto r = format_with(offset, f);
      if (!r) return r;
      out = *r;
    } else {
      const int digits = f.mandatory;
      if (digits == 1 || digits == 2) {
        auto r = format_with(offset_hours, f);
        if (!r) return r;
        out = *r;
        if (offset_minutes != 0) {
          IntegerFormat two;
          two.mandatory = 2;
          two.optional = 0;
          auto mm = format_with(std::floor(offset_minutes), two);
          if (!mm) return mm;
          out += ":" + *mm;
        }
      } else if (digits == 3 || digits == 4) {
        auto r = format_with(offset, f);
        if (!r) return r;
        out = *r;
      } else {
        return fail("D3134",
                    "The timezone integer format specifier cannot have more than four digits");
      }
    }
    if (offset >= 0) out.insert(0, "+");
    if (c == U'z') out.insert(0, "GMT");
    if (offset == 0 && m.presentation2 == U't') out = "Z";
    return out;
  }
  if (c == U'P') {
    return m.names == Names::kUpper ? upper(value.text) : value.text;
  }
  if (value.is_text) return value.text;
  return std::string("undefined");
}

// ---- date/time parsing ----------------------------------------------------------------------

enum class MatchKind { kLiteral, kZone, kFraction, kDecimal, kLetters, kRoman, kWords, kName };

struct Matcher {
  MatchKind kind = MatchKind::kLiteral;
  const Marker* marker = nullptr;
  std::string literal;
  bool gmt = false;  // kZone: "GMT" prefix (component z)
  std::optional<char32_t> zone_separator;
  int width = 0;                        // kDecimal: exact digit count (0 = one or more)
  bool ordinal = false;                 // kDecimal
  std::map<std::string, double> names;  // kName: exact-case lookup
};

bool ci_equal_at(std::string_view text, size_t pos, std::string_view word) {
  if (pos + word.size() > text.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (ascii_lower(text[pos + i]) != ascii_lower(word[i])) return false;
  return true;
}

size_t run_length(std::string_view text, size_t pos, bool (*accept)(char)) {
  size_t n = 0;
  while (pos + n < text.size() && accept(text[pos + n])) ++n;
  return n;
}

bool accept_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool accept_roman(char c) { return std::strchr("MDCLXVImdclxvi", c) != nullptr && c != 0; }
bool accept_digit(char c) { return is_digit(c); }

// Every end position the part can reach from `pos`, most preferred (longest) first.
// `word_steps` caches, per text position, the lengths of the number words found there.
std::vector<size_t> candidate_ends(const Matcher& m, std::string_view text, size_t pos,
                                   std::vector<std::vector<size_t>>* word_steps) {
  std::vector<size_t> ends;
  switch (m.kind) {
    case MatchKind::kLiteral:
      if (ci_equal_at(text, pos, m.literal)) ends.push_back(pos + m.literal.size());
      break;
    case MatchKind::kZone: {
      size_t p = pos;
      if (m.gmt) {
        if (!ci_equal_at(text, p, "GMT")) break;
        p += 3;
      }
      if (p >= text.size() || (text[p] != '+' && text[p] != '-')) break;
      ++p;
      const size_t n1 = run_length(text, p, accept_digit);
      for (size_t k = n1; k >= 1; --k) {
        if (!m.zone_separator) {
          ends.push_back(p + k);
          continue;
        }
        std::string sep;
        append_utf8(sep, *m.zone_separator);
        const size_t q = p + k;
        if (!ci_equal_at(text, q, sep)) continue;
        const size_t n2 = run_length(text, q + sep.size(), accept_digit);
        for (size_t j = n2; j >= 1; --j) ends.push_back(q + sep.size() + j);
      }
      break;
    }
    case MatchKind::kFraction: {
      const size_t n = run_length(text, pos, accept_digit);
      for (size_t k = n; k >= 1; --k) ends.push_back(pos + k);
      break;
    }
    case MatchKind::kDecimal: {
      const size_t n = run_length(text, pos, accept_digit);
      for (size_t k = n; k >= 1; --k) {
        if (m.width > 0 && k != static_cast<size_t>(m.width)) continue;
        if (!m.ordinal) {
          ends.push_back(pos + k);
          continue;
        }
        for (const char* sfx : {"th", "st", "nd", "rd"})
          if (ci_equal_at(text, pos + k, sfx)) ends.push_back(pos + k + 2);
      }
      break;
    }
    case MatchKind::kLetters:
    case MatchKind::kName: {
      const size_t n = run_length(text, pos, accept_alpha);
      for (size_t k = n; k >= 1; --k) ends.push_back(pos + k);
      break;
    }
    case MatchKind::kRoman: {
      const size_t n = run_length(text, pos, accept_roman);
      for (size_t k = n; k >= 1; --k) ends.push_back(pos + k);
      break;
    }
    case MatchKind::kWords: {
      // (?:word|and|[-, ])+ : all reachable ends, case-insensitively.
      if (word_steps->empty()) {  // the tokens matching at each position, computed once
        word_steps->resize(text.size());
        for (size_t p = 0; p < text.size(); ++p) {
          std::vector<size_t>& steps = (*word_steps)[p];
          const char c = text[p];
          if (c == '-' || c == ',' || c == ' ') steps.push_back(1);
          if (ci_equal_at(text, p, "and")) steps.push_back(3);
          for (const auto& kv : word_values())
            if (ci_equal_at(text, p, kv.first)) steps.push_back(kv.first.size());
        }
      }
      std::vector<bool> reach(text.size() + 1, false);
      reach[pos] = true;
      for (size_t p = pos; p < text.size(); ++p) {
        if (!reach[p]) continue;
        for (size_t n : (*word_steps)[p]) reach[p + n] = true;
      }
      for (size_t e = text.size(); e > pos; --e)
        if (reach[e]) ends.push_back(e);
      break;
    }
  }
  return ends;
}

// Backtracking match of the parts in order, each trying its ends longest first. A (part,
// position) pair that failed once fails again, so it is remembered: the search stays polynomial.
struct MatchState {
  const std::vector<Matcher>& ms;
  std::string_view text;
  std::vector<std::pair<size_t, size_t>> captures;
  std::vector<std::vector<bool>> failed;  // [part][position]
  std::vector<std::vector<size_t>> word_steps;
};

bool match_from(MatchState& st, size_t index, size_t pos) {
  if (index == st.ms.size()) return pos == st.text.size();
  if (st.failed[index][pos]) return false;
  for (size_t end : candidate_ends(st.ms[index], st.text, pos, &st.word_steps)) {
    st.captures[index] = {pos, end};
    if (match_from(st, index + 1, end)) return true;
  }
  st.failed[index][pos] = true;
  return false;
}

Result<std::vector<Matcher>, Error> build_matchers(const std::vector<Marker>& spec) {
  std::vector<Matcher> out;
  for (const Marker& part : spec) {
    Matcher m;
    m.marker = &part;
    if (part.literal) {
      m.kind = MatchKind::kLiteral;
      m.literal = part.value;
    } else if (part.component == U'Z' || part.component == U'z') {
      m.kind = MatchKind::kZone;
      m.gmt = part.component == U'z';
      if (part.integer->regular) m.zone_separator = part.integer->group_char;
    } else if (part.component == U'f') {
      m.kind = MatchKind::kFraction;
    } else if (part.integer) {
      const IntegerFormat& f = *part.integer;
      switch (f.primary) {
        case Primary::kLetters:
          m.kind = MatchKind::kLetters;
          break;
        case Primary::kRoman:
          m.kind = MatchKind::kRoman;
          break;
        case Primary::kWords:
          m.kind = MatchKind::kWords;
          break;
        case Primary::kDecimal:
          m.kind = MatchKind::kDecimal;
          m.width = f.parse_width > 0 ? f.parse_width : 0;
          m.ordinal = f.ordinal;
          break;
        case Primary::kSequence:
          return fail("D3130", unsupported_sequence(f));
      }
    } else {
      m.kind = MatchKind::kName;
      auto add = [&](const std::string& name, double v) {
        const std::string key = part.max_width && static_cast<int>(name.size()) > *part.max_width
                                    ? name.substr(0, static_cast<size_t>(*part.max_width))
                                    : name;
        m.names[key] = v;
      };
      if (part.component == U'M' || part.component == U'x') {
        for (int i = 0; i < 12; ++i) add(kMonths[i], i + 1);
      } else if (part.component == U'F') {
        for (int i = 1; i <= 7; ++i) add(kDays[i], i);
      } else if (part.component == U'P') {
        m.names = {{"am", 0}, {"AM", 0}, {"pm", 1}, {"PM", 1}};
      } else {
        return fail("D3133",
                    "The 'name' modifier can only be applied to months and days in the "
                    "date/time picture string, not \"" +
                        component_name(part.component) + "\"");
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

// The value a matched part contributes (nullopt = undefined, e.g. an unknown month name).
Result<std::optional<double>, Error> parse_part(const Matcher& m, std::string_view value) {
  switch (m.kind) {
    case MatchKind::kLiteral:
      return std::optional<double>();
    case MatchKind::kZone: {
      std::string v(value);
      if (m.gmt) v = v.substr(3);
      double hours = 0, minutes = 0;
      if (m.zone_separator) {
        std::string sep;
        append_utf8(sep, *m.zone_separator);
        const size_t at = v.find(sep);
        hours = js_parse_int(v.substr(0, at));
        minutes = js_parse_int(v.substr(at + sep.size()));
      } else if (v.size() - 1 <= 2) {
        hours = js_parse_int(v);
      } else {
        hours = js_parse_int(v.substr(0, 3));
        minutes = js_parse_int(v.substr(3));
      }
      return std::optional<double>(hours * 60 + minutes);
    }
    case MatchKind::kFraction: {
      const std::string v = "0." + std::string(value.substr(0, 3));
      return std::optional<double>(std::strtod(v.c_str(), nullptr) * 1000);
    }
    case MatchKind::kName: {
      auto it = m.names.find(std::string(value));
      if (it == m.names.end()) return std::optional<double>();
      return std::optional<double>(it->second);
    }
    default: {
      auto r = parse_with(value, *m.marker->integer);
      if (!r) return Failure(r.error());
      return std::optional<double>(*r);
    }
  }
}

bool truthy(const std::optional<double>& v) { return v && *v != 0 && !std::isnan(*v); }

double now_default() {
  using namespace std::chrono;
  return static_cast<double>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

Result<std::optional<double>, Error> parse_datetime(std::string_view timestamp,
                                                    std::string_view picture, double now_millis) {
  auto spec = analyse_datetime_picture(decode(picture));
  if (!spec) return Failure(spec.error());
  auto matchers = build_matchers(*spec);
  if (!matchers) return Failure(matchers.error());
  const std::vector<Matcher>& ms = *matchers;
  MatchState st{ms,
                timestamp,
                std::vector<std::pair<size_t, size_t>>(ms.size()),
                std::vector<std::vector<bool>>(ms.size(), std::vector<bool>(timestamp.size() + 1)),
                {}};
  if (!match_from(st, 0, 0)) return std::optional<double>();
  const auto& captures = st.captures;

  std::map<char32_t, std::optional<double>> comps;  // present key = component given
  for (size_t i = 0; i < ms.size(); ++i) {
    if (ms[i].kind == MatchKind::kLiteral) continue;
    auto v = parse_part(
        ms[i], timestamp.substr(captures[i].first, captures[i].second - captures[i].first));
    if (!v) return Failure(v.error());
    comps[ms[i].marker->component] = *v;
  }
  if (comps.empty()) return std::optional<double>();

  auto get = [&comps](char32_t c) -> std::optional<double> {
    auto it = comps.find(c);
    return it == comps.end() ? std::nullopt : it->second;
  };
  auto mask_of = [&](const char* order) {
    int mask = 0;
    for (const char* p = order; *p; ++p)
      mask = (mask << 1) | (truthy(get(static_cast<unsigned char>(*p))) ? 1 : 0);
    return mask;
  };
  auto is_type = [](int type, int mask) { return (~type & mask) == 0 && (type & mask) != 0; };
  int mask = mask_of("YXMxWwdD");
  const bool date_a = is_type(161, mask);
  const bool date_b = !date_a && is_type(130, mask);
  const bool date_c = is_type(84, mask);
  const bool date_d = !date_c && is_type(72, mask);
  mask = mask_of("PHhmsf");
  const bool time_a = is_type(23, mask);
  const bool time_b = !time_a && is_type(47, mask);

  std::string order = date_b ? "YD" : date_c ? "XxwF" : date_d ? "XWF" : "YMD";
  order += time_b ? "Phmsf" : "Hmsf";
  const DateFields now = fields_of(now_millis);
  bool start_given = false, end_given = false;
  std::map<char32_t, double> v;  // the values used below (P from $now is text: never 1)
  for (char ch : order) {
    const char32_t c = static_cast<unsigned char>(ch);
    auto given = get(c);
    if (!given) {
      if (start_given) {
        v[c] = (c == U'M' || c == U'D' || c == U'd') ? 1 : 0;
        end_given = true;
      } else {
        Component f = fragment(now, c);
        v[c] = f.is_text ? -1 : f.number;
      }
    } else {
      start_given = true;
      if (end_given)
        return fail(
            "D3136",
            "The date/time picture string is missing specifiers required to parse the timestamp");
      v[c] = *given;
    }
  }
  auto val = [&](char32_t c) -> double {
    auto it = v.find(c);
    if (it != v.end()) return it->second;
    auto g = get(c);
    return g ? *g : kNaN;
  };
  double month0 = val(U'M') > 0 ? val(U'M') - 1 : 0;
  double day = val(U'D');
  if (date_b) {
    const double jan1 = js_date_utc(val(U'Y'), 0);
    const DateFields derived = fields_of(jan1 + (val(U'd') - 1) * kMillisPerDay);
    month0 = derived.month0;
    day = derived.day;
  }
  if (date_c || date_d)
    return fail(
        "D3136",
        "The date/time picture string is missing specifiers required to parse the timestamp");
  double hours = val(U'H');
  if (time_b) {
    hours = val(U'h') == 12 ? 0 : val(U'h');
    if (val(U'P') == 1) hours += 12;
  }
  double millis = js_date_utc(val(U'Y'), month0, day, hours, val(U'm'), val(U's'), val(U'f'));
  const std::optional<double> zone = truthy(get(U'Z')) ? get(U'Z') : get(U'z');
  if (truthy(zone)) millis -= *zone * 60 * 1000;
  return std::optional<double>(millis);
}

// The fields of a timestamp matched by jsonata-js's ISO 8601 pattern.
struct IsoFields {
  int year = 0, month = 1, day = 1, hh = 0, mi = 0, ss = 0, ms = 0;
  bool have_month = false, have_day = false, have_time = false, have_fraction = false;
  bool have_offset = false, offset_ok = true, have_z = false;
  int zone_minutes = 0;
  std::string fraction;  // the digits after '.'
};

bool digits_at(std::string_view s, size_t p, size_t n) {
  if (p + n > s.size()) return false;
  for (size_t i = 0; i < n; ++i)
    if (!is_digit(s[p + i])) return false;
  return true;
}
bool char_in(std::string_view s, size_t p, char lo, char hi) {
  return p < s.size() && s[p] >= lo && s[p] <= hi;
}
int two_digits(std::string_view s, size_t p) { return (s[p] - '0') * 10 + (s[p + 1] - '0'); }

// ^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$
// matched with the regex's backtracking: each optional group is tried present, then absent.
bool iso_match(std::string_view s, int group, size_t p, IsoFields& f) {
  if (group == 5) return p == s.size();
  IsoFields g = f;
  switch (group) {
    case 0:
      if (p < s.size() && s[p] == '-' && char_in(s, p + 1, '0', '1') && digits_at(s, p + 2, 1)) {
        g.month = two_digits(s, p + 1);
        g.have_month = true;
        if (iso_match(s, 1, p + 3, g)) return f = g, true;
      }
      break;
    case 1:
      if (p < s.size() && s[p] == '-' && char_in(s, p + 1, '0', '3') && digits_at(s, p + 2, 1)) {
        g.day = two_digits(s, p + 1);
        g.have_day = true;
        if (iso_match(s, 2, p + 3, g)) return f = g, true;
      }
      break;
    case 2:
      if (p + 9 <= s.size() && s[p] == 'T' && char_in(s, p + 1, '0', '2') &&
          digits_at(s, p + 2, 1) && s[p + 3] == ':' && char_in(s, p + 4, '0', '5') &&
          digits_at(s, p + 5, 1) && s[p + 6] == ':' && char_in(s, p + 7, '0', '5') &&
          digits_at(s, p + 8, 1)) {
        g.hh = two_digits(s, p + 1);
        g.mi = two_digits(s, p + 4);
        g.ss = two_digits(s, p + 7);
        g.have_time = true;
        if (iso_match(s, 3, p + 9, g)) return f = g, true;
      }
      break;
    case 3:
      if (p < s.size() && s[p] == '.' && digits_at(s, p + 1, 1)) {
        size_t q = p + 1;
        while (q < s.size() && is_digit(s[q])) ++q;
        int ms = 0;
        for (size_t i = 0; i < 3; ++i) ms = ms * 10 + (p + 1 + i < q ? s[p + 1 + i] - '0' : 0);
        g.ms = ms;
        g.have_fraction = true;
        g.fraction = std::string(s.substr(p + 1, q - p - 1));
        if (iso_match(s, 4, q, g)) return f = g, true;
      }
      break;
    case 4:
      if (p < s.size() && s[p] == 'Z') {
        g.have_z = true;
        if (iso_match(s, 5, p + 1, g)) return f = g, true;
      } else if (p < s.size() && (s[p] == '+' || s[p] == '-') && char_in(s, p + 1, '0', '2') &&
                 digits_at(s, p + 2, 1)) {
        const int sign = s[p] == '-' ? -1 : 1;
        const int zh = two_digits(s, p + 1);
        for (size_t q : {p + 4, p + 3}) {  // with the optional ':' first
          if (q == p + 4 && !(p + 3 < s.size() && s[p + 3] == ':')) continue;
          if (char_in(s, q, '0', '5') && digits_at(s, q + 1, 1)) {
            IsoFields h = g;
            h.zone_minutes = sign * (zh * 60 + two_digits(s, q));
            h.have_offset = true;
            h.offset_ok = zh <= 23;
            if (iso_match(s, 5, q + 2, h)) return f = h, true;
          }
        }
      }
      break;
  }
  return iso_match(s, group + 1, p, f);
}

// $toMillis without a picture: jsonata-js's pattern check, then what V8's Date.parse makes of
// the string (ECMAScript's date-time format, plus the few legacy-parser shapes the pattern lets
// through: "+HHMM" offsets, "Z" or a '.' number on a date without time).
Result<std::optional<double>, Error> parse_iso(std::string_view s) {
  IsoFields f;
  if (!digits_at(s, 0, 4) || !iso_match(s, 0, 4, f)) {
    return fail(
        "D3110",
        "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given \"" +
            std::string(s) + "\"");
  }
  f.year = std::atoi(std::string(s.substr(0, 4)).c_str());
  const std::optional<double> nan(kNaN);
  if (!f.have_time && (f.have_fraction || f.have_z)) {
    // Not ECMAScript's format: V8's legacy parser reads '.' as a date separator and the
    // numbers as year, month, day, mapping years below 100 into 1950..2049.
    if (f.have_offset) return nan;
    std::vector<double> numbers{static_cast<double>(f.year)};
    if (f.have_month) numbers.push_back(f.month);
    if (f.have_day) numbers.push_back(f.day);
    if (f.have_fraction)
      numbers.push_back(f.fraction.size() > 9 ? 1e9 : std::atof(f.fraction.c_str()));
    if (numbers.size() > 3 || (f.have_day && !f.have_month)) return nan;
    double year = numbers[0];
    if (year < 50)
      year += 2000;
    else if (year < 100)
      year += 1900;
    const double month = numbers.size() > 1 ? numbers[1] : 1;
    const double day = numbers.size() > 2 ? numbers[2] : 1;
    if (month < 1 || month > 12 || day < 1 || day > 31) return nan;
    return std::optional<double>(js_date_utc(year, month - 1, day));
  }
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31) return nan;
  if (f.have_day && !f.have_month) return nan;  // "2018-25"
  if (f.hh > 24 || (f.hh == 24 && (f.mi != 0 || f.ss != 0 || f.ms != 0))) return nan;
  if (f.have_fraction && !f.have_time) return nan;
  if (f.have_offset && (!f.have_time || !f.offset_ok)) return nan;
  const double days = static_cast<double>(days_from_civil(f.year, f.month, 1)) + f.day - 1;
  double t = days * kMillisPerDay + f.hh * 3600000.0 + f.mi * 60000.0 + f.ss * 1000.0 + f.ms;
  t -= f.zone_minutes * 60000.0;
  return std::optional<double>(time_clip(t));
}

}  // namespace

Result<std::string, Error> format_integer(double value, std::string_view picture) {
  auto f = analyse_integer_picture(decode(picture));
  if (!f) return Failure(f.error());
  return format_with(std::floor(value), *f);
}

Result<std::optional<double>, Error> parse_integer(std::string_view text,
                                                   std::string_view picture) {
  auto f = analyse_integer_picture(decode(picture));
  if (!f) return Failure(f.error());
  auto r = parse_with(text, *f);
  if (!r) return Failure(r.error());
  return std::optional<double>(*r);
}

Result<std::string, Error> from_millis(double millis, std::optional<std::string_view> picture,
                                       std::optional<std::string_view> timezone) {
  double offset_hours = 0, offset_minutes = 0;
  if (timezone) {
    // A timezone that is not a number makes every field NaN, as in jsonata-js.
    const double offset = js_parse_int(*timezone);
    offset_hours = std::floor(offset / 100);
    offset_minutes = std::fmod(offset, 100);
  }
  static const std::string_view kIso = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";
  auto spec = analyse_datetime_picture(decode(picture ? *picture : kIso));
  if (!spec) return Failure(spec.error());
  const double offset_millis = (60 * offset_hours + offset_minutes) * 60 * 1000;
  const DateFields date = fields_of(millis + offset_millis);
  std::string out;
  for (const Marker& m : *spec) {
    if (m.literal) {
      out += m.value;
      continue;
    }
    auto r = format_marker(date, m, offset_hours, offset_minutes);
    if (!r) return r;
    out += *r;
  }
  return out;
}

Result<std::optional<double>, Error> to_millis(std::string_view timestamp,
                                               std::optional<std::string_view> picture,
                                               std::optional<double> now_millis) {
  if (!picture) return parse_iso(timestamp);
  return parse_datetime(timestamp, *picture, now_millis ? *now_millis : now_default());
}

}  // namespace hotpath::jsonata::format
