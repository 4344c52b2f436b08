// CharSet operations and the Unicode property / case lookups over the generated tables.
#include "regex_charset.h"

#include <algorithm>
#include <cstring>

#include "regex_unicode_data.h"

namespace hotpath::regex {

void CharSet::normalize() {
  if (normalized_) return;
  std::sort(ranges_.begin(), ranges_.end());
  size_t out = 0;
  for (size_t i = 0; i < ranges_.size(); ++i) {
    if (out > 0 && uint64_t(ranges_[i].first) <= uint64_t(ranges_[out - 1].second) + 1) {
      ranges_[out - 1].second = std::max(ranges_[out - 1].second, ranges_[i].second);
    } else {
      ranges_[out++] = ranges_[i];
    }
  }
  ranges_.resize(out);
  normalized_ = true;
}

void CharSet::invert() {
  normalize();
  std::vector<Range> out;
  uint32_t next = 0;
  for (const Range& r : ranges_) {
    if (r.first > next) out.emplace_back(next, r.first - 1);
    next = r.second + 1;
  }
  if (next <= kMaxCodePoint) out.emplace_back(next, kMaxCodePoint);
  ranges_ = std::move(out);
}

bool CharSet::contains(uint32_t cp) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), cp,
                             [](uint32_t c, const Range& r) { return c < r.first; });
  return it != ranges_.begin() && cp <= std::prev(it)->second;
}

bool CharSet::single(uint32_t* cp) const {
  if (ranges_.size() != 1 || ranges_[0].first != ranges_[0].second) return false;
  *cp = ranges_[0].first;
  return true;
}

namespace unicode {
namespace {

template <typename T>
const T* find_name(const T* table, size_t count, std::string_view name) {
  const T* end = table + count;
  const T* it =
      std::lower_bound(table, end, name, [](const T& e, std::string_view n) { return e.name < n; });
  return it != end && it->name == name ? it : nullptr;
}

// Collects the code points of the runs whose value satisfies `pick`.
template <typename Pick>
void add_runs(const uint32_t* runs, size_t count, unsigned shift, Pick pick, CharSet* out) {
  for (size_t i = 0; i < count; ++i) {
    uint32_t value = runs[i] & ((1u << shift) - 1);
    if (!pick(value)) continue;
    uint32_t first = runs[i] >> shift;
    uint32_t last = i + 1 < count ? (runs[i + 1] >> shift) - 1 : kMaxCodePoint;
    out->add_range(first, last);
  }
}

void add_binary(const ucd::BinaryProperty& p, CharSet* out) {
  for (uint32_t i = 0; i < p.count; ++i) {
    uint32_t packed = ucd::kBinaryRanges[p.offset + i];
    uint32_t first = packed >> 11;
    out->add_range(first, first + (packed & 2047));
  }
}

bool binary_contains(const char* name, uint32_t cp) {
  const ucd::BinaryProperty* p = find_name(ucd::kBinaryProperties, ucd::kBinaryPropertyCount, name);
  if (!p) return false;
  const uint32_t* begin = ucd::kBinaryRanges + p->offset;
  const uint32_t* end = begin + p->count;
  const uint32_t* it = std::upper_bound(
      begin, end, cp, [](uint32_t c, uint32_t packed) { return c < (packed >> 11); });
  if (it == begin) return false;
  uint32_t packed = *std::prev(it);
  return cp <= (packed >> 11) + (packed & 2047);
}

bool add_script(std::string_view value, bool extensions, CharSet* out) {
  const ucd::ValueName* sc = find_name(ucd::kScriptNames, ucd::kScriptNameCount, value);
  if (!sc) return false;
  uint32_t idx = sc->value;
  if (!extensions) {
    add_runs(
        ucd::kScriptRuns, ucd::kScriptRunCount, 8, [&](uint32_t v) { return v == idx; }, out);
    return true;
  }
  // Script_Extensions: the explicit list where ScriptExtensions.txt has one, else {Script}.
  CharSet base;
  add_runs(
      ucd::kScriptRuns, ucd::kScriptRunCount, 8, [&](uint32_t v) { return v == idx; }, &base);
  CharSet listed, with;
  for (size_t i = 0; i < ucd::kScxEntryCount; ++i) {
    const ucd::ScxEntry& e = ucd::kScxEntries[i];
    listed.add_range(e.first, e.last);
    for (const uint8_t* s = ucd::kScxSets + e.set; *s != 255; ++s) {
      if (*s == idx) with.add_range(e.first, e.last);
    }
  }
  listed.invert();  // normalizes
  base.normalize();
  // base minus listed == base intersect complement(listed)
  for (const auto& a : base.ranges()) {
    for (const auto& b : listed.ranges()) {
      uint32_t lo = std::max(a.first, b.first), hi = std::min(a.second, b.second);
      if (lo <= hi) out->add_range(lo, hi);
    }
  }
  out->add_set(with);
  return true;
}

}  // namespace

uint32_t canonicalize(uint32_t cp, bool unicode_mode) {
  if (unicode_mode) {
    const uint32_t* end = ucd::kFoldFrom + ucd::kFoldCount;
    const uint32_t* it = std::lower_bound(ucd::kFoldFrom, end, cp);
    return it != end && *it == cp ? ucd::kFoldTo[it - ucd::kFoldFrom] : cp;
  }
  if (cp > 0xFFFF) return cp;
  const uint16_t* end = ucd::kUpperFrom + ucd::kUpperCount;
  const uint16_t* it = std::lower_bound(ucd::kUpperFrom, end, uint16_t(cp));
  return it != end && *it == cp ? ucd::kUpperTo[it - ucd::kUpperFrom] : cp;
}

void close_over_case(CharSet& set, bool unicode_mode) {
  set.normalize();
  // Canonical forms present in the set: targets of members, and members that are targets.
  size_t count = unicode_mode ? ucd::kFoldCount : ucd::kUpperCount;
  auto from = [&](size_t i) -> uint32_t {
    return unicode_mode ? ucd::kFoldFrom[i] : ucd::kUpperFrom[i];
  };
  auto to = [&](size_t i) -> uint32_t { return unicode_mode ? ucd::kFoldTo[i] : ucd::kUpperTo[i]; };
  std::vector<uint32_t> canon;
  for (size_t i = 0; i < count; ++i) {
    if (set.contains(from(i)) || set.contains(to(i))) canon.push_back(to(i));
  }
  if (canon.empty()) return;
  std::sort(canon.begin(), canon.end());
  canon.erase(std::unique(canon.begin(), canon.end()), canon.end());
  CharSet added;
  for (uint32_t c : canon) added.add(c);
  for (size_t i = 0; i < count; ++i) {
    if (std::binary_search(canon.begin(), canon.end(), to(i))) added.add(from(i));
  }
  set.add_set(added);
  set.normalize();
}

bool property_set(std::string_view name, std::string_view value, bool has_value, CharSet* out) {
  if (has_value) {
    if (name == "General_Category" || name == "gc") {
      // Only General_Category values; binary property names are not values of gc.
      if (!find_name(ucd::kGcNames, ucd::kGcNameCount, value)) return false;
      return property_set(value, {}, false, out);
    }
    if (name == "Script" || name == "sc") return add_script(value, false, out);
    if (name == "Script_Extensions" || name == "scx") return add_script(value, true, out);
    return false;
  }
  if (const ucd::ValueName* gc = find_name(ucd::kGcNames, ucd::kGcNameCount, name)) {
    uint32_t mask = gc->value;
    add_runs(
        ucd::kGcRuns, ucd::kGcRunCount, 5, [&](uint32_t v) { return (mask >> v) & 1; }, out);
    return true;
  }
  if (name == "Any") {
    out->add_range(0, kMaxCodePoint);
    return true;
  }
  if (name == "ASCII") {
    out->add_range(0, 0x7F);
    return true;
  }
  if (name == "Assigned") {
    CharSet unassigned;
    property_set("Cn", {}, false, &unassigned);
    unassigned.invert();
    out->add_set(unassigned);
    return true;
  }
  if (const ucd::BinaryProperty* p =
          find_name(ucd::kBinaryProperties, ucd::kBinaryPropertyCount, name)) {
    add_binary(*p, out);
    return true;
  }
  return false;
}

void add_white_space(CharSet* out) {
  static constexpr uint32_t kSingles[] = {0x20,   0xA0,   0x1680, 0x2028, 0x2029,
                                          0x202F, 0x205F, 0x3000, 0xFEFF};
  out->add_range(0x09, 0x0D);
  out->add_range(0x2000, 0x200A);
  for (uint32_t cp : kSingles) out->add(cp);
}

bool is_id_start(uint32_t cp) { return binary_contains("ID_Start", cp); }
bool is_id_continue(uint32_t cp) { return binary_contains("ID_Continue", cp); }
bool is_cased(uint32_t cp) { return binary_contains("Cased", cp); }
bool is_case_ignorable(uint32_t cp) { return binary_contains("Case_Ignorable", cp); }
const char* version() { return ucd::kUnicodeVersion; }

}  // namespace unicode
}  // namespace hotpath::regex
