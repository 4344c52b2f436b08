// Financial metrics over a price series: returns, mean/volatility (blockwise two-pass moments
// merged with Chan et al.'s parallel Welford update: stable and vectorisable), Sharpe, max
// drawdown, VWAP, min/max.
#include <algorithm>
#include <cmath>
#include <limits>

#include "hotpath/kernels.h"

namespace hotpath::kernels {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMaxFinite = std::numeric_limits<double>::max();
constexpr std::size_t kBlock = 512;  // returns computed per block into a stack buffer (4 KiB)

std::string number_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return std::to_string(v);
}

// First index i in [0, n) where !(lo_ok(x[i]) && x[i] <= max), or n. Checks whole blocks
// branch-free (vectorisable) and only rescans a block that holds a bad value.
template <bool kAllowZero>
std::size_t first_invalid(const double* x, std::size_t n) {
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t end = std::min(n, start + kBlock);
    int bad = 0;
    for (std::size_t i = start; i < end; ++i) {
      const double v = x[i];
      bad |= static_cast<int>(!((kAllowZero ? v >= 0.0 : v > 0.0) && v <= kMaxFinite));
    }
    if (bad == 0) continue;
    for (std::size_t i = start; i < end; ++i) {
      const double v = x[i];
      if (!((kAllowZero ? v >= 0.0 : v > 0.0) && v <= kMaxFinite)) return i;
    }
  }
  return n;
}

Failure<KernelError> error(KernelErrorCode code, std::size_t index, std::string message) {
  return Failure{KernelError{code, index, std::move(message)}};
}

std::optional<KernelError> check_prices(const double* prices, std::size_t n, bool allow_empty) {
  if (n == 0) {
    if (allow_empty) return std::nullopt;
    return KernelError{KernelErrorCode::empty_input, 0, "no prices (n = 0)"};
  }
  if (prices == nullptr) {
    return KernelError{KernelErrorCode::invalid_argument, 0, "prices is null with n > 0"};
  }
  const std::size_t bad = first_invalid<false>(prices, n);
  if (bad == n) return std::nullopt;
  return KernelError{KernelErrorCode::invalid_price, bad,
                     "price at index " + std::to_string(bad) +
                         " must be a finite number > 0 (got " + number_text(prices[bad]) + ")"};
}

std::optional<KernelError> check_volumes(const double* volumes, std::size_t n) {
  const std::size_t bad = first_invalid<true>(volumes, n);
  if (bad == n) return std::nullopt;
  return KernelError{KernelErrorCode::invalid_volume, bad,
                     "volume at index " + std::to_string(bad) +
                         " must be a finite number >= 0 (got " + number_text(volumes[bad]) + ")"};
}

std::optional<KernelError> check_options(const MetricsOptions& options) {
  if (!(options.periods_per_year > 0.0 && options.periods_per_year <= kMaxFinite)) {
    return KernelError{KernelErrorCode::invalid_argument, 0,
                       "periods_per_year must be a finite number > 0 (got " +
                           number_text(options.periods_per_year) + ")"};
  }
  if (!std::isfinite(options.risk_free_rate)) {
    return KernelError{
        KernelErrorCode::invalid_argument, 0,
        "risk_free_rate must be finite (got " + number_text(options.risk_free_rate) + ")"};
  }
  return std::nullopt;
}

// Writes returns of prices[0..count] (count returns) into out; the loops have no dependencies
// between iterations, so they vectorise (std::log goes through the vector libm when available).
void write_returns(const double* prices, std::size_t count, double* out, ReturnKind kind) {
  if (kind == ReturnKind::simple) {
    for (std::size_t i = 0; i < count; ++i) out[i] = prices[i + 1] / prices[i] - 1.0;
  } else {
    for (std::size_t i = 0; i < count; ++i) out[i] = std::log(prices[i + 1] / prices[i]);
  }
}

struct Moments {
  std::size_t count = 0;
  double mean = kNaN;
  double m2 = 0.0;  // sum of squared deviations from the mean
};

// Mean and M2 of the n-1 returns, without materialising them: each block is reduced with a
// two-pass sum (four independent accumulators so the compiler can vectorise without
// reassociation), then merged into the running moments with the parallel Welford update.
Moments return_moments(const double* prices, std::size_t n, ReturnKind kind) {
  Moments total;
  if (n < 2) return total;
  const std::size_t count = n - 1;
  double r[kBlock];
  for (std::size_t start = 0; start < count; start += kBlock) {
    const std::size_t len = std::min(kBlock, count - start);
    write_returns(prices + start, len, r, kind);
    double s[4] = {0, 0, 0, 0};
    std::size_t i = 0;
    for (; i + 4 <= len; i += 4) {
      for (int k = 0; k < 4; ++k) s[k] += r[i + k];
    }
    double sum = (s[0] + s[1]) + (s[2] + s[3]);
    for (; i < len; ++i) sum += r[i];
    const double mean = sum / static_cast<double>(len);
    double q[4] = {0, 0, 0, 0};
    i = 0;
    for (; i + 4 <= len; i += 4) {
      for (int k = 0; k < 4; ++k) {
        const double d = r[i + k] - mean;
        q[k] += d * d;
      }
    }
    double m2 = (q[0] + q[1]) + (q[2] + q[3]);
    for (; i < len; ++i) m2 += (r[i] - mean) * (r[i] - mean);

    if (total.count == 0) {
      total = Moments{len, mean, m2};
    } else {
      const double na = static_cast<double>(total.count);
      const double nb = static_cast<double>(len);
      const double nt = na + nb;
      const double delta = mean - total.mean;
      total.mean += delta * (nb / nt);
      total.m2 += m2 + delta * delta * (na * nb / nt);
      total.count += len;
    }
  }
  return total;
}

double sample_stddev(const Moments& m) {
  if (m.count < 2) return kNaN;
  return std::sqrt(m.m2 / static_cast<double>(m.count - 1));
}

double sharpe_of(double mean, double vol, const MetricsOptions& options) {
  if (!(vol > 0.0)) return kNaN;  // zero volatility or too few returns: undefined, not infinite
  return (mean - options.risk_free_rate) / vol * std::sqrt(options.periods_per_year);
}

struct PriceScan {
  Drawdown drawdown{0.0, 0, 0};
  double min;
  double max;
};

// Running peak -> worst fall, plus min/max, in one pass.
PriceScan scan_prices(const double* prices, std::size_t n) {
  PriceScan scan{{0.0, 0, 0}, prices[0], prices[0]};
  double peak = prices[0];
  std::size_t peak_index = 0;
  for (std::size_t i = 1; i < n; ++i) {
    const double p = prices[i];
    scan.min = p < scan.min ? p : scan.min;
    scan.max = p > scan.max ? p : scan.max;
    if (p > peak) {
      peak = p;
      peak_index = i;
      continue;
    }
    const double dd = 1.0 - p / peak;
    if (dd > scan.drawdown.value) scan.drawdown = Drawdown{dd, peak_index, i};
  }
  return scan;
}

double vwap_of(const double* prices, const double* volumes, std::size_t n) {
  double pv[4] = {0, 0, 0, 0};
  double v[4] = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    for (int k = 0; k < 4; ++k) {
      pv[k] += prices[i + k] * volumes[i + k];
      v[k] += volumes[i + k];
    }
  }
  double sum_pv = (pv[0] + pv[1]) + (pv[2] + pv[3]);
  double sum_v = (v[0] + v[1]) + (v[2] + v[3]);
  for (; i < n; ++i) {
    sum_pv += prices[i] * volumes[i];
    sum_v += volumes[i];
  }
  return sum_v > 0.0 ? sum_pv / sum_v : kNaN;
}

Result<std::size_t, KernelError> returns_into(const double* prices, std::size_t n, double* out,
                                              ReturnKind kind) {
  if (auto err = check_prices(prices, n, /*allow_empty=*/true)) return Failure{std::move(*err)};
  if (n < 2) return std::size_t{0};
  if (out == nullptr) return error(KernelErrorCode::invalid_argument, 0, "out is null with n >= 2");
  write_returns(prices, n - 1, out, kind);
  return n - 1;
}

// Validates prices and options, then computes the moments of the chosen returns.
Result<Moments, KernelError> checked_moments(const double* prices, std::size_t n,
                                             const MetricsOptions& options) {
  if (auto err = check_options(options)) return Failure{std::move(*err)};
  if (auto err = check_prices(prices, n, /*allow_empty=*/false)) return Failure{std::move(*err)};
  return return_moments(prices, n, options.returns);
}

}  // namespace

Result<std::size_t, KernelError> simple_returns(const double* prices, std::size_t n, double* out) {
  return returns_into(prices, n, out, ReturnKind::simple);
}

Result<std::size_t, KernelError> log_returns(const double* prices, std::size_t n, double* out) {
  return returns_into(prices, n, out, ReturnKind::log);
}

Result<double, KernelError> mean_return(const double* prices, std::size_t n,
                                        const MetricsOptions& options) {
  auto m = checked_moments(prices, n, options);
  if (!m) return Failure{std::move(m.error())};
  return m->mean;
}

Result<double, KernelError> volatility(const double* prices, std::size_t n,
                                       const MetricsOptions& options) {
  auto m = checked_moments(prices, n, options);
  if (!m) return Failure{std::move(m.error())};
  return sample_stddev(*m);
}

Result<double, KernelError> annualized_return(const double* prices, std::size_t n,
                                              const MetricsOptions& options) {
  auto m = checked_moments(prices, n, options);
  if (!m) return Failure{std::move(m.error())};
  return m->mean * options.periods_per_year;
}

Result<double, KernelError> annualized_volatility(const double* prices, std::size_t n,
                                                  const MetricsOptions& options) {
  auto m = checked_moments(prices, n, options);
  if (!m) return Failure{std::move(m.error())};
  return sample_stddev(*m) * std::sqrt(options.periods_per_year);
}

Result<double, KernelError> sharpe_ratio(const double* prices, std::size_t n,
                                         const MetricsOptions& options) {
  auto m = checked_moments(prices, n, options);
  if (!m) return Failure{std::move(m.error())};
  return sharpe_of(m->mean, sample_stddev(*m), options);
}

Result<Drawdown, KernelError> max_drawdown(const double* prices, std::size_t n) {
  if (auto err = check_prices(prices, n, /*allow_empty=*/false)) return Failure{std::move(*err)};
  return scan_prices(prices, n).drawdown;
}

Result<double, KernelError> vwap(const double* prices, const double* volumes, std::size_t n) {
  if (auto err = check_prices(prices, n, /*allow_empty=*/false)) return Failure{std::move(*err)};
  if (volumes == nullptr) {
    return error(KernelErrorCode::invalid_argument, 0, "volumes is null with n > 0");
  }
  if (auto err = check_volumes(volumes, n)) return Failure{std::move(*err)};
  return vwap_of(prices, volumes, n);
}

Result<Metrics, KernelError> compute_metrics(const double* prices, std::size_t n,
                                             const double* volumes, const MetricsOptions& options) {
  if (auto err = check_options(options)) return Failure{std::move(*err)};
  if (auto err = check_prices(prices, n, /*allow_empty=*/false)) return Failure{std::move(*err)};
  if (volumes != nullptr) {
    if (auto err = check_volumes(volumes, n)) return Failure{std::move(*err)};
  }
  const Moments moments = return_moments(prices, n, options.returns);
  const double vol = sample_stddev(moments);
  const PriceScan scan = scan_prices(prices, n);
  Metrics m{};
  m.count = n;
  m.mean_return = moments.mean;
  m.volatility = vol;
  m.annualized_return = moments.mean * options.periods_per_year;
  m.annualized_volatility = vol * std::sqrt(options.periods_per_year);
  m.sharpe = sharpe_of(moments.mean, vol, options);
  m.max_drawdown = scan.drawdown.value;
  m.max_drawdown_peak = scan.drawdown.peak;
  m.max_drawdown_trough = scan.drawdown.trough;
  m.vwap = volumes != nullptr ? vwap_of(prices, volumes, n) : kNaN;
  m.min = scan.min;
  m.max = scan.max;
  return m;
}

}  // namespace hotpath::kernels
