#!/usr/bin/env bash
# Builds @hotpath/wasm with Debian's Emscripten: configures BUILD_DIR once (an Emscripten
# configure of the root CMake tree: core + bindings/wasm only), then compiles. The glue and the
# .wasm land in bindings/wasm/dist/.
#   bash bindings/wasm/scripts/build.sh [BUILD_DIR=build-wasm] [JOBS=2]
set -euo pipefail
build_dir=${1:-build-wasm}
jobs=${2:-2}
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
# Debian's emcc finds its JS dependencies (acorn, ...) through NODE_PATH.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
if ! command -v emcmake >/dev/null; then
  echo "bindings/wasm: emcmake not found; install Debian's emscripten (make setup)" >&2
  exit 2
fi
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  emcmake cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build_dir" -j "$jobs"
wasm=bindings/wasm/dist/hotpath_wasm.wasm
echo "bindings/wasm: $wasm $(stat -c %s "$wasm") bytes, $(gzip -9c "$wasm" | wc -c) gzipped"
