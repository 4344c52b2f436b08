// Stack-depth safety for recursive evaluators: knows how much stack the current thread has
// left, so deep schemas or instances fail with an error instead of overflowing the stack,
// whatever the thread's stack size (main thread, std::thread, libuv pool, Node worker, wasm).
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__EMSCRIPTEN__)
#include <emscripten/stack.h>
#elif defined(__linux__)
#include <pthread.h>
#endif

namespace hotpath {

// The lowest address this thread's stack may safely grow to, leaving `kReserve` bytes for
// the error path and whatever the caller does afterwards. Cached per thread.
inline uintptr_t stack_floor() {
  constexpr uintptr_t kReserve = 128 * 1024;
  thread_local uintptr_t floor = [] {
    uintptr_t low = 0;
#if defined(__EMSCRIPTEN__)
    low = emscripten_stack_get_end();
#elif defined(__linux__)
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr = nullptr;
      size_t size = 0;
      if (pthread_attr_getstack(&attr, &addr, &size) == 0) low = reinterpret_cast<uintptr_t>(addr);
      pthread_attr_destroy(&attr);
    }
#endif
    if (low == 0) {  // unknown platform: assume 512 KiB below the first caller
      char probe;
      low = reinterpret_cast<uintptr_t>(&probe) - 512 * 1024;
    }
    return low + kReserve;
  }();
  return floor;
}

// True while the current stack pointer is above the floor.
inline bool stack_has_room() {
  char probe;
  return reinterpret_cast<uintptr_t>(&probe) > stack_floor();
}

}  // namespace hotpath
