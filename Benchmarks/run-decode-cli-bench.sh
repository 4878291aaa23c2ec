#!/usr/bin/env bash
# Measures `kilde decode` on generated probe documents: wall time and peak RSS (/usr/bin/time),
# output to /dev/null.
#
#   Benchmarks/run-decode-cli-bench.sh [KILDE_BINARY]
#
# KILDE_BINARY defaults to a release build of the `kilde` product (built if missing).
# Documents (generated into a temp folder by jsonstat_bench.py, never committed):
#   huge-sparse  100,000^3 = 10^15 cells, 5 of them in a sparse value object (~2.7 MB)
#   dense-1m     1,000,000 cells, dense value array (~7 MB)
#   dense-25m    25,000,000 cells, dense value array (~180 MB; takes ~1 min to generate)
# Set SKIP_25M=1 to leave the 25M-cell document out.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
kilde="${1:-}"
if [ -z "$kilde" ]; then
    echo "building kilde (release)..." >&2
    swift build -c release --package-path "$repo" --product kilde >&2
    kilde="$(swift build -c release --package-path "$repo" --show-bin-path)/kilde"
fi
[ -x /usr/bin/time ] || { echo "/usr/bin/time is required (Debian package 'time')" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/decode-cli-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
python3 "$here/jsonstat_bench.py" generate-sparse-huge "$work/huge-sparse.json" >&2
python3 "$here/jsonstat_bench.py" generate "$work/dense-1m.json" --cells 1000000 >&2
[ -n "${SKIP_25M:-}" ] || python3 "$here/jsonstat_bench.py" generate "$work/dense-25m.json" --cells 25000000 >&2

ok=1
# run NAME FILE MAX_SECONDS MAX_RSS_PER_DOC ARGS...: one line with time, peak RSS and RSS / document size.
run() {
    local name="$1" file="$2" max_seconds="$3" max_ratio="$4"
    shift 4
    [ -f "$file" ] || return 0
    local size stats seconds rss_kb ratio verdict
    size=$(stat -c %s "$file")
    /usr/bin/time -o "$work/time.txt" -f "%e %M" timeout "$max_seconds" "$kilde" decode "$file" "$@" >/dev/null 2>"$work/stderr.txt" || true
    stats=$(tail -1 "$work/time.txt")
    seconds=${stats% *}
    rss_kb=${stats#* }
    ratio=$(python3 -c "print(f'{$rss_kb * 1024 / $size:.2f}')")
    verdict=PASS
    if python3 -c "import sys; sys.exit(0 if $seconds < $max_seconds and $rss_kb * 1024 <= $max_ratio * $size else 1)"; then :; else verdict=FAIL; ok=0; fi
    printf '  [%s] %-44s %8.2f s %9.1f MB peak RSS %6sx document (limits: %s s, %sx)\n' \
        "$verdict" "$name" "$seconds" "$(python3 -c "print($rss_kb / 1024)")" "$ratio" "$max_seconds" "$max_ratio"
}

echo "kilde decode on $(nproc) cores, $(uname -srm): $kilde"
# Peak RSS includes the mapped document (1x) and the process itself (~30-40 MB), so the small
# documents' ratios say little; the 25M-cell document shows the multiple that matters.
run "huge-sparse --limit 5 (csv)" "$work/huge-sparse.json" 10 40 --format csv --limit 5
run "huge-sparse, all 5 cells (table)" "$work/huge-sparse.json" 10 40
run "dense-1m --format json" "$work/dense-1m.json" 60 10 --format json
run "dense-1m --format csv" "$work/dense-1m.json" 60 10 --format csv
run "dense-25m --format csv" "$work/dense-25m.json" 600 3 --format csv
run "dense-25m --format json" "$work/dense-25m.json" 600 3 --format json
run "dense-25m --format table" "$work/dense-25m.json" 600 3
[ "$ok" = 1 ] && echo "all targets met" || echo "SOME TARGETS MISSED"
