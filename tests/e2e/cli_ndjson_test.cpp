// `hotpath validate --ndjson`: one output line per input line, in input order, whatever the
// thread count; broken, blank and oversized lines are reported in place and the run goes on;
// a 1 GB stream from a pipe runs in bounded memory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <thread>

#include "hotpath_process.h"

namespace hotpath::e2e {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kValid = "{\"valid\":true}";
constexpr const char* kInvalidFlag = "{\"valid\":false}";
constexpr const char* kRecordSchema = R"({
  "type": "object",
  "required": ["id", "price", "qty"],
  "properties": {
    "id": {"type": "integer", "minimum": 0},
    "name": {"type": "string", "maxLength": 40},
    "price": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01},
    "qty": {"type": "integer", "minimum": 1},
    "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
    "pad": {"type": "string"}
  }
})";

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string rejected(std::string_view error) {
  std::string u = rejected_unit(error);
  u.pop_back();  // newline
  return u;
}

class NdjsonTest : public ::testing::Test {
 protected:
  std::string schema() { return dir.write("record.schema.json", kRecordSchema); }
  TempDir dir;
};

TEST_F(NdjsonTest, prints_one_line_per_input_line_in_order) {
  std::string in = R"({"id":1,"price":1.5,"qty":1})"
                   "\n"
                   R"({"id":2,"price":1.555,"qty":1})"
                   "\n"
                   R"({"id":3,"price":2,"qty":1})"
                   "\n";
  auto r = run_hotpath({"validate", "--schema", schema(), "--ndjson", "--output", "flag"}, in);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, std::string(kValid) + "\n" + kInvalidFlag + "\n" + kValid + "\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(NdjsonTest, all_valid_exits_0_and_empty_input_prints_nothing) {
  auto r =
      run_hotpath({"validate", "--schema", schema(), "--ndjson"}, R"({"id":1,"price":1,"qty":1})");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string(kValid) + "\n");  // last line without '\n' still counts
  auto empty = run_hotpath({"validate", "--schema", schema(), "--ndjson"}, "");
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_EQ(empty.out, "");
}

TEST_F(NdjsonTest, crlf_line_endings_are_accepted) {
  auto r = run_hotpath({"validate", "--schema", schema(), "--ndjson"},
                       "{\"id\":1,\"price\":1,\"qty\":1}\r\n{\"id\":2,\"price\":1,\"qty\":1}\r\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, std::string(kValid) + "\n" + kValid + "\n");
}

TEST_F(NdjsonTest, broken_line_reports_its_line_and_column_and_the_run_continues) {
  std::string in = R"({"id":1,"price":1,"qty":1})"
                   "\n"
                   R"({"id":2,"price":1,"qty":1})"
                   "\n"
                   R"({"id":3,"price":1,,"qty":1})"
                   "\n"
                   R"({"id":4,"price":1,"qty":1})"
                   "\n";
  auto r = run_hotpath({"validate", "--schema", schema(), "--ndjson"}, in);
  EXPECT_EQ(r.exit_code, 1);
  auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_EQ(lines[0], kValid);
  EXPECT_EQ(lines[1], kValid);
  EXPECT_THAT(lines[2], StartsWith(rejected("invalid JSON at line 3, column 19: ").substr(0, 100)));
  EXPECT_THAT(lines[2], HasSubstr("\"error\":\"invalid JSON at line 3, column 19: "));
  EXPECT_EQ(lines[3], kValid);
  EXPECT_EQ(r.err, "");
}

TEST_F(NdjsonTest, broken_line_in_flag_output_is_just_invalid) {
  auto r = run_hotpath({"validate", "--schema", schema(), "--ndjson", "--output", "flag"},
                       "{\n{\"id\":1,\"price\":1,\"qty\":1}\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, std::string(kInvalidFlag) + "\n" + kValid + "\n");
}

TEST_F(NdjsonTest, blank_lines_are_reported_as_empty_lines) {
  std::string ok = R"({"id":1,"price":1,"qty":1})";
  auto r = run_hotpath({"validate", "--schema", schema(), "--ndjson"},
                       ok + "\n\n" + ok + "\n  \t\r\n" + ok + "\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, std::string(kValid) + "\n" +
                       rejected("invalid JSON at line 2, column 1: empty line") + "\n" + kValid +
                       "\n" + rejected("invalid JSON at line 4, column 1: empty line") + "\n" +
                       kValid + "\n");
}

TEST_F(NdjsonTest, line_numbers_restart_in_each_file) {
  std::string ok = R"({"id":1,"price":1,"qty":1})";
  std::string a = dir.write("a.ndjson", ok + "\n" + ok + "\n");
  std::string b = dir.write("b.ndjson", ok + "\n\n");
  auto r = run_hotpath({"validate", "--schema", schema(), "--ndjson", a, b});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, std::string(kValid) + "\n" + kValid + "\n" + kValid + "\n" +
                       rejected("invalid JSON at line 2, column 1: empty line") + "\n");
}

TEST_F(NdjsonTest, oversized_line_is_rejected_in_place_and_the_run_continues) {
  std::string ok = R"({"id":1,"price":1,"qty":1})";
  std::string long_line = R"({"id":2,"price":1,"qty":1,"pad":")" + std::string(1000, 'x') + "\"}";
  auto r =
      run_hotpath({"validate", "--schema", schema(), "--ndjson", "--max-document-bytes", "100"},
                  ok + "\n" + long_line + "\n" + ok + "\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, std::string(kValid) + "\n" +
                       rejected("line 2 is " + std::to_string(long_line.size()) +
                                " bytes, larger than --max-document-bytes 100; not validated") +
                       "\n" + kValid + "\n");
}

TEST_F(NdjsonTest, line_longer_than_the_read_buffer_is_skipped_without_being_held) {
  std::string ok = R"({"id":1,"price":1,"qty":1})";
  std::string huge(3 << 20, 'x');  // 3 MiB: several read chunks, never held whole
  auto r =
      run_hotpath({"validate", "--schema", schema(), "--ndjson", "--max-document-bytes", "64K"},
                  ok + "\n" + huge + "\n" + ok + "\n" + huge);
  EXPECT_EQ(r.exit_code, 1);
  std::string msg =
      " is 3145728 bytes, larger than --max-document-bytes 65536 (64 KiB); not validated";
  EXPECT_EQ(r.out, std::string(kValid) + "\n" + rejected("line 2" + msg) + "\n" + kValid + "\n" +
                       rejected("line 4" + msg) + "\n");
}

TEST_F(NdjsonTest, deep_nesting_in_a_record_is_reported_and_the_run_continues) {
  std::string ok = R"({"id":1,"price":1,"qty":1})";
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto r = run_hotpath({"validate", "--schema", schema(), "--ndjson"},
                       ok + "\n" + deep + "\n" + ok + "\n");
  EXPECT_EQ(r.term_signal, 0);
  EXPECT_EQ(r.exit_code, 1);
  auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], kValid);
  EXPECT_THAT(lines[1], HasSubstr("\"error\":\"invalid JSON at line 2, column "));
  EXPECT_EQ(lines[2], kValid);
}

// 10,000 records of ~200 bytes (about 15 batches), with schema failures, broken JSON and
// blank lines spread through them.
std::string generated_records(size_t count) {
  std::string s;
  for (size_t i = 0; i < count; ++i) {
    std::string id = std::to_string(i);
    if (i % 997 == 13) {
      s += R"({"id":)" + id + R"(,"price":)";  // broken: truncated record
    } else if (i % 1499 == 7) {
      // blank line
    } else {
      std::string price =
          i % 101 == 5 ? "19.999" : std::to_string(i % 500) + "." + std::to_string(i % 90 + 10);
      std::string qty = i % 211 == 3 ? "\"many\"" : std::to_string(i % 50 + 1);
      s += R"({"id":)" + id + R"(,"name":"order-)" + id + R"(","price":)" + price + R"(,"qty":)" +
           qty + R"(,"tags":["t)" + std::to_string(i % 7) + R"(","u)" + std::to_string(i % 3) +
           R"("],"pad":")" + std::string(100 + i % 37, 'p') + "\"}";
    }
    s += '\n';
  }
  return s;
}

TEST_F(NdjsonTest, output_is_byte_identical_with_1_and_2_threads_over_10000_records) {
  std::string input = generated_records(10000);
  std::string file = dir.write("records.ndjson", input);
  auto one = run_hotpath({"validate", "--schema", schema(), "--ndjson", "--threads", "1", file});
  auto two = run_hotpath({"validate", "--schema", schema(), "--ndjson", "--threads", "2", file});
  auto four = run_hotpath({"validate", "--schema", schema(), "--ndjson", "--threads=4"}, input);
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_EQ(two.exit_code, 1);
  EXPECT_EQ(four.exit_code, 1);
  EXPECT_EQ(one.err, "");
  auto lines = split_lines(one.out);
  ASSERT_EQ(lines.size(), 10000u);
  EXPECT_TRUE(one.out == two.out) << "--threads 1 and --threads 2 differ";
  EXPECT_TRUE(one.out == four.out) << "--threads 1 and --threads 4 (stdin) differ";

  // Each line is the verdict of its own record.
  for (size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE("record " + std::to_string(i) + ": " + lines[i].substr(0, 200));
    if (i % 997 == 13) {
      EXPECT_THAT(lines[i], HasSubstr("\"error\":\"invalid JSON at line " + std::to_string(i + 1) +
                                      ", column "));
    } else if (i % 1499 == 7) {
      EXPECT_EQ(lines[i], rejected("invalid JSON at line " + std::to_string(i + 1) +
                                   ", column 1: empty line"));
    } else if (i % 101 == 5) {
      EXPECT_THAT(lines[i], HasSubstr(R"("keywordLocation":"/properties/price/multipleOf")"));
    } else if (i % 211 == 3) {
      EXPECT_THAT(lines[i], HasSubstr(R"("keywordLocation":"/properties/qty/type")"));
    } else {
      EXPECT_EQ(lines[i], kValid);
    }
    if (::testing::Test::HasFailure()) break;
  }
}

TEST_F(NdjsonTest, flag_output_matches_basic_verdicts_line_by_line) {
  std::string file = dir.write("records.ndjson", generated_records(3000));
  auto basic = run_hotpath({"validate", "--schema", schema(), "--ndjson", file});
  auto flag = run_hotpath({"validate", "--schema", schema(), "--ndjson", "--output", "flag", file});
  auto b = split_lines(basic.out), f = split_lines(flag.out);
  ASSERT_EQ(b.size(), 3000u);
  ASSERT_EQ(f.size(), 3000u);
  for (size_t i = 0; i < b.size(); ++i) {
    EXPECT_EQ(f[i], b[i] == kValid ? kValid : kInvalidFlag) << "line " << i + 1;
    if (::testing::Test::HasFailure()) break;
  }
}

// Progress is for people: it appears on a terminal once a run has lasted a second. The input
// arrives slowly (the sleeps make the run last well over a second; nothing here depends on
// speed), and the final figures are left on their own line.
TEST_F(NdjsonTest, long_run_shows_progress_when_stderr_is_a_terminal) {
  std::string input;
  uint64_t records = 0;
  while (input.size() < (size_t(5) << 19)) {
    input += R"({"id":)" + std::to_string(records++) +
             R"(,"price":1.25,"qty":2,"pad":"abcdefghijklmnopqrstuvwxyz"})"
             "\n";
  }
  size_t sent = 0;
  RunSpec spec;
  spec.args = {"validate", "--schema", schema(), "--ndjson", "--output", "flag"};
  spec.stderr_is_tty = true;
  spec.stdin_generator = [&](char* buf, size_t cap) -> size_t {
    std::this_thread::sleep_for(std::chrono::milliseconds(40));  // 40 slices: >= 1.6 s in all
    size_t n = std::min({cap, input.size() - sent, input.size() / 40 + 1});
    std::memcpy(buf, input.data() + sent, n);
    sent += n;
    return n;
  };
  auto r = run_hotpath(spec);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), static_cast<long>(records));
  EXPECT_THAT(r.err, StartsWith("\rhotpath: "));
  EXPECT_THAT(r.err, HasSubstr("\rhotpath: " + std::to_string(records) + " records, "));
  EXPECT_THAT(r.err, HasSubstr(" records/s, "));
  EXPECT_THAT(r.err, HasSubstr(" MB/s"));
  EXPECT_THAT(r.err, EndsWith("\n"));
}

TEST_F(NdjsonTest, short_run_on_a_terminal_shows_no_progress) {
  RunSpec spec;
  spec.args = {"validate", "--schema", schema(), "--ndjson"};
  spec.stdin_data = R"({"id":1,"price":1,"qty":1})"
                    "\n";
  spec.stderr_is_tty = true;
  auto r = run_hotpath(spec);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
}

// Streams 1 GiB of small records through a pipe. Neither side ever holds the stream: the test
// generates it on the fly and counts the output as it arrives; the CLI's peak RSS must stay
// far below the input size.
TEST_F(NdjsonTest, streams_1_gib_from_stdin_with_bounded_memory) {
  constexpr uint64_t kTotalBytes = uint64_t(1) << 30;
  constexpr uint64_t kInvalidEvery = 1'000'000;  // record i is invalid when i % this == 999'999
  const std::string head = R"({"id":)";
  const std::string mid = R"(,"name":"stream record","price":)";
  const std::string tail =
      R"(,"qty":100,"tags":["a","b"],"pad":"0123456789abcdef0123456789abcdef"})";

  uint64_t produced = 0, records = 0;
  std::string carry;
  RunSpec spec;
  spec.args = {"validate", "--schema", schema(), "--ndjson"};
  spec.stdin_generator = [&](char* buf, size_t cap) -> size_t {
    size_t n = 0;
    while (produced < kTotalBytes) {
      if (carry.empty()) {
        std::string id = std::to_string(records);
        carry = head + id + mid +
                (records % kInvalidEvery == kInvalidEvery - 1 ? "12.345" : "12.34") + tail + "\n";
        ++records;
      }
      size_t take = std::min({carry.size(), cap - n, static_cast<size_t>(kTotalBytes - produced)});
      if (take == 0) break;
      std::memcpy(buf + n, carry.data(), take);
      carry.erase(0, take);
      n += take;
      produced += take;
    }
    return n;
  };
  uint64_t out_lines = 0, valid_lines = 0;
  std::set<uint64_t> invalid_lines;  // 1-based
  std::string partial;
  spec.stdout_sink = [&](std::string_view chunk) {
    size_t start = 0;
    while (start < chunk.size()) {
      size_t nl = chunk.find('\n', start);
      if (nl == std::string_view::npos) {
        partial.append(chunk.substr(start));
        break;
      }
      std::string_view line = chunk.substr(start, nl - start);
      if (!partial.empty()) {
        partial.append(line);
        line = partial;
      }
      ++out_lines;
      if (line == kValid)
        ++valid_lines;
      else if (invalid_lines.size() < 100)
        invalid_lines.insert(out_lines);
      partial.clear();
      start = nl + 1;
    }
  };

  ProcessResult r = run_hotpath(spec);
  EXPECT_EQ(produced, kTotalBytes);
  // The generator may cut the last record short: it is then a broken final line.
  bool last_cut = !carry.empty();
  EXPECT_EQ(r.term_signal, 0);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "") << "nothing on stderr (no progress line when stderr is not a terminal)";
  EXPECT_EQ(out_lines, records);
  std::set<uint64_t> expected;
  for (uint64_t i = kInvalidEvery - 1; i < records; i += kInvalidEvery) expected.insert(i + 1);
  if (last_cut) expected.insert(records);
  EXPECT_EQ(invalid_lines, expected);
  EXPECT_EQ(valid_lines + expected.size(), records);
  EXPECT_LT(r.max_rss_kib, 512 * 1024)
      << "peak RSS " << r.max_rss_kib / 1024 << " MiB for a 1 GiB stream";
  std::cout << "[ info ] 1 GiB stream: " << records << " records, hotpath peak RSS "
            << r.max_rss_kib / 1024 << " MiB\n";
}

}  // namespace
}  // namespace hotpath::e2e
