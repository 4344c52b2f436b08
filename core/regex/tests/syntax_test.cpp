// Pattern syntax: what compiles in u-mode and without it (Annex B), and the exact message and
// byte position of every kind of SyntaxError.
#include <gtest/gtest.h>

#include <string>

#include "regex_test_support.h"

namespace hotpath::regex {
namespace {

using testing::compile_error;
using testing::non_unicode;

TEST(RegexSyntax, accepts_the_unicode_mode_grammar) {
  const char* patterns[] = {
      "a|b|",
      "(?:a)(b)(?<name>c)\\1\\k<name>",
      "(?=a)(?!b)(?<=c)(?<!d)",
      "a*b+c?d{2}e{2,}f{2,3}g*?h+?i??j{2}?",
      "^$\\b\\B",
      "[a-z\\d\\-\\]\\\\]",
      "[^]",
      "[]",
      "\\cA\\cz\\x41\\u0041\\u{1F600}\\uD83D\\uDE00\\0",
      "\\t\\n\\v\\f\\r",
      "\\p{L}\\P{Lu}\\p{Script=Greek}\\p{sc=Grek}\\p{scx=Latn}\\p{General_Category=Nd}",
      "\\^\\$\\\\\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\/",
      "(?<=a+)b",
      "(?<$a_\\u0062>x)\\k<$a_b>",
      "(?<\xCF\x80>x)",  // a non-ASCII group name
  };
  for (const char* p : patterns) EXPECT_EQ(compile_error(p), "ok") << p;
}

TEST(RegexSyntax, rejects_python_and_pcre_extensions_at_the_group) {
  EXPECT_EQ(compile_error("(?P<name>x)"), "invalid group@0");
  EXPECT_EQ(compile_error("(?P<n>a)(?P=n)"), "invalid group@0");
  EXPECT_EQ(compile_error("a(?#comment)"), "invalid group@1");
  EXPECT_EQ(compile_error("(?i)abc"), "invalid group@0");
  EXPECT_EQ(compile_error("(?ims)abc"), "invalid group@0");
  EXPECT_EQ(compile_error("\\a"), "invalid escape@0");
  EXPECT_EQ(compile_error("\\Z"), "invalid escape@0");
}

TEST(RegexSyntax, reports_quantifier_errors_with_position) {
  EXPECT_EQ(compile_error("*a"), "nothing to repeat@0");
  EXPECT_EQ(compile_error("a**"), "nothing to repeat@2");
  EXPECT_EQ(compile_error("a|+"), "nothing to repeat@2");
  EXPECT_EQ(compile_error("^*"), "nothing to repeat@1");
  EXPECT_EQ(compile_error("\\b+"), "nothing to repeat@2");
  EXPECT_EQ(compile_error("{2}"), "nothing to repeat@0");
  EXPECT_EQ(compile_error("a{3,2}"), "numbers out of order in {} quantifier@1");
  EXPECT_EQ(compile_error("a{"), "incomplete quantifier@1");
  EXPECT_EQ(compile_error("a{1,x}"), "incomplete quantifier@1");
  EXPECT_EQ(compile_error("{"), "lone quantifier brackets@0");
  EXPECT_EQ(compile_error("a}"), "lone quantifier brackets@1");
  EXPECT_EQ(compile_error("a]"), "unmatched ']'@1");
  EXPECT_EQ(compile_error("(?<=a)*"), "nothing to repeat@6");
  EXPECT_EQ(compile_error("(?=a)*"), "nothing to repeat@5");
}

TEST(RegexSyntax, reports_group_errors_with_position) {
  EXPECT_EQ(compile_error("ab(c"), "unterminated group@2");
  EXPECT_EQ(compile_error("a)"), "unmatched ')'@1");
  EXPECT_EQ(compile_error("(?<a>.)(?<a>.)"), "duplicate capture group name@10");
  EXPECT_EQ(compile_error("(?<1a>.)"), "invalid capture group name@3");
  EXPECT_EQ(compile_error("(?<>.)"), "invalid capture group name@3");
  EXPECT_EQ(compile_error("(?<a"), "invalid capture group name@3");
  EXPECT_EQ(compile_error("x\\k<nope>(?<yes>.)"), "undefined group name in \\k<>@1");
  EXPECT_EQ(compile_error("\\k"), "invalid named reference@0");
  EXPECT_EQ(compile_error("(a)\\2"), "invalid backreference@3");
}

TEST(RegexSyntax, reports_escape_and_class_errors_with_position) {
  EXPECT_EQ(compile_error("ab[cd"), "unterminated character class@2");
  EXPECT_EQ(compile_error("x[z-a]"), "range out of order in character class@2");
  EXPECT_EQ(compile_error("[a-\\d]"), "invalid character class range@2");
  EXPECT_EQ(compile_error("[\\1]"), "invalid class escape@1");
  EXPECT_EQ(compile_error("[\\a]"), "invalid class escape@1");
  EXPECT_EQ(compile_error("ab\\"), "\\ at end of pattern@2");
  EXPECT_EQ(compile_error("\\x4"), "invalid escape@0");
  EXPECT_EQ(compile_error("\\c1"), "invalid escape@0");
  EXPECT_EQ(compile_error("\\u00"), "invalid Unicode escape@0");
  EXPECT_EQ(compile_error("\\u{110000}"), "invalid Unicode escape@0");
  EXPECT_EQ(compile_error("\\00"), "invalid decimal escape@0");
  EXPECT_EQ(compile_error("a\xFF"), "invalid UTF-8 in pattern@1");
}

TEST(RegexSyntax, property_names_are_exact_and_case_sensitive) {
  EXPECT_EQ(compile_error("a\\p{Foo}"), "invalid property name@1");
  EXPECT_EQ(compile_error("\\p{letter}"), "invalid property name@0");
  EXPECT_EQ(compile_error("\\p{Latin}"), "invalid property name@0");  // needs Script=
  EXPECT_EQ(compile_error("\\p{Script=Foo}"), "invalid property name@0");
  EXPECT_EQ(compile_error("\\p{gc=Alphabetic}"), "invalid property name@0");
  EXPECT_EQ(compile_error("\\p{L"), "invalid property name@0");
  EXPECT_EQ(compile_error("\\p"), "invalid property name@0");
  EXPECT_EQ(compile_error("[\\P{Nope}]"), "invalid property name@1");
}

TEST(RegexSyntax, annex_b_leniency_without_the_u_flag) {
  Flags f = non_unicode();
  const char* patterns[] = {"\\a",   "a{",       "a{1",     "}",      "]",    "{",
                            "\\c",   "[\\c_]",   "\\1",     "\\8",    "\\00", "\\x4",
                            "\\u00", "\\p{Foo}", "[\\d-z]", "(?=a)*", "\\k",  "\\u{110000}"};
  for (const char* p : patterns) EXPECT_EQ(compile_error(p, f), "ok") << p;
  EXPECT_EQ(compile_error("(?<n>a)\\k", f), "invalid named reference@7");
  EXPECT_EQ(compile_error("a**", f), "nothing to repeat@2");
  EXPECT_EQ(compile_error("(?<=a)*", f), "nothing to repeat@6");
  EXPECT_EQ(compile_error("{1}", f), "nothing to repeat@0");
}

TEST(RegexSyntax, nesting_is_bounded_without_recursion_overflow) {
  std::string deep(10000, '(');
  EXPECT_EQ(compile_error(deep + "a" + std::string(10000, ')')), "pattern nested too deeply@256");
  std::string deep_look;
  for (int i = 0; i < 10000; ++i) deep_look += "(?=";
  EXPECT_EQ(compile_error(deep_look), "pattern nested too deeply@768");
  std::string ok(200, '(');
  EXPECT_EQ(compile_error(ok + "a" + std::string(200, ')')), "ok");
}

TEST(RegexSyntax, error_formats_as_position_and_message) {
  auto re = Regex::compile("abcd[");
  ASSERT_FALSE(re.ok());
  EXPECT_EQ(re.error().to_string(), "at position 4: unterminated character class");
}

TEST(RegexSyntax, reports_pattern_and_group_count) {
  auto re = Regex::compile("(a)(?:b)(?<c>c)(?=(d))");
  ASSERT_TRUE(re.ok());
  EXPECT_EQ(re->pattern(), "(a)(?:b)(?<c>c)(?=(d))");
  EXPECT_EQ(re->group_count(), 3u);
  Regex copy = *re;  // shares the compiled program
  EXPECT_EQ(copy.group_count(), 3u);
}

}  // namespace
}  // namespace hotpath::regex
