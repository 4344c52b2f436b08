// file_checksum: hash a file in fixed 1 MiB chunks (bounded memory whatever the file size),
// plus the small shared helpers (error-code names, algorithm names).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <new>

#include "hotpath/kernels.h"

namespace hotpath::kernels {

std::string_view error_code_name(KernelErrorCode code) noexcept {
  switch (code) {
    case KernelErrorCode::invalid_argument:
      return "invalid_argument";
    case KernelErrorCode::limit_exceeded:
      return "limit_exceeded";
    case KernelErrorCode::empty_input:
      return "empty_input";
    case KernelErrorCode::invalid_price:
      return "invalid_price";
    case KernelErrorCode::invalid_volume:
      return "invalid_volume";
  }
  return "unknown";
}

std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name) noexcept {
  if (name == "sha256") return ChecksumAlgorithm::sha256;
  if (name == "xxh3" || name == "xxh3_64" || name == "xxh3-64") return ChecksumAlgorithm::xxh3;
  return std::nullopt;
}

namespace {

std::string describe(const std::string& what, const std::string& path, int err) {
  return what + " '" + path + "': " + std::strerror(err);
}

// Closes the descriptor on every exit path.
struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<std::string, std::string> file_checksum(const std::string& path,
                                               ChecksumAlgorithm algorithm) {
  if (path.empty()) return Failure{std::string("file_checksum: empty path")};
  if (path.find('\0') != std::string::npos) {
    return Failure{std::string("file_checksum: path contains a NUL byte")};
  }
  FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return Failure{describe("cannot open", path, errno)};

  struct stat info {};
  if (::fstat(file.fd, &info) != 0) return Failure{describe("cannot stat", path, errno)};
  if (S_ISDIR(info.st_mode)) return Failure{describe("cannot read", path, EISDIR)};
#ifdef POSIX_FADV_SEQUENTIAL
  (void)::posix_fadvise(file.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif

  std::unique_ptr<std::uint8_t[]> buffer(new (std::nothrow) std::uint8_t[kFileChecksumChunkBytes]);
  if (!buffer) return Failure{std::string("file_checksum: cannot allocate the read buffer")};

  Sha256 sha;
  Xxh3Stream xxh3(0);
  for (;;) {
    const ssize_t got = ::read(file.fd, buffer.get(), kFileChecksumChunkBytes);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Failure{describe("cannot read", path, errno)};
    }
    if (got == 0) break;
    if (algorithm == ChecksumAlgorithm::sha256) {
      sha.update(buffer.get(), static_cast<std::size_t>(got));
    } else {
      xxh3.update(buffer.get(), static_cast<std::size_t>(got));
    }
  }
  if (algorithm == ChecksumAlgorithm::sha256) return to_hex(sha.finish());
  return to_hex(xxh3.digest());
}

}  // namespace hotpath::kernels
