# Third-party dependencies. Only Debian packages and npm packages, installed by
# scripts/bootstrap.sh; nothing third-party lives in this tree.

# simdjson 3.9.4: the single-file amalgamation shipped by the npm package @nozbe/simdjson.
set(HOTPATH_SIMDJSON_DIR ${CMAKE_SOURCE_DIR}/node_modules/@nozbe/simdjson/src
    CACHE PATH "Directory holding simdjson.h and simdjson.cpp")
if(NOT EXISTS ${HOTPATH_SIMDJSON_DIR}/simdjson.cpp)
  message(FATAL_ERROR "simdjson sources not found in ${HOTPATH_SIMDJSON_DIR}. "
                      "Run scripts/bootstrap.sh (or `make setup`) first.")
endif()
add_library(hotpath_simdjson STATIC ${HOTPATH_SIMDJSON_DIR}/simdjson.cpp)
target_include_directories(hotpath_simdjson SYSTEM PUBLIC ${HOTPATH_SIMDJSON_DIR})
# The core never uses exceptions (the wasm build has them off): error-code API only.
target_compile_definitions(hotpath_simdjson PUBLIC SIMDJSON_EXCEPTIONS=0)
target_compile_options(hotpath_simdjson PRIVATE -w)
set_target_properties(hotpath_simdjson PROPERTIES POSITION_INDEPENDENT_CODE ON)

# Unicode Character Database (Debian package unicode-data): regex and IDNA tables are
# generated from it at build time.
set(HOTPATH_UCD_DIR /usr/share/unicode CACHE PATH "Unicode Character Database directory")
if(NOT EXISTS ${HOTPATH_UCD_DIR}/UnicodeData.txt)
  message(FATAL_ERROR "UnicodeData.txt not found in ${HOTPATH_UCD_DIR}: install the Debian "
                      "package unicode-data (scripts/bootstrap.sh does).")
endif()

find_program(HOTPATH_NODE node REQUIRED)
