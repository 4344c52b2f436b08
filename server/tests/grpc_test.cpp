// hotpath.v1.Engine over real gRPC: a C++ client against the hotpathd binary (started per test
// with --grpc-listen 127.0.0.1:0). Outputs are compared byte for byte with `hotpath validate`.
#include <arpa/inet.h>
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "hotpath/v1/engine.grpc.pb.h"

extern char** environ;

namespace {

using hotpath::v1::Engine;
using hotpath::v1::ProcessRequest;
using hotpath::v1::ProcessResponse;

const std::string kSource = HOTPATH_SOURCE_DIR;
const std::string kSchema = kSource + "/examples/schemas/order.schema.json";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// JSON text without the whitespace between tokens: what json::write produces for it.
std::string compact(const std::string& text) {
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\') {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      out += c;
    }
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Output of `hotpath validate ARGS FILE`, the reference the server must match.
std::string cli_validate(const std::string& args, const std::string& file) {
  std::string cmd =
      std::string(HOTPATH_BIN) + " validate --schema " + kSchema + " " + args + " " + file;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  return out;
}

// hotpathd on free ports; stopped with SIGTERM (and its exit code checked) at the end.
class Hotpathd {
 public:
  Hotpathd() {
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    std::vector<std::string> args = {HOTPATHD_BIN,
                                     "--pipelines",
                                     kSource + "/examples/pipelines",
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--grpc-listen",
                                     "127.0.0.1:0",
                                     "--log-level",
                                     "warn",
                                     "--threads",
                                     "2"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid_, HOTPATHD_BIN, &fa, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    // Read stdout until the HTTP "listening" line, which comes last.
    std::string text;
    char buf[256];
    while (text.find("hotpathd listening on port") == std::string::npos) {
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0) break;
      text.append(buf, static_cast<size_t>(n));
    }
    close(out[0]);
    std::smatch m;
    if (std::regex_search(text, m, std::regex("hotpathd listening on port (\\d+)")))
      http_port_ = std::stoi(m[1].str());
    if (std::regex_search(text, m, std::regex("gRPC listening on port (\\d+)"))) {
      channel_ = grpc::CreateChannel("127.0.0.1:" + m[1].str(), grpc::InsecureChannelCredentials());
      stub_ = Engine::NewStub(channel_);
    }
  }
  ~Hotpathd() { stop(); }
  int stop() {
    if (pid_ <= 0) return exit_code_;
    stub_.reset();
    channel_.reset();
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }
  Engine::Stub* stub() { return stub_.get(); }

  // GET over a plain socket (Connection: close), whole response as text.
  std::string http_get(const std::string& path) const {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(http_port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string out;
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      std::string req = "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      if (write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
        char buf[4096];
        for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
          out.append(buf, static_cast<size_t>(n));
      }
    }
    close(fd);
    return out;
  }

 private:
  int http_port_ = 0;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Engine::Stub> stub_;
};

ProcessRequest make_request(const std::string& pipeline, const std::string& record,
                            bool validate_only = false) {
  ProcessRequest r;
  r.set_pipeline(pipeline);
  r.set_record(record);
  r.set_validate_only(validate_only);
  return r;
}

TEST(HotpathdGrpc, process_returns_the_reserialized_record_for_a_valid_one) {
  Hotpathd server;
  ASSERT_NE(server.stub(), nullptr);
  grpc::ClientContext ctx;
  ProcessResponse res;
  std::string record = read_file(kSource + "/examples/orders/order.json");
  grpc::Status st = server.stub()->Process(&ctx, make_request("orders", record), &res);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(res.valid());
  EXPECT_EQ(res.output(), compact(record));
  EXPECT_EQ(server.stop(), 0);
}

TEST(HotpathdGrpc, process_returns_the_transform_result_of_a_pipeline_with_one) {
  Hotpathd server;
  ASSERT_NE(server.stub(), nullptr);
  grpc::ClientContext ctx;
  ProcessResponse res;
  std::string record = read_file(kSource + "/examples/orders/order.json");
  grpc::Status st = server.stub()->Process(&ctx, make_request("orders-summary", record), &res);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(res.valid());
  EXPECT_EQ(res.output(),
            "{\"order\":\"7d9f2c3e-4b1a-4c8e-9f6d-2a5b8c1e0f37\",\"account\":\"ACC0012345\","
            "\"symbol\":\"AAPL\",\"side\":\"BUY\",\"quantity\":1500,\"notional\":258525,"
            "\"fees\":7.53,\"cash\":-258532.53,\"currency\":\"USD\",\"settles\":\"2024-03-15\","
            "\"algo\":\"vwap\"}");
  EXPECT_EQ(server.stop(), 0);
}

// The rules step (examples/pipelines/payments: schema + scoring.js in embedded V8) over gRPC.
TEST(HotpathdGrpc, process_runs_a_pipelines_js_rules) {
  Hotpathd server;
  ASSERT_NE(server.stub(), nullptr);
  {
    grpc::ClientContext ctx;
    ProcessResponse res;
    const std::string payment =
        R"({"id":"p1","merchant":"acme","amount":120.5,"currency":"USD","method":"card",)"
        R"("country":"DE","card_country":"DE","attempts":1})";
    grpc::Status st = server.stub()->Process(&ctx, make_request("payments", payment), &res);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_TRUE(res.valid());
    EXPECT_EQ(res.output(),
              R"({"id":"p1","merchant":"acme","eur":110.86,"fee":3.46,"net":107.4,"score":0,)"
              R"("flags":[],"review":false})");
  }
  {
    grpc::ClientContext ctx;
    ProcessResponse res;
    const std::string rejected =
        R"({"id":"p2","merchant":"acme","amount":-3,"currency":"XYZ","method":"sepa","country":"FR"})";
    grpc::Status st = server.stub()->Process(&ctx, make_request("payments", rejected), &res);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_FALSE(res.valid());
    EXPECT_NE(res.output().find("\"error\":\"amount must be positive\""), std::string::npos);
    EXPECT_NE(res.output().find("\"error\":\"unsupported currency XYZ\""), std::string::npos);
  }
  EXPECT_EQ(server.stop(), 0);
}

TEST(HotpathdGrpc, process_gives_the_cli_unit_for_an_invalid_record) {
  Hotpathd server;
  ASSERT_NE(server.stub(), nullptr);
  const std::string file = kSource + "/examples/orders/order-invalid.json";
  grpc::ClientContext ctx;
  ProcessResponse res;
  grpc::Status st = server.stub()->Process(&ctx, make_request("orders", read_file(file)), &res);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(res.valid());
  EXPECT_EQ(res.output() + "\n", cli_validate("--formats", file));
}

TEST(HotpathdGrpc, process_answers_not_found_for_an_unknown_pipeline) {
  Hotpathd server;
  ASSERT_NE(server.stub(), nullptr);
  grpc::ClientContext ctx;
  ProcessResponse res;
  grpc::Status st = server.stub()->Process(&ctx, make_request("nope", "{}"), &res);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(st.error_message(), "unknown pipeline \"nope\"");
}

TEST(HotpathdGrpc, process_stream_answers_every_record_in_order) {
  Hotpathd server;
  ASSERT_NE(server.stub(), nullptr);
  const std::string file = kSource + "/examples/orders/orders.ndjson";
  std::vector<std::string> records = split_lines(read_file(file));
  std::vector<std::string> expected = split_lines(cli_validate("--ndjson --formats", file));
  ASSERT_EQ(records.size(), 20u);
  ASSERT_EQ(expected.size(), 20u);
  // Each message is its own document: a JSON error is located in it (line 1), not in the file.
  expected[16] = std::regex_replace(expected[16], std::regex("at line 17,"), "at line 1,");

  grpc::ClientContext ctx;
  auto stream = server.stub()->ProcessStream(&ctx);
  // Two passes over the records, with an unknown pipeline in the middle; write all first,
  // then read, so the server has many messages in flight on one stream.
  for (const auto& r : records) ASSERT_TRUE(stream->Write(make_request("orders", r, true)));
  ASSERT_TRUE(stream->Write(make_request("missing", "{}")));
  for (const auto& r : records) ASSERT_TRUE(stream->Write(make_request("orders", r, true)));
  ASSERT_TRUE(stream->WritesDone());
  std::vector<ProcessResponse> got;
  for (ProcessResponse res; stream->Read(&res);) got.push_back(res);
  ASSERT_TRUE(stream->Finish().ok());
  ASSERT_EQ(got.size(), 41u);
  for (size_t i = 0; i < 20; ++i) {
    EXPECT_EQ(got[i].output(), expected[i]) << "record " << i + 1;
    EXPECT_EQ(got[i].valid(), expected[i] == R"({"valid":true})");
    EXPECT_EQ(got[21 + i].output(), expected[i]) << "record " << i + 1 << ", second pass";
  }
  EXPECT_FALSE(got[20].valid());
  EXPECT_EQ(got[20].error(), "unknown pipeline \"missing\"");
  std::string metrics = server.http_get("/metrics");
  EXPECT_NE(
      metrics.find("hotpathd_grpc_records_total{method=\"ProcessStream\",result=\"ok\"} 40\n"),
      std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find(
                "hotpathd_grpc_records_total{method=\"ProcessStream\",result=\"not_found\"} 1\n"),
            std::string::npos);
  EXPECT_EQ(server.stop(), 0);
}

TEST(HotpathdGrpc, sigterm_lets_an_open_stream_finish_its_records) {
  Hotpathd server;
  ASSERT_NE(server.stub(), nullptr);
  grpc::ClientContext ctx;
  auto stream = server.stub()->ProcessStream(&ctx);
  ASSERT_TRUE(stream->Write(make_request("orders", "{}", true)));
  ProcessResponse first;
  ASSERT_TRUE(stream->Read(&first));  // the call is established and served
  EXPECT_FALSE(first.valid());
  // The server drains: the open stream may still send and get answers until it is done.
  std::thread stopper([&server] { EXPECT_EQ(server.stop(), 0); });
  ASSERT_TRUE(stream->Write(make_request("orders-lenient", "[]", true)));
  ProcessResponse second;
  ASSERT_TRUE(stream->Read(&second));
  EXPECT_EQ(
      second.output(),
      R"({"valid":false,"errors":[{"keywordLocation":"/type","absoluteKeywordLocation":"https://hotpath.example/schemas/order.schema.json#/type","instanceLocation":"","error":"must be object, got array"}]})");
  ASSERT_TRUE(stream->WritesDone());
  EXPECT_TRUE(stream->Finish().ok());
  stopper.join();
}

}  // namespace
