// Document::parse on bad input: every failure is a ParseError with an exact message, line,
// column and offset, and hostile input (100,000-deep nesting, huge sizes) fails quickly.
#include <gtest/gtest.h>

#include <string>

#include "hotpath/json.h"

namespace hotpath::json {
namespace {

// "line L, column C: message" for bad input, "ok" when it parses.
std::string error_of(std::string_view input, const ParseOptions& options = {}) {
  Document doc;
  auto parsed = doc.parse(input, options);
  if (parsed.ok()) return "ok";
  EXPECT_TRUE(doc.root().is_null());
  return parsed.error().to_string();
}

TEST(JsonParseError, empty_and_whitespace_only_input_is_empty_input_at_1_1) {
  EXPECT_EQ(error_of(""), "line 1, column 1: empty input");
  EXPECT_EQ(error_of(" \n\t "), "line 1, column 1: empty input");
}

TEST(JsonParseError, reports_line_column_and_offset_fields) {
  Document doc;
  auto parsed = doc.parse("{\n  \"a\": 1,\n  \"b\": ]\n}");
  ASSERT_FALSE(parsed.ok());
  const ParseError& e = parsed.error();
  EXPECT_EQ(e.message, "expected a value after ':'");
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, 8u);
  EXPECT_EQ(e.offset, 19u);
  EXPECT_EQ(e.to_string(), "line 3, column 8: expected a value after ':'");
}

TEST(JsonParseError, truncated_input) {
  EXPECT_EQ(error_of(R"({"a":1)"), "line 1, column 7: unexpected end of input in object");
  EXPECT_EQ(error_of(R"({"a")"), "line 1, column 5: unexpected end of input in object");
  EXPECT_EQ(error_of(R"({"a":)"), "line 1, column 6: unexpected end of input in object");
  EXPECT_EQ(error_of("[1,2"), "line 1, column 5: unexpected end of input in array");
  EXPECT_EQ(error_of("[1,"), "line 1, column 4: unexpected end of input in array");
  EXPECT_EQ(error_of("["), "line 1, column 2: unexpected end of input in array");
  EXPECT_EQ(error_of(R"("abc)"), "line 1, column 5: unexpected end of input in string");
  EXPECT_EQ(error_of(R"(["a\)"), "line 1, column 5: unexpected end of input in string");
  EXPECT_EQ(error_of(R"("\u12)"), "line 1, column 6: unexpected end of input in string");
  EXPECT_EQ(error_of("tr"), "line 1, column 1: invalid literal, expected 'true'");
  EXPECT_EQ(error_of("-"), "line 1, column 2: invalid number: expected a digit after '-'");
}

TEST(JsonParseError, structural_mistakes) {
  EXPECT_EQ(error_of(R"({"a":1 "b":2})"),
            "line 1, column 8: expected ',' or '}' after object member");
  EXPECT_EQ(error_of("[1 2]"), "line 1, column 4: expected ',' or ']' after array element");
  EXPECT_EQ(error_of(R"({"a" 1})"), "line 1, column 6: expected ':' after object key");
  EXPECT_EQ(error_of("{1:2}"), "line 1, column 2: expected a string key or '}'");
  EXPECT_EQ(error_of(R"({"a":1,2})"), "line 1, column 8: expected a string key after ','");
  EXPECT_EQ(error_of("[1,]"), "line 1, column 3: trailing comma in array");
  EXPECT_EQ(error_of(R"({"a":1,})"), "line 1, column 7: trailing comma in object");
  EXPECT_EQ(error_of("[,1]"), "line 1, column 2: expected a value or ']'");
  EXPECT_EQ(error_of("[1,,2]"), "line 1, column 4: expected a value after ','");
  EXPECT_EQ(error_of("]"), "line 1, column 1: expected a value");
  EXPECT_EQ(error_of("[1}"), "line 1, column 3: expected ',' or ']' after array element");
  EXPECT_EQ(error_of("{\"a\":1]"), "line 1, column 7: expected ',' or '}' after object member");
  EXPECT_EQ(error_of("'a'"), "line 1, column 1: expected a value");
}

TEST(JsonParseError, trailing_garbage_after_the_value) {
  EXPECT_EQ(error_of("[1] x"), "line 1, column 5: trailing characters after JSON value");
  EXPECT_EQ(error_of("[1]]"), "line 1, column 4: trailing characters after JSON value");
  EXPECT_EQ(error_of("{}{}"), "line 1, column 3: trailing characters after JSON value");
  EXPECT_EQ(error_of("1 2"), "line 1, column 3: trailing characters after JSON value");
  EXPECT_EQ(error_of("\"a\" \"b\""), "line 1, column 5: trailing characters after JSON value");
  EXPECT_EQ(error_of("truex"), "line 1, column 5: trailing characters after JSON value");
  EXPECT_EQ(error_of("null\n,"), "line 2, column 1: trailing characters after JSON value");
}

TEST(JsonParseError, bad_literals) {
  EXPECT_EQ(error_of("[tru]"), "line 1, column 2: invalid literal, expected 'true'");
  EXPECT_EQ(error_of("nul"), "line 1, column 1: invalid literal, expected 'null'");
  EXPECT_EQ(error_of("[fals]"), "line 1, column 2: invalid literal, expected 'false'");
  EXPECT_EQ(error_of("[True]"), "line 1, column 2: expected a value or ']'");
  EXPECT_EQ(error_of("[truex]"), "line 1, column 6: expected ',' or ']' after array element");
}

TEST(JsonParseError, bad_numbers) {
  EXPECT_EQ(error_of("[01]"), "line 1, column 2: invalid number: leading zeros are not allowed");
  EXPECT_EQ(error_of("-012"), "line 1, column 2: invalid number: leading zeros are not allowed");
  EXPECT_EQ(error_of("[1.]"), "line 1, column 4: invalid number: expected a digit after '.'");
  EXPECT_EQ(error_of("[-]"), "line 1, column 3: invalid number: expected a digit after '-'");
  EXPECT_EQ(error_of("[1e]"), "line 1, column 4: invalid number: expected a digit in the exponent");
  EXPECT_EQ(error_of("[1e+]"),
            "line 1, column 5: invalid number: expected a digit in the exponent");
  EXPECT_EQ(error_of("[.5]"), "line 1, column 2: expected a value or ']'");
  EXPECT_EQ(error_of("[+1]"), "line 1, column 2: expected a value or ']'");
  EXPECT_EQ(error_of("[1x]"), "line 1, column 3: expected ',' or ']' after array element");
  EXPECT_EQ(error_of("[NaN]"), "line 1, column 2: expected a value or ']'");
  EXPECT_EQ(error_of("1.5e"), "line 1, column 5: invalid number: expected a digit in the exponent");
}

TEST(JsonParseError, tokens_must_end_where_a_separator_or_whitespace_starts) {
  EXPECT_EQ(error_of(R"(["a"x])"), "line 1, column 5: expected ',' or ']' after array element");
  EXPECT_EQ(error_of(R"(["a""b"])"), "line 1, column 5: expected ',' or ']' after array element");
  EXPECT_EQ(error_of(R"([1"a"])"), "line 1, column 3: expected ',' or ']' after array element");
  EXPECT_EQ(error_of(R"({"a":1"b"})"), "line 1, column 7: expected ',' or '}' after object member");
  EXPECT_EQ(error_of("[true false]"), "line 1, column 7: expected ',' or ']' after array element");
  EXPECT_EQ(error_of(R"({"a":tru})"), "line 1, column 6: invalid literal, expected 'true'");
  EXPECT_EQ(error_of(std::string_view("[1,\0]", 5)),
            "line 1, column 4: expected a value after ','");
  EXPECT_EQ(error_of(R"([\"a"])"), "line 1, column 2: expected a value or ']'");
  EXPECT_EQ(error_of("{\"a\" : 1 , }"), "line 1, column 10: trailing comma in object");
  EXPECT_EQ(error_of("\xEF\xBB\xBF  "), "line 1, column 1: empty input");
}

TEST(JsonParseError, escapes_are_checked_in_keys_and_in_strings_after_other_escapes) {
  EXPECT_EQ(error_of(R"({"a\x":1})"), "line 1, column 4: invalid escape '\\x' in string");
  EXPECT_EQ(error_of(R"(["ok", "bad\q"])"), "line 1, column 12: invalid escape '\\q' in string");
  EXPECT_EQ(error_of(R"(["\\", "x\u12G4"])"),
            "line 1, column 10: invalid \\u escape in string: expected 4 hex digits");
  EXPECT_EQ(error_of(R"(["a\n", "b", {"c\t": "\uD800"}])"),
            "line 1, column 23: lone surrogate \\uD800 in string escape");
}

TEST(JsonParseError, bad_string_escapes) {
  EXPECT_EQ(error_of(R"("\x")"), "line 1, column 2: invalid escape '\\x' in string");
  EXPECT_EQ(error_of(R"(["\u12G4"])"),
            "line 1, column 3: invalid \\u escape in string: expected 4 hex digits");
  EXPECT_EQ(error_of(R"(["\U0041"])"), "line 1, column 3: invalid escape '\\U' in string");
}

TEST(JsonParseError, lone_surrogate_escapes) {
  EXPECT_EQ(error_of(R"("\ud800")"), "line 1, column 2: lone surrogate \\ud800 in string escape");
  EXPECT_EQ(error_of(R"(["ab\uDC00"])"),
            "line 1, column 5: lone surrogate \\uDC00 in string escape");
  EXPECT_EQ(error_of(R"("\ud800\u0041")"),
            "line 1, column 2: lone surrogate \\ud800 in string escape");
  EXPECT_EQ(error_of(R"("\ud800\ud800")"),
            "line 1, column 2: lone surrogate \\ud800 in string escape");
  EXPECT_EQ(error_of(R"({"\udfff":1})"),
            "line 1, column 3: lone surrogate \\udfff in string escape");
  EXPECT_EQ(error_of(R"("\ud83d\ude00")"), "ok");
}

TEST(JsonParseError, control_characters_in_strings) {
  EXPECT_EQ(error_of("[\"a\tb\"]"), "line 1, column 4: unescaped control character 0x09 in string");
  EXPECT_EQ(error_of("\"line\nbreak\""),
            "line 1, column 6: unescaped control character 0x0a in string");
  EXPECT_EQ(error_of(std::string_view("\"a\0\"", 4)),
            "line 1, column 3: unescaped control character 0x00 in string");
  EXPECT_EQ(error_of("{\"k\x1f\":1}"),
            "line 1, column 4: unescaped control character 0x1f in string");
  EXPECT_EQ(error_of("\"\x7f\""), "ok");
}

TEST(JsonParseError, invalid_utf8) {
  EXPECT_EQ(error_of("[\"a\xff\"]"), "line 1, column 4: invalid UTF-8 byte 0xff in string");
  EXPECT_EQ(error_of("\"\x80\""), "line 1, column 2: invalid UTF-8 byte 0x80 in string");
  EXPECT_EQ(error_of("\"\xC0\x80\""), "line 1, column 2: invalid UTF-8 byte 0xc0 in string");
  EXPECT_EQ(error_of("\"\xE0\x80\x80\""),
            "line 1, column 2: invalid UTF-8 sequence starting with byte 0xe0 (overlong encoding) "
            "in string");
  EXPECT_EQ(error_of("\"\xED\xA0\x80\""),
            "line 1, column 2: invalid UTF-8 sequence starting with byte 0xed (encodes a UTF-16 "
            "surrogate) in string");
  EXPECT_EQ(error_of("\"\xF4\x90\x80\x80\""),
            "line 1, column 2: invalid UTF-8 sequence starting with byte 0xf4 (above U+10FFFF) in "
            "string");
  EXPECT_EQ(error_of("\"\xE2\x82\""),
            "line 1, column 2: incomplete UTF-8 sequence starting with byte 0xe2 in string");
  EXPECT_EQ(error_of("{\"k\xF5\":1}"), "line 1, column 4: invalid UTF-8 byte 0xf5 in string");
  EXPECT_EQ(error_of("[1]\xff"), "line 1, column 4: invalid UTF-8 byte 0xff");
  EXPECT_EQ(error_of("\xE2\x82"), "line 1, column 3: unexpected end of input in UTF-8 sequence");
  EXPECT_EQ(error_of("\"\xE2\x82"), "line 1, column 4: unexpected end of input in string");
  EXPECT_EQ(error_of("[\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"]"), "ok");
}

TEST(JsonParseError, nesting_deeper_than_max_depth) {
  std::string deep(1025, '[');
  deep += std::string(1025, ']');
  EXPECT_EQ(error_of(deep), "line 1, column 1025: nesting deeper than 1024 levels");
  ParseOptions shallow;
  shallow.max_depth = 2;
  EXPECT_EQ(error_of(R"({"a":[1]})", shallow), "ok");
  EXPECT_EQ(error_of(R"({"a":[{}]})", shallow), "line 1, column 7: nesting deeper than 2 levels");
  EXPECT_EQ(error_of("[[[]]]", shallow), "line 1, column 3: nesting deeper than 2 levels");
  ParseOptions flat;
  flat.max_depth = 0;
  EXPECT_EQ(error_of("1", flat), "ok");
  EXPECT_EQ(error_of("[]", flat), "line 1, column 1: nesting deeper than 0 levels");
}

TEST(JsonParseError, hundred_thousand_deep_nesting_fails_cleanly_without_crashing) {
  EXPECT_EQ(error_of(std::string(100000, '[')),
            "line 1, column 1025: nesting deeper than 1024 levels");
  EXPECT_EQ(error_of(std::string(100000, '[') + std::string(100000, ']')),
            "line 1, column 1025: nesting deeper than 1024 levels");
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_EQ(error_of(objects), "line 1, column 5121: nesting deeper than 1024 levels");
  // With the limit lifted, the tree builder and the checker must still not recurse.
  ParseOptions unlimited;
  unlimited.max_depth = 1000000;
  EXPECT_EQ(error_of(std::string(100000, '['), unlimited),
            "line 1, column 100001: unexpected end of input in array");
  Document doc;
  std::string balanced = std::string(100000, '[') + std::string(100000, ']');
  ASSERT_TRUE(doc.parse(balanced, unlimited).ok());
  EXPECT_TRUE(doc.root().is_array());
}

TEST(JsonParseError, input_larger_than_max_size_is_refused_with_size_and_limit) {
  ParseOptions small;
  small.max_size = 3;
  EXPECT_EQ(error_of("[1,2]", small),
            "line 1, column 1: input is 5 bytes, larger than the limit of 3 bytes");
  EXPECT_EQ(error_of("[1]", small), "ok");
}

TEST(JsonParseError, first_error_in_document_order_wins) {
  EXPECT_EQ(error_of("[\"\xff\", 01]"), "line 1, column 3: invalid UTF-8 byte 0xff in string");
  ParseOptions shallow;
  shallow.max_depth = 1;
  EXPECT_EQ(error_of("[1,,[[]]]", shallow), "line 1, column 4: expected a value after ','");
}

TEST(JsonParseError, counts_lines_and_byte_columns) {
  EXPECT_EQ(error_of("[\n1,\n\n  x]"), "line 4, column 3: expected a value after ','");
  EXPECT_EQ(error_of("[\"\xC3\xA9\", x]"), "line 1, column 8: expected a value after ','");
  EXPECT_EQ(error_of("{\r\n\"a\" 1}"), "line 2, column 5: expected ':' after object key");
}

}  // namespace
}  // namespace hotpath::json
