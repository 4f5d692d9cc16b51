#!/usr/bin/env python3
"""Prints one closing line "N passed, N failed, N skipped" for the test logs given (`swift test`, and Python's
`unittest -v` for the adapters), counting test cases from XCTest's per-test lines ("Test Case 'Suite.test' passed|failed|skipped (...)"), not assertions: XCTest's own
"with N failures" counts failed assertions, so one test with ten failing assertions would otherwise read as ten.
A log with no per-test line at all (the build failed, or nothing ran) is an error (exit 1)."""
import os
import re
import sys

CASE = re.compile(r"^Test Case '([^']+)' (passed|failed|skipped)", re.MULTILINE)
# Python's unittest with -v: "test_name (module.Class.test_name) ... ok | skipped '...' | FAIL | ERROR | expected failure".
UNITTEST = re.compile(r"^(test\w*) \([\w.]+\) \.\.\. (?:[^\n]*\n)??(ok|skipped|FAIL|ERROR)\b", re.MULTILINE)


def count(texts):
    passed = failed = skipped = 0
    for text in texts:
        for _name, outcome in CASE.findall(text):
            if outcome == "passed":
                passed += 1
            elif outcome == "failed":
                failed += 1
            else:
                skipped += 1
        for _name, outcome in UNITTEST.findall(text):
            if outcome == "ok":
                passed += 1
            elif outcome == "skipped":
                skipped += 1
            else:
                failed += 1
    return passed, failed, skipped


def main():
    # A log that is absent (a later stage that did not run) counts nothing.
    texts = [open(p, encoding="utf-8", errors="replace").read() for p in sys.argv[1:] if os.path.exists(p)]
    passed, failed, skipped = count(texts)
    if passed + failed + skipped == 0:
        print("test-summary: no XCTest test case lines in " + ", ".join(sys.argv[1:]), file=sys.stderr)
        return 1
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
