// Hostile patterns and subjects: the step budget stops catastrophic backtracking, huge
// counted repetitions compile to counters (no unrolling), and long subjects never deepen the
// native stack (the matcher's backtrack stack lives on the heap).
#include <gtest/gtest.h>

#include <string>

#include "regex_test_support.h"

namespace hotpath::regex {
namespace {

using testing::compile_error;

TEST(RegexSafety, catastrophic_nested_quantifier_exceeds_the_budget) {
  auto re = Regex::compile("^(a+)+$");
  ASSERT_TRUE(re.ok());
  std::string subject(40, 'a');
  subject += 'b';
  EXPECT_EQ(re->test(subject), Status::budget_exceeded);
  EXPECT_EQ(re->test("aaaa"), Status::match);
  EXPECT_EQ(re->test("aaab"), Status::no_match);
}

TEST(RegexSafety, exponential_alternation_exceeds_the_budget) {
  auto re = Regex::compile("^(a|aa)*b$");
  ASSERT_TRUE(re.ok());
  EXPECT_EQ(re->test(std::string(60, 'a')), Status::budget_exceeded);
  EXPECT_EQ(re->test(std::string(60, 'a') + "b"), Status::match);
  auto nested = Regex::compile("^((a*)*)*c$");
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(nested->test(std::string(40, 'a')), Status::budget_exceeded);
}

TEST(RegexSafety, budget_is_counted_per_search_call) {
  auto re = Regex::compile("^(a+)+$");
  ASSERT_TRUE(re.ok());
  std::string subject = std::string(18, 'a') + "b";
  EXPECT_EQ(re->test(subject, 100), Status::budget_exceeded);
  EXPECT_EQ(re->test(subject, 100'000'000), Status::no_match);
  EXPECT_EQ(re->test("aaa", 0), Status::budget_exceeded);
}

TEST(RegexSafety, huge_counted_repetitions_do_not_unroll) {
  EXPECT_EQ(compile_error("a{1000000000}"), "ok");
  EXPECT_EQ(compile_error("(?:ab){1000000000,}"), "ok");
  EXPECT_EQ(compile_error("a{99999999999999999999}"), "ok");  // saturates
  auto re = Regex::compile("^(?:ab){2,1000000000}$");
  ASSERT_TRUE(re.ok());
  EXPECT_EQ(re->test("ababab"), Status::match);
  EXPECT_EQ(re->test("ab"), Status::no_match);
  auto single = Regex::compile("a{1000000000}");
  EXPECT_EQ(single->test(std::string(1000, 'a')), Status::no_match);
}

TEST(RegexSafety, one_megabyte_subjects_with_simple_loops) {
  std::string big(1 << 20, 'a');
  auto simple = Regex::compile("^[a-z]*$");
  EXPECT_EQ(simple->test(big), Status::match);
  auto dot = Regex::compile("^.*$");
  EXPECT_EQ(dot->test(big), Status::match);
  auto tail = Regex::compile("a*b");
  EXPECT_EQ(tail->test(big + "b"), Status::match);
  auto lazy = Regex::compile("^.*?$");
  EXPECT_EQ(lazy->test(big, 100'000'000), Status::match);
  // A general loop keeps one choice point per iteration on the heap, not on the C++ stack.
  auto group = Regex::compile("^(?:a|b)*$");
  EXPECT_EQ(group->test(big, 100'000'000), Status::match);
  auto captures = Regex::compile("^(a|b)*c");
  std::string quarter(1 << 18, 'a');
  EXPECT_EQ(captures->test(quarter, 100'000'000), Status::no_match);
  EXPECT_EQ(captures->test(big), Status::budget_exceeded);  // default budget: 1M steps
  // With a huge step budget the memory bound (4M backtrack or trail entries) still holds.
  EXPECT_EQ(captures->test(big, 1'000'000'000), Status::budget_exceeded);
}

TEST(RegexSafety, unanchored_search_skips_impossible_start_positions_for_free) {
  std::string big(1 << 20, 'x');
  auto digits = Regex::compile("\\d{4}");
  EXPECT_EQ(digits->test(big), Status::no_match);
  auto literal = Regex::compile("needle");
  EXPECT_EQ(literal->test(big + "needle"), Status::match);
}

TEST(RegexSafety, deep_lookaround_and_long_patterns) {
  std::string alternatives;
  for (int i = 0; i < 5000; ++i) alternatives += "a" + std::to_string(i) + "|";
  alternatives += "zz";
  auto re = Regex::compile(alternatives);
  ASSERT_TRUE(re.ok());
  EXPECT_EQ(re->test("xzz"), Status::match);
  std::string nested;
  for (int i = 0; i < 200; ++i) nested += "(?=a";
  nested += std::string(200, ')');
  auto look = Regex::compile(nested);
  ASSERT_TRUE(look.ok());
  EXPECT_EQ(look->test(std::string(200, 'a')), Status::match);
  EXPECT_EQ(look->test(std::string(199, 'a')), Status::no_match);
}

}  // namespace
}  // namespace hotpath::regex
