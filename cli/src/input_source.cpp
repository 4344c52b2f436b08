#include "input_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace hotpath::cli {
namespace {

Failure<IoError> io_error(std::string message) {
  return Failure<IoError>{IoError{std::move(message)}};
}

std::string too_large(const std::string& name, uint64_t max_bytes, bool exact, uint64_t size) {
  std::string m = name + ": document is ";
  m +=
      exact ? std::to_string(size) + " bytes" : "more than " + std::to_string(max_bytes) + " bytes";
  m += ", larger than --max-document-bytes " + describe_size(max_bytes) +
       " (use --ndjson for record streams, or raise the limit)";
  return m;
}

}  // namespace

std::string describe_size(uint64_t bytes) {
  std::string s = std::to_string(bytes);
  static constexpr struct {
    unsigned shift;
    const char* unit;
  } kUnits[] = {{30, "GiB"}, {20, "MiB"}, {10, "KiB"}};
  for (const auto& u : kUnits) {
    if (bytes >= (uint64_t(1) << u.shift) && bytes % (uint64_t(1) << u.shift) == 0) {
      return s + " (" + std::to_string(bytes >> u.shift) + " " + u.unit + ")";
    }
  }
  return s;
}

Result<InputSource, IoError> InputSource::open(const std::string& path) {
  if (path == "-") return InputSource(STDIN_FILENO, false, "<stdin>");
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return io_error("cannot open '" + path + "': " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return io_error("cannot read '" + path + "': Is a directory");
  }
  return InputSource(fd, true, path);
}

InputSource::InputSource(InputSource&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      owned_(std::exchange(other.owned_, false)),
      name_(std::move(other.name_)) {}

InputSource::~InputSource() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

Result<size_t, IoError> InputSource::read_some(char* dst, size_t size) {
  for (;;) {
    ssize_t n = ::read(fd_, dst, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    return io_error("cannot read '" + name_ + "': " + std::strerror(errno));
  }
}

Result<std::string, IoError> InputSource::read_file(const std::string& path, uint64_t max_bytes) {
  auto input = open(path);
  if (!input.ok()) return Failure(input.error());
  return input->read_all(max_bytes);
}

Result<std::string, IoError> InputSource::read_all(uint64_t max_bytes) {
  std::string data;
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
    uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size > max_bytes) return io_error(too_large(name_, max_bytes, true, size));
    data.reserve(size);
  }
  constexpr size_t kChunk = size_t(1) << 20;
  for (;;) {
    size_t old = data.size();
    // Read at most one byte past the limit: enough to know the document is too large.
    uint64_t room = max_bytes + 1 - old;
    size_t want = room < kChunk ? static_cast<size_t>(room) : kChunk;
    data.resize(old + want);
    auto n = read_some(data.data() + old, want);
    if (!n.ok()) return Failure<IoError>{n.error()};
    data.resize(old + *n);
    if (*n == 0) break;
    if (data.size() > max_bytes) return io_error(too_large(name_, max_bytes, false, 0));
  }
  return data;
}

void print_error(std::string_view message) {
  std::string line = "hotpath: ";
  line += message;
  line += '\n';
  (void)write_all(STDERR_FILENO, line);
}

void print_usage_error(std::string_view message, std::string_view command) {
  print_error(message);
  std::string hint = "Try 'hotpath ";
  hint += command;
  hint += " --help' for more information.\n";
  (void)write_all(STDERR_FILENO, hint);
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace hotpath::cli
