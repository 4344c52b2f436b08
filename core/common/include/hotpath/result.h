// Result<T, E>: the error-code return type used across the core.
// The core never throws (the wasm build runs with exceptions disabled), so every fallible
// operation returns a Result holding either a value or an error.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

namespace hotpath {

template <typename E>
struct Failure {
  // A constructor rather than an aggregate: Clang 14 (Emscripten 3.1.6) has no
  // parenthesized aggregate initialization, and `return Failure(error);` is the idiom here.
  Failure(E e) : error(std::move(e)) {}
  E error;
};
template <typename E>
Failure(E) -> Failure<E>;

template <typename T, typename E>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Failure<E> f) : v_(std::in_place_index<1>, std::move(f.error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  E& error() {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, E> v_;
};

}  // namespace hotpath
