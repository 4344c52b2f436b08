// The tree-walking evaluator (jsonata-js semantics: sequences, singleton collapse, tuple
// streams for focus/index bindings, thunk trampolining for tail calls).
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "hotpath/stack_guard.h"
#include "jsonata_eval.h"
#include "jsonata_functions.h"
#include "jsonata_utf8.h"

namespace hotpath::jsonata::detail {

namespace {
std::string label_name(int label) {
  std::string s(1, '%');
  s += std::to_string(label);
  return s;
}
bool is_array_index(std::string_view k) {
  if (k.empty() || k.size() > 10) return false;
  if (k.size() > 1 && k[0] == '0') return false;
  uint64_t v = 0;
  for (char c : k) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + uint64_t(c - '0');
  }
  return v < 4294967295ull;
}
uint64_t index_value(std::string_view k) {
  uint64_t v = 0;
  for (char c : k) v = v * 10 + uint64_t(c - '0');
  return v;
}
}  // namespace

// ------------------------------------------------------------------------------ helpers

void Ev::entries(Value obj, std::vector<std::pair<std::string_view, Value>>& out) {
  out.clear();
  bool any_index = false;
  if (obj.k == VK::Obj) {
    for (auto& p : obj.u.o->m) {
      if (!any_index && !p.first.empty() && p.first[0] >= '0' && p.first[0] <= '9' &&
          is_array_index(p.first))
        any_index = true;
      out.push_back(p);
    }
  } else if (obj.k == VK::JObj) {
    const json::Value& j = *obj.u.j;
    for (const json::Member* m = j.begin_members(); m != j.end_members(); ++m) {
      // duplicate keys: JSON.parse keeps the first position and the last value
      bool dup = false;
      for (auto& p : out)
        if (json::key_equals(p.first, m->key)) {
          p.second = Value::from_json(m->value);
          dup = true;
          break;
        }
      if (dup) continue;
      if (!any_index && !m->key.empty() && m->key[0] >= '0' && m->key[0] <= '9' &&
          is_array_index(m->key))
        any_index = true;
      out.emplace_back(m->key, Value::from_json(m->value));
    }
  } else {
    return;
  }
  if (any_index) {
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      bool ai = is_array_index(a.first), bi = is_array_index(b.first);
      if (ai && bi) return index_value(a.first) < index_value(b.first);
      return ai && !bi;
    });
  }
}

bool Ev::plain_jobj(const json::Value& j) {
  const json::Member* b = j.begin_members();
  const json::Member* e = j.end_members();
  for (const json::Member* m = b; m != e; ++m) {
    if (!m->key.empty() && m->key[0] >= '0' && m->key[0] <= '9' && is_array_index(m->key))
      return false;
  }
  if (j.size() <= 1) return true;
  if (j.size() <= 32) {
    for (const json::Member* m = b; m != e; ++m)
      for (const json::Member* n = m + 1; n != e; ++n)
        if (json::key_equals(m->key, n->key)) return false;
    return true;
  }
  std::vector<std::string_view> keys;
  keys.reserve(j.size());
  for (const json::Member* m = b; m != e; ++m) keys.push_back(m->key);
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
}

Value Ev::lookup_key(Value obj, std::string_view key) {
  if (obj.k == VK::Obj) {
    const Value* v = obj.u.o->find(key);
    return v ? *v : Value();
  }
  if (obj.k == VK::JObj) {
    const json::Value* v = obj.u.j->find(key);
    return v ? Value::from_json(*v) : Value();
  }
  return Value();
}

Value Ev::seq_of(Value v) {
  Array* a = new_seq();
  a->v.push_back(v);
  return Value::arr(a);
}

Value Ev::append(Value a, Value b) {
  if (a.undef_()) return b;
  if (b.undef_()) return a;
  if (!charge_values((a.is_array() ? arr_size(a) : 1) + (b.is_array() ? arr_size(b) : 1)))
    return Value();
  Array* r = new_array();
  if (a.is_array()) {
    size_t n = arr_size(a);
    r->v.reserve(n + 1);
    for (size_t i = 0; i < n; ++i) r->v.push_back(arr_at(a, i));
  } else {
    r->v.push_back(a);
  }
  if (b.is_array()) {
    size_t n = arr_size(b);
    for (size_t i = 0; i < n; ++i) r->v.push_back(arr_at(b, i));
  } else {
    r->v.push_back(b);
  }
  return Value::arr(r);
}

bool Ev::boolean(Value v) {
  switch (v.k) {
    case VK::Undef:
    case VK::Null:
    case VK::Func:
      return false;
    case VK::Bool:
      return v.truth();
    case VK::Num:
      return v.u.d != 0 && !std::isnan(v.u.d);
    case VK::Str:
      return v.n > 0;
    case VK::Obj:
      return !v.u.o->m.empty();
    case VK::JObj:
      return v.u.j->size() > 0;
    case VK::Arr:
    case VK::JArr: {
      size_t n = arr_size(v);
      if (n == 1) return boolean(arr_at(v, 0));
      for (size_t i = 0; i < n; ++i)
        if (boolean(arr_at(v, i))) return true;
      return false;
    }
  }
  return false;
}

bool Ev::deep_equal(Value a, Value b) {
  if (failed) return false;
  if (!stack_has_room()) return fail("U1001", call_position);
  if ((a.k == VK::Arr || a.k == VK::Obj) && !charge_work()) return false;
  if (a.is_array() && b.is_array()) {
    if (a.k == VK::JArr && b.k == VK::JArr && a.u.j == b.u.j) return true;
    size_t n = arr_size(a);
    if (n != arr_size(b)) return false;
    for (size_t i = 0; i < n; ++i)
      if (!deep_equal(arr_at(a, i), arr_at(b, i))) return false;
    return true;
  }
  if (a.is_object() && b.is_object()) {
    std::vector<std::pair<std::string_view, Value>> ea, eb;
    entries(a, ea);
    entries(b, eb);
    if (ea.size() != eb.size()) return false;
    for (auto& p : ea) {
      Value o = lookup_key(b, p.first);
      if (o.undef_() || !deep_equal(p.second, o)) return false;
    }
    return true;
  }
  if (a.k != b.k) return false;
  switch (a.k) {
    case VK::Undef:
    case VK::Null:
      return true;
    case VK::Bool:
      return a.truth() == b.truth();
    case VK::Num:
      return a.u.d == b.u.d;
    case VK::Str:
      return a.sv() == b.sv();
    case VK::Func:
      return a.u.f == b.u.f;
    default:
      return false;
  }
}

Value Ev::clone(Value v) {
  if (failed || !charge_work()) return Value();
  if (!stack_has_room()) {
    fail("U1001", call_position);
    return Value();
  }
  if (v.is_array()) {
    Array* r = new_array();
    size_t n = arr_size(v);
    for (size_t i = 0; i < n; ++i) {
      Value x = arr_at(v, i);
      if (x.undef_() || x.is_func())
        x = Value::null();
      else
        x = clone(x);
      r->v.push_back(x);
    }
    return Value::arr(r);
  }
  if (v.is_object()) {
    Object* o = new_object();
    std::vector<std::pair<std::string_view, Value>> es;
    entries(v, es);
    for (auto& p : es) {
      if (p.second.undef_() || p.second.is_func()) continue;
      o->m.emplace_back(p.first, clone(p.second));
    }
    return Value::obj(o);
  }
  return v;
}

int Ev::arity(Value fv) {
  if (!fv.is_func()) return 0;
  const Func* f = fv.u.f;
  switch (f->kind) {
    case Func::Kind::Lambda:
      return f->node ? int(f->node->params.size()) : 0;
    case Func::Kind::Builtin:
      return f->bi->arity;
    case Func::Kind::Partial: {
      int n = 0;
      for (bool h : f->hole) n += h ? 1 : 0;
      return n;
    }
    case Func::Kind::Chain:
      return arity(f->target);
    default:
      return 1;
  }
}

char type_symbol(const Value& v) {
  switch (v.k) {
    case VK::Undef:
      return 'm';
    case VK::Null:
      return 'l';
    case VK::Bool:
      return 'b';
    case VK::Num:
      return 'n';
    case VK::Str:
      return 's';
    case VK::Arr:
    case VK::JArr:
      return 'a';
    case VK::Obj:
    case VK::JObj:
      return 'o';
    case VK::Func:
      return 'f';
  }
  return 'm';
}

Env* Ev::tuple_env(Env* env, const Tuple& t) {
  Env* e = new_env(env);
  for (const auto& b : t.binds) e->bind(b.first, b.second);
  return e;
}

bool Ev::check_limits(size_t pos) {
  if (max_depth && depth > max_depth) {
    return fail("U1001", pos);
  }
  if (!stack_ok() || depth + applications > kMaxNesting) return fail("U1001", pos);
  if (has_deadline && (++tick & 255) == 0 && std::chrono::steady_clock::now() > deadline) {
    timed_out = true;
    return fail("U1001", pos);
  }
  return true;
}

bool Ev::detail(const Value& v, const Value* v2, int index) {
  auto render = [&](const Value& x) {
    std::string out;
    if (x.undef_()) return std::string("undefined");
    bool was_failed = failed;
    failed = false;  // rendering must not be refused because an error is being reported
    write_value(*this, x, out);
    failed = was_failed;
    if (out.size() > 200) out = out.substr(0, 200) + "...";
    return out;
  };
  err_value = render(v);
  if (v2) err_value2 = render(*v2);
  err_index = index;
  return false;
}

// ------------------------------------------------------------------------------ eval

namespace {
struct DepthGuard {
  uint32_t& d;
  explicit DepthGuard(uint32_t& x) : d(x) { ++d; }
  ~DepthGuard() { --d; }
};
}  // namespace

Value Ev::eval(const Node* e, Value input, Env* env) {
  if (failed) return Value();
  DepthGuard guard(depth);
  if (!within_limits(e->position)) return Value();
  Value r;
  switch (e->kind) {
    case NK::Num:
      r = Value::num(e->num);
      break;
    case NK::Str:
      r = Value::str(e->str);
      break;
    case NK::Bool:
      r = Value::boolean(e->bval);
      break;
    case NK::Null:
      r = Value::null();
      break;
    case NK::Regex: {
      Func* f = new_func();
      f->kind = Func::Kind::Regex;
      f->re = e->re.get();
      f->node = e;
      r = Value::fn(f);
      break;
    }
    case NK::Name:
      r = eval_name(e->str, input);
      break;
    case NK::Var:
      if (e->str.empty()) {
        r = input;
        if (r.k == VK::Arr && r.u.a->outer_wrapper && !r.u.a->v.empty()) r = r.u.a->v[0];
      } else if (e->builtin_fixed && !has_bindings) {
        r = Value::fn(builtin_func(e->builtin));
      } else if (const Value* v = env->find(e->str)) {
        r = *v;
      } else if (e->builtin) {
        r = Value::fn(builtin_func(e->builtin));
      }
      break;
    case NK::Wildcard: {
      Value in = input;
      if (in.k == VK::Arr && in.u.a->outer_wrapper && !in.u.a->v.empty()) in = in.u.a->v[0];
      Array* res = new_seq();
      if (in.is_array()) {
        size_t n = arr_size(in);
        for (size_t i = 0; i < n; ++i) {
          Value x = arr_at(in, i);
          if (x.is_array()) {
            flatten_into(x, res);
            res->sequence = false;
          } else {
            res->v.push_back(x);
          }
        }
      } else if (in.is_object()) {
        auto add = [&](Value x) {
          if (x.is_array()) {
            flatten_into(x, res);
            res->sequence = false;
          } else {
            res->v.push_back(x);
          }
        };
        if (in.k == VK::JObj && plain_jobj(*in.u.j)) {  // members in order, no copy
          for (const json::Member* m = in.u.j->begin_members(); m != in.u.j->end_members(); ++m)
            add(Value::from_json(m->value));
        } else {
          std::vector<std::pair<std::string_view, Value>> es;
          entries(in, es);
          for (auto& p : es) add(p.second);
        }
      }
      r = Value::arr(res);
      break;
    }
    case NK::Descendant: {
      if (!input.undef_()) {
        Array* res = new_seq();
        std::vector<Value> stack;
        // iterative pre-order walk
        struct Rec {
          Ev* ev;
          Array* res;
          void go(Value v, int d) {
            if (ev->failed || !ev->charge_work()) return;
            if (!stack_has_room()) {
              ev->fail("U1001");
              return;
            }
            if (!v.is_array()) {
              if (!ev->charge_values(1)) return;
              res->v.push_back(v);
            }
            if (v.is_array()) {
              size_t n = arr_size(v);
              for (size_t i = 0; i < n; ++i) go(arr_at(v, i), d + 1);
            } else if (v.k == VK::JObj && ev->plain_jobj(*v.u.j)) {  // members in order
              for (const json::Member* m = v.u.j->begin_members(); m != v.u.j->end_members(); ++m)
                go(Value::from_json(m->value), d + 1);
            } else if (v.is_object()) {
              std::vector<std::pair<std::string_view, Value>> es;
              ev->entries(v, es);
              for (auto& p : es) go(p.second, d + 1);
            }
          }
        } rec{this, res};
        rec.go(input, 0);
        r = res->v.size() == 1 ? res->v[0] : Value::arr(res);
      }
      break;
    }
    case NK::Parent: {
      std::string label = label_name(e->parent_label);
      if (const Value* v = env->find(keep(label))) r = *v;
      break;
    }
    case NK::Path:
      r = eval_path(e, input, env);
      break;
    case NK::Neg: {
      Value v = eval(e->lhs, input, env);
      if (failed) return Value();
      if (v.undef_()) break;
      if (v.k != VK::Num) {
        fail("D1002", e->position, "-");
        detail(v);
        return Value();
      }
      r = Value::num(-v.u.d);
      break;
    }
    case NK::ArrayCons: {
      Array* a = new_array();
      for (const Node* item : e->items) {
        Value v = eval(item, input, env);
        if (failed) return Value();
        if (v.undef_()) continue;
        if (item->kind == NK::ArrayCons) {
          a->v.push_back(v);
        } else if (v.is_array()) {
          size_t n = arr_size(v);
          if (!charge_values(n)) return Value();
          for (size_t i = 0; i < n; ++i) a->v.push_back(arr_at(v, i));
        } else {
          a->v.push_back(v);
        }
      }
      a->cons = e->cons_array;
      if (!charge_values(a->v.size() + 1)) return Value();
      r = Value::arr(a);
      break;
    }
    case NK::ObjectCons:
      r = eval_group(e, input, nullptr, env);
      break;
    case NK::Binary:
      r = eval_binary(e, input, env);
      break;
    case NK::Condition: {
      if (e->str == "?:") {
        Value c = eval(e->cond, input, env);
        if (failed) return Value();
        r = boolean(c) ? c : eval(e->else_, input, env);
      } else if (e->str == "??") {
        Value c = eval(e->cond, input, env);
        if (failed) return Value();
        r = !c.undef_() ? c : eval(e->else_, input, env);
      } else {
        Value c = eval(e->cond, input, env);
        if (failed) return Value();
        if (boolean(c))
          r = eval(e->then_, input, env);
        else if (e->else_)
          r = eval(e->else_, input, env);
      }
      break;
    }
    case NK::Block: {
      Env* frame = e->needs_frame ? new_env(env) : env;
      for (const Node* x : e->items) {
        r = eval(x, input, frame);
        if (failed) return Value();
      }
      break;
    }
    case NK::Bind: {
      r = eval(e->rhs, input, env);
      if (failed) return Value();
      env->bind(e->lhs->str, r);
      break;
    }
    case NK::Apply: {
      Value lhs = eval(e->lhs, input, env);
      if (failed) return Value();
      if (e->rhs->kind == NK::Call) {
        r = eval_call(e->rhs, input, env, &lhs);
      } else {
        Value func = eval(e->rhs, input, env);
        if (failed) return Value();
        if (!func.is_func()) {
          fail("T2006", e->position);
          return Value();
        }
        if (lhs.is_func()) {
          Func* c = new_func();
          c->kind = Func::Kind::Chain;
          c->target = lhs;
          c->second = func;
          r = Value::fn(c);
        } else {
          std::vector<Value> args{lhs};
          r = apply(func, args, Value::null(), env);
        }
      }
      break;
    }
    case NK::Call:
      r = eval_call(e, input, env, nullptr);
      break;
    case NK::Partial:
      r = eval_partial(e, input, env);
      break;
    case NK::Lambda: {
      Func* f = new_func();
      f->kind = Func::Kind::Lambda;
      f->node = e;
      f->env = env;
      f->input = input;
      f->thunk = e->thunk;
      r = Value::fn(f);
      break;
    }
    case NK::Transform: {
      Func* f = new_func();
      f->kind = Func::Kind::Transform;
      f->node = e;
      f->env = env;
      r = Value::fn(f);
      break;
    }
    case NK::Sort:
      r = eval_sort(e, input.is_array() ? input : seq_of(input), nullptr, env);
      break;
    default:
      break;
  }
  if (failed) return Value();
  for (const Stage& st : e->predicate) {
    r = eval_filter(st.expr, r, env);
    if (failed) return Value();
  }
  if (e->kind != NK::Path && e->group) {
    r = eval_group(e->group, r, nullptr, env);
    if (failed) return Value();
  }
  if (r.k == VK::Arr && r.u.a->sequence && !r.u.a->tuple_stream) {
    Array* a = r.u.a;
    if (e->keep_array) a->keep_singleton = true;
    if (a->v.empty()) return Value();
    if (a->v.size() == 1 && !a->keep_singleton) return a->v[0];
  }
  return r;
}

Value Ev::flatten_into(Value v, Array* out) {
  if (failed || !charge_work()) return Value();
  if (!stack_has_room()) {
    fail("U1001", call_position);
    return Value();
  }
  if (v.is_array()) {
    size_t n = arr_size(v);
    for (size_t i = 0; i < n; ++i) flatten_into(arr_at(v, i), out);
  } else if (charge_values(1)) {
    out->v.push_back(v);
  }
  return Value::arr(out);
}

Value Ev::eval_name(std::string_view key, Value input) {
  if (input.is_array()) {
    if (failed || !charge_work() || !charge_values(4)) return Value();
    if (!stack_has_room()) {
      fail("U1001", call_position);
      return Value();
    }
    Array* r = new_seq();
    size_t n = arr_size(input);
    for (size_t i = 0; i < n; ++i) {
      Value item = arr_at(input, i);
      Value res = eval_name(key, item);
      if (res.undef_()) continue;
      if (res.is_array()) {
        size_t m = arr_size(res);
        if (!charge_values(m)) return Value();
        for (size_t k = 0; k < m; ++k) r->v.push_back(arr_at(res, k));
      } else {
        r->v.push_back(res);
      }
    }
    return Value::arr(r);
  }
  if (input.is_object()) return lookup_key(input, key);
  return Value();
}

// ------------------------------------------------------------------------------ paths

Value Ev::eval_path(const Node* e, Value input, Env* env) {
  if (e->simple_name && !input.is_array()) {
    // One plain name step on a single value: a member lookup, no sequence needed.
    if (!input.is_object()) return Value();
    Value r = lookup_key(input, e->items[0]->str);
    if (r.k != VK::Arr || !r.u.a->sequence) return r;
  }
  // The input sequence; `single`: it is the one value `in_seq` (no sequence allocated).
  Value in_seq = input;
  bool single = !(input.is_array() && e->items[0]->kind != NK::Var);
  Value result;
  bool tuple_mode = false;
  bool have_tuples = false;
  std::vector<Tuple> tuples;
  const size_t nsteps = e->items.size();
  for (size_t ii = 0; ii < nsteps; ++ii) {
    const Node* step = e->items[ii];
    if (step->tuple) tuple_mode = true;
    if (single && (step->cons_array || tuple_mode || step->kind == NK::Sort)) {
      in_seq = seq_of(in_seq);
      single = false;
    }
    if (!single && !in_seq.is_array()) {
      // After a first step that constructs a non-array (e.g. `[..]{...}`), jsonata-js loops
      // over `input.length`: nothing for objects and numbers, the characters of a string.
      Array* items = new_seq();
      if (in_seq.k == VK::Str) {
        for (uint32_t cp : to_code_points(in_seq.sv()))
          items->v.push_back(make_str(from_code_points(&cp, 1)));
      }
      in_seq = Value::arr(items);
    }
    if (ii == 0 && step->cons_array) {
      result = eval(step, in_seq, env);
    } else if (tuple_mode) {
      std::vector<Tuple> out;
      eval_tuple_step(step, in_seq, have_tuples ? &tuples : nullptr, out, env);
      tuples = std::move(out);
      have_tuples = true;
    } else {
      result = eval_step(step, in_seq, env, ii == nsteps - 1, single);
    }
    if (failed) return Value();
    if (!tuple_mode && (result.undef_() || (result.is_array() && arr_size(result) == 0))) break;
    if (step->focus.empty()) {
      in_seq = result;
      single = false;
    }
  }
  if (tuple_mode) {
    Array* a = new_seq();
    if (e->tuple) {
      a->tuple_stream = true;
      for (auto& t : tuples) {
        Object* o = new_object();
        o->m.reserve(t.binds.size() + 1);
        o->m.emplace_back("@", t.at);
        for (auto& b : t.binds) o->m.push_back(b);
        a->v.push_back(Value::obj(o));
      }
    } else {
      for (auto& t : tuples) a->v.push_back(t.at);
    }
    result = Value::arr(a);
  }
  if (e->keep_singleton_array) {
    if (result.k == VK::Arr && result.u.a->cons && !result.u.a->sequence) result = seq_of(result);
    if (result.k == VK::Arr) result.u.a->keep_singleton = true;
  }
  if (e->group) result = eval_group(e->group, result, tuple_mode ? &tuples : nullptr, env);
  return result;
}

Value Ev::eval_step(const Node* step, Value in_seq, Env* env, bool last, bool single) {
  if (step->kind == NK::Sort) {
    Value r = eval_sort(step, in_seq, nullptr, env);
    for (const Stage& st : step->stages) {
      if (st.is_index) continue;
      r = eval_filter(st.expr, r, env);
      if (failed) return Value();
    }
    return r;
  }
  size_t n = single ? 1 : arr_size(in_seq);
  Array* out = new_seq();
  out->v.reserve(n);
  size_t count = 0;
  Value first;
  const bool is_name =
      step->kind == NK::Name && step->predicate.empty() && !step->group && !step->keep_array;
  for (size_t i = 0; i < n; ++i) {
    Value item = single ? in_seq : arr_at(in_seq, i);
    Value res;
    if (is_name && !item.is_array()) {
      res = item.is_object() ? lookup_key(item, step->str) : Value();
      if (res.k == VK::Arr && res.u.a->sequence) res = eval(step, item, env);
    } else {
      res = eval(step, item, env);
    }
    if (failed) return Value();
    for (const Stage& st : step->stages) {
      if (st.is_index) continue;
      res = eval_filter(st.expr, res, env);
      if (failed) return Value();
    }
    if (res.undef_()) continue;
    if (count++ == 0) first = res;
    if (!res.is_array() || (res.k == VK::Arr && res.u.a->cons)) {
      out->v.push_back(res);
    } else {
      size_t m = arr_size(res);
      if (res.k == VK::JArr) {
        const json::Value* it = res.u.j->begin_items();
        for (size_t k = 0; k < m; ++k) out->v.push_back(Value::from_json(it[k]));
      } else {
        out->v.insert(out->v.end(), res.u.a->v.begin(), res.u.a->v.end());
      }
    }
  }
  if (last && count == 1 && first.is_array() && !is_seq(first)) return first;
  if (!charge_values(out->v.size())) return Value();
  return Value::arr(out);
}

namespace {
void tuple_bind(Tuple& t, std::string_view name, Value v) {
  for (auto& p : t.binds)
    if (p.first == name) {
      p.second = v;
      return;
    }
  t.binds.emplace_back(name, v);
}
}  // namespace

bool Ev::eval_tuple_step(const Node* step, Value in_seq, std::vector<Tuple>* in,
                         std::vector<Tuple>& out, Env* env) {
  if (step->kind == NK::Sort) {
    if (in) {
      out = *in;
      eval_sort(step, Value(), &out, env);
    } else {
      Value sorted = eval_sort(step, in_seq, nullptr, env);
      if (failed) return false;
      size_t n = sorted.is_array() ? arr_size(sorted) : 0;
      for (size_t i = 0; i < n; ++i) {
        Tuple t;
        t.at = arr_at(sorted, i);
        if (!step->index.empty()) tuple_bind(t, step->index, Value::num(double(i)));
        out.push_back(std::move(t));
      }
    }
  } else {
    std::vector<Tuple> local;
    if (!in) {
      size_t n = in_seq.is_array() ? arr_size(in_seq) : 0;
      for (size_t i = 0; i < n; ++i) {
        Tuple t;
        t.at = arr_at(in_seq, i);
        local.push_back(std::move(t));
      }
    }
    const std::vector<Tuple>& src = in ? *in : local;
    for (const Tuple& tin : src) {
      Env* senv = tuple_env(env, tin);
      Value res = eval(step, tin.at, senv);
      if (failed) return false;
      if (res.undef_()) continue;
      size_t m = res.is_array() ? arr_size(res) : 1;
      const bool stream = res.k == VK::Arr && res.u.a->tuple_stream;
      for (size_t bb = 0; bb < m; ++bb) {
        Value item = res.is_array() ? arr_at(res, bb) : res;
        Tuple t = tin;
        if (stream) {
          for (auto& p : item.u.o->m) {
            if (p.first == "@")
              t.at = p.second;
            else
              tuple_bind(t, p.first, p.second);
          }
          out.push_back(std::move(t));
          continue;
        }
        if (!step->focus.empty()) {
          tuple_bind(t, step->focus, item);
          t.at = tin.at;
        } else {
          t.at = item;
        }
        if (!step->index.empty()) tuple_bind(t, step->index, Value::num(double(bb)));
        if (step->ancestor_label >= 0)
          tuple_bind(t, keep(label_name(step->ancestor_label)), tin.at);
        out.push_back(std::move(t));
      }
    }
  }
  if (failed) return false;
  for (const Stage& st : step->stages) {
    if (st.is_index) {
      for (size_t i = 0; i < out.size(); ++i) tuple_bind(out[i], st.var, Value::num(double(i)));
    } else {
      if (!eval_filter_tuples(st.expr, out, env)) return false;
    }
  }
  return true;
}

namespace {
bool is_array_of_numbers(const Value& v) {
  if (!v.is_array()) return false;
  size_t n = arr_size(v);
  for (size_t i = 0; i < n; ++i)
    if (arr_at(v, i).k != VK::Num) return false;
  return true;
}
// How many of the indexes in `res` select item `index` (jsonata-js adds the item once per
// matching index, so [[0, 0]] selects it twice).
size_t index_matches(const Value& res, size_t index, size_t len) {
  auto check = [&](double d) {
    double f = std::floor(d);
    if (f < 0) f += double(len);
    return f == double(index);
  };
  if (res.k == VK::Num) return check(res.u.d) ? 1 : 0;
  size_t n = arr_size(res), count = 0;
  for (size_t i = 0; i < n; ++i)
    if (check(arr_at(res, i).u.d)) ++count;
  return count;
}
}  // namespace

Value Ev::eval_filter(const Node* pred, Value input, Env* env) {
  if (input.k == VK::Arr && input.u.a->tuple_stream) {
    std::vector<Tuple> ts;
    for (const Value& item : input.u.a->v) {
      Tuple t;
      for (auto& p : item.u.o->m) {
        if (p.first == "@")
          t.at = p.second;
        else
          t.binds.push_back(p);
      }
      ts.push_back(std::move(t));
    }
    if (!eval_filter_tuples(pred, ts, env)) return Value();
    Array* a = new_seq();
    a->tuple_stream = true;
    for (auto& t : ts) {
      Object* o = new_object();
      o->m.emplace_back("@", t.at);
      for (auto& b : t.binds) o->m.push_back(b);
      a->v.push_back(Value::obj(o));
    }
    return Value::arr(a);
  }
  Array* results = new_seq();
  Value in = input.is_array() ? input : seq_of(input);
  size_t n = arr_size(in);
  if (pred->kind == NK::Num) {
    double idx = std::floor(pred->num);
    if (idx < 0) idx += double(n);
    if (idx >= 0 && idx < double(n)) {
      Value item = arr_at(in, size_t(idx));
      if (item.is_array()) return item;
      if (!item.undef_()) results->v.push_back(item);
    }
    return Value::arr(results);
  }
  if (pred->constant && n > 0) {
    // Evaluated once: indexes select items (in item order, each once), else a boolean.
    Value res = eval(pred, Value(), env);
    if (failed) return Value();
    if (res.k == VK::Num || is_array_of_numbers(res)) {
      std::vector<uint32_t> keep(n, 0);  // times each item is selected
      size_t m = res.k == VK::Num ? 1 : arr_size(res);
      for (size_t k = 0; k < m; ++k) {
        double f = std::floor(res.k == VK::Num ? res.u.d : arr_at(res, k).u.d);
        if (f < 0) f += double(n);
        if (f >= 0 && f < double(n)) ++keep[size_t(f)];
      }
      for (size_t i = 0; i < n; ++i) {
        Value item = arr_at(in, i);
        if (item.undef_()) continue;
        for (uint32_t k = keep[i]; k > 0; --k) results->v.push_back(item);
      }
    } else if (boolean(res)) {
      for (size_t i = 0; i < n; ++i) results->v.push_back(arr_at(in, i));
    }
    return Value::arr(results);
  }
  for (size_t i = 0; i < n; ++i) {
    // An undefined input is a sequence of one undefined item: jsonata-js evaluates the
    // predicate on it too, and keeps the (undefined) item when it holds.
    Value item = arr_at(in, i);
    Value res = eval(pred, item, env);
    if (failed) return Value();
    if (res.k == VK::Num || is_array_of_numbers(res)) {
      for (size_t k = index_matches(res, i, n); k > 0; --k) results->v.push_back(item);
    } else if (boolean(res)) {
      results->v.push_back(item);
    }
  }
  return Value::arr(results);
}

bool Ev::eval_filter_tuples(const Node* pred, std::vector<Tuple>& tuples, Env* env) {
  std::vector<Tuple> out;
  size_t n = tuples.size();
  if (pred->kind == NK::Num) {
    double idx = std::floor(pred->num);
    if (idx < 0) idx += double(n);
    if (idx >= 0 && idx < double(n)) out.push_back(tuples[size_t(idx)]);
    tuples = std::move(out);
    return true;
  }
  for (size_t i = 0; i < n; ++i) {
    Env* te = tuple_env(env, tuples[i]);
    Value res = eval(pred, tuples[i].at, te);
    if (failed) return false;
    if (res.k == VK::Num || is_array_of_numbers(res)) {
      for (size_t k = index_matches(res, i, n); k > 0; --k) out.push_back(tuples[i]);
    } else if (boolean(res)) {
      out.push_back(tuples[i]);
    }
  }
  tuples = std::move(out);
  return true;
}

// ------------------------------------------------------------------------------ group / sort

Value Ev::eval_group(const Node* g, Value input, std::vector<Tuple>* tuples, Env* env) {
  struct Grp {
    std::string_view key;
    Value data;
    std::vector<size_t> tuple_idx;
    size_t expr_index;
    Array* owned = nullptr;  // data once it holds several items: appended in place
  };
  // An object literal over one context value with distinct literal keys: every key makes its
  // own group holding that value, so the members are the values in the order written.
  if (!tuples && g->literal_keys && !input.is_array()) {
    if (!charge_values(g->pairs.size() + 1)) return Value();
    Object* result = new_object();
    result->m.reserve(g->pairs.size());
    for (const auto& [key, value] : g->pairs) {
      Value v = eval(value, input, env);
      if (failed) return Value();
      if (!v.undef_()) result->m.emplace_back(key->str, v);
    }
    return Value::obj(result);
  }
  std::vector<Grp> groups;
  std::unordered_map<std::string_view, size_t> index;  // built once there are many groups
  auto find = [&](std::string_view k) -> Grp* {
    if (!index.empty()) {
      auto it = index.find(k);
      return it == index.end() ? nullptr : &groups[it->second];
    }
    for (auto& gr : groups)
      if (gr.key == k) return &gr;
    return nullptr;
  };
  const bool reduce = tuples != nullptr;
  Value in = input;
  size_t n;
  const bool single = !reduce && !in.is_array();  // one context value: no sequence needed
  if (reduce)
    n = tuples->size();
  else
    n = single ? 1 : arr_size(in);
  // an empty input still makes a literal object (one undefined item), but not a tuple stream
  size_t count = n == 0 ? (reduce ? 0 : 1) : n;
  for (size_t i = 0; i < count; ++i) {
    Value item =
        reduce ? (n ? (*tuples)[i].at : Value()) : (single ? in : (n ? arr_at(in, i) : Value()));
    Env* e2 = (reduce && n) ? tuple_env(env, (*tuples)[i]) : env;
    for (size_t pi = 0; pi < g->pairs.size(); ++pi) {
      Value key = eval(g->pairs[pi].first, item, e2);
      if (failed) return Value();
      if (key.undef_()) continue;
      if (key.k != VK::Str) {
        fail("T1003", g->position);
        detail(key);
        return Value();
      }
      if (Grp* gr = find(key.sv())) {
        if (gr->expr_index != pi) {
          fail("D1009", g->position);
          detail(key);
          return Value();
        }
        if (reduce)
          gr->tuple_idx.push_back(i);
        else if (!item.undef_()) {
          // jsonata-js: data = $append(data, item); the array is ours, so append in place
          if (!gr->owned) {
            gr->owned = new_array();
            if (gr->data.is_array()) {
              size_t m = arr_size(gr->data);
              for (size_t k = 0; k < m; ++k) gr->owned->v.push_back(arr_at(gr->data, k));
            } else if (!gr->data.undef_()) {
              gr->owned->v.push_back(gr->data);
            }
            gr->data = Value::arr(gr->owned);
          }
          size_t m = item.is_array() ? arr_size(item) : 1;
          if (!charge_values(m)) return Value();
          if (item.is_array()) {
            for (size_t k = 0; k < m; ++k) gr->owned->v.push_back(arr_at(item, k));
          } else {
            gr->owned->v.push_back(item);
          }
        }
      } else {
        Grp ng;
        ng.key = key.sv();
        ng.data = item;
        ng.expr_index = pi;
        if (reduce) ng.tuple_idx.push_back(i);
        groups.push_back(std::move(ng));
        if (groups.size() == 16) {
          for (size_t k = 0; k < groups.size(); ++k) index.emplace(groups[k].key, k);
        } else if (groups.size() > 16) {
          index.emplace(groups.back().key, groups.size() - 1);
        }
      }
    }
  }
  if (!charge_values(groups.size() + 1)) return Value();
  Object* result = new_object();
  for (auto& gr : groups) {
    Value ctx = gr.data;
    Env* e3 = env;
    if (reduce) {
      Tuple merged = (*tuples)[gr.tuple_idx[0]];
      for (size_t k = 1; k < gr.tuple_idx.size(); ++k) {
        const Tuple& t = (*tuples)[gr.tuple_idx[k]];
        merged.at = append(merged.at, t.at);
        for (auto& b : t.binds) {
          bool found = false;
          for (auto& mb : merged.binds)
            if (mb.first == b.first) {
              mb.second = append(mb.second, b.second);
              found = true;
            }
          if (!found) merged.binds.push_back(b);
        }
      }
      ctx = merged.at;
      e3 = tuple_env(env, merged);
    }
    Value v = eval(g->pairs[gr.expr_index].second, ctx, e3);
    if (failed) return Value();
    if (!v.undef_()) result->set(gr.key, v);
  }
  return Value::obj(result);
}

Value Ev::eval_sort(const Node* s, Value input, std::vector<Tuple>* tuples, Env* env) {
  size_t n = tuples ? tuples->size() : (input.is_array() ? arr_size(input) : 0);
  if (!tuples && n <= 1) return input;
  if (tuples && n <= 1) return Value();
  const size_t nt = s->terms.size();
  std::vector<Value> keys(n * nt);
  for (size_t i = 0; i < n; ++i) {
    Value ctx = tuples ? (*tuples)[i].at : arr_at(input, i);
    Env* e2 = tuples ? tuple_env(env, (*tuples)[i]) : env;
    for (size_t t = 0; t < nt; ++t) {
      keys[i * nt + t] = eval(s->terms[t].expr, ctx, e2);
      if (failed) return Value();
    }
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  // comparator(a, b): true when a sorts after b
  auto after = [&](size_t a, size_t b) -> bool {
    if (failed) return false;
    int comp = 0;
    for (size_t t = 0; comp == 0 && t < nt; ++t) {
      const Value& aa = keys[a * nt + t];
      const Value& bb = keys[b * nt + t];
      if (aa.undef_()) {
        comp = bb.undef_() ? 0 : 1;
        continue;
      }
      if (bb.undef_()) {
        comp = -1;
        continue;
      }
      bool an = aa.k == VK::Num || aa.k == VK::Str;
      bool bn = bb.k == VK::Num || bb.k == VK::Str;
      if (!an || !bn) {
        fail("T2008", s->position);
        detail(!an ? aa : bb);
        return false;
      }
      if (aa.k != bb.k) {
        fail("T2007", s->position);
        detail(aa, &bb);
        return false;
      }
      if (aa.k == VK::Num)
        comp = aa.u.d == bb.u.d ? 0 : (aa.u.d < bb.u.d ? -1 : 1);
      else
        comp = compare_utf16(aa.sv(), bb.sv());
      if (s->terms[t].descending) comp = -comp;
    }
    return comp == 1;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return after(y, x); });
  if (failed) return Value();
  if (tuples) {
    std::vector<Tuple> sorted;
    sorted.reserve(n);
    for (size_t i : order) sorted.push_back((*tuples)[i]);
    *tuples = std::move(sorted);
    return Value();
  }
  Array* out = new_array();
  out->v.reserve(n);
  for (size_t i : order) out->v.push_back(arr_at(input, i));
  return Value::arr(out);
}

// ------------------------------------------------------------------------------ operators

Value Ev::eval_binary(const Node* e, Value input, Env* env) {
  Value lhs = eval(e->lhs, input, env);
  if (failed) return Value();
  if (e->op == Op::And || e->op == Op::Or) {
    bool l = boolean(lhs);
    if (e->op == Op::And && !l) return Value::boolean(false);
    if (e->op == Op::Or && l) return Value::boolean(true);
    Value rhs = eval(e->rhs, input, env);
    if (failed) {  // jsonata-js reports errors of the right side at the operator
      err.position = e->position;
      err.token = e->str;
      return Value();
    }
    return Value::boolean(boolean(rhs));
  }
  Value rhs = eval(e->rhs, input, env);
  if (failed) return Value();
  switch (e->op) {
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Mod: {
      // NaN is not numeric for jsonata-js (isNumeric), so `0/0 + 1` is T2001
      if (!lhs.undef_() && (lhs.k != VK::Num || std::isnan(lhs.u.d))) {
        fail("T2001", e->position, e->str);
        return Value();
      }
      if (!rhs.undef_() && (rhs.k != VK::Num || std::isnan(rhs.u.d))) {
        fail("T2002", e->position, e->str);
        return Value();
      }
      if (lhs.k == VK::Num && !std::isfinite(lhs.u.d)) {
        fail("D1001", e->position, e->str);
        detail(lhs);
        return Value();
      }
      if (rhs.k == VK::Num && !std::isfinite(rhs.u.d)) {
        fail("D1001", e->position, e->str);
        detail(rhs);
        return Value();
      }
      if (lhs.undef_() || rhs.undef_()) return Value();
      double a = lhs.u.d, b = rhs.u.d, r = 0;
      switch (e->op) {
        case Op::Add:
          r = a + b;
          break;
        case Op::Sub:
          r = a - b;
          break;
        case Op::Mul:
          r = a * b;
          break;
        case Op::Div:
          r = a / b;
          break;
        default:
          r = std::fmod(a, b);
          break;
      }
      return Value::num(r);
    }
    case Op::Eq:
    case Op::Ne: {
      if (lhs.undef_() || rhs.undef_()) return Value::boolean(false);
      bool eq = deep_equal(lhs, rhs);
      return Value::boolean(e->op == Op::Eq ? eq : !eq);
    }
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: {
      bool lc = lhs.undef_() || lhs.k == VK::Str || lhs.k == VK::Num;
      bool rc = rhs.undef_() || rhs.k == VK::Str || rhs.k == VK::Num;
      if (!lc || !rc) {
        fail("T2010", e->position, e->str);
        detail(!lc ? lhs : rhs);
        return Value();
      }
      if (lhs.undef_() || rhs.undef_()) return Value();
      if (lhs.k != rhs.k) {
        fail("T2009", e->position, e->str);
        detail(lhs, &rhs);
        return Value();
      }
      int c;
      if (lhs.k == VK::Num)
        c = lhs.u.d < rhs.u.d ? -1 : (lhs.u.d > rhs.u.d ? 1 : (lhs.u.d == rhs.u.d ? 0 : 2));
      else
        c = compare_utf16(lhs.sv(), rhs.sv());
      if (c == 2) return Value::boolean(false);
      switch (e->op) {
        case Op::Lt:
          return Value::boolean(c < 0);
        case Op::Le:
          return Value::boolean(c <= 0);
        case Op::Gt:
          return Value::boolean(c > 0);
        default:
          return Value::boolean(c >= 0);
      }
    }
    case Op::Concat: {
      std::string s;
      if (lhs.k == VK::Str && rhs.k == VK::Str && byte_budget < int64_t(lhs.n) + int64_t(rhs.n)) {
        over_budget = true;
        fail("U1001", e->position, e->str);
        return Value();
      }
      if (!lhs.undef_()) s = string_of(*this, lhs, false);
      if (failed) return Value();
      if (!rhs.undef_()) s += string_of(*this, rhs, false);
      if (failed) return Value();
      return make_str(std::move(s));
    }
    case Op::Range: {
      auto is_int = [](const Value& v) {
        return v.k == VK::Num && std::floor(v.u.d) == v.u.d && std::isfinite(v.u.d);
      };
      if (!lhs.undef_() && !is_int(lhs)) {
        fail("T2003", e->position, "..");
        detail(lhs);
        return Value();
      }
      if (!rhs.undef_() && !is_int(rhs)) {
        fail("T2004", e->position, "..");
        detail(rhs);
        return Value();
      }
      if (lhs.undef_() || rhs.undef_()) return Value();
      double a = lhs.u.d, b = rhs.u.d;
      if (a > b) return Value();
      double size = b - a + 1;
      if (size > 1e7) {
        fail("D2014", e->position, "..");
        detail(Value::num(size));
        return Value();
      }
      if (!charge_values(size_t(size))) return Value();
      Array* r = new_seq();
      r->v.resize(size_t(size));
      for (size_t i = 0; i < size_t(size); ++i) r->v[i] = Value::num(a + double(i));
      return Value::arr(r);
    }
    case Op::In: {
      if (lhs.undef_() || rhs.undef_()) return Value::boolean(false);
      auto same = [&](const Value& x) {
        if (x.k != lhs.k) return false;
        switch (x.k) {
          case VK::Null:
            return true;
          case VK::Bool:
            return x.truth() == lhs.truth();
          case VK::Num:
            return x.u.d == lhs.u.d;
          case VK::Str:
            return x.sv() == lhs.sv();
          case VK::Arr:
            return x.u.a == lhs.u.a;
          case VK::Obj:
            return x.u.o == lhs.u.o;
          case VK::JArr:
          case VK::JObj:
            return x.u.j == lhs.u.j;
          case VK::Func:
            return x.u.f == lhs.u.f;
          default:
            return false;
        }
      };
      if (rhs.is_array()) {
        size_t n = arr_size(rhs);
        for (size_t i = 0; i < n; ++i)
          if (same(arr_at(rhs, i))) return Value::boolean(true);
        return Value::boolean(false);
      }
      return Value::boolean(same(rhs));
    }
    default:
      return Value();
  }
}

// ------------------------------------------------------------------------------ functions

namespace {
// The name jsonata-js reports for a call's procedure (built only when reporting an error).
std::string_view call_name(const Node* lhs) {
  if (lhs->kind == NK::Path && !lhs->items.empty()) return lhs->items[0]->str;
  if (lhs->kind == NK::Call || lhs->kind == NK::Partial) return "(";
  return lhs->str;
}

// Borrows a reusable argument vector for one call level; returned (emptied) on scope exit.
class ArgFrame {
 public:
  ArgFrame(Ev& ev, size_t n) : ev_(ev) {
    size_t d = ev.arg_depth++;
    if (d < Ev::kArgInline) {
      args_ = &ev.arg_inline[d];
    } else {
      d -= Ev::kArgInline;
      if (d == ev.arg_more.size()) ev.arg_more.push_back(std::make_unique<std::vector<Value>>());
      args_ = ev.arg_more[d].get();
    }
    args_->clear();
    args_->reserve(n);
  }
  ~ArgFrame() {
    args_->clear();
    --ev_.arg_depth;
  }
  ArgFrame(const ArgFrame&) = delete;
  ArgFrame& operator=(const ArgFrame&) = delete;
  std::vector<Value>& args() { return *args_; }

 private:
  Ev& ev_;
  std::vector<Value>* args_;
};
}  // namespace

Value Ev::eval_call(const Node* e, Value input, Env* env, const Value* applyto) {
  Value proc = eval(e->lhs, input, env);
  if (failed) return Value();
  if (proc.undef_() && e->lhs->kind == NK::Path && e->lhs->items[0]->kind == NK::Name) {
    std::string_view name = call_name(e->lhs);
    if (env->find(name) || find_builtin(name)) {
      fail("T1005", e->position, std::string(name));
      return Value();
    }
  }
  ArgFrame frame(*this, e->items.size() + 1);
  std::vector<Value>& args = frame.args();
  if (applyto) args.push_back(*applyto);
  for (const Node* a : e->items) {
    args.push_back(eval(a, input, env));
    if (failed) return Value();
  }
  size_t saved_pos = call_position;
  call_position = e->position;
  if (proc.is_func() && proc.u.f->kind != Func::Kind::Builtin)
    proc.u.f->last_position = e->position;
  Value r = apply(proc, args, input, env, e->position);
  call_position = saved_pos;
  if (failed) {
    if (err.token.empty()) err.token = std::string(call_name(e->lhs));
    if (err.position == 0) err.position = e->position;
  }
  return r;
}

Value Ev::eval_partial(const Node* e, Value input, Env* env) {
  Func* f = new_func();
  f->kind = Func::Kind::Partial;
  for (const Node* a : e->items) {
    if (a->kind == NK::Placeholder) {
      f->bound.push_back(Value());
      f->hole.push_back(true);
    } else {
      f->bound.push_back(eval(a, input, env));
      f->hole.push_back(false);
      if (failed) return Value();
    }
  }
  Value proc = eval(e->lhs, input, env);
  if (failed) return Value();
  std::string name;
  if (e->lhs->kind == NK::Path && !e->lhs->items.empty())
    name = e->lhs->items[0]->str;
  else if (e->lhs->kind == NK::Call || e->lhs->kind == NK::Partial)
    name = "(";
  else
    name = e->lhs->str;
  if (proc.undef_() && e->lhs->kind == NK::Path && e->lhs->items[0]->kind == NK::Name &&
      (env->find(name) || find_builtin(name))) {
    fail("T1007", e->position, name);
    return Value();
  }
  if (!proc.is_func()) {
    fail("T1008", e->position, name);
    return Value();
  }
  f->target = proc;
  return Value::fn(f);
}

Value Ev::apply(Value proc, std::vector<Value>& args, Value input, Env* env, size_t stamp) {
  // Applications nest on the native stack without eval() frames in between when higher-order
  // functions call back (a tail call inside a $map callback): bound them as well.
  DepthGuard guard(applications);
  if (!stack_ok() || depth + applications > kMaxNesting) {
    fail("U1001", stamp ? stamp : call_position);
    return Value();
  }
  Value r = apply_inner(proc, args, input, env);
  // jsonata-js stamps an error leaving a function with the position of the call that applied
  // it (so the outermost direct call's position wins); calls made by higher-order functions
  // do not stamp.
  if (failed && stamp) {
    const bool shared = proc.is_func() && proc.u.f->kind == Func::Kind::Builtin;
    err.position = shared || !proc.is_func() ? stamp : proc.u.f->last_position;
  }
  while (!failed && r.is_func() && r.u.f->thunk) {
    const Func* th = r.u.f;
    const Node* call = th->node->lhs;
    Value next = eval(call->lhs, th->input, th->env);
    if (failed) return Value();
    ArgFrame frame(*this, call->items.size());
    std::vector<Value>& a = frame.args();
    for (const Node* x : call->items) {
      a.push_back(eval(x, th->input, th->env));
      if (failed) return Value();
    }
    size_t saved_pos = call_position;
    call_position = call->lhs->position;
    r = apply_inner(next, a, input, env);
    call_position = saved_pos;
    if (failed) {
      err.position = call->lhs->position;
      if (err.token.empty())
        err.token = std::string(call->lhs->kind == NK::Path && !call->lhs->items.empty()
                                    ? std::string_view(call->lhs->items[0]->str)
                                    : std::string_view(call->lhs->str));
    }
  }
  return r;
}

bool Ev::validate(const Signature* sig, std::vector<Value>& args, Value context, size_t pos,
                  const char* token_name) {
  const size_t np = sig->params.size();
  // Matches args[0..] against params[first..] position by position; the parameters left over
  // must be optional without '-'.
  auto positional = [&](size_t first) {
    if (args.size() + first > np) return false;
    size_t i = 0;
    while (i < args.size() && (sig->params[first + i].mask & type_bit(type_symbol(args[i])))) ++i;
    if (i < args.size()) return false;
    for (size_t k = first + i; k < np; ++k)
      if (!sig->params[k].optional || sig->params[k].context) return false;
    return true;
  };
  // Array parameters of a positional match: the subtype checked (a failure is left to the
  // full path, which words the error), then a single value wrapped in an array.
  auto arrays_ok = [&](size_t first) {
    if (!sig->has_array_param) return true;
    for (size_t i = 0; i < args.size(); ++i) {
      const Signature::Param& p = sig->params[first + i];
      if (p.type != 'a' || p.subtype.empty()) continue;
      const char t = type_symbol(args[i]);
      if (t == 'm') continue;
      if (t != 'a') {
        if (p.subtype.size() != 1 || p.subtype[0] != t) return false;
        continue;
      }
      const size_t n = arr_size(args[i]);
      for (size_t j = 0; j < n; ++j)
        if (type_symbol(arr_at(args[i], j)) != p.subtype[0]) return false;
    }
    return true;
  };
  auto wrap_arrays = [&](size_t first) {
    if (!sig->has_array_param) return;
    for (size_t i = 0; i < args.size(); ++i) {
      if (sig->params[first + i].type != 'a' || args[i].undef_() || args[i].is_array()) continue;
      Array* w = new_array();
      w->v.push_back(args[i]);
      args[i] = Value::arr(w);
    }
  };
  if (sig->positional) {
    if (positional(0) && arrays_ok(0)) {
      wrap_arrays(0);
      args.resize(np);  // parameters left out are undefined
      return true;
    }
    // A '-' first parameter (`$uppercase()`, `$substringBefore(" ")` in a path): with no
    // more arguments than the required parameters after it, no match can give it an
    // argument, so it takes the context and the arguments follow it.
    if (np > 0 && sig->params[0].context && args.size() <= sig->required_after_first &&
        (sig->params[0].mask & type_bit(type_symbol(context))) && positional(1) && arrays_ok(1)) {
      wrap_arrays(1);
      args.insert(args.begin(), context);
      args.resize(np);
      return true;
    }
  }
  char small_types[32];
  std::string big_types;
  std::string_view supplied;
  if (args.size() <= sizeof(small_types)) {
    for (size_t i = 0; i < args.size(); ++i) small_types[i] = type_symbol(args[i]);
    supplied = std::string_view(small_types, args.size());
  } else {
    big_types.reserve(args.size());
    for (const Value& a : args) big_types += type_symbol(a);
    supplied = big_types;
  }
  auto token = [&] { return std::string(token_name); };
  std::pair<size_t, size_t> small[16];
  std::vector<std::pair<size_t, size_t>> big;
  std::pair<size_t, size_t>* spans = small;
  if (sig->params.size() > 16) {
    big.resize(sig->params.size());
    spans = big.data();
  }
  if (!sig->match(supplied, sig->params.size(), true, spans, nullptr)) {
    // where it went wrong: the longest prefix of parameters that still matches
    size_t good = 0;
    for (size_t k = 1; k <= sig->params.size(); ++k) {
      size_t end = 0;
      if (!sig->match(supplied, k, false, nullptr, &end)) break;
      good = end;
    }
    fail("T0410", pos, token());
    if (good < args.size()) detail(args[good]);
    return detail_index(int(good) + 1);
  }
  std::vector<Value>& out = sig_scratch;
  out.clear();
  size_t argi = 0;
  for (size_t k = 0; k < sig->params.size(); ++k) {
    const Signature::Param& p = sig->params[k];
    std::string_view match = supplied.substr(spans[k].first, spans[k].second - spans[k].first);
    if (match.empty()) {
      if (p.context) {
        if (p.chars.find(type_symbol(context)) != std::string::npos)
          out.push_back(context);
        else {
          fail("T0411", pos, token());
          detail(context);
          return detail_index(int(argi) + 1);
        }
      } else {
        out.push_back(argi < args.size() ? args[argi] : Value());
        ++argi;
      }
    } else {
      for (char single : match) {
        Value arg = argi < args.size() ? args[argi] : Value();
        if (p.type == 'a') {
          if (single == 'm') {
            arg = Value();
          } else {
            bool ok = true;
            if (!p.subtype.empty()) {
              if (single != 'a' && match != p.subtype) {
                ok = false;
              } else if (single == 'a' && arr_size(arg) > 0) {
                char it = type_symbol(arr_at(arg, 0));
                if (it != p.subtype[0]) ok = false;
                size_t n = arr_size(arg);
                for (size_t i = 1; ok && i < n; ++i)
                  if (type_symbol(arr_at(arg, i)) != it) ok = false;
              }
            }
            if (!ok) {
              fail("T0412", pos, token());
              detail(arg);
              err_value2 = p.subtype;
              return detail_index(int(argi) + 1);
            }
            if (single != 'a') {
              Array* w = new_array();
              w->v.push_back(arg);
              arg = Value::arr(w);
            }
          }
        }
        out.push_back(arg);
        ++argi;
      }
    }
  }
  args.swap(out);
  out.clear();
  return true;
}

Value Ev::apply_inner(Value proc, std::vector<Value>& args, Value input, Env* env) {
  if (!proc.is_func()) {
    fail("T1006", call_position);
    return Value();
  }
  Func* f = proc.u.f;
  switch (f->kind) {
    case Func::Kind::Lambda: {
      const Node* n = f->node;
      if (n->sig) {
        if (!validate(n->sig.get(), args, input, call_position, "")) return Value();
      }
      Env* e2 = new_env(f->env);
      const auto& ps = n->params;
      for (size_t i = 0; i < ps.size(); ++i) e2->bind(ps[i], i < args.size() ? args[i] : Value());
      return eval(n->lhs, f->input, e2);
    }
    case Func::Kind::Builtin: {
      if (f->bi->sig) {
        if (!validate(f->bi->sig, args, input, call_position, f->bi->name)) {
          return Value();
        }
      }
      Value saved_in = call_input;
      Env* saved_env = call_env;
      call_input = input;
      call_env = env;
      Value out;
      bool ok = f->bi->fn(*this, args, out);
      call_input = saved_in;
      call_env = saved_env;
      if (!ok) {
        if (err.token.empty()) err.token = f->bi->name;
        return Value();
      }
      return out;
    }
    case Func::Kind::Partial: {
      std::vector<Value> full;
      size_t ai = 0;
      for (size_t i = 0; i < f->bound.size(); ++i) {
        if (f->hole[i])
          full.push_back(ai < args.size() ? args[ai++] : Value());
        else
          full.push_back(f->bound[i]);
      }
      return apply(f->target, full, input, env);
    }
    case Func::Kind::Chain: {
      Value r1 = apply(f->target, args, input, env);
      if (failed) return Value();
      std::vector<Value> a2{r1};
      return apply(f->second, a2, input, env);
    }
    case Func::Kind::Transform:
      return eval_transform_apply(f, args.empty() ? Value() : args[0]);
    case Func::Kind::Regex: {
      if (args.empty() || args[0].k != VK::Str) return Value();
      std::string_view s = args[0].sv();
      regex::Match m;
      if (f->re->search(s, 0, &m) != regex::Status::match) return Value();
      Object* o = new_object();
      o->m.emplace_back("match", Value::str(s.substr(m.begin, m.end - m.begin)));
      o->m.emplace_back("start", Value::num(double(json::count_code_points(s.substr(0, m.begin)))));
      o->m.emplace_back("end", Value::num(double(json::count_code_points(s.substr(0, m.end)))));
      Array* gs = new_array();
      for (size_t i = 1; i < m.groups.size(); ++i) {
        auto g = m.groups[i];
        gs->v.push_back(g.first == regex::Match::npos
                            ? Value::str("")
                            : Value::str(s.substr(g.first, g.second - g.first)));
      }
      o->m.emplace_back("groups", Value::arr(gs));
      return Value::obj(o);
    }
  }
  return Value();
}

Value Ev::eval_transform_apply(const Func* f, Value obj) {
  if (obj.undef_()) return Value();
  const Node* e = f->node;
  if (!obj.is_array() && !obj.is_object()) {
    fail("T0410", e->position, "");
    return Value();
  }
  Value result = clone(obj);
  Value matches = eval(e->lhs, result, f->env);
  if (failed) return Value();
  if (!matches.undef_()) {
    size_t n = matches.is_array() ? arr_size(matches) : 1;
    for (size_t i = 0; i < n; ++i) {
      Value match = matches.is_array() ? arr_at(matches, i) : matches;
      Value update = eval(e->rhs, match, f->env);
      if (failed) return Value();
      if (!update.undef_()) {
        if (!update.is_object()) {
          fail("T2011", e->rhs->position);
          detail(update);
          return Value();
        }
        if (match.k == VK::Obj) {
          std::vector<std::pair<std::string_view, Value>> es;
          entries(update, es);
          for (auto& p : es) match.u.o->set(p.first, p.second);
        }
      }
      if (e->else_) {
        Value dels = eval(e->else_, match, f->env);
        if (failed) return Value();
        if (!dels.undef_()) {
          size_t m = dels.is_array() ? arr_size(dels) : 1;
          for (size_t k = 0; k < m; ++k) {
            Value d = dels.is_array() ? arr_at(dels, k) : dels;
            if (d.k != VK::Str) {
              fail("T2012", e->else_->position);
              detail(dels);
              return Value();
            }
          }
          if (match.k == VK::Obj)
            for (size_t k = 0; k < m; ++k)
              match.u.o->erase((dels.is_array() ? arr_at(dels, k) : dels).sv());
        }
      }
    }
  }
  return result;
}

}  // namespace hotpath::jsonata::detail
