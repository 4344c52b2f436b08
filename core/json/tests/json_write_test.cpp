// Serialization (write, to_string, write_string), structural equality, and the UTF-8 helpers.
#include <gtest/gtest.h>

#include <string>

#include "hotpath/json.h"

namespace hotpath::json {
namespace {

std::string rewrite(std::string_view input) {
  Document doc;
  auto parsed = doc.parse(input);
  if (!parsed.ok()) return "error: " + parsed.error().to_string();
  std::string out = "prefix:";
  write(**parsed, out);
  return out;
}

bool equal_texts(std::string_view a, std::string_view b) {
  Document da, db;
  EXPECT_TRUE(da.parse(a).ok()) << a;
  EXPECT_TRUE(db.parse(b).ok()) << b;
  return equal(da.root(), db.root());
}

TEST(JsonWrite, writes_compact_json_appending_to_the_output) {
  EXPECT_EQ(
      rewrite(" { \"a\" : [ 1 , true , null , false , \"x\" ] , \"b\" : { } , \"c\" : [ ] } "),
      R"(prefix:{"a":[1,true,null,false,"x"],"b":{},"c":[]})");
}

TEST(JsonWrite, writes_numbers_as_their_source_text) {
  EXPECT_EQ(rewrite("[1.50, 2E+3, -0, 1e400, 0.1, 18446744073709551616, 1.0]"),
            "prefix:[1.50,2E+3,-0,1e400,0.1,18446744073709551616,1.0]");
  const std::string big(400, '7');
  EXPECT_EQ(rewrite(big), "prefix:" + big);
}

TEST(JsonWrite, writes_strings_with_minimal_escaping) {
  EXPECT_EQ(
      rewrite(R"(["\u0041\/\u00e9\u20ac\ud83d\ude00", "q\"b\\", "\b\f\n\r\t\u0001\u001f\u007f"])"),
      "prefix:[\"A/"
      "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\",\"q\\\"b\\\\\","
      "\"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\"]");
}

TEST(JsonWrite, escapes_keys) { EXPECT_EQ(rewrite(R"({"a\"b\n":1})"), R"(prefix:{"a\"b\n":1})"); }

TEST(JsonWrite, write_string_appends_a_quoted_literal) {
  std::string out = "x=";
  write_string(std::string_view("tab\there \"q\" back\\ nul\0 \x1b \xC3\xA9", 28), out);
  EXPECT_EQ(out, "x=\"tab\\there \\\"q\\\" back\\\\ nul\\u0000 \\u001b \xC3\xA9\"");
  std::string empty;
  write_string("", empty);
  EXPECT_EQ(empty, "\"\"");
}

// Long strings are escaped in chunks of 4096 input bytes: escapes on and around the chunk
// edges, and both forms (std::string and a caller's buffer) give the same bytes.
TEST(JsonWrite, write_string_escapes_long_strings_across_chunks) {
  std::string s(10000, 'a');
  std::string want = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i % 4096 == 4095 || i % 4096 == 0 || i % 997 == 0) s[i] = i % 2 ? '"' : '\n';
  }
  for (char c : s) want += c == '"' ? "\\\"" : c == '\n' ? "\\n" : std::string(1, c);
  want += '"';
  std::string out = "x";
  write_string(s, out);
  EXPECT_EQ(out, "x" + want);
  std::string buf(string_literal_bound(s.size()), '\0');
  buf.resize(size_t(write_string(s, buf.data()) - buf.data()));
  EXPECT_EQ(buf, want);
}

TEST(JsonWrite, to_string_of_hand_built_values) {
  const Value items[] = {Value::null(), Value::boolean(true), Value::string("s", 1)};
  const Member members[] = {{"k", Value::array(items, 3)},
                            {"n", Value::number(NumberKind::int64, "12", 2, 12, 12)}};
  EXPECT_EQ(to_string(Value::object(members, 2)), R"({"k":[null,true,"s"],"n":12})");
  EXPECT_EQ(to_string(Value::number(NumberKind::int64, nullptr, 0, -3, -3)), "-3");
  EXPECT_EQ(to_string(Value::number(NumberKind::float64, nullptr, 0, 0.25, 0)), "0.25");
}

TEST(JsonWrite, round_trip_is_stable) {
  const char* inputs[] = {
      R"({"order":{"id":"A-1","qty":3,"price":19.99,"tags":["x","y"],"meta":{}},"ok":true,"n":null})",
      R"([[[]],{},[{}],"\u0000",-1.5e-7,12345678901234567890123])",
      "\"\xF0\x9F\x98\x80 \\\\ \\\"\"",
  };
  for (const char* input : inputs) {
    Document first, second;
    ASSERT_TRUE(first.parse(input).ok()) << input;
    const std::string once = to_string(first.root());
    ASSERT_TRUE(second.parse(once).ok()) << once;
    EXPECT_EQ(to_string(second.root()), once);
    EXPECT_TRUE(equal(first.root(), second.root()));
  }
}

TEST(JsonEqual, objects_ignore_member_order) {
  EXPECT_TRUE(equal_texts(R"({"a":1,"b":[1,2]})", R"({"b":[1.0,2],"a":1e0})"));
  EXPECT_FALSE(equal_texts(R"({"a":1})", R"({"a":1,"b":2})"));
  EXPECT_FALSE(equal_texts(R"({"a":1,"b":2})", R"({"a":1})"));
  EXPECT_FALSE(equal_texts(R"({"a":1})", R"({"b":1})"));
  EXPECT_FALSE(equal_texts(R"({"a":{"x":1}})", R"({"a":{"x":2}})"));
  EXPECT_TRUE(equal_texts("{}", "{}"));
}

TEST(JsonEqual, duplicate_keys_compare_by_their_last_member) {
  EXPECT_TRUE(equal_texts(R"({"a":1,"a":2})", R"({"a":2})"));
  EXPECT_FALSE(equal_texts(R"({"a":1,"a":2})", R"({"a":1})"));
}

TEST(JsonEqual, arrays_compare_element_wise_in_order) {
  EXPECT_TRUE(equal_texts("[1,[2,{}]]", "[1.0,[2e0,{}]]"));
  EXPECT_FALSE(equal_texts("[1,2]", "[2,1]"));
  EXPECT_FALSE(equal_texts("[1]", "[1,1]"));
}

TEST(JsonEqual, different_types_are_never_equal) {
  EXPECT_FALSE(equal_texts("null", "false"));
  EXPECT_FALSE(equal_texts("0", "false"));
  EXPECT_FALSE(equal_texts("\"1\"", "1"));
  EXPECT_FALSE(equal_texts("[]", "{}"));
  EXPECT_TRUE(equal_texts("\"a\\u00e9\"", "\"a\xC3\xA9\""));
  EXPECT_FALSE(equal_texts("\"a\"", "\"b\""));
  EXPECT_TRUE(equal_texts("true", "true"));
  EXPECT_FALSE(equal_texts("true", "false"));
}

TEST(JsonUtf8, is_valid_utf8_rejects_overlongs_surrogates_and_beyond_max) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("ascii"));
  EXPECT_TRUE(is_valid_utf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF"));
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));
  EXPECT_FALSE(is_valid_utf8("\x80"));
}

TEST(JsonUtf8, count_code_points_counts_characters_not_bytes) {
  EXPECT_EQ(count_code_points(""), 0u);
  EXPECT_EQ(count_code_points("abc"), 3u);
  EXPECT_EQ(count_code_points("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), 3u);
  // Eight bytes at a time and the tail: every length, a 2-, 3- or 4-byte character at every
  // offset (so across the word edges).
  const char* wide[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
  for (size_t ascii = 0; ascii <= 40; ++ascii) {
    EXPECT_EQ(count_code_points(std::string(ascii, 'x')), ascii);
    for (const char* w : wide) {
      for (size_t at = 0; at <= ascii; ++at) {
        std::string s(ascii, 'x');
        s.insert(at, w);
        ASSERT_EQ(count_code_points(s), ascii + 1) << ascii << " " << at;
      }
    }
  }
}

}  // namespace
}  // namespace hotpath::json
