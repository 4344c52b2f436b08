// Function signatures (<s-nn?:s>): parsed into one regex component per parameter, matched
// against the string of argument type letters as jsonata-js does.
#include "jsonata_ast.h"

namespace hotpath::jsonata::detail {

namespace {
size_t closing(std::string_view s, size_t start, char open, char close) {
  int depth = 1;
  size_t p = start;
  while (p < s.size()) {
    ++p;
    if (p >= s.size()) break;
    if (s[p] == close) {
      if (--depth == 0) break;
    } else if (s[p] == open) {
      ++depth;
    }
  }
  return p;
}
}  // namespace

Result<std::unique_ptr<Signature>, Error> parse_signature(std::string_view sig) {
  auto out = std::make_unique<Signature>();
  std::vector<Signature::Param>& params = out->params;
  Signature::Param param;
  long prev = -1;
  auto push = [&]() {
    params.push_back(param);
    prev = long(params.size()) - 1;
    param = Signature::Param();
  };
  Signature::Param dummy;
  auto prevp = [&]() -> Signature::Param& { return prev >= 0 ? params[size_t(prev)] : dummy; };
  size_t pos = 1;
  while (pos < sig.size()) {
    char c = sig[pos];
    if (c == ':') break;
    switch (c) {
      case 's':
      case 'n':
      case 'b':
      case 'l':
      case 'o':
        param.regex = std::string("[") + c + "m]";
        param.type = c;
        push();
        break;
      case 'a':
        param.regex = "[asnblfom]";
        param.type = c;
        push();
        break;
      case 'f':
        param.regex = "f";
        param.type = c;
        push();
        break;
      case 'j':
        param.regex = "[asnblom]";
        param.type = c;
        push();
        break;
      case 'x':
        param.regex = "[asnblfom]";
        param.type = c;
        push();
        break;
      case '-':
        prevp().context = true;
        prevp().regex += "?";
        break;
      case '?':
      case '+':
        prevp().regex += c;
        break;
      case '(': {
        size_t end = closing(sig, pos, '(', ')');
        std::string choice(sig.substr(pos + 1, end - pos - 1));
        if (choice.find('<') != std::string::npos) {
          Error e;
          e.code = "S0402";
          e.position = pos;
          e.message = choice;
          return Failure(e);
        }
        param.regex = "[" + choice + "m]";
        param.type = '(';
        pos = end;
        push();
        break;
      }
      case '<': {
        if (prevp().type == 'a' || prevp().type == 'f') {
          size_t end = closing(sig, pos, '<', '>');
          prevp().subtype = std::string(sig.substr(pos + 1, end - pos - 1));
          pos = end;
        } else {
          Error e;
          e.code = "S0401";
          e.position = pos;
          e.message = std::string(1, prevp().type);
          return Failure(e);
        }
        break;
      }
      default:
        break;
    }
    ++pos;
  }
  for (auto& p : params) {
    const std::string& r = p.regex;
    size_t k = 0;
    if (!r.empty() && r[0] == '[') {
      size_t close = r.find(']');
      p.chars = r.substr(1, close - 1);
      k = close + 1;
    } else if (!r.empty()) {
      p.chars = r.substr(0, 1);
      k = 1;
    }
    for (; k < r.size(); ++k) {
      if (r[k] == '?') p.optional = true;
      if (r[k] == '+') p.repeat = true;
    }
    for (char c : p.chars) p.mask |= type_bit(c);
  }
  out->positional = true;
  for (const auto& p : params) {
    if (p.repeat) out->positional = false;
    if (p.type == 'a') out->has_array_param = true;
  }
  for (size_t k = 1; k < params.size(); ++k)
    if (!params[k].optional) ++out->required_after_first;
  return out;
}

namespace {
bool match_from(const Signature& sig, std::string_view t, size_t k, size_t count, size_t pos,
                bool whole, std::pair<size_t, size_t>* spans, size_t* end) {
  if (k == count) {
    if (whole && pos != t.size()) return false;
    if (end) *end = pos;
    return true;
  }
  const Signature::Param& p = sig.params[k];
  // how many letters this parameter can take from pos (greedy first)
  size_t avail = 0;
  while (pos + avail < t.size() && p.chars.find(t[pos + avail]) != std::string::npos) {
    ++avail;
    if (!p.repeat) break;
  }
  size_t min = p.optional ? 0 : 1;
  if (p.repeat && p.optional) min = 0;
  for (size_t take = avail + 1; take-- > min;) {
    spans[k] = {pos, pos + take};
    if (match_from(sig, t, k + 1, count, pos + take, whole, spans, end)) return true;
  }
  return false;
}
}  // namespace

bool Signature::match(std::string_view types, size_t count, bool whole,
                      std::pair<size_t, size_t>* spans, size_t* end) const {
  std::pair<size_t, size_t> small[16];
  std::vector<std::pair<size_t, size_t>> big;
  if (!spans) {
    if (count <= 16) {
      spans = small;
    } else {
      big.resize(count);
      spans = big.data();
    }
  }
  return match_from(*this, types, 0, count, 0, whole, spans, end);
}

}  // namespace hotpath::jsonata::detail
