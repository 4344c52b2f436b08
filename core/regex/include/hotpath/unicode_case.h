// hotpath/unicode_case: Unicode default case conversion, the way ECMAScript's
// String.prototype.toUpperCase and toLowerCase do it: locale-independent, with the full
// mappings of SpecialCasing.txt (ß -> SS, ﬁ -> FI, İ -> i̇) and Final_Sigma (Σ at the end of a
// word lowers to ς). Lives beside the regex engine, which owns the Unicode tables (generated
// from the Unicode Character Database at build time). Used by JSONata's $uppercase/$lowercase.
#pragma once

#include <string>
#include <string_view>

namespace hotpath::unicode {

// Appends the converted text to `out`. `utf8` should be valid UTF-8; a byte that does not
// start a valid sequence is copied unchanged.
void append_upper(std::string_view utf8, std::string& out);
void append_lower(std::string_view utf8, std::string& out);

}  // namespace hotpath::unicode
