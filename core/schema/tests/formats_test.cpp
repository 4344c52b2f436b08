// Tests of the `format` checkers (core/schema/src/formats*.cpp): named cases for the tricky
// corners of each RFC, then every optional/format file of the official JSON Schema Test Suite
// whose schema is just {"format": X}, for draft4 through draft2020-12.
#include "../src/formats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/json.h"

namespace {

using hotpath::schema::internal::find_format;
using hotpath::schema::internal::FormatCheck;

bool valid(std::string_view format, std::string_view value) {
  FormatCheck check = find_format(format);
  EXPECT_NE(check, nullptr) << format;
  return check != nullptr && check(value);
}

TEST(Formats, unknown_format_has_no_checker) {
  EXPECT_EQ(find_format("unknown"), nullptr);
  EXPECT_EQ(find_format("color"), nullptr);
  EXPECT_EQ(find_format(""), nullptr);
  EXPECT_EQ(find_format("Date-Time"), nullptr);  // names are case-sensitive
}

TEST(Formats, date_time_requires_offset_and_checks_calendar) {
  EXPECT_TRUE(valid("date-time", "1963-06-19T08:30:06.283185Z"));
  EXPECT_TRUE(valid("date-time", "1963-06-19t08:30:06z"));
  EXPECT_TRUE(valid("date-time", "2020-02-29T00:00:00+14:00"));
  EXPECT_FALSE(valid("date-time", "2021-02-29T00:00:00Z"));
  EXPECT_FALSE(valid("date-time", "1963-06-19T08:30:06"));
  EXPECT_FALSE(valid("date-time", "1963-06-19 08:30:06Z"));
  EXPECT_FALSE(valid("date-time", "1963-06-19T08:30:06.Z"));
  EXPECT_FALSE(valid("date-time", "1985-04-12T23:20:50+01"));
}

TEST(Formats, leap_second_only_at_2359_utc) {
  EXPECT_TRUE(valid("time", "23:59:60Z"));
  EXPECT_TRUE(valid("time", "15:59:60-08:00"));
  EXPECT_TRUE(valid("time", "01:29:60+01:30"));  // previous day 23:59 UTC
  EXPECT_TRUE(valid("time", "00:29:60-23:30"));
  EXPECT_FALSE(valid("time", "23:59:60+01:00"));
  EXPECT_FALSE(valid("time", "23:58:60Z"));
  EXPECT_TRUE(valid("date-time", "1998-12-31T23:59:60Z"));
  EXPECT_FALSE(valid("date-time", "1998-12-31T22:59:60Z"));
  EXPECT_FALSE(valid("time", "12:00:00"));  // offset required
  EXPECT_FALSE(valid("time", "01:02:03+24:00"));
}

TEST(Formats, date_gregorian_leap_years) {
  EXPECT_TRUE(valid("date", "2000-02-29"));
  EXPECT_TRUE(valid("date", "0400-02-29"));
  EXPECT_FALSE(valid("date", "2100-02-29"));
  EXPECT_FALSE(valid("date", "2020-04-31"));
  EXPECT_FALSE(valid("date", "2020-01-01Z"));
  EXPECT_FALSE(valid("date", "1963-06-1\xe0\xa7\xaa"));  // Bengali digit four
}

TEST(Formats, duration_follows_rfc3339_appendix_a) {
  EXPECT_TRUE(valid("duration", "P4DT12H30M5S"));
  EXPECT_TRUE(valid("duration", "P2W"));
  EXPECT_TRUE(valid("duration", "PT36H"));
  EXPECT_TRUE(valid("duration", "P1M2D"));
  EXPECT_FALSE(valid("duration", "P1Y2D"));   // skips the month
  EXPECT_FALSE(valid("duration", "PT1H2S"));  // skips the minute
  EXPECT_FALSE(valid("duration", "P1D2T3H"));
  EXPECT_FALSE(valid("duration", "P1Y2W"));
  EXPECT_FALSE(valid("duration", "P1WT1H"));
  EXPECT_FALSE(valid("duration", "PT"));
  EXPECT_FALSE(valid("duration", "P1YT"));
  EXPECT_FALSE(valid("duration", "PT0.5S"));
}

TEST(Formats, ipv4_dotted_quad_without_leading_zeros) {
  EXPECT_TRUE(valid("ipv4", "0.0.0.0"));
  EXPECT_TRUE(valid("ipv4", "255.255.255.255"));
  EXPECT_FALSE(valid("ipv4", "087.10.0.1"));
  EXPECT_FALSE(valid("ipv4", "256.0.0.1"));
  EXPECT_FALSE(valid("ipv4", "1.2.3"));
  EXPECT_FALSE(valid("ipv4", "1.2.3.4."));
  EXPECT_FALSE(valid("ipv4", "1.2.3.0004"));
}

TEST(Formats, ipv6_compression_and_embedded_ipv4) {
  EXPECT_TRUE(valid("ipv6", "::"));
  EXPECT_TRUE(valid("ipv6", "::1"));
  EXPECT_TRUE(valid("ipv6", "1::"));
  EXPECT_TRUE(valid("ipv6", "1:2:3:4:5:6:7::"));
  EXPECT_TRUE(valid("ipv6", "::ffff:192.168.0.1"));
  EXPECT_TRUE(valid("ipv6", "1:2:3:4:5:6:1.2.3.4"));
  EXPECT_FALSE(valid("ipv6", "1:2:3:4:5:6:7:1.2.3.4"));
  EXPECT_FALSE(valid("ipv6", "::ffff:192.168.0.01"));
  EXPECT_FALSE(valid("ipv6", "1::2::3"));
  EXPECT_FALSE(valid("ipv6", ":::"));
  EXPECT_FALSE(valid("ipv6", "1:2:3:4:5:6:7:8:9"));
  EXPECT_FALSE(valid("ipv6", "fe80::a%eth1"));
  EXPECT_FALSE(valid("ipv6", "12345::"));
}

TEST(Formats, email_quoted_local_parts_and_address_literals) {
  EXPECT_TRUE(valid("email", "\"joe@bloggs\"@example.com"));
  EXPECT_TRUE(valid("email", "\"a\\\"b\"@example.com"));
  EXPECT_TRUE(valid("email", "joe.bloggs@[IPv6:::1]"));
  EXPECT_TRUE(valid("email", "joe.bloggs@[127.0.0.1]"));
  EXPECT_FALSE(valid("email", "joe.bloggs@[127.0.0.300]"));
  EXPECT_FALSE(valid("email", "te..st@example.com"));
  EXPECT_FALSE(valid("email", "test.@example.com"));
  EXPECT_FALSE(valid("email", "\xce\xb4@example.com"));  // non-ASCII needs idn-email
  EXPECT_TRUE(valid("idn-email", "\xce\xb4@example.com"));
  EXPECT_FALSE(valid("idn-email",
                     "user\xef\xbc\xa0"
                     "example.com"));  // U+FF20 is not "@"
  EXPECT_FALSE(valid("email", std::string(65, 'a') + "@example.com"));
}

TEST(Formats, hostname_label_and_name_lengths) {
  EXPECT_TRUE(valid("hostname", std::string(63, 'a') + ".com"));
  EXPECT_FALSE(valid("hostname", std::string(64, 'a') + ".com"));
  std::string name = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                     std::string(63, 'c') + "." + std::string(61, 'd');  // 253 octets
  EXPECT_TRUE(valid("hostname", name));
  EXPECT_FALSE(valid("hostname", name + "d"));
  EXPECT_FALSE(valid("hostname", "example."));
  EXPECT_FALSE(valid("hostname", "-a.com"));
  EXPECT_TRUE(valid("hostname", "ab--cd.example"));
  EXPECT_TRUE(valid("host-name", "example.com"));
}

TEST(Formats, hostname_validates_a_labels_as_idna) {
  EXPECT_TRUE(valid("hostname", "xn--9n2bp8q.xn--9t4b11yi5a"));  // 실례.테스트
  EXPECT_TRUE(valid("hostname", "XN--9N2BP8Q.xn--9t4b11yi5a"));  // A-labels are case-insensitive
  EXPECT_FALSE(valid("hostname", "xn--X"));
  EXPECT_FALSE(valid("hostname", "xn--example-"));  // decodes to ASCII only
  EXPECT_FALSE(valid("hostname", "xn---9uc"));      // does not re-encode to itself
  EXPECT_FALSE(valid("hostname", "xn--07jt112bpxg.xn--9t4b11yi5a"));  // U+302E
  EXPECT_FALSE(valid("hostname",
                     "\xe2\x84\xaa"
                     "elvin.example.com"));  // KELVIN SIGN
}

TEST(Formats, idn_hostname_code_point_properties) {
  EXPECT_TRUE(
      valid("idn-hostname", "\xec\x8b\xa4\xeb\xa1\x80.\xed\x85\x8c\xec\x8a\xa4\xed\x8a\xb8"));
  EXPECT_TRUE(valid("idn-hostname", "\xc3\x9f\xcf\x82"));   // ß ς: PVALID exceptions
  EXPECT_FALSE(valid("idn-hostname", "\xd9\x80\xdf\xba"));  // U+0640 U+07FA: DISALLOWED
  EXPECT_FALSE(valid("idn-hostname", "\xc3\x84rger"));      // uppercase Ä is unstable
  EXPECT_FALSE(valid("idn-hostname",
                     "a\xe2\x80\x8b"
                     "b"));                                         // ZERO WIDTH SPACE
  EXPECT_FALSE(valid("idn-hostname", "\xcc\x80hello"));             // leading combining mark
  EXPECT_FALSE(valid("idn-hostname", "\xe1\x84\x80\xe1\x85\xa1"));  // conjoining jamo
}

TEST(Formats, idn_hostname_contextual_rules) {
  EXPECT_TRUE(valid("idn-hostname", "l\xc2\xb7l"));
  EXPECT_FALSE(valid("idn-hostname", "a\xc2\xb7l"));
  EXPECT_TRUE(valid("idn-hostname",
                    "\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8d\xe0\xa4\xb7"));  // ZWJ after virama
  EXPECT_FALSE(valid("idn-hostname", "\xe0\xa4\x95\xe2\x80\x8d\xe0\xa4\xb7"));
  EXPECT_TRUE(
      valid("idn-hostname", "\xd8\xa8\xd9\x8a\xe2\x80\x8c\xd8\xa8\xd9\x8a"));  // ZWNJ joining
  EXPECT_FALSE(valid("idn-hostname", "\xe3\x83\xbb"));  // KATAKANA MIDDLE DOT alone
  EXPECT_TRUE(valid("idn-hostname", "\xe3\x83\xbb\xe4\xb8\x88"));
  EXPECT_FALSE(valid("idn-hostname", "\xd8\xa8\xd9\xa0\xdb\xb0"));  // mixed Arabic digits
}

TEST(Formats, idn_hostname_bidi_rule_and_lengths) {
  EXPECT_TRUE(valid("idn-hostname", "\xd7\x90\xd7\xb3\xd7\x91"));
  EXPECT_FALSE(valid("idn-hostname", "a\xd7\x90"));    // LTR label with an R letter
  EXPECT_FALSE(valid("idn-hostname", "0a.\xd7\x90"));  // Bidi domain: labels start L/R/AL
  EXPECT_TRUE(valid("idn-hostname", "a0.\xd7\x90"));
  EXPECT_FALSE(valid("idn-hostname", "xn--0ca24w"));
  std::string u;
  for (int k = 0; k < 60; ++k) u += "\xc3\xbc";  // 60 x ü: A-label longer than 63 octets
  EXPECT_FALSE(valid("idn-hostname", u));
  EXPECT_TRUE(valid("idn-hostname",
                    "a\xe3\x80\x82"
                    "b"));  // U+3002 separates labels
  EXPECT_FALSE(valid("idn-hostname", "example\xef\xbd\xa1"));
  EXPECT_FALSE(valid("idn-hostname", "\xff"));  // malformed UTF-8
}

TEST(Formats, uri_requires_scheme_and_checks_every_component) {
  EXPECT_TRUE(valid("uri", "http://-.~_!$&'()*+,;=:%40:80%2f::::::@example.com"));
  EXPECT_TRUE(valid("uri", "ldap://[2001:db8::7]/c=GB?objectClass?one"));
  EXPECT_TRUE(valid("uri", "http://[v1.fe]/"));
  EXPECT_TRUE(valid("uri", "urn:oasis:names:specification:docbook:dtd:xml:4.1.2"));
  EXPECT_TRUE(valid("uri", "http://999.999.999.999/"));  // a reg-name
  EXPECT_FALSE(valid("uri", "//foo.bar/"));
  EXPECT_FALSE(valid("uri", "http://example.com:abc/"));
  EXPECT_FALSE(valid("uri", "http://[::ffff:01.2.3.4]"));
  EXPECT_FALSE(valid("uri", "http://a@b@c/"));
  EXPECT_FALSE(valid("uri", "http://example.com/%A"));
  EXPECT_FALSE(valid("uri", "https://example.org/foobar\xc2\xae.txt"));
  EXPECT_TRUE(valid("uri-reference", ""));
  EXPECT_TRUE(valid("uri-reference", "./this:that"));
  EXPECT_FALSE(valid("uri-reference", "1:b"));
  EXPECT_FALSE(valid("uri-reference", "/[::1]"));
}

TEST(Formats, iri_allows_ucschar_and_private_use_only_in_query) {
  EXPECT_TRUE(
      valid("iri", "http://\xc6\x92\xc3\xb8\xc3\xb8.\xc3\x9f\xc3\xa5r/?q=\xf3\xb0\x80\x80"));
  EXPECT_FALSE(valid("iri", "http://example.com/\xf3\xb0\x80\x80"));  // U+F0000 in the path
  EXPECT_FALSE(valid("iri", "http://example.com/\xef\xbf\xbf"));      // U+FFFF
  EXPECT_FALSE(valid("iri", "\xc3\xa2\xcf\x80\xcf\x80"));
  EXPECT_TRUE(valid("iri-reference", "\xc3\xa2\xcf\x80\xcf\x80"));
}

TEST(Formats, uri_template_expressions) {
  EXPECT_TRUE(valid("uri-template", "http://example.com/dictionary/{term:1}/{term}"));
  EXPECT_TRUE(valid("uri-template", "{+var}{#x,y}{.a.b}{/v*}{;v:9999}{?a}{&b}"));
  EXPECT_TRUE(valid("uri-template", "a'b"));
  EXPECT_FALSE(valid("uri-template", "{v:10000}"));
  EXPECT_FALSE(valid("uri-template", "{v:0}"));
  EXPECT_FALSE(valid("uri-template", "{a..b}"));
  EXPECT_FALSE(valid("uri-template", "{a,}"));
  EXPECT_FALSE(valid("uri-template", "{=var}"));  // reserved operator
  EXPECT_FALSE(valid("uri-template", "foo}bar"));
}

TEST(Formats, json_pointers) {
  EXPECT_TRUE(valid("json-pointer", ""));
  EXPECT_TRUE(valid("json-pointer", "/~0~1"));
  EXPECT_FALSE(valid("json-pointer", "/~2"));
  EXPECT_FALSE(valid("json-pointer", "#/a"));
  EXPECT_TRUE(valid("relative-json-pointer", "0#"));
  EXPECT_TRUE(valid("relative-json-pointer", "2/0/baz"));
  EXPECT_TRUE(valid("relative-json-pointer", "0+1/a"));  // index manipulation
  EXPECT_FALSE(valid("relative-json-pointer", "01/a"));
  EXPECT_FALSE(valid("relative-json-pointer", "1#/a"));
  EXPECT_FALSE(valid("relative-json-pointer", "-1/a"));
}

TEST(Formats, uuid_any_version_hyphenated) {
  EXPECT_TRUE(valid("uuid", "2eb8aa08-AA98-11ea-B4Aa-73B441D16380"));
  EXPECT_TRUE(valid("uuid", "00000000-0000-0000-0000-000000000000"));
  EXPECT_FALSE(valid("uuid", "2eb8aa08aa9811eab4aa73b441d16380"));
  EXPECT_FALSE(valid("uuid", "{2eb8aa08-aa98-11ea-b4aa-73b441d16380}"));
}

TEST(Formats, regex_is_ecma262_with_unicode_flag) {
  EXPECT_TRUE(valid("regex", "([abc])+\\s+$"));
  EXPECT_TRUE(valid("regex", "(?<n>a)\\k<n>"));
  EXPECT_FALSE(valid("regex", "^(abc]"));
  EXPECT_FALSE(valid("regex", "(?P<name>x)"));
  EXPECT_FALSE(valid("regex", "\\a"));
}

// ------------------------------------------------------------------ the official suite
std::filesystem::path suite_dir() {
  if (const char* env = std::getenv("HOTPATH_JSON_SCHEMA_TEST_SUITE")) return env;
  // core/schema/tests/formats_test.cpp -> <repo>/../shared/conformance/json-schema-test-suite
  return std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / ".." / "shared" /
         "conformance" / "json-schema-test-suite";
}

TEST(FormatsSuite, official_optional_format_tests) {
  std::filesystem::path root = suite_dir() / "tests";
  if (!std::filesystem::exists(root))
    GTEST_SKIP() << "JSON Schema Test Suite not found at " << root;
  const char* drafts[] = {"draft4", "draft6", "draft7", "draft2019-09", "draft2020-12"};
  int grand_passed = 0;
  int grand_failed = 0;
  for (const char* draft : drafts) {
    std::filesystem::path dir = root / draft / "optional" / "format";
    ASSERT_TRUE(std::filesystem::exists(dir)) << dir;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    int draft_passed = 0;
    int draft_failed = 0;
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::stringstream buf;
      buf << in.rdbuf();
      std::string text = buf.str();
      hotpath::json::Document doc;
      auto parsed = doc.parse(text);
      ASSERT_TRUE(parsed.ok()) << file << ": " << parsed.error().to_string();
      const hotpath::json::Value& cases = doc.root();
      ASSERT_TRUE(cases.is_array()) << file;
      int passed = 0;
      int failed = 0;
      for (const hotpath::json::Value* group = cases.begin_items(); group != cases.end_items();
           ++group) {
        const hotpath::json::Value* schema = group->find("schema");
        const hotpath::json::Value* tests = group->find("tests");
        ASSERT_TRUE(schema && tests && tests->is_array());
        const hotpath::json::Value* format = schema->is_object() ? schema->find("format") : nullptr;
        bool simple = format && format->is_string();
        for (const hotpath::json::Member* m = simple ? schema->begin_members() : nullptr;
             m != nullptr && m != schema->end_members(); ++m) {
          simple &= m->key == "format" || m->key == "$schema";
        }
        if (!simple) continue;
        std::string name(format->as_string());
        FormatCheck check = find_format(name);
        for (const hotpath::json::Value* t = tests->begin_items(); t != tests->end_items(); ++t) {
          const hotpath::json::Value* data = t->find("data");
          const hotpath::json::Value* expected = t->find("valid");
          ASSERT_TRUE(data && expected && expected->is_bool());
          bool got = !data->is_string() || check == nullptr || check(data->as_string());
          if (got == expected->as_bool()) {
            ++passed;
          } else {
            ++failed;
            const hotpath::json::Value* desc = t->find("description");
            ADD_FAILURE() << "format/" << name << " (" << draft
                          << "): " << (desc ? desc->as_string() : "") << ": \"" << data->as_string()
                          << "\" expected " << (expected->as_bool() ? "valid" : "invalid");
          }
        }
      }
      std::printf("format/%s (%s): %d passed, %d failed\n", file.stem().string().c_str(), draft,
                  passed, failed);
      draft_passed += passed;
      draft_failed += failed;
    }
    std::printf("%s: %d passed, %d failed\n", draft, draft_passed, draft_failed);
    grand_passed += draft_passed;
    grand_failed += draft_failed;
  }
  std::printf("all drafts: %d passed, %d failed\n", grand_passed, grand_failed);
}

}  // namespace
