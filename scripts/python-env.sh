#!/usr/bin/env bash
# Creates (if missing) the Python virtual environment of the adapters, .venv-highwater/ at the repository root,
# with the exact versions pinned in adapters/requirements*.txt, and prints its python's path as the last line of
# stdout (everything else goes to stderr), so `PY=$(scripts/python-env.sh test)` works.
#
#   scripts/python-env.sh test   adapters/requirements-test.txt only (numpy): fast, for the adapters' tests
#   scripts/python-env.sh full   adapters/requirements.txt too (numpy, pyarrow, pylance, pandas): the Lance/Parquet suite
#
# Re-running is a no-op once a mode is installed: .venv-highwater/highwater-stamp records the sha256 of the
# requirements files (and the interpreter version) each mode was installed from; a changed pin reinstalls.
# `full` satisfies `test`. PYTHON=... picks the interpreter that creates the venv (default python3).
# Needs PyPI (pip); wheels only (--only-binary), so nothing is compiled.
set -euo pipefail
mode="${1:-full}"
case "$mode" in
    test|full) ;;
    *) echo "python-env: usage: scripts/python-env.sh [test|full] (got '$mode')" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-highwater"
stamp="$venv/highwater-stamp"
req_test="$root/adapters/requirements-test.txt"
req_full="$root/adapters/requirements.txt"
python="${PYTHON:-python3}"

# One installer at a time (two make targets may start together).
mkdir -p "$venv"
exec 9>"$venv/.lock"
if command -v flock >/dev/null; then flock 9; fi

py_version="$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }
test_hash="$(hash_of "$req_test")-py$py_version"
full_hash="$(hash_of "$req_test" "$req_full")-py$py_version"
want="$mode $([ "$mode" = test ] && echo "$test_hash" || echo "$full_hash")"

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c '' 2>/dev/null && [ -f "$stamp" ] && grep -qxF "$want" "$stamp"; then
    echo "python-env: $mode already installed ($venv)" >&2
    echo "$venv/bin/python"
    exit 0
fi

if ! [ -x "$venv/bin/python" ] || ! "$venv/bin/python" -c '' 2>/dev/null \
    || [ "$("$venv/bin/python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')" != "$py_version" ]; then
    echo "python-env: creating $venv with $python ($py_version)" >&2
    rm -rf "$venv/bin" "$venv/lib" "$venv/lib64" "$venv/include" "$venv/pyvenv.cfg" "$stamp"
    "$python" -m venv "$venv" >&2
fi
# The venv keeps itself out of git without touching the repository's .gitignore.
printf '*\n' >"$venv/.gitignore"

pip=("$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet --only-binary=:all:)
if [ "$mode" = test ]; then
    echo "python-env: installing $(grep -v '^#' "$req_test" | xargs)" >&2
    "${pip[@]}" -r "$req_test" >&2
    echo "test $test_hash" >"$stamp.new"
else
    echo "python-env: installing $(grep -hv '^#' "$req_test" "$req_full" | sort -u | xargs)" >&2
    "${pip[@]}" -r "$req_test" -r "$req_full" >&2
    printf 'test %s\nfull %s\n' "$test_hash" "$full_hash" >"$stamp.new"
fi
mv "$stamp.new" "$stamp"
echo "python-env: $mode installed ($venv)" >&2
echo "$venv/bin/python"
