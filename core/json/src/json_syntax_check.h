// Private to core/json: a strict, iterative JSON syntax checker that finds the first error
// and its byte offset. simdjson reports only an error code, so Document::parse runs this on
// the (rare) failure path to give the caller a located, readable message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hotpath/json.h"

namespace hotpath::json::internal {

// Returns true and fills `message` / `offset` when `input` is not valid JSON (RFC 8259, with
// nesting limited to max_depth). Never recurses, so any nesting depth is safe.
bool find_syntax_error(std::string_view input, uint32_t max_depth, std::string& message,
                       size_t& offset);

// Builds a ParseError with the 1-based line and byte column of `offset` in `input`.
ParseError make_parse_error(std::string_view input, std::string message, size_t offset);

}  // namespace hotpath::json::internal
