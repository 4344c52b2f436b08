// Internal to the `format` checkers: strict UTF-8 decoding, host names (RFC 1123), IDNA2008
// labels (RFC 5890-5893) and the Unicode property table generated at build time by
// core/schema/gen/idna_tables.mjs.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hotpath::schema::internal::idn {

// Decodes the UTF-8 sequence at s[i] and advances i; false when malformed, overlong, a
// surrogate or above U+10FFFF (i must be < s.size()).
bool next_code_point(std::string_view s, size_t& i, uint32_t& out);

// Property word of one code point; the bit layout is documented in gen/idna_tables.mjs.
uint32_t code_point_properties(uint32_t cp);
// True when <first, second> canonically composes to a primary composite (NFC).
bool has_composition(uint32_t first, uint32_t second);

enum class Idna : uint8_t { disallowed = 0, pvalid = 1, contextj = 2, contexto = 3 };
enum class Bidi : uint8_t {
  L,
  R,
  AL,
  EN,
  ES,
  ET,
  AN,
  CS,
  NSM,
  BN,
  B,
  S,
  WS,
  ON,
  LRE,
  LRO,
  RLE,
  RLO,
  PDF,
  LRI,
  RLI,
  FSI,
  PDI
};
enum class Joining : uint8_t { U, C, D, L, R, T };
enum class Script : uint8_t { other, greek, hebrew, hiragana, katakana, han };

inline Idna idna_of(uint32_t p) { return static_cast<Idna>(p & 3u); }
inline Bidi bidi_of(uint32_t p) { return static_cast<Bidi>((p >> 2) & 31u); }
inline Joining joining_of(uint32_t p) { return static_cast<Joining>((p >> 7) & 7u); }
inline Script script_of(uint32_t p) { return static_cast<Script>((p >> 10) & 7u); }
inline bool is_mark(uint32_t p) { return (p >> 13) & 1u; }
inline uint8_t combining_class_of(uint32_t p) { return static_cast<uint8_t>(p >> 16); }
inline bool is_virama(uint32_t p) { return combining_class_of(p) == 9; }

// `hostname`: RFC 1123 LDH labels; labels starting "xn--" must be valid A-labels.
bool is_hostname(std::string_view s);
// `idn-hostname`: labels are NR-LDH labels, A-labels or U-labels (RFC 5890), separated by
// U+002E, U+3002, U+FF0E or U+FF61; lengths are checked on the A-label form. U-labels must be
// in NFC unless `require_nfc` is false (lookup-side leniency: RFC 5891 5.2 normalizes input
// first; the suite expects that for the domain of an `idn-email`).
bool is_idn_hostname(std::string_view s, bool require_nfc = true);

}  // namespace hotpath::schema::internal::idn
