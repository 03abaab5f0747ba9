# The two commands the README promises on a fresh machine:
#   make serve   set up, build, and serve the site on http://127.0.0.1:8080/#example
#   make test    set up, then run every test layer (native, wasm in Chromium, end-to-end)
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

# Gzipped size budget for the release .wasm, in bytes (see README "Size").
WASM_GZ_BUDGET := $(shell cat .ci/wasm-budget)

.PHONY: setup serve build test test-native test-wasm test-e2e size lint

setup:
	@.ci/setup

build: setup
	trunk build --release

serve: build
	@echo "planlens: serving dist/ on http://127.0.0.1:8080/#example (Ctrl-C stops)"
	python3 -m http.server 8080 --bind 127.0.0.1 --directory dist

test: setup lint test-native test-wasm build size test-e2e

lint:
	cargo fmt --check
	cargo clippy --all-targets --quiet -- -D warnings

test-native:
	cargo test

test-wasm:
	cargo test --target wasm32-unknown-unknown --test web

size:
	@wasm=$$(ls dist/*.wasm); raw=$$(stat -c %s $$wasm); gz=$$(gzip -9 -c $$wasm | wc -c); \
	echo "wasm: $$raw bytes raw, $$gz bytes gzipped (budget $(WASM_GZ_BUDGET))"; \
	[ $$gz -le $(WASM_GZ_BUDGET) ] || { echo "wasm gzipped size $$gz exceeds the budget $(WASM_GZ_BUDGET)"; exit 1; }

test-e2e:
	node --test tests/e2e/
