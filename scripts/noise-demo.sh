#!/usr/bin/env bash
# The CI-noise demonstration (docs/CI.md): a baseline of suites/ci.toml, then 10 checks of the unchanged build against
# it with a CPU hog on one core during the last 5, then 10 checks of a genuinely slower configuration and 5 more of it
# with the hog: compression_level=3 instead of 1 (measured interleaved, 10 repeats: 12.7% fewer rows/s and
# 22% more CPU time, and fewer bytes, so no deterministic metric can catch it), paired with --ignore-param
# compression_level. Every check appends to one history file, drawn at the end. Prints one line per check and a tally.
# ROWS (default: the suite's 1,000,000) sets the rows of every run.
# Usage: [ROWS=N] scripts/noise-demo.sh [HIGHWATER_BINARY] [OUT_DIR]
set -euo pipefail
BIN=${1:-.build/release/highwater}
OUT=${2:-results/noise-demo}
SUITE=suites/ci.toml
ROWS_ARGS=()
if [ -n "${ROWS:-}" ]; then ROWS_ARGS=(--param "rows=$ROWS"); fi
rm -rf "$OUT" && mkdir -p "$OUT"
"$BIN" run --suite "$SUITE" "${ROWS_ARGS[@]}" --reference --out "$OUT/base" --plain --no-plots >/dev/null 2>&1
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
        --history "$OUT/history.csv" --format json "${ROWS_ARGS[@]}" "$@" >"$OUT/$name.json" 2>"$OUT/$name.log"
    local status=$?
    set -e
    stop_hog
    python3 - "$OUT/$name.json" "$name" "$hog" "$status" <<'PY'
import json, sys
path, name, hog, status = sys.argv[1:]
r = json.load(open(path))
v = {c["metric"]: c["verdict"] for c in r["comparisons"] if c["workload"] == "write"}
ch = {c["metric"]: c.get("change") for c in r["comparisons"] if c["workload"] == "write"}
rel = {c["metric"]: c.get("change_relative_to_machine") for c in r["comparisons"] if c["workload"] == "write"}
regressed = sorted(m for m, x in v.items() if x == "regressed")
speed = (r.get("machine_speed") or {}).get("ratio") or float("nan")
def show(m):
    r = f" (rel. {rel[m]*100:+5.1f}%)" if rel.get(m) is not None else ""
    return f"{m} {(ch.get(m) or 0)*100:+6.1f}%{r} {v.get(m)}"
print(f"{name:13s} {hog:5s} exit {status}  machine x{speed:.2f}  {show('rows_per_s')}  {show('cpu_user_s')}"
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
for i in 1 2 3 4 5; do  # where the honest verdict for time and CPU time is `drift`: the machine changed too
    check "slower-hog-$i" hog --param compression_level=3 --ignore-param compression_level
done
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
def tally(kind, n):
    fails = []
    for i in range(1, n + 1):
        r = json.load(open(f"{out}/{kind}-{i}.json"))
        fails.append(r["exit_code"] != 0 if "exit_code" in r else any(c["verdict"] == "regressed" for c in r["comparisons"]))
    return sum(fails)
def drift(kind, n):
    return sum(any(c["verdict"] == "drift" for c in json.load(open(f"{out}/{kind}-{i}.json"))["comparisons"]) for i in range(1, n + 1))
print(f"unchanged: {tally('unchanged', 10)} of 10 checks failed (false regressions); slower: {tally('slower', 10)} of 10 caught; "
      f"slower with the hog: {tally('slower-hog', 5)} of 5 failed, {drift('slower-hog', 5)} of 5 with drift verdicts")
PY
"$BIN" history "$OUT/history.csv" --out "$OUT/history-plots" | grep -E "rows_per_s|no change|written" || true
