// Entry point of the `hotpath` command-line tool: dispatches to the subcommands.
// Exit codes: 0 success / all valid, 1 some input invalid, 2 usage, schema or I/O error.
#include <signal.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <vector>

#include "input_source.h"
#include "transform_command.h"
#include "validate_command.h"

namespace {

constexpr std::string_view kHelp =
    R"(hotpath )" HOTPATH_VERSION
    R"( - JSON Schema validation and JSONata transformation of JSON and NDJSON

Usage:
  hotpath validate --schema S.json [--ref-map PREFIX=DIR]... [--default-dialect D] [--formats]
                   [--output flag|basic] [--ndjson] [--threads N] [--max-document-bytes N]
                   [FILE|-]...
  hotpath transform (--expr E | --expr-file F) [--bindings B.json] [--ndjson] [--no-input]
                    [--timeout-ms N] [--max-depth N] [FILE|-]...
  hotpath --help
  hotpath --version

Commands:
  validate   validate JSON documents (or NDJSON lines) against a JSON Schema, printing one
             standard output unit per document; see 'hotpath validate --help'
  transform  evaluate a JSONata expression over JSON documents (or NDJSON lines), printing
             each result as JSON; see 'hotpath transform --help'

Exit status: 0 success (all valid), 1 some input invalid or an expression error, 2 usage,
schema or I/O error.
)";

int usage_error(std::string_view message) {
  std::string text = "hotpath: ";
  text += message;
  text += "\nTry 'hotpath --help' for more information.\n";
  (void)hotpath::cli::write_all(STDERR_FILENO, text);
  return hotpath::cli::kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed output pipe (`hotpath ... | head`) must surface as a write error (EPIPE) that the
  // commands handle, not kill the process mid-write.
  ::signal(SIGPIPE, SIG_IGN);

  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("missing command");
  std::string_view command = args.front();
  if (command == "--help" || command == "-h" || command == "help") {
    return hotpath::cli::write_all(STDOUT_FILENO, kHelp) ? 0 : hotpath::cli::kExitError;
  }
  if (command == "--version" || command == "-V") {
    return hotpath::cli::write_all(STDOUT_FILENO, "hotpath " HOTPATH_VERSION "\n")
               ? 0
               : hotpath::cli::kExitError;
  }
  if (command == "validate") return hotpath::cli::run_validate({args.begin() + 1, args.end()});
  if (command == "transform") return hotpath::cli::run_transform({args.begin() + 1, args.end()});
  return usage_error("unknown command '" + std::string(command) + "'");
}
