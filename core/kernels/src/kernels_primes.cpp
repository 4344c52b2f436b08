// count_primes: segmented sieve of Eratosthenes over odd numbers only, one bit per odd number,
// segments sized for the L1 data cache. Memory: the base primes up to sqrt(n) plus one segment.
#include <algorithm>
#include <bit>
#include <cmath>
#include <vector>

#include "hotpath/kernels.h"

namespace hotpath::kernels {
namespace {

// 32 KiB of bits = 262,144 odd numbers (a span of 524,288 integers) per segment.
constexpr std::size_t kSegmentWords = 4096;
constexpr std::uint64_t kSegmentBits = kSegmentWords * 64;

std::uint64_t isqrt(std::uint64_t n) {
  auto r = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));
  while (r * r > n) --r;
  while ((r + 1) * (r + 1) <= n) ++r;
  return r;
}

// Odd primes 3..limit with a plain sieve (limit <= sqrt(kCountPrimesMaxN) ~ 316,228).
std::vector<std::uint32_t> odd_primes_up_to(std::uint32_t limit) {
  std::vector<std::uint32_t> primes;
  if (limit < 3) return primes;
  std::vector<bool> composite(limit / 2 + 1, false);  // index i <-> 2i+1
  for (std::uint32_t i = 1; 2 * i + 1 <= limit; ++i) {
    if (composite[i]) continue;
    const std::uint32_t p = 2 * i + 1;
    primes.push_back(p);
    for (std::uint64_t j = (std::uint64_t{p} * p - 1) / 2; j <= limit / 2; j += p)
      composite[j] = true;
  }
  return primes;
}

}  // namespace

Result<std::uint64_t, KernelError> count_primes(std::uint64_t n) {
  if (n > kCountPrimesMaxN) {
    return Failure{KernelError{KernelErrorCode::limit_exceeded, 0,
                               "count_primes: n=" + std::to_string(n) + " is above the limit " +
                                   std::to_string(kCountPrimesMaxN)}};
  }
  if (n < 2) return std::uint64_t{0};
  if (n < 3) return std::uint64_t{1};

  // Bit i of the sieve stands for the odd number 2i+1; i runs over [0, last].
  const std::uint64_t last = (n - 1) / 2;
  const std::vector<std::uint32_t> primes = odd_primes_up_to(static_cast<std::uint32_t>(isqrt(n)));
  std::vector<std::uint64_t> next(primes.size());  // next index to cross off, per base prime
  for (std::size_t k = 0; k < primes.size(); ++k)
    next[k] = (std::uint64_t{primes[k]} * primes[k] - 1) / 2;

  std::vector<std::uint64_t> segment(kSegmentWords);
  std::uint64_t count = 1;  // the prime 2
  for (std::uint64_t low = 0; low <= last; low += kSegmentBits) {
    const std::uint64_t bits = std::min<std::uint64_t>(kSegmentBits, last - low + 1);
    std::fill(segment.begin(), segment.end(), 0);
    if (low == 0) segment[0] |= 1;  // 1 is not prime
    std::uint64_t* const words = segment.data();
    for (std::size_t k = 0; k < primes.size(); ++k) {
      const std::uint64_t p = primes[k];
      if ((p * p - 1) / 2 >= low + bits) break;  // this prime and all later ones start further on
      std::uint64_t j = next[k];
      for (j -= low; j < bits; j += p) words[j >> 6] |= std::uint64_t{1} << (j & 63);
      next[k] = low + j;
    }
    const std::size_t full_words = static_cast<std::size_t>(bits / 64);
    std::uint64_t marked = 0;
    for (std::size_t w = 0; w < full_words; ++w)
      marked += static_cast<std::uint64_t>(std::popcount(words[w]));
    std::uint64_t counted_bits = full_words * 64;
    if (const unsigned tail = static_cast<unsigned>(bits % 64); tail != 0) {
      const std::uint64_t mask = (std::uint64_t{1} << tail) - 1;
      marked += static_cast<std::uint64_t>(std::popcount(words[full_words] & mask));
      counted_bits += tail;
    }
    count += counted_bits - marked;
  }
  return count;
}

}  // namespace hotpath::kernels
