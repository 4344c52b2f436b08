// JS rules in embedded V8 (core/rules): the costs issue 7 asks about, in one run.
//   - a fresh isolate per call (isolate + context + lockdown + compile + call) vs a reused one;
//   - the per-call overhead of a trivial rule on a reused isolate (JSON in, call, verdict out);
//   - the payment-scoring rule (examples/pipelines/payments/scoring.js: check + transform) vs
//     the same logic as native C++ (below), bytes to bytes, the outputs compared byte for byte;
//   - simple payments (simple-payment.js) per second on every core, one runtime per thread.
// CPU time per record, medians of repeated batches. Prints one JSON object; bench/rules/run.mjs
// runs it beside the same rule in Node and writes bench/results/rules.md.
//
//   hotpath_bench_rules RULE_DIR SCORING.js PAYMENTS.ndjson [--quick]
#include <time.h>

#include <algorithm>
#include <barrier>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "hotpath/json.h"
#include "hotpath/rules.h"

using namespace hotpath;

namespace {

double thread_cpu_ns() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}
double wall_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty()      ? 0
         : v.size() % 2 ? v[v.size() / 2]
                        : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "rules_bench: %s\n", what.c_str());
  std::exit(1);
}

std::shared_ptr<const rules::Rule> load(rules::Runtime& rt, const std::string& path) {
  const std::string file = path.substr(path.find_last_of('/') + 1);
  auto r = rules::Rule::load(file, read_file(path), rt, {.timeout_ms = 1000});
  if (!r.ok()) fail(r.error().to_string());
  return *r;
}

// ---- payment scoring as a native step: the same logic as scoring.js -------------------------
double js_round2(double x) { return std::floor(x * 100 + 0.5) / 100; }  // Math.round(x*100)/100

void write_number(double d, std::string& out) {  // shortest round trip, as JS prints these
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, end);
}

std::string_view str(const json::Value& o, std::string_view key) {
  const json::Value* v = o.find(key);
  return v && v->is_string() ? v->as_string() : std::string_view();
}
double num(const json::Value& o, std::string_view key) {
  const json::Value* v = o.find(key);
  return v && v->is_number() ? v->as_double() : std::nan("");
}

bool native_scoring(json::Document& doc, std::string_view record, std::string& out) {
  auto parsed = doc.parse(record);
  if (!parsed.ok()) return false;
  const json::Value& p = **parsed;
  std::string_view ccy = str(p, "currency");
  double rate = ccy == "EUR"   ? 1
                : ccy == "USD" ? 0.92
                : ccy == "GBP" ? 1.17
                : ccy == "JPY" ? 0.0061
                : ccy == "CHF" ? 1.04
                               : -1;
  // check(): the generated payments all pass; a rejection here would mean the data changed.
  const bool card = str(p, "method") == "card";
  if (!(num(p, "amount") > 0) || rate < 0 || (card && str(p, "card_country").empty())) return false;
  const double eur = js_round2(num(p, "amount") * rate);
  const double fee = js_round2(0.25 + eur * (card ? 0.029 : 0.008));
  std::string_view country = str(p, "country");
  const char* flags[4];
  int n = 0;
  if (eur >= 10000) flags[n++] = "large";
  if (country == "KP" || country == "IR" || country == "SY" || country == "CU")
    flags[n++] = "high-risk-country";
  if (card && str(p, "card_country") != country) flags[n++] = "cross-border";
  if (num(p, "attempts") > 3) flags[n++] = "velocity";
  const double score = std::min(100.0, n * 25.0 + (eur > 5000 ? 10 : 0));
  out += "{\"id\":";
  json::write(*p.find("id"), out);
  out += ",\"merchant\":";
  json::write_string(str(p, "merchant"), out);
  out += ",\"eur\":";
  write_number(eur, out);
  out += ",\"fee\":";
  write_number(fee, out);
  out += ",\"net\":";
  write_number(js_round2(eur - fee), out);
  out += ",\"score\":";
  write_number(score, out);
  out += ",\"flags\":[";
  for (int i = 0; i < n; ++i) {
    if (i) out += ',';
    out += '"';
    out += flags[i];
    out += '"';
  }
  out += "],\"review\":";
  out += score >= 50 ? "true" : "false";
  out += '}';
  return true;
}

// Median CPU ns per record of `reps` passes over all records.
template <typename F>
double per_record(const std::vector<std::string_view>& records, int reps, F&& f) {
  std::vector<double> samples;
  for (int r = 0; r < reps; ++r) {
    double t0 = thread_cpu_ns();
    for (std::string_view rec : records) f(rec);
    samples.push_back((thread_cpu_ns() - t0) / double(records.size()));
  }
  return median(samples);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: hotpath_bench_rules RULE_DIR SCORING.js PAYMENTS.ndjson [--quick]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::string scoring_file = argv[2];
  const std::string payments_text = read_file(argv[3]);
  const bool quick = argc > 4 && std::string(argv[4]) == "--quick";
  const int reps = quick ? 2 : 7;
  std::vector<std::string_view> payments;
  for (size_t at = 0; at < payments_text.size();) {
    size_t nl = payments_text.find('\n', at);
    if (nl == std::string::npos) nl = payments_text.size();
    if (nl > at) payments.emplace_back(payments_text.data() + at, nl - at);
    at = nl + 1;
  }
  const rules::Limits limits{.timeout_ms = 1000};
  std::string out;

  // 1. A fresh isolate per call.
  std::vector<double> fresh;
  for (int i = 0; i < (quick ? 3 : 30); ++i) {
    double t0 = thread_cpu_ns();
    {
      rules::Runtime rt;
      auto rule = load(rt, dir + "/trivial.js");
      out.clear();
      if (!rt.run(*rule, payments[0], "bench", limits, out).ok()) fail("fresh call failed");
    }
    fresh.push_back(thread_cpu_ns() - t0);
  }

  rules::Runtime rt;
  auto trivial = load(rt, dir + "/trivial.js");
  auto scoring = load(rt, scoring_file);
  auto simple = load(rt, dir + "/simple-payment.js");
  const std::string tiny = R"({"id":1})";
  std::vector<std::string_view> tiny_records(20000, tiny);

  // 2. Per-call overhead on the reused isolate.
  auto run = [&](const rules::Rule& rule, std::string_view rec) {
    out.clear();
    auto r = rt.run(rule, rec, "bench", limits, out);
    if (!r.ok()) fail(r.error().to_string());
  };
  const double trivial_ns =
      per_record(tiny_records, reps, [&](std::string_view r) { run(*trivial, r); });
  const double trivial_payment_ns =
      per_record(payments, reps, [&](std::string_view r) { run(*trivial, r); });

  // 3. Payment scoring: JS vs native, outputs compared first.
  json::Document doc;
  std::string native_out;
  size_t identical = 0;
  for (std::string_view rec : payments) {
    out.clear();
    native_out.clear();
    auto r = rt.run(*scoring, rec, "bench", limits, out);
    if (!r.ok()) fail(r.error().to_string());
    if (!r->valid) fail("scoring.js rejected a generated payment: " + std::string(rec));
    if (!native_scoring(doc, rec, native_out)) fail("native scoring failed");
    identical += out == native_out;
  }
  const double scoring_js_ns =
      per_record(payments, reps, [&](std::string_view r) { run(*scoring, r); });
  const double scoring_native_ns = per_record(payments, reps, [&](std::string_view r) {
    native_out.clear();
    native_scoring(doc, r, native_out);
  });
  const double simple_ns = per_record(payments, reps, [&](std::string_view r) { run(*simple, r); });

  // 4. Simple payments on every core: one runtime (isolate) per thread, as in hotpathd. Each
  // thread warms up (isolate, compile, JIT) first; then `reps` rounds, each timed by wall clock
  // from a common start to the last thread's finish; the median round is reported.
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const int passes = quick ? 1 : 5;
  std::barrier sync(static_cast<std::ptrdiff_t>(threads) + 1);
  std::vector<std::thread> pool;
  std::vector<uint64_t> rejected(threads);
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      rules::Runtime mine;
      std::string o;
      uint64_t bad = 0;
      auto pass = [&] {
        for (std::string_view rec : payments) {
          o.clear();
          auto r = mine.run(*simple, rec, "bench", limits, o);
          bad += !r.ok() || !r->valid;
        }
      };
      pass();  // warm-up
      for (int round = 0; round < reps; ++round) {
        sync.arrive_and_wait();  // start together
        for (int p = 0; p < passes; ++p) pass();
        sync.arrive_and_wait();  // done
      }
      rejected[t] = bad;
    });
  }
  std::vector<double> rates;
  for (int round = 0; round < reps; ++round) {
    sync.arrive_and_wait();
    const double w0 = wall_ns();
    sync.arrive_and_wait();
    const double records = double(threads) * passes * double(payments.size());
    rates.push_back(records / ((wall_ns() - w0) / 1e9));
  }
  for (auto& th : pool) th.join();

  std::printf(
      "{\"records\":%zu,\"fresh_isolate_call_ns\":%.0f,\"trivial_call_ns\":%.1f,"
      "\"trivial_call_payment_ns\":%.1f,\"scoring_js_ns\":%.1f,\"scoring_native_ns\":%.1f,"
      "\"scoring_identical\":%zu,\"simple_js_ns\":%.1f,\"threads\":%u,"
      "\"simple_records_per_s\":%.0f,\"simple_rejected\":%llu,\"isolates_created\":%llu}\n",
      payments.size(), median(fresh), trivial_ns, trivial_payment_ns, scoring_js_ns,
      scoring_native_ns, identical, simple_ns, threads, median(rates),
      static_cast<unsigned long long>(rejected[0]),
      static_cast<unsigned long long>(rt.stats().isolates_created));
  return 0;
}
