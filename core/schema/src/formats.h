// The `format` assertion checkers of the JSON Schema module (date-time, email, hostname, uri,
// ipv6, regex, ...), looked up by format name. Each checker decides whether a JSON string's
// UTF-8 contents conform; the evaluator applies them only to strings.
#pragma once

#include <string_view>

namespace hotpath::schema::internal {

// A format checker: true when `value` (a JSON string's UTF-8 contents) conforms.
using FormatCheck = bool (*)(std::string_view value);
// nullptr for formats we do not know (unknown formats always pass).
FormatCheck find_format(std::string_view name);

}  // namespace hotpath::schema::internal
