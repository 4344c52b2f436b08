// Writing results: JSON.stringify conventions (JS number formatting; strings through
// json::write_string, which escapes exactly as JSON.stringify does; functions dropped from
// objects and null in arrays) and $string's variant (15 significant digits, functions as "",
// optional 2-space indentation).
#include <algorithm>
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
  return json::decimal_to_double(m, exp10, neg);
}

// True when an input number's JSON text is exactly what JavaScript prints for its value, so
// the text can be copied: an integer of at most 2^53 (not "-0"), or a plain decimal with at
// most 15 significant digits, no trailing zero and fewer than 6 zeros after "0." (such text
// is the shortest that reads back as its double, and JavaScript writes values from 1e-6 up
// without an exponent).
bool js_canonical_number(const json::Value& j) {
  const std::string_view t = j.number_text();
  if (t.empty()) return false;  // a number built in code, without source text
  if (j.number_kind() == json::NumberKind::int64) {
    const int64_t i = j.as_int64();
    return i >= -(int64_t(1) << 53) && i <= (int64_t(1) << 53) && t != "-0";
  }
  if (j.number_kind() != json::NumberKind::float64 || t.empty() || t.back() == '0') return false;
  size_t i = t[0] == '-' ? 1 : 0;
  int digits = 0;
  bool dot = false;
  bool leading = true;  // no nonzero digit yet
  int zeros_after_dot = 0;
  for (; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '.') {
      dot = true;
    } else if (c >= '0' && c <= '9') {
      if (leading && c == '0') {
        if (dot) ++zeros_after_dot;
        continue;
      }
      leading = false;
      ++digits;
    } else {
      return false;  // an exponent
    }
  }
  return dot && !leading && digits <= 15 && zeros_after_dot < 6;
}

// Writes into `out` through a raw cursor: `out` is grown ahead (geometrically) and `len` is
// the end of what has been written; finish() trims `out` to it. Appending piece by piece to a
// std::string cost a capacity check and a call per piece, most of the time of writing.
struct Writer {
  Ev& ev;
  bool string_mode;  // $string: 15 digits, functions as ""
  int indent;        // 0 = compact
  std::string& out;
  size_t out_limit = size_t(1) << 29;  // bytes: beyond this the result is refused (U1001)
  size_t len = out.size();             // bytes of `out` written (it is longer until finish())

  char* room(size_t k) {
    if (out.size() - len < k) [[unlikely]]
      out.resize(std::max(out.size() * 2, len + k + 1024));
    return out.data() + len;
  }
  void put(char c) {
    *room(1) = c;
    ++len;
  }
  void put(const char* text, size_t k) {
    std::memcpy(room(k), text, k);
    len += k;
  }
  void put_string(std::string_view s) {
    if (s.size() > 65536) {  // no 6x reservation for a long string: escaped in chunks
      out.resize(len);
      json::write_string(s, out);
      len = out.size();
      return;
    }
    char* o = room(json::string_literal_bound(s.size()));
    len = size_t(json::write_string(s, o) - out.data());
  }
  void put_number(double d) {
    char* o = room(kMaxNumberText);
    len = size_t(format_number_js(d, o) - out.data());
  }
  void finish() { out.resize(len); }

  void newline(int level) {
    const size_t spaces = size_t(level * indent);
    char* o = room(spaces + 1);
    *o = '\n';
    std::memset(o + 1, ' ', spaces);
    len += spaces + 1;
  }
  // An input value: numbers whose text JavaScript would print as is are copied.
  bool write_json(const json::Value& j, int level) {
    if (j.is_number() && !string_mode && js_canonical_number(j)) {
      const std::string_view t = j.number_text();
      put(t.data(), t.size());
      return true;
    }
    return write(Value::from_json(j), level);
  }
  // The `"key":` of a member of the object being written (after its '{').
  void member_key(std::string_view key, bool& first, int level) {
    if (!first) put(',');
    first = false;
    if (indent) newline(level + 1);
    put_string(key);
    put(':');
    if (indent) put(' ');
  }
  void member(std::string_view key, const json::Value& value, bool& first, int level) {
    member_key(key, first, level);
    write_json(value, level + 1);
  }
  // Members JSON cannot hold (undefined, and functions outside string mode) are left out.
  void member(std::string_view key, const Value& value, bool& first, int level) {
    if (value.undef_() || (value.is_func() && !string_mode)) return;
    member_key(key, first, level);
    write(value, level + 1);
  }
  void close_object(bool first, int level) {
    if (indent && !first) newline(level);
    put('}');
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
    if (len > out_limit) {
      ev.over_budget = true;
      ev.fail("U1001");
      return true;
    }
    switch (v.k) {
      case VK::Undef:
        return false;
      case VK::Func:
        if (string_mode) {
          put("\"\"", 2);
          return true;
        }
        return false;
      case VK::Null:
        put("null", 4);
        return true;
      case VK::Bool:
        if (v.truth())
          put("true", 4);
        else
          put("false", 5);
        return true;
      case VK::Num: {
        double d = v.u.d;
        if (!std::isfinite(d)) {
          if (string_mode && !std::isnan(d)) {  // $string: Infinity fails, NaN is null
            ev.fail("D1001");
            return true;
          }
          put("null", 4);
          return true;
        }
        if (string_mode && d != std::floor(d)) d = to_precision_15(d);
        put_number(d);
        return true;
      }
      case VK::Str:
        put_string(v.sv());
        return true;
      case VK::JArr: {
        const json::Value& j = *v.u.j;
        put('[');
        for (uint32_t i = 0; i < j.size(); ++i) {
          if (i) put(',');
          if (indent) newline(level + 1);
          write_json(j[i], level + 1);  // input arrays hold no undefined or functions
        }
        if (indent && j.size()) newline(level);
        put(']');
        return true;
      }
      case VK::Arr: {
        size_t n = arr_size(v);
        put('[');
        for (size_t i = 0; i < n; ++i) {
          if (i) put(',');
          if (indent) newline(level + 1);
          if (!write(arr_at(v, i), level + 1)) put("null", 4);
        }
        if (indent && n) newline(level);
        put(']');
        return true;
      }
      case VK::JObj:
        if (ev.plain_jobj(*v.u.j)) {
          const json::Value& j = *v.u.j;
          put('{');
          bool first = true;
          for (const json::Member* m = j.begin_members(); m != j.end_members(); ++m)
            member(m->key, m->value, first, level);
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
            put('{');
            bool first = true;
            for (const auto& p : v.u.o->m) member(p.first, p.second, first, level);
            close_object(first, level);
            return true;
          }
        }
        std::vector<std::pair<std::string_view, Value>> es;
        ev.entries(v, es);
        put('{');
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
  w.finish();
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
  w.finish();
  return out;
}

}  // namespace hotpath::jsonata::detail
