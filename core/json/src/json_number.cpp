// Numbers: token parsing for the parser, and the exact comparisons JSON Schema needs
// (minimum/maximum, const/enum, multipleOf). Fast paths use int64 and double; when they
// cannot decide, the decimal text is compared exactly (see json_number.h).
#include "json_number.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <system_error>
#include <vector>

namespace hotpath::json {

// The powers of ten that are exact doubles (Clinger's fast path).
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

__extension__ typedef unsigned __int128 uint128;  // GCC/Clang builtin; exact 64x64 products

template <typename T>
int three_way(T a, T b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

#if defined(__EMSCRIPTEN__)
// Clinger's fast path: a decimal with at most 15 significant digits and a power of ten of at
// most 22 is one exact double times or divided by another, so one IEEE operation gives the
// correctly rounded result. Returns false when the number is outside that case.
bool exact_decimal_to_double(const char* p, const char* end, double& out) {
  const bool neg = p < end && *p == '-';
  if (neg) ++p;
  uint64_t mantissa = 0;
  int digits = 0;  // significant digits so far (leading zeros do not count)
  int exp10 = 0;
  auto digit = [&](char c) {
    if (mantissa != 0 || c != '0') ++digits;
    mantissa = mantissa * 10 + uint64_t(c - '0');
  };
  while (p < end && is_digit(*p)) digit(*p++);
  if (p < end && *p == '.') {
    ++p;
    while (p < end && is_digit(*p)) {
      digit(*p++);
      --exp10;
    }
  }
  if (digits > 15) return false;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool exp_neg = false;
    if (p < end && (*p == '+' || *p == '-')) exp_neg = *p++ == '-';
    int e = 0;
    while (p < end && is_digit(*p)) {
      if (e < 100000) e = e * 10 + (*p - '0');
      ++p;
    }
    exp10 += exp_neg ? -e : e;
  }
  if (p != end || exp10 < -22 || exp10 > 22) return false;
  double d = static_cast<double>(mantissa);
  d = exp10 < 0 ? d / kPow10[-exp10] : d * kPow10[exp10];
  out = neg ? -d : d;
  return true;
}
#endif

// The nearest double to the valid JSON number [text, end) (std::from_chars is correctly
// rounded), as a float64 Value.
const char* parse_float(const char* text, const char* end, bool neg, Value& out) {
  double d = 0;
#if defined(__EMSCRIPTEN__)
  // Emscripten 3.1.6's libc++ has no floating-point from_chars. Most numbers take the exact
  // fast path; the rest go to musl's strtod (correctly rounded too), which needs a terminated
  // copy; ERANGE maps to from_chars' result_out_of_range.
  if (exact_decimal_to_double(text, end, d)) {
    out = Value::number(NumberKind::float64, text, static_cast<uint32_t>(end - text), d, 0);
    return end;
  }
  char small[128];
  std::string large;
  const size_t size = size_t(end - text);
  const char* terminated = small;
  if (size < sizeof small) {
    std::memcpy(small, text, size);
    small[size] = '\0';
  } else {
    large.assign(text, size);
    terminated = large.c_str();
  }
  char* stop = nullptr;
  errno = 0;
  double parsed = std::strtod(terminated, &stop);
  const char* ptr = text + (stop - terminated);
  std::errc ec = errno == ERANGE ? std::errc::result_out_of_range : std::errc();
  if (ec == std::errc()) d = parsed;
#else
  auto [ptr, ec] = std::from_chars(text, end, d);
#endif
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves d untouched when the value is beyond double's range: the nearest
    // double is then +-inf (overflow) or +-0 (underflow).
    internal::Decimal dec;
    internal::decompose(std::string_view(text, size_t(end - text)), dec);
    d = dec.adjusted() > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    if (neg) d = -d;
  } else if (ec != std::errc() || ptr != end) {
    return nullptr;
  }
  out = Value::number(NumberKind::float64, text, static_cast<uint32_t>(end - text), d, 0);
  return end;
}

}  // namespace

namespace internal {

bool decompose(std::string_view text, Decimal& out) {
  out = Decimal{};
  if (text.size() > std::numeric_limits<uint32_t>::max() / 2) return false;
  const char* s = text.data();
  const char* e = s + text.size();
  if (s < e && *s == '-') {
    out.neg = true;
    ++s;
  }
  if (s == e || !is_digit(*s)) return false;
  const char* int_begin = s;
  if (*s == '0') {
    ++s;
  } else {
    while (s < e && is_digit(*s)) ++s;
  }
  out.int_part = int_begin;
  out.int_len = static_cast<uint32_t>(s - int_begin);
  if (s < e && *s == '.') {
    ++s;
    const char* frac_begin = s;
    while (s < e && is_digit(*s)) ++s;
    if (s == frac_begin) return false;
    out.frac_part = frac_begin;
    out.frac_len = static_cast<uint32_t>(s - frac_begin);
  }
  int64_t exp10 = 0;
  if (s < e && (*s == 'e' || *s == 'E')) {
    ++s;
    bool exp_neg = false;
    if (s < e && (*s == '+' || *s == '-')) {
      exp_neg = *s == '-';
      ++s;
    }
    const char* exp_begin = s;
    while (s < e && is_digit(*s)) {
      exp10 = exp10 <= kMaxDecimalExponent / 10 ? exp10 * 10 + (*s - '0') : kMaxDecimalExponent;
      ++s;
    }
    if (s == exp_begin) return false;
    if (exp10 > kMaxDecimalExponent) exp10 = kMaxDecimalExponent;
    if (exp_neg) exp10 = -exp10;
  }
  if (s != e) return false;

  uint32_t total = out.int_len + out.frac_len;
  auto digit_at = [&](uint32_t k) {
    return k < out.int_len ? out.int_part[k] : out.frac_part[k - out.int_len];
  };
  uint32_t begin = 0;
  while (begin < total && digit_at(begin) == '0') ++begin;
  uint32_t end = total;
  while (end > begin && digit_at(end - 1) == '0') --end;
  out.begin = begin;
  out.end = end;
  out.exp = begin == end ? 0 : exp10 - int64_t(out.frac_len) + int64_t(total - end);
  return true;
}

int compare_decimal(const Decimal& a, const Decimal& b) {
  if (a.is_zero() || b.is_zero()) {
    if (a.is_zero() && b.is_zero()) return 0;
    if (a.is_zero()) return b.neg ? 1 : -1;
    return a.neg ? -1 : 1;
  }
  if (a.neg != b.neg) return a.neg ? -1 : 1;
  int magnitude = three_way(a.adjusted(), b.adjusted());
  if (magnitude == 0) {
    uint32_t n = std::min(a.digit_count(), b.digit_count());
    for (uint32_t i = 0; i < n && magnitude == 0; ++i)
      magnitude = three_way(a.digit(i), b.digit(i));
    if (magnitude == 0) magnitude = three_way(a.digit_count(), b.digit_count());
  }
  return a.neg ? -magnitude : magnitude;
}

const char* parse_number(const char* text, Value& out) {
  const char* s = text;
  const bool neg = *s == '-';
  s += neg;
  // One pass: validate the grammar and gather the digits (int and fraction) into `mantissa`;
  // it is exact while at most 19 digits have been seen.
  const char* int_begin = s;
  uint64_t mantissa = 0;
  if (*s == '0') {
    ++s;  // a leading zero stands alone: "01" ends after the "0" (the caller refuses the "1")
  } else {
    while (is_digit(*s)) mantissa = mantissa * 10 + uint64_t(*s++ - '0');
  }
  const size_t int_digits = size_t(s - int_begin);
  if (int_digits == 0) return nullptr;

  if (*s != '.' && *s != 'e' && *s != 'E') {  // an integer text
    const uint32_t n = static_cast<uint32_t>(s - text);
    if (int_digits <= 18) [[likely]] {  // cannot overflow int64
      const int64_t i = neg ? -static_cast<int64_t>(mantissa) : static_cast<int64_t>(mantissa);
      out = Value::number(NumberKind::int64, text, n, static_cast<double>(i), i);
      return s;
    }
    bool fits = int_digits <= 20;
    if (int_digits == 20) {  // the accumulation above may have wrapped: redo it checked
      mantissa = 0;
      for (const char* p = int_begin; p < s && fits; ++p) {
        fits = !__builtin_mul_overflow(mantissa, 10u, &mantissa) &&
               !__builtin_add_overflow(mantissa, uint64_t(*p - '0'), &mantissa);
      }
    }
    if (fits) {
      constexpr uint64_t kInt64Max = uint64_t(std::numeric_limits<int64_t>::max());
      if (neg && mantissa <= kInt64Max + 1) {
        const int64_t i = mantissa == kInt64Max + 1 ? std::numeric_limits<int64_t>::min()
                                                    : -static_cast<int64_t>(mantissa);
        out = Value::number(NumberKind::int64, text, n, static_cast<double>(i), i);
        return s;
      }
      if (!neg) {
        const NumberKind kind = mantissa <= kInt64Max ? NumberKind::int64 : NumberKind::uint64;
        out = Value::number(kind, text, n, static_cast<double>(mantissa),
                            static_cast<int64_t>(mantissa));
        return s;
      }
    }
    return parse_float(text, s, neg, out);  // beyond 64 bits: the nearest double
  }

  size_t frac_digits = 0;
  if (*s == '.') {
    const char* frac_begin = ++s;
    while (is_digit(*s)) mantissa = mantissa * 10 + uint64_t(*s++ - '0');
    frac_digits = size_t(s - frac_begin);
    if (frac_digits == 0) return nullptr;
  }
  int64_t exponent = 0;
  if (*s == 'e' || *s == 'E') {
    ++s;
    const bool exp_neg = *s == '-';
    if (*s == '+' || *s == '-') ++s;
    if (!is_digit(*s)) return nullptr;
    while (is_digit(*s)) {
      if (exponent < 100000) exponent = exponent * 10 + (*s - '0');
      ++s;
    }
    if (exp_neg) exponent = -exponent;
  }

  // Clinger's fast path: an exact mantissa below 2^53 times an exact power of ten up to
  // 10^22 is one correctly rounded IEEE operation.
  const int64_t scale = exponent - int64_t(frac_digits);
  if (int_digits + frac_digits <= 19 && mantissa <= (uint64_t(1) << 53) && scale >= -22 &&
      scale <= 22) {
    double d = static_cast<double>(mantissa);
    d = scale < 0 ? d / kPow10[-scale] : d * kPow10[scale];
    out = Value::decimal(text, static_cast<uint32_t>(s - text), neg ? -d : d, mantissa,
                         static_cast<int>(scale));
    return s;
  }
  return parse_float(text, s, neg, out);
}

}  // namespace internal

namespace {

using internal::Decimal;
using internal::decompose;

int exact_compare_texts(const Value& a, std::string_view b_text) {
  Decimal da, db;
  if (!decompose(a.number_text(), da) || !decompose(b_text, db)) return 0;
  return internal::compare_decimal(da, db);
}

// A JSON text that is a plain non-negative integer of at most 18 digits (so it fits int64).
bool small_integer_text(std::string_view text, int64_t& value) {
  if (text.empty() || text.size() > 18) return false;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (text.size() > 1 && text[0] == '0') return false;
  value = v;
  return true;
}

// ---- exact divisibility ------------------------------------------------------------------

uint64_t mul_mod(uint64_t a, uint64_t b, uint64_t m) {
  return static_cast<uint64_t>((static_cast<uint128>(a) * b) % m);
}

uint64_t pow10_mod(uint64_t k, uint64_t m) {
  uint64_t result = 1 % m;
  uint64_t base = 10 % m;
  while (k != 0) {
    if (k & 1) result = mul_mod(result, base, m);
    base = mul_mod(base, base, m);
    k >>= 1;
  }
  return result;
}

// Significant digits of `d` modulo m (m < 2^64), 18 digits at a time.
uint64_t digits_mod(const Decimal& d, uint64_t m) {
  uint128 r = 0;
  uint32_t n = d.digit_count();
  uint32_t i = 0;
  while (i < n) {
    uint64_t chunk = 0;
    uint64_t scale = 1;
    for (uint32_t j = 0; j < 18 && i < n; ++j, ++i) {
      chunk = chunk * 10 + d.digit(i);
      scale *= 10;
    }
    r = (r * scale + chunk) % m;
  }
  return static_cast<uint64_t>(r);
}

// A small unsigned bignum (little-endian 32-bit limbs) for divisors with more than 19
// significant digits; only modular reduction is needed, so it stays tiny.
class BigUnsigned {
 public:
  bool is_zero() const { return limbs_.empty(); }

  void mul_add(uint32_t mul, uint32_t add) {
    uint64_t carry = add;
    for (uint32_t& limb : limbs_) {
      uint64_t t = uint64_t(limb) * mul + carry;
      limb = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
    if (carry) limbs_.push_back(static_cast<uint32_t>(carry));
  }

  static int compare(const BigUnsigned& a, const BigUnsigned& b) {
    if (a.limbs_.size() != b.limbs_.size()) return a.limbs_.size() < b.limbs_.size() ? -1 : 1;
    for (size_t i = a.limbs_.size(); i-- > 0;) {
      if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] < b.limbs_[i] ? -1 : 1;
    }
    return 0;
  }

  // *this -= b, requires *this >= b.
  void subtract(const BigUnsigned& b) {
    int64_t borrow = 0;
    for (size_t i = 0; i < limbs_.size(); ++i) {
      int64_t t = int64_t(limbs_[i]) - borrow - (i < b.limbs_.size() ? int64_t(b.limbs_[i]) : 0);
      borrow = t < 0;
      limbs_[i] = static_cast<uint32_t>(t + (borrow << 32));
    }
    trim();
  }

  void reduce_small_multiple(const BigUnsigned& m) {  // *this < 11 m
    while (compare(*this, m) >= 0) subtract(m);
  }

  // (a * b) mod m, bit by bit: fine for the few-hundred-bit divisors schemas hold.
  static BigUnsigned mul_mod(const BigUnsigned& a, const BigUnsigned& b, const BigUnsigned& m) {
    std::vector<uint32_t> product(a.limbs_.size() + b.limbs_.size(), 0);
    for (size_t i = 0; i < a.limbs_.size(); ++i) {
      uint64_t carry = 0;
      for (size_t j = 0; j < b.limbs_.size(); ++j) {
        uint64_t t = uint64_t(a.limbs_[i]) * b.limbs_[j] + product[i + j] + carry;
        product[i + j] = static_cast<uint32_t>(t);
        carry = t >> 32;
      }
      product[i + b.limbs_.size()] += static_cast<uint32_t>(carry);
    }
    BigUnsigned r;
    for (size_t i = product.size(); i-- > 0;) {
      for (int bit = 31; bit >= 0; --bit) {
        r.mul_add(2, (product[i] >> bit) & 1u);
        if (compare(r, m) >= 0) r.subtract(m);
      }
    }
    return r;
  }

 private:
  void trim() {
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
  }
  std::vector<uint32_t> limbs_;
};

bool big_divisor_divides(const Decimal& a, const Decimal& b, uint64_t k) {
  BigUnsigned m;
  for (uint32_t i = 0; i < b.digit_count(); ++i) m.mul_add(10, b.digit(i));
  BigUnsigned r;
  for (uint32_t i = 0; i < a.digit_count(); ++i) {
    r.mul_add(10, a.digit(i));
    r.reduce_small_multiple(m);
  }
  if (r.is_zero()) return true;
  BigUnsigned power;
  power.mul_add(1, 1);
  BigUnsigned base;
  base.mul_add(1, 10);
  base.reduce_small_multiple(m);
  while (k != 0) {
    if (k & 1) power = BigUnsigned::mul_mod(power, base, m);
    base = BigUnsigned::mul_mod(base, base, m);
    k >>= 1;
  }
  return BigUnsigned::mul_mod(r, power, m).is_zero();
}

}  // namespace

bool Value::is_integer() const {
  if (type_ != Type::number) return false;
  if (number_kind() != NumberKind::float64) return true;
  Decimal d;
  if (!decompose(number_text(), d)) return std::isfinite(d_) && d_ == std::trunc(d_);
  return d.is_zero() || d.exp >= 0;
}

int compare_numbers(const Value& a, const Value& b) {
  NumberKind ka = a.number_kind();
  NumberKind kb = b.number_kind();
  if (ka == NumberKind::int64 && kb == NumberKind::int64)
    return three_way(a.as_int64(), b.as_int64());
  if (ka != NumberKind::float64 && kb != NumberKind::float64) {
    // uint64 kind holds values above INT64_MAX; compare mixed signs without overflow.
    if (ka == NumberKind::uint64 && kb == NumberKind::uint64)
      return three_way(a.as_uint64(), b.as_uint64());
    if (ka == NumberKind::uint64)
      return b.as_int64() < 0 ? 1 : three_way(a.as_uint64(), uint64_t(b.as_int64()));
    return a.as_int64() < 0 ? -1 : three_way(uint64_t(a.as_int64()), b.as_uint64());
  }
  // Rounding to nearest is monotonic, so different doubles order their exact values;
  // only a tie (or a NaN from a hand-built Value) needs the exact decimal comparison.
  double da = a.as_double();
  double db = b.as_double();
  if (da < db) return -1;
  if (da > db) return 1;
  return exact_compare_texts(a, b.number_text());
}

int compare_number_text(const Value& a, std::string_view limit_text) {
  int64_t limit = 0;
  if (a.number_kind() == NumberKind::int64) {
    bool negative = !limit_text.empty() && limit_text[0] == '-';
    if (small_integer_text(negative ? limit_text.substr(1) : limit_text, limit)) {
      return three_way(a.as_int64(), negative ? -limit : limit);
    }
  }
  return exact_compare_texts(a, limit_text);
}

namespace {

// A JSON number text with at most 19 significant digits as digits * 10^exp, trailing zeros
// moved into exp (so digits is free of them unless zero). False for longer texts or huge
// exponents: the caller then takes the general path.
bool short_decimal(std::string_view t, uint64_t& digits, int64_t& exp, bool& neg) {
  size_t i = 0, n = t.size();
  neg = n > 0 && t[0] == '-';
  if (neg) ++i;
  uint64_t m = 0;
  int count = 0;
  int64_t e = 0;
  bool any = false;
  for (; i < n && t[i] >= '0' && t[i] <= '9'; ++i, any = true) {
    if (m == 0 && t[i] == '0') continue;  // leading zeros
    if (++count > 19) return false;
    m = m * 10 + uint64_t(t[i] - '0');
  }
  if (i < n && t[i] == '.') {
    for (++i; i < n && t[i] >= '0' && t[i] <= '9'; ++i, any = true) {
      --e;
      if (m == 0 && t[i] == '0') continue;
      if (++count > 19) return false;
      m = m * 10 + uint64_t(t[i] - '0');
    }
  }
  if (!any) return false;
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool eneg = i < n && t[i] == '-';
    if (i < n && (t[i] == '-' || t[i] == '+')) ++i;
    int64_t x = 0;
    int xd = 0;
    for (; i < n && t[i] >= '0' && t[i] <= '9'; ++i) {
      if (++xd > 6) return false;
      x = x * 10 + (t[i] - '0');
    }
    if (xd == 0) return false;
    e += eneg ? -x : x;
  }
  if (i != n) return false;
  if (m != 0) {
    while (m % 10 == 0) {
      m /= 10;
      ++e;
    }
  }
  digits = m;
  exp = e;
  return true;
}

}  // namespace

bool is_multiple_of(const Value& a, std::string_view divisor_text) {
  return Divisor(divisor_text).divides(a);
}

Divisor::Divisor(std::string_view text) : text_(text) {
  if (!small_integer_text(text, integer_)) integer_ = 0;
  bool negative = false;
  short_ = short_decimal(text, digits_, exp_, negative);
  if (short_) {
    valid_ = digits_ != 0 && !negative;
  } else {
    Decimal d;
    valid_ = decompose(text, d) && !d.is_zero() && !d.neg;
  }
}

bool Divisor::divides(const Value& a) const {
  if (!valid_) return false;
  if (integer_ > 0 && a.number_kind() == NumberKind::int64) return a.as_int64() % integer_ == 0;
  // Short decimals (prices, quantities): a = A * 10^ea, divisor = B * 10^eb in 64-bit parts.
  uint64_t A = 0;
  int64_t ea = 0;
  bool na = false;
  int e10 = 0;
  bool short_a = false;
  if (short_) {
    if (a.exact_decimal(A, e10)) {  // the parser's digits: no need to re-read the text
      ea = e10;
      short_a = true;
    } else if (a.number_kind() == NumberKind::int64) {
      A = a.as_int64() < 0 ? 0 - static_cast<uint64_t>(a.as_int64())
                           : static_cast<uint64_t>(a.as_int64());
      short_a = true;
    } else {
      short_a = short_decimal(a.number_text(), A, ea, na);
    }
  }
  if (short_a) {
    if (A == 0) return true;
    while (ea < exp_ && A % 10 == 0) {  // trailing zeros ("1.50") only matter here
      A /= 10;
      ++ea;
    }
    if (ea < exp_) return false;  // B * 10^(eb-ea) would have to divide A: no factor 10 in A
    if (digits_ == 1) return true;
    return mul_mod(A % digits_, pow10_mod(static_cast<uint64_t>(ea - exp_), digits_), digits_) == 0;
  }
  const std::string_view divisor_text = text_;
  Decimal da, db;
  if (!decompose(divisor_text, db) || db.is_zero() || db.neg) return false;
  if (!decompose(a.number_text(), da)) return false;
  if (da.is_zero()) return true;
  // a = A * 10^ea, divisor = B * 10^eb with A, B free of trailing zeros. a / divisor is an
  // integer iff B divides A * 10^(ea-eb); when ea < eb it would need 10 | A, which is false.
  if (da.exp < db.exp) return false;
  uint64_t k = static_cast<uint64_t>(da.exp - db.exp);
  if (db.digit_count() <= 19) {
    uint64_t m = 0;
    for (uint32_t i = 0; i < db.digit_count(); ++i) m = m * 10 + db.digit(i);
    if (m == 1) return true;
    uint64_t r = digits_mod(da, m);
    return r == 0 || mul_mod(r, pow10_mod(k, m), m) == 0;
  }
  return big_divisor_divides(da, db, k);
}

double decimal_to_double(uint64_t digits, int64_t exp10, bool negative) {
  double d = 0;
  if (digits != 0 && digits <= (uint64_t(1) << 53) && exp10 >= -22 && exp10 <= 22) {
    d = static_cast<double>(digits);
    d = exp10 < 0 ? d / kPow10[-exp10] : d * kPow10[exp10];
  } else if (digits != 0) {
    // Far beyond the double range either way: +-Infinity or +-0 (the exponent would not
    // even fit the text below).
    constexpr int64_t kFar = 100000;
    if (exp10 > kFar) return negative ? -HUGE_VAL : HUGE_VAL;
    if (exp10 < -kFar) return negative ? -0.0 : 0.0;
    char text[48];
    char* end = std::to_chars(text, text + 24, digits).ptr;
    *end++ = 'e';
    end = std::to_chars(end, text + sizeof text - 1, exp10).ptr;
    *end = '\0';
#if defined(__EMSCRIPTEN__)          // its libc++ has no floating-point from_chars; musl's strtod
    d = std::strtod(text, nullptr);  // is correctly rounded (and gives inf/0 out of range)
#else
    auto [ptr, ec] = std::from_chars(text, end, d);
    if (ec == std::errc::result_out_of_range) {
      // strtod gives the overflow (HUGE_VAL), underflow (0) or subnormal result, where some
      // from_chars implementations report inexact subnormals as out of range.
      d = std::strtod(text, nullptr);
    }
#endif
  }
  return negative ? -d : d;
}

}  // namespace hotpath::json
