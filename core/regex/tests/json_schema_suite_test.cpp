// Runs the regex expectations of the JSON Schema Test Suite (draft 2020-12 pattern,
// patternProperties, optional/ecmascript-regex, optional/non-bmp-regex and
// optional/format/ecmascript-regex), extracted at build time by gen/suite_cases.mjs.
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "hotpath/regex.h"

using namespace std::literals;

namespace hotpath::regex {
namespace {

struct PatternCase {
  const char* where;
  std::string_view pattern;
  std::string_view subject;
  bool valid;
};
struct FormatCase {
  const char* where;
  std::string_view pattern;
  bool valid;
};
struct PatternPropertiesCase {
  const char* where;
  std::vector<std::string_view> patterns;
  std::vector<std::string_view> keys;
  std::vector<std::vector<bool>> value_ok;  // [key][pattern]: the subschema accepts the value
  bool additional_false;
  bool valid;
};

#if defined(HOTPATH_REGEX_SUITE_CASES)
#include HOTPATH_REGEX_SUITE_CASES
const PatternCase kPatternCases[] = {HOTPATH_SUITE_PATTERN_CASES};
const FormatCase kFormatCases[] = {HOTPATH_SUITE_FORMAT_CASES};
const PatternPropertiesCase kPatternPropertiesCases[] = {HOTPATH_SUITE_PATTERN_PROPERTIES_CASES};

TEST(JsonSchemaSuite, pattern_cases_match_as_the_suite_expects) {
  for (const PatternCase& c : kPatternCases) {
    auto re = Regex::compile(c.pattern);
    ASSERT_TRUE(re.ok()) << c.where << ": " << re.error().to_string();
    EXPECT_EQ(re->test(c.subject) == Status::match, c.valid) << c.where;
  }
}

TEST(JsonSchemaSuite, format_regex_cases_compile_as_the_suite_expects) {
  for (const FormatCase& c : kFormatCases) {
    EXPECT_EQ(Regex::compile(c.pattern).ok(), c.valid) << c.where;
  }
}

TEST(JsonSchemaSuite, pattern_properties_cases_validate_as_the_suite_expects) {
  for (const PatternPropertiesCase& c : kPatternPropertiesCases) {
    std::vector<Regex> patterns;
    for (std::string_view p : c.patterns) {
      auto re = Regex::compile(p);
      ASSERT_TRUE(re.ok()) << c.where << ": " << re.error().to_string();
      patterns.push_back(std::move(re.value()));
    }
    bool valid = true;
    for (size_t k = 0; k < c.keys.size(); ++k) {
      bool matched = false;
      for (size_t i = 0; i < patterns.size(); ++i) {
        if (patterns[i].test(c.keys[k]) != Status::match) continue;
        matched = true;
        valid = valid && c.value_ok[k][i];
      }
      if (!matched && c.additional_false) valid = false;
    }
    EXPECT_EQ(valid, c.valid) << c.where;
  }
}

TEST(JsonSchemaSuite, suite_cases_are_present) {
  EXPECT_GE(std::size(kPatternCases), 60u);
  EXPECT_GE(std::size(kFormatCases), 10u);
  EXPECT_GE(std::size(kPatternPropertiesCases), 30u);
}
#else
TEST(JsonSchemaSuite, pattern_cases_match_as_the_suite_expects) {
  GTEST_SKIP() << "JSON Schema Test Suite not found at configure time";
}
#endif

}  // namespace
}  // namespace hotpath::regex
