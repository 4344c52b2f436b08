// xxHash (header-only from Debian's libxxhash-dev), SHA-256 dispatch (OpenSSL EVP or portable),
// the streaming hashers and the hex helpers.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstring>
#include <new>

#include "hotpath/kernels.h"

#ifdef HOTPATH_KERNELS_OPENSSL
#include <openssl/evp.h>
#endif

namespace hotpath::kernels {

// ----- xxHash ---------------------------------------------------------------------------------

std::uint64_t xxh64(const void* data, std::size_t size, std::uint64_t seed) noexcept {
  return XXH64(data, size, seed);
}

std::uint64_t xxh3_64(const void* data, std::size_t size, std::uint64_t seed) noexcept {
  return XXH3_64bits_withSeed(data, size, seed);
}

Hash128 xxh3_128(const void* data, std::size_t size, std::uint64_t seed) noexcept {
  const XXH128_hash_t h = XXH3_128bits_withSeed(data, size, seed);
  return Hash128{h.high64, h.low64};
}

struct Xxh3Stream::State {
  XXH3_state_t xxh;  // 64-byte aligned; operator new honours over-alignment since C++17
};

Xxh3Stream::Xxh3Stream(std::uint64_t seed) noexcept : state_(new (std::nothrow) State{}) {
  // Value-initialised: XXH3_64bits_reset_withSeed reads the previous seed (XXH3_INITSTATE).
  if (state_) XXH3_64bits_reset_withSeed(&state_->xxh, seed);
}
Xxh3Stream::~Xxh3Stream() = default;
Xxh3Stream::Xxh3Stream(Xxh3Stream&&) noexcept = default;
Xxh3Stream& Xxh3Stream::operator=(Xxh3Stream&&) noexcept = default;

void Xxh3Stream::update(const void* data, std::size_t size) noexcept {
  if (state_ && size > 0) XXH3_64bits_update(&state_->xxh, data, size);
}

std::uint64_t Xxh3Stream::digest() const noexcept {
  return state_ ? XXH3_64bits_digest(&state_->xxh) : 0;
}

void Xxh3Stream::reset(std::uint64_t seed) noexcept {
  if (!state_) state_.reset(new (std::nothrow) State{});
  if (state_) XXH3_64bits_reset_withSeed(&state_->xxh, seed);
}

// ----- SHA-256 dispatch -----------------------------------------------------------------------

#ifdef HOTPATH_KERNELS_OPENSSL
namespace {

// Fetched once: an explicit fetch avoids OpenSSL 3's per-call implicit provider lookup.
const EVP_MD* sha256_md() noexcept {
  static const EVP_MD* md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

struct EvpCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using EvpCtx = std::unique_ptr<EVP_MD_CTX, EvpCtxDeleter>;

// One context per thread, reused by one-shot sha256() so a call allocates nothing.
EVP_MD_CTX* thread_ctx() noexcept {
  thread_local EvpCtx ctx(EVP_MD_CTX_new());
  return ctx.get();
}

bool evp_digest(EVP_MD_CTX* ctx, const void* data, std::size_t size, Sha256Digest& out) noexcept {
  unsigned int len = 0;
  return ctx != nullptr && EVP_DigestInit_ex(ctx, sha256_md(), nullptr) == 1 &&
         EVP_DigestUpdate(ctx, data, size) == 1 && EVP_DigestFinal_ex(ctx, out.data(), &len) == 1 &&
         len == out.size();
}

}  // namespace
#endif

bool sha256_uses_openssl() noexcept {
#ifdef HOTPATH_KERNELS_OPENSSL
  return true;
#else
  return false;
#endif
}

Sha256Digest sha256(const void* data, std::size_t size) noexcept {
#ifdef HOTPATH_KERNELS_OPENSSL
  Sha256Digest out;
  if (evp_digest(thread_ctx(), data, size, out)) return out;
#endif
  return sha256_portable(data, size);
}

struct Sha256::State {
  Sha256Portable portable;
#ifdef HOTPATH_KERNELS_OPENSSL
  EvpCtx ctx;
  bool use_evp = false;  // false: OpenSSL unavailable or failed at init; the portable code runs

  void begin() noexcept {
    if (!ctx) ctx.reset(EVP_MD_CTX_new());
    use_evp = ctx && EVP_DigestInit_ex(ctx.get(), sha256_md(), nullptr) == 1;
    portable.reset();
  }
#else
  void begin() noexcept { portable.reset(); }
#endif
};

Sha256::Sha256() noexcept : state_(new (std::nothrow) State{}) {
  if (state_) state_->begin();
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) noexcept {
  if (!state_ || size == 0) return;
#ifdef HOTPATH_KERNELS_OPENSSL
  if (state_->use_evp) {
    if (EVP_DigestUpdate(state_->ctx.get(), data, size) == 1) return;
    // An update failing mid-stream cannot be recovered (the earlier bytes are gone): drop the
    // state so finish() returns an all-zero digest rather than a plausible wrong one.
    state_.reset();
    return;
  }
#endif
  state_->portable.update(data, size);
}

Sha256Digest Sha256::finish() noexcept {
  Sha256Digest out{};
  if (!state_) {
    state_.reset(new (std::nothrow) State{});
    if (state_) state_->begin();
    return out;
  }
#ifdef HOTPATH_KERNELS_OPENSSL
  if (state_->use_evp) {
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(state_->ctx.get(), out.data(), &len) != 1 || len != out.size()) {
      out.fill(0);
    }
    state_->begin();
    return out;
  }
#endif
  out = state_->portable.finish();
  state_->begin();
  return out;
}

// ----- hex ------------------------------------------------------------------------------------

namespace {
constexpr char kHexDigits[] = "0123456789abcdef";
}

std::string to_hex(const void* data, std::size_t size) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  std::string out(size * 2, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kHexDigits[bytes[i] >> 4];
    out[2 * i + 1] = kHexDigits[bytes[i] & 0x0f];
  }
  return out;
}

std::string to_hex(std::uint64_t value) {
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4)
    out[static_cast<std::size_t>(i)] = kHexDigits[value & 0x0f];
  return out;
}

std::string to_hex(const Hash128& value) { return to_hex(value.high) + to_hex(value.low); }

}  // namespace hotpath::kernels
