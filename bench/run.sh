#!/usr/bin/env bash
# Runs the schema benchmarks of both sides in one run on this machine — hotpath (Google
# Benchmark, C++) and ajv 8 (Node) on the same generated inputs — batch by batch on one CPU
# (bench/schema/paired.mjs), then joins them into bench/results/schema.md with bench/report.mjs.
#
#   bash bench/run.sh BUILD_DIR        (make bench calls: bash bench/run.sh build)
#
# Environment knobs (defaults in brackets):
#   BENCH_ROUNDS      [30]   rounds; each runs one batch of each side of every scenario
#   BENCH_MIN_TIME    [0.03] seconds per batch
#   BENCH_CPU         [the last CPU]  the CPU both sides are pinned to (taskset)
#   BENCH_FILTER      []     regex over scenario names (both sides), e.g. 'order'
#   BENCH_RESULTS     [bench/results/schema.md]
#   HOTPATH_SUITE_DIR [../shared/conformance/json-schema-test-suite]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_ARG=${1:-build}
case "$BUILD_ARG" in /*) BUILD=$BUILD_ARG ;; *) BUILD=$ROOT/$BUILD_ARG ;; esac
ROUNDS=${BENCH_ROUNDS:-30}
MIN_TIME=${BENCH_MIN_TIME:-0.03}
CPU=${BENCH_CPU:-$(($(nproc) - 1))}
FILTER=${BENCH_FILTER:-}
RESULTS=${BENCH_RESULTS:-$ROOT/bench/results/schema.md}
SUITE=${HOTPATH_SUITE_DIR:-$ROOT/../shared/conformance/json-schema-test-suite}
DATA=$BUILD/bench/data
RAW=$BUILD/bench/results
BIN=$BUILD/bin/hotpath_bench_schema

mkdir -p "$RAW"

if [ ! -d "$SUITE/tests" ]; then
  echo "bench: JSON Schema Test Suite not found at $SUITE (set HOTPATH_SUITE_DIR)" >&2
  exit 2
fi

# Inputs: deterministic, regenerated each run (byte-identical; manifest.json has the hashes).
node "$ROOT/bench/data/generate.mjs" "$DATA"

COMMANDS=$RAW/commands.txt
: >"$COMMANDS"
run() {  # records the command line, then runs it
  printf '%s\n' "$*" | sed "s|$ROOT/||g; s|$ROOT|.|g" >>"$COMMANDS"
  "$@"
}

# One long-lived batch server per side, both pinned to $CPU; paired.mjs asks them in turn
# for one batch of the same scenario, so each round's two batches see the same machine speed.
hotpath_json=$RAW/hotpath_schema.json
ajv_json=$RAW/ajv_schema.json
rm -f "$RAW"/hotpath_schema*.json "$RAW"/ajv_schema*.json
[ -x "$BIN" ] || echo "bench: $BIN not built; the report marks the hotpath side missing" >&2
echo "bench: $ROUNDS round(s) x ${MIN_TIME}s batches per scenario and side, on CPU $CPU" \
     "(ajv $(node -p "require('$ROOT/node_modules/ajv/package.json').version"), Node $(node --version))"
filter=()
[ -n "$FILTER" ] && filter=(--filter "$FILTER")
run node "$ROOT/bench/schema/paired.mjs" --data "$DATA" --suite "$SUITE" \
  --hotpath "$BIN" --hotpath-out "$hotpath_json" --ajv-out "$ajv_json" \
  --rounds "$ROUNDS" --min-time "$MIN_TIME" --cpu "$CPU" "${filter[@]}"

run node "$ROOT/bench/report.mjs" --hotpath "$hotpath_json" --ajv "$ajv_json" \
  --commands "$COMMANDS" --out "$RESULTS"
