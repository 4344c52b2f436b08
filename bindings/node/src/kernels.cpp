#include "kernels.h"

#include <cctype>
#include <cmath>
#include <string>

#include "addon_data.h"
#include "hotpath/kernels.h"
#include "input.h"
#include "js_errors.h"

namespace hotpath::node {
namespace {

namespace k = hotpath::kernels;

[[noreturn]] void throw_kernel_error(Napi::Env env, const k::KernelError& e) {
  std::string code = "HOTPATH_";
  for (char c : k::error_code_name(e.code))
    code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Napi::Error err = make_error(env, ErrorKind::range_error, code.c_str(), e.message);
  if (e.code == k::KernelErrorCode::invalid_price || e.code == k::KernelErrorCode::invalid_volume) {
    err.Set("index", Napi::Number::New(env, static_cast<double>(e.index)));
  }
  throw err;
}

std::string_view bytes_arg(const Napi::CallbackInfo& info) {
  return input_bytes(info.Env(), info[0], AddonData::of(info.Env()).utf8_scratch, "data");
}

uint64_t seed_arg(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || info[i].IsUndefined()) return 0;
  if (!info[i].IsBigInt())
    throw_invalid_arg_type(info.Env(), "The \"seed\" argument must be of type bigint");
  bool lossless = false;
  return info[i].As<Napi::BigInt>().Uint64Value(&lossless);
}

// A non-negative integer argument given as a Number (lib/ checks ranges with friendly text).
uint64_t count_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  double d =
      info.Length() > i && info[i].IsNumber() ? info[i].As<Napi::Number>().DoubleValue() : -1;
  if (!(d >= 0) || d != std::floor(d) || d > 9007199254740991.0) {
    throw_error(info.Env(), ErrorKind::range_error, "ERR_OUT_OF_RANGE",
                std::string("The \"") + what + "\" argument must be a non-negative safe integer");
  }
  return static_cast<uint64_t>(d);
}

Napi::Float64Array float64_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw_invalid_arg_type(info.Env(), std::string("The \"") + what +
                                           "\" argument must be an instance of Float64Array");
  }
  return info[i].As<Napi::Float64Array>();
}

Napi::Value Xxh64(const Napi::CallbackInfo& info) {
  std::string_view b = bytes_arg(info);
  return Napi::BigInt::New(info.Env(), k::xxh64(b.data(), b.size(), seed_arg(info, 1)));
}

Napi::Value Xxh3(const Napi::CallbackInfo& info) {
  std::string_view b = bytes_arg(info);
  return Napi::BigInt::New(info.Env(), k::xxh3_64(b.data(), b.size(), seed_arg(info, 1)));
}

Napi::Value Xxh3_128(const Napi::CallbackInfo& info) {
  std::string_view b = bytes_arg(info);
  k::Hash128 h = k::xxh3_128(b.data(), b.size(), seed_arg(info, 1));
  const uint64_t words[2] = {h.low, h.high};  // least significant word first
  return Napi::BigInt::New(info.Env(), 0, 2, words);
}

// sha256(data, asBuffer) -> lower-case hex string, or a 32-byte Buffer.
Napi::Value Sha256(const Napi::CallbackInfo& info) {
  std::string_view b = bytes_arg(info);
  k::Sha256Digest d = k::sha256(b.data(), b.size());
  if (info.Length() > 1 && info[1].ToBoolean())
    return Napi::Buffer<uint8_t>::Copy(info.Env(), d.data(), d.size());
  return Napi::String::New(info.Env(), k::to_hex(d.data(), d.size()));
}

Napi::Value CountPrimes(const Napi::CallbackInfo& info) {
  auto r = k::count_primes(count_arg(info, 0, "n"));
  if (!r.ok()) throw_kernel_error(info.Env(), r.error());
  return Napi::Number::New(info.Env(), static_cast<double>(*r));  // pi(1e11) < 2^53: exact
}

// fibonacci(n): a Number while F(n) < 2^53 (n <= 78), a BigInt beyond, built straight from
// the binary words (no decimal string in between).
Napi::Value Fibonacci(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t n = count_arg(info, 0, "n");
  if (n <= k::kFibonacciU64MaxN) {
    auto r = k::fibonacci_u64(n);
    if (!r.ok()) throw_kernel_error(env, r.error());
    if (n <= 78) return Napi::Number::New(env, static_cast<double>(*r));
    return Napi::BigInt::New(env, *r);
  }
  auto r = k::fibonacci_words(n);
  if (!r.ok()) throw_kernel_error(env, r.error());
  return Napi::BigInt::New(env, 0, r->size(), r->data());
}

k::MetricsOptions metrics_options(const Napi::CallbackInfo& info, size_t i) {
  k::MetricsOptions o;
  if (info.Length() > i && info[i].IsNumber())
    o.periods_per_year = info[i].As<Napi::Number>().DoubleValue();
  if (info.Length() > i + 1 && info[i + 1].IsNumber())
    o.risk_free_rate = info[i + 1].As<Napi::Number>().DoubleValue();
  if (info.Length() > i + 2 && info[i + 2].ToBoolean()) o.returns = k::ReturnKind::log;
  return o;
}

// metrics(prices, volumes | undefined, periodsPerYear, riskFreeRate, logReturns) -> one call of
// the JS factory with the twelve values in order.
Napi::Value Metrics(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float64Array prices = float64_arg(info, 0, "prices");
  const double* volumes = nullptr;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    Napi::Float64Array v = float64_arg(info, 1, "volumes");
    if (v.ElementLength() != prices.ElementLength()) {
      throw_error(env, ErrorKind::range_error, "ERR_INVALID_ARG_VALUE",
                  "The \"volumes\" array must have as many elements as \"prices\" (" +
                      std::to_string(v.ElementLength()) + " vs " +
                      std::to_string(prices.ElementLength()) + ")");
    }
    volumes = v.Data();
  }
  auto r =
      k::compute_metrics(prices.Data(), prices.ElementLength(), volumes, metrics_options(info, 2));
  if (!r.ok()) throw_kernel_error(env, r.error());
  const k::Metrics& m = *r;
  auto num = [&](double d) -> napi_value { return Napi::Number::New(env, d); };
  return AddonData::of(env).metrics_result.Call(
      {num(static_cast<double>(m.count)), num(m.mean_return), num(m.volatility),
       num(m.annualized_return), num(m.annualized_volatility), num(m.sharpe), num(m.max_drawdown),
       num(static_cast<double>(m.max_drawdown_peak)),
       num(static_cast<double>(m.max_drawdown_trough)), num(m.vwap), num(m.min), num(m.max)});
}

// returns(prices, log) -> Float64Array of the n-1 period returns.
Napi::Value Returns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float64Array prices = float64_arg(info, 0, "prices");
  size_t n = prices.ElementLength();
  bool log = info.Length() > 1 && info[1].ToBoolean();
  Napi::Float64Array out = Napi::Float64Array::New(env, n > 1 ? n - 1 : 0);
  // The allocation may have run JS-visible GC, but typed array memory does not move.
  auto r = log ? k::log_returns(prices.Data(), n, out.Data())
               : k::simple_returns(prices.Data(), n, out.Data());
  if (!r.ok()) throw_kernel_error(env, r.error());
  return out;
}

template <typename T>
void sort_view(Napi::TypedArray a) {
  k::sort(reinterpret_cast<T*>(static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset()),
          a.ElementLength());
}

// sort(typedArray): in place, TypedArray.prototype.sort() order.
Napi::Value Sort(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) {
    throw_invalid_arg_type(env, "The \"array\" argument must be an instance of TypedArray");
  }
  Napi::TypedArray a = info[0].As<Napi::TypedArray>();
  if (a.ElementLength() == 0) return env.Undefined();
  switch (a.TypedArrayType()) {
    case napi_int8_array:
      sort_view<int8_t>(a);
      break;
    case napi_uint8_array:
    case napi_uint8_clamped_array:
      sort_view<uint8_t>(a);
      break;
    case napi_int16_array:
      sort_view<int16_t>(a);
      break;
    case napi_uint16_array:
      sort_view<uint16_t>(a);
      break;
    case napi_int32_array:
      sort_view<int32_t>(a);
      break;
    case napi_uint32_array:
      sort_view<uint32_t>(a);
      break;
    case napi_float32_array:
      sort_view<float>(a);
      break;
    case napi_float64_array:
      sort_view<double>(a);
      break;
    case napi_bigint64_array:
      sort_view<int64_t>(a);
      break;
    case napi_biguint64_array:
      sort_view<uint64_t>(a);
      break;
    default:
      throw_invalid_arg_type(env, "sort() does not support this TypedArray type");
  }
  return env.Undefined();
}

// fileChecksum(path, algorithm): reads and hashes the file on a libuv pool thread.
class ChecksumWorker final : public Napi::AsyncWorker {
 public:
  ChecksumWorker(Napi::Env env, std::string path, k::ChecksumAlgorithm algorithm)
      : Napi::AsyncWorker(env, "hotpath:fileChecksum"),
        deferred_(Napi::Promise::Deferred::New(env)),
        path_(std::move(path)),
        algorithm_(algorithm) {}
  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    auto r = k::file_checksum(path_, algorithm_);
    if (r.ok()) {
      hex_ = std::move(*r);
    } else {
      SetError(r.error());
    }
  }
  void OnOK() override {
    settle_promise(deferred_, [&] { deferred_.Resolve(Napi::String::New(Env(), hex_)); });
  }
  void OnError(const Napi::Error& e) override {
    settle_promise(deferred_, [&] {
      Napi::Error err = make_error(Env(), ErrorKind::error, "HOTPATH_FILE_ERROR", e.Message());
      err.Set("path", Napi::String::New(Env(), path_));
      deferred_.Reject(err.Value());
    });
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::string path_;
  k::ChecksumAlgorithm algorithm_;
  std::string hex_;
};

Napi::Value FileChecksum(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString())
    throw_invalid_arg_type(env, "The \"path\" argument must be of type string");
  std::string name =
      info.Length() > 1 && info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "sha256";
  auto algorithm = k::parse_checksum_algorithm(name);
  if (!algorithm) {
    throw_error(env, ErrorKind::type_error, "ERR_INVALID_ARG_VALUE",
                "The \"algorithm\" argument must be 'sha256' or 'xxh3'. Received '" + name + "'");
  }
  auto* worker = new ChecksumWorker(env, info[0].As<Napi::String>().Utf8Value(), *algorithm);
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

}  // namespace

void register_kernels(Napi::Env env, Napi::Object exports) {
  exports.Set("xxh64", Napi::Function::New<Xxh64>(env, "xxh64"));
  exports.Set("xxh3", Napi::Function::New<Xxh3>(env, "xxh3"));
  exports.Set("xxh3_128", Napi::Function::New<Xxh3_128>(env, "xxh3_128"));
  exports.Set("sha256", Napi::Function::New<Sha256>(env, "sha256"));
  exports.Set("countPrimes", Napi::Function::New<CountPrimes>(env, "countPrimes"));
  exports.Set("fibonacci", Napi::Function::New<Fibonacci>(env, "fibonacci"));
  exports.Set("metrics", Napi::Function::New<Metrics>(env, "metrics"));
  exports.Set("returns", Napi::Function::New<Returns>(env, "returns"));
  exports.Set("sort", Napi::Function::New<Sort>(env, "sort"));
  exports.Set("fileChecksum", Napi::Function::New<FileChecksum>(env, "fileChecksum"));
  exports.Set("sha256UsesOpenssl", Napi::Boolean::New(env, k::sha256_uses_openssl()));
}

}  // namespace hotpath::node
