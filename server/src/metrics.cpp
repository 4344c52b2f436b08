#include "metrics.h"

#include <cstdio>

#include "pipeline_registry.h"
#include "rules_host.h"

namespace hotpath::server {
namespace {

const char* route_name(size_t r) {
  static const char* names[] = {"pipelines", "validate",   "healthz", "readyz",
                                "metrics",   "playground", "other"};
  return names[r];
}

const char* reject_name(size_t r) {
  static const char* names[] = {"connections",      "queue_full",  "body_too_large",
                                "header_too_large", "bad_request", "timeout"};
  return names[r];
}

void append_double(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  out += buf;
}

}  // namespace

void Metrics::record_request(Route route, unsigned status, double seconds) {
  size_t code = kCodes.size() - 1;  // "other"
  for (size_t i = 0; i + 1 < kCodes.size(); ++i) {
    if (kCodes[i] == status) {
      code = i;
      break;
    }
  }
  requests_[static_cast<size_t>(route)][code].fetch_add(1, kRelaxed);
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  Histogram& h = latency_[static_cast<size_t>(route)];
  h.buckets[b].fetch_add(1, kRelaxed);
  h.count.fetch_add(1, kRelaxed);
  h.sum_ns.fetch_add(static_cast<uint64_t>(seconds * 1e9), kRelaxed);
}

std::string Metrics::render(const PipelineRegistry& registry) const {
  std::string out;
  out.reserve(4096);
  out +=
      "# HELP hotpathd_http_requests_total HTTP requests answered, by route and status code.\n"
      "# TYPE hotpathd_http_requests_total counter\n";
  for (size_t r = 0; r < kRoutes; ++r) {
    for (size_t c = 0; c < kCodes.size(); ++c) {
      uint64_t n = requests_[r][c].load(kRelaxed);
      if (n == 0) continue;
      out += "hotpathd_http_requests_total{route=\"";
      out += route_name(r);
      out += "\",code=\"";
      out += kCodes[c] == 0 ? std::string("other") : std::to_string(kCodes[c]);
      out += "\"} " + std::to_string(n) + "\n";
    }
  }
  out +=
      "# HELP hotpathd_http_request_duration_seconds Time from a complete request to its "
      "response being queued for sending.\n"
      "# TYPE hotpathd_http_request_duration_seconds histogram\n";
  for (size_t r = 0; r < kRoutes; ++r) {
    const Histogram& h = latency_[r];
    const std::string route = std::string("route=\"") + route_name(r) + "\"";
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += h.buckets[b].load(kRelaxed);
      out += "hotpathd_http_request_duration_seconds_bucket{" + route + ",le=\"";
      if (b < kBuckets.size()) {
        append_double(out, kBuckets[b]);
      } else {
        out += "+Inf";
      }
      out += "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "hotpathd_http_request_duration_seconds_sum{" + route + "} ";
    append_double(out, static_cast<double>(h.sum_ns.load(kRelaxed)) / 1e9);
    out += "\nhotpathd_http_request_duration_seconds_count{" + route + "} " +
           std::to_string(h.count.load(kRelaxed)) + "\n";
  }
  out +=
      "# HELP hotpathd_rejects_total Requests or connections refused to protect the server.\n"
      "# TYPE hotpathd_rejects_total counter\n";
  for (size_t r = 0; r < rejects_.size(); ++r) {
    out += "hotpathd_rejects_total{reason=\"";
    out += reject_name(r);
    out += "\"} " + std::to_string(rejects_[r].load(kRelaxed)) + "\n";
  }
  out +=
      "# HELP hotpathd_worker_queue_depth Jobs waiting for the worker pool.\n"
      "# TYPE hotpathd_worker_queue_depth gauge\n"
      "hotpathd_worker_queue_depth " +
      std::to_string(queue_depth_.load(kRelaxed)) +
      "\n# HELP hotpathd_worker_jobs_total Requests handed to the worker pool.\n"
      "# TYPE hotpathd_worker_jobs_total counter\n"
      "hotpathd_worker_jobs_total " +
      std::to_string(jobs_.load(kRelaxed)) +
      "\n# HELP hotpathd_worker_queue_capacity The --queue-depth bound.\n"
      "# TYPE hotpathd_worker_queue_capacity gauge\n"
      "hotpathd_worker_queue_capacity " +
      std::to_string(queue_capacity_.load(kRelaxed)) +
      "\n# HELP hotpathd_connections_open Open client connections.\n"
      "# TYPE hotpathd_connections_open gauge\n"
      "hotpathd_connections_open " +
      std::to_string(open_.load(kRelaxed)) +
      "\n# HELP hotpathd_connections_accepted_total Connections accepted.\n"
      "# TYPE hotpathd_connections_accepted_total counter\n"
      "hotpathd_connections_accepted_total " +
      std::to_string(accepted_.load(kRelaxed)) + "\n";
  out +=
      "# HELP hotpathd_grpc_records_total Records received over gRPC, by method and outcome.\n"
      "# TYPE hotpathd_grpc_records_total counter\n";
  for (int m = 0; m < 2; ++m) {
    for (int r = 0; r < 2; ++r) {
      out += std::string("hotpathd_grpc_records_total{method=\"") +
             (m ? "ProcessStream" : "Process") + "\",result=\"" + (r ? "not_found" : "ok") +
             "\"} " + std::to_string(grpc_[m][r].load(kRelaxed)) + "\n";
    }
  }
  registry.render_metrics(out);
  render_rules_metrics(out);
  return out;
}

}  // namespace hotpath::server
