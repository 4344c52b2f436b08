// Pratt parser (raw tree) followed by the rewrite into the evaluated form.
#include <algorithm>
#include <cstring>
#include <string>

#include "hotpath/stack_guard.h"
#include "jsonata_ast.h"
#include "jsonata_functions.h"
#include "jsonata_lexer.h"

namespace hotpath::jsonata::detail {

Error make_error(std::string code, size_t position, std::string token, std::string value) {
  Error e;
  e.code = std::move(code);
  e.position = position;
  e.token = std::move(token);
  e.message = value;
  return e;
}

namespace {

int binding_power(const std::string& op) {
  static const struct {
    const char* op;
    int bp;
  } kTable[] = {{".", 75},  {"[", 80},  {"]", 0},    {"{", 70},  {"}", 0},   {"(", 80},
                {")", 0},   {",", 0},   {"@", 80},   {"#", 80},  {";", 0},   {":", 0},
                {"?", 20},  {"+", 50},  {"-", 50},   {"*", 60},  {"/", 60},  {"%", 60},
                {"|", 0},   {"=", 40},  {"<", 40},   {">", 40},  {"^", 40},  {"**", 0},
                {"..", 0},  {":=", 10}, {"!=", 40},  {"<=", 40}, {">=", 40}, {"~>", 40},
                {"?:", 40}, {"??", 40}, {"and", 30}, {"or", 25}, {"in", 40}, {"&", 50}};
  for (const auto& e : kTable)
    if (op == e.op) return e.bp;
  return -1;
}

// jsonata-js's name for a node type (the token of S0217).
const char* type_name(NK k) {
  switch (k) {
    case NK::Num:
      return "number";
    case NK::Str:
      return "string";
    case NK::Bool:
    case NK::Null:
      return "value";
    case NK::Regex:
      return "regex";
    case NK::Name:
      return "name";
    case NK::Var:
      return "variable";
    case NK::Wildcard:
      return "wildcard";
    case NK::Descendant:
      return "descendant";
    case NK::Parent:
      return "parent";
    case NK::Path:
      return "path";
    case NK::Neg:
    case NK::ArrayCons:
    case NK::ObjectCons:
      return "unary";
    case NK::Binary:
      return "binary";
    case NK::Condition:
      return "condition";
    case NK::Block:
      return "block";
    case NK::Bind:
      return "bind";
    case NK::Apply:
      return "apply";
    case NK::Call:
      return "function";
    case NK::Partial:
      return "partial";
    case NK::Lambda:
      return "lambda";
    case NK::Transform:
      return "transform";
    case NK::Sort:
      return "sort";
    default:
      return "";
  }
}

Op binary_op(const std::string& s) {
  if (s == "+") return Op::Add;
  if (s == "-") return Op::Sub;
  if (s == "*") return Op::Mul;
  if (s == "/") return Op::Div;
  if (s == "%") return Op::Mod;
  if (s == "=") return Op::Eq;
  if (s == "!=") return Op::Ne;
  if (s == "<") return Op::Lt;
  if (s == "<=") return Op::Le;
  if (s == ">") return Op::Gt;
  if (s == ">=") return Op::Ge;
  if (s == "&") return Op::Concat;
  if (s == "and") return Op::And;
  if (s == "or") return Op::Or;
  if (s == "in") return Op::In;
  return Op::None;
}

class Parser {
 public:
  Parser(std::string_view src, Ast& ast) : lx_(src), ast_(ast) {}

  Node* parse_all() {
    advance(nullptr, false);
    if (failed_) return nullptr;
    Node* n = expression(0);
    if (failed_) return nullptr;
    if (tok_.type != TT::End) {
      fail(make_error("S0201", tok_.position, token_text()));
      return nullptr;
    }
    return n;
  }

  bool failed_ = false;
  Error err_;

 private:
  Lexer lx_;
  Ast& ast_;
  Token tok_;

  void fail(Error e) {
    if (!failed_) {
      failed_ = true;
      err_ = std::move(e);
    }
  }
  bool is_op(const char* s) const { return tok_.type == TT::Operator && tok_.value == s; }
  // The token as jsonata-js prints it in errors (a regex as /pattern/flags, with its 'g').
  std::string token_text() const {
    if (tok_.type == TT::Regex) return regex_text(tok_.value, tok_.flags);
    return tok_.value;
  }
  // JavaScript prints a RegExp with its flags in canonical order ("gi", "gim").
  static std::string regex_text(const std::string& pattern, const std::string& flags) {
    std::string f = "g";
    if (flags.find('i') != std::string::npos) f += 'i';
    if (flags.find('m') != std::string::npos) f += 'm';
    return "/" + pattern + "/" + f;
  }
  // A raw node's token (its `value` in jsonata-js's parse tree), for S0212.
  static std::string raw_token(const Node* n) {
    switch (n->kind) {
      case NK::Parent:
        return "%";
      case NK::Call:
      case NK::Partial:
      case NK::Lambda:
        return "(";
      case NK::Regex:
        return regex_text(n->str, n->re_flags);
      default:
        return n->str;
    }
  }
  int lbp() const {
    if (tok_.type != TT::Operator) return 0;
    int bp = binding_power(tok_.value);
    return bp < 0 ? 0 : bp;
  }
  // advance: `expect` must be the current operator; `infix`: the next token cannot be a regex.
  void advance(const char* expect, bool infix = false) {
    if (failed_) return;
    if (expect && !is_op(expect)) {
      if (tok_.type == TT::End)
        fail(make_error("S0203", tok_.position, "(end)", expect));
      else
        fail(make_error("S0202", tok_.position, token_text(), expect));
      return;
    }
    Error e;
    if (!lx_.next(!infix, tok_, e)) {
      fail(std::move(e));
      return;
    }
    if (tok_.type == TT::Operator && binding_power(tok_.value) < 0) {
      fail(make_error("S0204", tok_.position, tok_.value));
    }
  }

  // Nesting bound: deeper expressions are refused (U1001) instead of overflowing the stack.
  static constexpr int kMaxNesting = 2000;
  int nesting_ = 0;
  struct Nest {
    int& n;
    explicit Nest(int& x) : n(x) { ++n; }
    ~Nest() { --n; }
  };

  Node* expression(int rbp) {
    if (failed_) return nullptr;
    Nest nest(nesting_);
    if (nesting_ > kMaxNesting || !stack_has_room()) {
      fail(make_error("U1001", tok_.position, "", "expression nested too deeply"));
      return nullptr;
    }
    Token t = tok_;
    advance(nullptr, true);
    if (failed_) return nullptr;
    Node* left = nud(t);
    while (!failed_ && rbp < lbp()) {
      Token op = tok_;
      advance(nullptr, false);
      if (failed_) return nullptr;
      left = led(op, left);
    }
    return failed_ ? nullptr : left;
  }

  Node* nud(Token& t) {
    if (failed_) return nullptr;
    switch (t.type) {
      case TT::End:
        return ast_.make(NK::EndMarker, t.position);
      case TT::Name: {
        Node* n = ast_.make(NK::Name, t.position);
        n->str = t.value;
        return n;
      }
      case TT::Variable: {
        Node* n = ast_.make(NK::Var, t.position);
        n->str = t.value;
        return n;
      }
      case TT::Number: {
        Node* n = ast_.make(NK::Num, t.position);
        n->num = t.num;
        n->str = t.value;
        return n;
      }
      case TT::String: {
        Node* n = ast_.make(NK::Str, t.position);
        n->str = t.value;
        return n;
      }
      case TT::Value: {
        Node* n = ast_.make(t.literal == 0 ? NK::Null : NK::Bool, t.position);
        n->bval = t.literal == 1;
        n->str = t.value;
        return n;
      }
      case TT::Regex: {
        Node* n = ast_.make(NK::Regex, t.position);
        n->str = t.value;
        n->re_flags = t.flags;
        regex::Flags f;
        f.unicode = false;
        for (char c : t.flags) {
          if (c == 'i') f.ignore_case = true;
          if (c == 'm') f.multiline = true;
        }
        auto r = regex::Regex::compile(t.value, f);
        if (!r) {
          f.unicode = true;
          r = regex::Regex::compile(t.value, f);
        }
        if (!r) {
          fail(make_error("S0302", t.position, t.value));
          return nullptr;
        }
        n->re = std::make_unique<regex::Regex>(std::move(r.value()));
        return n;
      }
      case TT::Operator:
        break;
    }
    const std::string& v = t.value;
    if (v == "and" || v == "or" || v == "in") {
      Node* n = ast_.make(NK::Name, t.position);
      n->str = v;
      return n;
    }
    if (v == "-") {
      Node* n = ast_.make(NK::Neg, t.position);
      n->str = v;
      n->lhs = expression(70);
      return n;
    }
    if (v == "*" || v == "**" || v == "%") {
      Node* n = ast_.make(v == "*"    ? NK::Wildcard
                          : v == "**" ? NK::Descendant
                                      : NK::Parent,
                          t.position);
      if (v != "%") n->str = v;
      return n;
    }
    if (v == "(") {
      Node* n = ast_.make(NK::Block, t.position);
      n->str = v;
      while (!failed_ && !is_op(")")) {
        n->items.push_back(expression(0));
        if (!is_op(";")) break;
        advance(";");
      }
      advance(")", true);
      return n;
    }
    if (v == "[") {
      Node* n = ast_.make(NK::ArrayCons, t.position);
      n->str = v;
      if (!is_op("]")) {
        for (;;) {
          Node* item = expression(0);
          if (failed_) return nullptr;
          if (is_op("..")) {
            Node* r = ast_.make(NK::Binary, tok_.position);
            r->op = Op::Range;
            r->str = "..";
            r->lhs = item;
            advance("..");
            r->rhs = expression(0);
            item = r;
          }
          n->items.push_back(item);
          if (!is_op(",")) break;
          advance(",");
        }
      }
      advance("]", true);
      return n;
    }
    if (v == "{") {
      Node* n = ast_.make(NK::ObjectCons, t.position);
      n->str = v;
      object_pairs(n);
      return n;
    }
    if (v == "|") {
      Node* n = ast_.make(NK::Transform, t.position);
      n->str = v;
      n->lhs = expression(0);
      advance("|");
      n->rhs = expression(0);
      if (is_op(",")) {
        advance(",");
        n->else_ = expression(0);
      }
      advance("|");
      return n;
    }
    fail(make_error("S0211", t.position, v));
    return nullptr;
  }

  void object_pairs(Node* n) {
    if (!is_op("}")) {
      for (;;) {
        Node* k = expression(0);
        advance(":");
        Node* val = expression(0);
        if (failed_) return;
        n->pairs.emplace_back(k, val);
        if (!is_op(",")) break;
        advance(",");
      }
    }
    advance("}", true);
  }

  Node* led(Token& t, Node* left) {
    const std::string& v = t.value;
    Op bop = binary_op(v);
    if (bop != Op::None) {
      Node* n = ast_.make(NK::Binary, t.position);
      n->op = bop;
      n->str = v;
      n->lhs = left;
      n->rhs = expression(binding_power(v));
      return n;
    }
    if (v == ".") {
      Node* n = ast_.make(NK::RawDot, t.position);
      n->lhs = left;
      n->rhs = expression(75);
      return n;
    }
    if (v == "~>") {
      Node* n = ast_.make(NK::Apply, t.position);
      n->lhs = left;
      n->rhs = expression(40);
      return n;
    }
    if (v == "??" || v == "?:") {
      Node* n = ast_.make(NK::Condition, t.position);
      n->str = v;
      n->cond = left;
      n->else_ = expression(0);
      return n;
    }
    if (v == "?") {
      Node* n = ast_.make(NK::Condition, t.position);
      n->cond = left;
      n->then_ = expression(0);
      if (is_op(":")) {
        advance(":");
        n->else_ = expression(0);
      }
      return n;
    }
    if (v == "(") {
      Node* n = ast_.make(NK::Call, t.position);
      n->lhs = left;
      if (!is_op(")")) {
        for (;;) {
          if (is_op("?")) {
            n->kind = NK::Partial;
            n->items.push_back(ast_.make(NK::Placeholder, tok_.position));
            advance("?");
          } else {
            n->items.push_back(expression(0));
          }
          if (failed_) return nullptr;
          if (!is_op(",")) break;
          advance(",");
        }
      }
      advance(")", true);
      if (failed_) return nullptr;
      if (left->kind == NK::Name && (left->str == "function" || left->str == "\xce\xbb")) {
        n->kind = NK::Lambda;
        for (size_t i = 0; i < n->items.size(); ++i) {
          Node* a = n->items[i];
          if (a->kind != NK::Var) {
            fail(make_error("S0208", a->position, a->str, std::to_string(i + 1)));
            return nullptr;
          }
          n->params.push_back(a->str);
        }
        n->items.clear();
        if (is_op("<")) {
          size_t sig_pos = tok_.position;
          int depth = 1;
          std::string sig = "<";
          while (depth > 0 && !is_op("{") && tok_.type != TT::End) {
            advance(nullptr);
            if (failed_) return nullptr;
            if (is_op(">"))
              --depth;
            else if (is_op("<"))
              ++depth;
            sig += tok_.value;
          }
          advance(">");
          if (failed_) return nullptr;
          auto s = parse_signature(sig);
          if (!s) {
            Error e = s.error();
            e.position += sig_pos;
            fail(e);
            return nullptr;
          }
          n->sig = std::move(s.value());
        }
        advance("{");
        n->lhs = expression(0);
        advance("}");
      }
      return n;
    }
    if (v == "[") {
      if (is_op("]")) {
        Node* step = left;
        while (step && step->kind == NK::RawFilter) step = step->lhs;
        if (step) step->keep_array = true;
        advance("]");
        return left;
      }
      Node* n = ast_.make(NK::RawFilter, t.position);
      n->str = v;
      n->lhs = left;
      n->rhs = expression(0);
      advance("]", true);
      return n;
    }
    if (v == "^") {
      Node* n = ast_.make(NK::RawSort, t.position);
      n->lhs = left;
      advance("(");
      for (;;) {
        SortTerm term;
        if (is_op("<")) {
          advance("<");
        } else if (is_op(">")) {
          term.descending = true;
          advance(">");
        }
        term.expr = expression(0);
        if (failed_) return nullptr;
        n->terms.push_back(term);
        if (!is_op(",")) break;
        advance(",");
      }
      advance(")");
      return n;
    }
    if (v == "{") {
      Node* n = ast_.make(NK::RawGroup, t.position);
      n->lhs = left;
      object_pairs(n);
      return n;
    }
    if (v == ":=") {
      if (left->kind != NK::Var) {
        fail(make_error("S0212", left->position, raw_token(left)));
        return nullptr;
      }
      Node* n = ast_.make(NK::Bind, t.position);
      n->lhs = left;
      n->rhs = expression(9);
      return n;
    }
    if (v == "@" || v == "#") {
      Node* n = ast_.make(v == "@" ? NK::RawFocus : NK::RawIndex, t.position);
      n->lhs = left;
      n->rhs = expression(80);
      if (failed_) return nullptr;
      if (n->rhs->kind != NK::Var) {
        fail(make_error("S0214", n->rhs->position, v));
        return nullptr;
      }
      return n;
    }
    fail(make_error("S0201", t.position, v));
    return nullptr;
  }
};

// ---------------------------------------------------------------------------------------------
// Rewrite (jsonata-js's processAST)

class Rewriter {
 public:
  explicit Rewriter(Ast& ast) : ast_(ast) {}
  bool failed_ = false;
  Error err_;
  int next_label_ = 0;

  Node* process(Node* e) {
    if (failed_ || !e) return e;
    if (!stack_has_room()) {
      fail(make_error("U1001", e->position, "", "expression nested too deeply"));
      return nullptr;
    }
    Node* result = e;
    switch (e->kind) {
      case NK::RawDot: {
        Node* lstep = process(e->lhs);
        if (failed_) return nullptr;
        if (lstep->kind == NK::Path) {
          result = lstep;
        } else {
          result = ast_.make(NK::Path, lstep->position);
          result->items.push_back(lstep);
        }
        if (lstep->kind == NK::Parent) result->seeking_parent = {lstep->parent_slot};
        Node* rest = process(e->rhs);
        if (failed_) return nullptr;
        if (rest->kind == NK::Path) {
          for (Node* s : rest->items) result->items.push_back(s);
        } else {
          if (!rest->predicate.empty()) {
            rest->stages = std::move(rest->predicate);
            rest->predicate.clear();
          }
          result->items.push_back(rest);
        }
        for (Node* s : result->items) {
          if (s->kind == NK::Num || s->kind == NK::Bool || s->kind == NK::Null) {
            fail(make_error("S0213", s->position, "", s->str));
            return nullptr;
          }
          if (s->kind == NK::Str) s->kind = NK::Name;
        }
        for (Node* s : result->items)
          if (s->keep_array) result->keep_singleton_array = true;
        Node* first = result->items.front();
        if (first->kind == NK::ArrayCons) first->cons_array = true;
        Node* last = result->items.back();
        if (last->kind == NK::ArrayCons) last->cons_array = true;
        resolve_ancestry(result);
        break;
      }
      case NK::RawFilter: {
        result = process(e->lhs);
        if (failed_) return nullptr;
        Node* step = result;
        bool stages = false;
        if (result->kind == NK::Path) {
          step = result->items.back();
          stages = true;
        }
        if (step->group) {
          fail(make_error("S0209", e->position));
          return nullptr;
        }
        Node* pred = process(e->rhs);
        if (failed_) return nullptr;
        if (!pred->seeking_parent.empty()) {
          for (int s : pred->seeking_parent) {
            if (slots_[size_t(s)].level == 1)
              seek_parent(step, s);
            else
              --slots_[size_t(s)].level;
          }
          if (failed_) return nullptr;
          push_ancestry(step, pred);
        }
        Stage st;
        st.expr = pred;
        st.position = e->position;
        (stages ? step->stages : step->predicate).push_back(st);
        break;
      }
      case NK::RawGroup: {
        result = process(e->lhs);
        if (failed_) return nullptr;
        if (result->group) {
          fail(make_error("S0210", e->position));
          return nullptr;
        }
        Node* g = ast_.make(NK::ObjectCons, e->position);
        for (auto& p : e->pairs) g->pairs.emplace_back(process(p.first), process(p.second));
        result->group = g;
        break;
      }
      case NK::RawSort: {
        result = process(e->lhs);
        if (failed_) return nullptr;
        if (result->kind != NK::Path) {
          Node* p = ast_.make(NK::Path, result->position);
          p->items.push_back(result);
          result = p;
        }
        Node* s = ast_.make(NK::Sort, e->position);
        for (auto& t : e->terms) {
          Node* x = process(t.expr);
          if (failed_) return nullptr;
          push_ancestry(s, x);
          s->terms.push_back({t.descending, x});
        }
        result->items.push_back(s);
        resolve_ancestry(result);
        break;
      }
      case NK::RawFocus: {
        result = process(e->lhs);
        if (failed_) return nullptr;
        Node* step = result;
        if (result->kind == NK::Path) step = result->items.back();
        if (!step->stages.empty() || !step->predicate.empty()) {
          fail(make_error("S0215", e->position));
          return nullptr;
        }
        if (step->kind == NK::Sort) {
          fail(make_error("S0216", e->position));
          return nullptr;
        }
        if (e->keep_array) step->keep_array = true;
        step->focus = e->rhs->str;
        step->tuple = true;
        break;
      }
      case NK::RawIndex: {
        result = process(e->lhs);
        if (failed_) return nullptr;
        Node* step = result;
        if (result->kind == NK::Path) {
          step = result->items.back();
        } else {
          Node* p = ast_.make(NK::Path, result->position);
          p->items.push_back(result);
          result = p;
          if (!step->predicate.empty()) {
            step->stages = std::move(step->predicate);
            step->predicate.clear();
          }
        }
        if (step->stages.empty()) {
          step->index = e->rhs->str;
        } else {
          Stage st;
          st.is_index = true;
          st.var = e->rhs->str;
          st.position = e->position;
          step->stages.push_back(st);
        }
        step->tuple = true;
        break;
      }
      case NK::Name: {
        result = ast_.make(NK::Path, e->position);
        result->items.push_back(e);
        if (e->keep_array) result->keep_singleton_array = true;
        break;
      }
      case NK::Neg: {
        Node* inner = process(e->lhs);
        if (failed_) return nullptr;
        if (inner->kind == NK::Num) {
          inner->num = -inner->num;
          inner->str.insert(inner->str.begin(), '-');
          result = inner;
        } else {
          e->lhs = inner;
          push_ancestry(e, inner);
        }
        break;
      }
      case NK::ArrayCons:
        for (auto& it : e->items) {
          it = process(it);
          if (failed_) return nullptr;
          push_ancestry(e, it);
        }
        break;
      case NK::ObjectCons:
        for (auto& p : e->pairs) {
          p.first = process(p.first);
          if (failed_) return nullptr;
          push_ancestry(e, p.first);
          p.second = process(p.second);
          if (failed_) return nullptr;
          push_ancestry(e, p.second);
        }
        break;
      case NK::Binary:
        e->lhs = process(e->lhs);
        e->rhs = process(e->rhs);
        if (failed_) return nullptr;
        push_ancestry(e, e->lhs);
        push_ancestry(e, e->rhs);
        break;
      case NK::Bind:
        e->lhs = process(e->lhs);
        e->rhs = process(e->rhs);
        if (failed_) return nullptr;
        push_ancestry(e, e->rhs);
        break;
      case NK::Apply:
        e->lhs = process(e->lhs);
        e->rhs = process(e->rhs);
        if (failed_) return nullptr;
        if (e->lhs->keep_array || e->rhs->keep_array) e->keep_array = true;
        break;
      case NK::Condition:
        e->cond = process(e->cond);
        e->then_ = process(e->then_);
        e->else_ = process(e->else_);
        if (failed_) return nullptr;
        push_ancestry(e, e->cond);
        if (e->then_) push_ancestry(e, e->then_);
        if (e->else_) push_ancestry(e, e->else_);
        break;
      case NK::Transform:
        e->lhs = process(e->lhs);
        e->rhs = process(e->rhs);
        e->else_ = process(e->else_);
        break;
      case NK::Block:
        for (auto& it : e->items) {
          it = process(it);
          if (failed_) return nullptr;
          push_ancestry(e, it);
          if (it->cons_array || (it->kind == NK::Path && it->items[0]->cons_array))
            e->cons_array = true;
        }
        break;
      case NK::Call:
      case NK::Partial:
        for (auto& it : e->items) {
          it = process(it);
          if (failed_) return nullptr;
          push_ancestry(e, it);
        }
        e->lhs = process(e->lhs);
        break;
      case NK::Lambda: {
        Node* body = process(e->lhs);
        if (failed_) return nullptr;
        e->lhs = tail_call(body);
        break;
      }
      case NK::EndMarker:
        fail(make_error("S0207", e->position, "(end)"));
        return nullptr;
      case NK::Parent:
        e->parent_slot = int(slots_.size());
        slots_.push_back({next_label_++, 1});
        break;
      default:
        break;
    }
    if (failed_) return nullptr;
    if (e->keep_array) result->keep_array = true;
    return result;
  }

  struct Slot {
    int label;
    int level;
  };
  std::vector<Slot> slots_;

  void seek_parent(Node* node, int s) {
    if (failed_) return;
    Slot& slot = slots_[size_t(s)];
    switch (node->kind) {
      case NK::Name:
      case NK::Wildcard:
        --slot.level;
        if (slot.level == 0) {
          if (node->ancestor_slot >= 0) slot.label = slots_[size_t(node->ancestor_slot)].label;
          node->ancestor_slot = s;
          node->tuple = true;
        }
        break;
      case NK::Parent:
        ++slot.level;
        break;
      case NK::Block:
        if (!node->items.empty()) {
          node->tuple = true;
          seek_parent(node->items.back(), s);
        }
        break;
      case NK::Path: {
        node->tuple = true;
        long index = long(node->items.size()) - 1;
        seek_parent(node->items[size_t(index--)], s);
        while (!failed_ && slots_[size_t(s)].level > 0 && index >= 0)
          seek_parent(node->items[size_t(index--)], s);
        break;
      }
      default:
        fail(make_error("S0217", node->position, type_name(node->kind)));
        break;
    }
  }

  void push_ancestry(Node* result, Node* value) {
    if (!value) return;
    if (value->seeking_parent.empty() && value->kind != NK::Parent) return;
    std::vector<int> add = value->seeking_parent;
    if (value->kind == NK::Parent) add.push_back(value->parent_slot);
    for (int s : add) result->seeking_parent.push_back(s);
  }

  void resolve_ancestry(Node* path) {
    Node* last = path->items.back();
    std::vector<int> ss = last->seeking_parent;
    if (last->kind == NK::Parent) ss.push_back(last->parent_slot);
    for (int s : ss) {
      long index = long(path->items.size()) - 2;
      while (!failed_ && slots_[size_t(s)].level > 0) {
        if (index < 0) {
          path->seeking_parent.push_back(s);
          break;
        }
        Node* step = path->items[size_t(index--)];
        while (index >= 0 && !step->focus.empty() && !path->items[size_t(index)]->focus.empty())
          step = path->items[size_t(index--)];
        seek_parent(step, s);
      }
    }
  }

  void finish_labels() {
    for (auto& n : ast_.nodes) {
      if (n->parent_slot >= 0) n->parent_label = slots_[size_t(n->parent_slot)].label;
      if (n->ancestor_slot >= 0) n->ancestor_label = slots_[size_t(n->ancestor_slot)].label;
    }
  }

  static bool contains_bind(const Node* n) {
    if (!n) return false;
    if (n->kind == NK::Bind) return true;
    if (contains_bind(n->lhs) || contains_bind(n->rhs) || contains_bind(n->cond) ||
        contains_bind(n->then_) || contains_bind(n->else_) || contains_bind(n->group))
      return true;
    for (const Node* c : n->items)
      if (contains_bind(c)) return true;
    for (const auto& p : n->pairs)
      if (contains_bind(p.first) || contains_bind(p.second)) return true;
    for (const auto& s : n->predicate)
      if (contains_bind(s.expr)) return true;
    for (const auto& s : n->stages)
      if (contains_bind(s.expr)) return true;
    for (const auto& t : n->terms)
      if (contains_bind(t.expr)) return true;
    return false;
  }

  static bool is_constant(const Node* n) {
    if (!n || !n->predicate.empty() || n->group || n->keep_array) return false;
    switch (n->kind) {
      case NK::Num:
      case NK::Str:
      case NK::Bool:
      case NK::Null:
        return true;
      case NK::Neg:
        return is_constant(n->lhs);
      case NK::ArrayCons:
        for (const Node* c : n->items)
          if (!is_constant(c)) return false;
        return true;
      case NK::Binary:
        return is_constant(n->lhs) && is_constant(n->rhs);
      default:
        return false;
    }
  }

  void finish_flags() {
    // Every name this expression can bind; a builtin of such a name is looked up in the frames.
    std::vector<std::string_view> bound;
    bool has_eval = false;
    for (auto& n : ast_.nodes) {
      if (n->kind == NK::Bind && n->lhs) bound.push_back(n->lhs->str);
      for (const auto& p : n->params) bound.push_back(p);
      if (!n->focus.empty()) bound.push_back(n->focus);
      if (!n->index.empty()) bound.push_back(n->index);
      for (const auto& st : n->stages)
        if (!st.var.empty()) bound.push_back(st.var);
      for (const auto& st : n->predicate)
        if (!st.var.empty()) bound.push_back(st.var);
      if (n->kind == NK::Var && n->str == "eval") has_eval = true;
    }
    for (auto& n : ast_.nodes) {
      n->constant = is_constant(n.get());
      if (n->kind == NK::Var && !n->str.empty()) {
        n->builtin = find_builtin(n->str);
        n->builtin_fixed =
            n->builtin && !has_eval && std::find(bound.begin(), bound.end(), n->str) == bound.end();
      }
      if (n->kind == NK::Block) n->needs_frame = contains_bind(n.get());
      if (n->kind == NK::ObjectCons) {
        n->literal_keys = true;
        for (size_t i = 0; i < n->pairs.size() && n->literal_keys; ++i) {
          const Node* k = n->pairs[i].first;
          if (!(k->kind == NK::Str && is_constant(k))) n->literal_keys = false;
          for (size_t j = 0; j < i && n->literal_keys; ++j)
            if (n->pairs[j].first->str == k->str) n->literal_keys = false;
        }
      }
      if (n->kind == NK::Path && n->items.size() == 1) {
        const Node* s = n->items[0];
        n->simple_name = s->kind == NK::Name && s->stages.empty() && s->predicate.empty() &&
                         !s->group && !s->tuple && s->focus.empty() && s->index.empty() &&
                         !s->keep_array && !n->group && !n->keep_singleton_array && !n->tuple &&
                         n->predicate.empty();
      }
    }
  }

  Node* tail_call(Node* e) {
    if (!e) return e;
    if (e->kind == NK::Call && e->predicate.empty()) {
      Node* t = ast_.make(NK::Lambda, e->position);
      t->thunk = true;
      t->lhs = e;
      return t;
    }
    if (e->kind == NK::Condition && e->str.empty()) {
      e->then_ = tail_call(e->then_);
      e->else_ = tail_call(e->else_);
    } else if (e->kind == NK::Block && !e->items.empty()) {
      e->items.back() = tail_call(e->items.back());
    }
    return e;
  }

 private:
  Ast& ast_;
  void fail(Error e) {
    if (!failed_) {
      failed_ = true;
      err_ = std::move(e);
    }
  }
};

}  // namespace

Result<bool, Error> parse(std::string_view source, Ast& ast) {
  Parser p(source, ast);
  Node* raw = p.parse_all();
  if (p.failed_) return Failure(p.err_);
  Rewriter rw(ast);
  Node* root = rw.process(raw);
  if (rw.failed_) return Failure(rw.err_);
  if (root->kind == NK::Parent || !root->seeking_parent.empty())
    return Failure(make_error("S0217", root->position, type_name(root->kind)));
  rw.finish_labels();
  rw.finish_flags();
  ast.root = root;
  return true;
}

}  // namespace hotpath::jsonata::detail
