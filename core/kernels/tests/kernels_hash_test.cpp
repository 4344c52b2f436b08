// Hashing kernels: known vectors for every hash, OpenSSL vs portable SHA-256, streaming vs
// one-shot, hex helpers, file_checksum.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "hotpath/kernels.h"

namespace hk = hotpath::kernels;

namespace {

const std::string kNist448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string kNist896 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmno"
    "pqrsmnopqrstnopqrstu";

std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

// A temp directory removed at the end of each test.
class TempDir {
 public:
  TempDir() {
    std::string templ =
        (std::filesystem::temp_directory_path() / "hotpath-kernels-XXXXXX").string();
    path_ = ::mkdtemp(templ.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name, const std::vector<std::uint8_t>& bytes) const {
    const std::string p = path_ + "/" + name;
    std::ofstream out(p, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

TEST(Xxh64, MatchesKnownVectors) {
  EXPECT_EQ(hk::xxh64(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(hk::xxh64("abc"), 0x44BC2CF5AD770999ULL);
}

TEST(Xxh3_64, MatchesKnownVectors) {
  EXPECT_EQ(hk::xxh3_64(""), 0x2D06800538D394C2ULL);
  EXPECT_EQ(hk::xxh3_64("abc"), 0x78AF5F94892F3950ULL);
}

TEST(Xxh3_128, MatchesKnownVectors) {
  EXPECT_EQ(hk::to_hex(hk::xxh3_128("")), "99aa06d3014798d86001c324468d497f");
  EXPECT_EQ(hk::to_hex(hk::xxh3_128("abc")), "06b05ab6733a618578af5f94892f3950");
}

TEST(Sha256, MatchesNistVectors) {
  EXPECT_EQ(hk::to_hex(hk::sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hk::to_hex(hk::sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hk::to_hex(hk::sha256(kNist448)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hk::to_hex(hk::sha256(kNist896)),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(hk::to_hex(hk::sha256(std::string(1'000'000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Portable, MatchesNistVectors) {
  auto hex = [](const std::string& s) {
    return hk::to_hex(hk::sha256_portable(s.data(), s.size()));
  };
  EXPECT_EQ(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(kNist448), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex(kNist896), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(hex(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, MillionAStreamedInOddChunksMatchesNist) {
  hk::Sha256 sha;
  hk::Sha256Portable portable;
  const std::string chunk(997, 'a');  // prime-sized chunks cross every block boundary offset
  std::size_t left = 1'000'000;
  while (left > 0) {
    const std::size_t take = std::min(left, chunk.size());
    sha.update(chunk.data(), take);
    portable.update(chunk.data(), take);
    left -= take;
  }
  const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  EXPECT_EQ(hk::to_hex(sha.finish()), expected);
  EXPECT_EQ(hk::to_hex(portable.finish()), expected);
  // finish() resets: the objects hash the next message from scratch.
  sha.update("abc");
  portable.update("abc");
  EXPECT_EQ(hk::to_hex(sha.finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hk::to_hex(portable.finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, PortableAgreesWithDefaultOnRandomDataOfEveryLengthAroundBlocks) {
  const auto data = random_bytes(70'000, 42);
  for (std::size_t len = 0; len <= 300; ++len) {
    ASSERT_EQ(hk::sha256(data.data(), len), hk::sha256_portable(data.data(), len)) << len;
  }
  for (std::size_t len : {1023u, 4096u, 65'537u, 70'000u}) {
    EXPECT_EQ(hk::sha256(data.data(), len), hk::sha256_portable(data.data(), len)) << len;
  }
  // Streaming with random split points agrees with one-shot.
  std::mt19937 rng(7);
  hk::Sha256 sha;
  hk::Sha256Portable portable;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const std::size_t take = std::min<std::size_t>(data.size() - pos, rng() % 200);
    sha.update(data.data() + pos, take);
    portable.update(data.data() + pos, take);
    pos += take;
  }
  const auto expected = hk::sha256(data.data(), data.size());
  EXPECT_EQ(sha.finish(), expected);
  EXPECT_EQ(portable.finish(), expected);
}

TEST(Sha256, ReportsWhetherOpenSslIsUsed) {
#ifdef HOTPATH_KERNELS_EXPECT_OPENSSL
  EXPECT_TRUE(hk::sha256_uses_openssl());
#else
  EXPECT_FALSE(hk::sha256_uses_openssl());
#endif
}

TEST(Xxh3Stream, AgreesWithOneShotForEverySplitAndSeed) {
  const auto data = random_bytes(5'000, 3);
  for (std::uint64_t seed : {0ULL, 1ULL, 0x9E3779B97F4A7C15ULL}) {
    hk::Xxh3Stream stream(seed);
    EXPECT_EQ(stream.digest(), hk::xxh3_64(nullptr, 0, seed));
    std::size_t pos = 0;
    for (std::size_t step = 1; pos < data.size(); step = step * 3 + 1) {
      const std::size_t take = std::min(step, data.size() - pos);
      stream.update(data.data() + pos, take);
      pos += take;
    }
    EXPECT_EQ(stream.digest(), hk::xxh3_64(data.data(), data.size(), seed)) << seed;
    stream.reset(seed);
    stream.update("abc");
    EXPECT_EQ(stream.digest(), hk::xxh3_64("abc", 3, seed));
  }
}

TEST(Hashes, SeedChangesTheHash) {
  // The seed must reach the hash (xxhsum has no seed option to cross-check exact values).
  EXPECT_NE(hk::xxh64("abc", 3, 1), hk::xxh64("abc"));
  EXPECT_NE(hk::xxh3_64("abc", 3, 1), hk::xxh3_64("abc"));
  EXPECT_NE(hk::xxh3_128("abc", 3, 1), hk::xxh3_128("abc"));
}

TEST(ToHex, WritesLowerCaseBigEndian) {
  const std::uint8_t bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(hk::to_hex(bytes, sizeof bytes), "000fa5ff");
  EXPECT_EQ(hk::to_hex(std::span<const std::uint8_t>(bytes)), "000fa5ff");
  EXPECT_EQ(hk::to_hex(nullptr, 0), "");
  EXPECT_EQ(hk::to_hex(std::uint64_t{0x1234}), "0000000000001234");
  EXPECT_EQ(hk::to_hex(hk::Hash128{1, 0xff}), "000000000000000100000000000000ff");
}

TEST(FileChecksum, ParsesAlgorithmNames) {
  EXPECT_EQ(hk::parse_checksum_algorithm("sha256"), hk::ChecksumAlgorithm::sha256);
  EXPECT_EQ(hk::parse_checksum_algorithm("xxh3"), hk::ChecksumAlgorithm::xxh3);
  EXPECT_EQ(hk::parse_checksum_algorithm("md5"), std::nullopt);
}

TEST(FileChecksum, MatchesOneShotHashesAcrossChunkBoundaries) {
  TempDir dir;
  // 2.5 MiB + 3 bytes: two full chunks, a partial one.
  const auto data =
      random_bytes(2 * hk::kFileChecksumChunkBytes + hk::kFileChecksumChunkBytes / 2 + 3, 11);
  const std::string path = dir.file("data.bin", data);
  auto sha = hk::file_checksum(path, hk::ChecksumAlgorithm::sha256);
  ASSERT_TRUE(sha.ok()) << sha.error();
  EXPECT_EQ(*sha, hk::to_hex(hk::sha256(data.data(), data.size())));
  auto xxh3 = hk::file_checksum(path, hk::ChecksumAlgorithm::xxh3);
  ASSERT_TRUE(xxh3.ok()) << xxh3.error();
  EXPECT_EQ(*xxh3, hk::to_hex(hk::xxh3_64(data.data(), data.size())));
}

TEST(FileChecksum, HashesEmptyAndSmallFiles) {
  TempDir dir;
  auto empty = hk::file_checksum(dir.file("empty", {}));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  auto abc = hk::file_checksum(dir.file("abc", {'a', 'b', 'c'}), hk::ChecksumAlgorithm::xxh3);
  ASSERT_TRUE(abc.ok());
  EXPECT_EQ(*abc, "78af5f94892f3950");
}

TEST(FileChecksum, ReportsMissingFile) {
  TempDir dir;
  auto r = hk::file_checksum(dir.path() + "/nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "cannot open '" + dir.path() + "/nope': No such file or directory");
}

TEST(FileChecksum, ReportsDirectory) {
  TempDir dir;
  auto r = hk::file_checksum(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "cannot read '" + dir.path() + "': Is a directory");
}

TEST(FileChecksum, ReportsPermissionDenied) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  TempDir dir;
  const std::string path = dir.file("secret", {'x'});
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  auto r = hk::file_checksum(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "cannot open '" + path + "': Permission denied");
}

TEST(FileChecksum, RejectsEmptyPath) {
  auto r = hk::file_checksum("");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "file_checksum: empty path");
}
