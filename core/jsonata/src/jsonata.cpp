// Public API: Expression::compile / evaluate, Bindings, Error.
#include "hotpath/jsonata.h"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "hotpath/stack_guard.h"
#include "jsonata_ast.h"
#include "jsonata_eval.h"

namespace hotpath::jsonata {

namespace {

// Message templates (jsonata-js's wording). {{x}} is replaced by the JSON form of x,
// {{{x}}} by its raw text.
const char* template_for(const std::string& code) {
  static const struct {
    const char* code;
    const char* msg;
  } kMessages[] = {
      {"S0101", "String literal must be terminated by a matching quote"},
      {"S0102", "Number out of range: {{token}}"},
      {"S0103", "Unsupported escape sequence: \\{{token}}"},
      {"S0104", "The escape sequence \\u must be followed by 4 hex digits"},
      {"S0105", "Quoted property name must be terminated with a backquote (`)"},
      {"S0106", "Comment has no closing tag"},
      {"S0201", "Syntax error: {{token}}"},
      {"S0202", "Expected {{value}}, got {{token}}"},
      {"S0203", "Expected {{value}} before end of expression"},
      {"S0204", "Unknown operator: {{token}}"},
      {"S0205", "Unexpected token: {{token}}"},
      {"S0207", "Unexpected end of expression"},
      {"S0208",
       "Parameter {{value}} of function definition must be a variable name (start with $)"},
      {"S0209", "A predicate cannot follow a grouping expression in a step"},
      {"S0210", "Each step can only have one grouping expression"},
      {"S0211", "The symbol {{token}} cannot be used as a unary operator"},
      {"S0212", "The left side of := must be a variable name (start with $)"},
      {"S0213", "The literal value {{value}} cannot be used as a step within a path expression"},
      {"S0214", "The right side of {{token}} must be a variable name (start with $)"},
      {"S0215", "A context variable binding must precede any predicates on a step"},
      {"S0216", "A context variable binding must precede the 'order-by' clause on a step"},
      {"S0217", "The object representing the 'parent' cannot be derived from this expression"},
      {"S0301", "Empty regular expressions are not allowed"},
      {"S0302", "No terminating / in regular expression"},
      {"S0401", "Type parameters can only be applied to functions and arrays"},
      {"S0402", "Choice groups containing parameterized types are not supported"},
      {"T0410", "Argument {{index}} of function {{token}} does not match function signature"},
      {"T0411",
       "Context value is not a compatible type with argument {{index}} of function {{token}}"},
      {"T0412", "Argument {{index}} of function {{token}} must be an array of {{type}}"},
      {"D1001", "Number out of range: {{value}}"},
      {"D1002", "Cannot negate a non-numeric value: {{value}}"},
      {"T1003", "Key in object structure must evaluate to a string; got: {{value}}"},
      {"D1004", "Regular expression matches zero length string"},
      {"T1005", "Attempted to invoke a non-function. Did you mean ${{{token}}}?"},
      {"T1006", "Attempted to invoke a non-function"},
      {"T1007", "Attempted to partially apply a non-function. Did you mean ${{{token}}}?"},
      {"T1008", "Attempted to partially apply a non-function"},
      {"D1009", "Multiple key definitions evaluate to same key: {{value}}"},
      {"T1010",
       "The matcher function argument passed to function {{token}} does not return the correct "
       "object structure"},
      {"T2001", "The left side of the {{token}} operator must evaluate to a number"},
      {"T2002", "The right side of the {{token}} operator must evaluate to a number"},
      {"T2003", "The left side of the range operator (..) must evaluate to an integer"},
      {"T2004", "The right side of the range operator (..) must evaluate to an integer"},
      {"T2006", "The right side of the function application operator ~> must be a function"},
      {"T2007", "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause"},
      {"T2008",
       "The expressions within an order-by clause must evaluate to numeric or string values"},
      {"T2009",
       "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same "
       "data type"},
      {"T2010",
       "The expressions either side of operator {{token}} must evaluate to numeric or string "
       "values"},
      {"T2011",
       "The insert/update clause of the transform expression must evaluate to an object: "
       "{{value}}"},
      {"T2012",
       "The delete clause of the transform expression must evaluate to a string or array of "
       "strings: {{value}}"},
      {"D2014",
       "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  "
       "Attempted to allocate {{value}}."},
      {"D3001", "Attempting to invoke string function on Infinity or NaN"},
      {"D3010", "Second argument of replace function cannot be an empty string"},
      {"D3011", "Fourth argument of replace function must evaluate to a positive number"},
      {"D3012", "Attempted to replace a matched string with a non-string value"},
      {"D3020", "Third argument of split function must evaluate to a positive number"},
      {"D3030", "Unable to cast value to a number: {{value}}"},
      {"D3040", "Third argument of match function must evaluate to a positive number"},
      {"D3050",
       "The second argument of reduce function must be a function with at least two arguments"},
      {"D3060", "The sqrt function cannot be applied to a negative number: {{value}}"},
      {"D3061",
       "The power function has resulted in a value that cannot be represented as a JSON number: "
       "base={{value}}, exponent={{value2}}"},
      {"D3070",
       "The single argument form of the sort function can only be applied to an array of strings "
       "or an array of numbers.  Use the second argument to specify a comparison function"},
      {"D3120", "Syntax error in expression passed to function eval: {{value}}"},
      {"D3121", "Dynamic error evaluating the expression passed to function eval: {{value}}"},
      {"D3138",
       "The $single() function expected exactly 1 matching result.  Instead it matched more."},
      {"D3139",
       "The $single() function expected exactly 1 matching result.  Instead it matched 0."},
      {"D3140", "Malformed URL passed to ${{{token}}}(): {{value}}"},
      {"U1001",
       "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as "
       "tail-recursive."},
  };
  for (const auto& m : kMessages)
    if (code == m.code) return m.msg;
  return nullptr;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string render(const Error& e, const std::string& value, const std::string& value2, int index) {
  const char* t = template_for(e.code);
  if (!t) return e.code;
  std::string tmpl = t;
  auto replace_all = [&](const std::string& key, const std::string& with) {
    for (size_t p = tmpl.find(key); p != std::string::npos; p = tmpl.find(key, p + with.size()))
      tmpl.replace(p, key.size(), with);
  };
  std::string type_name = value2 == "n"   ? "numbers"
                          : value2 == "s" ? "strings"
                          : value2 == "b" ? "booleans"
                          : value2 == "o" ? "objects"
                          : value2 == "a" ? "arrays"
                                          : value2;
  replace_all("{{{token}}}", e.token);
  replace_all("{{token}}", e.token.empty() ? std::string("(end)") : quote(e.token));
  replace_all("{{value2}}", value2);
  replace_all("{{value}}", value);
  replace_all("{{index}}", std::to_string(index));
  replace_all("{{type}}", quote(type_name));
  return tmpl;
}

// Parser errors carry their {{value}} (an expected token, a parameter index) in `message`.
void finish_compile(Error& e) {
  std::string value = e.message;
  if (e.code == "U1001")
    e.message = "Expression nested too deeply";
  else if (e.code == "S0208" || e.code == "S0213")
    e.message = render(e, value, "", 0);
  else
    e.message = render(e, quote(value), "", 0);
}

void finish_eval(Error& e, const detail::Ev& ev) {
  if (!e.message.empty() && e.code != "D3120" && e.code != "D3121")
    return;  // $error, $assert, pictures
  std::string value = ev.err_value;
  if (e.code == "D3120" || e.code == "D3121") value = quote(e.message);
  if (e.code == "U1001" && ev.timed_out)
    e.message = "Expression evaluation timeout: Check for infinite loop";
  else if (e.code == "U1001" && ev.over_budget)
    e.message =
        "Resource limit exceeded: the expression builds too many values or too long strings";
  else
    e.message = render(e, value, ev.err_value2, ev.err_index);
}

}  // namespace

std::string Error::to_string() const {
  return code + " at position " + std::to_string(position) + ": " + message;
}

struct Bindings::Impl {
  std::vector<std::pair<std::string, const json::Value*>> vars;
};

Bindings::Bindings() : impl_(std::make_unique<Impl>()) {}
Bindings::~Bindings() = default;
Bindings::Bindings(Bindings&&) noexcept = default;
Bindings& Bindings::operator=(Bindings&&) noexcept = default;

void Bindings::set(std::string_view name, const json::Value& value) {
  for (auto& v : impl_->vars)
    if (v.first == name) {
      v.second = &value;
      return;
    }
  impl_->vars.emplace_back(std::string(name), &value);
}

bool Bindings::set_all(const json::Value& object) {
  if (!object.is_object()) return false;
  for (const json::Member* m = object.begin_members(); m != object.end_members(); ++m)
    set(m->key, m->value);
  return true;
}

struct Expression::Program {
  std::string source;
  detail::Ast ast;
};

Expression::Expression(std::shared_ptr<const Program> p) : program_(std::move(p)) {}
Expression::Expression(const Expression&) = default;
Expression& Expression::operator=(const Expression&) = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

std::string_view Expression::source() const { return program_->source; }

Result<Expression, Error> Expression::compile(std::string_view source) {
  auto p = std::make_shared<Program>();
  p->source = std::string(source);
  auto r = detail::parse(p->source, p->ast);
  if (!r) {
    Error e = r.error();
    finish_compile(e);
    return Failure(e);
  }
  return Expression(std::shared_ptr<const Program>(std::move(p)));
}

Result<bool, Error> Expression::evaluate(const json::Value* input, std::string& out,
                                         const Bindings* bindings, const Limits& limits) const {
  using namespace detail;
  Ev ev;
  ev.stack_floor_ = stack_floor();
  ev.max_depth = limits.max_depth;
  if (limits.timeout_ms) {
    ev.has_deadline = true;
    ev.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(limits.timeout_ms);
  }
  Env* global = ev.new_env(nullptr);
  ev.global = global;
  Value in;
  if (input) {
    in = Value::from_json(*input);
    global->bind("$", in);  // $$: the input as given (bound before the array wrapping below)
    if (in.k == VK::JArr) {
      Array* w = ev.new_seq();
      w->v.push_back(in);
      w->outer_wrapper = true;
      in = Value::arr(w);
    }
  }
  if (!input) global->bind("$", in);
  ev.has_bindings = bindings && !bindings->impl_->vars.empty();
  if (bindings) {
    for (const auto& b : bindings->impl_->vars) global->bind(b.first, Value::from_json(*b.second));
  }
  ev.call_input = in;
  ev.call_env = global;
  Value r = ev.eval(program_->ast.root, in, global);
  if (ev.failed) {
    Error e = ev.err;
    finish_eval(e, ev);
    return Failure(e);
  }
  if (r.undef_() || r.is_func()) return false;
  size_t before = out.size();
  write_value(ev, r, out);
  if (ev.failed) {
    out.resize(before);
    Error e = ev.err;
    finish_eval(e, ev);
    return Failure(e);
  }
  return true;
}

}  // namespace hotpath::jsonata
