// The compiled form of an expression: nodes with resolved kinds, produced by the parser
// (jsonata_parser.cpp) in two phases as jsonata-js does: a Pratt parse into a raw tree, then a
// rewrite that turns `.` chains into paths with steps, attaches predicates/stages, group-by,
// order-by, focus/index bindings, and marks tail calls.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hotpath/jsonata.h"
#include "hotpath/regex.h"
#include "hotpath/result.h"

namespace hotpath::jsonata::detail {

enum class NK : uint8_t {
  Num,
  Str,
  Bool,
  Null,
  Regex,
  Name,
  Var,
  Wildcard,
  Descendant,
  Parent,
  Path,
  Neg,
  ArrayCons,
  ObjectCons,
  Binary,
  Condition,
  Block,
  Bind,
  Apply,
  Call,
  Partial,
  Lambda,
  Transform,
  Sort,
  Placeholder,
  EndMarker,  // `(end)` used as an operand: an error when the rewrite reaches it (S0207)
  // raw-only (before rewrite)
  RawDot,
  RawFilter,
  RawGroup,
  RawSort,
  RawFocus,
  RawIndex
};

enum class Op : uint8_t {
  None,
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Concat,
  And,
  Or,
  In,
  Range
};

struct Node;
struct BuiltinDef;

struct Stage {
  bool is_index = false;  // `#$var` stage; otherwise a filter
  Node* expr = nullptr;
  std::string var;
  size_t position = 0;
};

struct SortTerm {
  bool descending = false;
  Node* expr = nullptr;
};

// A function signature such as <s-nn?:s>, checked as jsonata-js does: as a pattern over the
// string of argument type letters (one of "asnblfom" per argument, m = undefined). Each
// parameter is a letter class with an optional `?` or `+`; matching is greedy with
// backtracking, exactly as the equivalent regular expression ^([..])([..]?)...$ would match.
struct Signature {
  struct Param {
    char type = 0;          // s n b l o a f j x or '(' for a choice
    std::string regex;      // the component as jsonata-js writes it, e.g. "[sm]?"
    std::string chars;      // the letter class
    bool optional = false;  // '?' (also set by '-')
    bool repeat = false;    // '+'
    std::string subtype;    // for a<..>
    bool context = false;   // '-': use the context value when missing
    uint16_t mask = 0;      // `chars` as type_bit()s
  };
  std::vector<Param> params;
  // No `+` parameter: when every supplied argument's type is in its parameter's class and
  // the parameters left over are optional without `-`, that positional assignment is the
  // match (the greedy match takes each argument at the first parameter that accepts it), so
  // validation needs no pattern matching.
  bool positional = false;
  bool has_array_param = false;     // an `a` parameter: subtype check and wrapping
  size_t required_after_first = 0;  // parameters after the first without '?' or '-'
  // Matches the first `count` parameters against `types`, anchored at the start and, if
  // `whole`, at the end. On success fills spans[k] = (begin, end) per parameter and `end`.
  // `spans` (may be null) has room for `count` entries.
  bool match(std::string_view types, size_t count, bool whole, std::pair<size_t, size_t>* spans,
             size_t* end) const;
};
Result<std::unique_ptr<Signature>, Error> parse_signature(std::string_view text);
// One bit per type letter of a signature ("asnblfom"; 0 for others).
constexpr uint16_t type_bit(char c) {
  switch (c) {
    case 'a':
      return 1;
    case 's':
      return 2;
    case 'n':
      return 4;
    case 'b':
      return 8;
    case 'l':
      return 16;
    case 'f':
      return 32;
    case 'o':
      return 64;
    case 'm':
      return 128;
    default:
      return 0;
  }
}

struct Node {
  NK kind;
  Op op = Op::None;
  size_t position = 0;
  double num = 0;
  bool bval = false;
  std::string str;  // string literal, name, variable name, operator text
  Node* lhs = nullptr;
  Node* rhs = nullptr;
  Node* cond = nullptr;
  Node* then_ = nullptr;
  Node* else_ = nullptr;
  std::vector<Node*> items;  // path steps, array items, block expressions, call arguments
  std::vector<std::pair<Node*, Node*>> pairs;  // object constructor / group-by
  std::vector<Stage> predicate;                // filters applied to this node's result
  std::vector<Stage> stages;                   // filters/index bindings of a path step
  Node* group = nullptr;                       // ObjectCons node used as a group-by
  std::vector<SortTerm> terms;                 // order-by
  std::vector<std::string> params;             // lambda parameters
  std::unique_ptr<Signature> sig;
  std::unique_ptr<regex::Regex> re;
  std::string re_flags;  // Regex: "i", "m", "im" as written
  std::string focus;     // @$var
  std::string index;     // #$var
  bool keep_array = false;
  bool cons_array = false;
  bool keep_singleton_array = false;
  bool tuple = false;
  bool thunk = false;
  bool needs_frame = true;              // Block: contains a := binding, so it needs its own frame
  bool simple_name = false;             // Path: one Name step, no stages/predicates/group/flags
  bool literal_keys = false;            // ObjectCons: every key a distinct string literal
  bool constant = false;                // built only from literals: the same value in any context
  const BuiltinDef* builtin = nullptr;  // Var: the standard function of that name, if any
  // Var: `builtin` cannot be shadowed by anything in this expression (no :=, lambda parameter,
  // focus/index variable of that name, no $eval), so unless evaluate() is given bindings the
  // frames need not be searched.
  bool builtin_fixed = false;
  // parent operator support
  int ancestor_label = -1;  // on Name/Wildcard steps: bind this step's input as the label
  int parent_label = -1;    // on Parent nodes: the label to look up
  // rewrite only: slots (indices into the rewriter's slot table)
  int ancestor_slot = -1;
  int parent_slot = -1;
  std::vector<int> seeking_parent;
  explicit Node(NK k) : kind(k) {}
};

struct Ast {
  std::vector<std::unique_ptr<Node>> nodes;
  Node* root = nullptr;
  Node* make(NK k, size_t pos) {
    nodes.push_back(std::make_unique<Node>(k));
    nodes.back()->position = pos;
    return nodes.back().get();
  }
};

Result<bool, Error> parse(std::string_view source, Ast& ast);
Error make_error(std::string code, size_t position, std::string token = {}, std::string value = {});

}  // namespace hotpath::jsonata::detail
