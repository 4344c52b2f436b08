// JavaScript's number <-> text conversions (jsonata_number.h).
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "hotpath/json.h"
#include "jsonata_number.h"

namespace hotpath::jsonata::detail {

int shortest_digits(double d, char* digits, int& exp10) {
  char buf[64];
#if defined(__EMSCRIPTEN__)
  int len = 0;
  for (int precision = 0; precision <= 17; ++precision) {
    len = std::snprintf(buf, sizeof buf, "%.*e", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  const char* end = buf + len;
#else
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  const char* end = r.ptr;
#endif
  int k = 0;
  const char* p = buf;
  while (p < end && *p != 'e') {
    if (*p >= '0' && *p <= '9') digits[k++] = *p;
    ++p;
  }
  exp10 = 0;
  if (p < end && *p == 'e') {
    ++p;
    bool neg = false;
    if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
    while (p < end && *p >= '0' && *p <= '9') exp10 = exp10 * 10 + (*p++ - '0');
    if (neg) exp10 = -exp10;
  }
  while (k > 1 && digits[k - 1] == '0') --k;
  return k;
}

char* format_number_js(double d, char* o) {
  auto put = [&o](const char* text, size_t n) {
    std::memcpy(o, text, n);
    o += n;
  };
  if (!std::isfinite(d)) {
    put("null", 4);
    return o;
  }
  if (d == 0) {
    *o++ = '0';
    return o;
  }
  if (d < 0) {
    *o++ = '-';
    d = -d;
  }
  if (d < 1e15 && d == std::floor(d))
    return std::to_chars(o, o + 24, static_cast<long long>(d)).ptr;
  // Fast path for values with few decimals (prices, measurements): the smallest k for which
  // m = d * 10^k is an integer m < 1e15 with m / 10^k == d gives the shortest round-trip
  // digits (division is correctly rounded and m, 10^k are exact), as JavaScript prints them.
  if (d < 1e15 && d >= 1e-5) {
    static constexpr double kPow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    for (int k = 1; k <= 9; ++k) {
      const double scaled = d * kPow10[k];
      if (scaled >= 1e15) break;
      const double m = std::nearbyint(scaled);
      // m / 10^k == d puts scaled within a few ulps of m: a multiplication rules out most
      // candidates before the division (about 20 cycles) is paid for.
      if (std::fabs(scaled - m) > scaled * 0x1p-50) continue;
      if (m / kPow10[k] != d) continue;
      char ibuf[24];
      auto r = std::to_chars(ibuf, ibuf + sizeof ibuf, static_cast<long long>(m));
      const int len = int(r.ptr - ibuf);
      const int n = len - k;  // digits before the decimal point (<= 0: leading zeros)
      if (n <= -6) break;
      if (n > 0) {
        put(ibuf, size_t(n));
        *o++ = '.';
        put(ibuf + n, size_t(k));
      } else {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -n; ++i) *o++ = '0';
        put(ibuf, size_t(len));
      }
      return o;
    }
  }
  char digits[32];
  int e = 0;
  const int k = shortest_digits(d, digits, e);
  const int n = e + 1;
  if (k <= n && n <= 21) {
    put(digits, size_t(k));
    for (int i = k; i < n; ++i) *o++ = '0';
  } else if (0 < n && n <= 21) {
    put(digits, size_t(n));
    *o++ = '.';
    put(digits + n, size_t(k - n));
  } else if (-6 < n && n <= 0) {
    *o++ = '0';
    *o++ = '.';
    for (int i = 0; i < -n; ++i) *o++ = '0';
    put(digits, size_t(k));
  } else {
    *o++ = digits[0];
    if (k > 1) {
      *o++ = '.';
      put(digits + 1, size_t(k - 1));
    }
    *o++ = 'e';
    int x = n - 1;
    *o++ = x < 0 ? '-' : '+';
    if (x < 0) x = -x;
    char tmp[8];
    int t = 0;
    do {
      tmp[t++] = char('0' + x % 10);
      x /= 10;
    } while (x);
    while (t) *o++ = tmp[--t];
  }
  return o;
}

void format_number_js(double d, std::string& out) {
  char buf[kMaxNumberText];
  out.append(buf, size_t(format_number_js(d, buf) - buf));
}

std::string js_number_string(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
  std::string out;
  format_number_js(d, out);
  return out;
}

// The text's digits as an integer m and its exponent give x = m * 10^q; the shifted value is
// m * 10^(q + places), read back correctly rounded (json::decimal_to_double).
double shift_decimal(double x, long places) {
  if (!std::isfinite(x)) return std::nan("");
  if (x == 0) return 0;  // String(-0) is "0"
  if (places == 0) return x;
  // Beyond this every shift overflows to Infinity or underflows to 0 anyway.
  places = places > 100000 ? 100000 : places < -100000 ? -100000 : places;
  char digits[32];
  int e10 = 0;
  const int k = shortest_digits(std::fabs(x), digits, e10);
  uint64_t m = 0;
  for (int i = 0; i < k; ++i) m = m * 10 + uint64_t(digits[i] - '0');
  const long t = long(e10) - (k - 1) + places;
  return json::decimal_to_double(m, t, x < 0);
}

double js_round(double x, long precision) {
  if (precision != 0) x = shift_decimal(x, precision);
  // Math.round: x - floor(x) is exact for every finite double (from 2^52 up it is 0), where
  // floor(x + 0.5) would round the addition itself.
  const double f = std::floor(x);
  double r = x - f >= 0.5 ? f + 1 : f;
  if (std::fabs(r - x) == 0.5 && std::fabs(std::fmod(r, 2)) == 1) r -= 1;  // ties to even
  if (precision != 0) r = shift_decimal(r, -precision);
  return r == 0 ? 0 : r;  // no -0
}

}  // namespace hotpath::jsonata::detail
