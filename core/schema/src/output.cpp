// Dialect names, the standard output unit's JSON form, and error text.
#include <string>

#include "hotpath/schema.h"

namespace hotpath::schema {

namespace {
struct DialectInfo {
  Dialect dialect;
  std::string_view name;
  std::string_view uri;
};
constexpr DialectInfo kDialects[] = {
    {Dialect::draft4, "draft4", "http://json-schema.org/draft-04/schema"},
    {Dialect::draft6, "draft6", "http://json-schema.org/draft-06/schema"},
    {Dialect::draft7, "draft7", "http://json-schema.org/draft-07/schema"},
    {Dialect::draft2019_09, "draft2019-09", "https://json-schema.org/draft/2019-09/schema"},
    {Dialect::draft2020_12, "draft2020-12", "https://json-schema.org/draft/2020-12/schema"},
};
}  // namespace

std::optional<Dialect> dialect_from_name(std::string_view name) {
  if (!name.empty() && name.back() == '#') name.remove_suffix(1);
  for (const DialectInfo& d : kDialects) {
    if (name == d.name || name == d.uri) return d.dialect;
    // The same URI with the other scheme (http <-> https).
    std::string_view u = d.uri;
    std::string_view rest_u = u.substr(u.find("://"));
    size_t p = name.find("://");
    if (p != std::string_view::npos &&
        (name.substr(0, p) == "http" || name.substr(0, p) == "https") && name.substr(p) == rest_u) {
      return d.dialect;
    }
  }
  return std::nullopt;
}

std::string_view dialect_name(Dialect d) { return kDialects[static_cast<int>(d)].name; }
std::string_view dialect_uri(Dialect d) { return kDialects[static_cast<int>(d)].uri; }

std::optional<OutputFormat> output_format_from_name(std::string_view name) {
  if (name == "flag") return OutputFormat::flag;
  if (name == "basic") return OutputFormat::basic;
  return std::nullopt;
}

void Output::write_json(std::string& out) const {
  if (valid) {
    out += "{\"valid\":true}";
    return;
  }
  if (errors.empty()) {
    out += "{\"valid\":false}";
    return;
  }
  out += "{\"valid\":false,\"errors\":[";
  for (size_t i = 0; i < errors.size(); ++i) {
    const OutputError& e = errors[i];
    if (i) out += ',';
    out += "{\"keywordLocation\":";
    json::write_string(e.keyword_location, out);
    out += ",\"absoluteKeywordLocation\":";
    json::write_string(e.absolute_keyword_location, out);
    out += ",\"instanceLocation\":";
    json::write_string(e.instance_location, out);
    out += ",\"error\":";
    json::write_string(e.message, out);
    out += '}';
  }
  out += "]}";
}

std::string Output::to_json() const {
  std::string s;
  write_json(s);
  return s;
}

std::string CompileError::to_string() const {
  std::string s = schema_uri + "#" + location + ": " + message;
  return s;
}

}  // namespace hotpath::schema
