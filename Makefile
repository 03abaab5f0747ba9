# The two commands the README promises on a fresh machine:
#   make serve   set up, build, and serve the site on http://127.0.0.1:8080/#example
#   make test    set up, then run every test layer (native, wasm in Chromium, end-to-end)
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

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
	CLIPPY_CONF_DIR=.ci/clippy-wasm cargo clippy --target wasm32-unknown-unknown --lib --bins --quiet -- -D warnings

test-native:
	cargo test
	# The heavy hostile inputs (a 200 MB plan, a 257 MB file), in release.
	cargo test --release --test hostile -- --ignored

test-wasm:
	cargo test --target wasm32-unknown-unknown --test web

size:
	@fail=0; while read -r name budget; do \
	  case "$$name" in ''|'#'*) continue;; esac; \
	  wasm=$$(ls dist/$$name-*_bg.wasm dist/$${name}_bg.wasm 2>/dev/null | head -1); \
	  [ -n "$$wasm" ] || { echo "no $$name wasm in dist/"; fail=1; continue; }; \
	  raw=$$(stat -c %s $$wasm); gz=$$(gzip -9 -c $$wasm | wc -c); \
	  echo "$$name wasm: $$raw bytes raw, $$gz bytes gzipped (budget $$budget)"; \
	  [ $$gz -le $$budget ] || { echo "$$name wasm exceeds its budget"; fail=1; }; \
	done < .ci/wasm-budget; exit $$fail

test-e2e:
	node --test tests/e2e/
