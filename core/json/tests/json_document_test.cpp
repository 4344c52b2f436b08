// Document::parse on valid input: the tree it builds, string unescaping, number kinds and
// texts, member lookup, nesting limits, and reuse of one Document across parses.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

#include "hotpath/json.h"

namespace hotpath::json {
namespace {

std::string reparse(std::string_view input) {
  Document doc;
  auto parsed = doc.parse(input);
  if (!parsed.ok()) return "error: " + parsed.error().to_string();
  return to_string(**parsed);
}

TEST(JsonDocument, parses_every_value_type_at_the_root) {
  Document doc;
  ASSERT_TRUE(doc.parse("null").ok());
  EXPECT_TRUE(doc.root().is_null());
  ASSERT_TRUE(doc.parse(" true ").ok());
  EXPECT_TRUE(doc.root().is_bool());
  EXPECT_TRUE(doc.root().as_bool());
  ASSERT_TRUE(doc.parse("false").ok());
  EXPECT_FALSE(doc.root().as_bool());
  ASSERT_TRUE(doc.parse("\n-12\t").ok());
  EXPECT_EQ(doc.root().type(), Type::number);
  EXPECT_EQ(doc.root().as_int64(), -12);
  EXPECT_EQ(doc.root().number_text(), "-12");
  ASSERT_TRUE(doc.parse(R"("h\u00e9llo")").ok());
  EXPECT_EQ(doc.root().as_string(), "h\xC3\xA9llo");
  ASSERT_TRUE(doc.parse("[]").ok());
  EXPECT_TRUE(doc.root().is_array());
  EXPECT_EQ(doc.root().size(), 0u);
  ASSERT_TRUE(doc.parse("{}").ok());
  EXPECT_TRUE(doc.root().is_object());
  EXPECT_EQ(doc.root().size(), 0u);
}

TEST(JsonDocument, parse_returns_pointer_to_root) {
  Document doc;
  auto parsed = doc.parse("[1]");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, &doc.root());
}

TEST(JsonDocument, builds_nested_structures_in_document_order) {
  Document doc;
  auto parsed = doc.parse(R"( {"id": 7, "tags": ["a", "b"], "owner": {"name": "Ann", "age": 41},
                               "empty": {}, "none": [], "flag": false, "nothing": null} )");
  ASSERT_TRUE(parsed.ok());
  const Value& root = doc.root();
  ASSERT_TRUE(root.is_object());
  ASSERT_EQ(root.size(), 7u);
  const char* keys[] = {"id", "tags", "owner", "empty", "none", "flag", "nothing"};
  int i = 0;
  for (const Member* m = root.begin_members(); m != root.end_members(); ++m)
    EXPECT_EQ(m->key, keys[i++]);
  const Value* tags = root.find("tags");
  ASSERT_NE(tags, nullptr);
  ASSERT_EQ(tags->size(), 2u);
  EXPECT_EQ((*tags)[0].as_string(), "a");
  EXPECT_EQ((*tags)[1].as_string(), "b");
  EXPECT_EQ(tags->end_items() - tags->begin_items(), 2);
  const Value* owner = root.find("owner");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->find("name")->as_string(), "Ann");
  EXPECT_EQ(owner->find("age")->as_int64(), 41);
  EXPECT_EQ(root.find("missing"), nullptr);
  EXPECT_EQ(root.find("flag")->as_bool(), false);
  EXPECT_TRUE(root.find("nothing")->is_null());
}

TEST(JsonDocument, find_returns_the_last_member_with_a_key) {
  Document doc;
  ASSERT_TRUE(doc.parse(R"({"a":1,"b":2,"a":3})").ok());
  EXPECT_EQ(doc.root().size(), 3u);
  EXPECT_EQ(doc.root().find("a")->as_int64(), 3);
  EXPECT_EQ(to_string(doc.root()), R"({"a":1,"b":2,"a":3})");
}

// key_equals reads keys with word loads: every length up to 40 and a difference at every
// position must still compare exactly, from buffers that end right after the key.
TEST(JsonDocument, key_equals_agrees_with_string_compare_at_every_length) {
  for (size_t n = 0; n <= 40; ++n) {
    std::string a(n, 'k');
    for (size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + (i * 7) % 26);
    const std::string b = a;
    EXPECT_TRUE(key_equals(a, b)) << n;
    for (size_t i = 0; i < n; ++i) {
      std::string c = a;
      c[i] = static_cast<char>(c[i] ^ 0x20);
      EXPECT_FALSE(key_equals(a, c)) << n << " " << i;
      EXPECT_FALSE(key_equals(c, a)) << n << " " << i;
    }
    EXPECT_FALSE(key_equals(a, a + "x")) << n;
    auto exact = std::make_unique<char[]>(n);  // no slack after the last byte (ASan build)
    std::memcpy(exact.get(), a.data(), n);
    EXPECT_TRUE(key_equals(std::string_view(exact.get(), n), b)) << n;
  }
}

TEST(JsonDocument, find_on_a_non_object_returns_null) {
  Document doc;
  ASSERT_TRUE(doc.parse("[1]").ok());
  EXPECT_EQ(doc.root().find("a"), nullptr);
}

TEST(JsonDocument, unescapes_strings_and_keys) {
  Document doc;
  ASSERT_TRUE(doc.parse(R"({"k\"ey\n": "q\"b\\s\/f\bf\fn\nr\rt\t\u0041\uD83D\uDE00"})").ok());
  const Member& m = *doc.root().begin_members();
  EXPECT_EQ(m.key, "k\"ey\n");
  EXPECT_EQ(m.value.as_string(), "q\"b\\s/f\bf\fn\nr\rt\tA\xF0\x9F\x98\x80");
}

TEST(JsonDocument, strings_with_and_without_escapes_in_any_order) {
  // Escaped strings are unescaped into the arena; the others point into the input copy.
  const std::string long_plain(100, 'p');
  const std::string input = R"({"plain":"abc","k\"ey":"x\ny","after":"no escapes",")" + long_plain +
                            R"(":"ends with \\","":"","tail":"\u00e9\/","last":"z"})";
  Document doc;
  ASSERT_TRUE(doc.parse(input).ok());
  const Value& root = doc.root();
  ASSERT_EQ(root.size(), 7u);
  EXPECT_EQ(root.find("plain")->as_string(), "abc");
  EXPECT_EQ(root.find("k\"ey")->as_string(), "x\ny");
  EXPECT_EQ(root.find("after")->as_string(), "no escapes");
  EXPECT_EQ(root.find(long_plain)->as_string(), "ends with \\");
  EXPECT_EQ(root.find("")->as_string(), "");
  EXPECT_EQ(root.find("tail")->as_string(), "\xC3\xA9/");
  EXPECT_EQ(root.find("last")->as_string(), "z");
}

TEST(JsonDocument, accepts_whitespace_around_every_token) {
  EXPECT_EQ(reparse(" \r\n\t{ \"a\" \t:\r\n [ 1 , true ,\n null , \"s\" , -2.5e3 , false ] ,\n"
                    "  \"b\" : { } , \"c\" : [ ] , \"d\" : \"x\"\n}\n\t "),
            R"({"a":[1,true,null,"s",-2.5e3,false],"b":{},"c":[],"d":"x"})");
  EXPECT_EQ(reparse("\t\"s\"\r\n"), "\"s\"");
  EXPECT_EQ(reparse(" null "), "null");
}

TEST(JsonDocument, literals_and_numbers_directly_before_separators) {
  EXPECT_EQ(reparse("[true,false,null,0,-0,1.5,2e3,-3E-2]"),
            "[true,false,null,0,-0,1.5,2e3,-3E-2]");
  EXPECT_EQ(reparse(R"({"t":true,"f":false,"n":null,"i":12})"),
            R"({"t":true,"f":false,"n":null,"i":12})");
  EXPECT_EQ(reparse("[[0],[-1],[true],[null]]"), "[[0],[-1],[true],[null]]");
  EXPECT_EQ(reparse("false"), "false");
  EXPECT_EQ(reparse("-0.5e-10"), "-0.5e-10");
}

TEST(JsonDocument, keeps_raw_utf8_and_escaped_nul_in_strings) {
  Document doc;
  ASSERT_TRUE(doc.parse("[\"\xE2\x82\xAC \xF0\x9F\x98\x80\", \"a\\u0000b\"]").ok());
  EXPECT_EQ(doc.root()[0].as_string(), "\xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(doc.root()[1].as_string(), std::string_view("a\0b", 3));
}

TEST(JsonDocument, keeps_each_numbers_trimmed_source_text_and_kind) {
  Document doc;
  ASSERT_TRUE(doc.parse("[ 1.50 , 2E+3,-0 ,0.0,\n42\n]").ok());
  const Value& a = doc.root();
  EXPECT_EQ(a[0].number_text(), "1.50");
  EXPECT_EQ(a[0].number_kind(), NumberKind::float64);
  EXPECT_EQ(a[0].as_double(), 1.5);
  EXPECT_EQ(a[1].number_text(), "2E+3");
  EXPECT_EQ(a[1].number_kind(), NumberKind::float64);
  EXPECT_EQ(a[1].as_double(), 2000.0);
  EXPECT_EQ(a[2].number_text(), "-0");
  EXPECT_EQ(a[2].number_kind(), NumberKind::int64);
  EXPECT_EQ(a[2].as_int64(), 0);
  EXPECT_EQ(a[3].number_text(), "0.0");
  EXPECT_EQ(a[4].number_text(), "42");
  EXPECT_EQ(a[4].as_double(), 42.0);
}

TEST(JsonDocument, accepts_a_leading_byte_order_mark) {
  EXPECT_EQ(reparse("\xEF\xBB\xBF{\"a\":1}"), R"({"a":1})");
  EXPECT_EQ(reparse("\xEF\xBB\xBF 12 "), "12");
  EXPECT_EQ(reparse("\xEF\xBB\xBF\"s\""), "\"s\"");
}

TEST(JsonDocument, accepts_nesting_up_to_max_depth) {
  std::string deep = std::string(1024, '[') + std::string(1024, ']');
  Document doc;
  ASSERT_TRUE(doc.parse(deep).ok());
  const Value* v = &doc.root();
  int depth = 0;
  while (v->is_array() && v->size() == 1) {
    v = &(*v)[0];
    ++depth;
  }
  EXPECT_EQ(depth, 1023);
  EXPECT_EQ(v->size(), 0u);
}

TEST(JsonDocument, honours_a_custom_max_depth_above_the_default) {
  std::string deep = std::string(5000, '[') + "1" + std::string(5000, ']');
  Document doc;
  ParseOptions options;
  options.max_depth = 5000;
  ASSERT_TRUE(doc.parse(deep, options).ok());
  EXPECT_EQ(to_string(doc.root()), deep);
}

TEST(JsonDocument, is_reusable_across_parses_of_different_shapes) {
  Document doc;
  ASSERT_TRUE(doc.parse(R"({"big":[1,2,3,4,5,6,7,8,9,10,{"x":"y"}]})").ok());
  EXPECT_EQ(to_string(doc.root()), R"({"big":[1,2,3,4,5,6,7,8,9,10,{"x":"y"}]})");
  ASSERT_TRUE(doc.parse("\"small\"").ok());
  EXPECT_EQ(doc.root().as_string(), "small");
  ASSERT_FALSE(doc.parse("[1,").ok());
  EXPECT_TRUE(doc.root().is_null());
  for (int i = 0; i < 100; ++i) {
    std::string input =
        "{\"i\":" + std::to_string(i) + ",\"s\":[\"" + std::string(size_t(i), 'x') + "\"]}";
    ASSERT_TRUE(doc.parse(input).ok());
    EXPECT_EQ(to_string(doc.root()), input);
  }
}

TEST(JsonDocument, is_movable) {
  Document a;
  ASSERT_TRUE(a.parse(R"({"k":[true]})").ok());
  Document b(std::move(a));
  EXPECT_EQ(to_string(b.root()), R"({"k":[true]})");
  Document c;
  c = std::move(b);
  EXPECT_EQ(to_string(c.root()), R"({"k":[true]})");
}

TEST(JsonDocument, builds_large_documents_spanning_several_arena_blocks) {
  std::string input = "[";
  for (int i = 0; i < 20000; ++i) {
    if (i) input += ',';
    input += "{\"n\":" + std::to_string(i) + ",\"v\":[" + std::to_string(i) + ".5]}";
  }
  input += "]";
  Document doc;
  for (int round = 0; round < 2; ++round) {
    ASSERT_TRUE(doc.parse(input).ok());
    ASSERT_EQ(doc.root().size(), 20000u);
    EXPECT_EQ(doc.root()[19999].find("n")->as_int64(), 19999);
    EXPECT_EQ(to_string(doc.root()), input);
  }
}

TEST(JsonDocument, type_names_are_the_json_schema_names) {
  EXPECT_EQ(type_name(Type::null), "null");
  EXPECT_EQ(type_name(Type::boolean), "boolean");
  EXPECT_EQ(type_name(Type::number), "number");
  EXPECT_EQ(type_name(Type::string), "string");
  EXPECT_EQ(type_name(Type::array), "array");
  EXPECT_EQ(type_name(Type::object), "object");
}

}  // namespace
}  // namespace hotpath::json
