// `hotpath validate`: compiles the schema once, then validates each input document (or each
// NDJSON line) and prints one standard output unit per document.
#pragma once

#include <string_view>
#include <vector>

namespace hotpath::cli {

// Exit codes shared by every command.
enum ExitCode : int { kExitValid = 0, kExitInvalid = 1, kExitError = 2 };

// `args` are the arguments after "validate". Returns the process exit code.
int run_validate(const std::vector<std::string_view>& args);

}  // namespace hotpath::cli
