// The server's side of core/rules: one rules::Runtime (one V8 isolate) per thread that runs a
// rule — I/O threads, workers, gRPC threads, and the thread that loads pipelines — created on
// first use and reused for every record; rule log lines into the structured log; the counters
// behind /metrics.
#pragma once

#include <cstdint>
#include <string>

#include "hotpath/rules.h"
#include "logger.h"

namespace hotpath::server {

// Call once, before any thread runs a rule. `log` must outlive every thread.
void configure_rules(uint64_t heap_limit_bytes, const Logger* log);

// The calling thread's runtime.
rules::Runtime& rules_runtime();

struct PipelineSet;

// Prepares the calling thread's runtime for every rule of `set` (its isolate and their
// compiles), so the thread's first records do not pay for them. Called when a thread starts.
void warm_rules(const PipelineSet& set);

// Counts one call's result (ok, rejected, or an error kind) for /metrics, and the isolates this
// thread created meanwhile.
void count_rules_result(const Result<rules::Outcome, rules::Error>& r);

void render_rules_metrics(std::string& out);

}  // namespace hotpath::server
