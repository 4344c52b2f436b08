# Included by the root CMakeLists.txt before core/ when configuring with Emscripten.
# emcc does not search /usr/include (and must not: it would pick up glibc's headers), so
# Debian's header-only dependencies are reached through a directory of symlinks.
set(HOTPATH_WASM_SYSINCLUDE ${CMAKE_BINARY_DIR}/sysinclude)
file(MAKE_DIRECTORY ${HOTPATH_WASM_SYSINCLUDE})
if(NOT EXISTS /usr/include/xxhash.h)
  message(FATAL_ERROR "/usr/include/xxhash.h not found: install libxxhash-dev (make setup)")
endif()
file(CREATE_LINK /usr/include/xxhash.h ${HOTPATH_WASM_SYSINCLUDE}/xxhash.h SYMBOLIC)
set(XXHASH_INCLUDE_DIR ${HOTPATH_WASM_SYSINCLUDE} CACHE PATH "Directory holding xxhash.h" FORCE)

# No RTTI in the wasm build (smaller module); the core never uses exceptions.
add_compile_options(-fno-rtti -fno-exceptions)
