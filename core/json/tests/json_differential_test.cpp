// Cross-checks the two parsers inside Document::parse: the builder (simdjson's stage 1 and
// our stage 2, the fast path that decides acceptance) and the strict syntax checker (which
// locates errors). On randomly mutated
// JSON they must agree on every input, or a bad input could be accepted or an error could
// lose its location.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "../src/json_syntax_check.h"
#include "hotpath/json.h"

namespace hotpath::json {
namespace {

const char* const kSeeds[] = {
    R"({"a":[1,2.5,-3e2,"x\"y",true,false,null],"b":{"c":{}},"d":[]})",
    R"([{"k":"\u00e9\ud83d\ude00"},0,-0.0,1E+2,"tab\t"])",
    "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"",
    "  123  ",
    "[[[[\"deep\"]]]]",
    R"({"n":null,"t":true,"f":false,"s":"\\\/\b\f\n\r"})",
};

// Bytes that exercise every branch of both parsers.
const char kAlphabet[] =
    "{}[]:,\"\\/ "
    "\t\n\r0123456789-+."
    "eEtrufalsn\x01\x1f\x7fu\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xFF\xC0\xED\xA0";

std::string mutate(std::string s, std::mt19937& rng) {
  const int edits = 1 + int(rng() % 3);
  for (int i = 0; i < edits; ++i) {
    const char c = kAlphabet[rng() % (sizeof kAlphabet - 1)];
    const size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 3) {
      case 0:
        s.insert(at, 1, c);
        break;
      case 1:
        if (at < s.size()) s.erase(at, 1);
        break;
      default:
        if (at < s.size()) s[at] = c;
        break;
    }
  }
  return s;
}

// Pretty-printed input, escapes in keys and values, long strings that cross simdjson's
// 64-byte blocks, and every number shape: the paths of the builder's stage 2.
const char* const kStage2Seeds[] = {
    "{\n  \"id\": \"7d9f2c3e\",\n  \"qty\": 1500,\n  \"px\": 172.35,\n  \"tags\": [\n    "
    "\"a\\nb\",\n"
    "    true\n  ],\n  \"k\\\"q\": null\n}\n",
    R"(["0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\u00e9","x",false])",
    "[0,-0,1.5e+10,-2E-3,12345678901234567890,123456789012345678901234567890,0.1e1]",
    "{\"a\":{\"b\":[{\"c\":\"\\ud83d\\ude00\"},{}]},\"\":\"\\/\"}",
    "\t\r\n\"root\\tstring\"\r\n",
};

// Runs `rounds` mutations of `seeds` through Document::parse and the syntax checker.
void expect_agreement(const char* const* seeds, size_t seed_count, int rounds, uint32_t rng_seed) {
  std::mt19937 rng(rng_seed);
  Document doc;
  int accepted = 0;
  for (int round = 0; round < rounds; ++round) {
    const std::string input = mutate(seeds[size_t(round) % seed_count], rng);
    std::string message;
    size_t offset = 0;
    const bool checker_rejects = internal::find_syntax_error(input, 1024, message, offset);
    auto parsed = doc.parse(input);
    ASSERT_EQ(parsed.ok(), !checker_rejects) << "input: " << input << "\nchecker: " << message;
    if (parsed.ok()) {
      ++accepted;
      // Accepted input survives a write/parse round trip unchanged.
      const std::string once = to_string(doc.root());
      Document again;
      ASSERT_TRUE(again.parse(once).ok()) << once;
      ASSERT_EQ(to_string(again.root()), once);
    } else {
      ASSERT_EQ(parsed.error().message, message);
      ASSERT_EQ(parsed.error().offset, offset);
    }
  }
  EXPECT_GT(accepted, rounds / 30);
}

TEST(JsonDifferential, simdjson_and_the_syntax_checker_agree_on_mutated_inputs) {
  expect_agreement(kSeeds, sizeof kSeeds / sizeof kSeeds[0], 30000, 12345);
}

TEST(JsonDifferential, they_agree_on_mutated_pretty_printed_escaped_and_numeric_inputs) {
  expect_agreement(kStage2Seeds, sizeof kStage2Seeds / sizeof kStage2Seeds[0], 30000, 54321);
}

}  // namespace
}  // namespace hotpath::json
