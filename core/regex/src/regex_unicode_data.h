// Declarations of the Unicode tables generated at build time by gen/gen_unicode_tables.mjs
// from the Unicode Character Database (never committed). Used by the regex engine and by
// unicode_case.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hotpath::regex::ucd {

struct ValueName {
  const char* name;
  uint32_t value;
};
struct ScxEntry {
  uint32_t first;
  uint32_t last;
  uint32_t set;  // offset into kScxSets; the set ends with 255
};
struct BinaryProperty {
  const char* name;
  uint32_t offset;  // into kBinaryRanges
  uint32_t count;
};

extern const char kUnicodeVersion[];
// Runs covering every code point: (first << 5) | index into the 30 leaf categories.
extern const uint32_t kGcRuns[];
extern const size_t kGcRunCount;
// General_Category value names (sorted) -> bit mask over the leaf categories.
extern const ValueName kGcNames[];
extern const size_t kGcNameCount;
// Runs covering every code point: (first << 8) | script index.
extern const uint32_t kScriptRuns[];
extern const size_t kScriptRunCount;
extern const ValueName kScriptNames[];  // sorted; value = script index
extern const size_t kScriptNameCount;
extern const ScxEntry kScxEntries[];  // sorted by first
extern const size_t kScxEntryCount;
extern const uint8_t kScxSets[];
extern const BinaryProperty kBinaryProperties[];  // sorted by name
extern const size_t kBinaryPropertyCount;
extern const uint32_t kBinaryRanges[];  // (first << 11) | (length - 1)
// Simple case folding (u-mode Canonicalize), sorted by source code point.
extern const uint32_t kFoldFrom[];
extern const uint32_t kFoldTo[];
extern const size_t kFoldCount;
// Single-unit uppercase mapping of the BMP (non-u Canonicalize), sorted.
extern const uint16_t kUpperFrom[];
extern const uint16_t kUpperTo[];
extern const size_t kUpperCount;
// Full case conversion (toUpperCase / toLowerCase), sorted by `from`; the result is
// kCaseChars[offset .. offset + length).
struct CaseMapping {
  uint32_t from;
  uint16_t offset;
  uint8_t length;
};
extern const CaseMapping kToUpper[];
extern const size_t kToUpperCount;
extern const CaseMapping kToLower[];
extern const size_t kToLowerCount;
extern const uint32_t kCaseChars[];

}  // namespace hotpath::regex::ucd
