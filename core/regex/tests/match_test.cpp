// Matching semantics (ECMA-262 22.2.2): leftmost match, alternative priority, greedy and lazy
// quantifiers, captures reset per iteration, the empty check, lookarounds, back-references,
// anchors and flags. Offsets are UTF-8 byte offsets; -1 marks an unmatched group.
#include <gtest/gtest.h>

#include "regex_test_support.h"

namespace hotpath::regex {
namespace {

using testing::exec;
using testing::Groups;
using testing::matches;
using testing::non_unicode;
using testing::with_i;

TEST(RegexMatch, finds_the_leftmost_match_and_prefers_earlier_alternatives) {
  EXPECT_EQ(exec("a|ab", "abc"), (Groups{{0, 1}}));
  EXPECT_EQ(exec("b|ab", "xab"), (Groups{{1, 3}}));
  EXPECT_EQ(exec("(a)|b", "b"), (Groups{{0, 1}, {-1, -1}}));
  EXPECT_EQ(exec("(a)|(b)|(c)", "xc"), (Groups{{1, 2}, {-1, -1}, {-1, -1}, {1, 2}}));
  EXPECT_EQ(exec("abc", "ababc"), (Groups{{2, 5}}));
  EXPECT_EQ(exec("x", "abc"), (Groups{}));
}

TEST(RegexMatch, search_starts_at_the_given_offset) {
  EXPECT_EQ(exec("a", "aXa", {}, 1), (Groups{{2, 3}}));
  EXPECT_EQ(exec("^a", "aXa", {}, 1), (Groups{}));
  EXPECT_EQ(exec("$", "ab", {}, 2), (Groups{{2, 2}}));
  auto re = Regex::compile("a");
  EXPECT_EQ(re->search("a", 5), Status::no_match);
}

TEST(RegexMatch, greedy_and_lazy_quantifiers) {
  EXPECT_EQ(exec("a{2,3}", "aaaa"), (Groups{{0, 3}}));
  EXPECT_EQ(exec("a{2,3}?", "aaaa"), (Groups{{0, 2}}));
  EXPECT_EQ(exec("a{2}", "a"), (Groups{}));
  EXPECT_EQ(exec("a{2,}", "aaaaab"), (Groups{{0, 5}}));
  EXPECT_EQ(exec("<.*>", "<a><b>"), (Groups{{0, 6}}));
  EXPECT_EQ(exec("<.*?>", "<a><b>"), (Groups{{0, 3}}));
  EXPECT_EQ(exec("x*?y", "xxxy"), (Groups{{0, 4}}));
  EXPECT_EQ(exec("(?:ab){2}", "abababx"), (Groups{{0, 4}}));
  EXPECT_EQ(exec("(ab){0,2}c", "ababc"), (Groups{{0, 5}, {2, 4}}));
  EXPECT_EQ(exec("(a+?)+?b", "aab"), (Groups{{0, 3}, {1, 2}}));
  EXPECT_EQ(exec("(\\w)\\1{2,}", "aabbbb"), (Groups{{2, 6}, {2, 3}}));
  EXPECT_EQ(exec("a{0}b", "ab"), (Groups{{1, 2}}));
}

TEST(RegexMatch, captures_reset_on_each_iteration) {
  EXPECT_EQ(exec("(z)((a+)?(b+)?(c))*", "zaacbbbcac"),
            (Groups{{0, 10}, {0, 1}, {8, 10}, {8, 9}, {-1, -1}, {9, 10}}));
  EXPECT_EQ(exec("(?:(a)|b)*", "ab"), (Groups{{0, 2}, {-1, -1}}));
  EXPECT_EQ(exec("((a)|b)+", "ab"), (Groups{{0, 2}, {1, 2}, {-1, -1}}));
  EXPECT_EQ(exec("(a)?(a)?", "a"), (Groups{{0, 1}, {0, 1}, {-1, -1}}));
  EXPECT_EQ(exec("(a)?b", "b"), (Groups{{0, 1}, {-1, -1}}));
}

TEST(RegexMatch, empty_check_stops_loops_over_possibly_empty_bodies) {
  EXPECT_EQ(exec("(a*)*", "b"), (Groups{{0, 0}, {-1, -1}}));
  EXPECT_EQ(exec("(a*)+", "b"), (Groups{{0, 0}, {0, 0}}));
  EXPECT_EQ(exec("(a|)*", "aa"), (Groups{{0, 2}, {1, 2}}));
  EXPECT_EQ(exec("(|a)*", "aa"), (Groups{{0, 2}, {1, 2}}));
  EXPECT_EQ(exec("(a?)*?b", "aab"), (Groups{{0, 3}, {1, 2}}));
  EXPECT_EQ(exec("(?:a?)*b", "aab"), (Groups{{0, 3}}));
  EXPECT_EQ(exec("(a*)?", "b"), (Groups{{0, 0}, {-1, -1}}));
  EXPECT_EQ(exec("(?:){3}x", "x"), (Groups{{0, 1}}));
}

TEST(RegexMatch, backtracking_explores_alternatives_in_order) {
  EXPECT_EQ(exec("^(?:a|ab)*c$", "abac"), (Groups{{0, 4}}));
  EXPECT_EQ(exec("(a|aa)*b", "aaab"), (Groups{{0, 4}, {2, 3}}));
  EXPECT_EQ(exec("(a|ab)(c|bcd)(d*)", "abcd"), (Groups{{0, 4}, {0, 1}, {1, 4}, {4, 4}}));
  EXPECT_EQ(exec("^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$", "john.doe@mail.example.com"),
            (Groups{{0, 25}}));
}

TEST(RegexMatch, lookahead_is_atomic_and_keeps_captures) {
  EXPECT_EQ(exec("(?=(a+))", "baaabac"), (Groups{{1, 1}, {1, 4}}));
  EXPECT_EQ(exec("(?=(a+))a*b\\1", "baaabac"), (Groups{{3, 6}, {3, 4}}));
  EXPECT_EQ(exec("(.*?)a(?!(a+)b\\2c)\\2(.*)", "baaabaac"),
            (Groups{{0, 8}, {0, 2}, {-1, -1}, {3, 8}}));
  EXPECT_EQ(exec("^(?=.*\\d)(?=.*[a-z]).{6,}$", "abc123"), (Groups{{0, 6}}));
  EXPECT_EQ(exec("^(?=.*\\d)(?=.*[a-z]).{6,}$", "abcdef"), (Groups{}));
  EXPECT_EQ(exec("(a)(?!(b))", "ab ac"), (Groups{{3, 4}, {3, 4}, {-1, -1}}));
}

TEST(RegexMatch, lookbehind_matches_right_to_left) {
  EXPECT_EQ(exec("(?<=\\$)\\d+(\\.\\d*)?", "cost $10.53"), (Groups{{6, 11}, {8, 11}}));
  EXPECT_EQ(exec("(?<!\\$)\\b\\d+", "$10 20"), (Groups{{4, 6}}));
  EXPECT_EQ(exec("(?<=(\\d+)(\\d+))$", "1053"), (Groups{{4, 4}, {0, 1}, {1, 4}}));
  EXPECT_EQ(exec("(?<=\\1(a))b", "aab"), (Groups{{2, 3}, {1, 2}}));
  EXPECT_EQ(exec("(?<=a+)b", "aab"), (Groups{{2, 3}}));
  EXPECT_EQ(exec("(?<=a|bc)d", "bcd"), (Groups{{2, 3}}));
  EXPECT_EQ(exec("(?<=([abc])+)d", "abcd"), (Groups{{3, 4}, {0, 1}}));
  EXPECT_EQ(exec("(?<=^|,)x", "a,x"), (Groups{{2, 3}}));
  EXPECT_EQ(exec("(?<=\xC3\xA9)x", "\xC3\xA9x"), (Groups{{2, 3}}));
}

TEST(RegexMatch, back_references) {
  EXPECT_EQ(exec("(a)\\1", "aa"), (Groups{{0, 2}, {0, 1}}));
  EXPECT_EQ(exec("\\1(a)", "aa"), (Groups{{0, 1}, {0, 1}}));  // forward reference: empty
  EXPECT_EQ(exec("(?<n>x)\\k<n>", "axx"), (Groups{{1, 3}, {1, 2}}));
  EXPECT_EQ(exec("(a)\\1", "aA", with_i()), (Groups{{0, 2}, {0, 1}}));
  EXPECT_EQ(exec("(\xC3\xA9)\\1", "\xC3\xA9\xC3\x89", with_i()), (Groups{{0, 4}, {0, 2}}));
  EXPECT_EQ(exec("(k)\\1", "k\xE2\x84\xAA", with_i()), (Groups{{0, 4}, {0, 1}}));  // KELVIN SIGN
}

TEST(RegexMatch, exposes_group_names) {
  auto re = Regex::compile("(?<year>\\d{4})-(\\d{2})");
  ASSERT_TRUE(re.ok());
  Match m;
  ASSERT_EQ(re->search("on 2024-05", 0, &m), Status::match);
  EXPECT_EQ(m.begin, 3u);
  EXPECT_EQ(m.end, 10u);
  EXPECT_EQ(m.group_names, (std::vector<std::string>{"", "year", ""}));
  EXPECT_EQ(m.groups[1], (std::pair<size_t, size_t>{3, 7}));
}

TEST(RegexMatch, anchors_and_multiline) {
  EXPECT_FALSE(matches("^abc$", "abc\n"));
  EXPECT_TRUE(matches("^abc$", "abc"));
  Flags m;
  m.multiline = true;
  EXPECT_EQ(exec("^abc$", "x\nabc\ny", m), (Groups{{2, 5}}));
  EXPECT_EQ(exec("^b",
                 "a\xE2\x80\xA8"
                 "b",
                 m),
            (Groups{{4, 5}}));  // U+2028
  EXPECT_EQ(exec("^$", "a\n\nb", m), (Groups{{2, 2}}));
  EXPECT_EQ(exec("^abc", "x\nabc"), (Groups{}));
}

TEST(RegexMatch, word_boundaries_use_ascii_word_characters) {
  EXPECT_EQ(exec("\\bfoo\\b", "a foo b"), (Groups{{2, 5}}));
  EXPECT_EQ(exec("\\Boo", "foo"), (Groups{{1, 3}}));
  EXPECT_EQ(exec("\\b\xC3\xA9", "\xC3\xA9"), (Groups{}));  // e-acute is not a word character
  EXPECT_EQ(exec("\\bx", "\xC3\xA9x"), (Groups{{2, 3}}));
}

TEST(RegexMatch, dot_and_dot_all) {
  EXPECT_FALSE(matches("a.c", "a\nc"));
  EXPECT_FALSE(matches("a.c", "a\rc"));
  EXPECT_FALSE(matches("a.c",
                       "a\xE2\x80\xA9"
                       "c"));
  Flags s;
  s.dot_all = true;
  EXPECT_TRUE(matches("a.c", "a\nc", s));
  EXPECT_TRUE(matches("^[^]$", "\n"));
  EXPECT_FALSE(matches("[]", "a"));
}

TEST(RegexMatch, escapes_match_their_characters) {
  EXPECT_TRUE(matches("^\\t$", "\t"));
  EXPECT_FALSE(matches("^\\t$", "\\t"));
  EXPECT_TRUE(matches("^\\cC$", "\x03"));
  EXPECT_TRUE(matches("^\\cc$", "\x03"));
  EXPECT_TRUE(matches("^\\x41\\u0042\\u{43}\\0$", std::string_view("ABC\0", 4)));
  EXPECT_TRUE(matches("^[\\b]$", "\b"));
  EXPECT_TRUE(matches("^\\/\\.\\*$", "/.*"));
  EXPECT_TRUE(matches("^[\\-a]+$", "-a-"));
}

TEST(RegexMatch, class_escapes_follow_ecmascript) {
  EXPECT_TRUE(matches("^\\d$", "0"));
  EXPECT_FALSE(matches("^\\d$", "\xDF\x80"));  // NKO DIGIT ZERO
  EXPECT_TRUE(matches("^\\D$", "\xDF\x80"));
  EXPECT_TRUE(matches("^\\w$", "_"));
  EXPECT_FALSE(matches("^\\w$", "\xC3\xA9"));
  EXPECT_TRUE(matches("^\\W$", "\xC3\xA9"));
  const char* spaces[] = {
      " ",        "\t",           "\v",           "\f",           "\n",           "\r",
      "\xC2\xA0", "\xEF\xBB\xBF", "\xE2\x80\xA9", "\xE2\x80\x83", "\xE3\x80\x80", "\xE1\x9A\x80"};
  for (const char* sp : spaces) {
    EXPECT_TRUE(matches("^\\s$", sp)) << sp;
    EXPECT_FALSE(matches("^\\S$", sp)) << sp;
  }
  EXPECT_FALSE(matches("^\\s$", "\x01"));
  EXPECT_FALSE(matches("^\\s$", "\xE2\x80\x93"));  // EN DASH
  EXPECT_FALSE(matches("^\\s$", "\xE2\x80\x8B"));  // ZERO WIDTH SPACE is not White_Space
}

TEST(RegexMatch, case_insensitive_uses_simple_case_folding_in_unicode_mode) {
  Flags i = with_i();
  EXPECT_TRUE(matches("^abc$", "AbC", i));
  EXPECT_TRUE(matches("^\xC3\xA9$", "\xC3\x89", i));      // e-acute / E-acute
  EXPECT_TRUE(matches("^\\u212a$", "k", i));              // KELVIN SIGN
  EXPECT_TRUE(matches("^\xC3\x9F$", "\xE1\xBA\x9E", i));  // sharp s / capital sharp s
  EXPECT_TRUE(matches("^\xCF\x83$", "\xCF\x82", i));      // sigma / final sigma
  EXPECT_TRUE(matches("^[a-z]+$", "ABC\xC5\xBF", i));     // long s folds to s
  EXPECT_TRUE(matches("^\\w$", "\xC5\xBF", i));
  EXPECT_FALSE(matches("^\\W$", "\xC5\xBF", i));
  EXPECT_TRUE(matches("^\\p{Lu}$", "a", i));
  EXPECT_TRUE(matches("^\xF0\x90\x90\x80$", "\xF0\x90\x90\xA8", i));  // Deseret, non-BMP
}

TEST(RegexMatch, case_insensitive_without_u_uses_uppercase_mapping) {
  Flags i = with_i(non_unicode());
  EXPECT_TRUE(matches("^abc$", "ABC", i));
  EXPECT_FALSE(matches("^\\u212a$", "k", i));  // never maps to ASCII from outside it
  EXPECT_FALSE(matches("^\xC3\x9F$", "\xE1\xBA\x9E", i));
  EXPECT_TRUE(matches("^\xCF\x83$", "\xCF\x82", i));
  EXPECT_FALSE(matches("^\\w$", "\xC5\xBF", i));
}

TEST(RegexMatch, annex_b_literals_without_u) {
  Flags f = non_unicode();
  EXPECT_EQ(exec("a{", "a{", f), (Groups{{0, 2}}));
  EXPECT_EQ(exec("\\a", "a", f), (Groups{{0, 1}}));
  EXPECT_EQ(exec("\\c", "\\c", f), (Groups{{0, 2}}));
  EXPECT_EQ(exec("[\\c_]", "\x1F", f), (Groups{{0, 1}}));
  EXPECT_EQ(exec("\\101", "A", f), (Groups{{0, 1}}));
  EXPECT_EQ(exec("\\8", "8", f), (Groups{{0, 1}}));
  EXPECT_EQ(exec("[\\d-z]+", "1-z", f), (Groups{{0, 3}}));
  EXPECT_EQ(exec("\\u{2}", "uu", f), (Groups{{0, 2}}));
  EXPECT_EQ(exec("(?=a)*a", "a", f), (Groups{{0, 1}}));
}

}  // namespace
}  // namespace hotpath::regex
