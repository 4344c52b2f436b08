#include "redis_source.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <map>
#include <vector>

namespace hotpath::server {

namespace {

struct ReplyDeleter {
  void operator()(redisReply* r) const {
    if (r) freeReplyObject(r);
  }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

struct ContextDeleter {
  void operator()(redisContext* c) const {
    if (c) redisFree(c);
  }
};
using Context = std::unique_ptr<redisContext, ContextDeleter>;

Result<Context, std::string> connect(const std::string& host, int port, int db) {
  timeval tv{2, 0};
  Context c(redisConnectWithTimeout(host.c_str(), port, tv));
  if (!c) return Failure{std::string("out of memory")};
  if (c->err) return Failure{std::string(c->errstr)};
  redisSetTimeout(c.get(), tv);  // commands: never block a reload forever
  if (db != 0) {
    Reply r(static_cast<redisReply*>(redisCommand(c.get(), "SELECT %d", db)));
    if (!r || r->type == REDIS_REPLY_ERROR)
      return Failure{"SELECT " + std::to_string(db) + " failed"};
  }
  return c;
}

}  // namespace

struct RedisSource::Connection {
  Context ctx;
};

Result<std::unique_ptr<RedisSource>, std::string> RedisSource::create(const ServerOptions& options,
                                                                      PipelineRegistry& registry,
                                                                      const Logger& log) {
  const std::string& url = options.redis_url;
  constexpr std::string_view kScheme = "redis://";
  if (url.rfind(kScheme, 0) != 0) return Failure{"--redis expects redis://HOST:PORT, got " + url};
  std::string rest = url.substr(kScheme.size());
  std::unique_ptr<RedisSource> s(new RedisSource(registry, log));
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    std::string db = rest.substr(slash + 1);
    rest.resize(slash);
    if (!db.empty()) {
      auto [p, ec] = std::from_chars(db.data(), db.data() + db.size(), s->db_);
      if (ec != std::errc() || p != db.data() + db.size() || s->db_ < 0)
        return Failure{"--redis: bad database number in " + url};
    }
  }
  if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    std::string port = rest.substr(colon + 1);
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), s->port_);
    if (ec != std::errc() || p != port.data() + port.size() || s->port_ <= 0 || s->port_ > 65535)
      return Failure{"--redis: bad port in " + url};
    rest.resize(colon);
  }
  if (rest.empty()) return Failure{"--redis: no host in " + url};
  s->host_ = rest;
  s->prefix_ = options.redis_prefix;
  s->url_ = url;
  if (pipe(s->stop_pipe_) != 0) return Failure{std::string("cannot create a pipe")};
  return s;
}

RedisSource::RedisSource(PipelineRegistry& registry, const Logger& log)
    : registry_(registry), log_(log), commands_(std::make_unique<Connection>()) {}

RedisSource::~RedisSource() {
  stop();
  for (int fd : stop_pipe_) {
    if (fd >= 0) close(fd);
  }
}

void RedisSource::start() {
  thread_ = std::thread([this] { run(); });
}

void RedisSource::request_stop() {
  if (!stopping_.exchange(true)) {
    char b = 1;
    [[maybe_unused]] auto n = write(stop_pipe_[1], &b, 1);
  }
}

void RedisSource::stop() {
  request_stop();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool RedisSource::wait_or_stop(int fd, int timeout_ms) {
  pollfd fds[2] = {{stop_pipe_[0], POLLIN, 0}, {fd, POLLIN, 0}};
  int n = poll(fds, fd >= 0 ? 2 : 1, timeout_ms);
  if (n <= 0 || stopping_.load()) return false;
  return fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR));
}

void RedisSource::run() {
  int backoff_ms = 100;
  const std::string channel = prefix_ + ":changes";
  while (!stopping_.load()) {
    auto sub = connect(host_, port_, db_);
    if (sub.ok()) {
      // Subscribe first, then load: a change published in between is not missed.
      Reply r(static_cast<redisReply*>(redisCommand(sub->get(), "SUBSCRIBE %s", channel.c_str())));
      if (r && r->type == REDIS_REPLY_ARRAY && reload()) {
        backoff_ms = 100;
        log_.log(LogLevel::info, "redis connected", {{"url", url_}, {"channel", channel}});
        redisContext* c = sub->get();
        bool alive = true;
        while (alive && !stopping_.load()) {
          if (!wait_or_stop(c->fd, 1000)) continue;
          if (redisBufferRead(c) != REDIS_OK) {
            alive = false;
            break;
          }
          void* raw = nullptr;
          bool changed = false;
          while (redisGetReplyFromReader(c, &raw) == REDIS_OK && raw) {
            Reply msg(static_cast<redisReply*>(raw));
            raw = nullptr;
            if (msg->type == REDIS_REPLY_ARRAY && msg->elements >= 3) changed = true;
          }
          if (changed && !reload()) alive = false;
        }
        if (stopping_.load()) return;
        log_.log(LogLevel::warn, "redis connection lost; serving the current pipelines",
                 {{"url", url_}});
      }
    } else {
      log_.log(LogLevel::warn, "redis unavailable; retrying",
               {{"url", url_}, {"error", sub.error()}, {"retry_ms", int64_t(backoff_ms)}});
    }
    commands_->ctx.reset();
    wait_or_stop(-1, backoff_ms);
    backoff_ms = std::min(backoff_ms * 2, 5000);
  }
}

bool RedisSource::reload() {
  if (!commands_->ctx || commands_->ctx->err) {
    auto c = connect(host_, port_, db_);
    if (!c.ok()) return false;
    commands_->ctx = std::move(*c);
  }
  redisContext* c = commands_->ctx.get();
  auto command = [c](const char* fmt, const std::string& arg) {
    return Reply(static_cast<redisReply*>(redisCommand(c, fmt, arg.c_str())));
  };
  const std::string set_key = prefix_ + ":pipelines";
  Reply exists = command("EXISTS %s", set_key);
  if (!exists || exists->type != REDIS_REPLY_INTEGER) return false;
  auto current = registry_.snapshot();
  if (exists->integer == 0) {
    if (!registry_.ready()) registry_.publish(std::make_shared<const PipelineSet>());
    log_.log(LogLevel::warn, "no pipelines in redis; keeping the current ones",
             {{"key", set_key}, {"pipelines", uint64_t(current->pipelines.size())}});
    return true;
  }
  Reply names = command("SMEMBERS %s", set_key);
  if (!names || names->type != REDIS_REPLY_ARRAY) return false;

  auto next = std::make_shared<PipelineSet>();
  next->source = "redis " + url_;
  uint64_t failed = 0;
  for (size_t i = 0; i < names->elements; ++i) {
    std::string name(names->element[i]->str, names->element[i]->len);
    Reply files = command("HGETALL %s", prefix_ + ":pipeline:" + name);
    if (!files || files->type != REDIS_REPLY_ARRAY) return false;
    std::map<std::string, std::string> by_field;
    for (size_t f = 0; f + 1 < files->elements; f += 2) {
      by_field.emplace(std::string(files->element[f]->str, files->element[f]->len),
                       std::string(files->element[f + 1]->str, files->element[f + 1]->len));
    }
    auto reader =
        [&by_field, &name](
            const std::string& ref) -> Result<std::pair<std::string, std::string>, std::string> {
      auto it = by_field.find(ref);
      if (it == by_field.end()) return Failure{"no field \"" + ref + "\" in its hash"};
      return std::pair{it->second, "redis://pipelines/" + name + "/" + ref};
    };
    auto def = by_field.find("pipeline.json");
    auto compiled = def == by_field.end()
                        ? Result<std::shared_ptr<const Pipeline>, std::string>(
                              Failure{"pipeline \"" + name + "\": no \"pipeline.json\" field"})
                        : registry_.compile(name, def->second, reader);
    if (compiled.ok()) {
      next->pipelines.emplace(name, std::move(*compiled));
      continue;
    }
    ++failed;
    log_.log(LogLevel::error, "pipeline update rejected; keeping the previous version",
             {{"pipeline", name}, {"error", compiled.error()}});
    auto it = current->pipelines.find(name);
    if (it != current->pipelines.end()) next->pipelines.emplace(name, it->second);
  }
  registry_.record_reload_errors(failed);
  std::string loaded;
  for (const auto& [name, p] : next->pipelines) loaded += (loaded.empty() ? "" : ",") + name;
  registry_.publish(std::move(next));
  log_.log(LogLevel::info, "pipelines loaded",
           {{"source", url_}, {"pipelines", loaded}, {"rejected", failed}});
  return true;
}

}  // namespace hotpath::server
