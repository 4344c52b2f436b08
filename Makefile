# Hotpath's one entry point. Wraps scripts/bootstrap.sh and CMake.
#   make setup        install dependencies (Debian + npm), idempotent
#   make build        configure + compile everything into build/ (binaries in build/bin/)
#   make test         all tests, then the core tests again under ASan+UBSan
#   make conformance  official JSON Schema Test Suite, counted per draft and group
#   make run          the main job (see README)
#   make bench        benchmarks, tables written to bench/results/
#   make lint         clang-format check
SHELL := /bin/bash
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all setup build test test-fast test-asan conformance run bench lint format clean

all: build

setup:
	@bash scripts/bootstrap.sh

$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: setup $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

SUITE ?= ../shared/conformance/json-schema-test-suite

# ctest prints the closing "N tests passed/failed" summary CI reads; the conformance totals
# are printed too because ctest hides the output of passing tests.
test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@$(BUILD)/bin/hotpath-conformance $(SUITE) | grep -E '^(required|optional):'

test-asan: setup
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DHOTPATH_SANITIZE=address,undefined \
	  -DHOTPATH_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target json_test regex_test schema_test kernels_test
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) -L core

test: test-fast test-asan

conformance: build
	$(BUILD)/bin/hotpath-conformance $(SUITE)

run: build
	@bash scripts/run-examples.sh $(BUILD)/bin/hotpath

bench: build
	@bash bench/run.sh $(BUILD)
	@node bench/node/run.mjs

lint:
	@files=$$(git ls-files '*.cpp' '*.h'); clang-format --dry-run --Werror $$files && echo "lint: clang-format clean ($$(echo $$files | wc -w) files)"

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
