// Writing results: JSON.stringify conventions (JS number formatting; strings through
// json::write_string, which escapes exactly as JSON.stringify does; functions dropped from
// objects and null in arrays) and $string's variant (15 significant digits, functions as "",
// optional 2-space indentation).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "hotpath/json.h"
#include "hotpath/stack_guard.h"
#include "jsonata_eval.h"

namespace hotpath::jsonata::detail {

namespace {

// Number(d.toPrecision(15)), as jsonata-js's $string writes numbers: the 15 significant digits
// nearest d's exact value, where a tie takes the larger digits (ECMA-262 toPrecision), not the
// even ones printf picks. printf's "%.40e" is exact that far (glibc and musl print exact
// digits), and the part of a double's expansion past its 16th digit is either zero or shows
// within the next 20 digits, so digits 16.. decide the rounding.
double to_precision_15(double d) {
  char buf[64];
  const int len = std::snprintf(buf, sizeof buf, "%.40e", d);
  if (len <= 0 || len >= int(sizeof buf)) return d;
  const char* p = buf;
  const bool neg = *p == '-';
  if (neg) ++p;
  uint64_t m = uint64_t(p[0] - '0');  // digit 1, then '.', then digits 2..41
  for (int i = 2; i <= 15; ++i) m = m * 10 + uint64_t(p[i] - '0');
  int exp10 = std::atoi(std::strchr(p, 'e') + 1) - 14;
  if (p[16] >= '5') {  // digit 16: at or past the half way point, ties included
    if (++m == 1000000000000000ull) {
      m /= 10;
      ++exp10;
    }
  }
  char text[48];
  std::snprintf(text, sizeof text, "%s%llue%d", neg ? "-" : "", static_cast<unsigned long long>(m),
                exp10);
  return std::strtod(text, nullptr);
}

struct Writer {
  Ev& ev;
  bool string_mode;  // $string: 15 digits, functions as ""
  int indent;        // 0 = compact
  std::string& out;
  size_t out_limit = size_t(1) << 29;  // bytes: beyond this the result is refused (U1001)
  void newline(int level) {
    out += '\n';
    out.append(size_t(level * indent), ' ');
  }
  // One "key":value of the object being written (after its '{'); members JSON cannot hold
  // (undefined, and functions outside string mode) are left out.
  void member(std::string_view key, const Value& value, bool& first, int level) {
    if (value.undef_() || (value.is_func() && !string_mode)) return;
    if (!first) out += ',';
    first = false;
    if (indent) newline(level + 1);
    json::write_string(key, out);
    out += ':';
    if (indent) out += ' ';
    write(value, level + 1);
  }
  void close_object(bool first, int level) {
    if (indent && !first) newline(level);
    out += '}';
  }
  // returns false when the value is not written (undefined/function at a member position)
  bool write(const Value& v, int level) {
    if (ev.failed) return true;
    if (!stack_has_room()) {
      ev.fail("U1001");
      return true;
    }
    // only constructed containers can share structure (input JSON is a tree)
    if ((v.k == VK::Arr || v.k == VK::Obj) && !ev.charge_work()) return true;
    if (out.size() > out_limit) {
      ev.over_budget = true;
      ev.fail("U1001");
      return true;
    }
    switch (v.k) {
      case VK::Undef:
        return false;
      case VK::Func:
        if (string_mode) {
          out += "\"\"";
          return true;
        }
        return false;
      case VK::Null:
        out += "null";
        return true;
      case VK::Bool:
        out += v.truth() ? "true" : "false";
        return true;
      case VK::Num: {
        double d = v.u.d;
        if (!std::isfinite(d)) {
          if (string_mode && !std::isnan(d)) {  // $string: Infinity fails, NaN is null
            ev.fail("D1001");
            return true;
          }
          out += "null";
          return true;
        }
        if (string_mode && d != std::floor(d)) d = to_precision_15(d);
        format_number_js(d, out);
        return true;
      }
      case VK::Str:
        json::write_string(v.sv(), out);
        return true;
      case VK::Arr:
      case VK::JArr: {
        size_t n = arr_size(v);
        out += '[';
        for (size_t i = 0; i < n; ++i) {
          if (i) out += ',';
          if (indent) newline(level + 1);
          if (!write(arr_at(v, i), level + 1)) out += "null";
        }
        if (indent && n) newline(level);
        out += ']';
        return true;
      }
      case VK::JObj:
        if (ev.plain_jobj(*v.u.j)) {
          const json::Value& j = *v.u.j;
          out += '{';
          bool first = true;
          for (const json::Member* m = j.begin_members(); m != j.end_members(); ++m)
            member(m->key, Value::from_json(m->value), first, level);
          close_object(first, level);
          return true;
        }
        [[fallthrough]];
      case VK::Obj: {
        if (v.k == VK::Obj) {
          bool plain = true;
          for (const auto& p : v.u.o->m)
            if (!p.first.empty() && p.first[0] >= '0' && p.first[0] <= '9') plain = false;
          if (plain) {  // constructed objects have no duplicate keys: write in order
            out += '{';
            bool first = true;
            for (const auto& p : v.u.o->m) member(p.first, p.second, first, level);
            close_object(first, level);
            return true;
          }
        }
        std::vector<std::pair<std::string_view, Value>> es;
        ev.entries(v, es);
        out += '{';
        bool first = true;
        for (auto& p : es) member(p.first, p.second, first, level);
        close_object(first, level);
        return true;
      }
    }
    return false;
  }
};

}  // namespace

void write_value(Ev& ev, const Value& v, std::string& out) {
  Writer w{ev, false, 0, out};
  w.write(v, 0);
}

std::string string_of(Ev& ev, Value v, bool prettify) {
  if (v.k == VK::Str) return std::string(v.sv());
  if (v.k == VK::Func) return std::string();
  if (v.k == VK::Num && !std::isfinite(v.u.d)) {
    ev.fail("D3001");
    return std::string();
  }
  if (v.k == VK::Arr && v.u.a->outer_wrapper && !v.u.a->v.empty()) v = v.u.a->v[0];
  std::string out;
  Writer w{ev, true, prettify ? 2 : 0, out};
  w.out_limit = size_t(std::max<int64_t>(ev.byte_budget, 0));
  w.write(v, 0);
  return out;
}

}  // namespace hotpath::jsonata::detail
