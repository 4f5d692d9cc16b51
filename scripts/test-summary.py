#!/usr/bin/env python3
"""Prints one closing line "N passed, N failed, N skipped" from XCTest's final summary in a `swift test` log."""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
# e.g. "Executed 197 tests, with 1 test skipped and 0 failures (0 unexpected) in 15.0 (15.0) seconds"
runs = re.findall(r"Executed (\d+) tests?, with (?:(\d+) tests? skipped and )?(\d+) failures?", text)
if not runs:
    print("test-summary: no XCTest summary found in " + sys.argv[1], file=sys.stderr)
    sys.exit(1)
executed, skipped, failed = (int(x or 0) for x in runs[-1])
print(f"{executed - skipped - failed} passed, {failed} failed, {skipped} skipped")
