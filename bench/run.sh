#!/usr/bin/env bash
# Runs the schema benchmarks of both sides in one run on this machine — hotpath (Google
# Benchmark, C++) and ajv 8 (Node) on the same generated inputs — then joins them into
# bench/results/schema.md with bench/report.mjs.
#
#   bash bench/run.sh BUILD_DIR        (make bench calls: bash bench/run.sh build)
#
# Environment knobs (defaults in brackets):
#   BENCH_ROUNDS      [3]    rounds; each runs hotpath then ajv
#   BENCH_REPETITIONS [4]    batches per scenario, side and round; the tables show the median
#                            of all batches of all rounds
#   BENCH_MIN_TIME    [0.2]  seconds per batch
#   BENCH_FILTER      []     regex over scenario names (both sides), e.g. 'order'
#   BENCH_RESULTS     [bench/results/schema.md]
#   HOTPATH_SUITE_DIR [../shared/conformance/json-schema-test-suite]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_ARG=${1:-build}
case "$BUILD_ARG" in /*) BUILD=$BUILD_ARG ;; *) BUILD=$ROOT/$BUILD_ARG ;; esac
ROUNDS=${BENCH_ROUNDS:-3}
REPS=${BENCH_REPETITIONS:-4}
MIN_TIME=${BENCH_MIN_TIME:-0.2}
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

# The two sides alternate in rounds (hotpath, ajv, hotpath, ajv, ...) so that a burst of load
# from other processes hits both; report.mjs pools the repetitions of all rounds.
rm -f "$RAW"/hotpath_schema.r*.json "$RAW"/ajv_schema.r*.json
gb_filter=()
[ -n "$FILTER" ] && gb_filter=(--benchmark_filter="$FILTER")
ajv_filter=()
[ -n "$FILTER" ] && ajv_filter=(--filter "$FILTER")
[ -x "$BIN" ] || echo "bench: $BIN not built; the report marks the hotpath side missing" >&2
echo "bench: $ROUNDS round(s) x $REPS repetitions x ${MIN_TIME}s per scenario and side" \
     "(ajv $(node -p "require('$ROOT/node_modules/ajv/package.json').version"), Node $(node --version))"

report_args=()
for round in $(seq 1 "$ROUNDS"); do
  hotpath_json=$RAW/hotpath_schema.r$round.json
  ajv_json=$RAW/ajv_schema.r$round.json
  report_args+=(--hotpath "$hotpath_json" --ajv "$ajv_json")
  echo "== round $round/$ROUNDS: hotpath (Google Benchmark)"
  if [ -x "$BIN" ]; then
    if ! run "$BIN" --data_dir="$DATA" --suite_dir="$SUITE" \
        --benchmark_repetitions="$REPS" --benchmark_min_time="$MIN_TIME" \
        --benchmark_min_warmup_time=0.1 \
        --benchmark_display_aggregates_only=true \
        --benchmark_out="$hotpath_json" --benchmark_out_format=json "${gb_filter[@]}"; then
      echo "bench: hotpath_bench_schema failed; the report marks the hotpath side missing" >&2
      rm -f "$hotpath_json"
    fi
  elif [ "$round" = 1 ]; then
    echo "# hotpath_bench_schema not built ($BIN)" >>"$COMMANDS"
  fi
  echo "== round $round/$ROUNDS: ajv"
  run node "$ROOT/bench/schema/ajv.mjs" --data "$DATA" --suite "$SUITE" \
    --repetitions "$REPS" --min-time "$MIN_TIME" --out "$ajv_json" "${ajv_filter[@]}"
done

run node "$ROOT/bench/report.mjs" "${report_args[@]}" --commands "$COMMANDS" --out "$RESULTS"
