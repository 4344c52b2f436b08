// The standard library ($sum ... $millis): a static table of BuiltinDef with jsonata-js's
// signatures, looked up by name when a $variable is not bound.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "jsonata_eval.h"

namespace hotpath::jsonata::detail {

const BuiltinDef* find_builtin(std::string_view name);

// UTF-8 helpers shared with the evaluator.
std::vector<uint32_t> to_code_points(std::string_view s);
std::string from_code_points(const uint32_t* p, size_t n);
void iso_millis(double ms, std::string& out);  // 2026-11-21T18:20:00.000Z

}  // namespace hotpath::jsonata::detail
