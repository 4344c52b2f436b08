#!/usr/bin/env bash
# Installs everything Hotpath needs to build, test and benchmark, from Debian and npm only.
# Idempotent: when everything is present it only checks and returns (well under a second).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev   # C++ tests and micro-benchmarks
  unicode-data                                 # UCD files; regex/IDNA tables are generated from them at build time
  libxxhash-dev libssl-dev libgmp-dev          # kernels: xxh3/xxh64 (header-only), SHA-256, Fibonacci
  nodejs                                       # bench against ajv, npm dependencies
  emscripten                                   # bindings/wasm (Debian's emcc 3.1.6)
  chromium                                     # browser tests of the wasm package and playground
  libboost1.81-dev                             # hotpathd: Boost.Beast/Asio
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler  # hotpathd: gRPC
  redis-server libhiredis-dev                  # hotpathd: shared state; a real server in tests
  libuv1 libicu72 libssl3 libc-ares2 libnghttp2-14 libbrotli1 zlib1g  # what libnode108 (V8) links to
  wrk                                          # load generation in benchmarks
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  # nodejs may come from nodesource instead of Debian; any working node is fine.
  if [[ $p == nodejs ]] && command -v node >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm dependencies (simdjson sources, ajv for the side-by-side benchmark and metaschemas).
stamp=node_modules/.hotpath-bootstrap
if [[ ! -f $stamp || package.json -nt $stamp || ( -f package-lock.json && package-lock.json -nt $stamp ) ]]; then
  echo "bootstrap: installing npm packages"
  if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund --loglevel=error
  else npm install --no-audit --no-fund --loglevel=error; fi
  touch "$stamp"
fi

# V8 10.2 for hotpathd's JS rules (core/rules): Debian's libnode108 + libnode-dev cannot be
# apt-installed beside nodesource's Node, so they are downloaded and unpacked into a local prefix.
LIBNODE_PREFIX=build/deps/libnode
if [[ ! -f $LIBNODE_PREFIX/.complete ]]; then
  echo "bootstrap: unpacking libnode108 + libnode-dev (V8 10.2) into $LIBNODE_PREFIX"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download libnode108 libnode-dev >/dev/null 2>&1) || {
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    (cd "$tmp" && apt-get download libnode108 libnode-dev >/dev/null)
  }
  rm -rf "$LIBNODE_PREFIX" && mkdir -p "$LIBNODE_PREFIX"
  for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$LIBNODE_PREFIX"; done
  rm -rf "$tmp"
  touch "$LIBNODE_PREFIX/.complete"
fi
