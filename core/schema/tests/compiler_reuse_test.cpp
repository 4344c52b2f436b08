// A long-lived Compiler: compiling many schemas without a URI must not accumulate them, and
// validators must keep working after the Compiler has forgotten their roots.
#include <gtest/gtest.h>
#include <malloc.h>

#if defined(__SANITIZE_ADDRESS__)
// From the sanitizer runtime (GCC ships no header for it): bytes allocated and not freed.
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

#include <string>
#include <vector>

#include "hotpath/json.h"
#include "hotpath/schema.h"

namespace {

using hotpath::json::Document;
using hotpath::schema::Compiler;
using hotpath::schema::Validator;

bool valid(const Validator& v, std::string_view text) {
  Document doc;
  auto parsed = doc.parse(text);
  EXPECT_TRUE(parsed.ok());
  return v.validate(**parsed);
}

// Bytes currently allocated on the heap. Under ASan, freed blocks wait in a quarantine, so
// RSS would grow anyway; the sanitizer allocator reports live bytes exactly.
long long live_heap_bytes() {
#if defined(__SANITIZE_ADDRESS__)
  return static_cast<long long>(__sanitizer_get_current_allocated_bytes());
#else
  return static_cast<long long>(mallinfo2().uordblks);
#endif
}

TEST(CompilerReuse, validators_outlive_later_compiles_of_anonymous_roots) {
  Compiler compiler;
  std::vector<Validator> validators;
  for (int i = 0; i < 50; ++i) {
    std::string schema = R"({"$defs":{"n":{"type":"integer","minimum":)" + std::to_string(i) +
                         R"(}},"properties":{"x":{"$ref":"#/$defs/n"}}})";
    auto v = compiler.compile(schema);
    ASSERT_TRUE(v.ok()) << v.error().to_string();
    validators.push_back(std::move(v.value()));
  }
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(valid(validators[i], R"({"x":)" + std::to_string(i) + "}"));
    EXPECT_FALSE(valid(validators[i], R"({"x":)" + std::to_string(i - 1) + "}"));
  }
}

TEST(CompilerReuse, compiling_many_anonymous_schemas_does_not_grow_the_compiler) {
  Compiler compiler;
  const std::string schema =
      R"({"type":"object","properties":{"id":{"type":"string","pattern":"^[A-Z]{3}$"},)"
      R"("n":{"type":"integer"}},"required":["id"],"$defs":{"pad":{"description":")" +
      std::string(4096, 'x') + R"("}}})";
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(compiler.compile(schema).ok());  // warm up
  const long long before = live_heap_bytes();
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(compiler.compile(schema).ok());
  // Kept, 5000 roots of ~5 KB text plus their trees would stay allocated: well over 40 MB.
  EXPECT_LT(live_heap_bytes() - before, 1 << 20);
}

}  // namespace
