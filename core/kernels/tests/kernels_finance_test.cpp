// Financial metrics: a hand-computed series, edge cases (n < 3, flat prices, bad input), and
// the blockwise moments against a naive two-pass computation.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "hotpath/kernels.h"

namespace hk = hotpath::kernels;

namespace {

// Returns +10%, -10%, +10%, -20%: mean -0.025, squared deviations sum 0.0675, sample
// variance 0.0225, volatility 0.15; worst fall 110 -> 87.12 = 20.8% (indices 1 -> 4).
const std::vector<double> kPrices = {100.0, 110.0, 99.0, 108.9, 87.12};
const std::vector<double> kVolumes = {1.0, 2.0, 3.0, 4.0, 5.0};
constexpr double kTol = 1e-12;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST(Finance, SimpleReturnsOfTheHandSeries) {
  std::vector<double> out(4, 0.0);
  auto written = hk::simple_returns(kPrices.data(), kPrices.size(), out.data());
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(*written, 4u);
  const double expected[] = {0.1, -0.1, 0.1, -0.2};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(out[i], expected[i], kTol) << i;
}

TEST(Finance, LogReturnsOfTheHandSeries) {
  std::vector<double> out(4, 0.0);
  ASSERT_EQ(hk::log_returns(kPrices.data(), kPrices.size(), out.data()).value(), 4u);
  const double expected[] = {std::log(1.1), std::log(0.9), std::log(1.1), std::log(0.8)};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(out[i], expected[i], kTol) << i;
}

TEST(Finance, ComputeMetricsOfTheHandSeries) {
  auto r = hk::compute_metrics(kPrices.data(), kPrices.size(), kVolumes.data());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const hk::Metrics& m = *r;
  EXPECT_EQ(m.count, 5u);
  EXPECT_NEAR(m.mean_return, -0.025, kTol);
  EXPECT_NEAR(m.volatility, 0.15, kTol);
  EXPECT_NEAR(m.annualized_return, -0.025 * 252, kTol);
  EXPECT_NEAR(m.annualized_volatility, 0.15 * std::sqrt(252.0), kTol);
  EXPECT_NEAR(m.sharpe, -0.025 / 0.15 * std::sqrt(252.0), kTol);
  EXPECT_NEAR(m.max_drawdown, 0.208, kTol);
  EXPECT_EQ(m.max_drawdown_peak, 1u);
  EXPECT_EQ(m.max_drawdown_trough, 4u);
  EXPECT_NEAR(m.vwap, (100.0 + 220.0 + 297.0 + 435.6 + 435.6) / 15.0, kTol);
  EXPECT_EQ(m.min, 87.12);
  EXPECT_EQ(m.max, 110.0);
}

TEST(Finance, StandaloneMetricsMatchComputeMetrics) {
  const hk::MetricsOptions options{12.0, 0.01, hk::ReturnKind::simple};
  const double* p = kPrices.data();
  const std::size_t n = kPrices.size();
  EXPECT_NEAR(hk::mean_return(p, n, options).value(), -0.025, kTol);
  EXPECT_NEAR(hk::volatility(p, n, options).value(), 0.15, kTol);
  EXPECT_NEAR(hk::annualized_return(p, n, options).value(), -0.3, kTol);
  EXPECT_NEAR(hk::annualized_volatility(p, n, options).value(), 0.15 * std::sqrt(12.0), kTol);
  EXPECT_NEAR(hk::sharpe_ratio(p, n, options).value(), (-0.025 - 0.01) / 0.15 * std::sqrt(12.0),
              kTol);
  const hk::Drawdown dd = hk::max_drawdown(p, n).value();
  EXPECT_NEAR(dd.value, 0.208, kTol);
  EXPECT_EQ(dd.peak, 1u);
  EXPECT_EQ(dd.trough, 4u);
  EXPECT_NEAR(hk::vwap(p, kVolumes.data(), n).value(), 1488.2 / 15.0, kTol);
  const hk::Metrics m = hk::compute_metrics(p, n, nullptr, options).value();
  EXPECT_NEAR(m.sharpe, (-0.025 - 0.01) / 0.15 * std::sqrt(12.0), kTol);
  EXPECT_TRUE(std::isnan(m.vwap));
}

TEST(Finance, LogReturnMetrics) {
  const double r[] = {std::log(1.1), std::log(0.9), std::log(1.1), std::log(0.8)};
  const double mean = (r[0] + r[1] + r[2] + r[3]) / 4;
  double ss = 0;
  for (double x : r) ss += (x - mean) * (x - mean);
  const double vol = std::sqrt(ss / 3);
  hk::MetricsOptions options;
  options.returns = hk::ReturnKind::log;
  const hk::Metrics m =
      hk::compute_metrics(kPrices.data(), kPrices.size(), nullptr, options).value();
  EXPECT_NEAR(m.mean_return, mean, kTol);
  EXPECT_NEAR(m.volatility, vol, kTol);
  EXPECT_NEAR(m.sharpe, mean / vol * std::sqrt(252.0), kTol);
}

TEST(Finance, SinglePriceHasNoReturns) {
  const double p[] = {42.0};
  const double v[] = {3.0};
  const hk::Metrics m = hk::compute_metrics(p, 1, v).value();
  EXPECT_EQ(m.count, 1u);
  EXPECT_TRUE(std::isnan(m.mean_return));
  EXPECT_TRUE(std::isnan(m.volatility));
  EXPECT_TRUE(std::isnan(m.annualized_return));
  EXPECT_TRUE(std::isnan(m.sharpe));
  EXPECT_EQ(m.max_drawdown, 0.0);
  EXPECT_EQ(m.max_drawdown_peak, 0u);
  EXPECT_EQ(m.max_drawdown_trough, 0u);
  EXPECT_EQ(m.vwap, 42.0);
  EXPECT_EQ(m.min, 42.0);
  EXPECT_EQ(m.max, 42.0);
  double out = -1.0;
  EXPECT_EQ(hk::simple_returns(p, 1, &out).value(), 0u);
  EXPECT_EQ(out, -1.0);
}

TEST(Finance, TwoPricesHaveAMeanButNoSampleVolatility) {
  const double p[] = {100.0, 105.0};
  const hk::Metrics m = hk::compute_metrics(p, 2).value();
  EXPECT_NEAR(m.mean_return, 0.05, kTol);
  EXPECT_TRUE(std::isnan(m.volatility));
  EXPECT_TRUE(std::isnan(m.sharpe));
}

TEST(Finance, FlatPricesHaveZeroVolatilityAndNaNSharpe) {
  const std::vector<double> p(10, 50.0);
  const hk::Metrics m = hk::compute_metrics(p.data(), p.size()).value();
  EXPECT_EQ(m.mean_return, 0.0);
  EXPECT_EQ(m.volatility, 0.0);
  EXPECT_TRUE(std::isnan(m.sharpe));
  EXPECT_EQ(m.max_drawdown, 0.0);
}

TEST(Finance, ZeroTotalVolumeGivesNaNVwap) {
  const double p[] = {1.0, 2.0};
  const double v[] = {0.0, 0.0};
  EXPECT_TRUE(std::isnan(hk::vwap(p, v, 2).value()));
}

TEST(Finance, EmptyInputIsAnError) {
  auto m = hk::compute_metrics(nullptr, 0);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, hk::KernelErrorCode::empty_input);
  EXPECT_EQ(hk::mean_return(nullptr, 0).error().code, hk::KernelErrorCode::empty_input);
  EXPECT_EQ(hk::simple_returns(nullptr, 0, nullptr).value(), 0u);  // nothing to write
}

TEST(Finance, InvalidPricesReportTheFirstBadIndex) {
  const double bad_values[] = {kNaN, std::numeric_limits<double>::infinity(),
                               -std::numeric_limits<double>::infinity(), 0.0, -1.0};
  for (double bad : bad_values) {
    std::vector<double> p(2000, 10.0);
    p[1500] = bad;
    p[1700] = bad;
    auto m = hk::compute_metrics(p.data(), p.size());
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_EQ(m.error().code, hk::KernelErrorCode::invalid_price);
    EXPECT_EQ(m.error().index, 1500u);
    std::vector<double> out(p.size());
    EXPECT_EQ(hk::simple_returns(p.data(), p.size(), out.data()).error().index, 1500u);
    EXPECT_EQ(hk::max_drawdown(p.data(), p.size()).error().code,
              hk::KernelErrorCode::invalid_price);
  }
  const double p[] = {1.0, 2.0, -3.0};
  EXPECT_EQ(hk::compute_metrics(p, 3).error().message,
            "price at index 2 must be a finite number > 0 (got -3.000000)");
  const double q[] = {1.0, kNaN};
  EXPECT_EQ(hk::compute_metrics(q, 2).error().message,
            "price at index 1 must be a finite number > 0 (got NaN)");
}

TEST(Finance, InvalidVolumesReportTheFirstBadIndex) {
  const double p[] = {1.0, 2.0, 3.0};
  const double v[] = {1.0, -1.0, kNaN};
  auto m = hk::compute_metrics(p, 3, v);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, hk::KernelErrorCode::invalid_volume);
  EXPECT_EQ(m.error().index, 1u);
  EXPECT_EQ(hk::vwap(p, nullptr, 3).error().code, hk::KernelErrorCode::invalid_argument);
}

TEST(Finance, InvalidOptionsAreRejected) {
  const double p[] = {1.0, 2.0, 3.0};
  hk::MetricsOptions zero_periods;
  zero_periods.periods_per_year = 0.0;
  EXPECT_EQ(hk::compute_metrics(p, 3, nullptr, zero_periods).error().code,
            hk::KernelErrorCode::invalid_argument);
  hk::MetricsOptions nan_rate;
  nan_rate.risk_free_rate = kNaN;
  EXPECT_EQ(hk::sharpe_ratio(p, 3, nan_rate).error().code, hk::KernelErrorCode::invalid_argument);
  EXPECT_EQ(hk::simple_returns(p, 3, nullptr).error().code, hk::KernelErrorCode::invalid_argument);
}

TEST(Finance, BlockwiseMomentsMatchNaiveTwoPassOnLongSeries) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> step(0.0005, 0.02);
  for (std::size_t n : {3u, 511u, 512u, 513u, 1025u, 100'000u}) {
    std::vector<double> p(n);
    p[0] = 100.0;
    for (std::size_t i = 1; i < n; ++i) p[i] = p[i - 1] * std::exp(step(rng));
    std::vector<double> r(n - 1);
    ASSERT_TRUE(hk::simple_returns(p.data(), n, r.data()).ok());
    long double sum = 0;
    for (double x : r) sum += x;
    const long double mean = sum / static_cast<long double>(r.size());
    long double ss = 0;
    for (double x : r) ss += (x - mean) * (x - mean);
    const double vol = static_cast<double>(std::sqrt(ss / static_cast<long double>(r.size() - 1)));
    const hk::Metrics m = hk::compute_metrics(p.data(), n).value();
    EXPECT_NEAR(m.mean_return, static_cast<double>(mean),
                1e-12 * std::abs(static_cast<double>(mean)) + 1e-15)
        << n;
    EXPECT_NEAR(m.volatility, vol, 1e-12 * vol) << n;
    // Drawdown and min/max against a direct scan.
    double peak = p[0], worst = 0.0, lo = p[0], hi = p[0];
    for (double x : p) {
      peak = std::max(peak, x);
      worst = std::max(worst, 1.0 - x / peak);
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
    EXPECT_EQ(m.max_drawdown, worst) << n;
    EXPECT_EQ(m.min, lo);
    EXPECT_EQ(m.max, hi);
  }
}
