// Unicode behaviour: code-point matching over UTF-8 (non-BMP characters are one character),
// property escapes built from the Unicode Character Database, invalid UTF-8 subjects.
#include <gtest/gtest.h>

#include "regex_test_support.h"

namespace hotpath::regex {
namespace {

using testing::exec;
using testing::Groups;
using testing::matches;

constexpr const char* kDragon = "\xF0\x9F\x90\xB2";  // U+1F432
constexpr const char* kGrin = "\xF0\x9F\x98\x80";    // U+1F600

TEST(RegexUnicode, non_bmp_characters_are_single_code_points) {
  EXPECT_TRUE(matches("^.$", kGrin));
  EXPECT_TRUE(matches("^[^x]$", kGrin));
  EXPECT_TRUE(matches("^\\u{1F600}$", kGrin));
  EXPECT_TRUE(matches("^\\uD83D\\uDE00$", kGrin));  // a surrogate pair escape is one code point
  EXPECT_TRUE(matches("^[\\uD83D\\uDE00-\\uD83D\\uDE4F]$", "\xF0\x9F\x98\x83"));
  EXPECT_EQ(exec("a.c",
                 "a\xF0\x9F\x98\x80"
                 "c"),
            (Groups{{0, 6}}));
  std::string two = std::string(kDragon) + kDragon;
  EXPECT_TRUE(matches("^\xF0\x9F\x90\xB2*$", ""));
  EXPECT_TRUE(matches("^\xF0\x9F\x90\xB2*$", two));
  EXPECT_FALSE(matches("^\xF0\x9F\x90\xB2*$", "\xF0\x9F\x90\x89"));  // U+1F409
  EXPECT_FALSE(matches("^\xF0\x9F\x90\xB2*$", "DD"));
  EXPECT_EQ(exec("\\S{2}$", two), (Groups{{0, 8}}));
}

TEST(RegexUnicode, general_category_values_long_short_and_aliases) {
  EXPECT_TRUE(matches("^\\p{Letter}+$", "Hello\xCF\x80"));
  EXPECT_FALSE(matches("^\\p{Letter}+$", "123"));
  EXPECT_TRUE(matches("^\\p{L}$", "\xE4\xB8\xAD"));
  EXPECT_TRUE(matches("^\\p{digit}+$", "42\xE0\xA7\xAA\xE0\xA7\xA8"));  // Bengali digits
  EXPECT_TRUE(matches("^\\p{Nd}$", "\xD9\xA3"));
  EXPECT_TRUE(matches("^\\p{gc=Decimal_Number}$", "7"));
  EXPECT_TRUE(matches("^\\p{General_Category=Lu}$", "A"));
  EXPECT_FALSE(matches("^\\p{Lu}$", "a"));
  EXPECT_TRUE(matches("^\\P{Lu}$", "a"));
  EXPECT_TRUE(matches("^\\p{punct}$", "!"));
  EXPECT_TRUE(matches("^\\p{Cn}$", "\xF0\xAF\xBF\xBF"));  // U+2FFFF unassigned
  EXPECT_TRUE(matches("^\\p{Co}$", "\xEE\x80\x80"));      // U+E000 private use
  EXPECT_TRUE(matches("^\\p{LC}$", "\xC7\x85"));          // U+01C5 titlecase
  EXPECT_TRUE(matches("^[\\p{L}\\p{N}_-]+$", "na\xC3\xAFve_42-x"));
}

TEST(RegexUnicode, scripts_and_script_extensions) {
  EXPECT_EQ(exec("\\p{Script=Greek}+", "ab\xCE\xB3\xCE\xB4"), (Groups{{2, 6}}));
  EXPECT_TRUE(matches("^\\p{sc=Latn}$", "a"));
  EXPECT_TRUE(matches("^\\p{sc=Han}$", "\xE4\xB8\xAD"));
  EXPECT_TRUE(matches("^\\p{sc=Zyyy}$", "\xE0\xA5\xA4"));  // U+0964 DEVANAGARI DANDA: Common
  EXPECT_FALSE(matches("^\\p{sc=Deva}$", "\xE0\xA5\xA4"));
  EXPECT_TRUE(matches("^\\p{scx=Deva}$", "\xE0\xA5\xA4"));  // ...but its extensions list Deva
  EXPECT_TRUE(matches("^\\p{Script_Extensions=Beng}$", "\xE0\xA5\xA4"));
  EXPECT_TRUE(matches("^\\p{scx=Grek}$", "\xCE\xB1"));
  EXPECT_TRUE(matches("^\\P{sc=Greek}$", "a"));
  EXPECT_TRUE(matches("^\\p{sc=Qaai}$", "\xCC\x80"));  // alias of Inherited
}

TEST(RegexUnicode, binary_properties) {
  EXPECT_TRUE(matches("^\\p{Alphabetic}$", "\xC3\xA9"));
  EXPECT_TRUE(matches("^\\p{Alpha}$", "a"));
  EXPECT_TRUE(matches("^\\p{White_Space}$", "\xE3\x80\x80"));
  EXPECT_TRUE(matches("^\\p{ASCII}+$", "abc~"));
  EXPECT_FALSE(matches("^\\p{ASCII}$", "\xC3\xA4"));
  EXPECT_TRUE(matches("^\\p{Any}$", kGrin));
  EXPECT_FALSE(matches("\\P{Any}", "abc"));
  EXPECT_TRUE(matches("^\\p{Assigned}$", "a"));
  EXPECT_FALSE(matches("^\\p{Assigned}$", "\xF0\xAF\xBF\xBF"));
  EXPECT_TRUE(matches("^\\p{Emoji}$", kGrin));
  EXPECT_TRUE(matches("^\\p{Emoji_Presentation}$", kGrin));
  EXPECT_TRUE(matches("^\\p{Extended_Pictographic}$", kGrin));
  EXPECT_TRUE(matches("^\\p{ID_Start}\\p{ID_Continue}*$", "x1_\xC3\xA9"));
  EXPECT_TRUE(matches("^\\p{Uppercase}$", "A"));
  EXPECT_TRUE(matches("^\\p{Hex}+$", "09afAF"));
  EXPECT_TRUE(matches("^\\p{Bidi_M}$", "("));
  EXPECT_TRUE(matches("^\\p{CWKCF}$", "A"));
  EXPECT_TRUE(matches("^\\p{RI}$", "\xF0\x9F\x87\xA6"));
}

TEST(RegexUnicode, invalid_utf8_subject_bytes_read_as_replacement_characters) {
  EXPECT_EQ(exec("^.$", "\xFF"), (Groups{{0, 1}}));
  EXPECT_EQ(exec("^..$", "\xE2\x82"), (Groups{{0, 2}}));  // truncated sequence: two units
  EXPECT_EQ(exec("b",
                 "\xC3\xC3"
                 "b"),
            (Groups{{2, 3}}));
  EXPECT_EQ(exec("(?<=.)b",
                 "\xF0\x9F\x98"
                 "b"),
            (Groups{{3, 4}}));
  EXPECT_EQ(exec("\\W+$", "a\xF0\x9F\x98\x80\xFF\x80"), (Groups{{1, 7}}));
}

}  // namespace
}  // namespace hotpath::regex
