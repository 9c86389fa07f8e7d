# Lanes: two commands for a fresh machine.
#   make run   installs what is missing, builds, serves http://127.0.0.1:8000 with demo data
#   make test  everything CI checks
SHELL := /bin/bash
.DEFAULT_GOAL := run

# The build directory lives outside the clone so that fresh clones (CI) reuse compiled
# dependencies. The built site itself goes to ./target/site, where the server finds it.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/lanes/target
# cargo-leptos sets these for the builds it runs; exporting the same values here keeps every
# other cargo command (tests, clippy) on the same fingerprints, so nothing is rebuilt twice.
export LEPTOS_OUTPUT_NAME := lanes
export LEPTOS_SITE_ROOT := target/site
export LEPTOS_SITE_PKG_DIR := pkg
export LEPTOS_SITE_ADDR := 127.0.0.1:8000
export LEPTOS_RELOAD_PORT := 3001
export LEPTOS_LIB_DIR := frontend
export LEPTOS_BIN_DIR := .
export LEPTOS_JS_MINIFY := true
export LEPTOS_HASH_FILES := false
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

BIN := $(CARGO_TARGET_DIR)/release/lanes
RUST_PACKAGES := -p lanes -p app

.PHONY: run test tools build serve lint unit e2e fuzz bench bench-smoke clean

tools:
	@scripts/install-tools.sh

build: tools
	cargo leptos build --release

run: build
	$(BIN) serve --demo

# Serve an existing build without rebuilding.
serve:
	$(BIN) serve --demo

lint: tools
	cargo fmt --all -- --check
	cargo clippy $(RUST_PACKAGES) --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

# Unit and integration tests, on SQLite and on a real PostgreSQL server (a throwaway cluster
# is started when none is configured in LANES_TEST_PG_URL).
unit: build
	LANES_REQUIRE_PG=1 LANES_REQUIRE_SITE=1 scripts/with-postgres.sh cargo test --release $(RUST_PACKAGES)

# Browser tests in Debian's Chromium against the built server.
e2e: build
	LANES_BIN=$(BIN) npx playwright test -c end2end/playwright.config.ts

# Schema fuzzing of the REST API with schemathesis (from PyPI, cached in ~/.cache/lanes/venv).
fuzz: build
	scripts/schemathesis.sh $(BIN)

# The benchmark (not part of `make test`): 10k, 100k and 1M accounts on SQLite and PostgreSQL;
# writes docs/BENCHMARKS.md and the README's summary. Takes about two hours, most of it seeding
# 1M accounts; BENCH_SIZES/BENCH_ENGINES narrow it.
BENCH_SIZES ?= 10000,100000,1000000
BENCH_ENGINES ?= sqlite,postgres
bench: build
	scripts/with-postgres.sh python3 bench/run.py --bin $(BIN) --sizes $(BENCH_SIZES) --engines $(BENCH_ENGINES) \
		--out docs/BENCHMARKS.md --readme README.md --json docs/benchmarks.json

# A short run of the benchmark harness on a small data set: every scenario must answer without errors.
bench-smoke: build
	scripts/with-postgres.sh python3 bench/run.py --bin $(BIN) --sizes 2000 --duration 2 --smoke

test: lint unit fuzz e2e bench-smoke

clean:
	rm -rf target/site end2end/test-results
