// GrpcServer: hotpath.v1.Engine (proto/hotpath/v1/engine.proto) on gRPC's asynchronous
// completion-queue API: one completion queue and thread per --threads, records processed on
// that thread with its RecordProcessor. The only translation unit that includes gRPC.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "hotpath/result.h"
#include "logger.h"
#include "metrics.h"
#include "pipeline_registry.h"
#include "server_options.h"

namespace hotpath::server {

class GrpcServer {
 public:
  GrpcServer(const ServerOptions& options, PipelineRegistry& registry, Metrics& metrics,
             const Logger& log);
  ~GrpcServer();
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  // Binds --grpc-listen and starts the completion-queue threads. Returns the bound port.
  Result<uint16_t, std::string> start();
  // Stops accepting calls; calls in flight finish (up to --drain-timeout-ms). Non-blocking.
  void begin_shutdown();
  // Waits until the shutdown has completed.
  void wait();

  struct Impl;  // defined in grpc_server.cpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotpath::server
