// The JSONata standard library.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "format_functions.h"
#include "hotpath/stack_guard.h"
#include "hotpath/unicode_case.h"
#include "jsonata_functions.h"
#include "jsonata_utf8.h"

namespace hotpath::jsonata::detail {

std::vector<uint32_t> to_code_points(std::string_view s) {
  std::vector<uint32_t> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0F;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
    for (size_t k = 1; k < len && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string from_code_points(const uint32_t* p, size_t n) {
  std::string s;
  s.reserve(n);
  for (size_t i = 0; i < n; ++i) append_utf8(s, p[i]);
  return s;
}

void iso_millis(double ms, std::string& out) {
  int64_t t = int64_t(std::floor(ms));
  int64_t days = t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);
  int64_t rem = t - days * 86400000;
  // civil from days (Howard Hinnant)
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[160];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", (long long)y,
                (long long)m, (long long)d, (long long)(rem / 3600000),
                (long long)(rem / 60000 % 60), (long long)(rem / 1000 % 60),
                (long long)(rem % 1000));
  out += buf;
}

namespace {

Value arg(std::vector<Value>& a, size_t i) { return i < a.size() ? a[i] : Value(); }

bool fail(Ev& ev, const char* code) { return ev.fail(code, ev.call_position); }

// ---- aggregation
bool f_sum(Ev&, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  double s = 0;
  size_t n = arr_size(v);
  for (size_t i = 0; i < n; ++i) s += arr_at(v, i).u.d;
  out = Value::num(s);
  return true;
}
bool f_count(Ev&, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  out = Value::num(v.undef_() ? 0 : double(arr_size(v)));
  return true;
}
bool f_max(Ev&, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_() || arr_size(v) == 0) return true;
  double m = -INFINITY;
  for (size_t i = 0; i < arr_size(v); ++i) m = std::max(m, arr_at(v, i).u.d);
  out = Value::num(m);
  return true;
}
bool f_min(Ev&, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_() || arr_size(v) == 0) return true;
  double m = INFINITY;
  for (size_t i = 0; i < arr_size(v); ++i) m = std::min(m, arr_at(v, i).u.d);
  out = Value::num(m);
  return true;
}
bool f_average(Ev&, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_() || arr_size(v) == 0) return true;
  double s = 0;
  for (size_t i = 0; i < arr_size(v); ++i) s += arr_at(v, i).u.d;
  out = Value::num(s / double(arr_size(v)));
  return true;
}

// ---- strings
bool f_string(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  bool pretty = ev.boolean(arg(a, 1));
  std::string s = string_of(ev, v, pretty);
  if (ev.failed) return false;
  out = ev.make_str(std::move(s));
  return true;
}
bool f_substring(Ev& ev, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  auto cps = to_code_points(s.sv());
  double len = double(cps.size());
  if (arg(a, 1).undef_()) {  // JavaScript: slice(undefined, NaN) is empty, slice() is all
    out = arg(a, 2).undef_() ? s : Value::str("");
    return true;
  }
  double start = arg(a, 1).u.d;
  if (std::isnan(start)) start = 0;
  start = std::trunc(start);
  if (len + start < 0) start = 0;
  double end = len;
  Value lv = arg(a, 2);
  if (!lv.undef_()) {
    double l = lv.u.d;
    if (l <= 0 || std::isnan(l)) {
      out = Value::str("");
      return true;
    }
    end = start >= 0 ? start + l : len + start + l;
    end = std::trunc(end);
  }
  auto norm = [&](double x) {
    if (x < 0) x = std::max(0.0, len + x);
    return std::min(x, len);
  };
  double b = norm(start), e = norm(end);
  if (e <= b) {
    out = Value::str("");
    return true;
  }
  out = ev.make_str(from_code_points(cps.data() + size_t(b), size_t(e - b)));
  return true;
}
bool f_substring_before(Ev&, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  std::string_view sv = s.sv(), c = arg(a, 1).sv();
  size_t p = sv.find(c);
  out = p == std::string_view::npos ? s : Value::str(sv.substr(0, p));
  return true;
}
bool f_substring_after(Ev&, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  std::string_view sv = s.sv(), c = arg(a, 1).sv();
  size_t p = sv.find(c);
  out = p == std::string_view::npos ? s : Value::str(sv.substr(p + c.size()));
  return true;
}
// $uppercase/$lowercase: JavaScript's toUpperCase/toLowerCase (full Unicode mappings).
bool change_case(Ev& ev, std::vector<Value>& a, Value& out, bool upper) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  std::string r;
  if (upper)
    hotpath::unicode::append_upper(s.sv(), r);
  else
    hotpath::unicode::append_lower(s.sv(), r);
  out = ev.make_str(std::move(r));
  return true;
}
bool f_lowercase(Ev& ev, std::vector<Value>& a, Value& out) {
  return change_case(ev, a, out, false);
}
bool f_uppercase(Ev& ev, std::vector<Value>& a, Value& out) {
  return change_case(ev, a, out, true);
}
size_t utf16_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
  return n;
}
bool f_length(Ev&, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  out = Value::num(double(json::count_code_points(s.sv())));
  return true;
}
bool f_trim(Ev& ev, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  std::string r;
  bool in_ws = false;
  for (char c : s.sv()) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!in_ws) r += ' ';
      in_ws = true;
    } else {
      r += c;
      in_ws = false;
    }
  }
  if (!r.empty() && r[0] == ' ') r.erase(0, 1);
  if (!r.empty() && r.back() == ' ') r.pop_back();
  out = ev.make_str(std::move(r));
  return true;
}
bool f_pad(Ev& ev, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  double width = arg(a, 1).u.d;
  Value cv = arg(a, 2);
  std::string ch = cv.undef_() || cv.n == 0 ? std::string(" ") : std::string(cv.sv());
  double padlen = std::floor(std::fabs(width)) - double(json::count_code_points(s.sv()));
  if (padlen <= 0) {
    out = s;
    return true;
  }
  if (!ev.charge_bytes(size_t(std::min(padlen, 1e15)) * ch.size())) return false;
  auto chs = to_code_points(ch);
  std::vector<uint32_t> pad;
  for (size_t i = 0; i < size_t(padlen); ++i) pad.push_back(chs[i % chs.size()]);
  std::string padding = from_code_points(pad.data(), pad.size());
  out = ev.make_str(width > 0 ? std::string(s.sv()) + padding : padding + std::string(s.sv()));
  return true;
}

// Regex iteration with jsonata-js's semantics (D1004 on a repeated empty match).
bool regex_all(Ev& ev, const regex::Regex& re, std::string_view s, double limit,
               std::vector<regex::Match>& out, size_t pos_err) {
  regex::Match m;
  auto st = re.search(s, 0, &m);
  if (st == regex::Status::budget_exceeded) return ev.fail("D1004", pos_err);
  if (st != regex::Status::match) return true;
  for (;;) {
    if (limit >= 0 && double(out.size()) >= limit) return true;
    out.push_back(m);
    size_t last = m.end;
    if (last >= s.size()) return true;
    regex::Match n;
    st = re.search(s, last, &n);
    if (st == regex::Status::budget_exceeded) return ev.fail("D1004", pos_err);
    if (st != regex::Status::match) return true;
    if (n.begin == n.end) return ev.fail("D1004", pos_err);
    m = std::move(n);
  }
}

// A matcher written in JSONata (a function returning {match, start, end, groups, next}):
// collected into regex::Match form (byte offsets) so the callers treat both alike.
bool custom_matches(Ev& ev, Value fn, std::string_view s, double limit,
                    std::vector<regex::Match>& out, std::vector<Value>* groups) {
  std::vector<Value> args{Value::str(s)};
  Value r = ev.apply(fn, args, Value::null(), ev.call_env);
  auto cp_to_byte = [&](double cp) {
    size_t b = 0, n = 0;
    while (b < s.size() && double(n) < cp) {
      unsigned char c = static_cast<unsigned char>(s[b]);
      b += c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
      ++n;
    }
    return std::min(b, s.size());
  };
  for (size_t guard = 0; guard < 10000000; ++guard) {
    if (ev.failed) return false;
    if (r.undef_()) return true;
    Value start = r.is_object() ? ev.lookup_key(r, "start") : Value();
    Value end = r.is_object() ? ev.lookup_key(r, "end") : Value();
    Value gs = r.is_object() ? ev.lookup_key(r, "groups") : Value();
    Value next = r.is_object() ? ev.lookup_key(r, "next") : Value();
    if (!(start.k == VK::Num || gs.is_array() || next.is_func()))
      return ev.fail("T1010", ev.call_position);
    if (limit >= 0 && double(out.size()) >= limit) return true;
    regex::Match m;
    m.begin = cp_to_byte(start.k == VK::Num ? start.u.d : 0);
    m.end = cp_to_byte(end.k == VK::Num ? end.u.d : 0);
    m.groups.emplace_back(m.begin, m.end);
    out.push_back(m);
    if (groups) groups->push_back(gs);
    if (!next.is_func()) return true;
    std::vector<Value> none;
    r = ev.apply(next, none, Value::null(), ev.call_env);
  }
  return true;
}

bool f_contains(Ev& ev, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  Value p = arg(a, 1);
  if (p.undef_()) return true;
  if (p.k == VK::Str) {
    out = Value::boolean(s.sv().find(p.sv()) != std::string_view::npos);
  } else if (p.is_func() && p.u.f->kind == Func::Kind::Regex) {
    auto st = p.u.f->re->search(s.sv(), 0, nullptr);
    out = Value::boolean(st == regex::Status::match);
  } else {
    std::vector<regex::Match> ms;
    if (!custom_matches(ev, p, s.sv(), 1, ms, nullptr)) return false;
    out = Value::boolean(!ms.empty());
  }
  return true;
}

bool f_split(Ev& ev, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  Value sep = arg(a, 1);
  Value lv = arg(a, 2);
  double limit = -1;
  if (!lv.undef_()) {
    if (lv.u.d < 0) return fail(ev, "D3020");
    limit = std::floor(lv.u.d);
  }
  Array* r = ev.new_array();
  std::string_view sv = s.sv();
  if (limit == 0) {
    out = Value::arr(r);
    return true;
  }
  if (sep.k == VK::Str) {
    std::string_view d = sep.sv();
    if (d.empty()) {
      auto cps = to_code_points(sv);
      for (uint32_t c : cps) {
        if (limit >= 0 && double(r->v.size()) >= limit) break;
        r->v.push_back(ev.make_str(from_code_points(&c, 1)));
      }
    } else {
      size_t start = 0;
      for (;;) {
        if (limit >= 0 && double(r->v.size()) >= limit) break;
        size_t p = sv.find(d, start);
        if (p == std::string_view::npos) {
          r->v.push_back(Value::str(sv.substr(start)));
          break;
        }
        r->v.push_back(Value::str(sv.substr(start, p - start)));
        start = p + d.size();
      }
    }
  } else if (sep.is_func() && sep.u.f->kind == Func::Kind::Regex) {
    std::vector<regex::Match> ms;
    if (!regex_all(ev, *sep.u.f->re, sv, limit, ms, ev.call_position)) return false;
    size_t start = 0;
    for (auto& m : ms) {
      r->v.push_back(Value::str(sv.substr(start, m.begin - start)));
      start = m.end;
    }
    if (limit < 0 || double(ms.size()) < limit) r->v.push_back(Value::str(sv.substr(start)));
  } else {
    std::vector<regex::Match> ms;
    if (!custom_matches(ev, sep, sv, limit, ms, nullptr)) return false;
    size_t start = 0;
    for (auto& m : ms) {
      r->v.push_back(Value::str(sv.substr(start, m.begin - start)));
      start = m.end;
    }
    if (limit < 0 || double(ms.size()) < limit) r->v.push_back(Value::str(sv.substr(start)));
  }
  out = Value::arr(r);
  return true;
}

bool f_join(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  Value sep = arg(a, 1);
  size_t n = arr_size(v);
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) total += arr_at(v, i).n + (i && !sep.undef_() ? sep.n : 0);
  if (ev.byte_budget < int64_t(total)) return ev.charge_bytes(total);
  std::string r;
  r.reserve(total);
  for (size_t i = 0; i < n; ++i) {
    if (i && !sep.undef_()) r += sep.sv();
    r += arr_at(v, i).sv();
  }
  out = ev.make_str(std::move(r));
  return true;
}

Value match_object(Ev& ev, std::string_view s, const regex::Match& m, bool with_index) {
  Object* o = ev.new_object();
  o->m.emplace_back("match", Value::str(s.substr(m.begin, m.end - m.begin)));
  if (with_index)
    o->m.emplace_back("index", Value::num(double(utf16_length(s.substr(0, m.begin)))));
  Array* gs = ev.new_array();
  for (size_t i = 1; i < m.groups.size(); ++i) {
    auto g = m.groups[i];
    gs->v.push_back(g.first == regex::Match::npos
                        ? Value()
                        : Value::str(s.substr(g.first, g.second - g.first)));
  }
  o->m.emplace_back("groups", Value::arr(gs));
  return Value::obj(o);
}

bool f_match(Ev& ev, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  Value re = arg(a, 1);
  Value lv = arg(a, 2);
  double limit = -1;
  if (!lv.undef_()) {
    if (lv.u.d < 0) return fail(ev, "D3040");
    limit = std::floor(lv.u.d);
  }
  Array* r = ev.new_seq();
  if (limit != 0) {
    if (re.is_func() && re.u.f->kind != Func::Kind::Regex) {
      std::vector<regex::Match> ms;
      std::vector<Value> gs;
      if (!custom_matches(ev, re, s.sv(), limit, ms, &gs)) return false;
      for (size_t i = 0; i < ms.size(); ++i) {
        Object* o = ev.new_object();
        o->m.emplace_back("match", Value::str(s.sv().substr(ms[i].begin, ms[i].end - ms[i].begin)));
        o->m.emplace_back("index", Value::num(double(utf16_length(s.sv().substr(0, ms[i].begin)))));
        o->m.emplace_back("groups", gs[i].undef_() ? Value::arr(ev.new_array()) : gs[i]);
        r->v.push_back(Value::obj(o));
      }
      out = Value::arr(r);
      return true;
    }
    if (!re.is_func()) return fail(ev, "T0410");
    std::vector<regex::Match> ms;
    if (!regex_all(ev, *re.u.f->re, s.sv(), limit, ms, ev.call_position)) return false;
    for (auto& m : ms) r->v.push_back(match_object(ev, s.sv(), m, true));
  }
  out = Value::arr(r);
  return true;
}

bool f_replace(Ev& ev, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  Value pat = arg(a, 1);
  Value rep = arg(a, 2);
  Value lv = arg(a, 3);
  if (pat.k == VK::Str && pat.n == 0) return fail(ev, "D3010");
  double limit = -1;
  if (!lv.undef_()) {
    if (lv.u.d < 0) return fail(ev, "D3011");
    limit = std::floor(lv.u.d);
  }
  std::string_view sv = s.sv();
  if (limit == 0) {
    out = s;
    return true;
  }
  std::string result;
  if (pat.k == VK::Str) {
    std::string_view p = pat.sv();
    std::string reps = rep.k == VK::Str ? std::string(rep.sv()) : std::string();
    size_t pos = 0;
    double count = 0;
    for (;;) {
      if (limit >= 0 && count >= limit) break;
      size_t idx = sv.find(p, pos);
      if (idx == std::string_view::npos) break;
      result.append(sv.substr(pos, idx - pos));
      result += reps;
      pos = idx + p.size();
      ++count;
    }
    result.append(sv.substr(pos));
    out = ev.make_str(std::move(result));
    return true;
  }
  if (!pat.is_func()) return fail(ev, "T0410");
  std::vector<regex::Match> ms;
  if (pat.u.f->kind != Func::Kind::Regex) {
    if (!custom_matches(ev, pat, sv, limit, ms, nullptr)) return false;
  } else if (!regex_all(ev, *pat.u.f->re, sv, limit, ms, ev.call_position)) {
    return false;
  }
  size_t pos = 0;
  for (auto& m : ms) {
    result.append(sv.substr(pos, m.begin - pos));
    if (rep.k == VK::Str) {
      std::string_view r = rep.sv();
      size_t ngroups = m.groups.size() - 1;
      size_t p = 0;
      size_t idx = r.find('$', p);
      while (idx != std::string_view::npos && p < r.size()) {
        result.append(r.substr(p, idx - p));
        p = idx + 1;
        char dv = p < r.size() ? r[p] : 0;
        if (dv == '$') {
          result += '$';
          ++p;
        } else if (dv == '0') {
          result.append(sv.substr(m.begin, m.end - m.begin));
          ++p;
        } else {
          size_t maxd = ngroups == 0 ? 1 : size_t(std::floor(std::log10(double(ngroups)))) + 1;
          auto parse = [&](size_t nd) -> long {
            long v = -1;
            size_t k = 0;
            for (; k < nd && p + k < r.size() && r[p + k] >= '0' && r[p + k] <= '9'; ++k)
              v = (v < 0 ? 0 : v * 10) + (r[p + k] - '0');
            return v;
          };
          long gi = parse(maxd);
          if (maxd > 1 && gi > long(ngroups)) gi = parse(maxd - 1);
          if (gi >= 0) {
            if (ngroups > 0 && gi >= 1 && size_t(gi) <= ngroups) {
              auto g = m.groups[size_t(gi)];
              if (g.first != regex::Match::npos)
                result.append(sv.substr(g.first, g.second - g.first));
            }
            p += std::to_string(gi).size();
          } else {
            result += '$';
          }
        }
        idx = r.find('$', p);
      }
      if (p < r.size()) result.append(r.substr(p));
    } else if (rep.is_func()) {
      std::vector<Value> args{match_object(ev, sv, m, true)};
      // jsonata-js passes {match, start, end, groups}
      Object* o = args[0].u.o;
      o->m.clear();
      o->m.emplace_back("match", Value::str(sv.substr(m.begin, m.end - m.begin)));
      o->m.emplace_back("start", Value::num(double(utf16_length(sv.substr(0, m.begin)))));
      o->m.emplace_back("end", Value::num(double(utf16_length(sv.substr(0, m.end)))));
      Array* gs = ev.new_array();
      for (size_t i = 1; i < m.groups.size(); ++i) {
        auto g = m.groups[i];
        gs->v.push_back(g.first == regex::Match::npos
                            ? Value()
                            : Value::str(sv.substr(g.first, g.second - g.first)));
      }
      o->m.emplace_back("groups", Value::arr(gs));
      Value rv = ev.apply(rep, args, Value::null(), ev.call_env);
      if (ev.failed) return false;
      if (rv.k != VK::Str) return fail(ev, "D3012");
      result.append(rv.sv());
    } else {
      return fail(ev, "T0410");
    }
    pos = m.end;
  }
  result.append(sv.substr(pos));
  out = ev.make_str(std::move(result));
  return true;
}

// ---- numbers
bool f_number(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  if (v.k == VK::Num) {
    out = v;
    return true;
  }
  if (v.k == VK::Bool) {
    out = Value::num(v.truth() ? 1 : 0);
    return true;
  }
  if (v.k == VK::Str) {
    std::string s(v.sv());
    // decimal
    size_t i = 0;
    auto digits = [&]() {
      size_t st = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      return i > st;
    };
    bool ok = true;
    if (i < s.size() && s[i] == '-') ++i;
    ok = digits();
    if (ok && i < s.size() && s[i] == '.') {
      ++i;
      ok = digits();
    }
    if (ok && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      ok = digits();
    }
    if (ok && i == s.size()) {
      double d = std::strtod(s.c_str(), nullptr);
      if (std::isfinite(d)) {
        out = Value::num(d);
        return true;
      }
    }
    if (s.size() > 2 && s[0] == '0') {
      int base = 0;
      char p = s[1];
      if (p == 'x' || p == 'X') base = 16;
      if (p == 'o' || p == 'O') base = 8;
      if (p == 'b' || p == 'B') base = 2;
      if (base) {
        double d = 0;
        bool good = true;
        for (size_t k = 2; k < s.size(); ++k) {
          int dv = -1;
          char c = s[k];
          if (c >= '0' && c <= '9')
            dv = c - '0';
          else if (c >= 'a' && c <= 'f')
            dv = c - 'a' + 10;
          else if (c >= 'A' && c <= 'F')
            dv = c - 'A' + 10;
          if (dv < 0 || dv >= base) {
            good = false;
            break;
          }
          d = d * base + dv;
        }
        if (good) {
          out = Value::num(d);
          return true;
        }
      }
    }
  }
  fail(ev, "D3030");
  return ev.detail(v);
}
bool f_floor(Ev&, std::vector<Value>& a, Value& out) {
  if (!arg(a, 0).undef_()) out = Value::num(std::floor(a[0].u.d) + 0.0);
  return true;
}
bool f_ceil(Ev&, std::vector<Value>& a, Value& out) {
  if (!arg(a, 0).undef_()) out = Value::num(std::ceil(a[0].u.d) + 0.0);
  return true;
}
bool f_abs(Ev&, std::vector<Value>& a, Value& out) {
  if (!arg(a, 0).undef_()) out = Value::num(std::fabs(a[0].u.d));
  return true;
}
bool f_sqrt(Ev& ev, std::vector<Value>& a, Value& out) {
  if (arg(a, 0).undef_()) return true;
  if (a[0].u.d < 0) {
    fail(ev, "D3060");
    return ev.detail(a[0]);
  }
  out = Value::num(std::sqrt(a[0].u.d));
  return true;
}
bool f_power(Ev& ev, std::vector<Value>& a, Value& out) {
  if (arg(a, 0).undef_()) return true;
  const double x = a[0].u.d, y = arg(a, 1).u.d;
  // V8's Math.pow answers these exponents with one correctly rounded operation, and libm's pow
  // can differ from that in the last bit (pow(160406.76832199097, 2) is one ulp below x * x).
  double r;
  if (y == 2)
    r = x * x;
  else if (y == 1)
    r = x;
  else if (y == -1)
    r = 1 / x;
  else if (y == 0.5 && x >= 0 && !std::signbit(x))
    r = std::sqrt(x);
  else
    r = std::pow(x, y);
  if (!std::isfinite(r)) {
    fail(ev, "D3061");
    return ev.detail(a[0], &a[1]);
  }
  out = Value::num(r);
  return true;
}
bool f_round(Ev&, std::vector<Value>& a, Value& out) {
  if (arg(a, 0).undef_()) return true;
  const double precd = arg(a, 1).undef_() ? 0 : arg(a, 1).u.d;
  // jsonata-js builds "<x>e<precision>": a fraction, or a precision JavaScript prints with an
  // exponent (1e21 and up), makes that text NaN.
  if (precd != std::floor(precd) || !(std::fabs(precd) < 1e21)) {
    out = Value::num(std::nan(""));
    return true;
  }
  out = Value::num(js_round(a[0].u.d, long(std::fmax(-1e6, std::fmin(precd, 1e6)))));
  return true;
}
bool f_random(Ev& ev, std::vector<Value>&, Value& out) {
  out = Value::num(double(ev.next_random() >> 11) / 9007199254740992.0);
  return true;
}

// ---- boolean
bool f_boolean(Ev& ev, std::vector<Value>& a, Value& out) {
  if (!arg(a, 0).undef_()) out = Value::boolean(ev.boolean(a[0]));
  return true;
}
bool f_not(Ev& ev, std::vector<Value>& a, Value& out) {
  if (!arg(a, 0).undef_()) out = Value::boolean(!ev.boolean(a[0]));
  return true;
}
bool f_exists(Ev&, std::vector<Value>& a, Value& out) {
  out = Value::boolean(!arg(a, 0).undef_());
  return true;
}

// ---- higher order
// The arguments a higher-order function passes: (value, index, array) cut to the callback's
// arity. Refills `r` so one vector serves a whole loop.
std::vector<Value>& hof_args(Ev& ev, Value f, Value v, Value i, Value arr, std::vector<Value>& r) {
  r.clear();
  r.push_back(v);
  int n = ev.arity(f);
  if (n >= 2) r.push_back(i);
  if (n >= 3) r.push_back(arr);
  return r;
}
bool f_map(Ev& ev, std::vector<Value>& a, Value& out) {
  Value arr = arg(a, 0);
  if (arr.undef_()) return true;
  Value f = arg(a, 1);
  std::vector<Value> buf;
  Array* r = ev.new_seq();
  size_t n = arr_size(arr);
  for (size_t i = 0; i < n; ++i) {
    auto& args = hof_args(ev, f, arr_at(arr, i), Value::num(double(i)), arr, buf);
    Value res = ev.apply(f, args, Value::null(), ev.call_env);
    if (ev.failed) return false;
    if (!res.undef_()) r->v.push_back(res);
  }
  out = Value::arr(r);
  return true;
}
bool f_filter(Ev& ev, std::vector<Value>& a, Value& out) {
  Value arr = arg(a, 0);
  if (arr.undef_()) return true;
  Value f = arg(a, 1);
  std::vector<Value> buf;
  Array* r = ev.new_seq();
  size_t n = arr_size(arr);
  for (size_t i = 0; i < n; ++i) {
    Value item = arr_at(arr, i);
    auto& args = hof_args(ev, f, item, Value::num(double(i)), arr, buf);
    Value res = ev.apply(f, args, Value::null(), ev.call_env);
    if (ev.failed) return false;
    if (ev.boolean(res)) r->v.push_back(item);
  }
  out = Value::arr(r);
  return true;
}
bool f_single(Ev& ev, std::vector<Value>& a, Value& out) {
  Value arr = arg(a, 0);
  if (arr.undef_()) return true;
  Value f = arg(a, 1);
  std::vector<Value> buf;
  bool found = false;
  size_t n = arr_size(arr);
  for (size_t i = 0; i < n; ++i) {
    Value item = arr_at(arr, i);
    bool pos = true;
    if (!f.undef_()) {
      auto& args = hof_args(ev, f, item, Value::num(double(i)), arr, buf);
      Value res = ev.apply(f, args, Value::null(), ev.call_env);
      if (ev.failed) return false;
      pos = ev.boolean(res);
    }
    if (pos) {
      if (found) return fail(ev, "D3138");
      out = item;
      found = true;
    }
  }
  if (!found) return fail(ev, "D3139");
  return true;
}
bool f_reduce(Ev& ev, std::vector<Value>& a, Value& out) {
  Value arr = arg(a, 0);
  if (arr.undef_()) return true;
  Value f = arg(a, 1);
  int n_ar = ev.arity(f);
  if (n_ar < 2) return fail(ev, "D3050");
  Value init = arg(a, 2);
  size_t n = arr_size(arr);
  size_t i = 0;
  Value result;
  if (init.undef_() && n > 0) {
    result = arr_at(arr, 0);
    i = 1;
  } else {
    result = init;
  }
  for (; i < n; ++i) {
    std::vector<Value> args{result, arr_at(arr, i)};
    if (n_ar >= 3) args.push_back(Value::num(double(i)));
    if (n_ar >= 4) args.push_back(arr);
    result = ev.apply(f, args, Value::null(), ev.call_env);
    if (ev.failed) return false;
  }
  out = result;
  return true;
}
bool f_zip(Ev& ev, std::vector<Value>& a, Value& out) {
  Array* r = ev.new_array();
  size_t len = a.empty() ? 0 : SIZE_MAX;
  for (auto& v : a) len = std::min(len, v.is_array() ? arr_size(v) : size_t(0));
  for (size_t i = 0; i < len; ++i) {
    Array* t = ev.new_array();
    for (auto& v : a) t->v.push_back(arr_at(v, i));
    r->v.push_back(Value::arr(t));
  }
  out = Value::arr(r);
  return true;
}
bool f_sift(Ev& ev, std::vector<Value>& a, Value& out) {
  Value obj = arg(a, 0);
  if (obj.undef_()) return true;
  Value f = arg(a, 1);
  std::vector<Value> buf;
  std::vector<std::pair<std::string_view, Value>> es;
  ev.entries(obj, es);
  Object* r = ev.new_object();
  for (auto& p : es) {
    auto& args = hof_args(ev, f, p.second, Value::str(p.first), obj, buf);
    Value res = ev.apply(f, args, Value::null(), ev.call_env);
    if (ev.failed) return false;
    if (ev.boolean(res)) r->m.push_back(p);
  }
  if (!r->m.empty()) out = Value::obj(r);
  return true;
}
bool f_each(Ev& ev, std::vector<Value>& a, Value& out) {
  Value obj = arg(a, 0);
  if (obj.undef_()) {  // jsonata-js: an empty sequence, not undefined
    out = Value::arr(ev.new_seq());
    return true;
  }
  Value f = arg(a, 1);
  std::vector<Value> buf;
  std::vector<std::pair<std::string_view, Value>> es;
  ev.entries(obj, es);
  Array* r = ev.new_seq();
  for (auto& p : es) {
    auto& args = hof_args(ev, f, p.second, Value::str(p.first), obj, buf);
    Value res = ev.apply(f, args, Value::null(), ev.call_env);
    if (ev.failed) return false;
    if (!res.undef_()) r->v.push_back(res);
  }
  out = Value::arr(r);
  return true;
}

// ---- objects / arrays
void keys_into(Ev& ev, Value v, Array* r) {
  if (ev.failed || !ev.charge_work()) return;
  if (!stack_has_room()) {
    fail(ev, "U1001");
    return;
  }
  if (v.is_array()) {
    size_t n = arr_size(v);
    for (size_t i = 0; i < n; ++i) {
      Array tmp;
      keys_into(ev, arr_at(v, i), &tmp);
      for (auto& k : tmp.v) {
        bool seen = false;
        for (auto& x : r->v)
          if (x.sv() == k.sv()) seen = true;
        if (!seen) r->v.push_back(k);
      }
    }
  } else if (v.is_object()) {
    std::vector<std::pair<std::string_view, Value>> es;
    ev.entries(v, es);
    for (auto& p : es) r->v.push_back(Value::str(p.first));
  }
}
bool f_keys(Ev& ev, std::vector<Value>& a, Value& out) {
  Array* r = ev.new_seq();
  keys_into(ev, arg(a, 0), r);
  if (ev.failed) return false;
  if (arg(a, 0).is_array()) {
    // the keys of several objects are merged into one JavaScript object: index-like keys
    // ("0", "17") come first, ascending
    auto is_index = [](std::string_view k) {
      if (k.empty() || k.size() > 10 || (k.size() > 1 && k[0] == '0')) return false;
      uint64_t v = 0;
      for (char c : k) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + uint64_t(c - '0');
      }
      return v < 4294967295ull;
    };
    std::stable_sort(r->v.begin(), r->v.end(), [&](const Value& x, const Value& y) {
      bool xi = is_index(x.sv()), yi = is_index(y.sv());
      if (xi && yi) return x.n != y.n ? x.n < y.n : x.sv() < y.sv();
      return xi && !yi;
    });
  }
  out = Value::arr(r);
  return true;
}
Value lookup_rec(Ev& ev, Value v, std::string_view key) {
  if (ev.failed || !ev.charge_work()) return Value();
  if (!stack_has_room()) {
    fail(ev, "U1001");
    return Value();
  }
  if (v.is_array()) {
    Array* r = ev.new_seq();
    size_t n = arr_size(v);
    for (size_t i = 0; i < n; ++i) {
      Value res = lookup_rec(ev, arr_at(v, i), key);
      if (res.undef_()) continue;
      if (res.is_array()) {
        for (size_t k = 0; k < arr_size(res); ++k) r->v.push_back(arr_at(res, k));
      } else {
        r->v.push_back(res);
      }
    }
    return Value::arr(r);
  }
  return ev.lookup_key(v, key);
}
bool f_lookup(Ev& ev, std::vector<Value>& a, Value& out) {
  out = lookup_rec(ev, arg(a, 0), arg(a, 1).sv());
  return !ev.failed;
}
bool f_append(Ev& ev, std::vector<Value>& a, Value& out) {
  out = ev.append(arg(a, 0), arg(a, 1));
  return true;
}
Value spread_rec(Ev& ev, Value v) {
  if (ev.failed || !ev.charge_work()) return Value();
  if (!stack_has_room()) {
    fail(ev, "U1001");
    return Value();
  }
  if (v.is_array()) {
    Value result = Value::arr(ev.new_seq());
    size_t n = arr_size(v);
    for (size_t i = 0; i < n; ++i) result = ev.append(result, spread_rec(ev, arr_at(v, i)));
    return result;
  }
  if (v.is_object()) {
    Array* r = ev.new_seq();
    std::vector<std::pair<std::string_view, Value>> es;
    ev.entries(v, es);
    for (auto& p : es) {
      Object* o = ev.new_object();
      o->m.push_back(p);
      r->v.push_back(Value::obj(o));
    }
    return Value::arr(r);
  }
  return v;
}
bool f_spread(Ev& ev, std::vector<Value>& a, Value& out) {
  out = spread_rec(ev, arg(a, 0));
  return !ev.failed;
}
bool f_merge(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  Object* r = ev.new_object();
  std::vector<std::pair<std::string_view, Value>> es;
  for (size_t i = 0; i < arr_size(v); ++i) {
    ev.entries(arr_at(v, i), es);
    for (auto& p : es) r->set(p.first, p.second);
  }
  out = Value::obj(r);
  return true;
}
bool f_reverse(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  size_t n = arr_size(v);
  if (n <= 1) {
    out = v;
    return true;
  }
  Array* r = ev.new_array();
  for (size_t i = n; i-- > 0;) r->v.push_back(arr_at(v, i));
  out = Value::arr(r);
  return true;
}
bool f_error(Ev& ev, std::vector<Value>& a, Value& out) {
  (void)out;
  fail(ev, "D3137");
  Value m = arg(a, 0);
  ev.err.message = m.undef_() ? "$error() function evaluated" : std::string(m.sv());
  return false;
}
bool f_assert(Ev& ev, std::vector<Value>& a, Value& out) {
  (void)out;
  if (!arg(a, 0).truth()) {
    fail(ev, "D3141");
    Value m = arg(a, 1);
    ev.err.message = m.undef_() ? "$assert() statement failed" : std::string(m.sv());
    return false;
  }
  return true;
}
bool f_type(Ev&, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  switch (v.k) {
    case VK::Undef:
      return true;
    case VK::Null:
      out = Value::str("null");
      break;
    case VK::Num:
      out = Value::str("number");
      break;
    case VK::Str:
      out = Value::str("string");
      break;
    case VK::Bool:
      out = Value::str("boolean");
      break;
    case VK::Arr:
    case VK::JArr:
      out = Value::str("array");
      break;
    case VK::Func:
      out = Value::str("function");
      break;
    default:
      out = Value::str("object");
      break;
  }
  return true;
}
bool js_truthy(const Value& v) {
  switch (v.k) {
    case VK::Undef:
    case VK::Null:
      return false;
    case VK::Bool:
      return v.truth();
    case VK::Num:
      return v.u.d != 0 && !std::isnan(v.u.d);
    case VK::Str:
      return v.n > 0;
    default:
      return true;
  }
}
bool f_sort(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  size_t n = arr_size(v);
  if (n <= 1) {
    out = v;
    return true;
  }
  Value cmp = arg(a, 1);
  std::vector<Value> items(n);
  for (size_t i = 0; i < n; ++i) items[i] = arr_at(v, i);
  if (cmp.undef_()) {
    bool nums = true, strs = true;
    for (auto& x : items) {
      if (x.k != VK::Num) nums = false;
      if (x.k != VK::Str) strs = false;
    }
    if (!nums && !strs) return fail(ev, "D3070");
  }
  // a > b: swap
  auto greater = [&](const Value& x, const Value& y) -> bool {
    if (ev.failed) return false;
    if (cmp.undef_()) return x.k == VK::Num ? x.u.d > y.u.d : compare_utf16(x.sv(), y.sv()) > 0;
    std::vector<Value> args{x, y};
    Value r = ev.apply(cmp, args, Value::null(), ev.call_env);
    return js_truthy(r);
  };
  // bottom-up merge sort, stable, same comparison order as jsonata-js's top-down one
  std::vector<Value> tmp(n);
  struct Rec {
    std::vector<Value>& items;
    std::vector<Value>& tmp;
    decltype(greater)& gt;
    void sort(size_t lo, size_t hi) {
      if (hi - lo <= 1) return;
      size_t mid = lo + (hi - lo) / 2;
      sort(lo, mid);
      sort(mid, hi);
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (gt(items[i], items[j]))
          tmp[k++] = items[j++];
        else
          tmp[k++] = items[i++];
      }
      while (i < mid) tmp[k++] = items[i++];
      while (j < hi) tmp[k++] = items[j++];
      for (size_t q = lo; q < hi; ++q) items[q] = tmp[q];
    }
  } rec{items, tmp, greater};
  rec.sort(0, n);
  if (ev.failed) return false;
  Array* r = ev.new_array();
  r->v.assign(items.begin(), items.end());
  out = Value::arr(r);
  return true;
}
bool f_shuffle(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  size_t n = arr_size(v);
  if (n <= 1) {
    out = v;
    return true;
  }
  Array* r = ev.new_array();
  for (size_t i = 0; i < n; ++i) r->v.push_back(arr_at(v, i));
  for (size_t i = n - 1; i > 0; --i) {
    size_t j = size_t(ev.next_random() % (i + 1));
    std::swap(r->v[i], r->v[j]);
  }
  out = Value::arr(r);
  return true;
}
bool f_distinct(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  if (!v.is_array() || arr_size(v) <= 1) {
    out = v;
    return true;
  }
  Array* r = Ev::is_seq(v) ? ev.new_seq() : ev.new_array();
  size_t n = arr_size(v);
  for (size_t i = 0; i < n; ++i) {
    Value x = arr_at(v, i);
    bool inc = false;
    for (auto& y : r->v)
      if (ev.deep_equal(x, y)) {
        inc = true;
        break;
      }
    if (!inc) r->v.push_back(x);
  }
  out = Value::arr(r);
  return true;
}
bool f_clone(Ev& ev, std::vector<Value>& a, Value& out) {
  if (!arg(a, 0).undef_()) out = ev.clone(a[0]);
  return true;
}

// ---- encoding
const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
bool f_base64encode(Ev& ev, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  // jsonata-js encodes the string's UTF-16 code units as bytes ('binary'): each unit's low byte.
  std::string bytes;
  for (uint32_t cp : to_code_points(s.sv())) {
    if (cp >= 0x10000) {
      bytes += char(0xD800 + ((cp - 0x10000) >> 10));  // low bytes of the surrogate pair
      bytes += char(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      bytes += char(cp & 0xFF);
    }
  }
  std::string_view in = bytes;
  std::string r;
  size_t i = 0;
  while (i + 2 < in.size()) {
    uint32_t v =
        (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) | uint8_t(in[i + 2]);
    r += kB64[v >> 18];
    r += kB64[(v >> 12) & 63];
    r += kB64[(v >> 6) & 63];
    r += kB64[v & 63];
    i += 3;
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint32_t(uint8_t(in[i])) << 16;
    r += kB64[v >> 18];
    r += kB64[(v >> 12) & 63];
    r += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8);
    r += kB64[v >> 18];
    r += kB64[(v >> 12) & 63];
    r += kB64[(v >> 6) & 63];
    r += '=';
  }
  out = ev.make_str(std::move(r));
  return true;
}
bool f_base64decode(Ev& ev, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  std::string r;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s.sv()) {
    const char* p = std::strchr(kB64, c);
    if (!p || c == 0) continue;
    acc = (acc << 6) | uint32_t(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      append_utf8(r, (acc >> bits) & 0xFF);  // each byte is one character ('binary')
    }
  }
  out = ev.make_str(std::move(r));
  return true;
}
bool url_encode(Ev& ev, std::vector<Value>& a, Value& out, const char* keep) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  if (!json::is_valid_utf8(s.sv())) {
    fail(ev, "D3140");
    return ev.detail(s);
  }
  std::string r;
  static const char* hex = "0123456789ABCDEF";
  for (char ch : s.sv()) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        (c && std::strchr(keep, c))) {
      r += ch;
    } else {
      r += '%';
      r += hex[c >> 4];
      r += hex[c & 15];
    }
  }
  out = ev.make_str(std::move(r));
  return true;
}
bool f_encode_url_component(Ev& ev, std::vector<Value>& a, Value& out) {
  return url_encode(ev, a, out, "-_.!~*'()");
}
bool f_encode_url(Ev& ev, std::vector<Value>& a, Value& out) {
  return url_encode(ev, a, out, "-_.!~*'();/?:@&=+$,#");
}
bool url_decode(Ev& ev, std::vector<Value>& a, Value& out, const char* reserved) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  std::string_view in = s.sv();
  std::string r;
  auto hv = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      r += in[i];
      continue;
    }
    if (i + 2 >= in.size() || hv(in[i + 1]) < 0 || hv(in[i + 2]) < 0) return fail(ev, "D3140");
    char c = char(hv(in[i + 1]) * 16 + hv(in[i + 2]));
    if (static_cast<unsigned char>(c) < 0x80 && c && std::strchr(reserved, c)) {
      r.append(in.substr(i, 3));
    } else {
      r += c;
    }
    i += 2;
  }
  if (!json::is_valid_utf8(r)) return fail(ev, "D3140");
  out = ev.make_str(std::move(r));
  return true;
}
bool f_decode_url_component(Ev& ev, std::vector<Value>& a, Value& out) {
  return url_decode(ev, a, out, "");
}
bool f_decode_url(Ev& ev, std::vector<Value>& a, Value& out) {
  return url_decode(ev, a, out, ";/?:@&=+$,#");
}

// ---- picture-string functions (format_*.cpp)
bool take_error(Ev& ev, const Error& e) {
  ev.fail(e.code.c_str(), ev.call_position, e.token);
  ev.err.message = e.message;
  return false;
}
bool f_format_number(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  format::DecimalFormat df;
  Value opts = arg(a, 2);
  if (opts.is_object()) {
    std::vector<std::pair<std::string_view, Value>> es;
    ev.entries(opts, es);
    for (auto& p : es)
      if (p.second.k == VK::Str) df.set(p.first, p.second.sv());
  }
  auto r = format::format_number(v.u.d, arg(a, 1).sv(), opts.is_object() ? &df : nullptr);
  if (!r) return take_error(ev, r.error());
  out = ev.make_str(std::move(r.value()));
  return true;
}
bool f_format_base(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  std::optional<double> radix;
  if (!arg(a, 1).undef_()) radix = a[1].u.d;
  auto r = format::format_base(v.u.d, radix);
  if (!r) return take_error(ev, r.error());
  out = ev.make_str(std::move(r.value()));
  return true;
}
bool f_format_integer(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  auto r = format::format_integer(v.u.d, arg(a, 1).sv());
  if (!r) return take_error(ev, r.error());
  out = ev.make_str(std::move(r.value()));
  return true;
}
bool f_parse_integer(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  auto r = format::parse_integer(v.sv(), arg(a, 1).sv());
  if (!r) return take_error(ev, r.error());
  if (r.value()) out = Value::num(*r.value());
  return true;
}
bool f_from_millis(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  std::optional<std::string_view> pic, tz;
  if (arg(a, 1).k == VK::Str) pic = a[1].sv();
  if (arg(a, 2).k == VK::Str) tz = a[2].sv();
  auto r = format::from_millis(v.u.d, pic, tz);
  if (!r) return take_error(ev, r.error());
  out = ev.make_str(std::move(r.value()));
  return true;
}
bool f_to_millis(Ev& ev, std::vector<Value>& a, Value& out) {
  Value v = arg(a, 0);
  if (v.undef_()) return true;
  std::optional<std::string_view> pic;
  if (arg(a, 1).k == VK::Str) pic = a[1].sv();
  auto r = format::to_millis(v.sv(), pic, ev.now_ms());
  if (!r) return take_error(ev, r.error());
  if (r.value()) out = Value::num(*r.value());
  return true;
}

// ---- misc
bool f_eval(Ev& ev, std::vector<Value>& a, Value& out) {
  Value s = arg(a, 0);
  if (s.undef_()) return true;
  Value input = ev.call_input;
  Value focus = arg(a, 1);
  if (!focus.undef_()) {
    input = focus;
    if (input.is_array() && !Ev::is_seq(input)) {
      Array* w = ev.new_seq();
      w->v.push_back(input);
      w->outer_wrapper = true;
      input = Value::arr(w);
    }
  }
  ev.asts.push_back(std::make_unique<Ast>());
  Ast& ast = *ev.asts.back();
  std::string_view src = ev.keep(s.sv());
  auto r = parse(src, ast);
  // The calling scope may bind any name (`$sum := ...; $eval("$sum(1)")`): look builtins up.
  for (auto& n : ast.nodes) n->builtin_fixed = false;
  if (!r) {
    fail(ev, "D3120");
    ev.err.message = r.error().code + ": " + r.error().message;
    return false;
  }
  Value res = ev.eval(ast.root, input, ev.call_env);
  if (ev.failed) {  // a new error: the inner one becomes its value
    ev.err.message = ev.err.code;
    ev.err.code = "D3121";
    ev.err.position = ev.call_position;
    ev.err.token.clear();
    return false;
  }
  out = res;
  return true;
}
bool f_now(Ev& ev, std::vector<Value>& a, Value& out) {
  if (arg(a, 0).k == VK::Str) {
    std::optional<std::string_view> tz;
    if (arg(a, 1).k == VK::Str) tz = a[1].sv();
    auto r = format::from_millis(ev.now_ms(), a[0].sv(), tz);
    if (!r) return take_error(ev, r.error());
    out = ev.make_str(std::move(r.value()));
    return true;
  }
  std::string s;
  iso_millis(ev.now_ms(), s);
  out = ev.make_str(std::move(s));
  return true;
}
bool f_millis(Ev& ev, std::vector<Value>&, Value& out) {
  out = Value::num(ev.now_ms());
  return true;
}

BuiltinDef kBuiltins[] = {
    {"sum", "<a<n>:n>", f_sum, 1, nullptr},
    {"count", "<a:n>", f_count, 1, nullptr},
    {"max", "<a<n>:n>", f_max, 1, nullptr},
    {"min", "<a<n>:n>", f_min, 1, nullptr},
    {"average", "<a<n>:n>", f_average, 1, nullptr},
    {"string", "<x-b?:s>", f_string, 1, nullptr},
    {"substring", "<s-nn?:s>", f_substring, 3, nullptr},
    {"substringBefore", "<s-s:s>", f_substring_before, 2, nullptr},
    {"substringAfter", "<s-s:s>", f_substring_after, 2, nullptr},
    {"lowercase", "<s-:s>", f_lowercase, 1, nullptr},
    {"uppercase", "<s-:s>", f_uppercase, 1, nullptr},
    {"length", "<s-:n>", f_length, 1, nullptr},
    {"trim", "<s-:s>", f_trim, 1, nullptr},
    {"pad", "<s-ns?:s>", f_pad, 3, nullptr},
    {"match", "<s-f<s:o>n?:a<o>>", f_match, 3, nullptr},
    {"contains", "<s-(sf):b>", f_contains, 2, nullptr},
    {"replace", "<s-(sf)(sf)n?:s>", f_replace, 4, nullptr},
    {"split", "<s-(sf)n?:a<s>>", f_split, 3, nullptr},
    {"join", "<a<s>s?:s>", f_join, 2, nullptr},
    {"number", "<(nsb)-:n>", f_number, 1, nullptr},
    {"floor", "<n-:n>", f_floor, 1, nullptr},
    {"ceil", "<n-:n>", f_ceil, 1, nullptr},
    {"round", "<n-n?:n>", f_round, 2, nullptr},
    {"abs", "<n-:n>", f_abs, 1, nullptr},
    {"sqrt", "<n-:n>", f_sqrt, 1, nullptr},
    {"power", "<n-n:n>", f_power, 2, nullptr},
    {"random", "<:n>", f_random, 0, nullptr},
    {"boolean", "<x-:b>", f_boolean, 1, nullptr},
    {"not", "<x-:b>", f_not, 1, nullptr},
    {"map", "<af>", f_map, 2, nullptr},
    {"zip", "<a+>", f_zip, 0, nullptr},
    {"filter", "<af>", f_filter, 2, nullptr},
    {"single", "<af?>", f_single, 2, nullptr},
    {"reduce", "<afj?:j>", f_reduce, 3, nullptr},
    {"sift", "<o-f?:o>", f_sift, 2, nullptr},
    {"keys", "<x-:a<s>>", f_keys, 1, nullptr},
    {"lookup", "<x-s:x>", f_lookup, 2, nullptr},
    {"append", "<xx:a>", f_append, 2, nullptr},
    {"exists", "<x:b>", f_exists, 1, nullptr},
    {"spread", "<x-:a<o>>", f_spread, 1, nullptr},
    {"merge", "<a<o>:o>", f_merge, 1, nullptr},
    {"reverse", "<a:a>", f_reverse, 1, nullptr},
    {"each", "<o-f:a>", f_each, 2, nullptr},
    {"error", "<s?:x>", f_error, 1, nullptr},
    {"assert", "<bs?:x>", f_assert, 2, nullptr},
    {"type", "<x:s>", f_type, 1, nullptr},
    {"sort", "<af?:a>", f_sort, 2, nullptr},
    {"shuffle", "<a:a>", f_shuffle, 1, nullptr},
    {"distinct", "<x:x>", f_distinct, 1, nullptr},
    {"base64encode", "<s-:s>", f_base64encode, 1, nullptr},
    {"base64decode", "<s-:s>", f_base64decode, 1, nullptr},
    {"encodeUrlComponent", "<s-:s>", f_encode_url_component, 1, nullptr},
    {"encodeUrl", "<s-:s>", f_encode_url, 1, nullptr},
    {"decodeUrlComponent", "<s-:s>", f_decode_url_component, 1, nullptr},
    {"decodeUrl", "<s-:s>", f_decode_url, 1, nullptr},
    {"eval", "<sx?:x>", f_eval, 2, nullptr},
    {"clone", "<(oa)-:o>", f_clone, 1, nullptr},
    {"now", "<s?s?:s>", f_now, 2, nullptr},
    {"millis", "<:n>", f_millis, 0, nullptr},
    {"formatNumber", "<n-so?:s>", f_format_number, 3, nullptr},
    {"formatBase", "<n-n?:s>", f_format_base, 2, nullptr},
    {"formatInteger", "<n-s:s>", f_format_integer, 2, nullptr},
    {"parseInteger", "<s-s:n>", f_parse_integer, 2, nullptr},
    {"fromMillis", "<n-s?s?:s>", f_from_millis, 3, nullptr},
    {"toMillis", "<s-s?:n>", f_to_millis, 2, nullptr},
};

constexpr size_t kBuiltinCount = sizeof(kBuiltins) / sizeof(kBuiltins[0]);

struct Table {
  std::vector<std::unique_ptr<Signature>> sigs;
  Func funcs[kBuiltinCount];
  Table() {
    for (size_t i = 0; i < kBuiltinCount; ++i) {
      BuiltinDef& b = kBuiltins[i];
      auto s = parse_signature(b.sig_text);
      if (s) {
        sigs.push_back(std::move(s.value()));
        b.sig = sigs.back().get();
      }
      funcs[i].kind = Func::Kind::Builtin;
      funcs[i].bi = &b;
    }
  }
};

Table& table() {
  static Table t;  // thread-safe one-time signature compilation
  return t;
}

}  // namespace

const BuiltinDef* find_builtin(std::string_view name) {
  (void)table();
  for (const auto& b : kBuiltins)
    if (name == b.name) return &b;
  return nullptr;
}

Func* builtin_func(const BuiltinDef* def) { return &table().funcs[size_t(def - kBuiltins)]; }

}  // namespace hotpath::jsonata::detail
