// $formatNumber (XPath F&O 3.1 format-number pictures) and $formatBase, with jsonata-js 2.x's
// exact results, including its rounding (half-to-even on the shortest decimal form) and the
// order in which it reports picture errors (the last failing rule wins).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "format_functions.h"
#include "format_text.h"
#include "jsonata_number.h"

namespace hotpath::jsonata::format {

namespace {

using namespace text;  // fail, decode, append_utf8, encode (format_text.h)
using detail::js_round;
constexpr auto js_to_string = detail::js_number_string;

// ---- JavaScript number semantics ------------------------------------------------------------

// Number.prototype.toFixed(dp) for dp in 0..100.
std::string js_to_fixed(double x, int dp) {
  if (!(std::fabs(x) < 1e21)) return js_to_string(x);
  std::vector<char> buf(static_cast<size_t>(dp) + 340);
  std::snprintf(buf.data(), buf.size(), "%.*f", dp, x);
  std::string s(buf.data());
  if (s[0] == '-') {  // toFixed never prints "-0", "-0.00"
    bool all_zero = true;
    for (char c : s)
      if (c >= '1' && c <= '9') all_zero = false;
    if (all_zero) s.erase(0, 1);
  }
  return s;
}

// ---- code-point string helpers ----------------------------------------------------------------

constexpr size_t npos = U32::npos;

size_t find(const U32& hay, const U32& needle, size_t from = 0) {
  if (from > hay.size()) return npos;
  return hay.find(needle, from);
}
size_t rfind(const U32& hay, const U32& needle) { return hay.rfind(needle); }
bool contains(const U32& hay, const U32& needle) { return hay.find(needle) != npos; }
// JS s.substring(a[, b]) with clamping.
U32 substring(const U32& s, size_t a, size_t b = npos) {
  if (b > s.size()) b = s.size();
  if (a > s.size()) a = s.size();
  if (a > b) std::swap(a, b);
  return s.substr(a, b - a);
}
// Does the single character `c` equal the (possibly multi-character) symbol `sym`?
bool is(char32_t c, const U32& sym) { return sym.size() == 1 && sym[0] == c; }

struct Symbols {
  U32 decimal, grouping, exponent, minus, percent, permille, zero, digit, pattern;
  std::vector<char32_t> family;  // the ten decimal digits
  bool in_family(char32_t c) const {
    for (char32_t f : family)
      if (f == c) return true;
    return false;
  }
  bool active(char32_t c) const {
    return in_family(c) || is(c, decimal) || is(c, exponent) || is(c, grouping) || is(c, digit) ||
           is(c, pattern);
  }
  bool digit_or_family(char32_t c) const { return in_family(c) || is(c, digit); }
};

struct Parts {
  U32 prefix, suffix, active, mantissa, integer, fraction, subpicture;
  bool has_exponent = false;
  U32 exponent;
};

Parts split_parts(const U32& sub, const Symbols& sy) {
  Parts p;
  p.subpicture = sub;
  for (size_t i = 0; i < sub.size(); ++i) {
    if (sy.active(sub[i]) && !is(sub[i], sy.exponent)) {
      p.prefix = sub.substr(0, i);
      break;
    }
  }
  for (size_t i = sub.size(); i-- > 0;) {
    if (sy.active(sub[i]) && !is(sub[i], sy.exponent)) {
      p.suffix = sub.substr(i + 1);
      break;
    }
  }
  p.active = substring(sub, p.prefix.size(), sub.size() - p.suffix.size());
  size_t exp_pos = find(sub, sy.exponent, p.prefix.size());
  if (exp_pos == npos || exp_pos > sub.size() - p.suffix.size()) {
    p.mantissa = p.active;
  } else {
    // jsonata-js indexes the active part with a position in the sub-picture; kept for parity.
    p.mantissa = substring(p.active, 0, exp_pos);
    p.has_exponent = true;
    p.exponent = substring(p.active, exp_pos + 1);
  }
  size_t dp = find(p.mantissa, sy.decimal);
  if (dp == npos) {
    p.integer = p.mantissa;
    p.fraction = p.suffix;
  } else {
    p.integer = substring(p.mantissa, 0, dp);
    p.fraction = substring(p.mantissa, dp + 1);
  }
  return p;
}

// F&O 4.7.3: returns the code of the last rule the sub-picture breaks, or nullptr.
const char* validate(const Parts& p, const Symbols& sy) {
  const char* error = nullptr;
  const U32& sub = p.subpicture;
  size_t dp = find(sub, sy.decimal);
  if (dp != rfind(sub, sy.decimal)) error = "D3081";
  if (find(sub, sy.percent) != rfind(sub, sy.percent)) error = "D3082";
  if (find(sub, sy.permille) != rfind(sub, sy.permille)) error = "D3083";
  if (contains(sub, sy.percent) && contains(sub, sy.permille)) error = "D3084";
  bool has_digit = false;
  for (char32_t c : p.mantissa)
    if (sy.digit_or_family(c)) has_digit = true;
  if (!has_digit) error = "D3085";
  for (char32_t c : p.active)
    if (!sy.active(c)) error = "D3086";
  if (dp != npos) {
    bool before = dp > 0 && is(sub[dp - 1], sy.grouping);
    bool after = dp + 1 < sub.size() && is(sub[dp + 1], sy.grouping);
    if (before || after) error = "D3087";
  } else if (!p.integer.empty() && is(p.integer.back(), sy.grouping)) {
    error = "D3088";
  }
  if (contains(sub, sy.grouping + sy.grouping)) error = "D3089";
  size_t opt = find(p.integer, sy.digit);
  if (opt != npos) {
    for (size_t i = 0; i < opt; ++i)
      if (sy.in_family(p.integer[i])) error = "D3090";
  }
  opt = sy.digit.empty() ? npos : rfind(p.fraction, sy.digit);
  if (opt != npos) {
    for (size_t i = opt; i < p.fraction.size(); ++i)
      if (sy.in_family(p.fraction[i])) error = "D3091";
  }
  if (p.has_exponent && !p.exponent.empty() &&
      (contains(sub, sy.percent) || contains(sub, sy.permille)))
    error = "D3092";
  if (p.has_exponent) {
    bool bad = p.exponent.empty();
    for (char32_t c : p.exponent)
      if (!sy.in_family(c)) bad = true;
    if (bad) error = "D3093";
  }
  return error;
}

struct Picture {
  std::vector<int> integer_groups;
  int regular_grouping = 0;
  int min_integer = 0;
  int scaling = 0;
  U32 prefix, suffix, picture;
  std::vector<int> fraction_groups;
  int min_fraction = 0;
  int max_fraction = 0;
  int min_exponent = 0;
  bool has_exponent = false;
};

int count_if_family(const U32& s, const Symbols& sy, bool with_digit) {
  int n = 0;
  for (char32_t c : s)
    if (with_digit ? sy.digit_or_family(c) : sy.in_family(c)) ++n;
  return n;
}

// Grouping positions as jsonata-js computes them (the search for the next separator always
// continues in the integer part, also when scanning the fractional part).
std::vector<int> grouping_positions(const U32& part, bool to_left, const Parts& p,
                                    const Symbols& sy) {
  std::vector<int> out;
  if (sy.grouping.empty()) return out;
  size_t pos = find(part, sy.grouping);
  while (pos != npos) {
    U32 side = to_left ? substring(part, 0, pos) : substring(part, pos);
    out.push_back(count_if_family(side, sy, true));
    pos = find(p.integer, sy.grouping, pos + 1);
  }
  return out;
}

int gcd(int a, int b) { return b == 0 ? a : gcd(b, a % b); }

int regular_interval(const std::vector<int>& idx) {
  if (idx.empty()) return 0;
  int factor = idx[0];
  for (size_t i = 1; i < idx.size(); ++i) factor = gcd(factor, idx[i]);
  for (size_t k = 1; k <= idx.size(); ++k) {
    bool found = false;
    for (int v : idx)
      if (v == static_cast<int>(k) * factor) found = true;
    if (!found) return 0;
  }
  return factor;
}

Picture analyse(const Parts& p, const Symbols& sy) {
  Picture a;
  a.integer_groups = grouping_positions(p.integer, false, p, sy);
  a.regular_grouping = regular_interval(a.integer_groups);
  a.fraction_groups = grouping_positions(p.fraction, true, p, sy);
  a.min_integer = count_if_family(p.integer, sy, false);
  a.scaling = a.min_integer;
  a.min_fraction = count_if_family(p.fraction, sy, false);
  a.max_fraction = count_if_family(p.fraction, sy, true);
  a.has_exponent = p.has_exponent;
  if (a.min_integer == 0 && a.max_fraction == 0) {
    if (a.has_exponent) {
      a.min_fraction = 1;
      a.max_fraction = 1;
    } else {
      a.min_integer = 1;
    }
  }
  if (a.has_exponent && a.min_integer == 0 && contains(p.integer, sy.digit)) a.min_integer = 1;
  if (a.min_integer == 0 && a.min_fraction == 0) a.min_fraction = 1;
  if (a.has_exponent) a.min_exponent = count_if_family(p.exponent, sy, false);
  a.prefix = p.prefix;
  a.suffix = p.suffix;
  a.picture = p.subpicture;
  return a;
}

// |value|.toFixed(dp) with ASCII digits mapped onto the digit family.
U32 make_string(double value, int dp, const Symbols& sy) {
  std::string s = js_to_fixed(std::fabs(value), dp);
  U32 out;
  for (char c : s) {
    if (c >= '0' && c <= '9' && sy.family.size() == 10)
      out.push_back(sy.family[static_cast<size_t>(c - '0')]);
    else
      out.push_back(static_cast<unsigned char>(c));
  }
  return out;
}

void insert_at(U32& s, size_t pos, const U32& what) {
  if (pos > s.size()) pos = s.size();
  s.insert(pos, what);
}

// JS slice(0, i) semantics for a possibly negative index.
size_t slice_index(long i, size_t len) {
  if (i < 0) i += static_cast<long>(len);
  if (i < 0) i = 0;
  if (static_cast<size_t>(i) > len) return len;
  return static_cast<size_t>(i);
}

}  // namespace

bool DecimalFormat::set(std::string_view name, std::string_view value) {
  std::string* field = nullptr;
  if (name == "decimal-separator")
    field = &decimal_separator;
  else if (name == "grouping-separator")
    field = &grouping_separator;
  else if (name == "exponent-separator")
    field = &exponent_separator;
  else if (name == "minus-sign")
    field = &minus_sign;
  else if (name == "infinity")
    field = &infinity;
  else if (name == "NaN")
    field = &nan;
  else if (name == "percent")
    field = &percent;
  else if (name == "per-mille")
    field = &per_mille;
  else if (name == "zero-digit")
    field = &zero_digit;
  else if (name == "digit")
    field = &digit;
  else if (name == "pattern-separator")
    field = &pattern_separator;
  if (field == nullptr) return false;
  field->assign(value.data(), value.size());
  return true;
}

Result<std::string, Error> format_number(double value, std::string_view picture_text,
                                         const DecimalFormat* options) {
  DecimalFormat defaults;
  const DecimalFormat& df = options ? *options : defaults;
  Symbols sy;
  sy.decimal = decode(df.decimal_separator);
  sy.grouping = decode(df.grouping_separator);
  sy.exponent = decode(df.exponent_separator);
  sy.minus = decode(df.minus_sign);
  sy.percent = decode(df.percent);
  sy.permille = decode(df.per_mille);
  sy.zero = decode(df.zero_digit);
  sy.digit = decode(df.digit);
  sy.pattern = decode(df.pattern_separator);
  if (!sy.zero.empty())
    for (char32_t c = sy.zero[0]; c < sy.zero[0] + 10; ++c) sy.family.push_back(c);

  const U32 picture = decode(picture_text);
  std::vector<U32> subs;
  if (sy.pattern.empty()) {
    for (char32_t c : picture) subs.push_back(U32(1, c));
  } else {
    size_t start = 0;
    for (;;) {
      size_t at = picture.find(sy.pattern, start);
      if (at == npos) {
        subs.push_back(picture.substr(start));
        break;
      }
      subs.push_back(picture.substr(start, at - start));
      start = at + sy.pattern.size();
    }
  }
  if (subs.size() > 2)
    return fail("D3080", "The picture string must only contain a maximum of two sub-pictures");

  std::vector<Parts> parts;
  for (const U32& s : subs) parts.push_back(split_parts(s, sy));
  for (const Parts& p : parts) {
    if (const char* code = validate(p, sy)) {
      static const char* const kMessages[] = {
          "The sub-picture must not contain more than one instance of the 'decimal-separator' "
          "character",
          "The sub-picture must not contain more than one instance of the 'percent' character",
          "The sub-picture must not contain more than one instance of the 'per-mille' character",
          "The sub-picture must not contain both a 'percent' and a 'per-mille' character",
          "The mantissa part of a sub-picture must contain at least one character that is either "
          "an 'optional digit character' or a member of the 'decimal digit family'",
          "The sub-picture must not contain a passive character that is preceded by an active "
          "character and that is followed by another active character",
          "The sub-picture must not contain a 'grouping-separator' character that appears adjacent "
          "to a 'decimal-separator' character",
          "The sub-picture must not contain a 'grouping-separator' at the end of the integer part",
          "The sub-picture must not contain two adjacent instances of the 'grouping-separator' "
          "character",
          "The integer part of the sub-picture must not contain a member of the 'decimal digit "
          "family' that is followed by an instance of the 'optional digit character'",
          "The fractional part of the sub-picture must not contain an instance of the 'optional "
          "digit character' that is followed by a member of the 'decimal digit family'",
          "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a "
          "character treated as an 'exponent-separator'",
          "The exponent part of the sub-picture must comprise only of one or more characters that "
          "are members of the 'decimal digit family'",
      };
      int index = std::atoi(code + 1) - 3081;
      return fail(code, kMessages[index]);
    }
  }

  std::vector<Picture> pics;
  for (const Parts& p : parts) pics.push_back(analyse(p, sy));
  if (pics.size() == 1) {
    pics.push_back(pics[0]);
    pics[1].prefix = sy.minus + pics[1].prefix;
  }
  const Picture& pic = value >= 0 ? pics[0] : pics[1];

  double adjusted = value;
  if (contains(pic.picture, sy.percent))
    adjusted = value * 100;
  else if (contains(pic.picture, sy.permille))
    adjusted = value * 1000;

  double mantissa = adjusted;
  bool has_exponent = pic.min_exponent != 0;
  int exponent = 0;
  if (has_exponent && mantissa != 0 && std::isfinite(mantissa)) {
    const double max_m = std::pow(10.0, pic.scaling);
    const double min_m = std::pow(10.0, pic.scaling - 1);
    while (std::fabs(mantissa) < min_m) {
      mantissa *= 10;
      exponent -= 1;
    }
    while (std::fabs(mantissa) > max_m) {
      mantissa /= 10;
      exponent += 1;
    }
  }

  const double rounded = js_round(mantissa, pic.max_fraction);
  U32 s = make_string(rounded, pic.max_fraction, sy);
  size_t dot = s.find(U'.');
  if (dot == npos)
    s += sy.decimal;
  else
    s.replace(dot, 1, sy.decimal);
  if (!sy.zero.empty()) {
    const char32_t z = sy.zero[0];
    const bool single = sy.zero.size() == 1;
    if (single) {
      size_t lead = 0;
      while (lead < s.size() && s[lead] == z) ++lead;
      s.erase(0, lead);
      while (!s.empty() && s.back() == z) s.pop_back();
    }
  }
  size_t dpos = find(s, sy.decimal);
  long dp = dpos == npos ? -1 : static_cast<long>(dpos);
  long pad_left = pic.min_integer - dp;
  long pad_right = pic.min_fraction - (static_cast<long>(s.size()) - dp - 1);
  U32 zeros;
  for (long i = 0; i < pad_left; ++i) zeros += sy.zero;
  s = zeros + s;
  for (long i = 0; i < pad_right; ++i) s += sy.zero;

  dpos = find(s, sy.decimal);
  dp = dpos == npos ? -1 : static_cast<long>(dpos);
  if (pic.regular_grouping > 0) {
    long groups = (dp - 1) >= 0 ? (dp - 1) / pic.regular_grouping : -1;
    for (long g = 1; g <= groups; ++g)
      insert_at(s, slice_index(dp - g * pic.regular_grouping, s.size()), sy.grouping);
  } else {
    for (int pos : pic.integer_groups) {
      insert_at(s, slice_index(dp - pos, s.size()), sy.grouping);
      ++dp;
    }
  }
  dpos = find(s, sy.decimal);
  dp = dpos == npos ? -1 : static_cast<long>(dpos);
  for (int pos : pic.fraction_groups)
    insert_at(s, slice_index(pos + dp + 1, s.size()), sy.grouping);

  dpos = find(s, sy.decimal);
  dp = dpos == npos ? -1 : static_cast<long>(dpos);
  if (!contains(pic.picture, sy.decimal) || dp == static_cast<long>(s.size()) - 1) {
    if (!s.empty()) s.pop_back();
  }

  if (has_exponent) {
    U32 e = make_string(exponent, 0, sy);
    U32 pad;
    for (long i = static_cast<long>(e.size()); i < pic.min_exponent; ++i) pad += sy.zero;
    s += sy.exponent;
    if (exponent < 0) s += sy.minus;
    s += pad + e;
  }
  return encode(pic.prefix + s + pic.suffix);
}

Result<std::string, Error> format_base(double value, std::optional<double> radix_arg) {
  value = js_round(value, 0);
  double radix = radix_arg ? js_round(*radix_arg, 0) : 10;
  if (!(radix >= 2 && radix <= 36)) {
    return fail("D3100",
                "The radix of the formatBase function must be between 2 and 36.  It was given " +
                    js_to_string(radix));
  }
  const int r = static_cast<int>(radix);
  if (r == 10 || !std::isfinite(value)) return js_to_string(value);
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  // V8's integer-part algorithm: digits below the 53-bit precision are written as '0', the
  // rest peeled off exactly with fmod (digits collected least significant first).
  double mag = std::fabs(value);
  std::string digits;
  while (mag / r >= 9007199254740992.0) {
    mag /= r;
    digits.push_back('0');
  }
  do {
    const double d = std::fmod(mag, r);
    digits.push_back(kDigits[static_cast<int>(d)]);
    mag = (mag - d) / r;
  } while (mag > 0);
  if (value < 0) digits.push_back('-');
  return std::string(digits.rbegin(), digits.rend());
}

}  // namespace hotpath::jsonata::format
