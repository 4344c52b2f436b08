#include "error_json.h"

namespace hotpath::node {

std::string invalid_json_message(uint64_t line, uint64_t column, std::string_view message) {
  std::string m =
      "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
  m += message;
  return m;
}

namespace {

// ajv places a few errors at the object rather than at the offending member: a property
// rejected by `additionalProperties: false` / `unevaluatedProperties: false` (the name is in
// params), and failures of a `propertyNames` subschema. The standard output points at the
// member; v.errors follows ajv.
std::string_view ajv_instance_path(const schema::OutputError& e) {
  std::string_view path = e.instance_location;
  bool at_parent = ((e.keyword == "additionalProperties" || e.keyword == "unevaluatedProperties") &&
                    e.params.find("Property\"") != std::string::npos) ||
                   e.keyword_location.find("/propertyNames/") != std::string::npos;
  if (at_parent) {
    size_t slash = path.rfind('/');
    if (slash != std::string_view::npos) path = path.substr(0, slash);
  }
  return path;
}

}  // namespace

void write_ajv_errors(const schema::Output& output, std::string& out) {
  out += '[';
  bool first = true;
  for (const schema::OutputError& e : output.errors) {
    if (!first) out += ',';
    first = false;
    out += "{\"instancePath\":";
    json::write_string(ajv_instance_path(e), out);
    // ajv's schemaPath is the keyword's place in the schema resource it sits in ("#/$defs/a/type"
    // after a $ref), i.e. the fragment of the absolute keyword location.
    std::string_view abs = e.absolute_keyword_location;
    size_t hash = abs.find('#');
    std::string schema_path = "#";
    schema_path += hash == std::string_view::npos ? std::string_view(e.keyword_location)
                                                  : abs.substr(hash + 1);
    out += ",\"schemaPath\":";
    json::write_string(schema_path, out);
    out += ",\"keyword\":";
    json::write_string(e.keyword, out);
    out += ",\"params\":";
    out += e.params.empty() ? std::string_view("{}") : std::string_view(e.params);
    out += ",\"message\":";
    json::write_string(e.message, out);
    out += '}';
  }
  out += ']';
}

void write_ajv_parse_error(const json::ParseError& error, uint64_t line, size_t offset,
                           std::string& out) {
  out += "[{\"instancePath\":\"\",\"schemaPath\":\"\",\"keyword\":\"parse\",\"params\":{\"line\":";
  out += std::to_string(line);
  out += ",\"column\":";
  out += std::to_string(error.column);
  out += ",\"offset\":";
  out += std::to_string(offset);
  out += "},\"message\":";
  json::write_string(invalid_json_message(line, error.column, error.message), out);
  out += "}]";
}

std::string parse_error_output(const json::ParseError& error, schema::OutputFormat format) {
  schema::Output result;
  result.valid = false;
  if (format == schema::OutputFormat::basic) {
    schema::OutputError e;
    e.message = invalid_json_message(error.line, error.column, error.message);
    result.errors.push_back(std::move(e));
  }
  return result.to_json();
}

}  // namespace hotpath::node
