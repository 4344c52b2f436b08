// fibonacci: exact F(n). Natively GMP's mpz_fib_ui (its subquadratic multiplication beats
// V8's BigInt fast doubling); the portable path is fast doubling over a small decimal bignum
// (base 1e9 limbs, so the result prints without a binary-to-decimal conversion), Karatsuba
// above a size threshold.
#include <algorithm>
#include <bit>
#include <cstring>
#include <vector>

#include "hotpath/kernels.h"

#ifdef HOTPATH_KERNELS_GMP
#include <gmp.h>
#endif

namespace hotpath::kernels {
namespace {

constexpr std::uint32_t kBase = 1'000'000'000;
constexpr std::size_t kKaratsubaThreshold = 40;  // limbs; schoolbook below
// Each limb product is < 1e18, so a uint64 accumulator can take 17 of them (plus a limb) safely.
constexpr std::size_t kRowsBeforeCarry = 17;

using Limb = std::uint32_t;
using Big = std::vector<Limb>;  // little-endian base-1e9 limbs, no leading zero limbs (0 = empty)

void trim(Big& x) {
  while (!x.empty() && x.back() == 0) x.pop_back();
}

std::size_t trimmed(const Limb* x, std::size_t n) {
  while (n > 0 && x[n - 1] == 0) --n;
  return n;
}

Big add(const Limb* a, std::size_t na, const Limb* b, std::size_t nb) {
  if (na < nb) {
    std::swap(a, b);
    std::swap(na, nb);
  }
  Big r(na + 1);
  Limb carry = 0;
  for (std::size_t i = 0; i < na; ++i) {
    Limb s = a[i] + (i < nb ? b[i] : 0) + carry;
    carry = s >= kBase ? 1 : 0;
    r[i] = s - (carry ? kBase : 0);
  }
  r[na] = carry;
  trim(r);
  return r;
}

Big add(const Big& a, const Big& b) { return add(a.data(), a.size(), b.data(), b.size()); }

// a -= b, requires a >= b.
void sub_in_place(Big& a, const Big& b) {
  Limb borrow = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Limb sub = (i < b.size() ? b[i] : 0) + borrow;
    if (a[i] >= sub) {
      a[i] -= sub;
      borrow = 0;
    } else {
      a[i] = a[i] + kBase - sub;
      borrow = 1;
    }
  }
  trim(a);
}

// r[offset..] += x, r large enough to absorb the carry.
void add_at(Big& r, const Big& x, std::size_t offset) {
  Limb carry = 0;
  std::size_t i = 0;
  for (; i < x.size(); ++i) {
    Limb s = r[offset + i] + x[i] + carry;
    carry = s >= kBase ? 1 : 0;
    r[offset + i] = s - (carry ? kBase : 0);
  }
  for (std::size_t k = offset + i; carry != 0; ++k) {
    Limb s = r[k] + carry;
    carry = s >= kBase ? 1 : 0;
    r[k] = s - (carry ? kBase : 0);
  }
}

Big schoolbook(const Limb* a, std::size_t na, const Limb* b, std::size_t nb) {
  // Accumulate whole rows in 64-bit (the inner loop vectorises), normalising every few rows.
  std::vector<std::uint64_t> acc(na + nb + 1, 0);
  auto normalise = [&acc] {
    std::uint64_t carry = 0;
    for (auto& v : acc) {
      v += carry;
      carry = v / kBase;
      v %= kBase;
    }
  };
  for (std::size_t i = 0; i < na; ++i) {
    const std::uint64_t ai = a[i];
    std::uint64_t* row = acc.data() + i;
    for (std::size_t j = 0; j < nb; ++j) row[j] += ai * b[j];
    if ((i + 1) % kRowsBeforeCarry == 0) normalise();
  }
  normalise();
  Big r(acc.size());
  for (std::size_t i = 0; i < acc.size(); ++i) r[i] = static_cast<Limb>(acc[i]);
  trim(r);
  return r;
}

Big multiply(const Limb* a, std::size_t na, const Limb* b, std::size_t nb) {
  na = trimmed(a, na);
  nb = trimmed(b, nb);
  if (na == 0 || nb == 0) return {};
  if (na < nb) {
    std::swap(a, b);
    std::swap(na, nb);
  }
  if (nb < kKaratsubaThreshold) return schoolbook(a, na, b, nb);
  if (nb <= na / 2) {
    // Unbalanced: multiply b by na/nb slices of a and add them up.
    Big r(na + nb + 1, 0);
    for (std::size_t off = 0; off < na; off += nb) {
      const Big part = multiply(a + off, std::min(nb, na - off), b, nb);
      add_at(r, part, off);
    }
    trim(r);
    return r;
  }
  // Karatsuba: a = a1*B^m + a0, b = b1*B^m + b0 (nb > m, so both halves of b exist).
  const std::size_t m = na / 2;
  const Big z0 = multiply(a, m, b, m);
  const Big z2 = multiply(a + m, na - m, b + m, nb - m);
  const Big sa = add(a, trimmed(a, m), a + m, na - m);
  const Big sb = add(b, trimmed(b, m), b + m, nb - m);
  Big z1 = multiply(sa.data(), sa.size(), sb.data(), sb.size());
  sub_in_place(z1, z0);
  sub_in_place(z1, z2);
  Big r(na + nb + 2, 0);
  add_at(r, z0, 0);
  add_at(r, z1, m);
  add_at(r, z2, 2 * m);
  trim(r);
  return r;
}

Big multiply(const Big& a, const Big& b) {
  return multiply(a.data(), a.size(), b.data(), b.size());
}

std::string to_decimal(const Big& x) {
  if (x.empty()) return "0";
  std::string out = std::to_string(x.back());
  char digits[9];
  for (std::size_t i = x.size() - 1; i-- > 0;) {
    Limb v = x[i];
    for (int d = 8; d >= 0; --d, v /= 10) digits[d] = static_cast<char>('0' + v % 10);
    out.append(digits, 9);
  }
  return out;
}

KernelError limit_error(const char* what, std::uint64_t n, std::uint64_t limit) {
  return KernelError{KernelErrorCode::limit_exceeded, 0,
                     std::string(what) + ": n=" + std::to_string(n) + " is above the limit " +
                         std::to_string(limit)};
}

}  // namespace

Result<std::uint64_t, KernelError> fibonacci_u64(std::uint64_t n) {
  if (n > kFibonacciU64MaxN) return Failure{limit_error("fibonacci_u64", n, kFibonacciU64MaxN)};
  std::uint64_t a = 0, b = 1;
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t next = a + b;
    a = b;
    b = next;
  }
  return a;
}

namespace {

// F(n) in base-1e9 limbs, n > kFibonacciU64MaxN.
Big fibonacci_limbs(std::uint64_t n);

__extension__ using uint128 = unsigned __int128;

// Base 1e9 -> base 2^64, most significant limb first (quadratic; the portable path only).
std::vector<std::uint64_t> to_words(const Big& x) {
  std::vector<std::uint64_t> w;
  for (std::size_t i = x.size(); i-- > 0;) {
    uint128 carry = x[i];
    for (std::uint64_t& word : w) {
      const uint128 t = static_cast<uint128>(word) * kBase + carry;
      word = static_cast<std::uint64_t>(t);
      carry = t >> 64;
    }
    if (carry != 0) w.push_back(static_cast<std::uint64_t>(carry));
  }
  return w;
}

#ifdef HOTPATH_KERNELS_GMP
struct Mpz {
  mpz_t v;
  Mpz() { mpz_init(v); }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
};
#endif

}  // namespace

Result<std::string, KernelError> fibonacci_portable(std::uint64_t n) {
  if (n > kFibonacciMaxN) return Failure{limit_error("fibonacci", n, kFibonacciMaxN)};
  if (n <= kFibonacciU64MaxN) return std::to_string(fibonacci_u64(n).value());
  return to_decimal(fibonacci_limbs(n));
}

Result<std::vector<std::uint64_t>, KernelError> fibonacci_words_portable(std::uint64_t n) {
  if (n > kFibonacciMaxN) return Failure{limit_error("fibonacci", n, kFibonacciMaxN)};
  if (n <= kFibonacciU64MaxN) {
    const std::uint64_t f = fibonacci_u64(n).value();
    return f == 0 ? std::vector<std::uint64_t>{} : std::vector<std::uint64_t>{f};
  }
  return to_words(fibonacci_limbs(n));
}

Result<std::string, KernelError> fibonacci(std::uint64_t n) {
#ifdef HOTPATH_KERNELS_GMP
  if (n > kFibonacciMaxN) return Failure{limit_error("fibonacci", n, kFibonacciMaxN)};
  Mpz f;
  mpz_fib_ui(f.v, static_cast<unsigned long>(n));
  std::string out(mpz_sizeinbase(f.v, 10) + 1, '\0');  // exact or one too many, plus NUL
  mpz_get_str(out.data(), 10, f.v);
  out.resize(std::strlen(out.c_str()));
  return out;
#else
  return fibonacci_portable(n);
#endif
}

Result<std::vector<std::uint64_t>, KernelError> fibonacci_words(std::uint64_t n) {
#ifdef HOTPATH_KERNELS_GMP
  if (n > kFibonacciMaxN) return Failure{limit_error("fibonacci", n, kFibonacciMaxN)};
  Mpz f;
  mpz_fib_ui(f.v, static_cast<unsigned long>(n));
  std::vector<std::uint64_t> words((mpz_sizeinbase(f.v, 2) + 63) / 64);
  std::size_t count = 0;
  mpz_export(words.data(), &count, -1, sizeof(std::uint64_t), 0, 0, f.v);
  words.resize(count);  // F(0): mpz_export writes nothing
  return words;
#else
  return fibonacci_words_portable(n);
#endif
}

namespace {

Big fibonacci_limbs(std::uint64_t n) {
  // Fast doubling from the top bit: with a = F(k), b = F(k+1),
  //   F(2k) = a * (2b - a),  F(2k+1) = a^2 + b^2.
  Big a;     // F(0)
  Big b{1};  // F(1)
  const int top = 63 - std::countl_zero(n);
  for (int bit = top; bit >= 0; --bit) {
    Big two_b_minus_a = add(b, b);
    sub_in_place(two_b_minus_a, a);
    const bool odd = ((n >> bit) & 1) != 0;
    if (bit == 0) {  // last step: only F(n) is needed, skip F(n+1)
      if (!odd) return multiply(a, two_b_minus_a);
      return add(multiply(a, a), multiply(b, b));
    }
    Big f2k = multiply(a, two_b_minus_a);
    Big f2k1 = add(multiply(a, a), multiply(b, b));
    if (odd) {
      b = add(f2k, f2k1);
      a = std::move(f2k1);
    } else {
      a = std::move(f2k);
      b = std::move(f2k1);
    }
  }
  return a;  // not reached: the loop returns at bit 0
}

}  // namespace

}  // namespace hotpath::kernels
