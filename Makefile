# Hotpath's one entry point. Wraps scripts/bootstrap.sh and CMake.
#   make setup        install dependencies (Debian + npm), idempotent
#   make build        configure + compile everything into build/ (binaries in build/bin/),
#                     and the wasm package into build-wasm/ (bindings/wasm/dist/)
#   make wasm         only the wasm package (Emscripten)
#   make run-playground  serve web/playground/ on 127.0.0.1 (prints the URL)
#   make test         all tests, then the core tests again under ASan+UBSan
#   make conformance  official JSON Schema Test Suite, counted per draft and group
#   make run          hotpathd on 127.0.0.1:8080 over examples/pipelines/ (foreground)
#   make demo         the CLI over examples/ (scripts/run-examples.sh)
#   make bench        benchmarks, tables written to bench/results/
#   make lint         clang-format check
SHELL := /bin/bash
BUILD ?= build
ASAN_BUILD ?= build-asan
WASM_BUILD ?= build-wasm
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all setup build wasm test test-fast test-wasm test-asan conformance run demo run-playground bench lint format clean

all: build

setup:
	@bash scripts/bootstrap.sh

$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: setup $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)
	@$(MAKE) --no-print-directory wasm

wasm: setup
	@bash bindings/wasm/scripts/build.sh $(WASM_BUILD) $(JOBS)

SUITE ?= ../shared/conformance/json-schema-test-suite
JSONATA_SUITE ?= ../shared/conformance/jsonata-test-suite

# ctest prints the closing "N tests passed/failed" summary CI reads; the conformance totals
# are printed too because ctest hides the output of passing tests.
test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(BUILD)/bin/hotpath-conformance $(SUITE) | grep -E '^(required|optional):'
	@$(BUILD)/bin/hotpath-jsonata-conformance $(JSONATA_SUITE) | grep -E '^jsonata:'

test-asan: setup
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DHOTPATH_SANITIZE=address,undefined \
	  -DHOTPATH_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target json_test regex_test schema_test kernels_test \
	  jsonata_test rules_test hotpath-jsonata-conformance
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -L core
	@# Every JSONata suite case (hostile ones included) under ASan+UBSan as well.
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(ASAN_BUILD)/bin/hotpath-jsonata-conformance $(JSONATA_SUITE) \
	  --baseline tests/conformance/jsonata/baseline.txt | grep -E '^jsonata:'

# The wasm package in Node and in headless Chromium, the shared vectors on every backend, the
# wasm conformance counts against the native runner's, and the playground.
WASM_TESTS = bindings/wasm/test/*.test.mjs tests/vectors/vectors.test.mjs \
  tests/conformance/wasm/conformance.test.mjs web/playground/test/*.test.mjs
test-wasm: build
	node --expose-gc --test --test-concurrency=1 --test-reporter=spec $(WASM_TESTS)

test: test-fast test-wasm test-asan

conformance: build
	$(BUILD)/bin/hotpath-conformance $(SUITE)
	$(BUILD)/bin/hotpath-jsonata-conformance $(JSONATA_SUITE)

run: build
	@echo "hotpathd: e.g. curl -s -H 'content-type: application/x-ndjson' --data-binary @examples/orders/orders.ndjson localhost:8080/v1/pipelines/orders  (or @examples/payments/payments.ndjson .../payments: JS rules); the playground page is at http://127.0.0.1:8080/  (Ctrl-C drains and stops it)"
	$(BUILD)/bin/hotpathd --pipelines examples/pipelines --listen 127.0.0.1:8080 \
	  --playground web/playground --wasm-package bindings/wasm

demo: build
	@bash scripts/run-examples.sh $(BUILD)/bin/hotpath

run-playground: wasm
	@node web/playground/serve.mjs

bench: build
	@bash bench/run.sh $(BUILD)
	@node bench/node/run.mjs
	@if [[ -x $(BUILD)/bin/hotpathd ]]; then bash bench/server/run.sh $(BUILD); fi
	@node bench/wasm/run.mjs
	@node bench/jsonata/run.mjs
	@node bench/rules/run.mjs

lint:
	@files=$$(git ls-files '*.cpp' '*.h'); clang-format --dry-run --Werror $$files && echo "lint: clang-format clean ($$(echo $$files | wc -w) files)"

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(WASM_BUILD) bindings/wasm/dist
