// In-place typed-array sorting with JS TypedArray.prototype.sort() semantics. Integers: LSD
// radix sort on unsigned keys (signed values have their sign bit flipped). Floats: the same on
// the order-preserving bit transform (negative values have all bits flipped, others only the
// sign bit, so -0 < +0), with NaNs set aside first and appended in their original order.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>

#include "hotpath/kernels.h"

namespace hotpath::kernels {
namespace {

constexpr std::size_t kSmallSort = 256;  // below this std::sort beats the radix passes

// Digit width per key size: 8 bits for 16-bit keys (2 passes), 11 bits otherwise
// (3 passes for 32-bit keys, 6 for 64-bit); the histograms stay in L1/L2.
template <typename U>
constexpr unsigned kDigitBits = sizeof(U) == 2 ? 8 : 11;
template <typename U>
constexpr unsigned kPasses = (sizeof(U) * 8 + kDigitBits<U> - 1) / kDigitBits<U>;
template <typename U>
constexpr std::size_t kRadix = std::size_t{1} << kDigitBits<U>;

template <typename U>
constexpr std::size_t histogram_size() {
  return kPasses<U> * kRadix<U>;
}

template <typename U>
void build_histograms(const U* keys, std::size_t n, std::size_t* hist) {
  std::fill(hist, hist + histogram_size<U>(), 0);
  constexpr U kMask = static_cast<U>(kRadix<U> - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const U k = keys[i];
    for (unsigned p = 0; p < kPasses<U>; ++p) {
      ++hist[p * kRadix<U> + static_cast<std::size_t>((k >> (p * kDigitBits<U>)) & kMask)];
    }
  }
}

// Runs the LSD passes, ping-ponging between keys and tmp; returns the buffer holding the
// sorted keys. Passes whose digit is the same for every key are skipped.
template <typename U>
U* radix_passes(U* keys, U* tmp, std::size_t n, std::size_t* hist) {
  constexpr U kMask = static_cast<U>(kRadix<U> - 1);
  U* src = keys;
  U* dst = tmp;
  for (unsigned p = 0; p < kPasses<U>; ++p) {
    std::size_t* h = hist + p * kRadix<U>;
    const unsigned shift = p * kDigitBits<U>;
    if (h[static_cast<std::size_t>((src[0] >> shift) & kMask)] == n) continue;
    std::size_t offset = 0;
    for (std::size_t d = 0; d < kRadix<U>; ++d) {
      const std::size_t c = h[d];
      h[d] = offset;
      offset += c;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const U k = src[i];
      dst[h[static_cast<std::size_t>((k >> shift) & kMask)]++] = k;
    }
    std::swap(src, dst);
  }
  return src;
}

// ----- 8-bit: counting sort, no scratch -------------------------------------------------------

template <typename T>
void counting_sort_8bit(T* data, std::size_t n) {
  std::size_t counts[256] = {};
  for (std::size_t i = 0; i < n; ++i) {
    ++counts[static_cast<std::uint8_t>(static_cast<std::uint8_t>(data[i]) ^
                                       (std::is_signed_v<T> ? 0x80 : 0))];
  }
  std::size_t out = 0;
  for (unsigned b = 0; b < 256; ++b) {
    const T value =
        static_cast<T>(static_cast<std::uint8_t>(b ^ (std::is_signed_v<T> ? 0x80u : 0u)));
    std::fill(data + out, data + out + counts[b], value);
    out += counts[b];
  }
}

// ----- 16/32/64-bit integers ------------------------------------------------------------------

template <typename T>
void sort_integers(T* data, std::size_t n) {
  if (n < kSmallSort) {
    std::sort(data, data + n);
    return;
  }
  using U = std::make_unsigned_t<T>;
  std::unique_ptr<U[]> tmp(new (std::nothrow) U[n]);
  std::unique_ptr<std::size_t[]> hist(new (std::nothrow) std::size_t[histogram_size<U>()]);
  if (!tmp || !hist) {
    std::sort(data, data + n);
    return;
  }
  // A signed integer object may be accessed through its unsigned counterpart ([basic.lval]).
  U* keys = reinterpret_cast<U*>(data);
  constexpr U kFlip = std::is_signed_v<T> ? static_cast<U>(U{1} << (sizeof(U) * 8 - 1)) : U{0};
  if constexpr (kFlip != 0) {
    for (std::size_t i = 0; i < n; ++i) keys[i] ^= kFlip;
  }
  build_histograms(keys, n, hist.get());
  U* sorted = radix_passes(keys, tmp.get(), n, hist.get());
  if (sorted != keys) std::memcpy(keys, sorted, n * sizeof(U));
  if constexpr (kFlip != 0) {
    for (std::size_t i = 0; i < n; ++i) keys[i] ^= kFlip;
  }
}

// ----- floats ---------------------------------------------------------------------------------

template <typename F>
using FloatBits = std::conditional_t<sizeof(F) == 4, std::uint32_t, std::uint64_t>;

// JS SortCompare for numbers: NaN last, -0 before +0, otherwise numeric.
template <typename F>
bool js_less(F x, F y) {
  if (std::isnan(x)) return false;
  if (std::isnan(y)) return true;
  if (x < y) return true;
  if (y < x) return false;
  return std::signbit(x) && !std::signbit(y);
}

template <typename U>
U to_key(U bits) {
  constexpr U kSign = static_cast<U>(U{1} << (sizeof(U) * 8 - 1));
  const U negative_mask = static_cast<U>(U{0} - (bits >> (sizeof(U) * 8 - 1)));
  return bits ^ (negative_mask | kSign);
}

template <typename U>
U from_key(U key) {
  constexpr U kSign = static_cast<U>(U{1} << (sizeof(U) * 8 - 1));
  const U was_negative_mask = static_cast<U>((key >> (sizeof(U) * 8 - 1)) - U{1});
  return key ^ (was_negative_mask | kSign);
}

// Small or fallback path: moves the NaNs to the end (keeping their order), then sorts the rest
// with the JS comparator. stable_partition allocates nothing when there is no NaN.
template <typename F>
void comparison_sort_floats(F* data, std::size_t n) {
  F* const end = std::stable_partition(data, data + n, [](F v) { return !std::isnan(v); });
  std::sort(data, end, js_less<F>);
}

template <typename F>
void sort_floats(F* data, std::size_t n) {
  if (n < kSmallSort) {
    comparison_sort_floats(data, n);
    return;
  }
  using U = FloatBits<F>;
  std::unique_ptr<U[]> buffers(new (std::nothrow) U[2 * n]);
  std::unique_ptr<std::size_t[]> hist(new (std::nothrow) std::size_t[histogram_size<U>()]);
  if (!buffers || !hist) {
    comparison_sort_floats(data, n);
    return;
  }
  U* keys = buffers.get();
  U* tmp = keys + n;
  // Split: non-NaN keys into `keys`, NaNs compacted (in order) to the front of `data`.
  std::size_t count = 0;
  std::size_t nans = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const F v = data[i];
    if (std::isnan(v)) {
      std::memmove(&data[nans++], &data[i], sizeof(F));  // bit-exact, whatever the payload
    } else {
      U bits;
      std::memcpy(&bits, &v, sizeof bits);
      keys[count++] = to_key(bits);
    }
  }
  if (nans > 0) std::memmove(data + count, data, nans * sizeof(F));
  if (count == 0) return;
  build_histograms(keys, count, hist.get());
  const U* sorted = radix_passes(keys, tmp, count, hist.get());
  for (std::size_t i = 0; i < count; ++i) {
    const U bits = from_key(sorted[i]);
    std::memcpy(&data[i], &bits, sizeof bits);
  }
}

}  // namespace

void sort(std::int8_t* data, std::size_t n) noexcept { counting_sort_8bit(data, n); }
void sort(std::uint8_t* data, std::size_t n) noexcept { counting_sort_8bit(data, n); }
void sort(std::int16_t* data, std::size_t n) noexcept { sort_integers(data, n); }
void sort(std::uint16_t* data, std::size_t n) noexcept { sort_integers(data, n); }
void sort(std::int32_t* data, std::size_t n) noexcept { sort_integers(data, n); }
void sort(std::uint32_t* data, std::size_t n) noexcept { sort_integers(data, n); }
void sort(std::int64_t* data, std::size_t n) noexcept { sort_integers(data, n); }
void sort(std::uint64_t* data, std::size_t n) noexcept { sort_integers(data, n); }
void sort(float* data, std::size_t n) noexcept { sort_floats(data, n); }
void sort(double* data, std::size_t n) noexcept { sort_floats(data, n); }

}  // namespace hotpath::kernels
