#!/usr/bin/env bash
# Installs the Debian packages Highwater needs, only those that are missing,
# running `apt-get update` at most once. Safe to run on a warm machine (prints one line).
# Usage: scripts/install-deps.sh [--test]
#   --test  also the packages only the tests need: chromium (headless, for the report.html browser test,
#           ~280 MB installed) and fonts-dejavu-core (so its screenshot has glyphs).
set -euo pipefail
# linux-perf and heaptrack: `highwater run --profile cpu|heap` and its known-answer tests (zstd: heaptrack's data
# compression; libjemalloc-dev also brings jeprof).
needed=(libzstd-dev libxxhash-dev libjemalloc-dev libmimalloc-dev gnuplot-nox pkg-config linux-perf heaptrack zstd)
if [ "${1:-}" = "--test" ]; then needed+=(chromium fonts-dejavu-core); fi
missing=()
for pkg in "${needed[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all present (${needed[*]})"
    exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
