// OptionScanner: the GNU-style argument scanning shared by the subcommands. Positional
// arguments ("-" is standard input, at most once; after "--" everything is positional), flags,
// and options whose value is given as "--name VALUE" or "--name=VALUE". Each command keeps its
// own meaning of the options; the rules and the messages for malformed arguments are here once.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/result.h"

namespace hotpath::cli {

struct ScannedArg {
  enum class Kind { positional, flag, option };
  Kind kind;
  std::string_view name;  // the flag or option as written ("--ndjson", "-h"); empty for positionals
  std::string_view value;  // the option's value, or the positional argument
};

class OptionScanner {
 public:
  // `flags` take no value; `valued` take one. Both lists include the leading dashes.
  OptionScanner(const std::vector<std::string_view>& args,
                std::initializer_list<std::string_view> flags,
                std::initializer_list<std::string_view> valued)
      : args_(args), flags_(flags), valued_(valued) {}

  // The next argument, std::nullopt at the end, or a usage message ("unknown option '--x'",
  // "--schema needs a value", ...).
  Result<std::optional<ScannedArg>, std::string> next();

 private:
  bool is_flag(std::string_view s) const;
  bool is_valued(std::string_view s) const;

  const std::vector<std::string_view>& args_;
  std::vector<std::string_view> flags_;
  std::vector<std::string_view> valued_;
  size_t i_ = 0;
  bool options_ended_ = false;
  int stdin_count_ = 0;
};

}  // namespace hotpath::cli
