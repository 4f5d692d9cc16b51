#!/usr/bin/env bash
# Copies a small example of a `make bench` run into the repository for the README:
#   results/examples/<name>/  runs.csv, summary.csv, run.json, report.md (timeseries.csv and logs are left out: MBs)
#   plots/examples/           the summary plots and the RSS-over-time plots of two configurations (PNG)
# report.md's plot links are rewritten to plots/examples/; links to plots not copied are dropped.
# It also regenerates the README's example section (between the RESULTS markers) from these files, so every
# number the README shows comes from the run. BENCH_WALL_S (the `make bench` wall time, s) is quoted when set.
# Usage: scripts/publish-example.sh [RESULTS_DIR (default results/default)] [CONFIG_ID...]
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:-results/default}"
shift || true
name="$(basename "$src")"
dst="results/examples/$name"
mkdir -p "$dst" plots/examples
cp "$src/runs.csv" "$src/summary.csv" "$src/run.json" "$dst/"
rm -f plots/examples/*.png
for f in "$src"/plots/*.png; do
    base="$(basename "$f")"
    case "$base" in
        *_rss_time_all.png) cp "$f" plots/examples/ ;;
        *_rss_time_*.png)
            for id in "$@"; do
                if [[ "$base" == *"_rss_time_$id.png" ]]; then cp "$f" plots/examples/; fi
            done ;;
        *) cp "$f" plots/examples/ ;;
    esac
done
python3 - "$src/report.md" "$dst/report.md" <<'PY'
import os, re, sys
src, dst = sys.argv[1], sys.argv[2]
out = []
for line in open(src, encoding="utf-8"):
    m = re.search(r"\]\(plots/([^)]+\.png)\)", line)
    if m:
        if not os.path.exists(os.path.join("plots/examples", m.group(1))):
            continue
        line = line.replace("](plots/", "](../../../plots/examples/")
    out.append(line)
open(dst, "w", encoding="utf-8").write("".join(out))
PY
python3 - "$dst" "${BENCH_WALL_S:-}" <<'PY'
import csv, json, os, re, sys
dst, bench_wall = sys.argv[1], sys.argv[2]
run = json.load(open(f"{dst}/run.json"))
env = run["environment"]
rows = list(csv.DictReader(open(f"{dst}/summary.csv")))
def num(r, k):
    try: return float(r.get(k, ""))
    except ValueError: return None
def fmt(v, d=1):
    return "–" if v is None else f"{v:,.{d}f}"
swept = [c for c in rows[0] if (c.startswith("param_") or c == "allocator") and len({r[c] for r in rows}) > 1]
head = [c.replace("param_", "") for c in swept]
out = []
out.append("## An example: `make bench` on this machine\n")
wall = run.get("wallS")
line = (f"`make bench` ran `{run['plan']['source']}` ({len(run['configurations'])} configurations × {run['plan']['repeats']} repeats, "
        f"{sum(run['statuses'].values())} child processes, statuses {', '.join(f'{k}: {v}' for k, v in sorted(run['statuses'].items()))}) "
        f"in {fmt(wall, 0)} s for the sweep")
if bench_wall: line += f" and {bench_wall} s in all (release build, sweep, plots, report)"
line += (f" on {env['cpuModel']} × {env['cores']} cores, {fmt(env['memoryBytes'] / 1e9, 1)} GB, {env['kernel']}, {env['swiftVersion']}, "
         f"git `{env['gitRev'][:12]}`, {env['timestamp']}. ")
spread = lambda lo, hi, med: (hi - lo) / med * 100 if med else 0
rss_spread = max(spread(num(r, "peak_rss_mb_min"), num(r, "peak_rss_mb_max"), num(r, "peak_rss_mb_median")) for r in rows)
tp_spread = max(spread(num(r, "rows_per_s_min"), num(r, "rows_per_s_max"), num(r, "rows_per_s_median")) for r in rows if num(r, "rows_per_s_median"))
line += (f"Between repeats of a configuration, peak RSS spreads (max − min) by at most {rss_spread:.1f}% of its median and throughput "
         f"by up to {tp_spread:.0f}%. ")
if os.environ.get("BENCH_NOTE"): line += os.environ["BENCH_NOTE"] + " "
line += ("Full output: "
         "[`results/examples/default/`](results/examples/default/) (report: [`report.md`](results/examples/default/report.md)).\n")
out.append(line)
out.append("![peak RSS vs batch size](plots/examples/write_peak_rss_vs_batch_size.png)\n")
out.append("| " + " | ".join(head + ["rows/s median (min–max)", "peak RSS MB median (min–max)", "RSS after close MB", "written MB"]) + " |")
out.append("|" + "---|" * (len(head) + 4))
for r in rows:
    cells = [r[c] for c in swept]
    cells.append(f"{fmt(num(r, 'rows_per_s_median'), 0)} ({fmt(num(r, 'rows_per_s_min'), 0)}–{fmt(num(r, 'rows_per_s_max'), 0)})")
    cells.append(f"{fmt(num(r, 'peak_rss_mb_median'))} ({fmt(num(r, 'peak_rss_mb_min'))}–{fmt(num(r, 'peak_rss_mb_max'))})")
    cells.append(fmt(num(r, "rss_end_mb_median")))
    bw = num(r, "bytes_written_median")
    cells.append(fmt(bw / 1e6 if bw is not None else None))
    out.append("| " + " | ".join(cells) + " |")
out.append("")
report = open(f"{dst}/report.md", encoding="utf-8").read()
findings = re.findall(r"^- (strategy=.*|phase `.*|peak RSS from wait4.*)$", report, re.M)
if findings:
    out.append("Findings computed by `highwater report` from these rows:\n")
    out += [f"- {f}" for f in findings]
    out.append("")
o = run.get("samplerOverhead")
if o:
    marginal = o.get("marginalCPUMicrosPerSample")
    out.append(f"Sampler overhead (calibration: {o['calibration']}): {fmt(o['cpuMicrosPerSample'].get('10'), 1)} µs of parent CPU per sample at 10 ms "
               f"and {fmt(o['cpuMicrosPerSample'].get('1'), 1)} µs at 1 ms (per-run fixed work included)"
               + (f", {fmt(marginal, 1)} µs for each additional sample" if marginal is not None else "")
               + f"; calibration wall time {fmt(o['wallS'].get('off', 0) * 1000)} ms unsampled, "
               f"{fmt(o['wallS'].get('1', 0) * 1000)} ms at 1 ms, {fmt(o['wallS'].get('10', 0) * 1000)} ms at 10 ms.\n")
out.append("![throughput vs peak RSS](plots/examples/write_frontier.png)\n")
out.append("![RSS over time](plots/examples/write_rss_time_all.png)\n")
block = "\n".join(out)
readme = open("README.md", encoding="utf-8").read()
begin, end = "<!-- RESULTS:BEGIN (scripts/publish-example.sh) -->", "<!-- RESULTS:END -->"
if begin in readme:
    pre = readme[:readme.index(begin)]
    post = readme[readme.index(end) + len(end):]
    readme = pre + begin + "\n" + block + "\n" + end + post
else:
    readme = readme.replace("<!-- RESULTS -->", begin + "\n" + block + "\n" + end)
open("README.md", "w", encoding="utf-8").write(readme)
PY
echo "publish-example: $dst and plots/examples/ ($(ls plots/examples | wc -l) plots)"
