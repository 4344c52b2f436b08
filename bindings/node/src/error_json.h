// The JSON texts the validator hands back to JS: ajv-shaped error arrays (v.errors) and the
// standard output unit for input that is not JSON. Built in one string, parsed by one
// JSON.parse on the JS side (DESIGN.md principle 1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hotpath/json.h"
#include "hotpath/schema.h"

namespace hotpath::node {

// "invalid JSON at line L, column C: message" (the CLI's wording; L is 1-based in the whole
// input, so NDJSON records report their line in the batch).
std::string invalid_json_message(uint64_t line, uint64_t column, std::string_view message);

// Appends the errors of a basic output as ajv's array:
// [{"instancePath":"/price","schemaPath":"#/properties/price/minimum","keyword":"minimum",
//   "params":{"comparison":">=","limit":0},"message":"must be >= 0, got -1"}, ...]
void write_ajv_errors(const schema::Output& output, std::string& out);

// Appends a one-element ajv array for a parse failure:
// [{"instancePath":"","schemaPath":"","keyword":"parse","params":{"line":L,"column":C,"offset":O},
//   "message":"invalid JSON at line L, column C: ..."}]
void write_ajv_parse_error(const json::ParseError& error, uint64_t line, size_t offset,
                           std::string& out);

// The standard output unit for input that could not be parsed (as the CLI writes it).
std::string parse_error_output(const json::ParseError& error, schema::OutputFormat format);

}  // namespace hotpath::node
