#include "option_scanner.h"

#include <algorithm>

namespace hotpath::cli {

bool OptionScanner::is_flag(std::string_view s) const {
  return std::find(flags_.begin(), flags_.end(), s) != flags_.end();
}

bool OptionScanner::is_valued(std::string_view s) const {
  return std::find(valued_.begin(), valued_.end(), s) != valued_.end();
}

Result<std::optional<ScannedArg>, std::string> OptionScanner::next() {
  using Out = Result<std::optional<ScannedArg>, std::string>;
  while (i_ < args_.size()) {
    std::string_view arg = args_[i_++];
    if (options_ended_ || arg == "-" || arg.empty() || arg[0] != '-') {
      if (arg == "-" && ++stdin_count_ > 1)
        return Out(Failure(std::string("standard input ('-') can only be given once")));
      return Out(std::optional<ScannedArg>(ScannedArg{ScannedArg::Kind::positional, {}, arg}));
    }
    if (arg == "--") {
      options_ended_ = true;
      continue;
    }
    if (is_flag(arg))
      return Out(std::optional<ScannedArg>(ScannedArg{ScannedArg::Kind::flag, arg, {}}));
    // Options taking a value: "--name VALUE" or "--name=VALUE".
    std::string_view name = arg, value;
    bool inline_value = false;
    if (auto eq = arg.find('='); eq != std::string_view::npos && arg.starts_with("--")) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      inline_value = true;
    }
    if (!is_valued(name)) {
      if (is_flag(name)) return Out(Failure(std::string(name) + " does not take a value"));
      return Out(Failure("unknown option '" + std::string(arg) + "'"));
    }
    if (!inline_value) {
      if (i_ >= args_.size()) return Out(Failure(std::string(name) + " needs a value"));
      value = args_[i_++];
    }
    return Out(std::optional<ScannedArg>(ScannedArg{ScannedArg::Kind::option, name, value}));
  }
  return Out(std::optional<ScannedArg>());
}

}  // namespace hotpath::cli
