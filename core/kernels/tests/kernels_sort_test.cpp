// Typed-array sorting: every element type, on the shapes that break sorts (duplicates,
// all-equal, sorted, reversed, NaN, -0), both below and above the radix threshold, compared
// byte-for-byte with a stable sort under JS TypedArray.prototype.sort's comparator.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "hotpath/kernels.h"

namespace hk = hotpath::kernels;

namespace {

// JS SortCompare for TypedArrays: numeric, -0 before +0, NaN last.
template <typename T>
bool js_less(T x, T y) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(x)) return false;
    if (std::isnan(y)) return true;
    if (x < y) return true;
    if (y < x) return false;
    return std::signbit(x) && !std::signbit(y);
  } else {
    return x < y;
  }
}

template <typename T>
void expect_js_sorted(std::vector<T> input, const char* shape) {
  std::vector<T> expected = input;
  std::stable_sort(expected.begin(), expected.end(), js_less<T>);  // NaNs keep their order
  hk::sort(input.data(), input.size());
  if (input.empty()) return;  // data() may be null; memcmp(null, null, 0) is undefined
  ASSERT_EQ(0, std::memcmp(input.data(), expected.data(), input.size() * sizeof(T)))
      << shape << " n=" << input.size();
}

template <typename T>
std::vector<T> random_values(std::size_t n, std::mt19937_64& rng, bool few_distinct) {
  std::vector<T> v(n);
  for (auto& x : v) {
    const std::uint64_t bits = few_distinct ? rng() % 7 : rng();
    if constexpr (std::is_floating_point_v<T>) {
      x = few_distinct ? static_cast<T>(static_cast<double>(bits) - 3.0)
                       : static_cast<T>(std::ldexp(static_cast<double>(bits % 2'000'001) - 1e6,
                                                   static_cast<int>(rng() % 80) - 40));
    } else {
      x = static_cast<T>(bits);
    }
  }
  return v;
}

template <typename T>
void run_shapes() {
  std::mt19937_64 rng(sizeof(T) * 31 + std::is_signed_v<T>);
  for (std::size_t n : {0u, 1u, 2u, 3u, 100u, 255u, 256u, 257u, 1000u, 70'000u}) {
    expect_js_sorted(random_values<T>(n, rng, false), "random");
    expect_js_sorted(random_values<T>(n, rng, true), "duplicates");
    expect_js_sorted(std::vector<T>(n, static_cast<T>(5)), "all-equal");
    auto sorted = random_values<T>(n, rng, false);
    std::sort(sorted.begin(), sorted.end(), js_less<T>);
    expect_js_sorted(sorted, "sorted");
    std::reverse(sorted.begin(), sorted.end());
    expect_js_sorted(sorted, "reversed");
    std::vector<T> extremes(n);
    for (std::size_t i = 0; i < n; ++i) {
      extremes[i] = (i % 3 == 0)   ? std::numeric_limits<T>::lowest()
                    : (i % 3 == 1) ? std::numeric_limits<T>::max()
                                   : T{0};
    }
    expect_js_sorted(extremes, "extremes");
  }
}

template <typename F>
F nan_with_payload(std::uint64_t payload, bool negative) {
  using U = std::conditional_t<sizeof(F) == 4, std::uint32_t, std::uint64_t>;
  U bits;
  if constexpr (sizeof(F) == 4) {
    bits = 0x7fc00000u | static_cast<U>(payload & 0x3fffff);
    if (negative) bits |= 0x80000000u;
  } else {
    bits = 0x7ff8000000000000ULL | (payload & 0x7ffffffffffffULL);
    if (negative) bits |= 0x8000000000000000ULL;
  }
  F f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

template <typename F>
void run_float_specials() {
  const F inf = std::numeric_limits<F>::infinity();
  const F denorm = std::numeric_limits<F>::denorm_min();
  const std::vector<F> specials = {F(0.0),
                                   F(-0.0),
                                   nan_with_payload<F>(1, false),
                                   inf,
                                   -inf,
                                   denorm,
                                   -denorm,
                                   nan_with_payload<F>(2, true),
                                   F(1.5),
                                   F(-1.5),
                                   std::numeric_limits<F>::max(),
                                   std::numeric_limits<F>::lowest(),
                                   std::numeric_limits<F>::min(),
                                   nan_with_payload<F>(3, false)};
  // The exact JS order of the specials (as a small and a large array).
  std::vector<F> small = specials;
  hk::sort(small.data(), small.size());
  const std::vector<F> expected_head = {-inf,    std::numeric_limits<F>::lowest(),
                                        F(-1.5), -denorm,
                                        F(-0.0), F(0.0),
                                        denorm,  std::numeric_limits<F>::min(),
                                        F(1.5),  std::numeric_limits<F>::max(),
                                        inf};
  ASSERT_EQ(0, std::memcmp(small.data(), expected_head.data(), expected_head.size() * sizeof(F)));
  EXPECT_TRUE(std::signbit(small[4]));
  EXPECT_FALSE(std::signbit(small[5]));
  for (std::size_t i = expected_head.size(); i < small.size(); ++i)
    EXPECT_TRUE(std::isnan(small[i]));
  // NaNs keep their bit patterns and original relative order (payloads 1, 2 (negative), 3).
  EXPECT_EQ(0, std::memcmp(&small[11], &specials[2], sizeof(F)));
  EXPECT_EQ(0, std::memcmp(&small[12], &specials[7], sizeof(F)));
  EXPECT_EQ(0, std::memcmp(&small[13], &specials[13], sizeof(F)));

  std::mt19937_64 rng(99);
  for (std::size_t n : {10u, 255u, 256u, 5000u, 100'000u}) {
    std::vector<F> mixed(n);
    for (std::size_t i = 0; i < n; ++i) mixed[i] = specials[rng() % specials.size()];
    expect_js_sorted(mixed, "specials");
    // Mostly zeros of both signs: -0 must precede +0 exactly as JS orders them.
    std::vector<F> zeros(n);
    for (std::size_t i = 0; i < n; ++i) zeros[i] = (rng() & 1) ? F(-0.0) : F(0.0);
    expect_js_sorted(zeros, "signed-zeros");
    std::vector<F> all_nan(n);
    for (std::size_t i = 0; i < n; ++i) all_nan[i] = nan_with_payload<F>(i, (i & 1) != 0);
    expect_js_sorted(all_nan, "all-NaN");
  }
}

}  // namespace

TEST(Sort, Int8) { run_shapes<std::int8_t>(); }
TEST(Sort, Uint8) { run_shapes<std::uint8_t>(); }
TEST(Sort, Int16) { run_shapes<std::int16_t>(); }
TEST(Sort, Uint16) { run_shapes<std::uint16_t>(); }
TEST(Sort, Int32) { run_shapes<std::int32_t>(); }
TEST(Sort, Uint32) { run_shapes<std::uint32_t>(); }
TEST(Sort, Int64) { run_shapes<std::int64_t>(); }
TEST(Sort, Uint64) { run_shapes<std::uint64_t>(); }
TEST(Sort, Float) { run_shapes<float>(); }
TEST(Sort, Double) { run_shapes<double>(); }
TEST(Sort, FloatNaNAndSignedZeroFollowJs) { run_float_specials<float>(); }
TEST(Sort, DoubleNaNAndSignedZeroFollowJs) { run_float_specials<double>(); }

TEST(Sort, MatchesAKnownJsResult) {
  // new Float64Array([3, -0, NaN, 0, -Infinity, 1e-310, -2]).sort()
  //   -> [-Infinity, -2, -0, 0, 1e-310, 3, NaN]
  std::vector<double> v = {3,
                           -0.0,
                           std::numeric_limits<double>::quiet_NaN(),
                           0.0,
                           -std::numeric_limits<double>::infinity(),
                           1e-310,
                           -2};
  hk::sort(v.data(), v.size());
  EXPECT_EQ(v[0], -std::numeric_limits<double>::infinity());
  EXPECT_EQ(v[1], -2.0);
  EXPECT_TRUE(v[2] == 0.0 && std::signbit(v[2]));
  EXPECT_TRUE(v[3] == 0.0 && !std::signbit(v[3]));
  EXPECT_EQ(v[4], 1e-310);
  EXPECT_EQ(v[5], 3.0);
  EXPECT_TRUE(std::isnan(v[6]));
}
