// Cross-checks the two parsers inside Document::parse: simdjson (the fast path that decides
// acceptance) and the strict syntax checker (which locates errors). On randomly mutated
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

TEST(JsonDifferential, simdjson_and_the_syntax_checker_agree_on_mutated_inputs) {
  std::mt19937 rng(12345);
  Document doc;
  int accepted = 0;
  for (int round = 0; round < 30000; ++round) {
    const std::string input = mutate(kSeeds[round % (sizeof kSeeds / sizeof kSeeds[0])], rng);
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
  EXPECT_GT(accepted, 1000);
}

}  // namespace
}  // namespace hotpath::json
