#!/usr/bin/env bash
# Benchmarks the KildeJSONStat decoder against Foundation's JSONSerialization,
# Python's orjson.loads and pyjstat (full decode to a pandas DataFrame).
#
#   Benchmarks/run-jsonstat-bench.sh [ITERATIONS]      (default 15; pyjstat runs 3)
#
# Inputs: a synthetic 800,000-cell dense JSON-stat 2.0 dataset generated into a
# temp folder, and ../shared/fixtures/jsonstat/pyjstat/A02Level.json (relative to
# the repository). Times are medians over in-process iterations on bytes already
# in memory; peak memory is ru_maxrss of a fresh process that decodes once, untimed
# ("net" = peak minus the process's RSS before it read the file, the process having
# done one dynamic cast first so that the Swift runtime's one-time scan of every
# library's conformance tables, ~0.8 MB that any real caller pays before decoding,
# counts as process start; "cold" leaves that scan in; "net - fixed" also subtracts
# what decoding a 100-byte document costs, i.e. code and runtime pages).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
fixtures="$repo/../shared/fixtures"
iterations="${1:-15}"
slow_iterations=3

command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
if ! python3 -c "import orjson, pyjstat, pandas" 2>/dev/null; then
    echo "installing orjson, pyjstat, pandas from PyPI..." >&2
    python3 -m pip install --quiet orjson pyjstat pandas >&2
fi

echo "building jsonstat-bench (release)..." >&2
swift build -c release --package-path "$here" --scratch-path "$here/.build-bench" --product jsonstat-bench >&2
bench="$(swift build -c release --package-path "$here" --scratch-path "$here/.build-bench" --show-bin-path)/jsonstat-bench"

work="$(mktemp -d "${TMPDIR:-/tmp}/jsonstat-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
synthetic="$work/synthetic-800k.json"
python3 "$here/jsonstat_bench.py" generate "$synthetic" --cells 800000 >&2

results="$work/results.jsonl"
# A 100-byte document: its peak RSS shows the fixed cost of running the decoder at all
# (code pages of the decoder and the Swift runtime), reported beside the net figures.
tiny="$work/tiny.json"
printf '%s' '{"class":"dataset","id":["x"],"size":[1],"dimension":{"x":{"category":{"index":["a"]}}},"value":[1]}' >"$tiny"
"$bench" memory kilde "$tiny" | sed 's/"mode": "memory"/"mode": "baseline"/' >>"$results"
for file in "$synthetic" "$fixtures/jsonstat/pyjstat/A02Level.json"; do
    [ -f "$file" ] || { echo "missing input $file" >&2; exit 1; }
    echo "measuring $(basename "$file")..." >&2
    "$bench" summary "$file" >&2
    "$bench" time kilde "$file" "$iterations" >>"$results"
    "$bench" memory kilde "$file" >>"$results"
    "$bench" memory-cold kilde "$file" >>"$results"
    "$bench" time kilde-cells "$file" "$iterations" >>"$results"
    "$bench" time foundation "$file" "$iterations" >>"$results"
    "$bench" memory foundation "$file" >>"$results"
    python3 "$here/jsonstat_bench.py" time orjson "$file" "$iterations" >>"$results"
    python3 "$here/jsonstat_bench.py" memory orjson "$file" >>"$results"
    python3 "$here/jsonstat_bench.py" time pyjstat "$file" "$slow_iterations" >>"$results"
    python3 "$here/jsonstat_bench.py" memory pyjstat "$file" >>"$results"
done

echo "machine: $(nproc) cores, $(uname -srm), $(swift --version 2>/dev/null | head -1)"
python3 "$here/jsonstat_bench.py" report "$results"
