// Steady-state parsing allocates nothing: a reused Document parsing similar inputs must not
// call operator new. The counter replaces the global allocation functions of this test binary.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "hotpath/json.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  std::abort();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace hotpath::json {
namespace {

std::string order(int i) {
  return R"({"orderId":"ORD-)" + std::to_string(100000 + i) +
         R"(","customer":{"id":"C-42","email":"ann@example.com","tier":"gold","tags":["vip","eu"]},)"
         R"("items":[{"sku":"SKU-1","qty":2,"price":19.99,"attrs":{"color":"red","size":"M"}},)"
         R"({"sku":"SKU-2","qty":1,"price":5.5,"attrs":{}}],"total":45.48,"currency":"EUR",)"
         R"("notes":"leave at the door \u00e9","paid":true,"coupon":null,"createdAt":"2024-05-01T10:00:00Z"})";
}

TEST(JsonAllocation, reused_document_parses_similar_inputs_without_allocating) {
  Document doc;
  ASSERT_TRUE(doc.parse(order(0)).ok());
  ASSERT_TRUE(doc.parse(order(1)).ok());  // capacities settle
  const std::string inputs[] = {order(2), order(3), order(4)};
  const long before = g_allocations.load();
  for (int round = 0; round < 100; ++round) {
    for (const std::string& input : inputs) {
      auto parsed = doc.parse(input);
      ASSERT_TRUE(parsed.ok());
    }
  }
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_EQ(doc.root().find("customer")->find("tags")->size(), 2u);
}

TEST(JsonAllocation, arena_settles_to_no_allocation_after_a_large_document) {
  std::string big = "[";
  for (int i = 0; i < 2000; ++i) big += (i ? "," : "") + order(i);
  big += "]";
  Document doc;
  ASSERT_TRUE(doc.parse(big).ok());
  ASSERT_TRUE(doc.parse(big).ok());  // the arena merges its blocks once
  const std::string small = order(1);
  const long before = g_allocations.load();
  ASSERT_TRUE(doc.parse(big).ok());
  ASSERT_TRUE(doc.parse(small).ok());
  EXPECT_EQ(g_allocations.load() - before, 0);
}

}  // namespace
}  // namespace hotpath::json
