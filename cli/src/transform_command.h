// `hotpath transform`: compiles a JSONata expression once, then evaluates it over each input
// document (or each NDJSON line) and prints each result as compact JSON.
#pragma once

#include <string_view>
#include <vector>

namespace hotpath::cli {

// `args` are the arguments after "transform". Returns the process exit code: 0 success,
// 1 an expression error (compile or evaluation) or an input that is not JSON, 2 usage or I/O.
int run_transform(const std::vector<std::string_view>& args);

}  // namespace hotpath::cli
