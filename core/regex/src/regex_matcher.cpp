// Backtracking matcher with ECMAScript priority semantics. State that backtracking must undo
// (captures, loop counters) is written through a trail; the backtrack stack holds choice
// points, lookaround markers and compact entries for simple loops (one entry per loop, not
// per character). Every instruction and every backtrack costs one step of the budget.
#include "regex_matcher.h"

#include <algorithm>
#include <cstring>

#include "regex_charset.h"
#include "regex_utf8.h"

namespace hotpath::regex::internal {
namespace {

enum BacktrackKind : uint32_t {
  kResume,      // continue at pc with pos
  kLookMarker,  // a lookaround body failed: aux = negative
  kStarGreedy,  // give back one character of the kStar at pc; aux = position after min
  kStarLazy,    // take one more character for the kStar at pc; aux = count so far
};

bool is_line_terminator(uint32_t cp) {
  return cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029;
}

// Characters consumed per step by a simple loop: the budget bounds total work, not just
// backtracking, yet a linear scan of a long subject stays cheap.
constexpr uint64_t kCharsPerStep = 32;

}  // namespace

void MatchScratch::release_if_large() {
  constexpr size_t kKeep = 1 << 14;
  if (backtrack.capacity() > kKeep) std::vector<Backtrack>().swap(backtrack);
  if (trail.capacity() > kKeep) std::vector<TrailEntry>().swap(trail);
  if (frames.capacity() > kKeep) std::vector<Frame>().swap(frames);
}

Matcher::Matcher(const CompiledProgram& program, std::string_view subject, MatchScratch& scratch,
                 uint64_t budget)
    : p_(program),
      s_(reinterpret_cast<const uint8_t*>(subject.data())),
      n_(subject.size()),
      m_(scratch),
      steps_(budget),
      unicode_ignore_case_(program.flags.unicode && program.flags.ignore_case) {}

void Matcher::set_reg(uint32_t reg, uint64_t value) {
  // With no choice point left nothing can ever undo this write.
  if (!m_.backtrack.empty()) m_.trail.push_back({reg, m_.regs[reg]});
  m_.regs[reg] = value;
}

void Matcher::push(uint32_t pc, uint32_t kind, size_t pos, uint64_t aux) {
  m_.backtrack.push_back({pc << 2 | kind, uint32_t(m_.trail.size()), pos, aux});
}

void Matcher::undo_trail(uint32_t height) {
  while (m_.trail.size() > height) {
    const MatchScratch::TrailEntry& t = m_.trail.back();
    m_.regs[t.reg] = t.old;
    m_.trail.pop_back();
  }
}

bool Matcher::word_char(uint32_t cp) const {
  if (cp < 128) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
  }
  // With u and i, \w (and so \b) includes the characters that fold into ASCII word chars.
  return unicode_ignore_case_ && (cp == 0x017F || cp == 0x212A);
}

uint32_t Matcher::cp_before(size_t pos) const {
  size_t len = 0;
  return s_[pos - 1] < 0x80 ? s_[pos - 1] : utf8::decode_before(s_, n_, pos, &len);
}

uint32_t Matcher::cp_at(size_t pos) const {
  size_t len = 0;
  return s_[pos] < 0x80 ? s_[pos] : utf8::decode(s_, n_, pos, &len);
}

bool Matcher::is_word_before(size_t pos) const { return pos > 0 && word_char(cp_before(pos)); }
bool Matcher::is_word_at(size_t pos) const { return pos < n_ && word_char(cp_at(pos)); }

bool Matcher::match_one(const Inst& in, size_t pos, size_t* next) const {
  bool backward = in.flags & kBackward;
  if (in.op == Op::kLiteral) {
    const char* lit = p_.literals.data() + in.a;
    size_t len = in.b;
    if (!backward) {
      if (n_ - pos < len || std::memcmp(s_ + pos, lit, len) != 0) return false;
      *next = pos + len;
    } else {
      if (pos < len || std::memcmp(s_ + pos - len, lit, len) != 0) return false;
      *next = pos - len;
    }
    return true;
  }
  uint32_t cp = 0;
  size_t len = 1;
  if (!backward) {
    if (pos >= n_) return false;
    cp = s_[pos] < 0x80 ? s_[pos] : utf8::decode(s_, n_, pos, &len);
    *next = pos + len;
  } else {
    if (pos == 0) return false;
    cp = s_[pos - 1] < 0x80 ? s_[pos - 1] : utf8::decode_before(s_, n_, pos, &len);
    *next = pos - len;
  }
  switch (in.op) {
    case Op::kClass:
      return p_.classes[in.a].contains(cp);
    case Op::kDot:
      return !is_line_terminator(cp);
    default:  // kAny
      return true;
  }
}

bool Matcher::backref(const Inst& in, size_t* pos) const {
  uint64_t begin = m_.regs[2 * in.a], end = m_.regs[2 * in.a + 1];
  if (begin == kUnset || end == kUnset) return true;  // matches empty
  size_t b = size_t(begin), e = size_t(end), len = e - b;
  bool backward = in.flags & kBackward;
  if (!(in.flags & kIgnoreCase)) {
    if (!backward) {
      if (n_ - *pos < len || std::memcmp(s_ + *pos, s_ + b, len) != 0) return false;
      *pos += len;
    } else {
      if (*pos < len || std::memcmp(s_ + *pos - len, s_ + b, len) != 0) return false;
      *pos -= len;
    }
    return true;
  }
  bool u = p_.flags.unicode;
  size_t p = *pos;
  if (!backward) {
    for (size_t i = b; i < e;) {
      if (p >= n_) return false;
      size_t l1 = 0, l2 = 0;
      uint32_t c1 = utf8::decode(s_, e, i, &l1);
      uint32_t c2 = utf8::decode(s_, n_, p, &l2);
      if (c1 != c2 && unicode::canonicalize(c1, u) != unicode::canonicalize(c2, u)) return false;
      i += l1;
      p += l2;
    }
  } else {
    for (size_t i = e; i > b;) {
      if (p == 0) return false;
      size_t l1 = 0, l2 = 0;
      uint32_t c1 = utf8::decode_before(s_, n_, i, &l1);
      uint32_t c2 = utf8::decode_before(s_, n_, p, &l2);
      if (l1 > i - b) return false;
      if (c1 != c2 && unicode::canonicalize(c1, u) != unicode::canonicalize(c2, u)) return false;
      i -= l1;
      p -= l2;
    }
  }
  *pos = p;
  return true;
}

Status Matcher::run_at(size_t start) {
  std::vector<uint64_t>& regs = m_.regs;
  auto& bt = m_.backtrack;
  auto& frames = m_.frames;
  regs.assign(p_.register_count, kUnset);
  bt.clear();
  m_.trail.clear();
  frames.clear();
  const Inst* code = p_.code.data();
  uint32_t pc = 0;
  size_t pos = start;

  for (;;) {
    if (steps_ == 0) return Status::budget_exceeded;
    --steps_;
    if (bt.size() > kMaxStackEntries || m_.trail.size() > kMaxStackEntries) {
      return Status::budget_exceeded;
    }
    const Inst& in = code[pc];
    switch (in.op) {
      case Op::kLiteral:
      case Op::kClass:
      case Op::kDot:
      case Op::kAny: {
        size_t next = 0;
        if (match_one(in, pos, &next)) {
          pos = next;
          ++pc;
          continue;
        }
        break;
      }
      case Op::kBol:
        if (pos == 0 || ((in.flags & kMultiline) && is_line_terminator(cp_before(pos)))) {
          ++pc;
          continue;
        }
        break;
      case Op::kEol:
        if (pos == n_ || ((in.flags & kMultiline) && is_line_terminator(cp_at(pos)))) {
          ++pc;
          continue;
        }
        break;
      case Op::kWordBoundary:
      case Op::kNotWordBoundary: {
        bool boundary = is_word_before(pos) != is_word_at(pos);
        if (boundary == (in.op == Op::kWordBoundary)) {
          ++pc;
          continue;
        }
        break;
      }
      case Op::kSplit:
        push(in.b, kResume, pos, 0);
        pc = in.a;
        continue;
      case Op::kJump:
        pc = in.a;
        continue;
      case Op::kSave:
        set_reg(in.a, pos);
        ++pc;
        continue;
      case Op::kReset:
        for (uint32_t r = in.a; r < in.b; ++r) {
          if (regs[r] != kUnset) set_reg(r, kUnset);
        }
        ++pc;
        continue;
      case Op::kBackref:
        if (backref(in, &pos)) {
          ++pc;
          continue;
        }
        break;
      case Op::kLook:
        push(in.a, kLookMarker, pos, (in.flags & kNegate) ? 1u : 0u);
        frames.push_back({pos, bt.size() - 1});
        ++pc;
        continue;
      case Op::kLookEnd: {
        MatchScratch::Frame f = frames.back();
        frames.pop_back();
        bool negative = bt[f.marker].aux != 0;
        bt.resize(f.marker);  // the body's choice points are gone: lookarounds are atomic
        if (negative) break;
        pos = f.pos;
        ++pc;
        continue;
      }
      case Op::kStar: {
        const Inst& one = code[pc + 1];
        bool backward = in.flags & kBackward;
        uint64_t count = 0;
        // A lazy loop takes only its minimum now and one more character per backtrack.
        uint64_t limit = (in.flags & kGreedy) ? in.b : in.a;
        size_t p = pos, at_min = pos, next = 0;
        if (!backward && one.op == Op::kClass) {
          // The common case ([a-z]+, \d{4}, ...): a tight forward loop.
          const ClassData& cls = p_.classes[one.a];
          while (count < limit && p < n_) {
            uint8_t byte = s_[p];
            size_t len = 1;
            if (byte < 0x80) {
              if (!((cls.ascii[byte >> 6] >> (byte & 63)) & 1)) break;
            } else if (!cls.contains(utf8::decode(s_, n_, p, &len))) {
              break;
            }
            p += len;
            if (++count == in.a) at_min = p;
          }
        } else {
          while (count < limit && match_one(one, p, &next)) {
            p = next;
            if (++count == in.a) at_min = p;
          }
        }
        uint64_t charge = count / kCharsPerStep;
        steps_ -= std::min(steps_, charge);
        if (count < in.a) break;
        if (in.flags & kGreedy) {
          if (p != at_min) {
            push(pc, kStarGreedy, p, at_min);
          }
          pos = p;
        } else {
          if (count < in.b) {
            push(pc, kStarLazy, at_min, in.a);
          }
          pos = at_min;
        }
        pc += 2;
        continue;
      }
      case Op::kRepInit:
        set_reg(in.a, 0);
        ++pc;
        continue;
      case Op::kRepLoop: {
        uint64_t count = regs[in.a];
        if (count < in.b) {
          ++pc;
        } else if (count >= in.c) {
          pc = in.d;
        } else if (in.flags & kGreedy) {
          push(in.d, kResume, pos, 0);
          ++pc;
        } else {
          push(pc + 1, kResume, pos, 0);
          pc = in.d;
        }
        continue;
      }
      case Op::kRepEnter:
        set_reg(in.a + 1, pos);
        for (uint32_t r = in.b; r < in.c; ++r) {
          if (regs[r] != kUnset) set_reg(r, kUnset);
        }
        ++pc;
        continue;
      case Op::kRepEnd: {
        uint64_t count = regs[in.a];
        // ECMAScript's empty check: an optional iteration that consumed nothing fails.
        if (count >= in.b && regs[in.a + 1] == pos) break;
        set_reg(in.a, count + 1);
        pc = in.c;
        continue;
      }
      case Op::kMatch:
        regs[0] = start;
        regs[1] = pos;
        return Status::match;
    }

    // Failure: resume at the most recent choice point.
    for (;;) {
      if (bt.empty()) return Status::no_match;
      if (steps_ == 0) return Status::budget_exceeded;
      --steps_;
      MatchScratch::Backtrack& e = bt.back();
      undo_trail(e.trail);
      while (!frames.empty() && frames.back().marker >= bt.size() - 1) frames.pop_back();
      const uint32_t kind = e.pc_kind & 3, e_pc = e.pc_kind >> 2;
      if (kind == kResume) {
        pc = e_pc;
        pos = e.pos;
        bt.pop_back();
        break;
      }
      if (kind == kLookMarker) {
        bool negative = e.aux != 0;
        pc = e_pc;
        pos = e.pos;
        bt.pop_back();
        if (negative) break;  // the body failed, so the negative lookaround succeeds
        continue;
      }
      const Inst& star = code[e_pc];
      const Inst& one = code[e_pc + 1];
      bool backward = star.flags & kBackward;
      if (kind == kStarGreedy) {
        size_t p = e.pos;
        size_t at_min = size_t(e.aux);
        const Inst& after = code[e_pc + 2];
        // When a literal follows, only positions where its first byte occurs can succeed.
        int want = (!backward && after.op == Op::kLiteral)
                       ? static_cast<unsigned char>(p_.literals[after.a])
                       : -1;
        do {
          size_t len = 1;
          if (!backward) {
            if (s_[p - 1] >= 0x80) utf8::decode_before(s_, n_, p, &len);
            p = (p - at_min > len) ? p - len : at_min;
          } else {
            if (s_[p] >= 0x80) utf8::decode(s_, n_, p, &len);
            p = (at_min - p > len) ? p + len : at_min;
          }
        } while (want >= 0 && p != at_min && s_[p] != want);
        if (p == at_min) {
          bt.pop_back();
          if (want >= 0 && (p >= n_ || s_[p] != want)) continue;
        } else {
          e.pos = p;
        }
        pc = e_pc + 2;
        pos = p;
        break;
      }
      // kStarLazy
      size_t next = 0;
      if (e.aux < star.b && match_one(one, e.pos, &next)) {
        e.pos = next;
        if (++e.aux == star.b) bt.pop_back();
        pc = e_pc + 2;
        pos = next;
        break;
      }
      bt.pop_back();
    }
  }
}

}  // namespace hotpath::regex::internal
