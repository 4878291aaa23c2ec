#!/usr/bin/env bash
# BRASK result page → cells: Kilde's parser (libxml2's htmlReadMemory via KildeHTML, then the pivot with
# Norwegian numbers) against pandas.read_html (lxml) on the same bytes, in one run.
#
#   Benchmarks/brask-parse.sh [ITERATIONS]      (default 200)
#
# The page is a real answer of the simulator (DEMO DATA): brask-bench serves it on loopback, GETs the form and
# posts January 2024, all causes × the 31 day columns, counts. Both sides parse the same saved bytes N times in
# memory, in their own process, after one warm-up parse; medians are compared, and the two must read the same
# number of cells with the same sum or the script fails. The target (issue 12) is Kilde ≥ 10× faster.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
iterations="${1:-200}"

command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
if ! python3 -c "import pandas, lxml" 2>/dev/null; then
    echo "installing pandas and lxml from PyPI..." >&2
    python3 -m pip install --quiet pandas lxml >&2
fi

echo "building brask-bench (release)..." >&2
swift build -c release --package-path "$here" --scratch-path "$here/.build-bench" --product brask-bench >&2
bench="$(swift build -c release --package-path "$here" --scratch-path "$here/.build-bench" --show-bin-path)/brask-bench"

work="$(mktemp -d "${TMPDIR:-/tmp}/brask-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
page="$work/brask-2024-01-dag.html"
"$bench" page "$page"

results="$work/results.jsonl"
"$bench" time "$page" "$iterations" >>"$results"
python3 "$here/brask_bench.py" time "$page" "$iterations" >>"$results"

echo "machine: $(nproc) cores, $(uname -srm), $(swift --version 2>/dev/null | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/brask_bench.py" report "$results"
