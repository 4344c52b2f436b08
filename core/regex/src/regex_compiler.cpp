// Compiles the syntax tree into matcher bytecode. Quantifiers over a single character become
// one kStar instruction (no per-character backtracking state); other quantifiers use counter
// registers, so {n,m} never unrolls and a{1000000000} costs a few instructions.
#include <algorithm>

#include "regex_program.h"
#include "regex_utf8.h"

namespace hotpath::regex::internal {
namespace {

using ByteSet = std::array<uint64_t, 4>;

void set_byte(ByteSet& s, unsigned b) { s[b >> 6] |= uint64_t(1) << (b & 63); }

// Lead bytes of the UTF-8 encodings of [first, last]; invalid bytes read as U+FFFD.
void add_lead_bytes(ByteSet& s, uint32_t first, uint32_t last) {
  struct Band {
    uint32_t lo, hi;
    unsigned shift, mark;
  };
  static constexpr Band kBands[] = {{0, 0x7F, 0, 0},
                                    {0x80, 0x7FF, 6, 0xC0},
                                    {0x800, 0xFFFF, 12, 0xE0},
                                    {0x10000, 0x10FFFF, 18, 0xF0}};
  for (const Band& band : kBands) {
    uint32_t lo = std::max(first, band.lo), hi = std::min(last, band.hi);
    if (lo > hi) continue;
    for (uint32_t v = lo >> band.shift; v <= hi >> band.shift; ++v) set_byte(s, band.mark | v);
  }
  if (first <= utf8::kReplacement && utf8::kReplacement <= last) {
    for (unsigned b = 0x80; b < 256; ++b) set_byte(s, b);
  }
}

class Compiler {
 public:
  Compiler(const Ast& ast, CompiledProgram* out) : ast_(ast), out_(*out) {}

  void run() {
    out_.group_count = ast_.group_count;
    out_.group_names = ast_.group_names;
    registers_ = 2 * (ast_.group_count + 1);
    for (const CharSet& set : ast_.sets) {
      ClassData data;
      for (const auto& r : set.ranges()) {
        for (uint32_t cp = r.first; cp <= std::min<uint32_t>(r.second, 127); ++cp) {
          data.ascii[cp >> 6] |= uint64_t(1) << (cp & 63);
        }
      }
      data.ranges = set.ranges();
      out_.classes.push_back(std::move(data));
    }
    emit_node(ast_.root, false);
    emit(Op::kMatch);
    out_.register_count = registers_;
    analyze();
  }

 private:
  uint32_t pc() const { return static_cast<uint32_t>(out_.code.size()); }
  uint32_t emit(Op op, uint8_t flags = 0, uint32_t a = 0, uint32_t b = 0, uint32_t c = 0,
                uint32_t d = 0) {
    out_.code.push_back(Inst{op, flags, a, b, c, d});
    return pc() - 1;
  }
  uint8_t direction(bool backward) const { return backward ? kBackward : 0; }

  void emit_literal(const std::string& bytes, bool backward) {
    uint32_t offset = static_cast<uint32_t>(out_.literals.size());
    out_.literals += bytes;
    emit(Op::kLiteral, direction(backward), offset, static_cast<uint32_t>(bytes.size()));
  }

  bool is_single_char(const Node& n) const {
    return n.kind == NodeKind::kChar || n.kind == NodeKind::kClass || n.kind == NodeKind::kDot;
  }

  // Emits a one-character matcher (for kStar and plain atoms).
  void emit_single(const Node& n, bool backward) {
    switch (n.kind) {
      case NodeKind::kChar: {
        std::string bytes;
        utf8::append(bytes, n.value);
        emit_literal(bytes, backward);
        break;
      }
      case NodeKind::kClass:
        emit(Op::kClass, direction(backward), n.value);
        break;
      default:
        emit(out_.flags.dot_all ? Op::kAny : Op::kDot, direction(backward));
        break;
    }
  }

  bool can_be_empty(uint32_t index) const {
    const Node& n = ast_.nodes[index];
    switch (n.kind) {
      case NodeKind::kChar:
      case NodeKind::kClass:
      case NodeKind::kDot:
        return false;
      case NodeKind::kSeq:
        return std::all_of(n.kids.begin(), n.kids.end(),
                           [&](uint32_t k) { return can_be_empty(k); });
      case NodeKind::kAlt:
        return std::any_of(n.kids.begin(), n.kids.end(),
                           [&](uint32_t k) { return can_be_empty(k); });
      case NodeKind::kGroup:
        return can_be_empty(n.kids[0]);
      case NodeKind::kQuant:
        return n.min == 0 || can_be_empty(n.kids[0]);
      default:
        return true;
    }
  }

  void emit_node(uint32_t index, bool backward) {
    const Node& n = ast_.nodes[index];
    uint8_t dir = direction(backward);
    switch (n.kind) {
      case NodeKind::kEmpty:
        break;
      case NodeKind::kChar:
      case NodeKind::kClass:
      case NodeKind::kDot:
        emit_single(n, backward);
        break;
      case NodeKind::kSeq:
        emit_sequence(n, backward);
        break;
      case NodeKind::kAlt: {
        std::vector<uint32_t> jumps;
        for (size_t i = 0; i < n.kids.size(); ++i) {
          uint32_t split = 0;
          bool last = i + 1 == n.kids.size();
          if (!last) split = emit(Op::kSplit);
          if (!last) out_.code[split].a = pc();
          emit_node(n.kids[i], backward);
          if (!last) {
            jumps.push_back(emit(Op::kJump));
            out_.code[split].b = pc();
          }
        }
        for (uint32_t j : jumps) out_.code[j].a = pc();
        break;
      }
      case NodeKind::kGroup: {
        uint32_t start = 2 * n.value, end = 2 * n.value + 1;
        emit(Op::kSave, 0, backward ? end : start);
        emit_node(n.kids[0], backward);
        emit(Op::kSave, 0, backward ? start : end);
        break;
      }
      case NodeKind::kLook: {
        uint32_t look = emit(Op::kLook, n.negate ? kNegate : 0);
        emit_node(n.kids[0], n.behind);
        emit(Op::kLookEnd);
        out_.code[look].a = pc();
        break;
      }
      case NodeKind::kBackref:
        emit(Op::kBackref, uint8_t(dir | (out_.flags.ignore_case ? kIgnoreCase : 0)), n.value);
        break;
      case NodeKind::kBol:
        emit(Op::kBol, out_.flags.multiline ? kMultiline : 0);
        break;
      case NodeKind::kEol:
        emit(Op::kEol, out_.flags.multiline ? kMultiline : 0);
        break;
      case NodeKind::kWordBoundary:
        emit(Op::kWordBoundary);
        break;
      case NodeKind::kNotWordBoundary:
        emit(Op::kNotWordBoundary);
        break;
      case NodeKind::kQuant:
        emit_quantifier(n, backward);
        break;
    }
  }

  // Consecutive characters become one literal; a backward sequence runs its terms in reverse.
  void emit_sequence(const Node& n, bool backward) {
    struct Item {
      uint32_t node;
      std::string literal;
    };
    std::vector<Item> items;
    for (uint32_t k : n.kids) {
      const Node& kid = ast_.nodes[k];
      if (kid.kind == NodeKind::kChar && !items.empty() && !items.back().literal.empty()) {
        utf8::append(items.back().literal, kid.value);
        continue;
      }
      Item item{k, {}};
      if (kid.kind == NodeKind::kChar) utf8::append(item.literal, kid.value);
      items.push_back(std::move(item));
    }
    if (backward) std::reverse(items.begin(), items.end());
    for (const Item& item : items) {
      if (!item.literal.empty()) {
        emit_literal(item.literal, backward);
      } else {
        emit_node(item.node, backward);
      }
    }
  }

  void emit_quantifier(const Node& n, bool backward) {
    if (n.max == 0) return;
    uint32_t atom = n.kids[0];
    const Node& body = ast_.nodes[atom];
    uint8_t dir = direction(backward);
    uint8_t greedy = n.greedy ? kGreedy : 0;
    if (n.min == 1 && n.max == 1) {
      emit_node(atom, backward);
      return;
    }
    if (is_single_char(body)) {
      emit(Op::kStar, uint8_t(dir | greedy), n.min, n.max);
      emit_single(body, backward);
      return;
    }
    uint32_t cap_first = 2 * n.cap_first, cap_end = 2 * n.cap_end;
    if (n.min == 0 && n.max == 1 && !can_be_empty(atom)) {
      // x? without the empty check: a split, clearing the captures of x first.
      uint32_t split = emit(Op::kSplit);
      uint32_t body_pc = pc();
      if (cap_end > cap_first) emit(Op::kReset, 0, cap_first, cap_end);
      emit_node(atom, backward);
      out_.code[split].a = n.greedy ? body_pc : pc();
      out_.code[split].b = n.greedy ? pc() : body_pc;
      return;
    }
    uint32_t reg = registers_;
    registers_ += 2;
    emit(Op::kRepInit, 0, reg);
    uint32_t loop = emit(Op::kRepLoop, greedy, reg, n.min, n.max);
    emit(Op::kRepEnter, 0, reg, cap_first, cap_end);
    emit_node(atom, backward);
    emit(Op::kRepEnd, 0, reg, n.min, loop);
    out_.code[loop].d = pc();
  }

  // --- search hints ----------------------------------------------------------------------
  // First bytes a match can start with; returns whether the node can match empty (then the
  // bytes of what follows also count).
  bool first_bytes(uint32_t index, ByteSet& s, bool* unknown) const {
    const Node& n = ast_.nodes[index];
    switch (n.kind) {
      case NodeKind::kChar:
        add_lead_bytes(s, n.value, n.value);
        return false;
      case NodeKind::kClass:
        for (const auto& r : ast_.sets[n.value].ranges()) add_lead_bytes(s, r.first, r.second);
        return false;
      case NodeKind::kDot:
        for (unsigned b = 0; b < 256; ++b) {
          if (out_.flags.dot_all || (b != '\n' && b != '\r')) set_byte(s, b);
        }
        return false;
      case NodeKind::kSeq:
        for (uint32_t k : n.kids) {
          if (!first_bytes(k, s, unknown)) return false;
        }
        return true;
      case NodeKind::kAlt: {
        bool empty = false;
        for (uint32_t k : n.kids) empty |= first_bytes(k, s, unknown);
        return empty;
      }
      case NodeKind::kGroup:
        return first_bytes(n.kids[0], s, unknown);
      case NodeKind::kQuant:
        if (n.max == 0) return true;
        return first_bytes(n.kids[0], s, unknown) || n.min == 0;
      case NodeKind::kBackref:
        *unknown = true;
        return true;
      default:  // assertions and lookarounds consume nothing
        return true;
    }
  }

  bool anchored(uint32_t index) const {
    const Node& n = ast_.nodes[index];
    switch (n.kind) {
      case NodeKind::kBol:
        return !out_.flags.multiline;
      case NodeKind::kSeq:
        return !n.kids.empty() && anchored(n.kids[0]);
      case NodeKind::kAlt:
        return std::all_of(n.kids.begin(), n.kids.end(), [&](uint32_t k) { return anchored(k); });
      case NodeKind::kGroup:
        return anchored(n.kids[0]);
      default:
        return false;
    }
  }

  // One character or ASCII class as a 128-bit set; false when it may match non-ASCII.
  bool ascii_set(uint32_t index, LinearStep* step) const {
    const Node& n = ast_.nodes[index];
    if (n.kind == NodeKind::kChar) {
      if (n.value >= 128) return false;
      step->ascii[n.value >> 6] |= uint64_t(1) << (n.value & 63);
      return true;
    }
    if (n.kind != NodeKind::kClass) return false;
    const CharSet& set = ast_.sets[n.value];
    if (set.empty() || set.ranges().back().second >= 128) return false;
    for (const auto& r : set.ranges()) {
      for (uint32_t cp = r.first; cp <= r.second; ++cp) {
        step->ascii[cp >> 6] |= uint64_t(1) << (cp & 63);
      }
    }
    return true;
  }

  // Recognizes ^ (ASCII char | ASCII class){min,max}... $? without multiline, where each
  // variable repeat is disjoint from everything that can follow it up to the next mandatory
  // step. Then a greedy scan decides a match exactly like the backtracking matcher would.
  void analyze_linear() {
    if (out_.flags.multiline) return;
    const Node& root = ast_.nodes[ast_.root];
    std::vector<uint32_t> items;
    if (root.kind == NodeKind::kSeq) {
      items = root.kids;
    } else {
      items.push_back(ast_.root);
    }
    if (items.empty() || ast_.nodes[items.front()].kind != NodeKind::kBol) return;
    size_t end = items.size();
    bool end_anchor = false;
    if (end > 1 && ast_.nodes[items.back()].kind == NodeKind::kEol) {
      end_anchor = true;
      --end;
    }
    std::vector<LinearStep> steps;
    for (size_t i = 1; i < end; ++i) {
      const Node& n = ast_.nodes[items[i]];
      LinearStep step;
      if (n.kind == NodeKind::kQuant) {
        if (n.max == 0 || n.cap_end > n.cap_first || !ascii_set(n.kids[0], &step)) return;
        step.min = n.min;
        step.max = n.max;  // kInfinite stays UINT32_MAX
      } else if (!ascii_set(items[i], &step)) {
        return;
      }
      steps.push_back(step);
    }
    for (size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].min == steps[i].max) continue;
      for (size_t j = i + 1; j < steps.size(); ++j) {
        if ((steps[i].ascii[0] & steps[j].ascii[0]) || (steps[i].ascii[1] & steps[j].ascii[1])) {
          return;
        }
        if (steps[j].min > 0) break;
      }
    }
    for (LinearStep& step : steps) {
      for (unsigned b = 0; b < 128; ++b) step.member[b] = (step.ascii[b >> 6] >> (b & 63)) & 1;
    }
    out_.linear = true;
    out_.linear_end_anchor = end_anchor;
    out_.linear_steps = std::move(steps);
  }

  void analyze() {
    analyze_linear();
    out_.anchored = anchored(ast_.root);
    if (out_.anchored) return;
    const Node& root = ast_.nodes[ast_.root];
    if (root.kind == NodeKind::kChar) {
      utf8::append(out_.prefix, root.value);
    } else if (root.kind == NodeKind::kSeq) {
      for (uint32_t k : root.kids) {
        if (ast_.nodes[k].kind != NodeKind::kChar) break;
        utf8::append(out_.prefix, ast_.nodes[k].value);
      }
    }
    if (!out_.prefix.empty()) return;
    ByteSet s{};
    bool unknown = false;
    bool empty = first_bytes(ast_.root, s, &unknown);
    if (!empty && !unknown) {
      out_.use_first_bytes = true;
      out_.first_bytes = s;
    }
  }

  const Ast& ast_;
  CompiledProgram& out_;
  uint32_t registers_ = 0;
};

}  // namespace

void compile(const Ast& ast, CompiledProgram* out) { Compiler(ast, out).run(); }

}  // namespace hotpath::regex::internal
