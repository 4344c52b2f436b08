// hotpath-jsonata-conformance: runs the official JSONata test suite (jsonata-js's
// test/test-suite) against core/jsonata and counts passes per group.
//
//   hotpath-jsonata-conformance SUITE_DIR [--group NAME] [--verbose] [--baseline FILE]
//
// Prints `GROUP: N passed, N failed, N skipped` per group and a final
// `jsonata: N passed, N failed, N skipped`. Exits 0, unless --baseline FILE is given and the
// passed count is below the number in FILE (the ctest ratchet).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hotpath/json.h"
#include "hotpath/jsonata.h"

namespace {

namespace fs = std::filesystem;
namespace json = hotpath::json;
namespace jsonata = hotpath::jsonata;

// Cases that are not run, each with its reason. The goal is an empty table.
struct Skip {
  std::string_view group;
  std::string_view file;  // case file name (for array files: "name.json#index")
  std::string_view reason;
};
constexpr Skip kSkips[] = {
    // (none)
    {"", "", ""},
};

std::string_view skip_reason(std::string_view group, std::string_view file) {
  for (const auto& s : kSkips)
    if (!s.group.empty() && s.group == group && s.file == file) return s.reason;
  return {};
}

bool read_file(const fs::path& p, std::string& out) {
  FILE* f = std::fopen(p.c_str(), "rb");
  if (!f) return false;
  char buf[65536];
  size_t n;
  out.clear();
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return true;
}

// Values compare as jsonata-js results do after JSON parsing: numbers by double value.
bool same(const json::Value& a, const json::Value& b, bool unordered) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::Type::null:
      return true;
    case json::Type::boolean:
      return a.as_bool() == b.as_bool();
    case json::Type::number: {
      // Both sides are JSON texts of JavaScript numbers: equal doubles print alike.
      return a.as_double() == b.as_double();
    }
    case json::Type::string:
      return a.as_string() == b.as_string();
    case json::Type::array: {
      if (a.size() != b.size()) return false;
      if (!unordered) {
        for (uint32_t i = 0; i < a.size(); ++i)
          if (!same(a[i], b[i], false)) return false;
        return true;
      }
      std::vector<bool> used(b.size(), false);
      for (uint32_t i = 0; i < a.size(); ++i) {
        bool found = false;
        for (uint32_t k = 0; k < b.size(); ++k)
          if (!used[k] && same(a[i], b[k], false)) {
            used[k] = found = true;
            break;
          }
        if (!found) return false;
      }
      return true;
    }
    case json::Type::object: {
      if (a.size() != b.size()) return false;
      for (const json::Member* m = a.begin_members(); m != a.end_members(); ++m) {
        const json::Value* o = b.find(m->key);
        if (!o || !same(m->value, *o, false)) return false;
      }
      return true;
    }
  }
  return false;
}

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
};

struct Runner {
  fs::path suite;
  bool verbose = false;
  bool show_errors = false;  // --errors: print "case: code position token" for error cases
  std::string current;
  std::map<std::string, json::Document> datasets;

  const json::Value* dataset(const std::string& name) {
    auto it = datasets.find(name);
    if (it == datasets.end()) {
      std::string bytes;
      if (!read_file(suite / "datasets" / (name + ".json"), bytes)) return nullptr;
      json::Document d;
      if (!d.parse(bytes)) return nullptr;
      it = datasets.emplace(name, std::move(d)).first;
    }
    return &it->second.root();
  }

  // Returns 1 pass, 0 fail.
  bool run_case(const fs::path& dir, const json::Value& c, std::string& why) {
    std::string expr;
    if (const json::Value* e = c.find("expr"); e && e->is_string()) {
      expr = std::string(e->as_string());
    } else if (const json::Value* ef = c.find("expr-file"); ef && ef->is_string()) {
      if (!read_file(dir / std::string(ef->as_string()), expr)) {
        why = "cannot read expr-file";
        return false;
      }
    } else {
      why = "no expr";
      return false;
    }
    const json::Value* input = nullptr;
    if (const json::Value* d = c.find("data")) {
      input = d;
    } else if (const json::Value* ds = c.find("dataset"); ds && ds->is_string()) {
      input = dataset(std::string(ds->as_string()));
      if (!input) {
        why = "missing dataset";
        return false;
      }
    }
    jsonata::Bindings bindings;
    if (const json::Value* b = c.find("bindings"); b && b->is_object()) bindings.set_all(*b);
    jsonata::Limits limits;
    limits.timeout_ms = 10000;  // safety net for the runner itself
    if (const json::Value* t = c.find("timelimit"); t && t->is_number())
      limits.timeout_ms = uint32_t(t->as_double());
    if (const json::Value* d = c.find("depth"); d && d->is_number())
      limits.max_depth = uint32_t(d->as_double());

    std::string want_code;
    if (const json::Value* code = c.find("code"); code && code->is_string())
      want_code = std::string(code->as_string());
    if (const json::Value* e = c.find("error"); e && e->is_object())
      if (const json::Value* code = e->find("code"); code && code->is_string())
        want_code = std::string(code->as_string());
    std::string want_token;  // optional: the error's token must match too
    if (const json::Value* t = c.find("token"); t && t->is_string())
      want_token = std::string(t->as_string());
    if (const json::Value* e = c.find("error"); e && e->is_object())
      if (const json::Value* t = e->find("token"); t && t->is_string())
        want_token = std::string(t->as_string());
    const json::Value* want_result = c.find("result");
    bool want_undefined = false;
    if (const json::Value* u = c.find("undefinedResult"); u && u->is_bool())
      want_undefined = u->as_bool();
    bool unordered = false;
    if (const json::Value* u = c.find("unordered"); u && u->is_bool()) unordered = u->as_bool();

    why = "expr: " + expr + "\n";
    auto compiled = jsonata::Expression::compile(expr);
    std::string got;
    bool defined = false;
    std::string err_code, err_token;
    size_t err_pos = 0;
    if (!compiled) {
      err_code = compiled.error().code;
      err_pos = compiled.error().position;
      err_token = compiled.error().token;
      got = "error " + compiled.error().to_string();
    } else {
      auto r = compiled->evaluate(input, got, &bindings, limits);
      if (!r) {
        err_code = r.error().code;
        err_pos = r.error().position;
        err_token = r.error().token;
        got = "error " + r.error().to_string();
      } else {
        defined = r.value();
        if (!defined) got = "undefined";
      }
    }
    if (show_errors && !want_code.empty())
      std::printf("%s: %s %zu %s\n", current.c_str(), err_code.c_str(), err_pos, err_token.c_str());
    std::string expected;
    if (!want_code.empty()) {
      expected = "error " + want_code + (want_token.empty() ? "" : " token " + want_token);
      if (err_code == want_code && (want_token.empty() || want_token == err_token)) return true;
    } else if (want_result) {
      expected = json::to_string(*want_result);
      if (defined) {
        json::Document d;
        if (d.parse(got) && same(d.root(), *want_result, unordered)) return true;
      }
    } else if (want_undefined) {
      expected = "undefined";
      if (err_code.empty() && !defined) return true;
    } else {
      expected = "(no expectation)";
    }
    why += "  expected: " + expected + "\n  got:      " + got + "\n";
    return false;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SUITE_DIR [--group NAME] [--verbose] [--baseline FILE]\n",
                 argv[0]);
    return 2;
  }
  Runner runner;
  runner.suite = argv[1];
  std::string only;
  std::string baseline_file;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--verbose")
      runner.verbose = true;
    else if (a == "--errors")
      runner.show_errors = true;
    else if (a == "--group" && i + 1 < argc)
      only = argv[++i];
    else if (a == "--baseline" && i + 1 < argc)
      baseline_file = argv[++i];
  }
  std::vector<fs::path> groups;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(runner.suite / "groups", ec))
    if (e.is_directory()) groups.push_back(e.path());
  if (ec || groups.empty()) {
    std::fprintf(stderr, "no groups under %s/groups\n", runner.suite.c_str());
    return 2;
  }
  std::sort(groups.begin(), groups.end());
  Counts total;
  for (const auto& g : groups) {
    std::string gname = g.filename().string();
    if (!only.empty() && gname != only) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(g))
      if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    Counts counts;
    for (const auto& f : files) {
      std::string bytes;
      json::Document doc;
      bool readable = read_file(f, bytes);
      if (readable && !doc.parse(bytes)) {
        // A lone UTF-16 surrogate escape (\uD800) is valid JSON for JavaScript but not UTF-8
        // text. Inside `expr` it means the same when left to the JSONata lexer, so the
        // escape is passed through as a JSONata escape.
        std::string fixed;
        for (size_t i = 0; i < bytes.size(); ++i) {
          if (bytes[i] == '\\' && i + 5 < bytes.size() && bytes[i + 1] == 'u' &&
              (bytes[i + 2] == 'D' || bytes[i + 2] == 'd') &&
              std::strchr("89abcdefABCDEF", bytes[i + 3]))
            fixed += '\\';
          if (bytes[i] == '\\' && i + 1 < bytes.size()) {
            fixed += bytes[i];
            fixed += bytes[++i];
            continue;
          }
          fixed += bytes[i];
        }
        readable = static_cast<bool>(doc.parse(fixed));
      }
      if (!readable) {
        ++counts.failed;
        if (runner.verbose)
          std::printf("FAIL %s/%s: unreadable case file\n", gname.c_str(), f.filename().c_str());
        continue;
      }
      std::vector<std::pair<std::string, const json::Value*>> cases;
      const json::Value& root = doc.root();
      if (root.is_array()) {
        for (uint32_t i = 0; i < root.size(); ++i)
          cases.emplace_back(f.filename().string() + "#" + std::to_string(i), &root[i]);
      } else {
        cases.emplace_back(f.filename().string(), &root);
      }
      for (auto& [name, c] : cases) {
        if (std::string_view r = skip_reason(gname, name); !r.empty()) {
          ++counts.skipped;
          if (runner.verbose)
            std::printf("SKIP %s/%s: %.*s\n", gname.c_str(), name.c_str(), int(r.size()), r.data());
          continue;
        }
        std::string why;
        runner.current = gname + "/" + name;
        if (runner.run_case(g, *c, why)) {
          ++counts.passed;
        } else {
          ++counts.failed;
          if (runner.verbose)
            std::printf("FAIL %s/%s\n  %s", gname.c_str(), name.c_str(), why.c_str());
        }
      }
    }
    std::printf("%s: %d passed, %d failed, %d skipped\n", gname.c_str(), counts.passed,
                counts.failed, counts.skipped);
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  std::printf("jsonata: %d passed, %d failed, %d skipped\n", total.passed, total.failed,
              total.skipped);
  if (!baseline_file.empty()) {
    std::string b;
    if (!read_file(baseline_file, b)) {
      std::fprintf(stderr, "cannot read baseline %s\n", baseline_file.c_str());
      return 1;
    }
    int baseline = std::atoi(b.c_str());
    if (total.passed < baseline) {
      std::fprintf(stderr, "regression: %d passed, baseline %d\n", total.passed, baseline);
      return 1;
    }
  }
  return 0;
}
