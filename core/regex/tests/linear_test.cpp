// Linear patterns (^ then ASCII characters/classes with repeats, optionally $, each variable
// repeat disjoint from what may follow it) are decided by test() in one greedy scan instead
// of the backtracking matcher. search() with a Match still runs the backtracking matcher, so
// comparing the two on random patterns and subjects checks the scan against the reference.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "regex_test_support.h"

namespace hotpath::regex {
namespace {

// Whether search() (the backtracking matcher, used whenever a Match is asked for) matches.
Status reference(const Regex& re, std::string_view subject) {
  Match m;
  return re.search(subject, 0, &m);
}

TEST(RegexLinear, identifier_patterns_take_the_scan_and_ignore_the_step_budget) {
  // Under a 1-step budget the backtracking matcher gives up at once; the scan needs no budget.
  const std::string long_id(100000, '7');
  const struct {
    const char* pattern;
    std::string subject;
    Status want;
  } cases[] = {
      {"^[A-Z]{3}-[0-9]{8}-[0-9]{4}$", "EQD-20240314-0001", Status::match},
      {"^[A-Z]{3}-[0-9]{8}-[0-9]{4}$", "EQD-20240314-001", Status::no_match},
      {"^[A-Z]{3}-[0-9]{8}-[0-9]{4}$", "EQD-20240314-00012", Status::no_match},
      {"^ACC[0-9]{7}$", "ACC0012345", Status::match},
      {"^[A-Z0-9][A-Z0-9.]{0,9}$", "BRK.B", Status::match},
      {"^[A-Z0-9][A-Z0-9.]{0,9}$", "BRK.BBBBBBBB", Status::no_match},
      {"^[A-Z]{2}[A-Z0-9]{9}[0-9]$", "US0378331005", Status::match},
      {"^[0-9]+$", long_id, Status::match},
      {"^[0-9]+$", long_id + "x", Status::no_match},
      {"^a", "abc", Status::match},  // no $: a prefix match is enough
      {"^[a-z]*", "", Status::match},
      {"^x\\d+y?$", "x12y", Status::match},
  };
  for (const auto& c : cases) {
    auto re = Regex::compile(c.pattern);
    ASSERT_TRUE(re.ok()) << c.pattern;
    EXPECT_EQ(re->test(c.subject, /*step_budget=*/1), c.want) << c.pattern << " on " << c.subject;
    EXPECT_EQ(reference(*re, c.subject), c.want) << c.pattern << " on " << c.subject;
  }
}

TEST(RegexLinear, patterns_that_may_need_backtracking_keep_the_matcher) {
  // A greedy-only scan would wrongly reject these: the repeat must give a character back.
  const struct {
    const char* pattern;
    const char* subject;
  } cases[] = {{"^[a-z]*a$", "aa"},
               {"^a?a$", "a"},
               {"^[0-9]{1,3}[0-9]$", "1234"},
               {"^x[a-c]+b$", "xab"},
               {"^\\w+_$", "a_b_"}};
  for (const auto& c : cases) {
    auto re = Regex::compile(c.pattern);
    ASSERT_TRUE(re.ok()) << c.pattern;
    EXPECT_EQ(re->test(c.subject), Status::match) << c.pattern << " on " << c.subject;
    // It really is the backtracking matcher: a 1-step budget is not enough for it.
    EXPECT_EQ(re->test(c.subject, 1), Status::budget_exceeded) << c.pattern;
  }
}

TEST(RegexLinear, random_patterns_agree_with_the_backtracking_matcher) {
  const std::vector<std::string> atoms = {"a",     "b",   "x",     "-",        "[ab]", "[b-d]",
                                          "[x-z]", "\\d", "[0-9]", "[a-c0-2]", "\\w",  "[.]"};
  const std::vector<std::string> quants = {"",      "",      "?",    "*",  "+",  "{2}",
                                           "{0,3}", "{1,2}", "{2,}", "*?", "+?", "{1,3}?"};
  const std::string alphabet = "abcdxyz-0129._é";
  std::mt19937 rng(20261121);
  int checked = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string pattern = "^";
    const int len = 1 + static_cast<int>(rng() % 5);
    for (int i = 0; i < len; ++i) {
      pattern += atoms[rng() % atoms.size()];
      pattern += quants[rng() % quants.size()];
    }
    if (rng() % 4 != 0) pattern += "$";
    for (const Flags flags : {Flags{}, testing::non_unicode()}) {
      auto re = Regex::compile(pattern, flags);
      ASSERT_TRUE(re.ok()) << pattern;
      for (int s = 0; s < 12; ++s) {
        std::string subject;
        const int n = static_cast<int>(rng() % 9);
        for (int i = 0; i < n; ++i) {
          // The last two bytes are 'é': picking its lead byte appends the whole character.
          const size_t k = rng() % (alphabet.size() - 1);
          subject += alphabet[k] == '\xc3' ? std::string("é") : std::string(1, alphabet[k]);
        }
        const Status want = reference(*re, subject);
        ASSERT_NE(want, Status::budget_exceeded);
        ASSERT_EQ(re->test(subject), want) << "/" << pattern << "/ on \"" << subject << "\"";
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 4000 * 2 * 12);
}

}  // namespace
}  // namespace hotpath::regex
