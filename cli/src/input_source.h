// Input files and standard input as plain file descriptors: whole-document reads with a size
// cap (so an oversized document is refused before it is loaded), chunked reads for streams,
// and the writes every command shares (write_all, the "hotpath: ..." error lines).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hotpath/result.h"

namespace hotpath::cli {

struct IoError {
  std::string message;  // complete, e.g. "cannot open 'a.json': No such file or directory"
};

// An open input: a file, or standard input for "-". Closes what it opened.
class InputSource {
 public:
  static Result<InputSource, IoError> open(const std::string& path);
  // open() + read_all(): the whole of a file (or of standard input for "-").
  static Result<std::string, IoError> read_file(const std::string& path, uint64_t max_bytes);
  InputSource(InputSource&& other) noexcept;
  InputSource& operator=(InputSource&&) = delete;
  InputSource(const InputSource&) = delete;
  ~InputSource();

  // The name used in messages: the path, or "<stdin>".
  const std::string& name() const { return name_; }

  // Reads the whole input. Fails when it is larger than max_bytes (without reading it all
  // when the size is known up front) or on a read error.
  Result<std::string, IoError> read_all(uint64_t max_bytes);

  // Reads up to `size` bytes into `dst`; returns the count (0 at end of input) or an error.
  Result<size_t, IoError> read_some(char* dst, size_t size);

 private:
  InputSource(int fd, bool owned, std::string name)
      : fd_(fd), owned_(owned), name_(std::move(name)) {}
  int fd_ = -1;
  bool owned_ = false;
  std::string name_;
};

// Writes everything to fd, retrying on partial writes and EINTR. Returns false on error
// (errno is left set).
bool write_all(int fd, std::string_view bytes);

// Writes "hotpath: MESSAGE\n" to standard error.
void print_error(std::string_view message);
// A usage error of `hotpath COMMAND`: the message, then where to find that command's help.
void print_usage_error(std::string_view message, std::string_view command);

// "<n> bytes" with a binary-unit hint: "268435456 (256 MiB)".
std::string describe_size(uint64_t bytes);

}  // namespace hotpath::cli
