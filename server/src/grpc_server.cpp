#include "grpc_server.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "hotpath/v1/engine.grpc.pb.h"
#include "record_processor.h"
#include "rules_host.h"

namespace hotpath::server {

using hotpath::v1::Engine;
using hotpath::v1::ProcessRequest;
using hotpath::v1::ProcessResponse;

struct GrpcServer::Impl {
  Impl(const ServerOptions& o, PipelineRegistry& r, Metrics& m, const Logger& l)
      : options(o), registry(r), metrics(m), log(l) {}

  // Runs one record; false when the pipeline does not exist.
  bool process(const ProcessRequest& req, ProcessResponse& res, bool stream) const {
    auto snap = registry.snapshot();  // this version stays alive until the record is done
    const Pipeline* p = snap->find(req.pipeline());
    metrics.record_grpc(stream, p != nullptr);
    if (!p) return false;
    std::string out;
    auto& processor = RecordProcessor::for_this_thread(options.max_body_bytes);
    ProcessResult r = processor.process_document(
        *p, req.validate_only() ? Step::validate_only : Step::full_pipeline, req.record(), out);
    if (!out.empty() && out.back() == '\n') out.pop_back();
    res.set_valid(r.invalid == 0);
    res.set_output(std::move(out));
    return true;
  }

  // New calls are requested only while the completion queues are open.
  template <typename CallT>
  void request_next(grpc::ServerCompletionQueue* cq) {
    std::lock_guard lk(mu);
    if (!cqs_shut_down && accepting) new CallT(*this, cq);
  }
  void call_started() {
    std::lock_guard lk(mu);
    ++in_flight;
  }
  void call_ended() {
    std::lock_guard lk(mu);
    if (--in_flight == 0) idle.notify_all();
  }

  const ServerOptions& options;
  PipelineRegistry& registry;
  Metrics& metrics;
  const Logger& log;
  Engine::AsyncService service;
  std::unique_ptr<grpc::Server> server;
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> cqs;
  std::vector<std::thread> threads;
  std::mutex mu;  // guards the four fields below
  std::condition_variable idle;
  bool cqs_shut_down = false;
  bool accepting = true;  // false once the drain started: no new calls are requested
  int in_flight = 0;      // calls accepted and not yet finished
  std::once_flag shutdown_once;
  std::thread shutdown_thread;
};

namespace {

// A call in progress; its address is the completion-queue tag of its one pending operation.
class Call {
 public:
  virtual ~Call() = default;
  virtual void proceed(bool ok) = 0;
};

class UnaryCall final : public Call {
 public:
  UnaryCall(GrpcServer::Impl& s, grpc::ServerCompletionQueue* cq) : s_(s), cq_(cq) {
    s_.service.RequestProcess(&ctx_, &req_, &responder_, cq_, cq_, this);
  }
  ~UnaryCall() override {
    if (started_) s_.call_ended();
  }
  void proceed(bool ok) override {
    if (finishing_ || !ok) {
      delete this;
      return;
    }
    started_ = true;
    s_.call_started();
    s_.request_next<UnaryCall>(cq_);
    finishing_ = true;
    if (s_.process(req_, res_, false)) {
      responder_.Finish(res_, grpc::Status::OK, this);
    } else {
      responder_.FinishWithError(
          grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown pipeline \"" + req_.pipeline() + "\""),
          this);
    }
  }

 private:
  GrpcServer::Impl& s_;
  grpc::ServerCompletionQueue* cq_;
  grpc::ServerContext ctx_;
  ProcessRequest req_;
  ProcessResponse res_;
  grpc::ServerAsyncResponseWriter<ProcessResponse> responder_{&ctx_};
  bool started_ = false;
  bool finishing_ = false;
};

// Read one request, write its response, repeat; Finish when the client has sent its last.
class StreamCall final : public Call {
 public:
  StreamCall(GrpcServer::Impl& s, grpc::ServerCompletionQueue* cq) : s_(s), cq_(cq) {
    s_.service.RequestProcessStream(&ctx_, &stream_, cq_, cq_, this);
  }
  ~StreamCall() override {
    if (state_ != State::requested) s_.call_ended();
  }
  void proceed(bool ok) override {
    switch (state_) {
      case State::requested:
        if (!ok) {
          delete this;
          return;
        }
        s_.call_started();
        s_.request_next<StreamCall>(cq_);
        read();
        return;
      case State::reading:
        if (!ok) return finish();  // the client finished writing (or went away)
        res_.Clear();
        if (!s_.process(req_, res_, true)) {
          res_.set_valid(false);
          res_.set_error("unknown pipeline \"" + req_.pipeline() + "\"");
        }
        state_ = State::writing;
        stream_.Write(res_, this);
        return;
      case State::writing:
        if (!ok) return finish();
        read();
        return;
      case State::finishing:
        delete this;
        return;
    }
  }

 private:
  enum class State { requested, reading, writing, finishing };
  void read() {
    state_ = State::reading;
    stream_.Read(&req_, this);
  }
  void finish() {
    state_ = State::finishing;
    stream_.Finish(grpc::Status::OK, this);
  }

  GrpcServer::Impl& s_;
  grpc::ServerCompletionQueue* cq_;
  grpc::ServerContext ctx_;
  ProcessRequest req_;
  ProcessResponse res_;
  grpc::ServerAsyncReaderWriter<ProcessResponse, ProcessRequest> stream_{&ctx_};
  State state_ = State::requested;
};

}  // namespace

GrpcServer::GrpcServer(const ServerOptions& options, PipelineRegistry& registry, Metrics& metrics,
                       const Logger& log)
    : impl_(std::make_unique<Impl>(options, registry, metrics, log)) {}

GrpcServer::~GrpcServer() { wait(); }

Result<uint16_t, std::string> GrpcServer::start() {
  Impl& s = *impl_;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(s.options.grpc_listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&s.service);
  builder.SetMaxReceiveMessageSize(
      static_cast<int>(std::min<uint64_t>(s.options.max_body_bytes + 1024, INT32_MAX)));
  unsigned n =
      s.options.threads ? s.options.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) s.cqs.push_back(builder.AddCompletionQueue());
  s.server = builder.BuildAndStart();
  if (!s.server || port == 0) {
    s.cqs.clear();
    return Failure{"cannot listen for gRPC on " + s.options.grpc_listen};
  }
  for (auto& cq : s.cqs) {
    new UnaryCall(s, cq.get());
    new StreamCall(s, cq.get());
    s.threads.emplace_back([cq = cq.get(), &s] {
      warm_rules(*s.registry.snapshot());  // this thread's isolate, before its first call
      void* tag = nullptr;
      bool ok = false;
      while (cq->Next(&tag, &ok)) static_cast<Call*>(tag)->proceed(ok);
    });
  }
  return static_cast<uint16_t>(port);
}

void GrpcServer::begin_shutdown() {
  Impl& s = *impl_;
  if (!s.server) return;
  std::call_once(s.shutdown_once, [&s] {
    s.shutdown_thread = std::thread([&s] {
      // Stop taking new calls, let the accepted ones finish (up to the drain timeout), then
      // shut down at once. (Server::Shutdown with a deadline would also wait several seconds
      // for idle client connections to go away.)
      std::unique_lock lk(s.mu);
      s.accepting = false;
      s.idle.wait_for(lk, std::chrono::milliseconds(s.options.drain_timeout_ms),
                      [&s] { return s.in_flight == 0; });
      lk.unlock();
      s.server->Shutdown(std::chrono::system_clock::now());
      lk.lock();
      s.cqs_shut_down = true;
      for (auto& cq : s.cqs) cq->Shutdown();
    });
  });
}

void GrpcServer::wait() {
  Impl& s = *impl_;
  if (!s.server) return;
  begin_shutdown();
  if (s.shutdown_thread.joinable()) s.shutdown_thread.join();
  for (auto& t : s.threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace hotpath::server
