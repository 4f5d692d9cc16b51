#!/usr/bin/env bash
# The CI-noise demonstration (docs/CI.md): a baseline of suites/ci.toml, then 10 checks of the unchanged build against
# it with a CPU hog on one core during the last 5, then 10 checks of a genuinely slower configuration
# (compression_level=3 instead of 1: about 20% more CPU per row, and fewer bytes, so only time can catch it; paired
# with --ignore-param compression_level), and 5 more of it with the hog (where the honest verdict is `drift`). Every check appends to one history file, drawn at the end. Prints one line per check.
# ROWS (default 200000, the suite's) sets the rows of every run: `highwater noise` measured the A/A floor of
# rows_per_s at 16.9% with 200,000 rows and 5.5% with 1,000,000 (10 repeats each); but at 1,000,000 rows the
# zstd-3 configuration costs no wall time at all (the pipeline hides it), so it is no longer a slower one there.
# Usage: [ROWS=N] scripts/noise-demo.sh [HIGHWATER_BINARY] [OUT_DIR]
set -euo pipefail
BIN=${1:-.build/release/highwater}
OUT=${2:-results/noise-demo}
SUITE=suites/ci.toml
ROWS=${ROWS:-200000}
rm -rf "$OUT" && mkdir -p "$OUT"
"$BIN" run --suite "$SUITE" --param rows="$ROWS" --reference --out "$OUT/base" --plain --no-plots >/dev/null 2>&1
"$BIN" baseline save "$OUT/base" --as demo --dir "$OUT/baselines" >/dev/null

hog_pid=""
start_hog() { taskset -c 0 sh -c 'while :; do :; done' & hog_pid=$!; }
stop_hog() { if [ -n "$hog_pid" ]; then kill "$hog_pid" 2>/dev/null || true; wait "$hog_pid" 2>/dev/null || true; hog_pid=""; fi; }
trap stop_hog EXIT

check() {  # NAME HOG [extra check arguments...]
    local name=$1 hog=$2; shift 2
    [ "$hog" = hog ] && start_hog
    set +e
    "$BIN" check --suite "$SUITE" --baseline demo --baselines-dir "$OUT/baselines" --out "$OUT/$name" --plain \
        --history "$OUT/history.csv" --format json --param rows="$ROWS" "$@" >"$OUT/$name.json" 2>"$OUT/$name.log"
    local status=$?
    set -e
    stop_hog
    python3 - "$OUT/$name.json" "$name" "$hog" "$status" <<'PY'
import json, sys
path, name, hog, status = sys.argv[1:]
r = json.load(open(path))
v = {c["metric"]: c["verdict"] for c in r["comparisons"] if c["workload"] == "write"}
ch = {c["metric"]: c.get("change") for c in r["comparisons"] if c["workload"] == "write"}
regressed = sorted(m for m, x in v.items() if x == "regressed")
speed = (r.get("machine_speed") or {}).get("ratio") or float("nan")
def show(m):
    return f"{m} {(ch.get(m) or 0)*100:+6.1f}% {v.get(m)}"
print(f"{name:13s} {hog:5s} exit {status}  machine x{speed:.2f}  {show('rows_per_s')}  {show('rows_per_cpu_second')}"
      f"  regressed: {', '.join(regressed) or '-'}")
PY
}

for i in 1 2 3 4 5 6 7 8 9 10; do
    if [ "$i" -gt 5 ]; then hog=hog; else hog=quiet; fi
    check "unchanged-$i" "$hog"
done
for i in 1 2 3 4 5 6 7 8 9 10; do
    check "slower-$i" quiet --param compression_level=3 --ignore-param compression_level
done
for i in 1 2 3 4 5; do
    check "slower-hog-$i" hog --param compression_level=3 --ignore-param compression_level
done
"$BIN" history "$OUT/history.csv" --out "$OUT/history-plots" | grep -E "rows_per_s|no change|written" || true
