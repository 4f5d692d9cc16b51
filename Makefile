SHELL := /bin/bash
# Two commands do all the set-up on a fresh machine:
#   make bench   installs what is missing, builds release, runs the default suite, draws plots, writes the report
#   make test    installs what is missing, runs the tests
SWIFT ?= swift
RELEASE_BIN = .build/release/highwater
# Where `make bench` writes: CSV/JSON, logs and report under BENCH_OUT, a copy of the plots under BENCH_PLOTS.
BENCH_OUT ?= results/default
BENCH_PLOTS ?= plots/default

.PHONY: deps build release test bench clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

# Builds every product: highwater, engine-bench, alloc-count-probe and libMallocInterposerSwift.so
# (the library `highwater run --alloc-counts` preloads; it lands next to the highwater binary).
release: deps
	$(SWIFT) build -c release

# XCTest only (the suites have no Swift Testing tests, whose empty pass would close the log with "0 tests");
# the last line is a plain "N passed, N failed, N skipped" summary of XCTest's own count.
test: deps
	@set -o pipefail; $(SWIFT) test --disable-swift-testing 2>&1 | tee .build-test.log; status=$$?; \
	python3 scripts/test-summary.py .build-test.log; exit $$status

# The sweep's exit status (1 when a run failed) is kept, but plots and the report are written either way.
bench: release
	@start=$$(date +%s); status=0; \
	$(RELEASE_BIN) run --suite suites/default.toml --out $(BENCH_OUT) --no-plots || status=$$?; \
	if [ $$status -ge 2 ]; then exit $$status; fi; \
	$(RELEASE_BIN) plot $(BENCH_OUT) && \
	$(RELEASE_BIN) report $(BENCH_OUT) --no-plots && \
	mkdir -p $(BENCH_PLOTS) && cp $(BENCH_OUT)/plots/*.png $(BENCH_OUT)/plots/*.svg $(BENCH_PLOTS)/ && \
	echo "make bench: $$(( $$(date +%s) - start )) s; results in $(BENCH_OUT)/ (runs.csv, summary.csv, timeseries.csv, run.json, report.md, plots/), plots copied to $(BENCH_PLOTS)/"; \
	exit $$status

clean:
	rm -rf .build
