// Unit tests for the picture-string functions (core/jsonata/src/format_functions.h). Every
// expected value was produced by jsonata-js 2.x; the *SuiteGroup tests mirror, case by case, the
// conformance suite groups that call these functions (cases whose argument is undefined are
// left to the evaluator and listed as comments).
#include "../src/format_functions.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace hotpath::jsonata::format {
namespace {

// 2018-03-23T10:33:36.617Z: the "$now()" used when a picture leaves the date unspecified.
constexpr double kNow = 1521801216617.0;

// A string result, or "ERR:<code>".
std::string S(const Result<std::string, Error>& r) { return r.ok() ? *r : "ERR:" + r.error().code; }

std::string N(double d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}
// A numeric result as %.17g, "undefined", or "ERR:<code>".
std::string N(const Result<std::optional<double>, Error>& r) {
  if (!r.ok()) return "ERR:" + r.error().code;
  if (!r->has_value()) return "undefined";
  return N(**r);
}

// $toMillis(...) ~> $fromMillis([picture]).
std::string FromMs(const Result<std::optional<double>, Error>& r,
                   std::optional<std::string_view> picture = std::nullopt,
                   std::optional<std::string_view> timezone = std::nullopt) {
  if (!r.ok()) return "ERR:" + r.error().code;
  if (!r->has_value()) return "undefined";
  return S(from_millis(**r, picture, timezone));
}

TEST(FormatNumber, MatchesSuiteGroupFunctionFormatNumber) {
  EXPECT_EQ(S(format_number(12345.6, "#,###.00", nullptr)), "12,345.60")
      << "$formatNumber(12345.6, \"#,###.00\")";
  EXPECT_EQ(S(format_number(12345678.9, "9,999.99", nullptr)), "12,345,678.90")
      << "$formatNumber(12345678.9, \"9,999.99\")";
  EXPECT_EQ(S(format_number(123412345678.9, "9,9,99.99", nullptr)), "123412345,6,78.90")
      << "$formatNumber(123412345678.9, \"9,9,99.99\")";
  EXPECT_EQ(S(format_number(1234.56789, "9,999.999,999", nullptr)), "1,234.567,890")
      << "$formatNumber(1234.56789, \"9,999.999,999\")";
  EXPECT_EQ(S(format_number(123.9, "9999", nullptr)), "0124") << "$formatNumber(123.9, \"9999\")";
  EXPECT_EQ(S(format_number(0.14, "01%", nullptr)), "14%") << "$formatNumber(0.14, \"01%\")";
  EXPECT_EQ(S(format_number(0.4857, "###.###\u2030", nullptr)), "485.7\u2030")
      << "$formatNumber(0.4857,\"###.###\u2030\")";
  {
    DecimalFormat o;
    o.set("per-mille", "pm");
    EXPECT_EQ(S(format_number(0.14, "###pm", &o)), "140pm")
        << "$formatNumber(0.14, \"###pm\", {\"per-mille\": \"pm\"})";
  }
  EXPECT_EQ(S(format_number(-6.0, "000", nullptr)), "-006") << "$formatNumber(-6, \"000\")";
  EXPECT_EQ(S(format_number(1234.5678, "00.000e0", nullptr)), "12.346e2")
      << "$formatNumber(1234.5678, \"00.000e0\")";
  EXPECT_EQ(S(format_number(1234.5678, "00.000e000", nullptr)), "12.346e002")
      << "$formatNumber(1234.5678, \"00.000e000\")";
  {
    DecimalFormat o;
    o.set("zero-digit", "\u245f");
    EXPECT_EQ(S(format_number(1234.5678, "\u2460\u2460.\u2460\u2460\u2460e\u2460", &o)),
              "\u2460\u2461.\u2462\u2463\u2465e\u2461")
        << "$formatNumber(1234.5678, \"\u2460\u2460.\u2460\u2460\u2460e\u2460\", {\"zero-digit\": "
           "\"\u245f\"})";
  }
  EXPECT_EQ(S(format_number(0.234, "0.0e0", nullptr)), "2.3e-1")
      << "$formatNumber(0.234, \"0.0e0\")";
  EXPECT_EQ(S(format_number(0.234, "#.00e0", nullptr)), "0.23e0")
      << "$formatNumber(0.234, \"#.00e0\")";
  EXPECT_EQ(S(format_number(0.123, "#.e9", nullptr)), "0.1e0") << "$formatNumber(0.123, \"#.e9\")";
  EXPECT_EQ(S(format_number(0.234, ".00e0", nullptr)), ".23e0")
      << "$formatNumber(0.234, \".00e0\")";
  EXPECT_EQ(S(format_number(-87504.4812, "000,000.000###;###,###.000###", nullptr)), "87,504.4812")
      << "$formatNumber(2392.14*(-36.58), \"000,000.000###;###,###.000###\")";
  EXPECT_EQ(S(format_number(185.2812, "PREFIX##00.000###SUFFIX", nullptr)), "PREFIX185.2812SUFFIX")
      << "$formatNumber(2.14*86.58,\"PREFIX##00.000###SUFFIX\")";
  EXPECT_EQ(S(format_number(100000000000000000000.0, "#,######", nullptr)),
            "100,000000,000000,000000")
      << "$formatNumber(1E20,\"#,######\")";
  EXPECT_EQ(S(format_number(20.0, "#;#;#", nullptr)), "ERR:D3080") << "$formatNumber(20,\"#;#;#\")";
  EXPECT_EQ(S(format_number(20.0, "#.0.0", nullptr)), "ERR:D3081") << "$formatNumber(20,\"#.0.0\")";
  EXPECT_EQ(S(format_number(20.0, "#0%%", nullptr)), "ERR:D3082") << "$formatNumber(20,\"#0%%\")";
  EXPECT_EQ(S(format_number(20.0, "#0\u2030\u2030", nullptr)), "ERR:D3083")
      << "$formatNumber(20,\"#0\u2030\u2030\")";
  EXPECT_EQ(S(format_number(20.0, "#0%\u2030", nullptr)), "ERR:D3084")
      << "$formatNumber(20,\"#0%\u2030\")";
  EXPECT_EQ(S(format_number(20.0, ".e0", nullptr)), "ERR:D3085") << "$formatNumber(20,\".e0\")";
  EXPECT_EQ(S(format_number(20.0, "0+.e0", nullptr)), "ERR:D3086") << "$formatNumber(20,\"0+.e0\")";
  EXPECT_EQ(S(format_number(20.0, "0,.e0", nullptr)), "ERR:D3087") << "$formatNumber(20,\"0,.e0\")";
  EXPECT_EQ(S(format_number(20.0, "0,", nullptr)), "ERR:D3088") << "$formatNumber(20,\"0,\")";
  EXPECT_EQ(S(format_number(20.0, "0,,0", nullptr)), "ERR:D3089") << "$formatNumber(20,\"0,,0\")";
  EXPECT_EQ(S(format_number(20.0, "0#.e0", nullptr)), "ERR:D3090") << "$formatNumber(20,\"0#.e0\")";
  EXPECT_EQ(S(format_number(20.0, "#0.#0e0", nullptr)), "ERR:D3091")
      << "$formatNumber(20,\"#0.#0e0\")";
  EXPECT_EQ(S(format_number(20.0, "#0.0e0%", nullptr)), "ERR:D3092")
      << "$formatNumber(20,\"#0.0e0%\")";
  EXPECT_EQ(S(format_number(20.0, "#0.0e0,0", nullptr)), "ERR:D3093")
      << "$formatNumber(20,\"#0.0e0,0\")";
  EXPECT_EQ(S(format_number(2.0, "000.000", nullptr)), "002.000") << "$formatNumber(2, '000.000')";
  {
    DecimalFormat o;
    o.set("zero-digit", "A");
    EXPECT_EQ(S(format_number(2.0, "AAA.AAA", &o)), "AAC.AAA")
        << "$formatNumber(2, 'AAA.AAA', {'zero-digit': 'A'})";
  }
  {
    DecimalFormat o;
    o.set("zero-digit", "A");
    EXPECT_EQ(S(format_number(0.1, "AeAAA", &o)), "Be-AAB")
        << "$formatNumber(0.1, 'AeAAA', {'zero-digit': 'A'})";
  }
  // $formatNumber(foo, '#0.00')  -> undefined argument: undefined result (evaluator-level)
  EXPECT_EQ(S(format_number(0.0, "0e0", nullptr)), "0e0") << "$formatNumber(0, '0e0')";
  EXPECT_EQ(S(format_number(-42.0, "0e0", nullptr)), "-4e1") << "$formatNumber(-42, '0e0')";
  EXPECT_EQ(S(format_number(42.0, "0e0", nullptr)), "4e1") << "$formatNumber(42, '0e0')";
  EXPECT_EQ(S(format_number(0.0, "0.00e0", nullptr)), "0.00e0") << "$formatNumber(0, '0.00e0')";
  EXPECT_EQ(S(format_number(42.0, "%%", nullptr)), "ERR:D3086") << "$formatNumber(42, '%%')";
  EXPECT_EQ(S(format_number(42.0, "\u2030\u2030", nullptr)), "ERR:D3086")
      << "$formatNumber(42, '\u2030\u2030')";
  EXPECT_EQ(S(format_number(42.0, "%\u2030", nullptr)), "ERR:D3086")
      << "$formatNumber(42, '%\u2030')";
  EXPECT_EQ(S(format_number(42.0, "---", nullptr)), "ERR:D3086") << "$formatNumber(42, '---')";
}

TEST(FormatNumber, RoundsHalfToEvenOnTheShortestDecimalForm) {
  EXPECT_EQ(S(format_number(0.5, "0", nullptr)), "0");
  EXPECT_EQ(S(format_number(2.5, "0", nullptr)), "2");
  EXPECT_EQ(S(format_number(3.5, "0", nullptr)), "4");
  EXPECT_EQ(S(format_number(1.005, "0.00", nullptr)), "1.00");
  EXPECT_EQ(S(format_number(-0.001, "0.00", nullptr)), "-0.00");
}

TEST(FormatNumber, UsesSecondSubPictureForNegatives) {
  EXPECT_EQ(S(format_number(-5, "0;(0)", nullptr)), "(5)");
  EXPECT_EQ(S(format_number(5, "0;(0)", nullptr)), "5");
}

TEST(FormatNumber, HonoursOverriddenSymbols) {
  DecimalFormat o;
  EXPECT_TRUE(o.set("decimal-separator", ","));
  EXPECT_TRUE(o.set("grouping-separator", "."));
  EXPECT_FALSE(o.set("no-such-symbol", "x"));
  EXPECT_EQ(S(format_number(1234567.891, "#.##0,00", &o)), "1.234.567,89");
  DecimalFormat m;
  m.set("minus-sign", "~");
  EXPECT_EQ(S(format_number(-12, "00", &m)), "~12");
}

TEST(FormatNumber, LargeValuesFallBackToExponentFormLikeJavaScript) {
  EXPECT_EQ(S(format_number(1e21, "#,##0.00", nullptr)), "1e,+21.00");
}

TEST(FormatBase, MatchesSuiteGroupFunctionFormatBase) {
  EXPECT_EQ(S(format_base(100.0, std::nullopt)), "100") << "$formatBase(100)";
  // $formatBase(nothing)  -> undefined argument: undefined result (evaluator-level)
  EXPECT_EQ(S(format_base(100.0, 2.0)), "1100100") << "$formatBase(100, 2)";
  EXPECT_EQ(S(format_base(-100.0, 2.0)), "-1100100") << "$formatBase(-100, 2)";
  EXPECT_EQ(S(format_base(100.0, 36.0)), "2s") << "$formatBase(100, 36)";
  EXPECT_EQ(S(format_base(99.5, 2.5)), "1100100") << "$formatBase(99.5, 2.5)";
  EXPECT_EQ(S(format_base(100.0, 1.0)), "ERR:D3100") << "$formatBase(100, 1)";
  EXPECT_EQ(S(format_base(100.0, 37.0)), "ERR:D3100") << "$formatBase(100, 37)";
  EXPECT_EQ(S(format_base(5890840712243076.0, std::nullopt)), "5890840712243076")
      << "$formatBase(big_id)";
}

TEST(FormatBase, WritesLargeIntegersInAnyRadix) {
  EXPECT_EQ(S(format_base(255, 16)), "ff");
  EXPECT_EQ(S(format_base(9007199254740991.0, 36)), "2gosa7pa2gv");
  EXPECT_EQ(S(format_base(-0.4, 2)), "0");
  EXPECT_EQ(S(format_base(10, 36.6)), "ERR:D3100");
}

TEST(FormatInteger, MatchesSuiteGroupFunctionFormatInteger) {
  // $formatInteger(undefined, '0')  -> undefined argument: undefined result (evaluator-level)
  EXPECT_EQ(S(format_integer(123.0, "000")), "123") << "$formatInteger(123, '000')";
  EXPECT_EQ(S(format_integer(123.0, "0000")), "0123") << "$formatInteger(123, '0000')";
  EXPECT_EQ(S(format_integer(-3.0, "0000")), "-0003") << "$formatInteger(-3, '0000')";
  EXPECT_EQ(S(format_integer(1234.0, "0;c")), "1234") << "$formatInteger(1234, '0;c')";
  EXPECT_EQ(S(format_integer(1234.0, "###0")), "1234") << "$formatInteger(1234, '###0')";
  EXPECT_EQ(S(format_integer(12.0, "###0")), "12") << "$formatInteger(12, '###0')";
  EXPECT_EQ(S(format_integer(12.6, "###0")), "12") << "$formatInteger(12.6, '###0')";
  EXPECT_EQ(S(format_integer(123.0, "000;o")), "123rd") << "$formatInteger(123, '000;o')";
  EXPECT_EQ(S(format_integer(1.0, "0;o")), "1st") << "$formatInteger(1, '0;o')";
  EXPECT_EQ(S(format_integer(28.0, "#0;o")), "28th") << "$formatInteger(28, '#0;o')";
  EXPECT_EQ(S(format_integer(1234.0, "###0;o")), "1234th") << "$formatInteger(1234, '###0;o')";
  EXPECT_EQ(S(format_integer(12.0, "###0;o")), "12th") << "$formatInteger(12, '###0;o')";
  EXPECT_EQ(S(format_integer(12340.0, "###\u0661")), "\u0661\u0662\u0663\u0664\u0660")
      << "$formatInteger(12340, '###\u0661')";
  EXPECT_EQ(S(format_integer(12340.0, "###\uff10")), "\uff11\uff12\uff13\uff14\uff10")
      << "$formatInteger(12340, '###\uff10')";
  EXPECT_EQ(S(format_integer(12340.0, "##0\uff10")), "ERR:D3131")
      << "$formatInteger(12340, '##0\uff10')";
  EXPECT_EQ(S(format_integer(12.0, "#,##0")), "12") << "$formatInteger(12, '#,##0')";
  EXPECT_EQ(S(format_integer(1200.0, "#,##0")), "1,200") << "$formatInteger(1200, '#,##0')";
  EXPECT_EQ(S(format_integer(120000.0, "#,##0")), "120,000") << "$formatInteger(120000, '#,##0')";
  EXPECT_EQ(S(format_integer(12345678.0, "#,##0")), "12,345,678")
      << "$formatInteger(12345678, '#,##0')";
  EXPECT_EQ(S(format_integer(1234567890.0, "#,##0")), "1,234,567,890")
      << "$formatInteger(1234567890, '#,##0')";
  EXPECT_EQ(S(format_integer(1234567890.0, "#,###,##0")), "1,234,567,890")
      << "$formatInteger(1234567890, '#,###,##0')";
  EXPECT_EQ(S(format_integer(1234567890.0, "#:###,##0")), "1234:567,890")
      << "$formatInteger(1234567890, '#:###,##0')";
  EXPECT_EQ(S(format_integer(1234567890.0, "##,##,##0")), "12345,67,890")
      << "$formatInteger(1234567890, '##,##,##0')";
  EXPECT_EQ(S(format_integer(0.0, "I")), "") << "$formatInteger(0, 'I')";
  EXPECT_EQ(S(format_integer(1984.0, "I")), "MCMLXXXIV") << "$formatInteger(1984, 'I')";
  EXPECT_EQ(S(format_integer(99.0, "i")), "xcix") << "$formatInteger(99, 'i')";
  EXPECT_EQ(S(format_integer(12.0, "w")), "twelve") << "$formatInteger(12, 'w')";
  EXPECT_EQ(S(format_integer(20.0, "w")), "twenty") << "$formatInteger(20, 'w')";
  EXPECT_EQ(S(format_integer(34.0, "w")), "thirty-four") << "$formatInteger(34, 'w')";
  EXPECT_EQ(S(format_integer(99.0, "W")), "NINETY-NINE") << "$formatInteger(99, 'W')";
  EXPECT_EQ(S(format_integer(100.0, "w")), "one hundred") << "$formatInteger(100, 'w')";
  EXPECT_EQ(S(format_integer(555.0, "W")), "FIVE HUNDRED AND FIFTY-FIVE")
      << "$formatInteger(555, 'W')";
  EXPECT_EQ(S(format_integer(555.0, "Ww")), "Five Hundred and Fifty-Five")
      << "$formatInteger(555, 'Ww')";
  EXPECT_EQ(S(format_integer(919.0, "w")), "nine hundred and nineteen")
      << "$formatInteger(919, 'w')";
  EXPECT_EQ(S(format_integer(730.0, "w")), "seven hundred and thirty")
      << "$formatInteger(730, 'w')";
  EXPECT_EQ(S(format_integer(1000.0, "w")), "one thousand") << "$formatInteger(1000, 'w')";
  EXPECT_EQ(S(format_integer(3730.0, "w")), "three thousand, seven hundred and thirty")
      << "$formatInteger(3730, 'w')";
  EXPECT_EQ(S(format_integer(327730.0, "w")),
            "three hundred and twenty-seven thousand, seven hundred and thirty")
      << "$formatInteger(327730, 'w')";
  EXPECT_EQ(S(format_integer(4327730.0, "w")),
            "four million, three hundred and twenty-seven thousand, seven hundred and thirty")
      << "$formatInteger(4327730, 'w')";
  EXPECT_EQ(S(format_integer(1000000000001.0, "w")), "one trillion and one")
      << "$formatInteger(1000000000001, 'w')";
  EXPECT_EQ(S(format_integer(1234567890123.0, "w")),
            "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven "
            "million, eight hundred and ninety thousand, one hundred and twenty-three")
      << "$formatInteger(1234567890123, 'w')";
  EXPECT_EQ(S(format_integer(1000000000000000.0, "w")), "one thousand trillion")
      << "$formatInteger(1000000000000000, 'w')";
  EXPECT_EQ(S(format_integer(1e+46, "w")), "ten billion trillion trillion trillion")
      << "$formatInteger(1e+46, 'w')";
  EXPECT_EQ(S(format_integer(1234567890123456.0, "w")),
            "one thousand, two hundred and thirty-four trillion, five hundred and sixty-seven "
            "billion, eight hundred and ninety million, one hundred and twenty-three thousand, "
            "four hundred and fifty-six")
      << "$formatInteger(1234567890123456, 'w')";
  EXPECT_EQ(S(format_integer(12.0, "w;o")), "twelfth") << "$formatInteger(12, 'w;o')";
  EXPECT_EQ(S(format_integer(20.0, "w;o")), "twentieth") << "$formatInteger(20, 'w;o')";
  EXPECT_EQ(S(format_integer(34.0, "w;o")), "thirty-fourth") << "$formatInteger(34, 'w;o')";
  EXPECT_EQ(S(format_integer(99.0, "W;o")), "NINETY-NINTH") << "$formatInteger(99, 'W;o')";
  EXPECT_EQ(S(format_integer(100.0, "w;o")), "one hundredth") << "$formatInteger(100, 'w;o')";
  EXPECT_EQ(S(format_integer(555.0, "W;o")), "FIVE HUNDRED AND FIFTY-FIFTH")
      << "$formatInteger(555, 'W;o')";
  EXPECT_EQ(S(format_integer(919.0, "w;o")), "nine hundred and nineteenth")
      << "$formatInteger(919, 'w;o')";
  EXPECT_EQ(S(format_integer(730.0, "w;o")), "seven hundred and thirtieth")
      << "$formatInteger(730, 'w;o')";
  EXPECT_EQ(S(format_integer(1000.0, "w;o")), "one thousandth") << "$formatInteger(1000, 'w;o')";
  EXPECT_EQ(S(format_integer(3731.0, "w;o")), "three thousand, seven hundred and thirty-first")
      << "$formatInteger(3731, 'w;o')";
  EXPECT_EQ(S(format_integer(327713.0, "w;o")),
            "three hundred and twenty-seven thousand, seven hundred and thirteenth")
      << "$formatInteger(327713, 'w;o')";
  EXPECT_EQ(
      S(format_integer(4327732.0, "w;o")),
      "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second")
      << "$formatInteger(4327732, 'w;o')";
  EXPECT_EQ(S(format_integer(1000000000001.0, "w;o")), "one trillion and first")
      << "$formatInteger(1000000000001, 'w;o')";
  EXPECT_EQ(S(format_integer(1.0, "A")), "A") << "$formatInteger(1, 'A')";
  EXPECT_EQ(S(format_integer(12.0, "a")), "l") << "$formatInteger(12, 'a')";
  EXPECT_EQ(S(format_integer(26.0, "a")), "z") << "$formatInteger(26, 'a')";
  EXPECT_EQ(S(format_integer(27.0, "a")), "aa") << "$formatInteger(27, 'a')";
  EXPECT_EQ(S(format_integer(300.0, "A")), "KN") << "$formatInteger(300, 'A')";
  EXPECT_EQ(S(format_integer(123456.0, "A")), "FZPH") << "$formatInteger(123456, 'A')";
  EXPECT_EQ(S(format_integer(123456.0, "\u03b1")), "ERR:D3130")
      << "$formatInteger(123456, '\u03b1')";
}

TEST(FormatInteger, FloorsNegativeFractions) {
  EXPECT_EQ(S(format_integer(-0.5, "0")), "-1");
  EXPECT_EQ(S(format_integer(-3, "w")), "-three");
  EXPECT_EQ(S(format_integer(11, "0;o")), "11th");
  EXPECT_EQ(S(format_integer(22, "0;o")), "22nd");
}

TEST(FormatInteger, RejectsUnsupportedSequences) {
  EXPECT_EQ(S(format_integer(5, "#")), "ERR:D3130");
  EXPECT_EQ(S(format_integer(5, "")), "ERR:D3130");
  EXPECT_EQ(S(format_integer(5, "0\u0661")), "ERR:D3131");
}

// jsonata-js parses decimal pictures with parseInt(digits), no radix: a "0x" prefix reads hex.
TEST(ParseInteger, DecimalPictureReadsAHexPrefixLikeParseInt) {
  EXPECT_EQ(N(parse_integer("0x1F", "#0")), N(31.0));
  EXPECT_EQ(N(parse_integer("-0x10", "#0")), N(-16.0));
  EXPECT_EQ(N(parse_integer("12ab", "#0")), N(12.0));
}

TEST(ParseInteger, MatchesSuiteGroupFunctionParseInteger) {
  // $parseInteger(undefined, '0')  -> undefined argument: undefined result (evaluator-level)
  EXPECT_EQ(N(parse_integer("123", "000")), N(123.0)) << "$parseInteger('123', '000')";
  EXPECT_EQ(N(parse_integer("0123", "0000")), N(123.0)) << "$parseInteger('0123', '0000')";
  EXPECT_EQ(N(parse_integer("1234", "0")), N(1234.0)) << "$parseInteger('1234', '0')";
  EXPECT_EQ(N(parse_integer("1234", "###0")), N(1234.0)) << "$parseInteger('1234', '###0')";
  EXPECT_EQ(N(parse_integer("12", "###0")), N(12.0)) << "$parseInteger('12', '###0')";
  EXPECT_EQ(N(parse_integer("123rd", "000;o")), N(123.0)) << "$parseInteger('123rd', '000;o')";
  EXPECT_EQ(N(parse_integer("1st", "0;o")), N(1.0)) << "$parseInteger('1st', '0;o')";
  EXPECT_EQ(N(parse_integer("28th", "#0;o")), N(28.0)) << "$parseInteger('28th', '#0;o')";
  EXPECT_EQ(N(parse_integer("1234th", "###0;o")), N(1234.0)) << "$parseInteger('1234th', '###0;o')";
  EXPECT_EQ(N(parse_integer("12th", "###0;o")), N(12.0)) << "$parseInteger('12th', '###0;o')";
  EXPECT_EQ(N(parse_integer("\u0661\u0662\u0663\u0664\u0660", "###\u0661")), N(12340.0))
      << "$parseInteger('\u0661\u0662\u0663\u0664\u0660', '###\u0661')";
  EXPECT_EQ(N(parse_integer("\uff11\uff12\uff13\uff14\uff10", "###\uff10")), N(12340.0))
      << "$parseInteger('\uff11\uff12\uff13\uff14\uff10', '###\uff10')";
  EXPECT_EQ(N(parse_integer("12", "#,##0")), N(12.0)) << "$parseInteger('12', '#,##0')";
  EXPECT_EQ(N(parse_integer("1,200", "#,##0")), N(1200.0)) << "$parseInteger('1,200', '#,##0')";
  EXPECT_EQ(N(parse_integer("12,345,678", "#,##0")), N(12345678.0))
      << "$parseInteger('12,345,678', '#,##0')";
  EXPECT_EQ(N(parse_integer("1,234,567,890", "#,##0")), N(1234567890.0))
      << "$parseInteger('1,234,567,890', '#,##0')";
  EXPECT_EQ(N(parse_integer("1,234,567,890", "#,###,##0")), N(1234567890.0))
      << "$parseInteger('1,234,567,890', '#,###,##0')";
  EXPECT_EQ(N(parse_integer("1234:567,890", "#:###,##0")), N(1234567890.0))
      << "$parseInteger('1234:567,890', '#:###,##0')";
  EXPECT_EQ(N(parse_integer("12345,67,890", "##,##,##0")), N(1234567890.0))
      << "$parseInteger('12345,67,890', '##,##,##0')";
  EXPECT_EQ(N(parse_integer("", "I")), N(0.0)) << "$parseInteger('', 'I')";
  EXPECT_EQ(N(parse_integer("MCMLXXXIV", "I")), N(1984.0)) << "$parseInteger('MCMLXXXIV', 'I')";
  EXPECT_EQ(N(parse_integer("xcix", "i")), N(99.0)) << "$parseInteger('xcix', 'i')";
  EXPECT_EQ(N(parse_integer("twelve", "w")), N(12.0)) << "$parseInteger('twelve', 'w')";
  EXPECT_EQ(N(parse_integer("twenty", "w")), N(20.0)) << "$parseInteger('twenty', 'w')";
  EXPECT_EQ(N(parse_integer("thirty-four", "w")), N(34.0)) << "$parseInteger('thirty-four', 'w')";
  EXPECT_EQ(N(parse_integer("NINETY-NINE", "W")), N(99.0)) << "$parseInteger('NINETY-NINE', 'W')";
  EXPECT_EQ(N(parse_integer("one hundred", "w")), N(100.0)) << "$parseInteger('one hundred', 'w')";
  EXPECT_EQ(N(parse_integer("FIVE HUNDRED AND FIFTY-FIVE", "W")), N(555.0))
      << "$parseInteger('FIVE HUNDRED AND FIFTY-FIVE', 'W')";
  EXPECT_EQ(N(parse_integer("Five Hundred and Fifty-Five", "Ww")), N(555.0))
      << "$parseInteger('Five Hundred and Fifty-Five', 'Ww')";
  EXPECT_EQ(N(parse_integer("nine hundred and nineteen", "w")), N(919.0))
      << "$parseInteger('nine hundred and nineteen', 'w')";
  EXPECT_EQ(N(parse_integer("seven hundred and thirty", "w")), N(730.0))
      << "$parseInteger('seven hundred and thirty', 'w')";
  EXPECT_EQ(N(parse_integer("one thousand", "w")), N(1000.0))
      << "$parseInteger('one thousand', 'w')";
  EXPECT_EQ(N(parse_integer("three thousand, seven hundred and thirty", "w")), N(3730.0))
      << "$parseInteger('three thousand, seven hundred and thirty', 'w')";
  EXPECT_EQ(
      N(parse_integer("three hundred and twenty-seven thousand, seven hundred and thirty", "w")),
      N(327730.0))
      << "$parseInteger('three hundred and twenty-seven thousand, seven hundred and thirty', 'w')";
  EXPECT_EQ(
      N(parse_integer(
          "four million, three hundred and twenty-seven thousand, seven hundred and thirty", "w")),
      N(4327730.0))
      << "$parseInteger('four million, three hundred and twenty-seven thousand, seven hundred and "
         "thirty', 'w')";
  EXPECT_EQ(N(parse_integer("one trillion and one", "w")), N(1000000000001.0))
      << "$parseInteger('one trillion and one', 'w')";
  EXPECT_EQ(N(parse_integer(
                "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven "
                "million, eight hundred and ninety thousand, one hundred and twenty-three",
                "w")),
            N(1234567890123.0))
      << "$parseInteger('one trillion, two hundred and thirty-four billion, five hundred and "
         "sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three', "
         "'w')";
  EXPECT_EQ(N(parse_integer("one thousand trillion", "w")), N(1000000000000000.0))
      << "$parseInteger('one thousand trillion', 'w')";
  EXPECT_EQ(N(parse_integer("ten billion trillion trillion trillion", "w")), N(1e+46))
      << "$parseInteger('ten billion trillion trillion trillion', 'w')";
  EXPECT_EQ(N(parse_integer("twelfth", "w;o")), N(12.0)) << "$parseInteger('twelfth', 'w;o')";
  EXPECT_EQ(N(parse_integer("twentieth", "w;o")), N(20.0)) << "$parseInteger('twentieth', 'w;o')";
  EXPECT_EQ(N(parse_integer("thirty-fourth", "w;o")), N(34.0))
      << "$parseInteger('thirty-fourth', 'w;o')";
  EXPECT_EQ(N(parse_integer("NINETY-NINTH", "W;o")), N(99.0))
      << "$parseInteger('NINETY-NINTH', 'W;o')";
  EXPECT_EQ(N(parse_integer("one hundredth", "w;o")), N(100.0))
      << "$parseInteger('one hundredth', 'w;o')";
  EXPECT_EQ(N(parse_integer("FIVE HUNDRED AND FIFTY-FIFTH", "W;o")), N(555.0))
      << "$parseInteger('FIVE HUNDRED AND FIFTY-FIFTH', 'W;o')";
  EXPECT_EQ(N(parse_integer("nine hundred and nineteenth", "w;o")), N(919.0))
      << "$parseInteger('nine hundred and nineteenth', 'w;o')";
  EXPECT_EQ(N(parse_integer("seven hundred and thirtieth", "w;o")), N(730.0))
      << "$parseInteger('seven hundred and thirtieth', 'w;o')";
  EXPECT_EQ(N(parse_integer("Seven Hundred and Thirty-Third", "Ww;o")), N(733.0))
      << "$parseInteger('Seven Hundred and Thirty-Third', 'Ww;o')";
  EXPECT_EQ(N(parse_integer("one thousandth", "w;o")), N(1000.0))
      << "$parseInteger('one thousandth', 'w;o')";
  EXPECT_EQ(N(parse_integer("three thousand, seven hundred and thirty-first", "w;o")), N(3731.0))
      << "$parseInteger('three thousand, seven hundred and thirty-first', 'w;o')";
  EXPECT_EQ(N(parse_integer("three hundred and twenty-seven thousand, seven hundred and thirteenth",
                            "w;o")),
            N(327713.0))
      << "$parseInteger('three hundred and twenty-seven thousand, seven hundred and thirteenth', "
         "'w;o')";
  EXPECT_EQ(
      N(parse_integer(
          "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second",
          "w;o")),
      N(4327732.0))
      << "$parseInteger('four million, three hundred and twenty-seven thousand, seven hundred and "
         "thirty-second', 'w;o')";
  EXPECT_EQ(N(parse_integer("one trillion and first", "w;o")), N(1000000000001.0))
      << "$parseInteger('one trillion and first', 'w;o')";
  EXPECT_EQ(N(parse_integer("A", "A")), N(1.0)) << "$parseInteger('A', 'A')";
  EXPECT_EQ(N(parse_integer("l", "a")), N(12.0)) << "$parseInteger('l', 'a')";
  EXPECT_EQ(N(parse_integer("z", "a")), N(26.0)) << "$parseInteger('z', 'a')";
  EXPECT_EQ(N(parse_integer("aa", "a")), N(27.0)) << "$parseInteger('aa', 'a')";
  EXPECT_EQ(N(parse_integer("KN", "A")), N(300.0)) << "$parseInteger('KN', 'A')";
  EXPECT_EQ(N(parse_integer("FZPH", "A")), N(123456.0)) << "$parseInteger('FZPH', 'A')";
  EXPECT_EQ(N(parse_integer("50", "#")), "ERR:D3130") << "$parseInteger('50', '#')";
}

TEST(ParseInteger, YieldsNaNForTextThatDoesNotFit) {
  EXPECT_EQ(N(parse_integer("foo", "w")), "nan");
  EXPECT_EQ(N(parse_integer("xyz", "I")), "nan");
}

TEST(FromMillis, MatchesSuiteGroupFunctionFromMillis) {
  EXPECT_EQ(S(from_millis(1.0, std::nullopt, std::nullopt)), "1970-01-01T00:00:00.001Z")
      << "$fromMillis(1)";
  EXPECT_EQ(S(from_millis(1509380732935.0, std::nullopt, std::nullopt)), "2017-10-30T16:25:32.935Z")
      << "$fromMillis(1509380732935)";
  // $fromMillis(foo)  -> undefined argument: undefined result (evaluator-level)
  // $fromMillis(undefined, 'undefined')  -> undefined argument: undefined result (evaluator-level)
  EXPECT_EQ(S(from_millis(1521801216617.0, "Hello", std::nullopt)), "Hello")
      << "$fromMillis(1521801216617, 'Hello')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "Year: [Y0001]", std::nullopt)), "Year: 2018")
      << "$fromMillis(1521801216617, 'Year: [Y0001]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "Year: <[Y0001]>", std::nullopt)), "Year: <2018>")
      << "$fromMillis(1521801216617, 'Year: <[Y0001]>')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "Year: <[Y9,999,*]>", std::nullopt)), "Year: <2,018>")
      << "$fromMillis(1521801216617, 'Year: <[Y9,999,*]>')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[[Year: <[Y0001]>", std::nullopt)), "[Year: <2018>")
      << "$fromMillis(1521801216617, '[[Year: <[Y0001]>')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "Year]]: <[Y0001]>", std::nullopt)), "Year]: <2018>")
      << "$fromMillis(1521801216617, 'Year]]: <[Y0001]>')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[[Year]]: [[[Y0001]]]", std::nullopt)),
            "[Year]: [2018]")
      << "$fromMillis(1521801216617, '[[Year]]: [[[Y0001]]]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[D#1]/[M#1]/[Y0001]", std::nullopt)), "23/3/2018")
      << "$fromMillis(1521801216617, '[D#1]/[M#1]/[Y0001]')";
  EXPECT_EQ(S(from_millis(1522616700000.0, "[F0] [FNn]", std::nullopt)), "7 Sunday")
      << "$fromMillis(1522616700000, '[F0] [FNn]')";
  EXPECT_EQ(S(from_millis(1522703100000.0, "[F0] [FNn]", std::nullopt)), "1 Monday")
      << "$fromMillis(1522703100000, '[F0] [FNn]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[Y0001]-[M01]-[D01]", std::nullopt)), "2018-03-23")
      << "$fromMillis(1521801216617, '[Y0001]-[M01]-[D01]')";
  EXPECT_EQ(
      S(from_millis(1521801216617.0, "[M01]/[D01]/[Y0001] at [H01]:[m01]:[s01]", std::nullopt)),
      "03/23/2018 at 10:33:36")
      << "$fromMillis(1521801216617, '[M01]/[D01]/[Y0001] at [H01]:[m01]:[s01]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]",
                          std::nullopt)),
            "2018-03-23T10:33:36.617Z")
      << "$fromMillis(1521801216617, '[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]')";
  EXPECT_EQ(
      S(from_millis(1521801216617.0, "[Y]-[ M01]-[D 01]T[H01 ]:[ m   ]:[s].[f0  01][Z01:\n 01t]",
                    std::nullopt)),
      "2018-03-23T10:33:36.617Z")
      << "$fromMillis(1521801216617, '[Y]-[ M01]-[D 01]T[H01 ]:[ m   ]:[s].[f0  01][Z01:\n 01t]')";
  EXPECT_EQ(
      S(from_millis(1521801216617.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0100")),
      "2018-03-23T11:33:36.617+0100")
      << "$fromMillis(1521801216617, '[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]', '+0100')";
  EXPECT_EQ(S(from_millis(1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01]", std::nullopt)),
            "2018-07-11T12:00:00+00:00")
      << "$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01]')";
  EXPECT_EQ(S(from_millis(1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]", std::nullopt)),
            "2018-07-11T12:00:00Z")
      << "$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]')";
  EXPECT_EQ(S(from_millis(1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "-0500")),
            "2018-07-11T07:00:00-05:00")
      << "$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]', '-0500')";
  EXPECT_EQ(S(from_millis(1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "-0500")),
            "2018-07-11T07:00:00-5")
      << "$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]', '-0500')";
  EXPECT_EQ(S(from_millis(1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "+1000")),
            "2018-07-11T22:00:00+10:00")
      << "$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]', '+1000')";
  EXPECT_EQ(S(from_millis(1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+1000")),
            "2018-07-11T22:00:00+10")
      << "$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]', '+1000')";
  EXPECT_EQ(S(from_millis(1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+0530")),
            "2018-07-11T17:30:00+5:30")
      << "$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]', '+0530')";
  EXPECT_EQ(S(from_millis(1531310400000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s][z]", "-0500")),
            "2018-07-11T07:00:00GMT-05:00")
      << "$fromMillis(1531310400000, '[Y]-[M01]-[D01]T[H01]:[m]:[s][z]', '-0500')";
  EXPECT_EQ(
      S(from_millis(1204405500000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530")),
      "2008-03-02T02:35:00.000+0530")
      << "$fromMillis(1204405500000, '[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]', '+0530')";
  EXPECT_EQ(
      S(from_millis(1230757500000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530")),
      "2009-01-01T02:35:00.000+0530")
      << "$fromMillis(1230757500000, '[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]', '+0530')";
  EXPECT_EQ(
      S(from_millis(1230757500000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z010101t]", "+0530")),
      "ERR:D3134")
      << "$fromMillis(1230757500000, '[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z010101t]', '+0530')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[D#1,2]/[M1,2]/[Y,2]", std::nullopt)), "23/03/18")
      << "$fromMillis(1521801216617, '[D#1,2]/[M1,2]/[Y,2]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[D#1,2]/[M1,2]/[Y0001,2]", std::nullopt)), "23/03/2018")
      << "$fromMillis(1521801216617, '[D#1,2]/[M1,2]/[Y0001,2]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[D#1,2]/[M1,2]/[Y##01,2-2]", std::nullopt)), "23/03/18")
      << "$fromMillis(1521801216617, '[D#1,2]/[M1,2]/[Y##01,2-2]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[D#1,2]/[M1,2]/[Y0001,2-2]", std::nullopt)), "23/03/18")
      << "$fromMillis(1521801216617, '[D#1,2]/[M1,2]/[Y0001,2-2]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[D1] [M01] [YI]", std::nullopt)), "23 03 MMXVIII")
      << "$fromMillis(1521801216617, '[D1] [M01] [YI]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[Da] [MA] [Yi]", std::nullopt)), "w C mmxviii")
      << "$fromMillis(1521801216617, '[Da] [MA] [Yi]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[D1o] [M01] [Y]", std::nullopt)), "23rd 03 2018")
      << "$fromMillis(1521801216617, '[D1o] [M01] [Y]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[Yw]", std::nullopt)), "two thousand and eighteen")
      << "$fromMillis(1521801216617, '[Yw]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[Dwo] [M01] [Y]", std::nullopt)),
            "twenty-third 03 2018")
      << "$fromMillis(1521801216617, '[Dwo] [M01] [Y]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[D1o] [MNn] [Y]", std::nullopt)), "23rd March 2018")
      << "$fromMillis(1521801216617, '[D1o] [MNn] [Y]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[D1o] [MN] [Y]", std::nullopt)), "23rd MARCH 2018")
      << "$fromMillis(1521801216617, '[D1o] [MN] [Y]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[FNn], [D1o] [MNn] [Y]", std::nullopt)),
            "Friday, 23rd March 2018")
      << "$fromMillis(1521801216617, '[FNn], [D1o] [MNn] [Y]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[FNn], the [Dwo] of [MNn] [Y] [E]", std::nullopt)),
            "Friday, the twenty-third of March 2018 ISO")
      << "$fromMillis(1521801216617, '[FNn], the [Dwo] of [MNn] [Y] [E]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[FNn,3-3], [D1o] [MNn,3-3] [Y] [C]", std::nullopt)),
            "Fri, 23rd Mar 2018 ISO")
      << "$fromMillis(1521801216617, '[FNn,3-3], [D1o] [MNn,3-3] [Y] [C]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", std::nullopt)),
            "friday, 23/3/2018 10:33:36 am")
      << "$fromMillis(1521801216617, '[F], [D]/[M]/[Y] [h]:[m]:[s] [P]')";
  EXPECT_EQ(S(from_millis(1204405500000.0, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", std::nullopt)),
            "saturday, 1/3/2008 9:05:00 pm")
      << "$fromMillis(1204405500000, '[F], [D]/[M]/[Y] [h]:[m]:[s] [P]')";
  EXPECT_EQ(S(from_millis(1199664000000.0, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", std::nullopt)),
            "monday, 7/1/2008 12:00:00 am")
      << "$fromMillis(1199664000000, '[F], [D]/[M]/[Y] [h]:[m]:[s] [P]')";
  EXPECT_EQ(S(from_millis(1514808000000.0, "[dwo] day of the year", std::nullopt)),
            "first day of the year")
      << "$fromMillis(1514808000000, '[dwo] day of the year')";
  EXPECT_EQ(S(from_millis(1546257600000.0, "[d] days in [Y0001]", std::nullopt)),
            "365 days in 2018")
      << "$fromMillis(1546257600000, '[d] days in [Y0001]')";
  EXPECT_EQ(S(from_millis(1483185600000.0, "[d] days in [Y0001]", std::nullopt)),
            "366 days in 2016")
      << "$fromMillis(1483185600000, '[d] days in [Y0001]')";
  EXPECT_EQ(S(from_millis(1514808000000.0, "Week: [W]", std::nullopt)), "Week: 1")
      << "$fromMillis(1514808000000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1515326400000.0, "Week: [W]", std::nullopt)), "Week: 1")
      << "$fromMillis(1515326400000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1545739200000.0, "Week: [W]", std::nullopt)), "Week: 52")
      << "$fromMillis(1545739200000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1388577600000.0, "Week: [W]", std::nullopt)), "Week: 1")
      << "$fromMillis(1388577600000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1419854400000.0, "Week: [W]", std::nullopt)), "Week: 1")
      << "$fromMillis(1419854400000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1419768000000.0, "Week: [W]", std::nullopt)), "Week: 52")
      << "$fromMillis(1419768000000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1419336000000.0, "Week: [W]", std::nullopt)), "Week: 52")
      << "$fromMillis(1419336000000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1420113600000.0, "Week: [W]", std::nullopt)), "Week: 1")
      << "$fromMillis(1420113600000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1420459200000.0, "Week: [W]", std::nullopt)), "Week: 2")
      << "$fromMillis(1420459200000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1451304000000.0, "Week: [W]", std::nullopt)), "Week: 53")
      << "$fromMillis(1451304000000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1451563200000.0, "Week: [W]", std::nullopt)), "Week: 53")
      << "$fromMillis(1451563200000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1451736000000.0, "Week: [W]", std::nullopt)), "Week: 53")
      << "$fromMillis(1451736000000, 'Week: [W]')";
  EXPECT_EQ(S(from_millis(1359460800000.0, "Week: [w] of [xNn]", std::nullopt)),
            "Week: 5 of January")
      << "$fromMillis(1359460800000, 'Week: [w] of [xNn]')";
  EXPECT_EQ(S(from_millis(1359633600000.0, "Week: [w] of [xNn]", std::nullopt)),
            "Week: 5 of January")
      << "$fromMillis(1359633600000, 'Week: [w] of [xNn]')";
  EXPECT_EQ(S(from_millis(1359720000000.0, "Week: [w] of [xNn]", std::nullopt)),
            "Week: 5 of January")
      << "$fromMillis(1359720000000, 'Week: [w] of [xNn]')";
  EXPECT_EQ(S(from_millis(1514808000000.0, "Week: [w] of [xNn]", std::nullopt)),
            "Week: 1 of January")
      << "$fromMillis(1514808000000, 'Week: [w] of [xNn]')";
  EXPECT_EQ(S(from_millis(1483272000000.0, "Week: [w] of [xNn]", std::nullopt)),
            "Week: 5 of December")
      << "$fromMillis(1483272000000, 'Week: [w] of [xNn]')";
  EXPECT_EQ(S(from_millis(1533038400000.0, "Week: [w] of [xNn]", std::nullopt)),
            "Week: 1 of August")
      << "$fromMillis(1533038400000, 'Week: [w] of [xNn]')";
  EXPECT_EQ(S(from_millis(1419940800000.0, "Week: [w] of [xNn]", std::nullopt)),
            "Week: 1 of January")
      << "$fromMillis(1419940800000, 'Week: [w] of [xNn]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[F], [D]/[M]/[Y] [h]:[m]:[s] [PN]", std::nullopt)),
            "friday, 23/3/2018 10:33:36 AM")
      << "$fromMillis(1521801216617, '[F], [D]/[M]/[Y] [h]:[m]:[s] [PN]')";
  EXPECT_EQ(S(from_millis(1521801216617.0, "[F], [D]/[M]/[Y] [h]:[m]:[s] [Pn]", std::nullopt)),
            "friday, 23/3/2018 10:33:36 am")
      << "$fromMillis(1521801216617, '[F], [D]/[M]/[Y] [h]:[m]:[s] [Pn]')";
  EXPECT_EQ(S(from_millis(1419940800000.0, "[YN]-[M]-[D]", std::nullopt)), "ERR:D3133")
      << "$fromMillis(1419940800000, '[YN]-[M]-[D]')";
  EXPECT_EQ(S(from_millis(1419940800000.0, "[YN]-[M", std::nullopt)), "ERR:D3135")
      << "$fromMillis(1419940800000, '[YN]-[M')";
  EXPECT_EQ(FromMs(to_millis("2005-01-01", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2004-W53-6")
      << "($ts := $toMillis('2005-01-01', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2005-01-02", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2004-W53-7")
      << "($ts := $toMillis('2005-01-02', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2005-12-31", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2005-W52-6")
      << "($ts := $toMillis('2005-12-31', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2006-01-01", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2005-W52-7")
      << "($ts := $toMillis('2006-01-01', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2006-01-02", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2006-W01-1")
      << "($ts := $toMillis('2006-01-02', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2006-12-31", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2006-W52-7")
      << "($ts := $toMillis('2006-12-31', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2007-01-01", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2007-W01-1")
      << "($ts := $toMillis('2007-01-01', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2007-12-30", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2007-W52-7")
      << "($ts := $toMillis('2007-12-30', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2007-12-31", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2008-W01-1")
      << "($ts := $toMillis('2007-12-31', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2008-01-01", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2008-W01-2")
      << "($ts := $toMillis('2008-01-01', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2008-12-28", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2008-W52-7")
      << "($ts := $toMillis('2008-12-28', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2008-12-29", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2009-W01-1")
      << "($ts := $toMillis('2008-12-29', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2008-12-30", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2009-W01-2")
      << "($ts := $toMillis('2008-12-30', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2008-12-31", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2009-W01-3")
      << "($ts := $toMillis('2008-12-31', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2009-01-01", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2009-W01-4")
      << "($ts := $toMillis('2009-01-01', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2009-12-31", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2009-W53-4")
      << "($ts := $toMillis('2009-12-31', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2010-01-01", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2009-W53-5")
      << "($ts := $toMillis('2010-01-01', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2010-01-02", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2009-W53-6")
      << "($ts := $toMillis('2010-01-02', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  EXPECT_EQ(FromMs(to_millis("2010-01-03", "[Y]-[M]-[D]", kNow), "[X0001]-W[W01]-[F1]"),
            "2009-W53-7")
      << "($ts := $toMillis('2010-01-03', '[Y]-[M]-[D]'); $fromMillis($ts, '[X0001]-W[W01]-[F1]') "
         ")";
  // $toMillis('2018-10-21T13:05:00Z').[$fromMillis(), $fromMillis($, (),'-0500'), $fromMillis($,
  // (),'0000')]
  const auto t = to_millis("2018-10-21T13:05:00Z", std::nullopt);
  EXPECT_EQ(FromMs(t), "2018-10-21T13:05:00.000Z");
  EXPECT_EQ(FromMs(t, std::nullopt, "-0500"), "2018-10-21T08:05:00.000-05:00");
  EXPECT_EQ(FromMs(t, std::nullopt, "0000"), "2018-10-21T13:05:00.000Z");
}

TEST(FromMillis, FormatsIsoByDefaultAndTruncatesFractionalMillis) {
  EXPECT_EQ(S(from_millis(1.9, std::nullopt, std::nullopt)), "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(S(from_millis(-1.9, std::nullopt, std::nullopt)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(S(from_millis(1531310400000, "[Z]", "-0530")), "-06:30");
  EXPECT_EQ(S(from_millis(1521801216617, "[Y,2]/[M01]", std::nullopt)), "18/03");
}

TEST(FromMillis, ReportsPictureErrors) {
  EXPECT_EQ(S(from_millis(0, "[q]", std::nullopt)), "ERR:D3132");
  EXPECT_EQ(S(from_millis(0, "[]", std::nullopt)), "ERR:D3132");
  EXPECT_EQ(S(from_millis(0, "[DN]", std::nullopt)), "ERR:D3133");
  EXPECT_EQ(S(from_millis(0, "[Y", std::nullopt)), "ERR:D3135");
}

TEST(ToMillis, MatchesSuiteGroupFunctionToMillis) {
  EXPECT_EQ(N(to_millis("1970-01-01T00:00:00.001Z", std::nullopt, kNow)), N(1.0))
      << "$toMillis(\"1970-01-01T00:00:00.001Z\")";
  EXPECT_EQ(N(to_millis("2018-02-01T09:42:13.123+0000", std::nullopt, kNow)), N(1517478133123.0))
      << "$toMillis(\"2018-02-01T09:42:13.123+0000\")";
  EXPECT_EQ(N(to_millis("2017-10-30", std::nullopt, kNow)), N(1509321600000.0))
      << "$toMillis(\"2017-10-30\")";
  EXPECT_EQ(N(to_millis("2017-10-30T15:28:34Z", std::nullopt, kNow)), N(1509377314000.0))
      << "$toMillis(\"2017-10-30T15:28:34Z\")";
  EXPECT_EQ(N(to_millis("2018", std::nullopt, kNow)), N(1514764800000.0)) << "$toMillis(\"2018\")";
  // $toMillis(foo)  -> undefined argument: undefined result (evaluator-level)
  EXPECT_EQ(N(to_millis("foo", std::nullopt, kNow)), "ERR:D3110") << "$toMillis(\"foo\")";
  EXPECT_EQ(N(to_millis("01-02-2018", std::nullopt, kNow)), "ERR:D3110")
      << "$toMillis(\"01-02-2018\")";
  EXPECT_EQ(N(to_millis("2018-02-03 11:15:33", std::nullopt, kNow)), "ERR:D3110")
      << "$toMillis(\"2018-02-03 11:15:33\")";
  EXPECT_EQ(N(to_millis("201802", "[Y0001][M01]", kNow)), N(1517443200000.0))
      << "$toMillis(\"201802\", \"[Y0001][M01]\")";
  EXPECT_EQ(N(to_millis("201802", "[Y,*-4][M01]", kNow)), N(1517443200000.0))
      << "$toMillis(\"201802\", \"[Y,*-4][M01]\")";
  EXPECT_EQ(N(to_millis("20180205", "[Y0001][M01][D01]", kNow)), N(1517788800000.0))
      << "$toMillis(\"20180205\", \"[Y0001][M01][D01]\")";
  // $toMillis(undefined, 'pic')  -> undefined argument: undefined result (evaluator-level)
  EXPECT_EQ(N(to_millis("Hello", "Hello", kNow)), "undefined") << "$toMillis('Hello', 'Hello')";
  EXPECT_EQ(N(to_millis("2018", "[Y1]", kNow)), N(1514764800000.0)) << "$toMillis('2018', '[Y1]')";
  EXPECT_EQ(N(to_millis("2018-03-27", "[Y1]-[M01]-[D01]", kNow)), N(1522108800000.0))
      << "$toMillis('2018-03-27', '[Y1]-[M01]-[D01]')";
  EXPECT_EQ(N(to_millis("2018-03-27T14:03:00.123Z", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z",
                        kNow)),
            N(1522159380123.0))
      << "$toMillis('2018-03-27T14:03:00.123Z', '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z')";
  EXPECT_EQ(N(to_millis("27th 3 1976", "[D1o] [M#1] [Y0001]", kNow)), N(196732800000.0))
      << "$toMillis('27th 3 1976', '[D1o] [M#1] [Y0001]')";
  EXPECT_EQ(N(to_millis("21st 12 1881", "[D1o] [M01] [Y0001]", kNow)), N(-2777932800000.0))
      << "$toMillis('21st 12 1881', '[D1o] [M01] [Y0001]')";
  EXPECT_EQ(N(to_millis("2nd 12 2012", "[D1o] [M01] [Y0001]", kNow)), N(1354406400000.0))
      << "$toMillis('2nd 12 2012', '[D1o] [M01] [Y0001]')";
  EXPECT_EQ(N(to_millis("MCMLXXXIV", "[YI]", kNow)), N(441763200000.0))
      << "$toMillis('MCMLXXXIV', '[YI]')";
  EXPECT_EQ(N(to_millis("27 03 MMXVIII", "[D1] [M01] [YI]", kNow)), N(1522108800000.0))
      << "$toMillis('27 03 MMXVIII', '[D1] [M01] [YI]')";
  EXPECT_EQ(N(to_millis("27 iii MMXVIII", "[D1] [Mi] [YI]", kNow)), N(1522108800000.0))
      << "$toMillis('27 iii MMXVIII', '[D1] [Mi] [YI]')";
  EXPECT_EQ(N(to_millis("w C mmxviii", "[Da] [MA] [Yi]", kNow)), N(1521763200000.0))
      << "$toMillis('w C mmxviii', '[Da] [MA] [Yi]')";
  EXPECT_EQ(N(to_millis("ae C mmxviii", "[Da] [MA] [Yi]", kNow)), N(1522454400000.0))
      << "$toMillis('ae C mmxviii', '[Da] [MA] [Yi]')";
  EXPECT_EQ(N(to_millis("27th April 2008", "[D1o] [MNn] [Y0001]", kNow)), N(1209254400000.0))
      << "$toMillis('27th April 2008', '[D1o] [MNn] [Y0001]')";
  EXPECT_EQ(N(to_millis("21 August 2017", "[D1] [MNn] [Y0001]", kNow)), N(1503273600000.0))
      << "$toMillis('21 August 2017', '[D1] [MNn] [Y0001]')";
  EXPECT_EQ(N(to_millis("2 Feb 2012", "[D1] [MNn,3-3] [Y0001]", kNow)), N(1328140800000.0))
      << "$toMillis('2 Feb 2012', '[D1] [MNn,3-3] [Y0001]')";
  EXPECT_EQ(N(to_millis("one thousand, nine hundred and eighty-four", "[Yw]", kNow)),
            N(441763200000.0))
      << "$toMillis('one thousand, nine hundred and eighty-four', '[Yw]')";
  EXPECT_EQ(N(to_millis("nineteen hundred and eighty-four", "[Yw]", kNow)), N(441763200000.0))
      << "$toMillis('nineteen hundred and eighty-four', '[Yw]')";
  EXPECT_EQ(N(to_millis("twenty-seven April 2008", "[Dw] [MNn] [Y0001]", kNow)), N(1209254400000.0))
      << "$toMillis('twenty-seven April 2008', '[Dw] [MNn] [Y0001]')";
  EXPECT_EQ(N(to_millis("twenty-seventh April 2008", "[Dw] [MNn] [Y0001]", kNow)),
            N(1209254400000.0))
      << "$toMillis('twenty-seventh April 2008', '[Dw] [MNn] [Y0001]')";
  EXPECT_EQ(N(to_millis("twenty-first August two thousand and seventeen", "[Dw] [MNn] [Yw]", kNow)),
            N(1503273600000.0))
      << "$toMillis('twenty-first August two thousand and seventeen', '[Dw] [MNn] [Yw]')";
  EXPECT_EQ(
      N(to_millis("TWENTY-SECOND August two thousand and seventeen", "[DW] [MNn] [Yw]", kNow)),
      N(1503360000000.0))
      << "$toMillis('TWENTY-SECOND August two thousand and seventeen', '[DW] [MNn] [Yw]')";
  EXPECT_EQ(
      N(to_millis("Twentieth of August, two thousand and seventeen", "[DW] of [MNn], [Yw]", kNow)),
      N(1503187200000.0))
      << "$toMillis('Twentieth of August, two thousand and seventeen', '[DW] of [MNn], [Yw]')";
  EXPECT_EQ(N(to_millis("4/4/2018 12:06 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]", kNow)),
            N(1522800360000.0))
      << "$toMillis('4/4/2018 12:06 am', '[D1]/[M1]/[Y0001] [h]:[m] [P]')";
  EXPECT_EQ(N(to_millis("4/4/2018 06:30 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]", kNow)),
            N(1522823400000.0))
      << "$toMillis('4/4/2018 06:30 am', '[D1]/[M1]/[Y0001] [h]:[m] [P]')";
  EXPECT_EQ(N(to_millis("4/4/2018 12:06 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", kNow)),
            N(1522843560000.0))
      << "$toMillis('4/4/2018 12:06 pm', '[D1]/[M1]/[Y0001] [h]:[m] [P]')";
  EXPECT_EQ(N(to_millis("4/4/2018 11:30 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", kNow)),
            N(1522884600000.0))
      << "$toMillis('4/4/2018 11:30 pm', '[D1]/[M1]/[Y0001] [h]:[m] [P]')";
  EXPECT_EQ(N(to_millis("2018-094", "[Y0001]-[d001]", kNow)), N(1522800000000.0))
      << "$toMillis('2018-094', '[Y0001]-[d001]')";
  EXPECT_EQ(FromMs(to_millis("Wednesday, 14th November 2018", "[FNn], [D1o] [MNn] [Y]", kNow)),
            "2018-11-14T00:00:00.000Z")
      << "$toMillis('Wednesday, 14th November 2018', '[FNn], [D1o] [MNn] [Y]') ~> $fromMillis()";
  EXPECT_EQ(FromMs(to_millis("Mon, Twelfth November 2018", "[FNn,*-3], [DWwo] [MNn] [Y]", kNow)),
            "2018-11-12T00:00:00.000Z")
      << "$toMillis('Mon, Twelfth November 2018', '[FNn,*-3], [DWwo] [MNn] [Y]') ~> $fromMillis()";
  EXPECT_EQ(FromMs(to_millis("2018--180", "[Y]--[d]", kNow)), "2018-06-29T00:00:00.000Z")
      << "$toMillis('2018--180', '[Y]--[d]') ~> $fromMillis()";
  EXPECT_EQ(
      FromMs(to_millis("three hundred and sixty-fifth day of 2018", "[dwo] day of [Y]", kNow)),
      "2018-12-31T00:00:00.000Z")
      << "$toMillis('three hundred and sixty-fifth day of 2018', '[dwo] day of [Y]') ~> "
         "$fromMillis()";
  EXPECT_EQ(N(to_millis("irrelevent string", "[Y]-[M]-[D]", kNow)), "undefined")
      << "$toMillis('irrelevent string', '[Y]-[M]-[D]')";
  EXPECT_EQ(N(to_millis("2018-05-22", "[Y]-[M]-[q]", kNow)), "ERR:D3132")
      << "$toMillis('2018-05-22', '[Y]-[M]-[q]')";
  EXPECT_EQ(N(to_millis("2018-05-22", "[YN]-[M]-[D]", kNow)), "ERR:D3133")
      << "$toMillis('2018-05-22', '[YN]-[M]-[D]')";
  EXPECT_EQ(N(to_millis("2018-22", "[Y]-[D]", kNow)), "ERR:D3136")
      << "$toMillis('2018-22', '[Y]-[D]')";
  EXPECT_EQ(N(to_millis("5-22 23:59", "[M]-[D] [m]:[s]", kNow)), "ERR:D3136")
      << "$toMillis('5-22 23:59', '[M]-[D] [m]:[s]')";
  EXPECT_EQ(N(to_millis("2018-3-2-5", "[X]-[x]-[w]-[F1]", kNow)), "ERR:D3136")
      << "$toMillis('2018-3-2-5', '[X]-[x]-[w]-[F1]')";
  EXPECT_EQ(N(to_millis("2018-32-5", "[X]-[W]-[F1]", kNow)), "ERR:D3136")
      << "$toMillis('2018-32-5', '[X]-[W]-[F1]')";
  EXPECT_EQ(FromMs(to_millis("2020-09-09 08:00:00 +02:00",
                             "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]", kNow)),
            "2020-09-09T06:00:00.000Z")
      << "$toMillis('2020-09-09 08:00:00 +02:00', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]') ~> "
         "$fromMillis() ";
  EXPECT_EQ(FromMs(to_millis("2020-09-09 08:00:00 GMT-05:00",
                             "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]", kNow)),
            "2020-09-09T13:00:00.000Z")
      << "$toMillis('2020-09-09 08:00:00 GMT-05:00', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]') "
         "~> $fromMillis() ";
  EXPECT_EQ(FromMs(to_millis("2020-09-09 12:00:00 +05:30",
                             "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]", kNow)),
            "2020-09-09T06:30:00.000Z")
      << "$toMillis('2020-09-09 12:00:00 +05:30', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]') ~> "
         "$fromMillis() ";
  EXPECT_EQ(FromMs(to_millis("2020-09-09 12:00:00 GMT-5",
                             "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z01]", kNow)),
            "2020-09-09T17:00:00.000Z")
      << "$toMillis('2020-09-09 12:00:00 GMT-5', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z01]') ~> "
         "$fromMillis() ";
  EXPECT_EQ(FromMs(to_millis("2020-09-09 12:00:00 +0530",
                             "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z0001]", kNow)),
            "2020-09-09T06:30:00.000Z")
      << "$toMillis('2020-09-09 12:00:00 +0530', '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z0001]') "
         "~> $fromMillis() ";
  EXPECT_EQ(FromMs(to_millis("2026-04-08T19:05:04.01987",
                             "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f1]", kNow)),
            "2026-04-08T19:05:04.019Z")
      << "$toMillis('2026-04-08T19:05:04.01987', '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f1]') ~> "
         "$fromMillis() ";
  // $toMillis('2024-01-01T12:38:49Z') = $toMillis('20240101123849',
  // '[Y0000][M00][D00][H00][m00][s00]')
  EXPECT_EQ(N(to_millis("2024-01-01T12:38:49Z", std::nullopt)),
            N(to_millis("20240101123849", "[Y0000][M00][D00][H00][m00][s00]", kNow)));
  // $toMillis('13:45', '[H]:[m]') ~> $fromMillis(): today's date (from $now()) at 13:45
  EXPECT_EQ(FromMs(to_millis("13:45", "[H]:[m]", kNow)), "2018-03-23T13:45:00.000Z");
}

TEST(ToMillis, ReadsIsoTimestampsLikeV8) {
  EXPECT_EQ(N(to_millis("2018-02-30", std::nullopt)), N(1519948800000.0));
  EXPECT_EQ(N(to_millis("2018T12:00:00", std::nullopt)), N(1514808000000.0));
  EXPECT_EQ(N(to_millis("2018-01-01T12:00:00.1234567+05:30", std::nullopt)), N(1514788200123.0));
  EXPECT_EQ(N(to_millis("0099-01-01T00:00:00Z", std::nullopt)), N(-59042995200000.0));
  EXPECT_EQ(N(to_millis("2018-01-01T24:00:00", std::nullopt)), N(1514851200000.0));
  EXPECT_EQ(N(to_millis("2018-13-01", std::nullopt)), "nan");
  EXPECT_EQ(N(to_millis("2018-25", std::nullopt)), "nan");
  EXPECT_EQ(N(to_millis("2018-01-01 12:00", std::nullopt)), "ERR:D3110");
}

TEST(ToMillis, MapsTwoDigitYearsLikeDateUtc) {
  EXPECT_EQ(N(to_millis("18", "[Y,2]", kNow)), N(-1640995200000.0));
}

TEST(FormatNumber, SwitchesToExponentFormForTinyAndHugeMantissas) {
  EXPECT_EQ(S(format_number(0.000001234, "0.00e0", nullptr)), "1.23e-6");
  EXPECT_EQ(S(format_number(123456789e20, "#,##0", nullptr)), "1.23456789e+2");
  EXPECT_EQ(S(format_number(-0.25, "0%", nullptr)), "-25%");
  EXPECT_EQ(S(format_number(1234.5, "#,##0.0 units", nullptr)), "1,234.5 units");
}

TEST(FormatNumber, MultiCharacterSymbolsAreNeverActive) {
  DecimalFormat o;
  o.set("decimal-separator", "dot");
  EXPECT_EQ(S(format_number(1234.5, "0.0", &o)), "ERR:D3086");
}

TEST(FormatBase, WritesV8ZerosBelowDoublePrecision) {
  EXPECT_EQ(S(format_base(1e20, 36)), "l3r41ifs0p800");
  EXPECT_EQ(S(format_base(1152921504606851072.0, 3)), "21200101122222021102111220121202100000");
}

TEST(FormatInteger, SeparatorsBeyondTheDigitsDropDigitsLikeJsonataJs) {
  EXPECT_EQ(S(format_integer(70, ":90##,00")), ":,70");
  EXPECT_EQ(S(format_integer(1e21, "0")), "1e+21");
  EXPECT_EQ(S(format_integer(1234567, "w")),
            "one million, two hundred and thirty-four thousand, five hundred and sixty-seven");
}

TEST(ParseInteger, IrregularSeparatorsAreStripped) {
  EXPECT_EQ(N(parse_integer("1,234", "#:##0")), N(1234.0));
}

TEST(FromMillis, InvalidDatesAndTimezonesPrintNaNFields) {
  EXPECT_EQ(S(from_millis(762296009063, std::nullopt, "abc")), "0NaN-NaN-NaNTNaN:NaN:NaN.NaN0N:aN");
  EXPECT_EQ(S(from_millis(1e20, std::nullopt, std::nullopt)), "0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ");
  EXPECT_EQ(S(from_millis(1521801216617, "[H01]:[m01] [z]", "+0530")), "16:03 GMT+05:30");
}

TEST(ToMillis, IsoPatternBacktracksIntoTheOffsetGroup) {
  // "-05:00" matches as an offset after backtracking; V8 then rejects the shape: NaN.
  EXPECT_EQ(N(to_millis("2018-12-05:00", std::nullopt)), "nan");
  EXPECT_EQ(N(to_millis("2018-01-01T10:00:00+0530", std::nullopt)), N(1514781000000.0));
  EXPECT_EQ(N(to_millis("2018-01-01T10:00:00-05", std::nullopt)), "ERR:D3110");
}

TEST(ToMillis, NamesAreLookedUpWithTheirExactCase) {
  EXPECT_EQ(N(to_millis("Nov 2018", "[MNn,3-3] [Y]", kNow)), N(1541030400000.0));
  // "nov" matches [a-zA-Z]+ but is not a month name, so the month is missing.
  EXPECT_EQ(N(to_millis("12 nov 2018", "[D] [MNn,3-3] [Y]", kNow)), "ERR:D3136");
}

TEST(ToMillis, ShapesOutsideEcmaScriptFormatFollowV8LegacyParsing) {
  EXPECT_EQ(N(to_millis("2018Z", std::nullopt)), N(1514764800000.0));
  EXPECT_EQ(N(to_millis("0000Z", std::nullopt)), N(946684800000.0));
  EXPECT_EQ(N(to_millis("2018.05", std::nullopt)), N(1525132800000.0));
  EXPECT_EQ(N(to_millis("2018-01.5", std::nullopt)), N(1515110400000.0));
  EXPECT_EQ(N(to_millis("2018.123", std::nullopt)), "nan");
  EXPECT_EQ(N(to_millis("2018+01:00", std::nullopt)), "nan");
}

}  // namespace
}  // namespace hotpath::jsonata::format
