// hotpath/json: parse JSON bytes into a compact read-only tree, and write JSON back out.
// Parsing runs simdjson's stage 1 (SIMD structural indexing, chosen at run time) and our own
// stage 2, and keeps every number's exact source text so that big integers, 1e400 and
// decimal arithmetic (multipleOf 0.01) can be handled exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "hotpath/result.h"

namespace hotpath::json {

enum class Type : uint8_t { null, boolean, number, string, array, object };
std::string_view type_name(Type t);  // "null", "boolean", "number", "string", "array", "object"

// How a number's value is held. The source text (Value::number_text) is always kept and is
// the exact value; the binary fields are a fast path.
enum class NumberKind : uint8_t {
  int64,    // integral and fits int64 (written without fraction/exponent): as_int64() is exact
  uint64,   // integral and fits uint64 but not int64: as_uint64() is exact
  float64,  // has a fraction or exponent, or is too large for uint64; as_double() is the
            // nearest double (may be +-inf for 1e400); use the text for exact work
};

struct Member;

// A node of a parsed document. Trivially copyable, 24 bytes; points into its Document.
class Value {
 public:
  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::null; }
  bool is_bool() const { return type_ == Type::boolean; }
  bool is_number() const { return type_ == Type::number; }
  bool is_string() const { return type_ == Type::string; }
  bool is_array() const { return type_ == Type::array; }
  bool is_object() const { return type_ == Type::object; }

  bool as_bool() const { return b_; }

  NumberKind number_kind() const { return static_cast<NumberKind>(sub_); }
  int64_t as_int64() const { return n_.i; }
  uint64_t as_uint64() const { return n_.u; }
  double as_double() const { return d_; }  // always set for numbers
  // A float64 whose text has at most 19 significant digits and a decimal exponent within
  // +-22 is exactly `digits * 10^exp10` (digits may end in zeros: "1.50" is 150e-2); the
  // parser records that on its fast path so exact arithmetic (multipleOf) need not re-read
  // the text. False for other numbers, and for values not built by the parser.
  bool exact_decimal(uint64_t& digits, int& exp10) const {
    if (exp10_ == kNoExp10) return false;
    digits = n_.u;
    exp10 = exp10_;
    return true;
  }
  std::string_view number_text() const { return {p_.s, size_}; }  // exact JSON source text
  // True when the number's mathematical value is an integer (1.0, 1e3 and 1e400 are).
  bool is_integer() const;

  // Strings: UTF-8, unescaped.
  std::string_view as_string() const { return {p_.s, size_}; }

  // Arrays.
  uint32_t size() const { return size_; }  // elements for arrays, members for objects
  const Value* begin_items() const { return p_.items; }
  const Value* end_items() const { return p_.items + size_; }
  const Value& operator[](uint32_t i) const { return p_.items[i]; }

  // Objects: members in document order. Duplicate keys are kept as written.
  const Member* begin_members() const { return p_.members; }
  inline const Member* end_members() const;       // defined after Member
  const Value* find(std::string_view key) const;  // last member with that key, or nullptr

  // Construction (used by the parser and by tests).
  // (Scalars initialise every field in one constructor: piecewise writes to a local followed
  // by a struct copy cost a store-forwarding stall per value in the parser.)
  static Value null() { return Value(Type::null, 0, false, 0, nullptr, 0, 0); }
  static Value boolean(bool b) { return Value(Type::boolean, 0, b, 0, nullptr, 0, 0); }
  static Value string(const char* s, uint32_t n) {
    return Value(Type::string, 0, false, n, s, 0, 0);
  }
  static Value number(NumberKind k, const char* text, uint32_t n, double d, int64_t i) {
    return Value(Type::number, static_cast<uint8_t>(k), false, n, text, d, i);
  }
  // A float64 that is exactly |digits| * 10^exp10 (see exact_decimal; |exp10| <= 22).
  static Value decimal(const char* text, uint32_t n, double d, uint64_t digits, int exp10) {
    return Value(Type::number, static_cast<uint8_t>(NumberKind::float64), false, n, text, d,
                 static_cast<int64_t>(digits), static_cast<int8_t>(exp10));
  }
  static Value array(const Value* items, uint32_t n) { return Value(n, items); }
  static Value object(const Member* m, uint32_t n) { return Value(n, m); }

  Value() = default;

 private:
  static constexpr int8_t kNoExp10 = INT8_MIN;
  Value(Type t, uint8_t sub, bool b, uint32_t size, const char* p, double d, int64_t i,
        int8_t exp10 = kNoExp10)
      : type_(t), sub_(sub), b_(b), exp10_(exp10), size_(size), p_{p}, d_(d), n_{i} {}
  Value(uint32_t size, const Value* items) : type_(Type::array), size_(size), p_{.items = items} {}
  Value(uint32_t size, const Member* members)
      : type_(Type::object), size_(size), p_{.members = members} {}

  Type type_ = Type::null;
  uint8_t sub_ = 0;
  bool b_ = false;
  int8_t exp10_ = kNoExp10;  // numbers: see exact_decimal (in what would be padding)
  uint32_t size_ = 0;
  union {
    const char* s;
    const Value* items;
    const Member* members;
  } p_{nullptr};
  // numbers only: d_ always; n_ holds the exact integer for int64/uint64 kinds, and the
  // decimal digits of an exact_decimal float64
  double d_ = 0;
  union {
    int64_t i;
    uint64_t u;
  } n_{0};
};

struct Member {
  std::string_view key;
  Value value;
};

inline const Member* Value::end_members() const { return p_.members + size_; }

// a == b for object keys: the length first, then word loads instead of a memcmp call for keys
// of up to 16 bytes (the usual property name), which never read outside either string.
inline bool key_equals(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  auto load8 = [](const char* x) {
    uint64_t w;
    std::memcpy(&w, x, 8);
    return w;
  };
  auto load4 = [](const char* x) {
    uint32_t w;
    std::memcpy(&w, x, 4);
    return w;
  };
  if (n >= 8) {
    if (load8(p) != load8(q) || load8(p + n - 8) != load8(q + n - 8)) return false;
    return n <= 16 || std::memcmp(p + 8, q + 8, n - 16) == 0;
  }
  if (n >= 4) return load4(p) == load4(q) && load4(p + n - 4) == load4(q + n - 4);
  for (size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

// Structural equality as JSON Schema defines it: numbers compare by mathematical value
// (1 == 1.0 == 1e0), objects ignore member order.
bool equal(const Value& a, const Value& b);

// Exact comparison of two numbers by mathematical value: -1, 0 or 1.
int compare_numbers(const Value& a, const Value& b);
// Exact comparison of a number against the number written as JSON text `limit_text`.
int compare_number_text(const Value& a, std::string_view limit_text);
// Exact "a is an integer multiple of divisor" for decimal texts (19.99 is a multiple of 0.01).
// divisor_text must be a positive JSON number.
bool is_multiple_of(const Value& a, std::string_view divisor_text);

// The double nearest to digits * 10^exp10, negated when `negative`: correctly rounded, as
// strtod and JavaScript's Number() read decimal text; +-Infinity past the double range, +-0
// below it. One IEEE operation when digits <= 2^53 and |exp10| <= 22 (Clinger's fast path).
double decimal_to_double(uint64_t digits, int64_t exp10, bool negative);

// A divisor read once (when a schema is compiled) for is_multiple_of on many values: the
// same answers as the text form, without re-reading the divisor's digits on every call.
class Divisor {
 public:
  Divisor() = default;                      // divides nothing
  explicit Divisor(std::string_view text);  // a positive JSON number; text must outlive this
  bool divides(const Value& a) const;

 private:
  std::string_view text_;
  int64_t integer_ = 0;  // > 0: the text is a small positive integer
  uint64_t digits_ = 0;  // short form: digits_ * 10^exp_, no trailing zeros
  int64_t exp_ = 0;
  bool short_ = false;  // the text fits the short form
  bool valid_ = false;  // positive
};

struct ParseError {
  std::string message;            // e.g. "expected ',' or '}' after object member"
  uint32_t line = 0;              // 1-based
  uint32_t column = 0;            // 1-based, in bytes
  size_t offset = 0;              // byte offset of the error
  std::string to_string() const;  // "line 3, column 14: message"
};

struct ParseOptions {
  uint32_t max_depth = 1024;  // deeper nesting is a ParseError, never a crash
  // bytes; larger input is refused (4 GiB, or all of a 32-bit address space: wasm32)
  size_t max_size = sizeof(size_t) > 4 ? size_t(uint64_t(4) << 30) : SIZE_MAX;
};

// A parsed document. Owns the bytes its Values point to. Reusable: parse() again replaces
// the content (and invalidates Values from the previous parse) without freeing capacity,
// so a Document per thread gives allocation-free parsing in steady state.
class Document {
 public:
  Document();
  ~Document();
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // Parses `bytes` (copied into a padded internal buffer). On success root() is the value.
  Result<const Value*, ParseError> parse(std::string_view bytes, const ParseOptions& = {});
  const Value& root() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Serialization: compact JSON, keys in document order, numbers written as their source text.
void write(const Value& v, std::string& out);
std::string to_string(const Value& v);
// Appends s as a JSON string literal (quotes and escapes included), escaped as
// JSON.stringify escapes: '"', '\\' and the C0 controls; all other bytes as they are.
void write_string(std::string_view s, std::string& out);
// The same at `out`, which has room for string_literal_bound(s.size()) bytes; returns the end.
constexpr size_t string_literal_bound(size_t size) { return 6 * size + 2; }
char* write_string(std::string_view s, char* out);

// Convenience: validate UTF-8 (used for error messages and by callers handling raw text).
bool is_valid_utf8(std::string_view s);
// Number of Unicode code points in a valid UTF-8 string.
size_t count_code_points(std::string_view s);

}  // namespace hotpath::json
