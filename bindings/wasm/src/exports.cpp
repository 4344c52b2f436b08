// The C ABI of the wasm module: every function listed in ../exports.txt. lib/ is the public
// API; it copies arguments into the module's input area (hp_input), calls one of these, and
// reads the answer from the result string (hp_result_data/size) or the fixed out area (hp_out).
// Bytes in, bytes out (DESIGN.md principle 1): nothing here knows about JS objects.
#include <emscripten/emscripten.h>
#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error_json.h"
#include "hotpath/json.h"
#include "hotpath/jsonata.h"
#include "hotpath/kernels.h"
#include "hotpath/schema.h"

namespace {

namespace json = hotpath::json;
namespace schema = hotpath::schema;
namespace jsonata = hotpath::jsonata;
namespace kernels = hotpath::kernels;
using hotpath::node::parse_error_output;
using hotpath::node::write_ajv_errors;
using hotpath::node::write_ajv_parse_error;

// Scratch space above this is returned to the allocator after a call, so one huge input does
// not pin its size for the life of the module (the Node addon's rule).
constexpr size_t kKeepScratchBytes = size_t(16) << 20;

// The module is single-threaded: one session of reused buffers.
struct Session {
  char* input = nullptr;  // malloc'd: 16-byte aligned, so Float64 arrays can live in it
  size_t input_capacity = 0;
  std::string result;
  std::vector<uint8_t> flags;  // validateMany: 1/0 per line
  alignas(16) double out[16];  // fixed-size answers (digests, metrics)
  json::Document document;

  // After a call on a large input: give the input area back (answers stay readable).
  void release_large_input() {
    if (input_capacity > kKeepScratchBytes) {
      std::free(input);
      input = nullptr;
      input_capacity = 0;
    }
  }
  // Before writing an answer: an empty result, without keeping a huge one's capacity.
  std::string& fresh_result() {
    if (result.capacity() > kKeepScratchBytes) std::string().swap(result);
    result.clear();
    return result;
  }
};

Session& session() {
  static Session s;
  return s;
}

std::string_view input(size_t size) { return {session().input, size}; }

// A compiled schema plus the last failure of validate() (errors are built lazily, when JS
// reads v.errors).
struct WasmValidator {
  explicit WasmValidator(schema::Validator v) : validator(std::move(v)) {}
  schema::Validator validator;
  std::optional<json::ParseError> last_parse_error;
  schema::Output last_output;
};

void set_compile_error(const schema::CompileError& e) {
  std::string& r = session().fresh_result();
  r += "{\"message\":";
  json::write_string(e.to_string(), r);
  r += ",\"schemaUri\":";
  json::write_string(e.schema_uri, r);
  r += ",\"location\":";
  json::write_string(e.location, r);
  r += '}';
}

// {"code","position","token","message"}: jsonata-js's error fields.
void set_jsonata_error(const jsonata::Error& e) {
  std::string& r = session().fresh_result();
  r += "{\"code\":";
  json::write_string(e.code, r);
  r += ",\"position\":";
  r += std::to_string(e.position);
  r += ",\"token\":";
  json::write_string(e.token, r);
  r += ",\"message\":";
  json::write_string(e.message, r);
  r += '}';
}

// {"what":"input"|"bindings","message","line","column"}: JSON that could not be parsed.
void set_parse_error(const char* what, const json::ParseError& e) {
  std::string& r = session().fresh_result();
  r += "{\"what\":\"";
  r += what;
  r += "\",\"message\":";
  json::write_string(e.to_string(), r);
  r += ",\"line\":";
  r += std::to_string(e.line);
  r += ",\"column\":";
  r += std::to_string(e.column);
  r += '}';
}

void set_kernel_error(const kernels::KernelError& e) {
  std::string& r = session().fresh_result();
  r += "{\"code\":";
  json::write_string(kernels::error_code_name(e.code), r);
  r += ",\"index\":";
  r += std::to_string(e.index);
  r += ",\"message\":";
  json::write_string(e.message, r);
  r += '}';
}

bool is_blank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// Parse + validate one record; on failure appends ajv's error array to `errors`. `line`
// numbers parse errors (NDJSON); `base` is the record's byte offset in the whole input.
bool validate_record(const schema::Validator& validator, std::string_view bytes, uint64_t line,
                     size_t base, std::string& errors) {
  auto parsed = session().document.parse(bytes);
  if (!parsed.ok()) {
    const json::ParseError& e = parsed.error();
    write_ajv_parse_error(e, line + (e.line > 0 ? e.line - 1 : 0), base + e.offset, errors);
    return false;
  }
  if (validator.validate(**parsed)) return true;
  write_ajv_errors(validator.evaluate(**parsed, schema::OutputFormat::basic), errors);
  return false;
}

}  // namespace

extern "C" {

// ---------------------------------------------------------------------------------------------
// Buffers shared with JS
// ---------------------------------------------------------------------------------------------

// The input area, at least `size` bytes (reused between calls; 0 when out of memory).
EMSCRIPTEN_KEEPALIVE char* hp_input(size_t size) {
  Session& s = session();
  if (size > s.input_capacity || s.input == nullptr) {
    size_t capacity = size < 4096 ? 4096 : size;
    char* grown = static_cast<char*>(std::malloc(capacity));
    if (grown == nullptr) return nullptr;
    std::free(s.input);
    s.input = grown;
    s.input_capacity = capacity;
  }
  return s.input;
}

EMSCRIPTEN_KEEPALIVE const char* hp_result_data() { return session().result.data(); }
EMSCRIPTEN_KEEPALIVE size_t hp_result_size() { return session().result.size(); }
EMSCRIPTEN_KEEPALIVE double* hp_out() { return session().out; }
EMSCRIPTEN_KEEPALIVE const uint8_t* hp_flags() { return session().flags.data(); }

// Bytes of the heap in use by malloc (leak tests compare it across many calls).
EMSCRIPTEN_KEEPALIVE size_t hp_heap_in_use() {
  struct mallinfo m = mallinfo();
  return static_cast<size_t>(m.uordblks);
}

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

// Options: the dialect name (or metaschema URI) is the first `dialect_size` bytes of the input
// area. Returns 0 for an unknown dialect.
EMSCRIPTEN_KEEPALIVE schema::Compiler* hp_compiler_new(int assert_formats, size_t dialect_size) {
  schema::CompileOptions options;
  options.assert_formats = assert_formats != 0;
  if (dialect_size > 0) {
    auto d = schema::dialect_from_name(input(dialect_size));
    if (!d) return nullptr;
    options.default_dialect = *d;
  }
  return new schema::Compiler(std::move(options));
}

EMSCRIPTEN_KEEPALIVE void hp_compiler_free(schema::Compiler* compiler) { delete compiler; }

// The input area holds the schema text followed by the URI. Returns 1 with the registered URI
// as the result, or 0 with {"message","schemaUri","location"}.
EMSCRIPTEN_KEEPALIVE int hp_compiler_add_schema(schema::Compiler* compiler, size_t schema_size,
                                                size_t uri_size) {
  std::string_view all = input(schema_size + uri_size);
  auto added = compiler->add_schema(all.substr(0, schema_size), all.substr(schema_size));
  if (!added.ok()) {
    set_compile_error(added.error());
    return 0;
  }
  session().fresh_result() = *added;
  return 1;
}

// Same layout as hp_compiler_add_schema. Returns the validator, or 0 with the compile error.
EMSCRIPTEN_KEEPALIVE WasmValidator* hp_compiler_compile(schema::Compiler* compiler,
                                                        size_t schema_size, size_t uri_size) {
  std::string_view all = input(schema_size + uri_size);
  auto compiled = compiler->compile(all.substr(0, schema_size), all.substr(schema_size));
  session().release_large_input();
  if (!compiled.ok()) {
    set_compile_error(compiled.error());
    return nullptr;
  }
  return new WasmValidator(std::move(*compiled));
}

EMSCRIPTEN_KEEPALIVE void hp_validator_free(WasmValidator* v) { delete v; }

// ---------------------------------------------------------------------------------------------
// Validation: the instance is the first `size` bytes of the input area
// ---------------------------------------------------------------------------------------------

// v(data): 1 valid, 0 invalid (the failure is kept for hp_errors).
EMSCRIPTEN_KEEPALIVE int hp_validate(WasmValidator* v, size_t size) {
  Session& s = session();
  auto parsed = s.document.parse(input(size));
  int valid;
  if (!parsed.ok()) {
    v->last_parse_error = parsed.error();
    valid = 0;
  } else if (v->validator.validate(**parsed)) {
    valid = 1;
  } else {
    v->last_parse_error.reset();
    v->last_output = v->validator.evaluate(**parsed, schema::OutputFormat::basic);
    valid = 0;
  }
  s.release_large_input();
  return valid;
}

// v.errors of the last failed hp_validate, as ajv's array (result).
EMSCRIPTEN_KEEPALIVE void hp_errors(WasmValidator* v) {
  std::string& out = session().fresh_result();
  if (v->last_parse_error) {
    const json::ParseError& e = *v->last_parse_error;
    write_ajv_parse_error(e, e.line, e.offset, out);
  } else {
    write_ajv_errors(v->last_output, out);
  }
}

// validateAsync's work: 1 valid, or 0 with ajv's error array as the result.
EMSCRIPTEN_KEEPALIVE int hp_evaluate(WasmValidator* v, size_t size) {
  Session& s = session();
  bool valid = validate_record(v->validator, input(size), 1, 0, s.fresh_result());
  s.release_large_input();
  return valid ? 1 : 0;
}

// v.check(data, {output}): the standard output unit (result). format: 0 flag, 1 basic.
EMSCRIPTEN_KEEPALIVE void hp_check(WasmValidator* v, size_t size, int format) {
  Session& s = session();
  std::string& out = s.fresh_result();
  schema::OutputFormat f = format == 0 ? schema::OutputFormat::flag : schema::OutputFormat::basic;
  auto parsed = s.document.parse(input(size));
  if (!parsed.ok()) {
    out = parse_error_output(parsed.error(), f);
  } else if (v->validator.validate(**parsed)) {
    out = "{\"valid\":true}";
  } else if (f == schema::OutputFormat::flag) {
    out = "{\"valid\":false}";
  } else {
    v->validator.evaluate(**parsed, schema::OutputFormat::basic).write_json(out);
  }
  s.release_large_input();
}

// v.validateMany(ndjson): returns the number of lines; hp_flags holds 1/0 per line and the
// result [{"line":N,"errors":[...]}, ...] for the invalid ones. The CLI's --ndjson rules: a final
// line without '\n' is a record, a trailing '\n' does not start one, a blank line is invalid.
EMSCRIPTEN_KEEPALIVE size_t hp_validate_many(WasmValidator* v, size_t size) {
  Session& s = session();
  std::string_view all = input(size);
  size_t lines = 0;
  for (const char* p = all.data();
       (p = static_cast<const char*>(std::memchr(p, '\n', all.data() + all.size() - p))); ++p) {
    ++lines;
  }
  if (!all.empty() && all.back() != '\n') ++lines;

  if (s.flags.capacity() > kKeepScratchBytes) std::vector<uint8_t>().swap(s.flags);
  s.flags.assign(lines, 0);
  std::string& errors = s.fresh_result();
  errors += '[';
  size_t pos = 0;
  for (size_t i = 0; i < lines; ++i) {
    const void* nl = std::memchr(all.data() + pos, '\n', all.size() - pos);
    size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - all.data()) : all.size();
    std::string_view record = all.substr(pos, end - pos);
    uint64_t line = i + 1;
    size_t mark = errors.size();
    if (errors.size() > 1) errors += ',';
    errors += "{\"line\":";
    errors += std::to_string(line);
    errors += ",\"errors\":";
    bool ok;
    if (is_blank(record)) {
      json::ParseError e{"empty line", 1, 1, 0};
      write_ajv_parse_error(e, line, pos, errors);
      ok = false;
    } else {
      ok = validate_record(v->validator, record, line, pos, errors);
    }
    if (ok) {
      errors.resize(mark);
    } else {
      errors += '}';
    }
    s.flags[i] = ok ? 1 : 0;
    pos = end + 1;
  }
  errors += ']';
  s.release_large_input();
  return lines;
}

// ---------------------------------------------------------------------------------------------
// JSONata
// ---------------------------------------------------------------------------------------------

// The expression is the first `size` bytes of the input area. Returns it compiled, or 0 with
// the error {"code","position","token","message"} as the result.
EMSCRIPTEN_KEEPALIVE jsonata::Expression* hp_jsonata_compile(size_t size) {
  auto compiled = jsonata::Expression::compile(input(size));
  if (!compiled.ok()) {
    set_jsonata_error(compiled.error());
    return nullptr;
  }
  return new jsonata::Expression(std::move(*compiled));
}

EMSCRIPTEN_KEEPALIVE void hp_jsonata_free(jsonata::Expression* e) { delete e; }

// The input area holds the input JSON (`input_size` bytes; has_input 0 = no input at all),
// then the bindings object's JSON (`bindings_size` bytes, 0 = none). Returns 1 with the
// result's JSON as the result, 0 for an undefined result, -1 with a jsonata error, -2 with a
// parse error of the input or the bindings.
EMSCRIPTEN_KEEPALIVE int hp_jsonata_evaluate(jsonata::Expression* e, int has_input,
                                             size_t input_size, size_t bindings_size,
                                             uint32_t timeout_ms, uint32_t max_depth) {
  Session& s = session();
  std::string_view all = input(input_size + bindings_size);
  // The bindings need their own document: input values live in session().document.
  static json::Document bindings_doc;
  jsonata::Bindings bindings;
  const jsonata::Bindings* bindings_ptr = nullptr;
  if (bindings_size > 0) {
    auto b = bindings_doc.parse(all.substr(input_size));
    if (!b.ok()) {
      set_parse_error("bindings", b.error());
      return -2;
    }
    if (!bindings.set_all(**b)) {
      set_parse_error("bindings", json::ParseError{"bindings must be a JSON object", 1, 1, 0});
      return -2;
    }
    bindings_ptr = &bindings;
  }
  const json::Value* root = nullptr;
  if (has_input) {
    auto parsed = s.document.parse(all.substr(0, input_size));
    if (!parsed.ok()) {
      s.release_large_input();
      set_parse_error("input", parsed.error());
      return -2;
    }
    root = *parsed;
  }
  s.release_large_input();
  jsonata::Limits limits;
  limits.timeout_ms = timeout_ms;
  limits.max_depth = max_depth;
  std::string& out = s.fresh_result();
  auto r = e->evaluate(root, out, bindings_ptr, limits);
  if (!r.ok()) {
    set_jsonata_error(r.error());
    return -1;
  }
  return *r ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Kernels: data is the first `size` bytes of the input area; fixed-size answers go to hp_out
// ---------------------------------------------------------------------------------------------
EMSCRIPTEN_KEEPALIVE void hp_xxh64(size_t size, uint32_t seed_low, uint32_t seed_high) {
  uint64_t h = kernels::xxh64(session().input, size, (uint64_t(seed_high) << 32) | seed_low);
  std::memcpy(session().out, &h, 8);
}

EMSCRIPTEN_KEEPALIVE void hp_xxh3(size_t size, uint32_t seed_low, uint32_t seed_high) {
  uint64_t h = kernels::xxh3_64(session().input, size, (uint64_t(seed_high) << 32) | seed_low);
  std::memcpy(session().out, &h, 8);
}

// Writes the low then the high 64-bit word.
EMSCRIPTEN_KEEPALIVE void hp_xxh3_128(size_t size, uint32_t seed_low, uint32_t seed_high) {
  kernels::Hash128 h =
      kernels::xxh3_128(session().input, size, (uint64_t(seed_high) << 32) | seed_low);
  std::memcpy(session().out, &h.low, 8);
  std::memcpy(reinterpret_cast<char*>(session().out) + 8, &h.high, 8);
}

EMSCRIPTEN_KEEPALIVE void hp_sha256(size_t size) {
  kernels::Sha256Digest d = kernels::sha256(session().input, size);
  std::memcpy(session().out, d.data(), d.size());
}

// π(n) (n <= 1e11, an integer-valued double), or -1 with the error as the result.
EMSCRIPTEN_KEEPALIVE double hp_count_primes(double n) {
  auto r = kernels::count_primes(static_cast<uint64_t>(n));
  if (!r.ok()) {
    set_kernel_error(r.error());
    return -1;
  }
  return static_cast<double>(*r);
}

// F(n) in decimal as the result; 0 with the error as the result.
EMSCRIPTEN_KEEPALIVE int hp_fibonacci(uint32_t n) {
  auto r = kernels::fibonacci(n);
  if (!r.ok()) {
    set_kernel_error(r.error());
    return 0;
  }
  session().fresh_result() = std::move(*r);
  return 1;
}

// Prices are n doubles at the start of the input area, volumes (if any) the next n. Writes the
// 12 metrics to hp_out in the order of financialMetrics' result; 0 with the error as the result.
EMSCRIPTEN_KEEPALIVE int hp_metrics(size_t n, int has_volumes, double periods_per_year,
                                    double risk_free_rate, int log_returns) {
  const double* prices = reinterpret_cast<const double*>(session().input);
  kernels::MetricsOptions options;
  options.periods_per_year = periods_per_year;
  options.risk_free_rate = risk_free_rate;
  options.returns = log_returns ? kernels::ReturnKind::log : kernels::ReturnKind::simple;
  auto r = kernels::compute_metrics(prices, n, has_volumes ? prices + n : nullptr, options);
  if (!r.ok()) {
    set_kernel_error(r.error());
    return 0;
  }
  const kernels::Metrics& m = *r;
  double* out = session().out;
  const double values[12] = {static_cast<double>(m.count),
                             m.mean_return,
                             m.volatility,
                             m.annualized_return,
                             m.annualized_volatility,
                             m.sharpe,
                             m.max_drawdown,
                             static_cast<double>(m.max_drawdown_peak),
                             static_cast<double>(m.max_drawdown_trough),
                             m.vwap,
                             m.min,
                             m.max};
  std::memcpy(out, values, sizeof values);
  return 1;
}

// Prices are n doubles at the start of the input area; the n-1 returns are written right after
// them. Returns 1, or 0 with the error as the result.
EMSCRIPTEN_KEEPALIVE int hp_returns(size_t n, int log_returns) {
  const double* prices = reinterpret_cast<const double*>(session().input);
  double* out = reinterpret_cast<double*>(session().input) + n;
  auto r =
      log_returns ? kernels::log_returns(prices, n, out) : kernels::simple_returns(prices, n, out);
  if (!r.ok()) {
    set_kernel_error(r.error());
    return 0;
  }
  return 1;
}

// Sorts n elements at the start of the input area in TypedArray.prototype.sort() order.
// kind: 0 int8, 1 uint8, 2 int16, 3 uint16, 4 int32, 5 uint32, 6 int64, 7 uint64, 8 float32,
// 9 float64. Returns 0 for an unknown kind.
EMSCRIPTEN_KEEPALIVE int hp_sort(int kind, size_t n) {
  void* p = session().input;
  switch (kind) {
    case 0:
      kernels::sort(static_cast<int8_t*>(p), n);
      return 1;
    case 1:
      kernels::sort(static_cast<uint8_t*>(p), n);
      return 1;
    case 2:
      kernels::sort(static_cast<int16_t*>(p), n);
      return 1;
    case 3:
      kernels::sort(static_cast<uint16_t*>(p), n);
      return 1;
    case 4:
      kernels::sort(static_cast<int32_t*>(p), n);
      return 1;
    case 5:
      kernels::sort(static_cast<uint32_t*>(p), n);
      return 1;
    case 6:
      kernels::sort(static_cast<int64_t*>(p), n);
      return 1;
    case 7:
      kernels::sort(static_cast<uint64_t*>(p), n);
      return 1;
    case 8:
      kernels::sort(static_cast<float*>(p), n);
      return 1;
    case 9:
      kernels::sort(static_cast<double*>(p), n);
      return 1;
    default:
      return 0;
  }
}

}  // extern "C"
