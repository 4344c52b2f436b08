#include "http_server.h"

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "record_processor.h"
#include "rules_host.h"
#include "worker_pool.h"

namespace hotpath::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using beast::error_code;

namespace {

class Session;

// One I/O thread: its io_context and the connections living on it (touched only from it).
struct IoThread {
  asio::io_context ctx{1};
  std::unordered_set<Session*> sessions;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::thread thread;
};

constexpr size_t kKeepCapacity = size_t(1) << 20;  // per-connection buffers kept between requests

std::string error_json(std::string_view message) {
  std::string out = "{\"error\":";
  json::write_string(message, out);
  out += "}\n";
  return out;
}

// "application/json; charset=utf-8" -> "application/json", lower-cased.
std::string media_type(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  std::string out(t);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

struct HttpServer::Impl {
  Impl(const ServerOptions& o, PipelineRegistry& r, Metrics& m, const Logger& l,
       const StaticSite* s)
      : options(o),
        registry(r),
        metrics(m),
        log(l),
        site(s),
        pool(o.workers ? o.workers : std::max(1u, std::thread::hardware_concurrency()),
             o.queue_depth, [&r] { warm_rules(*r.snapshot()); }) {
    unsigned n = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < n; ++i) io.push_back(std::make_unique<IoThread>());
    acceptor.emplace(io[0]->ctx);
    accept_retry.emplace(io[0]->ctx);
    signals.emplace(io[0]->ctx, SIGTERM, SIGINT);
    metrics.set_queue(0, o.queue_depth);
  }

  void do_accept();
  void reject_connection(tcp::socket socket);
  void start_drain(int signal);

  const ServerOptions& options;
  PipelineRegistry& registry;
  Metrics& metrics;
  const Logger& log;
  const StaticSite* site;
  WorkerPool pool;
  std::atomic<bool> draining{false};
  std::mutex drain_mu;  // with drain_cv: wakes the drain watchdog
  std::condition_variable drain_cv;
  bool stopped = false;  // every I/O thread has returned
  std::function<void()> drain_callback;
  size_t next_io = 0;
  std::string retry_after;
  // Declared last: destroyed first, so handlers still queued on a context (after a forced stop)
  // are destroyed while the members they refer to are alive.
  std::vector<std::unique_ptr<IoThread>> io;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> accept_retry;
  std::optional<asio::signal_set> signals;
};

namespace {

// One client connection: read a request (header, then body), answer it, repeat (keep-alive;
// pipelined requests already in the buffer are read without waiting).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl& server, IoThread& io)
      : stream_(std::move(socket)), server_(server), io_(io) {
    server_.metrics.connection_opened();
  }
  ~Session() {
    if (registered_) io_.sessions.erase(this);
    server_.metrics.connection_closed();
  }

  void start() {
    io_.sessions.insert(this);
    registered_ = true;
    wait_for_request();
  }

  // Drain: a connection waiting for its next request is closed; one in the middle of a
  // request finishes it first.
  void on_drain() {
    error_code ec;
    // Bytes already in the kernel buffer are a request the client has sent: serve it.
    if (idle_ && stream_.socket().available(ec) == 0) stream_.socket().cancel(ec);
  }

 private:
  const ServerOptions& opts() const { return server_.options; }

  void wait_for_request() {
    if (buffer_.size() > 0) return read_header();
    if (server_.draining.load()) return close();
    idle_ = true;
    stream_.expires_after(std::chrono::milliseconds(opts().idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              self->idle_ = false;
                              if (ec) return self->close();  // EOF, idle timeout, drain
                              if (n == 0) return self->wait_for_request();
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(
        std::min<uint64_t>(opts().max_header_bytes, std::numeric_limits<uint32_t>::max())));
    parser_->body_limit(opts().max_body_bytes);
    body_.clear();
    parser_->get().body().swap(body_);  // reuse this connection's body capacity
    // One deadline for the whole request: a client trickling bytes (slowloris) is cut off.
    stream_.expires_after(std::chrono::milliseconds(opts().read_timeout_ms));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](error_code ec, size_t) {
                              if (ec) return self->on_read_error(ec);
                              self->on_header();
                            });
  }

  void on_header() {
    auto& req = parser_->get();
    if (req[http::field::expect] == "100-continue" && !parser_->is_done()) {
      continue_msg_ = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(continue_msg_),
                        [self = shared_from_this()](error_code ec, size_t) {
                          if (ec) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, size_t) {
                       if (ec) return self->on_read_error(ec);
                       self->on_request();
                     });
  }

  void on_read_error(error_code ec) {
    started_ = Clock::now();
    keep_alive_ = false;
    if (ec == http::error::body_limit) {
      server_.metrics.record_reject(RejectReason::body_too_large);
      return respond(Route::other, http::status::payload_too_large,
                     error_json("request body larger than --max-body-bytes " +
                                std::to_string(opts().max_body_bytes)));
    }
    if (ec == http::error::header_limit) {
      server_.metrics.record_reject(RejectReason::header_too_large);
      return respond(Route::other, http::status::request_header_fields_too_large,
                     error_json("request header larger than --max-header-bytes " +
                                std::to_string(opts().max_header_bytes)));
    }
    if (ec == beast::error::timeout) {
      server_.metrics.record_reject(RejectReason::timeout);
      server_.log.log(LogLevel::warn, "request timed out",
                      {{"timeout_ms", opts().read_timeout_ms}, {"remote", remote()}});
      return close();  // the stream is already closed by its deadline
    }
    if (ec.category() == make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      server_.metrics.record_reject(RejectReason::bad_request);
      return respond(Route::other, http::status::bad_request,
                     error_json("malformed HTTP request: " + ec.message()));
    }
    // The client went away (possibly mid-request): nobody to answer.
    server_.log.log(LogLevel::debug, "client disconnected",
                    {{"error", ec.message()}, {"remote", remote()}});
    close();
  }

  std::string remote() const {
    error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    return ec ? std::string("?") : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  void on_request() {
    started_ = Clock::now();
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    method_ = std::string(req.method_string());
    std::string_view target = req.target();
    target = target.substr(0, target.find('?'));
    target_ = std::string(target);
    records_ = invalid_ = 0;

    constexpr std::string_view kPipelines = "/v1/pipelines/", kValidate = "/v1/validate/";
    const bool is_get = req.method() == http::verb::get || req.method() == http::verb::head;
    if (target == "/healthz") {
      if (!is_get) return method_not_allowed(Route::healthz, "GET");
      return respond(Route::healthz, http::status::ok, "{\"status\":\"ok\"}\n");
    }
    if (target == "/readyz") {
      if (!is_get) return method_not_allowed(Route::readyz, "GET");
      auto snap = server_.registry.snapshot();
      bool ready = server_.registry.ready() && !server_.draining.load();
      std::string body = std::string("{\"ready\":") + (ready ? "true" : "false") +
                         ",\"pipelines\":" + std::to_string(snap->pipelines.size()) + "}\n";
      return respond(Route::readyz, ready ? http::status::ok : http::status::service_unavailable,
                     std::move(body));
    }
    if (target == "/metrics") {
      if (!is_get) return method_not_allowed(Route::metrics, "GET");
      return respond(Route::metrics, http::status::ok, server_.metrics.render(server_.registry),
                     "text/plain; version=0.0.4; charset=utf-8");
    }
    Step step;
    Route route;
    std::string_view name;
    if (target.substr(0, kPipelines.size()) == kPipelines) {
      step = Step::full_pipeline;
      route = Route::pipelines;
      name = target.substr(kPipelines.size());
    } else if (target.substr(0, kValidate.size()) == kValidate) {
      step = Step::validate_only;
      route = Route::validate;
      name = target.substr(kValidate.size());
    } else {
      const StaticSite::File* file = server_.site ? server_.site->find(target) : nullptr;
      if (file && is_get) {
        page_headers_ = true;
        return respond(Route::playground, http::status::ok, file->body, file->content_type);
      }
      if (file) return method_not_allowed(Route::playground, "GET");
      return respond(Route::other, http::status::not_found,
                     error_json("no such endpoint: " + std::string(target)));
    }
    if (req.method() != http::verb::post) return method_not_allowed(route, "POST");
    std::string type = media_type(req[http::field::content_type]);
    bool ndjson;
    if (type.empty() || type == "application/json") {
      ndjson = false;
    } else if (type == "application/x-ndjson" || type == "application/ndjson") {
      ndjson = true;
    } else {
      return respond(route, http::status::unsupported_media_type,
                     error_json("Content-Type must be application/json or "
                                "application/x-ndjson, got " +
                                std::string(req[http::field::content_type])));
    }
    // The snapshot keeps this pipeline version alive until the response is built, even if a
    // reload swaps in a new one meanwhile.
    auto snap = server_.registry.snapshot();
    const Pipeline* pipeline = snap->find(name);
    if (!pipeline) {
      return respond(route, http::status::not_found,
                     error_json("unknown pipeline \"" + std::string(name) + "\""));
    }
    pipeline_ = pipeline->name;
    out_.clear();
    if (req.body().size() <= opts().inline_max_bytes) {
      auto& processor = RecordProcessor::for_this_thread(opts().max_body_bytes);
      ProcessResult r = ndjson ? processor.process_ndjson(*pipeline, step, req.body(), out_)
                               : processor.process_document(*pipeline, step, req.body(), out_);
      return finish_processing(route, ndjson, r);
    }
    // Large body: to the worker pool. The job owns what it reads (session, snapshot); the
    // tracked executor keeps this I/O thread's context running until the answer is posted.
    auto work = asio::prefer(stream_.get_executor(), asio::execution::outstanding_work.tracked);
    bool queued = server_.pool.try_submit(
        [self = shared_from_this(), snap, pipeline, step, ndjson, route, work]() {
          auto& processor = RecordProcessor::for_this_thread(self->opts().max_body_bytes);
          auto& body = self->parser_->get().body();
          ProcessResult r = ndjson ? processor.process_ndjson(*pipeline, step, body, self->out_)
                                   : processor.process_document(*pipeline, step, body, self->out_);
          asio::post(work, [self, route, ndjson, r] { self->finish_processing(route, ndjson, r); });
        });
    server_.metrics.set_queue(server_.pool.depth(), server_.pool.capacity());
    if (queued) server_.metrics.job_queued();
    if (!queued) {
      server_.metrics.record_reject(RejectReason::queue_full);
      return respond(route, http::status::too_many_requests,
                     error_json("worker queue full (--queue-depth " +
                                std::to_string(opts().queue_depth) + "); retry later"),
                     "application/json", true);
    }
  }

  void finish_processing(Route route, bool ndjson, ProcessResult r) {
    records_ = r.records;
    invalid_ = r.invalid;
    server_.metrics.set_queue(server_.pool.depth(), server_.pool.capacity());
    auto status = (!ndjson && r.invalid) ? http::status::unprocessable_entity : http::status::ok;
    // One record whose transform result is undefined: nothing to send.
    if (!ndjson && !r.invalid && out_.empty()) status = http::status::no_content;
    std::string body;
    body.swap(out_);
    respond(route, status, std::move(body), ndjson ? "application/x-ndjson" : "application/json");
  }

  void method_not_allowed(Route route, const char* allow) {
    allow_ = allow;
    respond(route, http::status::method_not_allowed,
            error_json(std::string("method not allowed; use ") + allow));
  }

  void respond(Route route, http::status status, std::string body,
               std::string_view content_type = "application/json", bool retry_after = false) {
    const unsigned version = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
    const bool head = parser_ && parser_->is_done() && parser_->get().method() == http::verb::head;
    res_.emplace(status, version);
    res_->set(http::field::server, "hotpathd");
    res_->set(http::field::content_type, content_type);
    if (retry_after) res_->set(http::field::retry_after, std::to_string(opts().retry_after_s));
    if (allow_) res_->set(http::field::allow, allow_);
    allow_ = nullptr;
    if (page_headers_) {
      res_->set("Content-Security-Policy", StaticSite::kContentSecurityPolicy);
      res_->set("X-Content-Type-Options", "nosniff");
      res_->set(http::field::cache_control, "no-cache");
      page_headers_ = false;
    }
    if (status == http::status::service_unavailable && route == Route::readyz)
      res_->set(http::field::retry_after, std::to_string(opts().retry_after_s));
    const size_t body_bytes = body.size();
    res_->body() = std::move(body);
    res_->keep_alive(keep_alive_ && !server_.draining.load());
    res_->prepare_payload();
    if (head) res_->body().clear();

    double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    unsigned code = static_cast<unsigned>(status);
    server_.metrics.record_request(route, code, seconds);
    if (server_.log.enabled(LogLevel::info)) {
      server_.log.log(LogLevel::info, "request",
                      {{"method", method_},
                       {"target", target_},
                       {"status", uint64_t(code)},
                       {"pipeline", pipeline_},
                       {"records", records_},
                       {"invalid", invalid_},
                       {"bytes_out", uint64_t(body_bytes)},
                       {"us", uint64_t(seconds * 1e6)}});
    }
    method_.clear();
    target_.clear();
    pipeline_.clear();

    stream_.expires_after(std::chrono::milliseconds(opts().write_timeout_ms));
    http::async_write(stream_, *res_,
                      [self = shared_from_this()](error_code ec, size_t) { self->on_write(ec); });
  }

  void on_write(error_code ec) {
    const bool keep = res_->keep_alive();
    // Keep this connection's buffers (bounded) for its next request: no allocation per request.
    out_.swap(res_->body());
    out_.clear();
    if (out_.capacity() > kKeepCapacity) std::string().swap(out_);
    if (parser_) {
      body_.swap(parser_->get().body());
      body_.clear();
      if (body_.capacity() > kKeepCapacity) std::string().swap(body_);
    }
    res_.reset();
    if (ec) return close();
    if (!keep) return linger_close();
    parser_.reset();
    wait_for_request();
  }

  // After a final response on a connection the client may still be sending (a 413 body, say):
  // half-close and read what arrives for a moment, so the client sees the response rather than
  // a reset.
  void linger_close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(std::chrono::seconds(2));
    discard_ = std::string(4096, '\0');
    discard_input();
  }

  void discard_input() {
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](error_code ec, size_t) {
                              if (ec) return self->close();
                              self->discard_input();
                            });
  }

  void close() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    if (registered_) {
      io_.sessions.erase(this);
      registered_ = false;
    }
  }

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  IoThread& io_;
  bool registered_ = false;
  bool idle_ = false;
  bool keep_alive_ = true;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> res_;
  std::string body_;  // request body capacity kept between requests
  std::string out_;   // response body capacity kept between requests
  std::string continue_msg_;
  std::string discard_;
  const char* allow_ = nullptr;
  bool page_headers_ = false;  // the next response is a page file: CSP and friends
  Clock::time_point started_;
  std::string method_, target_, pipeline_;
  uint64_t records_ = 0, invalid_ = 0;
};

// Answers a connection over --max-connections with 503 + Retry-After, then closes it.
void reject_with_503(tcp::socket socket, const std::string& retry_after) {
  struct Rejection {
    explicit Rejection(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    std::string message;
    char scratch[1024];
  };
  auto r = std::make_shared<Rejection>(std::move(socket));
  std::string body = error_json("too many connections (--max-connections); retry later");
  r->message =
      "HTTP/1.1 503 Service Unavailable\r\nServer: hotpathd\r\nRetry-After: " + retry_after +
      "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  r->stream.expires_after(std::chrono::seconds(2));
  asio::async_write(r->stream, asio::buffer(r->message), [r](error_code ec, size_t) {
    if (ec) return;
    r->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    auto drain = std::make_shared<std::function<void()>>();
    *drain = [r, drain]() {
      r->stream.async_read_some(asio::buffer(r->scratch), [r, drain](error_code e, size_t) {
        if (e) {
          *drain = nullptr;  // break the cycle
          return;
        }
        (*drain)();
      });
    };
    (*drain)();
  });
}

}  // namespace

void HttpServer::Impl::do_accept() {
  IoThread& target = *io[next_io++ % io.size()];
  acceptor->async_accept(
      asio::any_io_executor(target.ctx.get_executor()),
      [this, &target](error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
        if (ec) {
          // Typically EMFILE/ENFILE under a connection flood: back off briefly, keep serving.
          log.log(LogLevel::warn, "accept failed", {{"error", ec.message()}});
          accept_retry->expires_after(std::chrono::milliseconds(50));
          accept_retry->async_wait([this](error_code e) {
            if (!e && !draining.load()) do_accept();
          });
          return;
        }
        if (draining.load()) return;
        if (metrics.open_connections() >= options.max_connections) {
          metrics.record_reject(RejectReason::connections);
          asio::post(target.ctx, [s = std::make_shared<tcp::socket>(std::move(socket)), this] {
            reject_with_503(std::move(*s), retry_after);
          });
        } else {
          auto session = std::make_shared<Session>(std::move(socket), *this, target);
          asio::post(target.ctx, [session] { session->start(); });
        }
        do_accept();
      });
}

void HttpServer::Impl::start_drain(int signal) {
  {
    std::lock_guard lk(drain_mu);
    if (draining.exchange(true)) return;
  }
  drain_cv.notify_all();
  log.log(LogLevel::info, "draining", {{"signal", int64_t(signal)}});
  error_code ec;
  acceptor->close(ec);
  accept_retry->cancel();
  signals->cancel(ec);
  if (drain_callback) drain_callback();
  for (auto& t : io) {
    asio::post(t->ctx, [t = t.get()] {
      // on_drain may close sessions; their handlers run later, so iterating is safe.
      for (Session* s : t->sessions) s->on_drain();
      t->guard.reset();
    });
  }
}

HttpServer::HttpServer(const ServerOptions& options, PipelineRegistry& registry, Metrics& metrics,
                       const Logger& log, const StaticSite* site)
    : impl_(std::make_unique<Impl>(options, registry, metrics, log, site)) {
  impl_->retry_after = std::to_string(options.retry_after_s);
}

HttpServer::~HttpServer() = default;

void HttpServer::on_drain(std::function<void()> callback) {
  impl_->drain_callback = std::move(callback);
}

Result<uint16_t, std::string> HttpServer::listen() {
  const std::string& listen = impl_->options.listen;
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return Failure{"--listen expects HOST:PORT, got " + listen};
  std::string host = listen.substr(0, colon), port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  error_code ec;
  tcp::resolver resolver(impl_->io[0]->ctx);
  auto results =
      resolver.resolve(host, port, tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty())
    return Failure{"cannot resolve --listen " + listen + ": " + ec.message()};
  tcp::endpoint ep = *results.begin();
  auto& acc = *impl_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Failure{"cannot listen on " + listen + ": " + ec.message()};
  return acc.local_endpoint().port();
}

int HttpServer::run() {
  Impl& s = *impl_;
  s.signals->async_wait([&s](error_code ec, int signal) {
    if (!ec) s.start_drain(signal);
  });
  s.do_accept();
  for (auto& t : s.io) {
    t->guard.emplace(t->ctx.get_executor());
    t->thread = std::thread([ctx = &t->ctx, &s] {
      warm_rules(*s.registry.snapshot());  // this thread's isolate, before its first request
      ctx->run();
    });
  }
  // Drain watchdog: if connections are still busy --drain-timeout-ms after the signal, stop.
  bool forced = false;
  std::thread watchdog([&s, &forced] {
    std::unique_lock lk(s.drain_mu);
    s.drain_cv.wait(lk, [&s] { return s.stopped || s.draining.load(); });
    if (!s.drain_cv.wait_for(lk, std::chrono::milliseconds(s.options.drain_timeout_ms),
                             [&s] { return s.stopped; })) {
      forced = true;
      s.log.log(LogLevel::error, "drain timed out; stopping",
                {{"drain_timeout_ms", s.options.drain_timeout_ms}});
      for (auto& t : s.io) t->ctx.stop();
    }
  });
  for (auto& t : s.io) t->thread.join();
  {
    std::lock_guard lk(s.drain_mu);
    s.stopped = true;
  }
  s.drain_cv.notify_all();
  watchdog.join();
  s.pool.stop();
  s.log.log(LogLevel::info, "stopped", {{"forced", forced}});
  return forced ? 1 : 0;
}

}  // namespace hotpath::server
