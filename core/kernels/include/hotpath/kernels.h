// Kernels: the hashing, number-theory, finance and typed-array sorting hot functions that the
// hosts (Node addon, wasm, CLI) expose to JavaScript. Pure functions over caller-owned memory;
// nothing here throws: fallible calls return hotpath::Result with a KernelError or a message.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/result.h"

namespace hotpath::kernels {

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------
enum class KernelErrorCode {
  invalid_argument,  // e.g. a negative/zero option, a null pointer with n > 0
  limit_exceeded,    // n above a documented limit (kFibonacciMaxN, kCountPrimesMaxN, ...)
  empty_input,       // compute_metrics and friends with n == 0
  invalid_price,     // NaN, +-inf, zero or negative price; `index` says where
  invalid_volume,    // NaN, +-inf or negative volume; `index` says where
};

struct KernelError {
  KernelErrorCode code;
  std::size_t index;    // offending element for invalid_price / invalid_volume, else 0
  std::string message;  // human-readable, e.g. "price at index 3 is not positive (-1)"
};

// Stable lower-case name of a code ("invalid_price", ...), for hosts that surface `err.code`.
std::string_view error_code_name(KernelErrorCode code) noexcept;

// ---------------------------------------------------------------------------------------------
// Hashing (xxHash from Debian's libxxhash-dev, header-only; SHA-256 via OpenSSL EVP natively)
// ---------------------------------------------------------------------------------------------
using Sha256Digest = std::array<std::uint8_t, 32>;

struct Hash128 {
  std::uint64_t high;
  std::uint64_t low;
  friend bool operator==(const Hash128&, const Hash128&) = default;
};

std::uint64_t xxh64(const void* data, std::size_t size, std::uint64_t seed = 0) noexcept;
std::uint64_t xxh3_64(const void* data, std::size_t size, std::uint64_t seed = 0) noexcept;
Hash128 xxh3_128(const void* data, std::size_t size, std::uint64_t seed = 0) noexcept;
// String conveniences, seed 0 only: with a seed, write xxh64(s.data(), s.size(), seed).
// (An xxh64(const char*, seed) form would silently be read as xxh64(data, size).)
inline std::uint64_t xxh64(std::string_view s) noexcept { return xxh64(s.data(), s.size(), 0); }
inline std::uint64_t xxh3_64(std::string_view s) noexcept { return xxh3_64(s.data(), s.size(), 0); }
inline Hash128 xxh3_128(std::string_view s) noexcept { return xxh3_128(s.data(), s.size(), 0); }

// SHA-256 (FIPS 180-4). Uses OpenSSL's EVP (SHA-NI where the CPU has it) when the library was
// built with HOTPATH_KERNELS_OPENSSL, the portable implementation otherwise.
Sha256Digest sha256(const void* data, std::size_t size) noexcept;
inline Sha256Digest sha256(std::string_view s) noexcept { return sha256(s.data(), s.size()); }

// The portable SHA-256 used by the wasm build; always compiled so native tests can check that
// both implementations agree.
Sha256Digest sha256_portable(const void* data, std::size_t size) noexcept;

// True when sha256()/Sha256 go through OpenSSL in this build.
bool sha256_uses_openssl() noexcept;

// Streaming SHA-256: update() any number of times, then finish() once; finish() resets the
// object so it can hash the next message.
class Sha256 {
 public:
  Sha256() noexcept;
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size) noexcept;
  void update(std::string_view s) noexcept { update(s.data(), s.size()); }
  Sha256Digest finish() noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Streaming portable SHA-256 (same contract as Sha256, never OpenSSL).
class Sha256Portable {
 public:
  Sha256Portable() noexcept { reset(); }
  void update(const void* data, std::size_t size) noexcept;
  void update(std::string_view s) noexcept { update(s.data(), s.size()); }
  Sha256Digest finish() noexcept;
  void reset() noexcept;

 private:
  std::uint32_t h_[8];
  std::uint8_t block_[64];
  std::size_t block_len_;
  std::uint64_t total_len_;
};

// Streaming XXH3-64: digest() may be called at any time and does not end the stream.
class Xxh3Stream {
 public:
  explicit Xxh3Stream(std::uint64_t seed = 0) noexcept;
  ~Xxh3Stream();
  Xxh3Stream(Xxh3Stream&&) noexcept;
  Xxh3Stream& operator=(Xxh3Stream&&) noexcept;
  Xxh3Stream(const Xxh3Stream&) = delete;
  Xxh3Stream& operator=(const Xxh3Stream&) = delete;

  void update(const void* data, std::size_t size) noexcept;
  void update(std::string_view s) noexcept { update(s.data(), s.size()); }
  std::uint64_t digest() const noexcept;
  void reset(std::uint64_t seed = 0) noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Lower-case hex. Integers are written big-endian, zero-padded (as xxhsum prints them):
// to_hex(uint64) is 16 chars, to_hex(Hash128) is 32 chars (high then low).
std::string to_hex(const void* data, std::size_t size);
inline std::string to_hex(std::span<const std::uint8_t> bytes) {
  return to_hex(bytes.data(), bytes.size());
}
std::string to_hex(std::uint64_t value);
std::string to_hex(const Hash128& value);

// ---------------------------------------------------------------------------------------------
// File checksum: reads in 1 MiB chunks (bounded memory), returns lower-case hex
// (sha256: 64 chars; xxh3: XXH3-64 with seed 0, 16 chars).
// ---------------------------------------------------------------------------------------------
enum class ChecksumAlgorithm { sha256, xxh3 };

// "sha256" / "xxh3" (also "xxh3_64", "xxh3-64") -> algorithm; anything else -> nullopt.
std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name) noexcept;

inline constexpr std::size_t kFileChecksumChunkBytes = std::size_t{1} << 20;

// Errors are messages naming the path and the cause, e.g.
// "cannot open '/x': No such file or directory", "'/tmp' is a directory".
Result<std::string, std::string> file_checksum(
    const std::string& path, ChecksumAlgorithm algorithm = ChecksumAlgorithm::sha256);

// ---------------------------------------------------------------------------------------------
// Number theory
// ---------------------------------------------------------------------------------------------
// count_primes(n) = pi(n): how many primes p satisfy 2 <= p <= n (so 0 and 1 give 0, 2 gives 1).
// Segmented, odd-only sieve of Eratosthenes; memory is O(sqrt(n)) plus one cache-sized segment.
// n > kCountPrimesMaxN -> limit_exceeded (bounds the work, not the memory).
inline constexpr std::uint64_t kCountPrimesMaxN = 100'000'000'000ULL;  // 1e11
Result<std::uint64_t, KernelError> count_primes(std::uint64_t n);

// fibonacci(n): F(0)=0, F(1)=1, F(n)=F(n-1)+F(n-2), exact, as a decimal string.
// n > kFibonacciMaxN -> limit_exceeded (F(1e6) has 208,988 digits).
// Native builds use GMP (HOTPATH_KERNELS_GMP); others the portable implementation below.
inline constexpr std::uint64_t kFibonacciMaxN = 1'000'000;
Result<std::string, KernelError> fibonacci(std::uint64_t n);

// F(n) as the little-endian 64-bit words of its binary value (F(0) = no words), so a host can
// build a big integer directly (Node: napi_create_bigint_words) without a decimal round trip.
Result<std::vector<std::uint64_t>, KernelError> fibonacci_words(std::uint64_t n);

// The portable implementations (fast doubling over base-1e9 limbs, Karatsuba), used where
// GMP is not built in (wasm); always compiled so native tests can check them against GMP.
Result<std::string, KernelError> fibonacci_portable(std::uint64_t n);
Result<std::vector<std::uint64_t>, KernelError> fibonacci_words_portable(std::uint64_t n);

// F(n) as an integer for n <= kFibonacciU64MaxN (F(93) = 12200160415121876738 is the last that
// fits in 64 bits); larger n -> limit_exceeded.
inline constexpr std::uint64_t kFibonacciU64MaxN = 93;
Result<std::uint64_t, KernelError> fibonacci_u64(std::uint64_t n);

// ---------------------------------------------------------------------------------------------
// Financial metrics over a price series (oldest first)
// ---------------------------------------------------------------------------------------------
// Every price must be finite and > 0, every volume finite and >= 0; otherwise invalid_price /
// invalid_volume with the first offending index. n == 0 -> empty_input. Null pointer with n > 0
// -> invalid_argument.
enum class ReturnKind {
  simple,  // r[i] = p[i+1] / p[i] - 1
  log,     // r[i] = ln(p[i+1] / p[i])
};

struct MetricsOptions {
  double periods_per_year = 252.0;          // must be finite and > 0
  double risk_free_rate = 0.0;              // per period, same unit as the returns; must be finite
  ReturnKind returns = ReturnKind::simple;  // which returns mean/volatility/Sharpe use
};

struct Drawdown {
  double value;      // largest peak-to-trough fall as a positive fraction (0.25 = -25%); 0 if none
  std::size_t peak;  // index of the peak price of that fall (== trough when value == 0)
  std::size_t trough;  // index of the trough price
};

struct Metrics {
  std::size_t count;   // number of prices
  double mean_return;  // arithmetic mean of the n-1 returns; NaN when n < 2
  double volatility;   // sample standard deviation (divisor n-2) of the returns; NaN when n < 3
  double annualized_return;      // mean_return * periods_per_year
  double annualized_volatility;  // volatility * sqrt(periods_per_year)
  double sharpe;                 // annualised: (mean_return - risk_free_rate) / volatility *
                                 // sqrt(periods_per_year); NaN when volatility is 0 or NaN
  double max_drawdown;           // see Drawdown
  std::size_t max_drawdown_peak;
  std::size_t max_drawdown_trough;
  double vwap;  // sum(p*v) / sum(v); NaN without volumes or when sum(v) == 0
  double min;   // smallest price
  double max;   // largest price
};

// Write the n-1 returns into out[0..n-1) (out must hold max(n,1)-1 doubles) and return how
// many were written (0 when n < 2).
Result<std::size_t, KernelError> simple_returns(const double* prices, std::size_t n, double* out);
Result<std::size_t, KernelError> log_returns(const double* prices, std::size_t n, double* out);

// Scalar metrics, defined exactly as the Metrics fields above (options.returns picks the kind).
Result<double, KernelError> mean_return(const double* prices, std::size_t n,
                                        const MetricsOptions& options = {});
Result<double, KernelError> volatility(const double* prices, std::size_t n,
                                       const MetricsOptions& options = {});
Result<double, KernelError> annualized_return(const double* prices, std::size_t n,
                                              const MetricsOptions& options = {});
Result<double, KernelError> annualized_volatility(const double* prices, std::size_t n,
                                                  const MetricsOptions& options = {});
Result<double, KernelError> sharpe_ratio(const double* prices, std::size_t n,
                                         const MetricsOptions& options = {});
Result<Drawdown, KernelError> max_drawdown(const double* prices, std::size_t n);
Result<double, KernelError> vwap(const double* prices, const double* volumes, std::size_t n);

// Everything above in one call (so a host crosses into native once); the data is read in a few
// streaming passes (validation, returns, drawdown/min/max, vwap).
// volumes may be null (vwap is then NaN).
Result<Metrics, KernelError> compute_metrics(const double* prices, std::size_t n,
                                             const double* volumes = nullptr,
                                             const MetricsOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Sorting typed arrays in place, with exactly JS TypedArray.prototype.sort() semantics:
// ascending numeric order; for floats -0 sorts before +0 and every NaN goes to the end (NaNs keep
// their bit patterns, in their original relative order). LSD radix sort for large n, std::sort
// below ~256 elements. Never throws; if the scratch buffer cannot be allocated it falls back to
// an in-place std::sort with the same ordering.
// ---------------------------------------------------------------------------------------------
void sort(std::int8_t* data, std::size_t n) noexcept;
void sort(std::uint8_t* data, std::size_t n) noexcept;
void sort(std::int16_t* data, std::size_t n) noexcept;
void sort(std::uint16_t* data, std::size_t n) noexcept;
void sort(std::int32_t* data, std::size_t n) noexcept;
void sort(std::uint32_t* data, std::size_t n) noexcept;
void sort(std::int64_t* data, std::size_t n) noexcept;
void sort(std::uint64_t* data, std::size_t n) noexcept;
void sort(float* data, std::size_t n) noexcept;
void sort(double* data, std::size_t n) noexcept;

}  // namespace hotpath::kernels
