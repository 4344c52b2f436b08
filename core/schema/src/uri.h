// URI references as JSON Schema uses them (RFC 3986): resolving a reference against a
// base, splitting off the fragment, and decoding JSON-pointer fragments.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hotpath::schema::internal {

// RFC 3986 section 5.2 reference resolution (with remove_dot_segments). `base` may be empty
// or a URN; a fragment-only reference keeps the base's path.
std::string resolve_uri(std::string_view base, std::string_view ref);

// Splits "a#b" into {"a", "b"}; has_fragment tells "a#" from "a".
struct UriParts {
  std::string_view without_fragment;
  std::string_view fragment;
  bool has_fragment = false;
};
UriParts split_fragment(std::string_view uri);

// Percent-decodes a URI fragment (invalid escapes are kept as written).
std::string percent_decode(std::string_view s);

// Splits a JSON pointer ("/a/b~1c") into unescaped tokens. Returns false if malformed.
bool parse_json_pointer(std::string_view pointer, std::vector<std::string>& tokens);

// Appends "/" + token escaped for a JSON pointer (~ -> ~0, / -> ~1).
void append_pointer_token(std::string& out, std::string_view token);

// Percent-encodes characters a URI fragment may not hold, for absoluteKeywordLocation.
std::string encode_fragment(std::string_view pointer);

bool has_scheme(std::string_view uri);

}  // namespace hotpath::schema::internal
