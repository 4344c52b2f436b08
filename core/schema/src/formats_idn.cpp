// Host names for the `hostname` and `idn-hostname` formats: RFC 1123 LDH labels and IDNA2008
// (RFC 5890 definitions, RFC 5891 label validation, RFC 5892 code point properties and
// CONTEXTJ/CONTEXTO rules, RFC 5893 Bidi rule), with Punycode (RFC 3492) both ways so that
// A-labels are checked as the U-labels they encode and lengths are measured on the A-label.
// Everything works on fixed-size stack buffers: a label longer than 63 octets in A-label form
// is invalid, so no valid label needs more than 63 code points.
#include "formats_idn.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hotpath::schema::internal::idn {
namespace {

constexpr size_t kMaxLabel = 63;  // octets of one label in its ASCII (A-label) form
constexpr size_t kMaxName = 253;  // octets of the whole name in ASCII form, no trailing dot
constexpr char kAcePrefix[] = "xn--";

// A label as code points. Capacity kMaxLabel + 1 so that "too long" is detectable.
struct Label {
  uint32_t cp[kMaxLabel + 1];
  size_t size = 0;
  bool push(uint32_t c) {
    if (size > kMaxLabel) return false;
    cp[size++] = c;
    return true;
  }
};

bool is_label_separator(uint32_t c) {
  return c == 0x2E || c == 0x3002 || c == 0xFF0E || c == 0xFF61;
}
constexpr bool is_ldh(uint32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}
uint32_t ascii_lower(uint32_t c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

// ---- Punycode (RFC 3492 section 6) ----
constexpr uint32_t kBase = 36, kTmin = 1, kTmax = 26, kSkew = 38, kDamp = 700;
constexpr uint32_t kInitialBias = 72, kInitialN = 128, kMaxInt = 0x7FFFFFFF;

uint32_t adapt(uint32_t delta, uint32_t num_points, bool first_time) {
  delta = first_time ? delta / kDamp : delta / 2;
  delta += delta / num_points;
  uint32_t k = 0;
  while (delta > ((kBase - kTmin) * kTmax) / 2) {
    delta /= kBase - kTmin;
    k += kBase;
  }
  return k + (kBase - kTmin + 1) * delta / (delta + kSkew);
}
uint32_t threshold(uint32_t k, uint32_t bias) {
  if (k <= bias) return kTmin;
  if (k >= bias + kTmax) return kTmax;
  return k - bias;
}
int digit_value(uint32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0') + 26;
  if (c >= 'a' && c <= 'z') return static_cast<int>(c - 'a');
  if (c >= 'A' && c <= 'Z') return static_cast<int>(c - 'A');
  return -1;
}
char digit_char(uint32_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); }

// Decodes the part of an A-label after "xn--".
bool punycode_decode(std::string_view in, Label& out) {
  out.size = 0;
  size_t delim = in.rfind('-');
  size_t pos = 0;
  if (delim != std::string_view::npos) {
    for (size_t k = 0; k < delim; ++k) {
      if (!out.push(static_cast<uint8_t>(in[k]))) return false;
    }
    pos = delim + 1;
  }
  uint32_t n = kInitialN, i = 0, bias = kInitialBias;
  while (pos < in.size()) {
    uint32_t old_i = i, w = 1;
    for (uint32_t k = kBase;; k += kBase) {
      if (pos >= in.size()) return false;
      int d = digit_value(static_cast<uint8_t>(in[pos++]));
      if (d < 0) return false;
      uint32_t digit = static_cast<uint32_t>(d);
      if (digit > (kMaxInt - i) / w) return false;
      i += digit * w;
      uint32_t t = threshold(k, bias);
      if (digit < t) break;
      if (w > kMaxInt / (kBase - t)) return false;
      w *= kBase - t;
    }
    uint32_t count = static_cast<uint32_t>(out.size) + 1;
    bias = adapt(i - old_i, count, old_i == 0);
    if (i / count > kMaxInt - n) return false;
    n += i / count;
    i %= count;
    if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return false;
    if (out.size > kMaxLabel) return false;
    for (size_t k = out.size; k > i; --k) out.cp[k] = out.cp[k - 1];
    out.cp[i] = n;
    ++out.size;
    ++i;
  }
  return true;
}

// Encodes a label; false when the result (without prefix) exceeds `cap` octets.
bool punycode_encode(const Label& in, char* out, size_t cap, size_t& out_len) {
  size_t len = 0;
  auto emit = [&](char c) {
    if (len >= cap) return false;
    out[len++] = c;
    return true;
  };
  uint32_t basic = 0;
  for (size_t k = 0; k < in.size; ++k) {
    if (in.cp[k] < 0x80) {
      if (!emit(static_cast<char>(in.cp[k]))) return false;
      ++basic;
    }
  }
  if (basic > 0 && !emit('-')) return false;
  uint32_t n = kInitialN, delta = 0, bias = kInitialBias, h = basic;
  while (h < in.size) {
    uint32_t m = 0xFFFFFFFF;
    for (size_t k = 0; k < in.size; ++k) {
      if (in.cp[k] >= n && in.cp[k] < m) m = in.cp[k];
    }
    if (m - n > (kMaxInt - delta) / (h + 1)) return false;
    delta += (m - n) * (h + 1);
    n = m;
    for (size_t k = 0; k < in.size; ++k) {
      uint32_t c = in.cp[k];
      if (c < n && ++delta == 0) return false;
      if (c != n) continue;
      uint32_t q = delta;
      for (uint32_t kk = kBase;; kk += kBase) {
        uint32_t t = threshold(kk, bias);
        if (q < t) break;
        if (!emit(digit_char(t + (q - t) % (kBase - t)))) return false;
        q = (q - t) / (kBase - t);
      }
      if (!emit(digit_char(q))) return false;
      bias = adapt(delta, h + 1, h == basic);
      delta = 0;
      ++h;
    }
    ++delta;
    ++n;
  }
  out_len = len;
  return true;
}

// ---- RFC 5892 Appendix A contextual rules ----
bool context_j(const Label& l, size_t i) {
  if (i > 0 && is_virama(code_point_properties(l.cp[i - 1]))) return true;
  if (l.cp[i] != 0x200C) return false;  // ZWJ needs the virama
  // ZWNJ: (Joining_Type:{L,D})(Joining_Type:T)* ZWNJ (Joining_Type:T)*(Joining_Type:{R,D})
  size_t k = i;
  Joining jt = Joining::U;
  do {
    if (k == 0) return false;
    jt = joining_of(code_point_properties(l.cp[--k]));
  } while (jt == Joining::T);
  if (jt != Joining::L && jt != Joining::D) return false;
  k = i;
  do {
    if (++k >= l.size) return false;
    jt = joining_of(code_point_properties(l.cp[k]));
  } while (jt == Joining::T);
  return jt == Joining::R || jt == Joining::D;
}

bool context_o(const Label& l, size_t i) {
  uint32_t c = l.cp[i];
  if (c == 0x00B7) {  // MIDDLE DOT: between two 'l'
    return i > 0 && i + 1 < l.size && l.cp[i - 1] == 0x6C && l.cp[i + 1] == 0x6C;
  }
  if (c == 0x0375) {  // GREEK KERAIA: followed by Greek
    return i + 1 < l.size && script_of(code_point_properties(l.cp[i + 1])) == Script::greek;
  }
  if (c == 0x05F3 || c == 0x05F4) {  // HEBREW GERESH / GERSHAYIM: preceded by Hebrew
    return i > 0 && script_of(code_point_properties(l.cp[i - 1])) == Script::hebrew;
  }
  if (c == 0x30FB) {  // KATAKANA MIDDLE DOT: some Hiragana, Katakana or Han in the label
    for (size_t k = 0; k < l.size; ++k) {
      Script s = script_of(code_point_properties(l.cp[k]));
      if (s == Script::hiragana || s == Script::katakana || s == Script::han) return true;
    }
    return false;
  }
  if (c >= 0x0660 && c <= 0x0669) {  // ARABIC-INDIC DIGITS: no extended ones in the label
    for (size_t k = 0; k < l.size; ++k) {
      if (l.cp[k] >= 0x06F0 && l.cp[k] <= 0x06F9) return false;
    }
    return true;
  }
  if (c >= 0x06F0 && c <= 0x06F9) {  // EXTENDED ARABIC-INDIC DIGITS: no plain ones
    for (size_t k = 0; k < l.size; ++k) {
      if (l.cp[k] >= 0x0660 && l.cp[k] <= 0x0669) return false;
    }
    return true;
  }
  return false;
}

// NFC check for a label whose code points are each PVALID or contextual (so none has
// NFC_Quick_Check=No and no conjoining jamo occurs): NFC(l) == l unless combining marks are
// out of canonical order or a mark composes with the last starter it is not blocked from.
// Not detected: a precomposed starter whose decomposition ends in a mark that a following
// mark of lower combining class would be reordered before (e.g. U+00E9 U+0323).
bool is_nfc(const Label& l) {
  size_t starter = l.size;  // index of the last starter, none yet
  uint8_t prev = 0;
  for (size_t i = 0; i < l.size; ++i) {
    uint8_t ccc = combining_class_of(code_point_properties(l.cp[i]));
    if (ccc != 0 && prev > ccc) return false;
    if (starter < l.size) {
      bool blocked = i - starter > 1 && prev >= ccc;
      if (!blocked && has_composition(l.cp[starter], l.cp[i])) return false;
    }
    if (ccc == 0) starter = i;
    prev = ccc;
  }
  return true;
}

// RFC 5891 section 4.2 (registration checks) for a U-label.
bool is_valid_u_label(const Label& l, bool require_nfc) {
  if (l.size == 0) return false;
  bool non_ascii = false;
  for (size_t i = 0; i < l.size; ++i) non_ascii |= l.cp[i] >= 0x80;
  if (!non_ascii) return false;  // RFC 5890 2.3.2.1: a U-label has a non-ASCII code point
  // 4.2.3.1 hyphen restrictions
  if (l.cp[0] == '-' || l.cp[l.size - 1] == '-') return false;
  if (l.size >= 4 && l.cp[2] == '-' && l.cp[3] == '-') return false;
  // 4.2.2 / 4.2.3.3 code point properties and contextual rules
  for (size_t i = 0; i < l.size; ++i) {
    switch (idna_of(code_point_properties(l.cp[i]))) {
      case Idna::pvalid:
        break;
      case Idna::contextj:
        if (!context_j(l, i)) return false;
        break;
      case Idna::contexto:
        if (!context_o(l, i)) return false;
        break;
      case Idna::disallowed:
        return false;
    }
  }
  // 4.2.3.2 a label must not begin with a combining mark
  if (is_mark(code_point_properties(l.cp[0]))) return false;
  return !require_nfc || is_nfc(l);  // 4.2.1
}

// ---- RFC 5893 section 2: the Bidi rule ----
Bidi bidi_at(const Label& l, size_t i) { return bidi_of(code_point_properties(l.cp[i])); }

bool is_rtl_label(const Label& l) {
  for (size_t i = 0; i < l.size; ++i) {
    Bidi b = bidi_at(l, i);
    if (b == Bidi::R || b == Bidi::AL || b == Bidi::AN) return true;
  }
  return false;
}

bool satisfies_bidi_rule(const Label& l) {
  if (l.size == 0) return false;
  Bidi first = bidi_at(l, 0);
  size_t last = l.size;  // index past the last non-NSM code point
  while (last > 0 && bidi_at(l, last - 1) == Bidi::NSM) --last;
  if (last == 0) return false;
  Bidi end = bidi_at(l, last - 1);
  if (first == Bidi::R || first == Bidi::AL) {
    bool en = false, an = false;
    for (size_t i = 0; i < l.size; ++i) {
      switch (bidi_at(l, i)) {
        case Bidi::R:
        case Bidi::AL:
        case Bidi::ES:
        case Bidi::CS:
        case Bidi::ET:
        case Bidi::ON:
        case Bidi::BN:
        case Bidi::NSM:
          break;
        case Bidi::EN:
          en = true;
          break;
        case Bidi::AN:
          an = true;
          break;
        default:
          return false;  // rule 2
      }
    }
    if (en && an) return false;                                                      // rule 4
    return end == Bidi::R || end == Bidi::AL || end == Bidi::EN || end == Bidi::AN;  // rule 3
  }
  if (first != Bidi::L) return false;  // rule 1
  for (size_t i = 0; i < l.size; ++i) {
    switch (bidi_at(l, i)) {
      case Bidi::L:
      case Bidi::EN:
      case Bidi::ES:
      case Bidi::CS:
      case Bidi::ET:
      case Bidi::ON:
      case Bidi::BN:
      case Bidi::NSM:
        break;
      default:
        return false;  // rule 5
    }
  }
  return end == Bidi::L || end == Bidi::EN;  // rule 6
}

// Checks one label given as code points; sets `ascii_len` to its length in A-label form.
bool check_label(const Label& l, bool require_nfc, size_t& ascii_len) {
  if (l.size == 0) return false;
  bool ascii = true;
  for (size_t i = 0; i < l.size; ++i) ascii &= l.cp[i] < 0x80;
  char buf[kMaxLabel];
  size_t n = 0;
  if (!ascii) {  // U-label
    if (!is_valid_u_label(l, require_nfc)) return false;
    if (!punycode_encode(l, buf, kMaxLabel - (sizeof(kAcePrefix) - 1), n)) return false;
    ascii_len = n + sizeof(kAcePrefix) - 1;
    return true;
  }
  if (l.size > kMaxLabel) return false;
  for (size_t i = 0; i < l.size; ++i) {
    if (!is_ldh(l.cp[i])) return false;
  }
  if (l.cp[0] == '-' || l.cp[l.size - 1] == '-') return false;
  ascii_len = l.size;
  bool ace = l.size >= 4 && ascii_lower(l.cp[0]) == 'x' && ascii_lower(l.cp[1]) == 'n' &&
             l.cp[2] == '-' && l.cp[3] == '-';
  if (!ace) return true;  // an NR-LDH label (RFC 5890 2.3.1)
  // An A-label: it must decode to a valid U-label that encodes back to exactly this label
  // (RFC 5891 sections 4.4 and 5.4). Like DNS, A-labels are compared case-insensitively, so
  // the label is lowercased before decoding.
  char text[kMaxLabel];
  for (size_t i = 4; i < l.size; ++i) text[i - 4] = static_cast<char>(ascii_lower(l.cp[i]));
  std::string_view encoded(text, l.size - 4);
  Label decoded;
  if (!punycode_decode(encoded, decoded) || !is_valid_u_label(decoded, true)) return false;
  if (!punycode_encode(decoded, buf, sizeof(buf), n) || n != encoded.size()) return false;
  for (size_t i = 0; i < n; ++i) {
    if (ascii_lower(static_cast<uint8_t>(buf[i])) !=
        ascii_lower(static_cast<uint8_t>(encoded[i]))) {
      return false;
    }
  }
  return true;
}

// Label in the form the Bidi rule is checked on: A-labels are decoded.
void bidi_form(const Label& l, Label& out) {
  bool ace = l.size >= 4 && ascii_lower(l.cp[0]) == 'x' && ascii_lower(l.cp[1]) == 'n' &&
             l.cp[2] == '-' && l.cp[3] == '-';
  if (ace) {
    char text[kMaxLabel];
    for (size_t i = 4; i < l.size; ++i) text[i - 4] = static_cast<char>(ascii_lower(l.cp[i]));
    if (punycode_decode(std::string_view(text, l.size - 4), out)) return;
  }
  out = l;
}

// Reads the label starting at s[i] up to a separator (or the end).
// Returns false on malformed UTF-8 or a label too long to be valid.
bool read_label(std::string_view s, size_t& i, Label& l, bool& at_separator) {
  l.size = 0;
  at_separator = false;
  while (i < s.size()) {
    uint32_t c;
    if (!next_code_point(s, i, c)) return false;
    if (is_label_separator(c)) {
      at_separator = true;
      return true;
    }
    if (!l.push(c)) return false;
  }
  return true;
}

}  // namespace

bool next_code_point(std::string_view s, size_t& i, uint32_t& out) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    out = b0;
    i += 1;
    return true;
  }
  size_t len;
  uint32_t c;
  uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    c = b0 & 0x1Fu;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    c = b0 & 0x0Fu;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    c = b0 & 0x07u;
    min = 0x10000;
  } else
    return false;
  if (s.size() - i < len) return false;
  for (size_t k = 1; k < len; ++k) {
    uint8_t b = byte(i + k);
    if ((b & 0xC0) != 0x80) return false;
    c = (c << 6) | (b & 0x3Fu);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
  out = c;
  i += len;
  return true;
}

bool is_idn_hostname(std::string_view s, bool require_nfc) {
  if (s.empty()) return false;
  // Pass 1: every label on its own, and the total length in ASCII form.
  size_t total = 0;
  bool bidi_domain = false;
  size_t i = 0;
  bool more = true;
  Label label;
  Label decoded;
  while (more) {
    if (!read_label(s, i, label, more)) return false;
    size_t ascii_len = 0;
    if (!check_label(label, require_nfc, ascii_len)) return false;  // also rejects empty labels
    total += ascii_len + (total > 0 ? 1 : 0);
    if (total > kMaxName) return false;
    bidi_form(label, decoded);
    bidi_domain |= is_rtl_label(decoded);
  }
  if (!bidi_domain) return true;
  // Pass 2: in a Bidi domain name every label must satisfy the Bidi rule (RFC 5893 2).
  i = 0;
  more = true;
  while (more) {
    if (!read_label(s, i, label, more)) return false;
    bidi_form(label, decoded);
    if (!satisfies_bidi_rule(decoded)) return false;
  }
  return true;
}

bool is_hostname(std::string_view s) {
  // Fast path, same answers: ASCII labels that are not A-labels ("xn--") can only be
  // left-to-right, so the IDNA checks reduce to the LDH rules and the length limits, checked
  // here in one pass. A name with an A-label goes through the full check (ASCII only: a
  // `hostname` has no U-labels).
  static constexpr auto kLdh = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = c < 0x80 && is_ldh(static_cast<uint32_t>(c));
    return t;
  }();
  const size_t n = s.size();
  if (n == 0 || n > kMaxName) return false;
  size_t start = 0;  // of the current label
  for (size_t i = 0;; ++i) {
    if (i == n || s[i] == '.') {
      if (i == start || i - start > kMaxLabel) return false;
      if (s[start] == '-' || s[i - 1] == '-') return false;
      if (i == n) return true;
      start = i + 1;
      continue;
    }
    if (i == start && n - i >= 4 && ascii_lower(static_cast<uint8_t>(s[i])) == 'x' &&
        ascii_lower(static_cast<uint8_t>(s[i + 1])) == 'n' && s[i + 2] == '-' && s[i + 3] == '-') {
      for (char c : s.substr(i)) {
        if (static_cast<uint8_t>(c) >= 0x80) return false;
      }
      return is_idn_hostname(s);
    }
    if (!kLdh[static_cast<uint8_t>(s[i])]) return false;
  }
}

}  // namespace hotpath::schema::internal::idn
