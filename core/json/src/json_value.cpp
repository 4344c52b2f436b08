// Value accessors that are not inline in json.h, and structural equality (JSON Schema's
// const / enum / uniqueItems semantics).
#include "hotpath/json.h"

namespace hotpath::json {

std::string_view type_name(Type t) {
  switch (t) {
    case Type::null:
      return "null";
    case Type::boolean:
      return "boolean";
    case Type::number:
      return "number";
    case Type::string:
      return "string";
    case Type::array:
      return "array";
    case Type::object:
      return "object";
  }
  return "unknown";
}

const Value* Value::find(std::string_view key) const {
  if (type_ != Type::object) return nullptr;
  for (const Member* m = end_members(); m != begin_members();) {
    --m;
    if (key_equals(m->key, key)) return &m->value;
  }
  return nullptr;
}

namespace {

// Same key set and equal values; with duplicate keys the last member counts, as in find().
// Quadratic, which is fine for the small objects schemas compare.
bool equal_objects(const Value& a, const Value& b) {
  for (const Member* m = a.begin_members(); m != a.end_members(); ++m) {
    if (a.find(m->key) != &m->value) continue;  // an earlier duplicate
    const Value* other = b.find(m->key);
    if (other == nullptr || !equal(m->value, *other)) return false;
  }
  for (const Member* m = b.begin_members(); m != b.end_members(); ++m) {
    if (a.find(m->key) == nullptr) return false;
  }
  return true;
}

}  // namespace

bool equal(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::null:
      return true;
    case Type::boolean:
      return a.as_bool() == b.as_bool();
    case Type::number:
      if (a.number_kind() == NumberKind::int64 && b.number_kind() == NumberKind::int64) {
        return a.as_int64() == b.as_int64();
      }
      return compare_numbers(a, b) == 0;
    case Type::string:
      return a.as_string() == b.as_string();
    case Type::array:
      if (a.size() != b.size()) return false;
      for (uint32_t i = 0; i < a.size(); ++i) {
        if (!equal(a[i], b[i])) return false;
      }
      return true;
    case Type::object:
      return equal_objects(a, b);
  }
  return false;
}

}  // namespace hotpath::json
