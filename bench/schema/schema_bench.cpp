// hotpath_bench_schema: Google Benchmark micro-benchmarks of the JSON Schema compiler and
// evaluator. Scenario for scenario the same inputs as bench/schema/ajv.mjs; the benchmark names
// are the join key bench/report.mjs uses to put the two side by side.
//
//   hotpath_bench_schema [--data_dir=DIR] [--suite_dir=DIR] [--serve] [--benchmark_* flags]
//
// --data_dir holds the generated inputs (bench/data/generate.mjs; the build writes them to
// <build>/bench/data), --suite_dir the JSON Schema Test Suite checkout.
//
// --serve: the batch server bench/schema/paired.mjs drives. It prints one JSON line naming the
// scenarios, then reads scenario names from stdin, one per line, and for each runs that one
// benchmark once (the --benchmark_* flags apply) and prints its result as one JSON line. A
// long-lived process lets the driver alternate hotpath and ajv batches a fraction of a second
// apart on the same CPU, so both sides see the same machine speed.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hotpath/json.h"
#include "hotpath/schema.h"

namespace {

namespace json = hotpath::json;
namespace schema = hotpath::schema;

struct Paths {
  std::string source_data = HOTPATH_BENCH_SOURCE_DATA;  // checked-in schemas (bench/data)
  std::string data = HOTPATH_BENCH_DEFAULT_DATA;        // generated instances
  std::string suite = HOTPATH_BENCH_DEFAULT_SUITE;      // JSON Schema Test Suite root
  bool serve = false;                                   // --serve: batch server mode
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "hotpath_bench_schema: %s\n", message.c_str());
  std::exit(2);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot read " + path + " (generate inputs with: node bench/data/generate.mjs DIR)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Inputs live for the whole process: registered benchmarks capture pointers into them.
struct Inputs {
  std::string order_schema;   // bench/data/order.schema.json
  std::string orders_schema;  // bench/data/orders.schema.json ($ref to the order schema)
  std::string order;          // one valid ~700 B order
  std::string order_invalid;  // the same order with five violations
  std::string orders;         // >= 2 MiB JSON array of valid orders
};

schema::CompileOptions options(bool formats) {
  schema::CompileOptions o;
  o.assert_formats = formats;
  return o;
}

// A compile failure is not fatal for the run: the scenario reports the error instead of a time.
struct Compiled {
  std::unique_ptr<schema::Validator> validator;
  std::string error;
};

Compiled compile(schema::Compiler& compiler, std::string_view text) {
  auto r = compiler.compile(text);
  if (!r.ok()) return {nullptr, r.error().to_string()};
  return {std::make_unique<schema::Validator>(std::move(r.value())), {}};
}

// Parses `text` into a Document kept alive for the whole run.
const json::Value* parse_kept(std::string_view text, const std::string& what) {
  static std::vector<std::unique_ptr<json::Document>> kept;
  kept.push_back(std::make_unique<json::Document>());
  auto r = kept.back()->parse(text);
  if (!r.ok()) die(what + ": " + r.error().to_string());
  return r.value();
}

// Records whether the engine gave the expected answer; the report flags disagreements.
void set_outcome(benchmark::State& state, bool outcome, bool expected) {
  state.counters["outcome"] = outcome ? 1 : 0;
  state.counters["agrees"] = outcome == expected ? 1 : 0;
  if (outcome != expected) state.SetLabel("RESULT MISMATCH");
}

void set_bytes(benchmark::State& state, size_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(bytes));
  state.counters["bytes_per_op"] = static_cast<double>(bytes);
}

void parse_only(benchmark::State& state, const std::string& bytes) {
  json::Document doc;
  bool outcome = true;
  for (auto _ : state) {
    auto parsed = doc.parse(bytes);
    outcome = outcome && parsed.ok();
    benchmark::DoNotOptimize(parsed);
  }
  set_outcome(state, outcome, true);
  set_bytes(state, bytes.size());
}

// Every registered scenario, in registration order (--serve lists them).
std::vector<std::string>& scenario_names() {
  static std::vector<std::string> names;
  return names;
}

template <typename Fn>
void add(const std::string& name, Fn fn) {
  benchmark::RegisterBenchmark(name.c_str(), fn)->Unit(benchmark::kNanosecond);
  scenario_names().push_back(name);
}

void register_order_benchmarks(const Inputs& in) {
  // Compile on a reused Compiler (the counterpart of ajv.compile on a reused Ajv instance).
  add("compile/order", [&in](benchmark::State& state) {
    schema::Compiler compiler(options(true));
    bool ok = true;
    for (auto _ : state) {
      auto r = compiler.compile(in.order_schema);
      ok = ok && r.ok();
      if (!r.ok()) {
        state.SkipWithError(("compile failed: " + r.error().to_string()).c_str());
        break;
      }
      benchmark::DoNotOptimize(r);
    }
    set_outcome(state, ok, true);
  });

  // Cold compile: a new Compiler (built-in metaschemas, caches) plus the compile.
  add("compile/order/new_instance", [&in](benchmark::State& state) {
    bool ok = true;
    for (auto _ : state) {
      schema::Compiler compiler(options(true));
      auto r = compiler.compile(in.order_schema);
      ok = ok && r.ok();
      if (!r.ok()) {
        state.SkipWithError(("compile failed: " + r.error().to_string()).c_str());
        break;
      }
      benchmark::DoNotOptimize(r);
    }
    set_outcome(state, ok, true);
  });

  // Parse only, to split parse_validate into its two costs.
  add("parse/order", [&in](benchmark::State& state) { parse_only(state, in.order); });

  for (bool formats : {false, true}) {
    const std::string tag = formats ? "formats_on" : "formats_off";

    // Evaluation of an already-parsed order (flag output): ajv on a JS object.
    add("validate/order/" + tag, [&in, formats](benchmark::State& state) {
      schema::Compiler compiler(options(formats));
      Compiled c = compile(compiler, in.order_schema);
      if (!c.validator) return state.SkipWithError(c.error.c_str());
      json::Document doc;
      auto parsed = doc.parse(in.order);
      if (!parsed.ok()) return state.SkipWithError(parsed.error().to_string().c_str());
      const json::Value& root = *parsed.value();
      bool outcome = c.validator->validate(root);
      for (auto _ : state) {
        bool valid = c.validator->validate(root);
        benchmark::DoNotOptimize(valid);
      }
      set_outcome(state, outcome, true);
      set_bytes(state, in.order.size());
    });

    // Bytes in: parse into a reused Document, then validate (JSON.parse(buffer) + ajv).
    add("parse_validate/order/" + tag, [&in, formats](benchmark::State& state) {
      schema::Compiler compiler(options(formats));
      Compiled c = compile(compiler, in.order_schema);
      if (!c.validator) return state.SkipWithError(c.error.c_str());
      json::Document doc;
      bool outcome = true;
      for (auto _ : state) {
        auto parsed = doc.parse(in.order);
        bool valid = parsed.ok() && c.validator->validate(*parsed.value());
        outcome = outcome && valid;
        benchmark::DoNotOptimize(valid);
      }
      set_outcome(state, outcome, true);
      set_bytes(state, in.order.size());
    });
  }

  // Full evaluation with "basic" output of an invalid order (ajv: allErrors + errors array).
  add("evaluate_basic/order_invalid", [&in](benchmark::State& state) {
    schema::Compiler compiler(options(true));
    Compiled c = compile(compiler, in.order_schema);
    if (!c.validator) return state.SkipWithError(c.error.c_str());
    json::Document doc;
    auto parsed = doc.parse(in.order_invalid);
    if (!parsed.ok()) return state.SkipWithError(parsed.error().to_string().c_str());
    const json::Value& root = *parsed.value();
    schema::Output first = c.validator->evaluate(root, schema::OutputFormat::basic);
    for (auto _ : state) {
      schema::Output out = c.validator->evaluate(root, schema::OutputFormat::basic);
      benchmark::DoNotOptimize(out);
    }
    set_outcome(state, first.valid || first.errors.empty(), false);
    state.counters["errors"] = static_cast<double>(first.errors.size());
    set_bytes(state, in.order_invalid.size());
  });

  // The 2 MiB array: the order schema registered by URI, the array schema $refs it.
  auto orders_validator = [&in](Compiled& c) {
    static schema::Compiler compiler(options(true));
    static bool added = false;
    if (!added) {
      auto r = compiler.add_schema(in.order_schema);
      if (!r.ok()) {
        c.error = "add_schema failed: " + r.error().to_string();
        return;
      }
      added = true;
    }
    c = compile(compiler, in.orders_schema);
  };
  add("validate/orders_2mb", [&in, orders_validator](benchmark::State& state) {
    Compiled c;
    orders_validator(c);
    if (!c.validator) return state.SkipWithError(c.error.c_str());
    json::Document doc;
    auto parsed = doc.parse(in.orders);
    if (!parsed.ok()) return state.SkipWithError(parsed.error().to_string().c_str());
    const json::Value& root = *parsed.value();
    bool outcome = c.validator->validate(root);
    for (auto _ : state) {
      bool valid = c.validator->validate(root);
      benchmark::DoNotOptimize(valid);
    }
    set_outcome(state, outcome, true);
    set_bytes(state, in.orders.size());
  });
  add("parse/orders_2mb", [&in](benchmark::State& state) { parse_only(state, in.orders); });
  add("parse_validate/orders_2mb", [&in, orders_validator](benchmark::State& state) {
    Compiled c;
    orders_validator(c);
    if (!c.validator) return state.SkipWithError(c.error.c_str());
    json::Document doc;
    bool outcome = true;
    for (auto _ : state) {
      auto parsed = doc.parse(in.orders);
      bool valid = parsed.ok() && c.validator->validate(*parsed.value());
      outcome = outcome && valid;
      benchmark::DoNotOptimize(valid);
    }
    set_outcome(state, outcome, true);
    set_bytes(state, in.orders.size());
  });
}

// One benchmark per group listed in bench/schema/suite-cases.json: one op validates every
// instance of the group once (instances already parsed), like the ajv side.
struct SuiteCase {
  std::string name;
  std::string schema_text;
  std::vector<const json::Value*> instances;
  std::vector<bool> expected;
};

std::vector<SuiteCase> load_suite_cases(const Paths& paths) {
  const std::string manifest_path =
      std::string(HOTPATH_BENCH_SOURCE_DIR) + "/schema/suite-cases.json";
  const json::Value* manifest = parse_kept(read_file(manifest_path), manifest_path);
  const json::Value* draft = manifest->find("draft");
  const json::Value* cases = manifest->find("cases");
  if (!draft || !cases || !cases->is_array()) die(manifest_path + ": expected {draft, cases}");
  std::vector<SuiteCase> out;
  for (const json::Value* c = cases->begin_items(); c != cases->end_items(); ++c) {
    const std::string file = std::string(c->find("file")->as_string());
    const std::string group = std::string(c->find("group")->as_string());
    const std::string path = paths.suite + "/tests/" + std::string(draft->as_string()) + "/" + file;
    const json::Value* groups = parse_kept(read_file(path), path);
    const json::Value* found = nullptr;
    for (const json::Value* g = groups->begin_items(); g != groups->end_items(); ++g) {
      const json::Value* d = g->find("description");
      if (d && d->as_string() == group) found = g;
    }
    if (!found) die("suite-cases.json: no group \"" + group + "\" in " + file);
    SuiteCase sc;
    sc.name = std::string(c->find("name")->as_string());
    sc.schema_text = json::to_string(*found->find("schema"));
    const json::Value* tests = found->find("tests");
    for (const json::Value* t = tests->begin_items(); t != tests->end_items(); ++t) {
      sc.instances.push_back(t->find("data"));
      sc.expected.push_back(t->find("valid")->as_bool());
    }
    out.push_back(std::move(sc));
  }
  return out;
}

void register_suite_benchmarks(const std::vector<SuiteCase>& cases) {
  for (const SuiteCase& sc : cases) {
    add(sc.name, [&sc](benchmark::State& state) {
      schema::Compiler compiler(options(false));
      Compiled c = compile(compiler, sc.schema_text);
      if (!c.validator) return state.SkipWithError(c.error.c_str());
      auto run_group = [&] {
        bool agree = true;
        for (size_t i = 0; i < sc.instances.size(); ++i)
          agree = (c.validator->validate(*sc.instances[i]) == sc.expected[i]) && agree;
        return agree;
      };
      bool outcome = run_group();
      for (auto _ : state) {
        bool agree = run_group();
        benchmark::DoNotOptimize(agree);
      }
      set_outcome(state, outcome, true);
      state.counters["instances"] = static_cast<double>(sc.instances.size());
    });
  }
}

// --serve: collects the runs of one RunSpecifiedBenchmarks call instead of printing them.
class Collector : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs)
      if (r.run_type == Run::RT_Iteration) runs_.push_back(r);
  }
  std::vector<Run> take() { return std::exchange(runs_, {}); }

 private:
  std::vector<Run> runs_;
};

std::string quoted(std::string_view s) {
  std::string out;
  json::write_string(s, out);
  return out;
}

// A JSON number; NaN and infinities (not JSON) as null.
std::string number(double x) {
  if (!std::isfinite(x)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

// A scenario name as a Google Benchmark filter that matches it and nothing else.
std::string exact_filter(std::string_view name) {
  std::string out = "^";
  for (char ch : name) {
    if (std::strchr("\\^$.|?*+()[]{}", ch) != nullptr) out += '\\';
    out += ch;
  }
  return out + "$";
}

// The --serve loop (see the top of the file).
int serve() {
  std::string line = "{\"hotpath_compiler\":" + quoted(__VERSION__) +
                     ",\"hotpath_build_type\":" + quoted(HOTPATH_BENCH_BUILD_TYPE) +
                     ",\"scenarios\":[";
  for (size_t i = 0; i < scenario_names().size(); ++i)
    line += (i ? "," : "") + quoted(scenario_names()[i]);
  std::cout << line << "]}" << std::endl;
  Collector collector;
  std::string name;
  while (std::getline(std::cin, name)) {
    if (name.empty()) break;
    benchmark::RunSpecifiedBenchmarks(&collector, exact_filter(name));
    const std::vector<benchmark::BenchmarkReporter::Run> runs = collector.take();
    // The reply names the benchmark that ran, so the driver can check it is the one it asked for.
    std::string out;
    if (runs.size() != 1) {
      out = "{\"name\":" + quoted(name) + ",\"error\":" +
            quoted(runs.empty() ? "no such scenario"
                                : std::to_string(runs.size()) + " benchmarks matched");
    } else if (const benchmark::BenchmarkReporter::Run& r = runs.front(); r.error_occurred) {
      out = "{\"name\":" + quoted(r.benchmark_name()) + ",\"error\":" + quoted(r.error_message);
    } else {
      out = "{\"name\":" + quoted(r.benchmark_name());
      out += ",\"cpu_ns\":" + number(r.GetAdjustedCPUTime() *
                                     benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
                                     benchmark::GetTimeUnitMultiplier(r.time_unit));
      out += ",\"iterations\":" + std::to_string(r.iterations);
      for (const auto& [key, counter] : r.counters)
        out += "," + quoted(key) + ":" + number(counter.value);
      if (!r.report_label.empty()) out += ",\"label\":" + quoted(r.report_label);
    }
    std::cout << out << "}" << std::endl;
  }
  return 0;
}

// Takes our own --data_dir / --suite_dir / --serve flags out of argv before Google Benchmark
// sees it.
Paths take_paths(int& argc, char** argv) {
  Paths p;
  if (const char* env = std::getenv("HOTPATH_BENCH_DATA")) p.data = env;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.rfind("--data_dir=", 0) == 0) {
      p.data = std::string(a.substr(11));
    } else if (a.rfind("--suite_dir=", 0) == 0) {
      p.suite = std::string(a.substr(12));
    } else if (a == "--serve") {
      p.serve = true;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  const Paths paths = take_paths(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  static Inputs in;
  in.order_schema = read_file(paths.source_data + "/order.schema.json");
  in.orders_schema = read_file(paths.source_data + "/orders.schema.json");
  in.order = read_file(paths.data + "/order.json");
  in.order_invalid = read_file(paths.data + "/order-invalid.json");
  in.orders = read_file(paths.data + "/orders-2mb.json");
  static const std::vector<SuiteCase> suite = load_suite_cases(paths);

  benchmark::AddCustomContext("hotpath_compiler", __VERSION__);
  benchmark::AddCustomContext("hotpath_build_type", HOTPATH_BENCH_BUILD_TYPE);
  benchmark::AddCustomContext("hotpath_data_dir", paths.data);

  register_order_benchmarks(in);
  register_suite_benchmarks(suite);
  if (paths.serve) {
    const int status = serve();
    benchmark::Shutdown();
    return status;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
