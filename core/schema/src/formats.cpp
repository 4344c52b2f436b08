// The `format` checkers and their lookup by name. Each checker follows the grammar of the RFC
// that the JSON Schema validation spec cites for it; host names (and so the domains of
// e-mail addresses) are in formats_idn.cpp.
#include "formats.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "formats_idn.h"
#include "hotpath/regex.h"

namespace hotpath::schema::internal {
namespace {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Reads exactly `n` ASCII digits at s[i] as a number.
bool read_digits(std::string_view s, size_t& i, size_t n, int& out) {
  if (s.size() - i < n) return false;
  int v = 0;
  for (size_t k = 0; k < n; ++k) {
    if (!is_digit(s[i + k])) return false;
    v = v * 10 + (s[i + k] - '0');
  }
  i += n;
  out = v;
  return true;
}
bool expect(std::string_view s, size_t& i, char c) {
  if (i >= s.size() || s[i] != c) return false;
  ++i;
  return true;
}

using idn::next_code_point;

// ---------------------------------------------------------------- RFC 3339 date and time

bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

// full-date = date-fullyear "-" date-month "-" date-mday
bool parse_full_date(std::string_view s, size_t& i) {
  int y, m, d;
  if (!read_digits(s, i, 4, y) || !expect(s, i, '-') || !read_digits(s, i, 2, m) ||
      !expect(s, i, '-') || !read_digits(s, i, 2, d)) {
    return false;
  }
  return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

// full-time = partial-time time-offset. A leap second (:60) is only valid when the
// time is 23:59 in UTC.
bool parse_full_time(std::string_view s, size_t& i) {
  int h, m, sec;
  if (!read_digits(s, i, 2, h) || !expect(s, i, ':') || !read_digits(s, i, 2, m) ||
      !expect(s, i, ':') || !read_digits(s, i, 2, sec)) {
    return false;
  }
  if (h > 23 || m > 59 || sec > 60) return false;
  if (i < s.size() && s[i] == '.') {  // time-secfrac = "." 1*DIGIT
    ++i;
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;  // the offset is required
  int offset = 0;                   // minutes east of UTC
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int sign = s[i] == '+' ? 1 : -1;
    ++i;
    int oh, om;
    if (!read_digits(s, i, 2, oh) || !expect(s, i, ':') || !read_digits(s, i, 2, om)) return false;
    if (oh > 23 || om > 59) return false;
    offset = sign * (oh * 60 + om);
  } else {
    return false;
  }
  if (sec == 60) {
    int utc = ((h * 60 + m - offset) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}

bool check_date(std::string_view s) {
  size_t i = 0;
  return parse_full_date(s, i) && i == s.size();
}
bool check_time(std::string_view s) {
  size_t i = 0;
  return parse_full_time(s, i) && i == s.size();
}
bool check_date_time(std::string_view s) {
  size_t i = 0;
  if (!parse_full_date(s, i)) return false;
  if (i >= s.size() || (s[i] != 'T' && s[i] != 't')) return false;
  ++i;
  return parse_full_time(s, i) && i == s.size();
}

// RFC 3339 Appendix A:
//   duration = "P" (dur-date / dur-time / dur-week)
//   dur-date = (dur-day / dur-month / dur-year) [dur-time]
//   dur-time = "T" (dur-hour / dur-minute / dur-second)
// so the date units present form a contiguous run of Y M D, the time units a contiguous run
// of H M S, and a week stands alone.
bool check_duration(std::string_view s) {
  size_t i = 0;
  if (!expect(s, i, 'P')) return false;
  // Reads "1*DIGIT unit" runs whose units are a contiguous run of `units`; -1 on error.
  auto run = [&](std::string_view units) {
    size_t next = 0;  // index into units of the next unit allowed
    int count = 0;
    while (i < s.size() && is_digit(s[i])) {
      while (i < s.size() && is_digit(s[i])) ++i;
      if (i >= s.size()) return -1;
      size_t u = units.find(s[i], next);
      if (u == std::string_view::npos || (count > 0 && u != next)) return -1;
      next = u + 1;
      ++count;
      ++i;
    }
    return count;
  };
  if (s.size() > 1 && s.back() == 'W') {
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i > start && i + 1 == s.size();
  }
  int date_units = run("YMD");
  if (date_units < 0) return false;
  if (i == s.size()) return date_units > 0;
  if (!expect(s, i, 'T')) return false;
  int time_units = run("HMS");
  return time_units > 0 && i == s.size();
}

// ---------------------------------------------------------------- IP addresses

// dec-octet, no leading zeros (RFC 3986 3.2.2).
bool parse_dec_octet(std::string_view s, size_t& i) {
  size_t start = i;
  int v = 0;
  while (i < s.size() && is_digit(s[i]) && i - start < 3) v = v * 10 + (s[i++] - '0');
  size_t n = i - start;
  if (n == 0 || (n > 1 && s[start] == '0') || v > 255) return false;
  return i >= s.size() || !is_digit(s[i]);
}

bool check_ipv4(std::string_view s) {
  size_t i = 0;
  for (int k = 0; k < 4; ++k) {
    if (k > 0 && !expect(s, i, '.')) return false;
    if (!parse_dec_octet(s, i)) return false;
  }
  return i == s.size();
}

// RFC 4291 2.2 text forms, including "::" compression and a trailing dotted quad.
bool check_ipv6(std::string_view s) {
  int groups = 0;
  bool compressed = false;
  size_t i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;  // "::"
  } else if (!s.empty() && s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && is_hex(s[i]) && i - start < 5) ++i;
    size_t n = i - start;
    if (i < s.size() && s[i] == '.') {  // the last 32 bits as a dotted quad
      i = start;
      if (!check_ipv4(s.substr(start))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    if (n == 0 || n > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;  // at most one "::"
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

// ---------------------------------------------------------------- e-mail (RFC 5321, RFC 6531)

bool is_atext(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

// Mailbox = Local-part "@" ( Domain / address-literal ). With `idn`, RFC 6531 adds
// UTF8-non-ascii to atext and qtext, and U-labels to the domain.
bool check_mailbox(std::string_view s, bool idn) {
  size_t i = 0;
  if (i < s.size() && s[i] == '"') {  // Quoted-string
    ++i;
    for (;;) {
      if (i >= s.size()) return false;
      uint8_t c = static_cast<uint8_t>(s[i]);
      if (c == '"') {
        ++i;
        break;
      }
      if (c == '\\') {  // quoted-pairSMTP = "\" %d32-126
        ++i;
        if (i >= s.size() || s[i] < 32 || s[i] > 126) return false;
        ++i;
      } else if (c >= 0x80) {
        uint32_t cp;
        if (!idn || !next_code_point(s, i, cp)) return false;
      } else if (c >= 32 && c <= 126) {  // qtextSMTP: %d32-33 / %d35-91 / %d93-126
        ++i;
      } else {
        return false;
      }
    }
  } else {  // Dot-string = Atom *("." Atom)
    bool need_atext = true;
    while (i < s.size() && s[i] != '@') {
      uint8_t c = static_cast<uint8_t>(s[i]);
      if (c == '.') {
        if (need_atext) return false;
        need_atext = true;
        ++i;
      } else if (c >= 0x80) {
        uint32_t cp;
        if (!idn || !next_code_point(s, i, cp)) return false;
        need_atext = false;
      } else if (is_atext(s[i])) {
        need_atext = false;
        ++i;
      } else {
        return false;
      }
    }
    if (need_atext) return false;  // empty local part or a trailing dot
  }
  if (i > 64) return false;  // RFC 5321 4.5.3.1.1: local part at most 64 octets
  if (!expect(s, i, '@')) return false;
  std::string_view domain = s.substr(i);
  if (!domain.empty() && domain.front() == '[') {  // address-literal
    if (domain.back() != ']') return false;
    std::string_view lit = domain.substr(1, domain.size() - 2);
    if (lit.substr(0, 5) == "IPv6:") return check_ipv6(lit.substr(5));
    return check_ipv4(lit);
  }
  return idn ? idn::is_idn_hostname(domain, false) : idn::is_hostname(domain);
}
bool check_email(std::string_view s) { return check_mailbox(s, false); }
bool check_idn_email(std::string_view s) { return check_mailbox(s, true); }

bool check_hostname(std::string_view s) { return idn::is_hostname(s); }
bool check_idn_hostname(std::string_view s) { return idn::is_idn_hostname(s); }

// ---------------------------------------------------------------- URI / IRI (RFC 3986, 3987)

bool is_unreserved_ascii(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}
bool is_sub_delim(char c) {
  switch (c) {
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
      return true;
    default:
      return false;
  }
}
// RFC 3987 ucschar and iprivate.
bool is_ucschar(uint32_t c) {
  if ((c >= 0xA0 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFEF)) {
    return true;
  }
  if (c >= 0x10000 && c <= 0xEFFFD) return (c & 0xFFFF) <= 0xFFFD;  // minus each plane's end
  return false;
}
bool is_iprivate(uint32_t c) {
  return (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000 && c <= 0xFFFFD) ||
         (c >= 0x100000 && c <= 0x10FFFD);
}

enum class Part : uint8_t { userinfo, reg_name, path, query_or_fragment, query };

// Scans the characters of one component starting at s[i] up to a character in `stop`;
// each must be allowed in `part` (pct-encoded triplets always are).
bool scan(std::string_view s, size_t& i, std::string_view stop, Part part, bool iri) {
  while (i < s.size() && stop.find(s[i]) == std::string_view::npos) {
    char c = s[i];
    if (c == '%') {
      if (s.size() - i < 3 || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 3;
      continue;
    }
    if (static_cast<uint8_t>(c) >= 0x80) {
      uint32_t cp;
      if (!iri || !next_code_point(s, i, cp)) return false;
      if (!is_ucschar(cp) && !(part == Part::query && is_iprivate(cp))) return false;
      continue;
    }
    bool ok = is_unreserved_ascii(c) || is_sub_delim(c);
    switch (part) {
      case Part::userinfo:
        ok |= c == ':';
        break;
      case Part::reg_name:
        break;
      case Part::path:
        ok |= c == ':' || c == '@' || c == '/';
        break;
      case Part::query_or_fragment:
      case Part::query:
        ok |= c == ':' || c == '@' || c == '/' || c == '?';
        break;
    }
    if (!ok) return false;
    ++i;
  }
  return true;
}

// authority = [ userinfo "@" ] host [ ":" port ]
bool check_authority(std::string_view a, bool iri) {
  size_t at = a.find('@');
  size_t i = 0;
  if (at != std::string_view::npos) {
    if (!scan(a, i, "@", Part::userinfo, iri)) return false;
    ++i;  // '@'
  }
  if (i < a.size() && a[i] == '[') {  // IP-literal = "[" ( IPv6address / IPvFuture ) "]"
    size_t close = a.find(']', i);
    if (close == std::string_view::npos) return false;
    std::string_view lit = a.substr(i + 1, close - i - 1);
    if (!lit.empty() && (lit[0] == 'v' || lit[0] == 'V')) {
      // IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
      size_t k = 1;
      while (k < lit.size() && is_hex(lit[k])) ++k;
      if (k == 1 || k >= lit.size() || lit[k] != '.' || k + 1 == lit.size()) return false;
      for (++k; k < lit.size(); ++k) {
        if (!is_unreserved_ascii(lit[k]) && !is_sub_delim(lit[k]) && lit[k] != ':') return false;
      }
    } else if (!check_ipv6(lit)) {
      return false;
    }
    i = close + 1;
  } else if (!scan(a, i, ":", Part::reg_name, iri)) {  // IPv4address is also a reg-name
    return false;
  }
  if (i == a.size()) return true;
  if (a[i] != ':') return false;
  for (++i; i < a.size(); ++i) {  // port = *DIGIT
    if (!is_digit(a[i])) return false;
  }
  return true;
}

// URI / URI-reference and their IRI counterparts. `absolute`: a scheme is required.
bool check_uri_like(std::string_view s, bool absolute, bool iri) {
  size_t i = 0;
  bool has_scheme = false;
  if (!s.empty() && is_alpha(s[0])) {  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    size_t k = 1;
    while (k < s.size() &&
           (is_alpha(s[k]) || is_digit(s[k]) || s[k] == '+' || s[k] == '-' || s[k] == '.')) {
      ++k;
    }
    if (k < s.size() && s[k] == ':') {
      has_scheme = true;
      i = k + 1;
    }
  }
  if (absolute && !has_scheme) return false;
  if (s.substr(i, 2) == "//") {
    i += 2;
    size_t end = s.find_first_of("/?#", i);
    if (end == std::string_view::npos) end = s.size();
    if (!check_authority(s.substr(i, end - i), iri)) return false;
    i = end;
  } else if (!has_scheme) {
    // path-noscheme: the first segment must not contain ':'
    size_t end = s.find_first_of("/?#", i);
    if (end == std::string_view::npos) end = s.size();
    if (s.substr(i, end - i).find(':') != std::string_view::npos) return false;
  }
  if (!scan(s, i, "?#", Part::path, iri)) return false;
  if (i < s.size() && s[i] == '?') {
    ++i;
    if (!scan(s, i, "#", Part::query, iri)) return false;
  }
  if (i < s.size() && s[i] == '#') {
    ++i;
    if (!scan(s, i, "", Part::query_or_fragment, iri)) return false;
  }
  return i == s.size();
}
bool check_uri(std::string_view s) { return check_uri_like(s, true, false); }
bool check_uri_reference(std::string_view s) { return check_uri_like(s, false, false); }
bool check_iri(std::string_view s) { return check_uri_like(s, true, true); }
bool check_iri_reference(std::string_view s) { return check_uri_like(s, false, true); }

// ---------------------------------------------------------------- URI Template (RFC 6570)

bool check_uri_template(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '{') {
      ++i;
      // operator: op-level2 / op-level3 (op-reserve "=,!@|" is reserved for extensions)
      if (i < s.size() && std::string_view("+#./;?&").find(s[i]) != std::string_view::npos) ++i;
      for (;;) {  // variable-list = varspec *( "," varspec )
        // varname = varchar *( ["."] varchar ); varchar = ALPHA / DIGIT / "_" / pct-encoded
        bool need_varchar = true;
        for (;;) {
          if (i >= s.size()) return false;
          char v = s[i];
          if (is_alpha(v) || is_digit(v) || v == '_') {
            ++i;
          } else if (v == '%') {
            if (s.size() - i < 3 || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
            i += 3;
          } else if (v == '.' && !need_varchar) {
            need_varchar = true;
            ++i;
            continue;
          } else {
            break;
          }
          need_varchar = false;
        }
        if (need_varchar) return false;
        if (s[i] == ':') {  // prefix: max-length = %x31-39 0*3DIGIT
          ++i;
          size_t start = i;
          while (i < s.size() && is_digit(s[i])) ++i;
          if (i == start || i - start > 4 || s[start] == '0') return false;
        } else if (s[i] == '*') {
          ++i;
        }
        if (i >= s.size()) return false;
        if (s[i] == '}') {
          ++i;
          break;
        }
        if (s[i] != ',') return false;
        ++i;
      }
      continue;
    }
    if (c == '%') {
      if (s.size() - i < 3 || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 3;
      continue;
    }
    uint8_t u = static_cast<uint8_t>(c);
    if (u >= 0x80) {
      uint32_t cp;
      if (!next_code_point(s, i, cp) || !(is_ucschar(cp) || is_iprivate(cp))) return false;
      continue;
    }
    // literals: any ASCII except CTL, SP, DQUOTE, "%", "<", ">", "\", "^", "`", "{", "|",
    // "}" ("'" is allowed, RFC 6570 erratum 6937).
    if (u <= 0x20 || u == 0x7F) return false;
    if (std::string_view("\"<>\\^`{|}").find(c) != std::string_view::npos) return false;
    ++i;
  }
  return true;
}

// ---------------------------------------------------------------- JSON Pointer (RFC 6901)

bool parse_json_pointer(std::string_view s) {
  if (s.empty()) return true;
  if (s[0] != '/') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~') {
      if (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1')) return false;
      ++i;
    }
  }
  return true;
}
bool check_json_pointer(std::string_view s) { return parse_json_pointer(s); }

// relative-json-pointer = non-negative-integer [index-manipulation] ( json-pointer / "#" )
// (draft-bhutton-relative-json-pointer-00; index-manipulation = ("+" / "-") non-negative-integer)
bool parse_non_negative_integer(std::string_view s, size_t& i) {
  size_t start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  return i > start && (i - start == 1 || s[start] != '0');
}
bool check_relative_json_pointer(std::string_view s) {
  size_t i = 0;
  if (!parse_non_negative_integer(s, i)) return false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    ++i;
    if (!parse_non_negative_integer(s, i)) return false;
  }
  std::string_view rest = s.substr(i);
  return rest == "#" || parse_json_pointer(rest);
}

// ---------------------------------------------------------------- the rest

// RFC 4122 string form: 8-4-4-4-12 hex digits, any version and variant.
bool check_uuid(std::string_view s) {
  static constexpr auto kHex = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = is_hex(static_cast<char>(c));
    return t;
  }();
  if (s.size() != 36) return false;
  bool ok = true;  // unrolled, with no early exit: the dash positions become constants
#pragma GCC unroll 36
  for (size_t i = 0; i < 36; ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    ok &= dash ? s[i] == '-' : kHex[static_cast<uint8_t>(s[i])];
  }
  return ok;
}

// An ECMA-262 regular expression (compiled with the 'u' flag, as JSON Schema patterns are).
bool check_regex(std::string_view s) { return regex::Regex::compile(s).ok(); }

struct FormatEntry {
  std::string_view name;
  FormatCheck check;
};
constexpr FormatEntry kFormats[] = {
    {"date", check_date},
    {"date-time", check_date_time},
    {"duration", check_duration},
    {"email", check_email},
    {"host-name", check_hostname},  // draft 3 name
    {"hostname", check_hostname},
    {"idn-email", check_idn_email},
    {"idn-hostname", check_idn_hostname},
    {"ip-address", check_ipv4},  // draft 3 name
    {"ipv4", check_ipv4},
    {"ipv6", check_ipv6},
    {"iri", check_iri},
    {"iri-reference", check_iri_reference},
    {"json-pointer", check_json_pointer},
    {"regex", check_regex},
    {"relative-json-pointer", check_relative_json_pointer},
    {"time", check_time},
    {"uri", check_uri},
    {"uri-reference", check_uri_reference},
    {"uri-template", check_uri_template},
    {"uuid", check_uuid},
};

}  // namespace

FormatCheck find_format(std::string_view name) {
  for (const FormatEntry& f : kFormats) {
    if (f.name == name) return f.check;
  }
  return nullptr;
}

}  // namespace hotpath::schema::internal
