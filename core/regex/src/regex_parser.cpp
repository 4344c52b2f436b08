// Recursive-descent parser for the ECMAScript Pattern grammar (ECMA-262 22.2.1), with the
// [UnicodeMode] parameter following Flags::unicode and, without it, the Annex B.1.2 leniencies
// (identity escapes, legacy octal escapes, literal '{', '}' and ']', quantified lookaheads).
// Recursion is bounded by kMaxNesting levels of groups.
#include <algorithm>
#include <cstring>
#include <utility>

#include "regex_ast.h"
#include "regex_utf8.h"

namespace hotpath::regex::internal {
namespace {

constexpr uint32_t kFail = UINT32_MAX;
// Keeps every instruction index far below the matcher's 30-bit limit.
constexpr size_t kMaxPatternBytes = size_t(1) << 24;

bool is_syntax_char(int c) { return c >= 0 && std::strchr("^$\\.*+?()[]{}|", c) && c != 0; }
bool is_digit(int c) { return c >= '0' && c <= '9'; }
bool is_octal(int c) { return c >= '0' && c <= '7'; }
bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool is_lead_surrogate(uint32_t cp) { return cp >= 0xD800 && cp <= 0xDBFF; }
bool is_trail_surrogate(uint32_t cp) { return cp >= 0xDC00 && cp <= 0xDFFF; }

class Parser {
 public:
  Parser(std::string_view pattern, const Flags& flags)
      : src_(pattern), flags_(flags), u_(flags.unicode) {}

  bool run(Ast* out, SyntaxError* error) {
    if (src_.size() > kMaxPatternBytes) {
      *error = SyntaxError{"pattern too long", kMaxPatternBytes};
      return false;
    }
    prescan();
    ast_.group_names.emplace_back();
    uint32_t root = parse_disjunction();
    if (root != kFail && !at_end()) {
      // parse_alternative only stops early at ')'.
      root = fail(pos_, "unmatched ')'");
    }
    if (root != kFail) root = resolve_named_references(root);
    if (root == kFail) {
      *error = std::move(error_);
      return false;
    }
    ast_.root = root;
    ast_.group_count = group_counter_;
    ast_.group_names.resize(group_counter_ + 1);
    *out = std::move(ast_);
    return true;
  }

 private:
  struct PendingReference {
    uint32_t node;
    std::string name;
    size_t position;
  };

  // --- scanning helpers ------------------------------------------------------------------
  bool at_end() const { return pos_ >= src_.size(); }
  int peek(size_t k = 0) const {
    return pos_ + k < src_.size() ? static_cast<unsigned char>(src_[pos_ + k]) : -1;
  }
  uint32_t fail(size_t position, const char* message) {
    if (!failed_) {
      failed_ = true;
      error_.message = message;
      error_.position = position;
    }
    return kFail;
  }
  // Reads one UTF-8 encoded code point of the pattern.
  bool read_code_point(uint32_t* cp) {
    size_t len = 0;
    *cp = utf8::decode(reinterpret_cast<const uint8_t*>(src_.data()), src_.size(), pos_, &len);
    if (*cp == utf8::kReplacement && len == 1) {
      fail(pos_, "invalid UTF-8 in pattern");
      return false;
    }
    pos_ += len;
    return true;
  }
  uint32_t add(Node node) {
    ast_.nodes.push_back(std::move(node));
    return static_cast<uint32_t>(ast_.nodes.size() - 1);
  }
  uint32_t add_simple(NodeKind kind) {
    Node n;
    n.kind = kind;
    return add(std::move(n));
  }
  uint32_t add_set(CharSet set) {
    set.normalize();
    Node n;
    n.kind = NodeKind::kClass;
    n.value = static_cast<uint32_t>(ast_.sets.size());
    ast_.sets.push_back(std::move(set));
    return add(std::move(n));
  }
  // A literal character; under 'i' it becomes the set of its case variants.
  uint32_t add_char(uint32_t cp) {
    if (flags_.ignore_case) {
      CharSet set;
      set.add(cp);
      unicode::close_over_case(set, u_);
      uint32_t only = 0;
      if (!set.single(&only)) return add_set(std::move(set));
    }
    Node n;
    n.kind = NodeKind::kChar;
    n.value = cp;
    return add(std::move(n));
  }

  // Counts capturing groups up front: whether "\N" is a back-reference (Annex B) and whether
  // "\k" is special both depend on the groups of the whole pattern.
  void prescan() {
    bool in_class = false;
    for (size_t i = 0; i < src_.size(); ++i) {
      char c = src_[i];
      if (c == '\\') {
        ++i;
      } else if (in_class) {
        if (c == ']') in_class = false;
      } else if (c == '[') {
        in_class = true;
      } else if (c == '(') {
        if (i + 1 < src_.size() && src_[i + 1] == '?') {
          if (i + 3 < src_.size() && src_[i + 2] == '<' && src_[i + 3] != '=' &&
              src_[i + 3] != '!') {
            ++total_groups_;
            has_named_ = true;
          }
        } else {
          ++total_groups_;
        }
      }
    }
  }

  // --- Disjunction / Alternative / Term --------------------------------------------------
  uint32_t parse_disjunction() {
    std::vector<uint32_t> alternatives;
    for (;;) {
      uint32_t alt = parse_alternative();
      if (alt == kFail) return kFail;
      alternatives.push_back(alt);
      if (peek() != '|') break;
      ++pos_;
    }
    if (alternatives.size() == 1) return alternatives[0];
    if (uint32_t merged = merge_single_characters(alternatives); merged != kFail) return merged;
    Node n;
    n.kind = NodeKind::kAlt;
    n.kids = std::move(alternatives);
    return add(std::move(n));
  }

  // "a|b|[cd]" is the class [a-d]: each alternative consumes exactly one character at the
  // same position, so priority cannot matter. The class then runs as one simple loop under
  // a quantifier instead of a choice point per iteration.
  uint32_t merge_single_characters(const std::vector<uint32_t>& alternatives) {
    CharSet merged;
    for (uint32_t index : alternatives) {
      const Node& n = ast_.nodes[index];
      if (n.kind == NodeKind::kChar) {
        merged.add(n.value);
      } else if (n.kind == NodeKind::kClass) {
        merged.add_set(ast_.sets[n.value]);
      } else {
        return kFail;
      }
    }
    return add_set(std::move(merged));
  }

  uint32_t parse_alternative() {
    std::vector<uint32_t> terms;
    while (!at_end() && peek() != '|' && peek() != ')') {
      uint32_t term = parse_term();
      if (term == kFail) return kFail;
      terms.push_back(term);
    }
    if (terms.empty()) return add_simple(NodeKind::kEmpty);
    if (terms.size() == 1) return terms[0];
    Node n;
    n.kind = NodeKind::kSeq;
    n.kids = std::move(terms);
    return add(std::move(n));
  }

  uint32_t parse_term() {
    int c = peek();
    if (c == '^' || c == '$') {
      ++pos_;
      return no_quantifier(add_simple(c == '^' ? NodeKind::kBol : NodeKind::kEol));
    }
    if (c == '\\' && (peek(1) == 'b' || peek(1) == 'B')) {
      NodeKind kind = peek(1) == 'b' ? NodeKind::kWordBoundary : NodeKind::kNotWordBoundary;
      pos_ += 2;
      return no_quantifier(add_simple(kind));
    }
    if (c == '(' && peek(1) == '?' &&
        (peek(2) == '=' || peek(2) == '!' ||
         (peek(2) == '<' && (peek(3) == '=' || peek(3) == '!')))) {
      size_t open = pos_;
      bool behind = peek(2) == '<';
      bool negate = peek(behind ? 3 : 2) == '!';
      pos_ += behind ? 4 : 3;
      uint32_t body = parse_group_body(open);
      if (body == kFail) return kFail;
      Node n;
      n.kind = NodeKind::kLook;
      n.behind = behind;
      n.negate = negate;
      n.kids.push_back(body);
      uint32_t look = add(std::move(n));
      // Annex B allows quantifying a lookahead without the u flag (QuantifiableAssertion).
      if (!behind && !u_) return parse_quantifier(look, 0, 0);
      return no_quantifier(look);
    }
    uint32_t first_group = group_counter_ + 1;
    uint32_t atom = parse_atom();
    if (atom == kFail) return kFail;
    return parse_quantifier(atom, first_group, group_counter_ + 1);
  }

  uint32_t no_quantifier(uint32_t node) {
    int c = peek();
    if (c == '*' || c == '+' || c == '?') return fail(pos_, "nothing to repeat");
    if (c == '{') {
      size_t save = pos_;
      uint32_t lo = 0, hi = 0;
      bool braces = parse_braces(&lo, &hi);
      if (failed_) return kFail;
      pos_ = save;
      if (braces || u_) return fail(pos_, braces ? "nothing to repeat" : "incomplete quantifier");
    }
    return node;
  }

  // Parses "{n}", "{n,}" or "{n,m}" at pos_; on success advances past it. Numbers saturate.
  bool parse_braces(uint32_t* lo, uint32_t* hi) {
    size_t start = pos_;
    size_t i = pos_ + 1;
    auto number = [&](uint32_t* value) {
      size_t begin = i;
      uint64_t v = 0;
      while (i < src_.size() && is_digit(static_cast<unsigned char>(src_[i]))) {
        v = std::min<uint64_t>(v * 10 + uint64_t(src_[i] - '0'), kInfinite);
        ++i;
      }
      *value = static_cast<uint32_t>(v);
      return i > begin;
    };
    if (!number(lo)) return false;
    *hi = *lo;
    if (i < src_.size() && src_[i] == ',') {
      ++i;
      if (!number(hi)) *hi = kInfinite;
    }
    if (i >= src_.size() || src_[i] != '}') return false;
    if (*hi < *lo) {
      fail(start, "numbers out of order in {} quantifier");
      return false;
    }
    pos_ = i + 1;
    return true;
  }

  uint32_t parse_quantifier(uint32_t atom, uint32_t cap_first, uint32_t cap_end) {
    size_t at = pos_;
    uint32_t lo = 0, hi = 0;
    int c = peek();
    if (c == '*') {
      lo = 0, hi = kInfinite, ++pos_;
    } else if (c == '+') {
      lo = 1, hi = kInfinite, ++pos_;
    } else if (c == '?') {
      lo = 0, hi = 1, ++pos_;
    } else if (c == '{') {
      if (!parse_braces(&lo, &hi)) {
        if (failed_) return kFail;
        if (u_) return fail(at, "incomplete quantifier");
        return atom;  // Annex B: a literal '{'
      }
    } else {
      return atom;
    }
    Node n;
    n.kind = NodeKind::kQuant;
    n.min = lo;
    n.max = hi;
    if (peek() == '?') {
      n.greedy = false;
      ++pos_;
    }
    n.cap_first = cap_first;
    n.cap_end = cap_end;
    n.kids.push_back(atom);
    return add(std::move(n));
  }

  // --- Atoms -----------------------------------------------------------------------------
  uint32_t parse_atom() {
    size_t at = pos_;
    int c = peek();
    switch (c) {
      case '.':
        ++pos_;
        return add_simple(NodeKind::kDot);
      case '(':
        return parse_group();
      case '[':
        return parse_class();
      case '\\':
        return parse_atom_escape();
      case '*':
      case '+':
      case '?':
        return fail(at, "nothing to repeat");
      case '{': {
        uint32_t lo = 0, hi = 0;
        bool braces = parse_braces(&lo, &hi);
        if (failed_) return kFail;
        pos_ = at;
        if (braces) return fail(at, "nothing to repeat");
        if (u_) return fail(at, "lone quantifier brackets");
        ++pos_;
        return add_char('{');
      }
      case '}':
      case ']':
        if (u_) return fail(at, c == '}' ? "lone quantifier brackets" : "unmatched ']'");
        ++pos_;
        return add_char(static_cast<uint32_t>(c));
      default: {
        uint32_t cp = 0;
        if (!read_code_point(&cp)) return kFail;
        return add_char(cp);
      }
    }
  }

  uint32_t parse_group() {
    size_t open = pos_;
    uint32_t index = 0;
    std::string name;
    if (peek(1) == '?') {
      if (peek(2) == ':') {
        pos_ += 3;
        return parse_group_body(open);
      }
      if (peek(2) != '<') return fail(open, "invalid group");
      pos_ += 3;
      size_t name_at = pos_;
      if (!parse_group_name(&name)) return kFail;
      if (std::find(ast_.group_names.begin(), ast_.group_names.end(), name) !=
          ast_.group_names.end()) {
        return fail(name_at, "duplicate capture group name");
      }
    } else {
      pos_ += 1;
    }
    index = ++group_counter_;
    ast_.group_names.resize(index + 1);
    ast_.group_names[index] = std::move(name);
    uint32_t body = parse_group_body(open);
    if (body == kFail) return kFail;
    Node n;
    n.kind = NodeKind::kGroup;
    n.value = index;
    n.kids.push_back(body);
    return add(std::move(n));
  }

  // Parses a Disjunction and the closing ')' of the group opened at `open`.
  uint32_t parse_group_body(size_t open) {
    if (++depth_ > kMaxNesting) return fail(open, "pattern nested too deeply");
    uint32_t body = parse_disjunction();
    --depth_;
    if (body == kFail) return kFail;
    if (peek() != ')') return fail(open, "unterminated group");
    ++pos_;
    return body;
  }

  // GroupName :: '<' RegExpIdentifierName '>' (the '<' already consumed).
  bool parse_group_name(std::string* name) {
    size_t start = pos_;
    name->clear();
    bool first = true;
    for (;;) {
      if (at_end()) return fail(start, "invalid capture group name"), false;
      if (peek() == '>') break;
      uint32_t cp = 0;
      if (peek() == '\\') {
        ++pos_;
        if (peek() != 'u' || !parse_unicode_escape_body(true, &cp)) {
          if (!failed_) fail(start, "invalid capture group name");
          return false;
        }
      } else if (!read_code_point(&cp)) {
        return false;
      }
      bool ok = cp == '$' || cp == '_' ||
                (first ? unicode::is_id_start(cp)
                       : (cp == 0x200C || cp == 0x200D || unicode::is_id_continue(cp)));
      if (!ok) return fail(start, "invalid capture group name"), false;
      utf8::append(*name, cp);
      first = false;
    }
    if (first) return fail(start, "invalid capture group name"), false;
    ++pos_;  // '>'
    return true;
  }

  // After "\u" (pos_ at 'u'): \uXXXX (a surrogate pair \uXXXX\uXXXX joins into one code point)
  // or, when `braces` is allowed, \u{X...}. Returns false (without error) if malformed.
  bool parse_unicode_escape_body(bool braces, uint32_t* cp) {
    size_t save = pos_;
    ++pos_;  // 'u'
    if (braces && peek() == '{') {
      ++pos_;
      uint32_t v = 0;
      size_t digits = 0;
      while (hex_value(peek()) >= 0) {
        v = v * 16 + uint32_t(hex_value(peek()));
        if (v > kMaxCodePoint) break;
        ++pos_, ++digits;
      }
      if (digits == 0 || v > kMaxCodePoint || peek() != '}') {
        pos_ = save;
        return false;
      }
      ++pos_;
      *cp = v;
      return true;
    }
    if (!read_hex(4, cp)) {
      pos_ = save;
      return false;
    }
    if (is_lead_surrogate(*cp) && peek() == '\\' && peek(1) == 'u') {
      size_t before = pos_;
      pos_ += 2;
      uint32_t trail = 0;
      if (read_hex(4, &trail) && is_trail_surrogate(trail)) {
        *cp = 0x10000 + ((*cp - 0xD800) << 10) + (trail - 0xDC00);
      } else {
        pos_ = before;
      }
    }
    return true;
  }

  bool read_hex(int count, uint32_t* value) {
    uint32_t v = 0;
    for (int k = 0; k < count; ++k) {
      int h = hex_value(peek(size_t(k)));
      if (h < 0) return false;
      v = v * 16 + uint32_t(h);
    }
    pos_ += size_t(count);
    *value = v;
    return true;
  }

  // Annex B LegacyOctalEscapeSequence, pos_ at the first octal digit.
  uint32_t legacy_octal() {
    uint32_t first = uint32_t(peek() - '0');
    uint32_t v = first;
    ++pos_;
    if (is_octal(peek())) {
      v = v * 8 + uint32_t(peek() - '0');
      ++pos_;
      if (first <= 3 && is_octal(peek())) {
        v = v * 8 + uint32_t(peek() - '0');
        ++pos_;
      }
    }
    return v;
  }

  void class_escape_set(int c, CharSet* out) {
    switch (c) {
      case 'd':
      case 'D':
        out->add_range('0', '9');
        break;
      case 'w':
      case 'W':
        out->add_range('a', 'z');
        out->add_range('A', 'Z');
        out->add_range('0', '9');
        out->add('_');
        // With u and i, \w also holds the characters that fold into it (U+017F, U+212A).
        if (u_ && flags_.ignore_case) unicode::close_over_case(*out, true);
        break;
      default:
        unicode::add_white_space(out);
        break;
    }
    if (c == 'D' || c == 'W' || c == 'S') out->invert();
  }

  // \p{...} / \P{...}; pos_ at 'p' or 'P', `at` is the backslash.
  bool parse_property(size_t at, CharSet* out) {
    bool negate = peek() == 'P';
    ++pos_;
    if (peek() != '{') return fail(at, "invalid property name"), false;
    ++pos_;
    size_t begin = pos_;
    while (!at_end() && (is_alpha(peek()) || is_digit(peek()) || peek() == '_' || peek() == '='))
      ++pos_;
    if (peek() != '}') return fail(at, "invalid property name"), false;
    std::string_view body = src_.substr(begin, pos_ - begin);
    ++pos_;
    size_t eq = body.find('=');
    std::string_view name = eq == std::string_view::npos ? body : body.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : body.substr(eq + 1);
    CharSet set;
    if (name.empty() || value.find('=') != std::string_view::npos ||
        !unicode::property_set(name, value, eq != std::string_view::npos, &set)) {
      return fail(at, "invalid property name"), false;
    }
    if (negate) set.invert();
    out->add_set(set);
    return true;
  }

  // CharacterEscape shared by atoms and classes; pos_ at the character after '\'.
  // Returns false on error (already reported). `at` is the backslash.
  bool parse_character_escape(size_t at, bool in_class, uint32_t* cp) {
    int c = peek();
    switch (c) {
      case 'f':
        ++pos_, *cp = 0x0C;
        return true;
      case 'n':
        ++pos_, *cp = 0x0A;
        return true;
      case 'r':
        ++pos_, *cp = 0x0D;
        return true;
      case 't':
        ++pos_, *cp = 0x09;
        return true;
      case 'v':
        ++pos_, *cp = 0x0B;
        return true;
      case 'c': {
        int letter = peek(1);
        if (is_alpha(letter) || (in_class && !u_ && (is_digit(letter) || letter == '_'))) {
          pos_ += 2;
          *cp = uint32_t(letter) % 32;
          return true;
        }
        if (u_) return fail(at, "invalid escape"), false;
        *cp = '\\';  // Annex B: the backslash is literal and 'c' is read next
        return true;
      }
      case 'x': {
        ++pos_;
        if (read_hex(2, cp)) return true;
        if (u_) return fail(at, "invalid escape"), false;
        *cp = 'x';
        return true;
      }
      case 'u': {
        if (parse_unicode_escape_body(u_, cp)) return true;
        if (u_) return fail(at, "invalid Unicode escape"), false;
        ++pos_;
        *cp = 'u';
        return true;
      }
      case '0':
        if (!is_digit(peek(1))) {
          ++pos_;
          *cp = 0;
          return true;
        }
        if (u_) return fail(at, "invalid decimal escape"), false;
        *cp = legacy_octal();
        return true;
      default:
        break;
    }
    if (c < 0) return fail(at, "\\ at end of pattern"), false;
    if (u_) {
      if (is_syntax_char(c) || c == '/' || (in_class && c == '-')) {
        ++pos_;
        *cp = uint32_t(c);
        return true;
      }
      return fail(at, in_class ? "invalid class escape" : "invalid escape"), false;
    }
    if (is_digit(c)) {  // Annex B, only reached inside classes or for non-references
      if (c >= '8') {
        ++pos_;
        *cp = uint32_t(c);
        return true;
      }
      *cp = legacy_octal();
      return true;
    }
    if (c == 'k' && has_named_) return fail(at, "invalid named reference"), false;
    return read_code_point(cp);  // Annex B identity escape
  }

  uint32_t parse_atom_escape() {
    size_t at = pos_;
    ++pos_;  // '\'
    int c = peek();
    if (c < 0) return fail(at, "\\ at end of pattern");
    if (c >= '1' && c <= '9') {
      size_t digits = pos_;
      uint64_t n = 0;
      while (is_digit(peek())) {
        n = std::min<uint64_t>(n * 10 + uint64_t(peek() - '0'), kInfinite);
        ++pos_;
      }
      if (n <= total_groups_) {
        Node node;
        node.kind = NodeKind::kBackref;
        node.value = static_cast<uint32_t>(n);
        return add(std::move(node));
      }
      if (u_) return fail(at, "invalid backreference");
      pos_ = digits;  // Annex B: legacy octal escape or identity escape of 8/9
    }
    if (c == 'k' && (u_ || has_named_)) {
      ++pos_;
      std::string name;
      if (peek() != '<') return fail(at, "invalid named reference");
      ++pos_;
      if (!parse_group_name(&name)) return kFail;
      Node node;
      node.kind = NodeKind::kBackref;
      uint32_t index = add(std::move(node));
      pending_.push_back({index, std::move(name), at});
      return index;
    }
    if (c == 'd' || c == 'D' || c == 'w' || c == 'W' || c == 's' || c == 'S') {
      ++pos_;
      CharSet set;
      class_escape_set(c, &set);
      return add_set(std::move(set));
    }
    if (u_ && (c == 'p' || c == 'P')) {
      CharSet set;
      if (!parse_property(at, &set)) return kFail;
      if (flags_.ignore_case) unicode::close_over_case(set, true);
      return add_set(std::move(set));
    }
    uint32_t cp = 0;
    if (!parse_character_escape(at, false, &cp)) return kFail;
    return add_char(cp);
  }

  // --- Character classes -----------------------------------------------------------------
  // One ClassAtom: returns true and a code point, or a set in *set (is_set = true).
  bool parse_class_atom(uint32_t* cp, bool* is_set, CharSet* set) {
    *is_set = false;
    if (peek() != '\\') return read_code_point(cp);
    size_t at = pos_;
    ++pos_;
    int c = peek();
    if (c < 0) return fail(at, "\\ at end of pattern"), false;
    if (c == 'd' || c == 'D' || c == 'w' || c == 'W' || c == 's' || c == 'S') {
      ++pos_;
      *is_set = true;
      class_escape_set(c, set);
      return true;
    }
    if (u_ && (c == 'p' || c == 'P')) {
      *is_set = true;
      return parse_property(at, set);
    }
    if (c == 'b') {
      ++pos_;
      *cp = 0x08;
      return true;
    }
    if (u_ && is_digit(c) && c != '0') return fail(at, "invalid class escape"), false;
    return parse_character_escape(at, true, cp);
  }

  uint32_t parse_class() {
    size_t open = pos_;
    ++pos_;
    bool negate = false;
    if (peek() == '^') {
      negate = true;
      ++pos_;
    }
    CharSet set;
    for (;;) {
      if (at_end()) return fail(open, "unterminated character class");
      if (peek() == ']') {
        ++pos_;
        break;
      }
      size_t a_at = pos_;
      uint32_t a = 0, b = 0;
      bool a_set = false, b_set = false;
      CharSet a_chars, b_chars;
      if (!parse_class_atom(&a, &a_set, &a_chars)) return kFail;
      if (peek() == '-' && peek(1) != ']' && peek(1) >= 0) {
        size_t dash = pos_;
        ++pos_;
        if (!parse_class_atom(&b, &b_set, &b_chars)) return kFail;
        if (a_set || b_set) {
          if (u_) return fail(dash, "invalid character class range");
          // Annex B: "\d-x" is the union of \d, '-' and 'x'.
          a_set ? set.add_set(a_chars) : set.add(a);
          set.add('-');
          b_set ? set.add_set(b_chars) : set.add(b);
          continue;
        }
        if (a > b) return fail(a_at, "range out of order in character class");
        set.add_range(a, b);
        continue;
      }
      a_set ? set.add_set(a_chars) : set.add(a);
    }
    set.normalize();
    if (flags_.ignore_case) unicode::close_over_case(set, u_);
    if (negate) set.invert();
    return add_set(std::move(set));
  }

  uint32_t resolve_named_references(uint32_t root) {
    for (const PendingReference& ref : pending_) {
      auto it = std::find(ast_.group_names.begin() + 1, ast_.group_names.end(), ref.name);
      if (it == ast_.group_names.end()) return fail(ref.position, "undefined group name in \\k<>");
      ast_.nodes[ref.node].value = static_cast<uint32_t>(it - ast_.group_names.begin());
    }
    return root;
  }

  std::string_view src_;
  Flags flags_;
  bool u_;
  size_t pos_ = 0;
  int depth_ = 0;
  uint32_t total_groups_ = 0;
  bool has_named_ = false;
  uint32_t group_counter_ = 0;
  bool failed_ = false;
  SyntaxError error_;
  Ast ast_;
  std::vector<PendingReference> pending_;
};

}  // namespace

Result<Ast, SyntaxError> parse(std::string_view pattern, const Flags& flags) {
  Parser parser(pattern, flags);
  Ast ast;
  SyntaxError error;
  if (!parser.run(&ast, &error)) return Failure{std::move(error)};
  return ast;
}

}  // namespace hotpath::regex::internal
