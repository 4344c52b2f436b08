// Numbers: kinds and binary values chosen by the parser, is_integer, and the exact
// comparisons (compare_numbers, compare_number_text, equal, is_multiple_of), including
// values beyond 2^53, beyond uint64 and beyond double's range.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "hotpath/json.h"

namespace hotpath::json {
namespace {

// Owns the Document so the Value stays valid.
class Number {
 public:
  explicit Number(std::string_view text) {
    auto parsed = doc_.parse(text);
    EXPECT_TRUE(parsed.ok()) << text;
    EXPECT_TRUE(doc_.root().is_number()) << text;
  }
  const Value& value() const { return doc_.root(); }

 private:
  Document doc_;
};

int compare(std::string_view a, std::string_view b) {
  return compare_numbers(Number(a).value(), Number(b).value());
}
bool same(std::string_view a, std::string_view b) {
  return equal(Number(a).value(), Number(b).value());
}
bool multiple(std::string_view a, std::string_view divisor) {
  return is_multiple_of(Number(a).value(), divisor);
}
bool integer(std::string_view a) { return Number(a).value().is_integer(); }

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(JsonNumber, small_integers_are_int64_kind) {
  Number n("-42");
  EXPECT_EQ(n.value().number_kind(), NumberKind::int64);
  EXPECT_EQ(n.value().as_int64(), -42);
  EXPECT_EQ(n.value().as_double(), -42.0);
}

TEST(JsonNumber, int64_limits_are_int64_kind) {
  Number max("9223372036854775807");
  EXPECT_EQ(max.value().number_kind(), NumberKind::int64);
  EXPECT_EQ(max.value().as_int64(), std::numeric_limits<int64_t>::max());
  Number min("-9223372036854775808");
  EXPECT_EQ(min.value().number_kind(), NumberKind::int64);
  EXPECT_EQ(min.value().as_int64(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(min.value().as_double(), -9223372036854775808.0);
}

TEST(JsonNumber, integers_above_int64_up_to_uint64_max_are_uint64_kind) {
  Number above("9223372036854775808");
  EXPECT_EQ(above.value().number_kind(), NumberKind::uint64);
  EXPECT_EQ(above.value().as_uint64(), 9223372036854775808u);
  Number max("18446744073709551615");
  EXPECT_EQ(max.value().number_kind(), NumberKind::uint64);
  EXPECT_EQ(max.value().as_uint64(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(max.value().as_double(), 18446744073709551615.0);
}

TEST(JsonNumber, integers_beyond_uint64_are_float64_kind_with_nearest_double) {
  Number beyond("18446744073709551616");
  EXPECT_EQ(beyond.value().number_kind(), NumberKind::float64);
  EXPECT_EQ(beyond.value().as_double(), 18446744073709551616.0);
  Number below_min("-9223372036854775809");
  EXPECT_EQ(below_min.value().number_kind(), NumberKind::float64);
  EXPECT_EQ(below_min.value().as_double(), -9223372036854775808.0);
  Number huge_negative("-99999999999999999999");
  EXPECT_EQ(huge_negative.value().number_kind(), NumberKind::float64);
  EXPECT_EQ(huge_negative.value().as_double(), -1e20);
}

TEST(JsonNumber, four_hundred_digit_integer_parses_as_float64) {
  const std::string text = "1" + std::string(299, '0');
  Number n(text);
  EXPECT_EQ(n.value().number_kind(), NumberKind::float64);
  EXPECT_EQ(n.value().as_double(), 1e299);
  EXPECT_EQ(n.value().number_text(), text);
  Number big(std::string(400, '9'));
  EXPECT_EQ(big.value().number_kind(), NumberKind::float64);
  EXPECT_EQ(big.value().as_double(), kInf);
  EXPECT_TRUE(big.value().is_integer());
}

TEST(JsonNumber, out_of_range_exponents_parse_to_infinity_or_zero) {
  Number inf("1e400");
  EXPECT_EQ(inf.value().number_kind(), NumberKind::float64);
  EXPECT_EQ(inf.value().as_double(), kInf);
  EXPECT_EQ(inf.value().number_text(), "1e400");
  EXPECT_EQ(Number("-1E+400").value().as_double(), -kInf);
  EXPECT_EQ(Number("1e-400").value().as_double(), 0.0);
  EXPECT_TRUE(std::signbit(Number("-1e-400").value().as_double()));
  EXPECT_EQ(Number("0.0000000001e-399").value().as_double(), 0.0);
  EXPECT_EQ(Number("12345678901234567890e390").value().as_double(), kInf);
  EXPECT_EQ(Number("1e99999999999999999999999").value().as_double(), kInf);
}

TEST(JsonNumber, fractions_and_exponents_are_float64_kind) {
  EXPECT_EQ(Number("1.0").value().number_kind(), NumberKind::float64);
  EXPECT_EQ(Number("1e3").value().number_kind(), NumberKind::float64);
  EXPECT_EQ(Number("0.1").value().as_double(), 0.1);
  EXPECT_EQ(Number("-2.5E-3").value().as_double(), -0.0025);
  EXPECT_EQ(Number("1.7976931348623157e308").value().as_double(),
            std::numeric_limits<double>::max());
  EXPECT_EQ(Number("5e-324").value().as_double(), std::numeric_limits<double>::denorm_min());
}

TEST(JsonNumber, is_integer_follows_the_mathematical_value_of_the_text) {
  for (const char* yes :
       {"0", "-0", "7", "1.0", "1e3", "1E+2", "1e400", "1.5e1", "100e-2", "0.0", "-0.0e5",
        "18446744073709551616", "1.2300e2", "0e-7", "12345678901234567890123"}) {
    EXPECT_TRUE(integer(yes)) << yes;
  }
  for (const char* no : {"1.5", "1e-1", "-0.5", "1.0000000000000000001", "1e-400", "12.5e-1",
                         "1.23e1", "123456789012345678901234.5"}) {
    EXPECT_FALSE(integer(no)) << no;
  }
}

TEST(JsonNumber, compare_numbers_orders_int64_kinds) {
  EXPECT_EQ(compare("1", "2"), -1);
  EXPECT_EQ(compare("2", "1"), 1);
  EXPECT_EQ(compare("-5", "-5"), 0);
  EXPECT_EQ(compare("-9223372036854775808", "9223372036854775807"), -1);
}

TEST(JsonNumber, compare_numbers_is_exact_beyond_2_pow_53) {
  EXPECT_EQ(compare("9007199254740993", "9007199254740992"), 1);
  EXPECT_EQ(compare("9007199254740993", "9007199254740992.0"), 1);
  EXPECT_EQ(compare("9007199254740992.0", "9007199254740993"), -1);
  EXPECT_EQ(compare("9007199254740993.0", "9007199254740993"), 0);
  EXPECT_EQ(compare("9007199254740993", "9.007199254740993e15"), 0);
  EXPECT_FALSE(same("9007199254740993", "9007199254740992"));
  EXPECT_FALSE(same("9007199254740993", "9007199254740992.0"));
}

TEST(JsonNumber, compare_numbers_mixes_uint64_int64_and_float64) {
  EXPECT_EQ(compare("18446744073709551615", "-1"), 1);
  EXPECT_EQ(compare("-1", "18446744073709551615"), -1);
  EXPECT_EQ(compare("9223372036854775808", "9223372036854775807"), 1);
  EXPECT_EQ(compare("18446744073709551615", "18446744073709551614"), 1);
  EXPECT_EQ(compare("18446744073709551616", "18446744073709551615"), 1);
  EXPECT_EQ(compare("18446744073709551615", "18446744073709551615.0"), 0);
  EXPECT_EQ(compare("18446744073709551615", "1.8446744073709551615e19"), 0);
}

TEST(JsonNumber, compare_numbers_is_exact_for_close_decimals_and_infinities) {
  EXPECT_EQ(compare("0.1", "0.10000000000000000001"), -1);
  EXPECT_EQ(compare("0.3", "0.30"), 0);
  EXPECT_EQ(compare("1e400", "1e401"), -1);
  EXPECT_EQ(compare("1e400", "10e399"), 0);
  EXPECT_EQ(compare("-1e400", "1e400"), -1);
  EXPECT_EQ(compare("-1e400", "-1e401"), 1);
  EXPECT_EQ(compare("1e-400", "0"), 1);
  EXPECT_EQ(compare("-1e-400", "0"), -1);
  EXPECT_EQ(compare("-0", "0.0"), 0);
  EXPECT_EQ(compare(std::string(400, '9'), "1e400"), -1);
  EXPECT_EQ(compare("1" + std::string(400, '0'), "1e400"), 0);
}

TEST(JsonNumber, compare_number_text_is_exact) {
  EXPECT_EQ(compare_number_text(Number("5").value(), "5.0"), 0);
  EXPECT_EQ(compare_number_text(Number("5").value(), "4"), 1);
  EXPECT_EQ(compare_number_text(Number("-3").value(), "-3"), 0);
  EXPECT_EQ(compare_number_text(Number("-3").value(), "-2"), -1);
  EXPECT_EQ(compare_number_text(Number("5.5").value(), "5.50"), 0);
  EXPECT_EQ(compare_number_text(Number("1e400").value(), "1e399"), 1);
  EXPECT_EQ(compare_number_text(Number("9007199254740993").value(), "9007199254740992.5"), 1);
  EXPECT_EQ(compare_number_text(Number("9007199254740992").value(), "9007199254740992.5"), -1);
  EXPECT_EQ(compare_number_text(Number("0.1").value(), "0.1"), 0);
  EXPECT_EQ(compare_number_text(Number("100").value(), "1e2"), 0);
  EXPECT_EQ(compare_number_text(Number("18446744073709551615").value(), "18446744073709551616"),
            -1);
}

TEST(JsonNumber, equal_compares_numbers_by_mathematical_value) {
  EXPECT_TRUE(same("1", "1.0"));
  EXPECT_TRUE(same("1", "1e0"));
  EXPECT_TRUE(same("1.0", "1e0"));
  EXPECT_TRUE(same("100", "1E2"));
  EXPECT_TRUE(same("0", "-0.0"));
  EXPECT_TRUE(same("1e400", "10e399"));
  EXPECT_FALSE(same("1e400", "1e401"));
  EXPECT_FALSE(same("1", "1.0000000000000000001"));
}

TEST(JsonNumber, is_multiple_of_decimal_divisors_is_exact) {
  EXPECT_TRUE(multiple("19.99", "0.01"));
  EXPECT_TRUE(multiple("0.0075", "0.0001"));
  EXPECT_TRUE(multiple("1e308", "0.5"));
  EXPECT_TRUE(multiple("4.5", "1.5"));
  EXPECT_FALSE(multiple("35", "1.5"));
  EXPECT_TRUE(multiple("12345678901234567890123", "1"));
  EXPECT_TRUE(multiple("0.3", "0.1"));
  EXPECT_FALSE(multiple("0.3", "0.2"));
  EXPECT_FALSE(multiple("19.991", "0.01"));
  EXPECT_TRUE(multiple("-19.99", "0.01"));
  EXPECT_TRUE(multiple("0", "0.7"));
  EXPECT_TRUE(multiple("7.5e1", "2.5"));
  EXPECT_FALSE(multiple("1e-400", "1"));
  EXPECT_TRUE(multiple("1e-400", "1e-401"));
}

TEST(JsonNumber, is_multiple_of_integers_uses_exact_integer_arithmetic) {
  EXPECT_TRUE(multiple("35", "5"));
  EXPECT_FALSE(multiple("35", "3"));
  EXPECT_TRUE(multiple("-9223372036854775808", "2"));
  EXPECT_FALSE(multiple("9223372036854775807", "2"));
  EXPECT_TRUE(multiple("18446744073709551615", "5"));
  EXPECT_FALSE(multiple("18446744073709551615", "2"));
  EXPECT_TRUE(multiple("9007199254740993", "3"));
  EXPECT_FALSE(multiple("9007199254740993", "2"));
  EXPECT_TRUE(multiple("10", "10.0"));
  EXPECT_TRUE(multiple("12", "1.2e1"));
}

// Exponents are handled arithmetically (never expanded into digits), so these finish at once;
// a regression would show as a ctest timeout, not as a timing assertion.
TEST(JsonNumber, is_multiple_of_handles_huge_exponents_without_expanding_them) {
  EXPECT_TRUE(multiple("1e100000", "2"));
  EXPECT_FALSE(multiple("1e100000", "7"));  // 10^100000 mod 7 == 4
  EXPECT_TRUE(multiple("1e100000", "1e-100000"));
  EXPECT_TRUE(multiple("5e99999999999999999", "0.25"));
  EXPECT_FALSE(multiple("1e99999999999999999", "3"));
  EXPECT_FALSE(multiple("1e-100000", "2"));
}

// Short decimals take a 64-bit path; the same values written with 20 extra zeros take the
// general digit-string path. Both must agree on every case.
TEST(JsonNumber, is_multiple_of_short_path_agrees_with_the_general_path) {
  const char* divisors[] = {"0.01",
                            "0.05",
                            "0.25",
                            "3",
                            "0.3",
                            "1e-3",
                            "2.5e1",
                            "7",
                            "0.07",
                            "1E2",
                            "12.5",
                            "0.0001",
                            "9999999999999999999",
                            "1e-18"};
  const std::string zeros(20, '0');
  std::mt19937_64 rng(1121);
  int checked = 0;
  for (int i = 0; i < 20000; ++i) {
    const uint64_t cents = rng() % 100000000;
    std::string a = std::to_string(cents / 100) + "." + std::to_string(100 + cents % 100).substr(1);
    if (i % 3 == 0) a = "-" + a;
    if (i % 7 == 0) a = std::to_string(cents) + "e-" + std::to_string(rng() % 5);
    if (i % 11 == 0) a = std::to_string(cents);  // an int64: its own short path
    for (const char* d : divisors) {
      const size_t e = a.find('e');
      const std::string padded = a.find('.') != std::string::npos ? a + zeros
                                 : e == std::string::npos
                                     ? a + "." + zeros
                                     : a.substr(0, e) + "." + zeros + a.substr(e);
      ASSERT_EQ(multiple(a, d), multiple(padded, d)) << a << " / " << d;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 20000 * 14);
  EXPECT_TRUE(multiple("1.50", "0.5"));
  EXPECT_FALSE(multiple("1.50", "0.4"));
  EXPECT_TRUE(multiple("12.300", "0.1"));
  EXPECT_FALSE(multiple("12.310", "0.1"));
  EXPECT_TRUE(multiple("-120", "0.3"));
  EXPECT_TRUE(multiple("-9223372036854775808", "0.5"));
  EXPECT_TRUE(multiple("172.35", "0.01"));
  EXPECT_FALSE(multiple("172.355", "0.01"));
  EXPECT_TRUE(multiple("0.75", "0.25"));
  EXPECT_FALSE(multiple("0.7", "0.25"));
  EXPECT_TRUE(multiple("1e5", "2.5e1"));
  EXPECT_TRUE(multiple("0.0", "0.3"));
}

// decimal_to_double is strtod on "<digits>e<exp10>": compared on random digits and exponents
// across the whole double range (fast path, subnormals, overflow), plus the edges.
TEST(JsonNumber, decimal_to_double_reads_like_strtod) {
  std::mt19937_64 rng(2211);
  for (int i = 0; i < 20000; ++i) {
    uint64_t digits = rng() >> (rng() % 64);
    const int64_t exp10 = static_cast<int64_t>(rng() % 701) - 350;
    const bool negative = i % 2 == 1;
    const std::string text =
        (negative ? "-" : "") + std::to_string(digits) + "e" + std::to_string(exp10);
    const double expected = std::strtod(text.c_str(), nullptr);
    const double got = decimal_to_double(digits, exp10, negative);
    ASSERT_EQ(std::memcmp(&got, &expected, sizeof got), 0) << text << ": " << got;
  }
  EXPECT_EQ(decimal_to_double(40624, -2, false), 406.24);
  EXPECT_EQ(decimal_to_double(9007199254740993ull, 0, false), 9007199254740992.0);  // tie: even
  EXPECT_EQ(decimal_to_double(17976931348623157ull, 292, false),
            std::numeric_limits<double>::max());
  EXPECT_EQ(decimal_to_double(18, 307, false), kInf);
  EXPECT_EQ(decimal_to_double(5, -324, false), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(decimal_to_double(1, -400, true), 0.0);
  EXPECT_TRUE(std::signbit(decimal_to_double(1, -400, true)));
  EXPECT_EQ(decimal_to_double(1, 1000000, true), -kInf);
  EXPECT_EQ(decimal_to_double(1, -1000000, false), 0.0);
  EXPECT_EQ(decimal_to_double(0, 5000, false), 0.0);
  EXPECT_TRUE(std::signbit(decimal_to_double(0, 0, true)));
}

// The parser records the exact decimal of a short float (what multipleOf reads), digits as
// written, trailing zeros included.
TEST(JsonNumber, short_floats_carry_their_exact_decimal) {
  struct Case {
    const char* text;
    bool exact;
    uint64_t digits;
    int exp10;
  } cases[] = {{"1.50", true, 150, -2},
               {"-406.24", true, 40624, -2},
               {"0.0", true, 0, -1},
               {"25e1", true, 25, 1},
               {"1.5e-3", true, 15, -4},
               {"12", false, 0, 0},                      // int64: as_int64 is exact
               {"1e400", false, 0, 0},                   // beyond double range
               {"1e23", false, 0, 0},                    // exponent past Clinger's fast path
               {"12345678901234567890.5", false, 0, 0},  // more than 19 digits
               {"9007199254740993.0", false, 0, 0}};     // mantissa above 2^53
  for (const Case& c : cases) {
    Number n(c.text);
    uint64_t digits = 0;
    int exp10 = 0;
    ASSERT_EQ(n.value().exact_decimal(digits, exp10), c.exact) << c.text;
    if (!c.exact) continue;
    EXPECT_EQ(digits, c.digits) << c.text;
    EXPECT_EQ(exp10, c.exp10) << c.text;
  }
  uint64_t digits;
  int exp10;
  EXPECT_FALSE(Value::number(NumberKind::float64, "0.5", 3, 0.5, 0).exact_decimal(digits, exp10));
}

TEST(JsonNumber, is_multiple_of_divisors_beyond_64_bits) {
  EXPECT_TRUE(multiple("246913578024691357802469135780", "123456789012345678901234567890"));
  EXPECT_FALSE(multiple("246913578024691357802469135781", "123456789012345678901234567890"));
  EXPECT_TRUE(multiple("1.2345678901234567890123456789e30", "123456789012345678901234567890"));
  EXPECT_TRUE(multiple("1e70", "1180591620717411303424"));   // 2^70 divides 10^70
  EXPECT_FALSE(multiple("1e69", "1180591620717411303424"));  // but not 10^69
  EXPECT_FALSE(multiple("1e40", "100000000000000000001"));   // 10^40 mod (10^20+1) == 1
  EXPECT_TRUE(multiple("1e40", "1e-3"));
}

TEST(JsonNumber, is_multiple_of_rejects_non_positive_divisors) {
  EXPECT_FALSE(multiple("4", "0"));
  EXPECT_FALSE(multiple("4", "-2"));
  EXPECT_FALSE(multiple("4", "0.0"));
}

}  // namespace
}  // namespace hotpath::json
