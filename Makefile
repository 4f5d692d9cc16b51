SHELL := /bin/bash
# Two commands do all the set-up on a fresh machine:
#   make bench   installs what is missing, builds release, runs the default suite, draws plots, writes the report
#   make test    installs what is missing, runs the tests
SWIFT ?= swift
RELEASE_BIN = .build/release/highwater
# Where `make bench` writes: CSV/JSON, logs and report under BENCH_OUT, a copy of the plots under BENCH_PLOTS.
BENCH_OUT ?= results/default
BENCH_PLOTS ?= plots/default

.PHONY: deps deps-test build release test bench lance fuzz clean

deps:
	@bash scripts/install-deps.sh

# What the tests need on top: headless Chromium for the report.html browser test (HTMLReportBrowserTests runs
# scripts/browser-check.py; without Chromium the test skips and says why).
deps-test:
	@bash scripts/install-deps.sh --test

build: deps
	$(SWIFT) build

# Builds every product: highwater, engine-bench, alloc-count-probe and libMallocInterposerSwift.so
# (the library `highwater run --alloc-counts` preloads; it lands next to the highwater binary).
release: deps
	$(SWIFT) build -c release

# XCTest only (the suites have no Swift Testing tests, whose empty pass would close the log with "0 tests").
# First the size rules (scripts/check-sizes.py), then every test in a debug build, then the tests that feed the
# engine damaged, crafted and half-written files again against a release (-O) build, the build users run.
# The last line is a plain "N passed, N failed, N skipped", counted from XCTest's per-test lines over both runs.
RELEASE_TESTS = EngineTests.CorruptionTests|EngineTests.DatasetCorruptionTests|EngineTests.KillMidWriteTests|EngineTests.CraftedFileTests|EngineTests.CleanupTests|EngineTests.FuzzTests
test: deps-test
	@set -o pipefail; rm -f .build-test.log .build-test-release.log .build-test-python.log; \
	python3 scripts/check-sizes.py || exit 1; \
	$(SWIFT) test --disable-swift-testing 2>&1 | tee .build-test.log; status=$$?; \
	if [ $$status -eq 0 ]; then \
		echo "make test: engine corruption and kill tests again in a release build"; \
		$(SWIFT) test -c release -Xswiftc -enable-testing --scratch-path .build-release-tests --disable-swift-testing \
			--filter '$(RELEASE_TESTS)' 2>&1 | tee .build-test-release.log; status=$$?; \
	fi; \
	if [ $$status -eq 0 ]; then \
		echo "make test: the Python adapters and protocol clients (pinned venv: scripts/python-env.sh full)"; \
		PY=$$(bash scripts/python-env.sh full) && HIGHWATER_FULL_VECTORS=1 $$PY -m unittest discover -s adapters/tests -v 2>&1 | tee .build-test-python.log; \
		status=$$?; \
	fi; \
	python3 scripts/test-summary.py .build-test.log .build-test-release.log .build-test-python.log; exit $$status

# The sweep's exit status (1 when a run failed) is kept, but plots and the report are written either way.
bench: release
	@start=$$(date +%s); status=0; \
	$(RELEASE_BIN) run --suite suites/default.toml --out $(BENCH_OUT) --no-plots || status=$$?; \
	if [ $$status -ge 2 ]; then exit $$status; fi; \
	$(RELEASE_BIN) plot $(BENCH_OUT) && \
	$(RELEASE_BIN) report $(BENCH_OUT) --no-plots && \
	mkdir -p $(BENCH_PLOTS) && cp $(BENCH_OUT)/plots/*.png $(BENCH_OUT)/plots/*.svg $(BENCH_PLOTS)/ && \
	echo "make bench: $$(( $$(date +%s) - start )) s; results in $(BENCH_OUT)/ (runs.csv, summary.csv, timeseries.csv, run.json, report.md, report.html, plots/), plots copied to $(BENCH_PLOTS)/"; \
	exit $$status

# The engine, pylance and pyarrow's Parquet writer side by side on the same rows (suites/lance.toml), in a pinned venv.
LANCE_OUT ?= results/lance
lance: release
	@bash scripts/python-env.sh full >/dev/null && \
	$(RELEASE_BIN) run --suite suites/lance.toml --out $(LANCE_OUT) --no-plots && \
	$(RELEASE_BIN) plot $(LANCE_OUT) && $(RELEASE_BIN) report $(LANCE_OUT) --no-plots

# The seeded mutation fuzzer (Tests/EngineTests/Fuzz, seeds in Tests/EngineFuzzCorpus) against a release (-O) build,
# FUZZ_SECONDS per target (data file, manifest, deletion file, chunk file), seed FUZZ_SEED, in a process whose
# address space is capped at FUZZ_VMEM_KB (ulimit -v), so an allocation a crafted length drives fails the run.
FUZZ_SECONDS ?= 600
FUZZ_SEED ?= 13
FUZZ_VMEM_KB ?= 4194304
fuzz: deps
	$(SWIFT) build -c release -Xswiftc -enable-testing --scratch-path .build-release-tests --build-tests
	@bin=$$(ls -d .build-release-tests/release/*PackageTests.xctest | head -1); \
	ulimit -v $(FUZZ_VMEM_KB) && HW_FUZZ_SECONDS=$(FUZZ_SECONDS) HW_FUZZ_SEED=$(FUZZ_SEED) $$bin EngineTests.FuzzTests

clean:
	rm -rf .build .build-release-tests
