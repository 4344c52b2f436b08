#include "uri.h"

#include <cctype>
#include <cstdint>
#include <cstring>

namespace hotpath::schema::internal {
namespace {

struct Components {
  std::string_view scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

Components parse(std::string_view u) {
  Components c;
  size_t i = 0;
  // scheme
  size_t colon = u.find(':');
  if (colon != std::string_view::npos && colon > 0 &&
      std::isalpha(static_cast<unsigned char>(u[0]))) {
    bool ok = true;
    for (size_t k = 0; k < colon; ++k) {
      char ch = u[k];
      if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '-' || ch == '.')) {
        ok = false;
        break;
      }
    }
    size_t slash = u.find_first_of("/?#");
    if (ok && (slash == std::string_view::npos || colon < slash)) {
      c.scheme = u.substr(0, colon);
      c.has_scheme = true;
      i = colon + 1;
    }
  }
  if (u.substr(i, 2) == "//") {
    size_t end = u.find_first_of("/?#", i + 2);
    if (end == std::string_view::npos) end = u.size();
    c.authority = u.substr(i + 2, end - i - 2);
    c.has_authority = true;
    i = end;
  }
  size_t end = u.find_first_of("?#", i);
  if (end == std::string_view::npos) end = u.size();
  c.path = u.substr(i, end - i);
  i = end;
  if (i < u.size() && u[i] == '?') {
    end = u.find('#', i);
    if (end == std::string_view::npos) end = u.size();
    c.query = u.substr(i + 1, end - i - 1);
    c.has_query = true;
    i = end;
  }
  if (i < u.size() && u[i] == '#') {
    c.fragment = u.substr(i + 1);
    c.has_fragment = true;
  }
  return c;
}

std::string remove_dot_segments(std::string_view in) {
  std::string input(in), out;
  while (!input.empty()) {
    if (input.rfind("../", 0) == 0)
      input.erase(0, 3);
    else if (input.rfind("./", 0) == 0)
      input.erase(0, 2);
    else if (input.rfind("/./", 0) == 0)
      input.erase(0, 2);
    else if (input == "/.")
      input = "/";
    else if (input.rfind("/../", 0) == 0 || input == "/..") {
      input = input == "/.." ? std::string("/") : input.substr(3);
      size_t p = out.rfind('/');
      out.erase(p == std::string::npos ? 0 : p);
    } else if (input == "." || input == "..")
      input.clear();
    else {
      size_t start = input[0] == '/' ? 1 : 0;
      size_t p = input.find('/', start);
      if (p == std::string::npos) p = input.size();
      out.append(input, 0, p);
      input.erase(0, p);
    }
  }
  return out;
}

std::string recompose(std::string_view scheme, bool has_scheme, std::string_view authority,
                      bool has_authority, std::string_view path, std::string_view query,
                      bool has_query, std::string_view fragment, bool has_fragment) {
  std::string r;
  if (has_scheme) {
    r.append(scheme);
    r.push_back(':');
  }
  if (has_authority) {
    r.append("//");
    r.append(authority);
  }
  r.append(path);
  if (has_query) {
    r.push_back('?');
    r.append(query);
  }
  if (has_fragment) {
    r.push_back('#');
    r.append(fragment);
  }
  return r;
}

}  // namespace

bool has_scheme(std::string_view uri) { return parse(uri).has_scheme; }

std::string resolve_uri(std::string_view base, std::string_view ref) {
  Components r = parse(ref);
  if (r.has_scheme) {
    return recompose(r.scheme, true, r.authority, r.has_authority, remove_dot_segments(r.path),
                     r.query, r.has_query, r.fragment, r.has_fragment);
  }
  Components b = parse(base);
  if (r.has_authority) {
    return recompose(b.scheme, b.has_scheme, r.authority, true, remove_dot_segments(r.path),
                     r.query, r.has_query, r.fragment, r.has_fragment);
  }
  std::string path;
  std::string_view query;
  bool has_query;
  if (r.path.empty()) {
    path = std::string(b.path);
    query = r.has_query ? r.query : b.query;
    has_query = r.has_query || b.has_query;
  } else {
    if (r.path[0] == '/') {
      path = remove_dot_segments(r.path);
    } else {
      std::string merged;
      if (b.has_authority && b.path.empty()) {
        merged.assign(1, '/').append(r.path);
      } else {
        size_t p = b.path.rfind('/');
        // URNs and other opaque bases have no hierarchy to merge into.
        if (p == std::string_view::npos)
          merged.assign(r.path);
        else
          merged.assign(b.path.substr(0, p + 1)).append(r.path);
      }
      path = remove_dot_segments(merged);
    }
    query = r.query;
    has_query = r.has_query;
  }
  return recompose(b.scheme, b.has_scheme, b.authority, b.has_authority, path, query, has_query,
                   r.fragment, r.has_fragment);
}

UriParts split_fragment(std::string_view uri) {
  size_t p = uri.find('#');
  if (p == std::string_view::npos) return {uri, {}, false};
  return {uri.substr(0, p), uri.substr(p + 1), true};
}

std::string percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int h = hex(s[i + 1]), l = hex(s[i + 2]);
      if (h >= 0 && l >= 0) {
        out.push_back(static_cast<char>(h * 16 + l));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

bool parse_json_pointer(std::string_view pointer, std::vector<std::string>& tokens) {
  tokens.clear();
  if (pointer.empty()) return true;
  if (pointer[0] != '/') return false;
  size_t i = 1;
  while (true) {
    size_t end = pointer.find('/', i);
    if (end == std::string_view::npos) end = pointer.size();
    std::string tok;
    for (size_t k = i; k < end; ++k) {
      if (pointer[k] == '~') {
        if (k + 1 >= end) return false;
        if (pointer[k + 1] == '0')
          tok.push_back('~');
        else if (pointer[k + 1] == '1')
          tok.push_back('/');
        else
          return false;
        ++k;
      } else {
        tok.push_back(pointer[k]);
      }
    }
    tokens.push_back(std::move(tok));
    if (end == pointer.size()) break;
    i = end + 1;
  }
  return true;
}

namespace {
// True when one of the 8 bytes in x is '~' or '/' (a zero byte after the XOR).
bool has_tilde_or_slash(uint64_t x) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; };
  return has_zero(x ^ (kOnes * '~')) || has_zero(x ^ (kOnes * '/'));
}
}  // namespace

void append_pointer_token(std::string& out, std::string_view token) {
  out.push_back('/');
  // Nearly every name has nothing to escape: checked 8 bytes at a time, then one append.
  const char* const data = token.data();
  size_t i = 0;
  for (; i + 8 <= token.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, data + i, 8);
    if (has_tilde_or_slash(x)) break;
  }
  while (i < token.size() && data[i] != '~' && data[i] != '/') ++i;
  if (i == token.size()) {
    out.append(token);
    return;
  }
  // Runs without '~' or '/' go in one append each; none before data + i.
  const char* run = data;
  const char* const end = run + token.size();
  for (const char* p = data + i; p != end; ++p) {
    if (*p != '~' && *p != '/') [[likely]]
      continue;
    out.append(run, size_t(p - run));
    out.append(*p == '~' ? "~0" : "~1", 2);
    run = p + 1;
  }
  out.append(run, size_t(end - run));
}

std::string encode_fragment(std::string_view pointer) {
  static const char* hexdig = "0123456789ABCDEF";
  std::string out;
  out.reserve(pointer.size());
  for (unsigned char c : pointer) {
    bool keep =
        std::isalnum(c) || std::string_view("-._~!$&'()*+,;=:@/?").find(static_cast<char>(c)) !=
                               std::string_view::npos;
    if (keep) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hexdig[c >> 4]);
      out.push_back(hexdig[c & 15]);
    }
  }
  return out;
}

}  // namespace hotpath::schema::internal
