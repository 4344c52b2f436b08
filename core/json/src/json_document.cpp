// Document::parse: simdjson On-Demand walks the input once and the tree of Values is built
// iteratively (no recursion, so nesting depth cannot overflow the stack). Children are
// gathered on a scratch stack while their container is open and copied contiguously into
// the Document's arena when it closes. Every buffer is kept across parse() calls.
#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "hotpath/json.h"
#include "json_number.h"
#include "json_syntax_check.h"
#include "simdjson.h"

namespace hotpath::json {
namespace {

namespace ondemand = simdjson::ondemand;

// simdjson indexes its input with 32-bit offsets.
constexpr size_t kSimdjsonMaxSize = 0xFFFFFFFFu;

// Bump allocator for finished containers. Blocks are kept across resets; when one parse
// needed several blocks they are merged into one on the next reset, so the steady state for
// similar inputs is a single block and no allocation.
class Arena {
 public:
  template <typename T>
  const T* copy(const T* source, size_t count) {
    if (count == 0) return nullptr;
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 16);
    void* memory = allocate((count * sizeof(T) + 15) & ~size_t(15));
    std::memcpy(memory, source, count * sizeof(T));  // trivially copyable: bytes are the object
    return static_cast<const T*>(memory);
  }

  void reset() {
    if (blocks_.size() > 1) {
      size_t total = 0;
      for (const Block& b : blocks_) total += b.capacity;
      blocks_.clear();
      blocks_.push_back(Block{std::unique_ptr<std::byte[]>(new std::byte[total]), total});
    }
    current_ = 0;
    used_ = 0;
  }

 private:
  static constexpr size_t kFirstBlockSize = 4096;
  struct Block {
    std::unique_ptr<std::byte[]> data;
    size_t capacity;
  };

  void* allocate(size_t bytes) {
    while (current_ < blocks_.size()) {
      Block& block = blocks_[current_];
      if (block.capacity - used_ >= bytes) {
        void* p = block.data.get() + used_;
        used_ += bytes;
        return p;
      }
      ++current_;
      used_ = 0;
    }
    size_t capacity = std::max(bytes, blocks_.empty() ? kFirstBlockSize : blocks_.back().capacity * 2);
    blocks_.push_back(Block{std::unique_ptr<std::byte[]>(new std::byte[capacity]), capacity});
    current_ = blocks_.size() - 1;
    used_ = bytes;
    return blocks_.back().data.get();
  }

  std::vector<Block> blocks_;
  size_t current_ = 0;
  size_t used_ = 0;
};

// One open container during the build.
struct Frame {
  ondemand::array_iterator item;
  ondemand::array_iterator items_end;
  ondemand::object_iterator member;
  ondemand::object_iterator members_end;
  std::string_view key;  // this container's key when its parent is an object
  size_t first_child;    // index of its first child on the scratch stack
  bool is_object;
  bool child_open;       // a child container is open: advance past it once it closes
};

// SWAR search for a backslash: escapes are rare and strings short, so this beats memchr.
// `p` points into the padded input copy, so reading up to 7 bytes past `n` is in bounds;
// the bytes beyond `n` are masked off.
bool contains_backslash(const char* p, size_t n) {
  static_assert(std::endian::native == std::endian::little, "lane masking assumes little-endian");
  constexpr uint64_t kOnes = 0x0101010101010101u;
  constexpr uint64_t kHigh = 0x8080808080808080u;
  for (;; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    const uint64_t x = word ^ (kOnes * '\\');
    uint64_t found = (x - kOnes) & ~x & kHigh;
    if (n < 8) return (found & ((uint64_t(1) << (8 * n)) - 1)) != 0;  // little-endian lanes
    if (found) return true;
  }
}

bool is_whitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::string_view trim_trailing_whitespace(std::string_view s) {
  while (!s.empty() && is_whitespace(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view trim_whitespace(std::string_view s) {
  while (!s.empty() && is_whitespace(s.front())) s.remove_prefix(1);
  return trim_trailing_whitespace(s);
}

}  // namespace

struct Document::Impl {
  ondemand::parser parser;
  std::unique_ptr<char[]> buffer;  // input copy followed by SIMDJSON_PADDING zero bytes
  size_t buffer_capacity = 0;
  Arena arena;
  std::vector<Value> item_stack;     // children of open arrays
  std::vector<Member> member_stack;  // children of open objects
  std::vector<Frame> frames;
  Value root;
  bool out_of_memory = false;

  bool build(size_t size, uint32_t max_depth);
  bool read_scalar(ondemand::value& v, ondemand::json_type type, char closer, Value& out);
  bool add_child(Frame& parent, ondemand::value& v, std::string_view key, uint32_t max_depth);
  bool open(ondemand::value& v, bool is_object, std::string_view key);
  void close();
};

Document::Document() : impl_(std::make_unique<Impl>()) {}
Document::~Document() = default;
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;

const Value& Document::root() const { return impl_->root; }

Result<const Value*, ParseError> Document::parse(std::string_view bytes, const ParseOptions& options) {
  Impl& d = *impl_;
  d.root = Value::null();
  const size_t limit = std::min(options.max_size, kSimdjsonMaxSize);
  if (bytes.size() > limit) {
    return Failure{internal::make_parse_error(
        bytes, "input is " + std::to_string(bytes.size()) + " bytes, larger than the limit of " +
                   std::to_string(limit) + " bytes", 0)};
  }
  const size_t needed = bytes.size() + simdjson::SIMDJSON_PADDING;
  if (d.buffer_capacity < needed) {
    d.buffer_capacity = std::max(needed, d.buffer_capacity + d.buffer_capacity / 2);
    d.buffer.reset(new char[d.buffer_capacity]);
  }
  if (!bytes.empty()) std::memcpy(d.buffer.get(), bytes.data(), bytes.size());
  std::memset(d.buffer.get() + bytes.size(), 0, simdjson::SIMDJSON_PADDING);

  if (d.build(bytes.size(), options.max_depth)) return &d.root;

  d.root = Value::null();
  std::string message;
  size_t offset = 0;
  if (d.out_of_memory) {
    d.out_of_memory = false;
    message = "not enough memory to parse " + std::to_string(bytes.size()) + " bytes";
  } else if (!internal::find_syntax_error(bytes, options.max_depth, message, offset)) {
    // simdjson refused something the strict checker accepts (e.g. an allocation failure).
    message = "invalid JSON";
  }
  return Failure{internal::make_parse_error(bytes, std::move(message), offset)};
}

bool Document::Impl::build(size_t size, uint32_t max_depth) {
  arena.reset();
  item_stack.clear();
  member_stack.clear();
  frames.clear();

  // Size the parser ahead of need (capacity grows by half, so slowly growing inputs do not
  // reallocate each time) and deep enough for max_depth (simdjson's debug checks assert it).
  const size_t depth_needed = std::max(size_t(max_depth) + 2, parser.max_depth());
  if (parser.capacity() < size || parser.max_depth() < depth_needed) {
    size_t capacity = std::max({size, parser.capacity() + parser.capacity() / 2, size_t(1024)});
    capacity = std::min(capacity, kSimdjsonMaxSize);
    if (parser.allocate(capacity, depth_needed) != simdjson::SUCCESS) {
      out_of_memory = true;
      return false;
    }
  }
  ondemand::document doc;
  if (parser.iterate(simdjson::padded_string_view(buffer.get(), size, buffer_capacity)).get(doc)) return false;
  ondemand::json_type type;
  if (doc.type().get(type)) return false;
  switch (type) {
    case ondemand::json_type::array:
    case ondemand::json_type::object: {
      if (max_depth == 0) return false;
      Frame f{};
      f.is_object = type == ondemand::json_type::object;
      if (f.is_object) {
        ondemand::object o;
        if (doc.get_object().get(o) || o.begin().get(f.member) || o.end().get(f.members_end)) return false;
      } else {
        ondemand::array a;
        if (doc.get_array().get(a) || a.begin().get(f.item) || a.end().get(f.items_end)) return false;
      }
      frames.push_back(f);
      break;
    }
    case ondemand::json_type::number: {
      // A root scalar is the whole (trimmed) input; the number parser rejects anything else.
      std::string_view text(buffer.get(), size);
      if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // simdjson skips a BOM too
      text = trim_whitespace(text);
      return internal::parse_number_token(text.data(), text.size(), root);
    }
    case ondemand::json_type::string: {
      std::string_view s;
      if (doc.get_string().get(s)) return false;
      root = Value::string(s.data(), static_cast<uint32_t>(s.size()));
      return true;
    }
    case ondemand::json_type::boolean: {
      bool b = false;
      if (doc.get_bool().get(b)) return false;
      root = Value::boolean(b);
      return true;
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      if (doc.is_null().get(is_null) || !is_null) return false;
      root = Value::null();
      return true;
    }
    default:
      return false;
  }

  // Values are used in place through references: copying simdjson's small iterator structs
  // here made the compiler emit store-forwarding stalls that cost about a third of the time.
  while (!frames.empty()) {
    Frame& f = frames.back();
    if (f.is_object) {
      if (f.child_open) {
        f.child_open = false;
        ++f.member;
      }
      if (!(f.member != f.members_end)) {
        close();
        continue;
      }
      auto field_result = *f.member;
      if (field_result.error()) return false;
      ondemand::field& field = field_result.value_unsafe();
      std::string_view key = field.escaped_key();
      if (contains_backslash(key.data(), key.size()) && field.unescaped_key(false).get(key)) return false;
      if (!add_child(f, field.value(), key, max_depth)) return false;
    } else {
      if (f.child_open) {
        f.child_open = false;
        ++f.item;
      }
      if (!(f.item != f.items_end)) {
        close();
        continue;
      }
      auto item_result = *f.item;
      if (item_result.error()) return false;
      if (!add_child(f, item_result.value_unsafe(), {}, max_depth)) return false;
    }
  }
  return doc.at_end();
}

// Adds one child of the innermost open container: a scalar goes onto the scratch stack, a
// container becomes a new frame (`parent` may dangle after that).
bool Document::Impl::add_child(Frame& parent, ondemand::value& v, std::string_view key, uint32_t max_depth) {
  ondemand::json_type type;
  if (v.type().get(type)) return false;
  if (type == ondemand::json_type::array || type == ondemand::json_type::object) {
    parent.child_open = true;
    if (frames.size() >= max_depth) return false;
    return open(v, type == ondemand::json_type::object, key);
  }
  // Scalars are written straight into their scratch slot: building a Value elsewhere and
  // copying it makes a wide load read several narrow stores, a store-forwarding stall.
  if (parent.is_object) {
    Member& slot = member_stack.emplace_back();
    slot.key = key;
    if (!read_scalar(v, type, '}', slot.value)) return false;
    ++parent.member;
  } else {
    if (!read_scalar(v, type, ']', item_stack.emplace_back())) return false;
    ++parent.item;
  }
  return true;
}

// Numbers and unescaped strings are read from their raw token and left unconsumed: the
// enclosing iterator skips them on advance. Skipping is lenient (it would step over a ':'
// after an array element), so the structural character after the token is checked here.
static bool followed_by_separator(std::string_view raw_token, char closer) {
  const char next = raw_token.data()[raw_token.size()];  // the next structural character
  return next == ',' || next == closer;
}

bool Document::Impl::read_scalar(ondemand::value& v, ondemand::json_type type, char closer, Value& out) {
  switch (type) {
    case ondemand::json_type::number: {
      const std::string_view raw = v.raw_json_token();
      if (!followed_by_separator(raw, closer)) return false;
      std::string_view text = trim_trailing_whitespace(raw);
      return internal::parse_number_token(text.data(), text.size(), out);
    }
    case ondemand::json_type::string: {
      // Strings without escapes point straight into the input copy (stage 1 has already
      // validated their UTF-8 and control characters); only escaped ones are unescaped.
      const std::string_view raw = v.raw_json_token();
      std::string_view token = trim_trailing_whitespace(raw);
      if (token.size() < 2 || token.back() != '"') return false;
      token = token.substr(1, token.size() - 2);
      if (!contains_backslash(token.data(), token.size())) {
        if (!followed_by_separator(raw, closer)) return false;
        out = Value::string(token.data(), static_cast<uint32_t>(token.size()));
        return true;
      }
      std::string_view s;
      if (v.get_string().get(s)) return false;
      out = Value::string(s.data(), static_cast<uint32_t>(s.size()));
      return true;
    }
    case ondemand::json_type::boolean: {
      bool b = false;
      if (v.get_bool().get(b)) return false;
      out = Value::boolean(b);
      return true;
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      if (v.is_null().get(is_null) || !is_null) return false;
      out = Value::null();
      return true;
    }
    default:
      return false;
  }
}

bool Document::Impl::open(ondemand::value& v, bool is_object, std::string_view key) {
  Frame& f = frames.emplace_back();  // filled in place, like the Values
  f.is_object = is_object;
  f.child_open = false;
  f.key = key;
  if (is_object) {
    ondemand::object o;
    if (v.get_object().get(o) || o.begin().get(f.member) || o.end().get(f.members_end)) return false;
    f.first_child = member_stack.size();
  } else {
    ondemand::array a;
    if (v.get_array().get(a) || a.begin().get(f.item) || a.end().get(f.items_end)) return false;
    f.first_child = item_stack.size();
  }
  return true;
}

void Document::Impl::close() {
  const Frame& f = frames.back();
  const bool is_object = f.is_object;
  const size_t first = f.first_child;
  const std::string_view key = f.key;
  frames.pop_back();
  // Copy the children to the arena and drop them from the scratch stack first, then write the
  // container Value straight into its parent's slot (see add_child for why in place).
  const void* children;
  size_t n;
  if (is_object) {
    n = member_stack.size() - first;
    children = arena.copy(member_stack.data() + first, n);
    member_stack.resize(first);
  } else {
    n = item_stack.size() - first;
    children = arena.copy(item_stack.data() + first, n);
    item_stack.resize(first);
  }
  Value* slot = &root;
  if (!frames.empty()) {
    if (frames.back().is_object) {
      Member& m = member_stack.emplace_back();
      m.key = key;
      slot = &m.value;
    } else {
      slot = &item_stack.emplace_back();
    }
  }
  *slot = is_object ? Value::object(static_cast<const Member*>(children), static_cast<uint32_t>(n))
                    : Value::array(static_cast<const Value*>(children), static_cast<uint32_t>(n));
}

}  // namespace hotpath::json
