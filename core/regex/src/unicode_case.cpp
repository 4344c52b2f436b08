// Full Unicode case conversion (see hotpath/unicode_case.h). ASCII text takes a table-free
// path; other code points are one binary search in the generated kToUpper/kToLower tables.
#include "hotpath/unicode_case.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "regex_charset.h"
#include "regex_unicode_data.h"
#include "regex_utf8.h"

namespace hotpath::unicode {
namespace {

void map_one(uint32_t cp, const regex::ucd::CaseMapping* table, size_t count, std::string& out) {
  const regex::ucd::CaseMapping* end = table + count;
  const regex::ucd::CaseMapping* it = std::lower_bound(
      table, end, cp, [](const regex::ucd::CaseMapping& m, uint32_t c) { return m.from < c; });
  if (it == end || it->from != cp) return regex::utf8::append(out, cp);
  for (uint8_t k = 0; k < it->length; ++k)
    regex::utf8::append(out, regex::ucd::kCaseChars[it->offset + k]);
}

constexpr uint32_t kCapitalSigma = 0x3A3;

// Final_Sigma (Unicode 3.13, Table 3-17): a cased letter comes before (skipping
// case-ignorable ones) and none comes after.
bool final_sigma(const std::vector<uint32_t>& cps, size_t i) {
  size_t j = i;
  while (j > 0 && regex::unicode::is_case_ignorable(cps[j - 1])) --j;
  if (j == 0 || !regex::unicode::is_cased(cps[j - 1])) return false;
  size_t k = i + 1;
  while (k < cps.size() && regex::unicode::is_case_ignorable(cps[k])) ++k;
  return k == cps.size() || !regex::unicode::is_cased(cps[k]);
}

void convert(std::string_view s, std::string& out, bool upper) {
  out.reserve(out.size() + s.size());
  auto ascii = [upper](char c) {
    if (upper && c >= 'a' && c <= 'z') return static_cast<char>(c - 32);
    if (!upper && c >= 'A' && c <= 'Z') return static_cast<char>(c + 32);
    return c;
  };
  if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<uint8_t>(c) < 0x80; })) {
    for (char c : s) out.push_back(ascii(c));  // no tables
    return;
  }
  // As code points (Final_Sigma looks at both neighbours). A byte that starts no valid sequence
  // is kept as kRawByte | byte and copied back unchanged.
  constexpr uint32_t kRawByte = 0x80000000;
  std::vector<uint32_t> cps;
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  for (size_t i = 0, n = 0; i < s.size(); i += n) {
    const uint32_t cp = regex::utf8::decode(bytes, s.size(), i, &n);
    cps.push_back(cp == regex::utf8::kReplacement && n == 1 ? kRawByte | bytes[i] : cp);
  }
  const regex::ucd::CaseMapping* table = upper ? regex::ucd::kToUpper : regex::ucd::kToLower;
  const size_t count = upper ? regex::ucd::kToUpperCount : regex::ucd::kToLowerCount;
  for (size_t k = 0; k < cps.size(); ++k) {
    const uint32_t cp = cps[k];
    if (cp & kRawByte) {
      out.push_back(static_cast<char>(cp & 0xFF));
    } else if (cp < 0x80) {
      out.push_back(ascii(static_cast<char>(cp)));
    } else if (!upper && cp == kCapitalSigma) {
      regex::utf8::append(out, final_sigma(cps, k) ? 0x3C2 : 0x3C3);
    } else {
      map_one(cp, table, count, out);
    }
  }
}

}  // namespace

void append_upper(std::string_view utf8, std::string& out) { convert(utf8, out, true); }
void append_lower(std::string_view utf8, std::string& out) { convert(utf8, out, false); }

}  // namespace hotpath::unicode
