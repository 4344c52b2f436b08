#!/usr/bin/env bash
# Runs the hotpath CLI over examples/ where you can see it: each command, its output, its exit
# code and whether that is what the example expects. Called by `make run`.
#   usage: scripts/run-examples.sh [path/to/hotpath]     (default: build/bin/hotpath)
# Exits 0 when every command behaved as expected, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/bin/hotpath}
[[ $BIN == /* ]] || BIN=$PWD/$BIN
if [[ ! -x $BIN ]]; then
  echo "run-examples: $BIN is not an executable; build it first (make build)" >&2
  exit 2
fi
hotpath() { "$BIN" "$@"; }

SCHEMA=examples/schemas/order.schema.json
ORDERS=examples/orders
if [[ -t 1 ]]; then BOLD=$'\e[1m' GREEN=$'\e[32m' RED=$'\e[31m' RESET=$'\e[0m'; else BOLD= GREEN= RED= RESET=; fi
errfile=$(mktemp)
trap 'rm -f "$errfile"' EXIT
passed=0
failed=()

# example TITLE EXPECTED_EXIT EXPECTED_VALID_LINES EXPECTED_TEXT COMMAND
#   EXPECTED_VALID_LINES: how many {"valid":true} lines stdout must hold ('-' = don't check)
#   EXPECTED_TEXT: a fixed string stdout+stderr must contain ('' = don't check)
example() {
  local title=$1 want_exit=$2 want_valid=$3 want_text=$4 cmd=$5
  echo
  echo "${BOLD}## $title${RESET}"
  echo "${BOLD}\$ $cmd${RESET}"
  local out code
  out=$(eval "$cmd" 2>"$errfile")
  code=$?
  [[ -n $out ]] && printf '%s\n' "$out"
  [[ -s $errfile ]] && sed 's/^/[stderr] /' "$errfile"
  local problems=()
  [[ $code == "$want_exit" ]] || problems+=("exit code $code, expected $want_exit")
  if [[ $want_valid != - ]]; then
    local valid
    valid=$(grep -c -x '{"valid":true}' <<<"$out")
    [[ $valid == "$want_valid" ]] || problems+=("$valid valid results, expected $want_valid")
  fi
  if [[ -n $want_text ]] && ! grep -q -F -- "$want_text" <<<"$out"$'\n'"$(cat "$errfile")"; then
    problems+=("output lacks: $want_text")
  fi
  if ((${#problems[@]} == 0)); then
    echo "${GREEN}-> exit $code, as expected${RESET}"
    passed=$((passed + 1))
  else
    echo "${RED}-> NOT AS EXPECTED: $(IFS=';'; echo "${problems[*]}")${RESET}"
    failed+=("$title")
  fi
}

example "The CLI's version" 0 - "hotpath " \
  "hotpath --version"
example "One valid trade order (formats asserted)" 0 1 "" \
  "hotpath validate --schema $SCHEMA --formats $ORDERS/order.json"
example "One invalid order: every error, located in schema and instance" 1 0 '"instanceLocation":"/limitPrice"' \
  "hotpath validate --schema $SCHEMA --formats $ORDERS/order-invalid.json"
example "20 orders as NDJSON, one result per line; 19.99 is a multiple of 0.01, 19.999 is not; line 17 is broken JSON" 1 15 "invalid JSON at line 17" \
  "hotpath validate --schema $SCHEMA --ndjson $ORDERS/orders.ndjson"
example "Same stream on stdin with formats asserted (line 15's e-mail now fails) and flag output" 1 14 "" \
  "hotpath validate --schema $SCHEMA --formats --output flag --ndjson --threads 2 - < $ORDERS/orders.ndjson"
example "A schema with a misspelled type is refused (exit 2)" 2 0 "hotpath: schema error:" \
  "hotpath validate --schema examples/schemas/broken.schema.json $ORDERS/order.json"
example "An unknown dialect is a usage error (exit 2)" 2 0 "unknown dialect" \
  "hotpath validate --schema $SCHEMA --default-dialect draft5 $ORDERS/order.json"

total=$((passed + ${#failed[@]}))
echo
if ((${#failed[@]} == 0)); then
  echo "${BOLD}run-examples: $passed of $total commands behaved as expected${RESET}"
  exit 0
fi
echo "${BOLD}${RED}run-examples: $passed of $total commands behaved as expected; not as expected: $(IFS=','; echo "${failed[*]}")${RESET}"
exit 1
