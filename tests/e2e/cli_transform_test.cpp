// End-to-end tests of `hotpath transform`: results as compact JSON, undefined results, NDJSON
// line for line (bad lines reported, the run goes on), bindings, limits, and the error lines
// and exit codes for expression, input and usage errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "hotpath_process.h"

namespace hotpath::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kExamples = HOTPATH_SOURCE_DIR "/examples";

class TransformTest : public ::testing::Test {
 protected:
  TempDir dir;
};

TEST_F(TransformTest, prints_the_result_as_compact_json) {
  auto r = run_hotpath({"transform", "--expr", "instrument.{\"s\": symbol, \"x\": [exchange]}",
                        kExamples + "/orders/order.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"s\":\"AAPL\",\"x\":[\"XNAS\"]}\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(TransformTest, reads_the_expression_from_a_file) {
  auto r = run_hotpath({"transform", "--expr-file",
                        kExamples + "/pipelines/orders-summary/summary.jsonata",
                        kExamples + "/orders/order.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"order\":\"7d9f2c3e-4b1a-4c8e-9f6d-2a5b8c1e0f37\",\"account\":\"ACC0012345\","
            "\"symbol\":\"AAPL\",\"side\":\"BUY\",\"quantity\":1500,\"notional\":258525,"
            "\"fees\":7.53,\"cash\":-258532.53,\"currency\":\"USD\",\"settles\":\"2024-03-15\","
            "\"algo\":\"vwap\"}\n");
}

TEST_F(TransformTest, an_undefined_result_prints_nothing) {
  auto r = run_hotpath({"transform", "--expr", "no.such.field"}, "{\"a\":1}");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST_F(TransformTest, no_input_and_bindings) {
  auto r = run_hotpath({"transform", "--no-input", "--expr", "[1..4].($ * $ )"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "[1,4,9,16]\n");
  std::string bindings = dir.write("b.json", "{\"rate\": 1.5, \"name\": \"Zoë\"}");
  r = run_hotpath({"transform", "--no-input", "--bindings", bindings, "--expr",
                   "$name & \": \" & $string($rate * 2)"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "\"Zoë: 3\"\n");
}

TEST_F(TransformTest, ndjson_prints_one_line_per_input_line) {
  auto r = run_hotpath({"transform", "--ndjson", "--expr", "a * 2"},
                       "{\"a\":1}\n{\"b\":2}\n{\"a\":\n{\"a\":\"x\"}\r\n{\"a\":2.5}");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "2\n\n\n\n5\n");
  EXPECT_THAT(r.err, HasSubstr("hotpath: line 3: invalid JSON at line 3, column "));
  EXPECT_THAT(r.err, HasSubstr("line 4: T2001 at position 3: "));
}

TEST_F(TransformTest, compile_errors_name_the_code_and_position) {
  auto r = run_hotpath({"transform", "--no-input", "--expr", "items[price > ]"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("S0211 at position 15: "));
}

TEST_F(TransformTest, evaluation_errors_name_the_code_and_position) {
  auto r = run_hotpath({"transform", "--no-input", "--expr", "\"a\" + 1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("T2001 at position 5: "));
}

TEST_F(TransformTest, runaway_expressions_hit_the_limits) {
  auto r = run_hotpath({"transform", "--no-input", "--timeout-ms", "100", "--expr",
                        "($f := function($n) { $f($n + 1) }; $f(0))"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("U1001 at position "));
  r = run_hotpath({"transform", "--no-input", "--max-depth", "50", "--expr",
                   "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000))"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("U1001 at position "));
  // Without limits, unbounded recursion still ends with an error rather than a crash.
  r = run_hotpath(
      {"transform", "--no-input", "--expr", "($f := function($n) { 1 + $f($n + 1) }; $f(0))"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.term_signal, 0);
}

TEST_F(TransformTest, input_that_is_not_json_is_reported_with_its_location) {
  auto r = run_hotpath({"transform", "--expr", "a"}, "{\"a\": tru}");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("hotpath: <stdin>: invalid JSON at line 1, column 7: "));
}

TEST_F(TransformTest, usage_errors_exit_2) {
  for (std::vector<std::string> args : {
           std::vector<std::string>{"transform"},
           {"transform", "--expr", "a", "--expr-file", "f"},
           {"transform", "--no-input", "--expr", "a", "file.json"},
           {"transform", "--expr", "a", "--timeout-ms", "soon"},
           {"transform", "--expr", "a", "--bogus"},
       }) {
    auto r = run_hotpath(args);
    EXPECT_EQ(r.exit_code, 2) << args.back();
    EXPECT_THAT(r.err, StartsWith("hotpath: ")) << args.back();
    EXPECT_EQ(r.out, "");
  }
  auto r = run_hotpath({"transform", "--expr", "a", "--bindings", dir.path() + "/missing.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("hotpath: cannot read bindings: "));
  std::string list = dir.write("list.json", "[1]");
  r = run_hotpath({"transform", "--expr", "a", "--bindings", list}, "{}");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bindings must be a JSON object"));
}

TEST_F(TransformTest, help_documents_the_options_and_exit_codes) {
  auto r = run_hotpath({"transform", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* s : {"--expr E", "--expr-file F", "--bindings B.json", "--ndjson", "--no-input",
                        "--timeout-ms N", "--max-depth N", "Exit status:"}) {
    EXPECT_THAT(r.out, HasSubstr(s));
  }
}

}  // namespace
}  // namespace hotpath::e2e
