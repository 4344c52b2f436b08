// Public API of hotpath/regex: compile (parse + compile to bytecode) and search (pick start
// positions with the program's hints, run the matcher at each).
#include "hotpath/regex.h"

#include "regex_matcher.h"
#include "regex_program.h"
#include "regex_utf8.h"

namespace hotpath::regex {

struct Regex::Program : internal::CompiledProgram {};

std::string SyntaxError::to_string() const {
  return "at position " + std::to_string(position) + ": " + message;
}

Regex::Regex(std::shared_ptr<const Program> p) : program_(std::move(p)) {}
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;
Regex::Regex(const Regex&) = default;
Regex& Regex::operator=(const Regex&) = default;
Regex::~Regex() = default;

Result<Regex, SyntaxError> Regex::compile(std::string_view pattern, Flags flags) {
  auto ast = internal::parse(pattern, flags);
  if (!ast.ok()) return Failure{std::move(ast.error())};
  auto program = std::make_shared<Program>();
  program->pattern = std::string(pattern);
  program->flags = flags;
  internal::compile(ast.value(), program.get());
  return Regex(std::move(program));
}

std::string_view Regex::pattern() const { return program_->pattern; }
size_t Regex::group_count() const { return program_->group_count; }

namespace {

internal::MatchScratch& scratch() {
  static thread_local internal::MatchScratch s;
  return s;
}

size_t next_position(const uint8_t* s, size_t n, size_t pos) {
  if (s[pos] < 0x80) return pos + 1;
  size_t len = 0;
  utf8::decode(s, n, pos, &len);
  return pos + len;
}

bool in_byte_set(const std::array<uint64_t, 4>& set, uint8_t b) {
  return (set[b >> 6] >> (b & 63)) & 1;
}

// test() of a linear pattern (see LinearStep): one greedy left-to-right scan.
Status match_linear(const internal::CompiledProgram& p, const uint8_t* s, size_t n) {
  size_t pos = 0;
  for (const internal::LinearStep& step : p.linear_steps) {
    uint32_t count = 0;
    while (count < step.max && pos < n && step.member[s[pos]]) {
      ++pos;
      ++count;
    }
    if (count < step.min) return Status::no_match;
  }
  return !p.linear_end_anchor || pos == n ? Status::match : Status::no_match;
}

}  // namespace

Status Regex::search(std::string_view subject, size_t start, Match* out,
                     uint64_t step_budget) const {
  const Program& p = *program_;
  const size_t n = subject.size();
  if (start > n) return Status::no_match;
  const uint8_t* s = reinterpret_cast<const uint8_t*>(subject.data());
  if (p.linear && out == nullptr) return start == 0 ? match_linear(p, s, n) : Status::no_match;
  internal::MatchScratch& sc = scratch();
  internal::Matcher matcher(p, subject, sc, step_budget);

  Status status = Status::no_match;
  if (p.anchored) {
    // '^' without 'm' only matches at offset 0.
    if (start == 0) status = matcher.run_at(0);
  } else {
    for (size_t pos = start;;) {
      if (!p.prefix.empty()) {
        pos = subject.find(p.prefix, pos);
        if (pos == std::string_view::npos) break;
      } else if (p.use_first_bytes) {
        while (pos < n && !in_byte_set(p.first_bytes, s[pos])) pos = next_position(s, n, pos);
        if (pos >= n) break;  // such a pattern cannot match empty
      }
      status = matcher.run_at(pos);
      if (status != Status::no_match || pos >= n) break;
      pos = next_position(s, n, pos);
    }
  }

  if (status == Status::match && out != nullptr) {
    const std::vector<uint64_t>& regs = sc.regs;
    out->groups.assign(p.group_count + 1, {Match::npos, Match::npos});
    for (size_t g = 0; g <= p.group_count; ++g) {
      uint64_t b = regs[2 * g], e = regs[2 * g + 1];
      if (b != internal::kUnset && e != internal::kUnset) out->groups[g] = {size_t(b), size_t(e)};
    }
    out->begin = out->groups[0].first;
    out->end = out->groups[0].second;
    out->group_names = p.group_names;
  }
  sc.release_if_large();
  return status;
}

}  // namespace hotpath::regex
