// Bad input through `hotpath validate`: every case gets a clear, located answer and the process
// neither crashes nor hangs. Documents that are not JSON are reported as an invalid unit with
// exit code 1 (the run itself worked); only I/O, usage and schema problems exit 2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "hotpath_process.h"

namespace hotpath::e2e {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kValid = "{\"valid\":true}\n";
constexpr const char* kRejectedPrefix =
    R"({"valid":false,"errors":[{"keywordLocation":"","absoluteKeywordLocation":"","instanceLocation":"","error":"invalid JSON at line )";

class BadInputTest : public ::testing::Test {
 protected:
  ProcessResult validate(const std::string& schema, const std::string& doc,
                         std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"validate", "--schema", dir.write("schema.json", schema)};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_hotpath(args, doc);
  }
  // Asserts the document was reported as invalid JSON at `line`, `column`, in one output line.
  void expect_invalid_json(const ProcessResult& r, const std::string& line_and_column) {
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.term_signal, 0);
    EXPECT_THAT(r.out, StartsWith(kRejectedPrefix + line_and_column + ": "));
    EXPECT_THAT(r.out, EndsWith("\"}]}\n"));
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
    EXPECT_EQ(r.err, "");
  }
  TempDir dir;
};

TEST_F(BadInputTest, truncated_json_is_reported_with_line_and_column) {
  expect_invalid_json(validate("{}", R"({"a": [1, 2)"), "1, column 12");
}

TEST_F(BadInputTest, error_position_counts_lines_of_a_multiline_document) {
  expect_invalid_json(validate("{}", "{\n  \"a\": 1,\n  \"b\": ]\n}\n"), "3, column 8");
}

TEST_F(BadInputTest, empty_document_is_invalid_json) {
  auto r = validate("{}", "");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, StartsWith(kRejectedPrefix));
}

TEST_F(BadInputTest, invalid_utf8_is_invalid_json) {
  expect_invalid_json(validate("{}", "[\"ok\", \"bad \xff byte\"]"), "1, column 13");
}

TEST_F(BadInputTest, overlong_utf8_encoding_is_invalid_json) {
  auto r = validate("{}", "\"\xc0\xaf\"");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, StartsWith(kRejectedPrefix + std::string("1, column ")));
}

TEST_F(BadInputTest, lone_surrogate_escape_is_invalid_json) {
  auto high = validate("{}", R"(["\ud800"])");
  EXPECT_EQ(high.exit_code, 1);
  EXPECT_THAT(high.out, StartsWith(kRejectedPrefix + std::string("1, column ")));
  auto low = validate("{}", R"({"k":"x\udc00y"})");
  EXPECT_EQ(low.exit_code, 1);
  EXPECT_THAT(low.out, StartsWith(kRejectedPrefix + std::string("1, column ")));
  // A proper pair is fine.
  EXPECT_EQ(validate(R"({"const":"😀"})", R"("\ud83d\ude00")").out, kValid);
}

TEST_F(BadInputTest, trailing_garbage_is_invalid_json) {
  expect_invalid_json(validate("{}", R"({"a":1} x)"), "1, column 9");
  expect_invalid_json(validate("{}", "[1]\n[2]\n"), "2, column 1");
}

TEST_F(BadInputTest, nesting_100000_deep_is_refused_not_a_crash) {
  std::string doc = std::string(100000, '[') + std::string(100000, ']');
  auto r = validate("{}", doc);
  EXPECT_EQ(r.term_signal, 0);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, StartsWith(kRejectedPrefix + std::string("1, column ")));
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(100000, '}');
  auto o = validate(R"({"properties":{"a":{"$ref":"#"}}})", objects);
  EXPECT_EQ(o.term_signal, 0);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_THAT(o.out, StartsWith(kRejectedPrefix + std::string("1, column ")));
}

TEST_F(BadInputTest, nesting_within_the_limit_validates) {
  std::string doc = std::string(1000, '[') + std::string(1000, ']');
  EXPECT_EQ(validate(R"({"type":"array"})", doc).out, kValid);
}

TEST_F(BadInputTest, huge_exponent_is_valid_json_and_compares_exactly) {
  EXPECT_EQ(validate(R"({"type":"number"})", "1e400").out, kValid);
  EXPECT_EQ(validate(R"({"type":"integer"})", "1e400").out, kValid);  // mathematically an integer
  EXPECT_EQ(validate(R"({"maximum":1e300})", "1e400", {"--output", "flag"}).out,
            "{\"valid\":false}\n");
  EXPECT_EQ(validate(R"({"minimum":1e399})", "1e400").out, kValid);
  EXPECT_EQ(validate(R"({"exclusiveMaximum":0})", "-1e400").out, kValid);
  EXPECT_EQ(validate(R"({"type":"integer"})", "1.5e-400", {"--output", "flag"}).out,
            "{\"valid\":false}\n");
}

TEST_F(BadInputTest, four_hundred_digit_integer_is_valid_json_and_compares_exactly) {
  std::string big = "1" + std::string(399, '0');  // 10^399
  EXPECT_EQ(validate(R"({"type":"integer"})", big).out, kValid);
  EXPECT_EQ(validate(R"({"type":"integer","multipleOf":2})", big).out, kValid);
  EXPECT_EQ(validate(R"({"maximum":)" + big + "}", big).out, kValid);
  EXPECT_EQ(validate(R"({"exclusiveMaximum":)" + big + "}", big, {"--output", "flag"}).out,
            "{\"valid\":false}\n");
  std::string big_plus_one = "1" + std::string(398, '0') + "1";
  EXPECT_EQ(validate(R"({"maximum":)" + big + "}", big_plus_one, {"--output", "flag"}).out,
            "{\"valid\":false}\n");
  EXPECT_EQ(validate(R"({"const":)" + big + "}", big + ".0").out, kValid);
  EXPECT_EQ(
      validate(R"({"type":"integer","multipleOf":2})", big_plus_one, {"--output", "flag"}).out,
      "{\"valid\":false}\n");
}

TEST_F(BadInputTest, integers_beyond_2_pow_53_compare_exactly) {
  EXPECT_EQ(
      validate(R"({"maximum":9007199254740992})", "9007199254740993", {"--output", "flag"}).out,
      "{\"valid\":false}\n");
  EXPECT_EQ(validate(R"({"const":18446744073709551617})", "18446744073709551617").out, kValid);
  EXPECT_EQ(
      validate(R"({"const":18446744073709551617})", "18446744073709551616", {"--output", "flag"})
          .out,
      "{\"valid\":false}\n");
}

TEST_F(BadInputTest, binary_garbage_is_invalid_json) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 7919) & 0xff));
  auto r = validate("{}", junk);
  EXPECT_EQ(r.term_signal, 0);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, StartsWith(kRejectedPrefix));
}

TEST_F(BadInputTest, nul_byte_inside_a_string_is_invalid_json) {
  auto r = validate("{}", std::string("\"a\0b\"", 5));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, StartsWith(kRejectedPrefix + std::string("1, column ")));
}

TEST_F(BadInputTest, hostile_pattern_cannot_hang_validation) {
  std::string doc = "\"" + std::string(40, 'a') + "!\"";
  auto r = validate(R"({"pattern":"^(a+)+$"})", doc);
  EXPECT_EQ(r.term_signal, 0);
  // Either a definite "no match" (linear engine) or a budget failure; both are invalid.
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, StartsWith(R"({"valid":false,"errors":[{"keywordLocation":"/pattern",)"));
}

}  // namespace
}  // namespace hotpath::e2e
