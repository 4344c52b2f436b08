// Document::parse in two stages:
//  1. simdjson's stage 1 (structural indexing + UTF-8 validation) from the implementation
//     simdjson selects at run time for this CPU (icelake, haswell, westmere, ..., fallback).
//  2. Our own stage 2: one pass over the structural indexes that checks the grammar and builds
//     the tree of Values straight into the Document's arena. It never recurses (nesting depth
//     cannot overflow the stack): children are gathered on a scratch stack while their container
//     is open and copied contiguously into the arena when it closes.
// Any failure falls back to the strict scanner (json_syntax_check) for a located message.
// Every buffer is kept across parse() calls, so steady-state parsing does not allocate.
#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "hotpath/json.h"
#include "json_number.h"
#include "json_syntax_check.h"
#include "simdjson.h"

// Stage 1 is reached through simdjson::internal::dom_parser_implementation: internal, but
// public, and stable within a release. We pin the exact simdjson version (see
// cmake/HotpathDeps.cmake), so check here that the API we rely on is the one we read:
//   implementation::create_dom_parser_implementation(size_t capacity, size_t max_depth,
//                                                    std::unique_ptr<dom_parser_implementation>&)
//   dom_parser_implementation::stage1(const uint8_t* buf, size_t len, stage1_mode) -> error_code
//   n_structural_indexes, structural_indexes[] (followed by the sentinels len, len, 0)
// Re-read them (simdjson.h, simdjson.cpp json_structural_indexer::finish) before upgrading.
static_assert(simdjson::SIMDJSON_VERSION_MAJOR == 3 && simdjson::SIMDJSON_VERSION_MINOR == 9 &&
                  simdjson::SIMDJSON_VERSION_REVISION == 4,
              "json_document.cpp uses simdjson's internal stage-1 API as of 3.9.4");

namespace hotpath::json {
namespace {

// simdjson indexes its input with 32-bit offsets.
constexpr size_t kSimdjsonMaxSize = simdjson::SIMDJSON_MAXSIZE_BYTES;
// Stage 1 ignores the depth; simdjson allocates a stage-2 stack of this size that we never use.
constexpr size_t kStage1Depth = 1;

// Bump allocator for finished containers and unescaped strings. Blocks are kept across
// resets; when one parse needed several blocks they are merged into one on the next reset,
// so the steady state for similar inputs is a single block and no allocation.
class Arena {
 public:
  template <typename T>
  const T* copy(const T* source, size_t count) {
    if (count == 0) return nullptr;
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 16);
    void* memory = allocate(count * sizeof(T));
    std::memcpy(memory, source, count * sizeof(T));  // trivially copyable: bytes are the object
    return static_cast<const T*>(memory);
  }

  // `bytes` (> 0) bytes, 16-byte aligned.
  void* allocate(size_t bytes) {
    bytes = (bytes + 15) & ~size_t(15);
    if (size_t(end_ - next_) >= bytes) [[likely]] {  // room in the current block
      std::byte* p = next_;
      next_ += bytes;
      return p;
    }
    return allocate_slow(bytes);
  }

  void reset() {
    if (blocks_.size() > 1) {
      size_t total = 0;
      for (const Block& b : blocks_) total += b.capacity;
      blocks_.clear();
      blocks_.push_back(Block{std::unique_ptr<std::byte[]>(new std::byte[total]), total});
    }
    current_ = 0;
    if (blocks_.empty()) {
      next_ = end_ = nullptr;
    } else {
      next_ = blocks_[0].data.get();
      end_ = next_ + blocks_[0].capacity;
    }
  }

 private:
  static constexpr size_t kFirstBlockSize = 4096;
  struct Block {
    std::unique_ptr<std::byte[]> data;
    size_t capacity;
  };

  [[gnu::noinline]] void* allocate_slow(size_t bytes) {
    // Move on to the next kept block that is large enough, else append a bigger one.
    while (current_ + 1 < blocks_.size()) {
      const Block& block = blocks_[++current_];
      if (block.capacity >= bytes) return take(block, bytes);
    }
    size_t capacity =
        std::max(bytes, blocks_.empty() ? kFirstBlockSize : blocks_.back().capacity * 2);
    blocks_.push_back(Block{std::unique_ptr<std::byte[]>(new std::byte[capacity]), capacity});
    current_ = blocks_.size() - 1;
    return take(blocks_.back(), bytes);
  }

  void* take(const Block& block, size_t bytes) {
    next_ = block.data.get() + bytes;
    end_ = block.data.get() + block.capacity;
    return block.data.get();
  }

  std::vector<Block> blocks_;
  size_t current_ = 0;         // index of the block being filled
  std::byte* next_ = nullptr;  // free space of the current block: [next_, end_)
  std::byte* end_ = nullptr;
};

// One open container during the build.
struct Frame {
  std::string_view key;  // this container's key when its parent is an object
  size_t first_child;    // byte offset of its first child on its scratch stack
  bool is_object;
};

// A scratch stack kept as a vector whose size is its capacity; the build works on raw
// pointers (base, top, limit) and calls grow() only when top reaches limit.
template <typename T>
struct Scratch {
  std::vector<T> storage;
  T* grow(T* top) {
    const size_t used = size_t(top - storage.data());
    storage.resize(std::max(size_t(64), storage.size() * 2));
    return storage.data() + used;
  }
  T* base() { return storage.data(); }
  T* limit() { return storage.data() + storage.size(); }
};

// JSON whitespace: ' ', '\t', '\n', '\r'.
constexpr auto kWhitespace = [] {
  std::array<bool, 256> table{};
  table[' '] = table['\t'] = table['\n'] = table['\r'] = true;
  return table;
}();
inline bool is_whitespace(char c) { return kWhitespace[static_cast<unsigned char>(c)]; }

// Stage 1 marks the first byte of every string and scalar token and every operator. After a
// token or a closing quote, the first non-whitespace byte is always the next structural index
// (stage 1 starts a new token after an operator, whitespace or a closing quote; a scalar byte
// right after a scalar byte continues the token). So a token ends where only whitespace
// separates it from the next index.

// True when the scalar token at *at ends at `end`: only whitespace up to the next index.
[[gnu::always_inline]] inline bool token_ends_at(const char* base, const uint32_t* at,
                                                 const char* end) {
  const char* next = base + at[1];
  if (end == next) [[likely]]
    return true;
  while (end < next && is_whitespace(*end)) ++end;
  return end == next;
}

// The closing quote of the string at *at: the last non-whitespace byte before the next index
// (stage 1 paired the quotes, skipping escaped ones). The caller checks that it is a quote.
inline const char* string_close(const char* base, const uint32_t* at) {
  const char* close = base + at[1] - 1;
  if (*close == '"') [[likely]]
    return close;                         // "key": and "value", need no search
  while (is_whitespace(*close)) --close;  // stops at the latest at the opening quote
  return close;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char l = static_cast<char>(c | 0x20);
  if (l >= 'a' && l <= 'f') return l - 'a' + 10;
  return -1;
}

// Four hex digits at p (p + 4 <= end checked by the caller), or -1.
int32_t read_hex4(const char* p) {
  int32_t v = 0;
  for (int k = 0; k < 4; ++k) {
    const int h = hex_digit(p[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// Unescapes the string contents [s, end) (stage 1 has validated their UTF-8 and the absence
// of control characters) into `out`, which has room for end - s bytes: no escape is shorter
// than what it stands for. Returns the end of the output, or nullptr on a bad escape (an
// unknown escape, bad hex digits, or a lone or unpaired UTF-16 surrogate).
char* unescape(const char* s, const char* end, char* out) {
  while (s < end) {
    const char* backslash = static_cast<const char*>(std::memchr(s, '\\', size_t(end - s)));
    if (backslash == nullptr) backslash = end;
    std::memcpy(out, s, size_t(backslash - s));
    out += backslash - s;
    s = backslash;
    if (s == end) break;
    if (end - s < 2) return nullptr;
    char c;
    switch (s[1]) {
      case '"':
        c = '"';
        break;
      case '\\':
        c = '\\';
        break;
      case '/':
        c = '/';
        break;
      case 'b':
        c = '\b';
        break;
      case 'f':
        c = '\f';
        break;
      case 'n':
        c = '\n';
        break;
      case 'r':
        c = '\r';
        break;
      case 't':
        c = '\t';
        break;
      case 'u': {
        if (end - s < 6) return nullptr;
        int32_t cp = read_hex4(s + 2);
        if (cp < 0) return nullptr;
        s += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate needs a low one right after
          if (end - s < 6 || s[0] != '\\' || s[1] != 'u') return nullptr;
          const int32_t low = read_hex4(s + 2);
          if (low < 0xDC00 || low > 0xDFFF) return nullptr;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          s += 6;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return nullptr;
        }
        const auto u = static_cast<uint32_t>(cp);
        if (u < 0x80) {
          *out++ = static_cast<char>(u);
        } else if (u < 0x800) {
          *out++ = static_cast<char>(0xC0 | (u >> 6));
          *out++ = static_cast<char>(0x80 | (u & 0x3F));
        } else if (u < 0x10000) {
          *out++ = static_cast<char>(0xE0 | (u >> 12));
          *out++ = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
          *out++ = static_cast<char>(0x80 | (u & 0x3F));
        } else {
          *out++ = static_cast<char>(0xF0 | (u >> 18));
          *out++ = static_cast<char>(0x80 | ((u >> 12) & 0x3F));
          *out++ = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
          *out++ = static_cast<char>(0x80 | (u & 0x3F));
        }
        continue;
      }
      default:
        return nullptr;
    }
    *out++ = c;
    s += 2;
  }
  return out;
}

}  // namespace

struct Document::Impl {
  // Stage 1 of the implementation simdjson picked for this CPU.
  std::unique_ptr<simdjson::internal::dom_parser_implementation> stage1;
  std::unique_ptr<char[]> buffer;  // input copy followed by SIMDJSON_PADDING zero bytes
  size_t buffer_capacity = 0;
  Arena arena;
  Scratch<Value> items;     // children of open arrays
  Scratch<Member> members;  // children of open objects
  Scratch<Frame> frames;    // open containers
  Value root;
  bool out_of_memory = false;
  const char* input_end = nullptr;  // end of the input being built (base + size)

  bool reserve_stage1(size_t size);
  bool build(const char* base, size_t size, uint32_t max_depth);
  [[gnu::always_inline]] inline std::string_view read_string(const char* base, const uint32_t* at,
                                                             const char*& backslash);
  [[gnu::noinline]] std::string_view read_escaped_string(const char* s, const char* close,
                                                         const char*& backslash);
  [[gnu::always_inline]] inline bool read_scalar(const char* base, const uint32_t* at,
                                                 const char*& backslash, Value& out);
};

Document::Document() : impl_(std::make_unique<Impl>()) {}
Document::~Document() = default;
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;

const Value& Document::root() const { return impl_->root; }

Result<const Value*, ParseError> Document::parse(std::string_view bytes,
                                                 const ParseOptions& options) {
  Impl& d = *impl_;
  d.root = Value::null();
  const size_t limit = std::min(options.max_size, kSimdjsonMaxSize);
  if (bytes.size() > limit) {
    return Failure{internal::make_parse_error(bytes,
                                              "input is " + std::to_string(bytes.size()) +
                                                  " bytes, larger than the limit of " +
                                                  std::to_string(limit) + " bytes",
                                              0)};
  }
  const size_t needed = bytes.size() + simdjson::SIMDJSON_PADDING;
  if (d.buffer_capacity < needed) {
    d.buffer_capacity = std::max(needed, d.buffer_capacity + d.buffer_capacity / 2);
    d.buffer.reset(new char[d.buffer_capacity]);
  }
  if (!bytes.empty()) std::memcpy(d.buffer.get(), bytes.data(), bytes.size());
  std::memset(d.buffer.get() + bytes.size(), 0, simdjson::SIMDJSON_PADDING);

  // A leading UTF-8 byte order mark is skipped, as the syntax checker does (RFC 8259 allows
  // parsers to ignore one).
  size_t skip = 0;
  if (bytes.size() >= 3 && std::memcmp(bytes.data(), "\xEF\xBB\xBF", 3) == 0) skip = 3;
  if (d.build(d.buffer.get() + skip, bytes.size() - skip, options.max_depth)) return &d.root;

  d.root = Value::null();
  std::string message;
  size_t offset = 0;
  if (d.out_of_memory) {
    d.out_of_memory = false;
    message = "not enough memory to parse " + std::to_string(bytes.size()) + " bytes";
  } else if (!internal::find_syntax_error(bytes, options.max_depth, message, offset)) {
    // The builder refused something the strict checker accepts: a bug (the differential
    // test keeps the two in agreement).
    message = "invalid JSON";
  }
  return Failure{internal::make_parse_error(bytes, std::move(message), offset)};
}

bool Document::Impl::reserve_stage1(size_t size) {
  // Capacity grows by half, so slowly growing inputs do not reallocate each time.
  if (stage1 && stage1->capacity() >= size) return true;
  size_t capacity = std::max(size, size_t(1024));
  if (stage1) capacity = std::max(capacity, stage1->capacity() + stage1->capacity() / 2);
  capacity = std::min(capacity, kSimdjsonMaxSize);
  // get_active_implementation() detects the CPU on first use (honouring
  // SIMDJSON_FORCE_IMPLEMENTATION); simdjson keeps the choice for the process.
  const simdjson::error_code error =
      stage1 ? stage1->set_capacity(capacity)
             : simdjson::get_active_implementation()->create_dom_parser_implementation(
                   capacity, kStage1Depth, stage1);
  if (error != simdjson::SUCCESS) {
    stage1.reset();
    return false;
  }
  return true;
}

// The contents of the string whose opening quote is at structural index *at, or a null
// data() when it is invalid. Its closing quote is the last non-whitespace byte before the
// next structural index (stage 1 paired the quotes, skipping escaped ones). Strings without
// escapes point straight into the input copy (stage 1 has validated their UTF-8 and
// control characters); `backslash` (the first '\' at or after some earlier string's start,
// or the end of the input) tells whether this one has any.
inline std::string_view Document::Impl::read_string(const char* base, const uint32_t* at,
                                                    const char*& backslash) {
  const char* s = base + *at + 1;
  const char* close = string_close(base, at);
  if (close < s || *close != '"') [[unlikely]]
    return {};
  if (close < backslash) [[likely]]
    return std::string_view(s, size_t(close - s));
  return read_escaped_string(s, close, backslash);
}

// The slow path of read_string: find whether [s, close) holds a backslash, and unescape it
// into the arena if so. Each search starts past the previous backslash, so all the searches
// of one parse scan the input at most once.
std::string_view Document::Impl::read_escaped_string(const char* s, const char* close,
                                                     const char*& backslash) {
  if (backslash < s) {
    const void* found = std::memchr(s, '\\', size_t(input_end - s));
    backslash = found != nullptr ? static_cast<const char*>(found) : input_end;
    if (close < backslash) return std::string_view(s, size_t(close - s));
  }
  char* dst = static_cast<char*>(arena.allocate(size_t(close - s)));  // > 0: holds a '\'
  const char* dst_end = unescape(s, close, dst);
  if (dst_end == nullptr) return {};
  return std::string_view(dst, size_t(dst_end - dst));
}

// A scalar value (string, number or literal) at structural index *at, written straight into
// its slot: building a Value elsewhere and copying it costs a store-forwarding stall.
inline bool Document::Impl::read_scalar(const char* base, const uint32_t* at,
                                        const char*& backslash, Value& out) {
  const char* p = base + *at;
  if (*p == '"') {  // the most common scalar: tested first
    const std::string_view s = read_string(base, at, backslash);
    if (s.data() == nullptr) return false;
    out = Value::string(s.data(), static_cast<uint32_t>(s.size()));
    return true;
  }
  switch (*p) {
    // Literals and numbers must make up their whole token ("truex", "1x", "01" are refused).
    // Reading 4 or 5 bytes from p stays within the padding.
    case 't':
      if (std::memcmp(p, "true", 4) != 0 || !token_ends_at(base, at, p + 4)) return false;
      out = Value::boolean(true);
      return true;
    case 'f':
      if (std::memcmp(p, "false", 5) != 0 || !token_ends_at(base, at, p + 5)) return false;
      out = Value::boolean(false);
      return true;
    case 'n':
      if (std::memcmp(p, "null", 4) != 0 || !token_ends_at(base, at, p + 4)) return false;
      out = Value::null();
      return true;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': {
      const char* end = internal::parse_number(p, out);
      return end != nullptr && token_ends_at(base, at, end);
    }
    default:
      return false;
  }
}

// Stage 2: a state machine over the structural indexes (`at` walks them). `base` is the padded
// input copy (after any BOM), `size` its length. Reading one index past the last is safe:
// stage 1 writes the sentinels size, size, 0 there, and base[size] is padding ('\0'), which
// matches no structural character. The scratch stacks are used through local pointers
// (next free slot, limit), refreshed when one grows; frames are limited to max_depth.
bool Document::Impl::build(const char* base, size_t size, uint32_t max_depth) {
  arena.reset();
  if (size == 0) return false;
  if (!reserve_stage1(size)) {
    out_of_memory = true;
    return false;
  }
  if (stage1->stage1(reinterpret_cast<const uint8_t*>(base), size,
                     simdjson::stage1_mode::regular) != simdjson::SUCCESS) {
    return false;  // invalid UTF-8, a control character in a string, an unclosed string, ...
  }
  const uint32_t* at = stage1->structural_indexes.get();
  const uint32_t* const last = at + stage1->n_structural_indexes - 1;  // n >= 1 on success

  Value* item = items.base();
  Value* item_limit = items.limit();
  Member* member = members.base();
  Member* member_limit = members.limit();
  Frame* frame = frames.base();  // one past the innermost open container
  Frame* frame_limit = frames.base() + std::min(frames.storage.size(), size_t(max_depth));
  // Grows the frame stack when the limit is the capacity and not max_depth.
  auto grow_frames = [&]() -> bool {
    if (size_t(frame - frames.base()) >= max_depth) return false;
    frame = frames.grow(frame);
    frame_limit = frames.base() + std::min(frames.storage.size(), size_t(max_depth));
    return true;
  };
  auto byte_offset = [](const void* from, const void* to) {
    return size_t(static_cast<const char*>(to) - static_cast<const char*>(from));
  };

  input_end = base + size;
  const char* backslash = base;  // see read_string; base: not searched yet
  std::string_view key;          // key of the value being read, when its parent is an object
  Value container;               // a container just closed, on its way to its parent's slot
  char c = base[*at];
  if (c == '{') goto open_object;
  if (c == '[') goto open_array;
  return read_scalar(base, at, backslash, root) && at == last;

open_object:  // *at is '{'
  if (frame == frame_limit && !grow_frames()) return false;
  *frame++ = Frame{key, byte_offset(members.base(), member), true};
  c = base[*++at];
  if (c == '}') goto close_object;
object_member:  // *at should be a key
  if (c != '"') return false;
  key = read_string(base, at, backslash);
  if (key.data() == nullptr) return false;
  if (base[*++at] != ':') return false;
  c = base[*++at];
  if (c == '{') goto open_object;
  if (c == '[') goto open_array;
  if (member == member_limit) [[unlikely]] {
    member = members.grow(member);
    member_limit = members.limit();
  }
  member->key = key;
  if (!read_scalar(base, at, backslash, member->value)) return false;
  ++member;
object_next:
  c = base[*++at];
  if (c == ',') {
    c = base[*++at];
    goto object_member;
  }
  if (c == '}') goto close_object;
  return false;

open_array:  // *at is '['
  if (frame == frame_limit && !grow_frames()) return false;
  *frame++ = Frame{key, byte_offset(items.base(), item), false};
  c = base[*++at];
  if (c == ']') goto close_array;
array_item:
  if (c == '{' || c == '[') {
    key = {};
    if (c == '{') goto open_object;
    goto open_array;
  }
  if (item == item_limit) [[unlikely]] {
    item = items.grow(item);
    item_limit = items.limit();
  }
  if (!read_scalar(base, at, backslash, *item)) return false;
  ++item;
array_next:
  c = base[*++at];
  if (c == ',') {
    c = base[*++at];
    goto array_item;
  }
  if (c == ']') goto close_array;
  return false;

  // Closing a container copies its children from the scratch stack to the arena, then
  // stores the container Value in the root or as its parent's new last child.
close_object : {
  --frame;
  Member* first =
      reinterpret_cast<Member*>(reinterpret_cast<char*>(members.base()) + frame->first_child);
  const size_t n = size_t(member - first);
  container = Value::object(arena.copy(first, n), static_cast<uint32_t>(n));
  member = first;
  goto place_container;
}
close_array : {
  --frame;
  Value* first =
      reinterpret_cast<Value*>(reinterpret_cast<char*>(items.base()) + frame->first_child);
  const size_t n = size_t(item - first);
  container = Value::array(arena.copy(first, n), static_cast<uint32_t>(n));
  item = first;
}
place_container:  // the key of a container in an object was saved in its frame
  if (frame == frames.base()) {
    root = container;
    return at == last;  // nothing may follow the root value
  }
  if (frame[-1].is_object) {
    if (member == member_limit) [[unlikely]] {
      member = members.grow(member);
      member_limit = members.limit();
    }
    member->key = frame->key;
    member->value = container;
    ++member;
    goto object_next;
  }
  if (item == item_limit) [[unlikely]] {
    item = items.grow(item);
    item_limit = items.limit();
  }
  *item++ = container;
  goto array_next;
}

}  // namespace hotpath::json
