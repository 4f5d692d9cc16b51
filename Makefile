# Two commands do all the set-up on a fresh machine:
#   make bench   installs what is missing, builds release, runs the default suite
#   make test    installs what is missing, runs the tests
SWIFT ?= swift
RELEASE_BIN = .build/release/highwater

.PHONY: deps build release test bench clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) test

bench: release
	$(RELEASE_BIN) run --suite suites/default.toml --out results/default
	$(RELEASE_BIN) report results/default

clean:
	rm -rf .build
