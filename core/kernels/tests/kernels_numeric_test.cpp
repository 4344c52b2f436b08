// Number-theory kernels: prime counting and exact Fibonacci numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "hotpath/kernels.h"

namespace hk = hotpath::kernels;

TEST(CountPrimes, CountsPrimesAtMostN) {
  const std::pair<std::uint64_t, std::uint64_t> cases[] = {{0, 0},
                                                           {1, 0},
                                                           {2, 1},
                                                           {3, 2},
                                                           {4, 2},
                                                           {5, 3},
                                                           {10, 4},
                                                           {11, 5},
                                                           {100, 25},
                                                           {1000, 168},
                                                           {7919, 1000},
                                                           {7920, 1000},
                                                           {1'000'000, 78'498},
                                                           {10'000'000, 664'579}};
  for (const auto& [n, expected] : cases) {
    auto r = hk::count_primes(n);
    ASSERT_TRUE(r.ok()) << n;
    EXPECT_EQ(*r, expected) << "pi(" << n << ")";
  }
}

TEST(CountPrimes, AgreesWithTrialDivisionAroundSegmentBoundaries) {
  // One segment spans 524,288 integers; check every n near the first boundaries.
  std::vector<bool> composite(1'100'000, false);
  for (std::size_t i = 2; i * i < composite.size(); ++i) {
    if (!composite[i]) {
      for (std::size_t j = i * i; j < composite.size(); j += i) composite[j] = true;
    }
  }
  std::vector<std::uint64_t> pi(composite.size(), 0);
  for (std::size_t i = 2; i < composite.size(); ++i) pi[i] = pi[i - 1] + (composite[i] ? 0 : 1);
  for (std::uint64_t base : {524'288ULL, 1'048'576ULL}) {
    for (std::uint64_t n = base - 40; n <= base + 40; ++n) {
      ASSERT_EQ(hk::count_primes(n).value(), pi[n]) << n;
    }
  }
}

TEST(CountPrimes, RejectsNAboveTheLimit) {
  auto r = hk::count_primes(hk::kCountPrimesMaxN + 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, hk::KernelErrorCode::limit_exceeded);
  EXPECT_EQ(r.error().message, "count_primes: n=100000000001 is above the limit 100000000000");
}

TEST(Fibonacci, SmallValues) {
  const char* expected[] = {"0", "1", "1", "2", "3", "5", "8", "13", "21", "34", "55"};
  for (std::uint64_t n = 0; n <= 10; ++n) {
    EXPECT_EQ(hk::fibonacci(n).value(), expected[n]) << n;
    EXPECT_EQ(hk::fibonacci_u64(n).value(), std::stoull(expected[n])) << n;
  }
}

TEST(Fibonacci, KnownLargeValues) {
  EXPECT_EQ(hk::fibonacci(93).value(), "12200160415121876738");
  EXPECT_EQ(hk::fibonacci_u64(93).value(), 12200160415121876738ULL);
  EXPECT_EQ(hk::fibonacci(94).value(), "19740274219868223167");
  EXPECT_EQ(hk::fibonacci(100).value(), "354224848179261915075");
  const std::string f1000 = hk::fibonacci(1000).value();
  EXPECT_EQ(f1000.size(), 209u);
  EXPECT_EQ(f1000.substr(0, 20), "43466557686937456435");
  EXPECT_EQ(f1000.substr(f1000.size() - 20), "76137795166849228875");
}

TEST(Fibonacci, AgreesWithRepeatedAdditionUpTo20000) {
  // Reference: F(n) by plain base-1e18 addition.
  constexpr std::uint64_t kBase = 1'000'000'000'000'000'000ULL;
  auto to_string = [](const std::vector<std::uint64_t>& x) {
    std::string s = std::to_string(x.back());
    char buf[24];
    for (std::size_t i = x.size() - 1; i-- > 0;) {
      std::snprintf(buf, sizeof buf, "%018llu", static_cast<unsigned long long>(x[i]));
      s += buf;
    }
    return s;
  };
  std::vector<std::uint64_t> a{0}, b{1};
  for (std::uint64_t n = 0; n <= 20'000; ++n) {
    if (n <= 300 || n % 997 == 0 || n == 2047 || n == 2048 || n == 4095 || n == 4096 ||
        n == 16'383 || n == 16'384 || n == 20'000) {
      ASSERT_EQ(hk::fibonacci(n).value(), to_string(a)) << n;
    }
    std::vector<std::uint64_t> c(std::max(a.size(), b.size()) + 1, 0);
    std::uint64_t carry = 0;
    for (std::size_t i = 0; i < c.size(); ++i) {
      std::uint64_t s = (i < a.size() ? a[i] : 0) + (i < b.size() ? b[i] : 0) + carry;
      carry = s >= kBase ? 1 : 0;
      c[i] = s - (carry ? kBase : 0);
    }
    while (c.size() > 1 && c.back() == 0) c.pop_back();
    a = std::move(b);
    b = std::move(c);
  }
}

TEST(Fibonacci, MillionthHasTheRightDigitsAtBothEnds) {
  const std::string f = hk::fibonacci(1'000'000).value();
  // Digit count and leading digits from Binet: log10 F(n) = n log10(phi) - log10(sqrt 5).
  const long double log10f =
      1'000'000.0L * std::log10((1.0L + std::sqrt(5.0L)) / 2.0L) - std::log10(std::sqrt(5.0L));
  EXPECT_EQ(f.size(), 208'988u);
  EXPECT_EQ(f.size(), static_cast<std::size_t>(std::floor(log10f)) + 1);
  const long double mantissa = std::pow(10.0L, log10f - std::floor(log10f));
  EXPECT_EQ(f.substr(0, 6), std::to_string(static_cast<long long>(mantissa * 100'000.0L)));
  // Trailing nine digits: F(n) mod 1e9 by iteration.
  std::uint64_t a = 0, b = 1;
  for (int i = 0; i < 1'000'000; ++i) {
    const std::uint64_t c = (a + b) % 1'000'000'000ULL;
    a = b;
    b = c;
  }
  char tail[16];
  std::snprintf(tail, sizeof tail, "%09llu", static_cast<unsigned long long>(a));
  EXPECT_EQ(f.substr(f.size() - 9), tail);
}

TEST(Fibonacci, NativeAndPortableAgreeInDecimalAndInWords) {
  std::vector<std::uint64_t> ns;
  for (std::uint64_t n = 0; n <= 300; ++n) ns.push_back(n);
  for (std::uint64_t n : {1000u, 4095u, 4096u, 4097u, 65'537u, 250'000u, 1'000'000u}) {
    ns.push_back(n);
  }
  for (std::uint64_t n : ns) {
    const std::string decimal = hk::fibonacci(n).value();
    ASSERT_EQ(decimal, hk::fibonacci_portable(n).value()) << n;
    const std::vector<std::uint64_t> words = hk::fibonacci_words(n).value();
    ASSERT_EQ(words, hk::fibonacci_words_portable(n).value()) << n;
    ASSERT_TRUE(words.empty() || words.back() != 0) << n;  // no leading zero words
    if (n <= hk::kFibonacciU64MaxN) {
      ASSERT_EQ(words.size(), n == 0 ? 0u : 1u) << n;
      if (n > 0) {
        ASSERT_EQ(words[0], hk::fibonacci_u64(n).value()) << n;
      }
    }
  }
  // F(1e6) mod 2^64 is the low word: check it by iterating modulo 2^64.
  std::uint64_t a = 0, b = 1;
  for (int i = 0; i < 1'000'000; ++i) {
    const std::uint64_t c = a + b;
    a = b;
    b = c;
  }
  EXPECT_EQ(hk::fibonacci_words(1'000'000).value().front(), a);
  EXPECT_EQ(hk::fibonacci_words(1'000'000).value().size(), (694'241u + 63) / 64);
  ASSERT_FALSE(hk::fibonacci_words(hk::kFibonacciMaxN + 1).ok());
  ASSERT_FALSE(hk::fibonacci_portable(hk::kFibonacciMaxN + 1).ok());
}

TEST(Fibonacci, RejectsNAboveTheLimits) {
  auto big = hk::fibonacci(hk::kFibonacciMaxN + 1);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, hk::KernelErrorCode::limit_exceeded);
  EXPECT_EQ(big.error().message, "fibonacci: n=1000001 is above the limit 1000000");
  auto wide = hk::fibonacci_u64(94);
  ASSERT_FALSE(wide.ok());
  EXPECT_EQ(wide.error().code, hk::KernelErrorCode::limit_exceeded);
  EXPECT_EQ(hk::error_code_name(wide.error().code), "limit_exceeded");
}
