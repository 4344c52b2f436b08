// The ASCII fast path of `hostname` must give exactly the answers of the full IDNA check.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "../src/formats_idn.h"

namespace {

using hotpath::schema::internal::idn::is_hostname;
using hotpath::schema::internal::idn::is_idn_hostname;

TEST(HostnameFastPath, agrees_with_the_full_idna_check_on_random_ascii_names) {
  std::mt19937_64 rng(20261121);
  const std::string alphabet = "abcxnXN019-._";
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    size_t len = rng() % 24;
    if (rng() % 50 == 0) len = 60 + rng() % 220;  // around the 63/253 limits
    for (size_t k = 0; k < len; ++k) s.push_back(alphabet[rng() % alphabet.size()]);
    if (rng() % 8 == 0) s.insert(rng() % (s.size() + 1), "xn--");
    ASSERT_EQ(is_hostname(s), is_idn_hostname(s)) << '"' << s << '"';
  }
}

TEST(HostnameFastPath, pins_the_ldh_rules) {
  EXPECT_TRUE(is_hostname("oms-1.nyc.hotpath.example"));
  EXPECT_TRUE(is_hostname(std::string(63, 'a') + ".com"));
  EXPECT_FALSE(is_hostname(std::string(64, 'a') + ".com"));
  EXPECT_FALSE(is_hostname("-a.com"));
  EXPECT_FALSE(is_hostname("a-.com"));
  EXPECT_FALSE(is_hostname("a..com"));
  EXPECT_FALSE(is_hostname("a.com."));
  EXPECT_FALSE(is_hostname("a_b.com"));
  EXPECT_FALSE(is_hostname("xn--X.com"));  // an A-label goes through punycode validation
}

}  // namespace
