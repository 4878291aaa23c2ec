#!/usr/bin/env bash
# A cold 10-year BRASK daily backfill of one slice against the simulator, on both stores (not a test).
#
#   Benchmarks/daily-backfill.sh [--years 2016-2025] [--dataset brask-arsak-daily]
#
# Builds kilde in release, starts `kilde sim` (BRASK has no rate limit there), and per store, in a fresh store:
# `kilde ingest DATASET --filter fire_type=1 --filter building_type=0 --filter building_age=1 --metric value
# --years …` (cold: fact_yearly and fact_daily empty, so the daily gates chain the yearly table in and fan out over
# its years), then the same command again (stable: one store round trip, no request). Prints, per store: requests the
# simulator served (form pages apart), the months that have data, wall time, rows written and rows/s, and the
# stable re-run's requests and time. PostgreSQL is a throwaway server (scripts/with-postgres), or
# KILDE_TEST_POSTGRES_URL when set.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
years="2016-2025"
dataset="brask-arsak-daily"
while [ $# -gt 0 ]; do
    case "$1" in
        --years) years="$2"; shift 2 ;;
        --dataset) dataset="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

echo "building kilde (release)..." >&2
swift build -c release --package-path "$repo" --product kilde >&2
kilde="$(swift build -c release --package-path "$repo" --show-bin-path)/kilde"

work="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
"$kilde" sim --port "$port" >"$work/sim.log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/_sim/stats" >/dev/null 2>&1 && break; sleep 0.2; done
sim_url="http://127.0.0.1:$port"

stats() { curl -fsS "$sim_url/_sim/brask/stats"; }

run_store() {
    local label="$1" store="$2"
    # --rate-limit: the simulator has none; without it every source behind 127.0.0.1 shares SSB's 30 per minute.
    local args=(ingest "$dataset" --store "$store" --sim-url "$sim_url" --rate-limit 1000000 --years "$years" --metric value --json
                --filter fire_type=1 --filter building_type=0 --filter building_age=1)
    curl -fsS -X POST "$sim_url/_sim/reset" >/dev/null
    local before after t0 t1
    before="$(stats)"
    t0=$(date +%s.%N)
    KILDE_HOME="$work/home-$label" "$kilde" "${args[@]}" >"$work/$label-cold.json"
    t1=$(date +%s.%N)
    after="$(stats)"
    local t2 t3 mid
    t2=$(date +%s.%N)
    KILDE_HOME="$work/home-$label" "$kilde" "${args[@]}" >"$work/$label-stable.json"
    t3=$(date +%s.%N)
    mid="$(stats)"
    python3 - "$label" "$before" "$after" "$mid" "$t0" "$t1" "$t2" "$t3" "$work/$label-cold.json" "$work/$label-stable.json" "$years" <<'PY'
import json, sys
label, before, after, mid = sys.argv[1], *map(json.loads, sys.argv[2:5])
t0, t1, t2, t3 = map(float, sys.argv[5:9])
cold, stable = (json.load(open(p)) for p in sys.argv[9:11])
first, last = map(int, sys.argv[11].split("-"))
def posts(a, b): return b["results"] + b["rejected"] + b["no_data"] - a["results"] - a["rejected"] - a["no_data"]
def rows(r): return r["rows_added"] + r["rows_updated"]
wall = t1 - t0
sim_years = set(range(2015, 2026))  # the simulated BRASK's years (BRASKFires.years)
months = 12 * len(sim_years & set(range(first, last + 1)))
p = posts(before, after)
print(f"{label:10s} cold:   {p} posts = 1 yearly table + {p - 1} months (months with data in {first}–{last}: {months}), "
      f"{after['form_pages'] - before['form_pages']} form page(s); {wall:.2f} s; {rows(cold)} rows written "
      f"({rows(cold) / wall:,.0f} rows/s, yearly table included)")
print(f"{label:10s} stable: {posts(after, mid)} posts, {mid['form_pages'] - after['form_pages']} form pages; {t3 - t2:.2f} s; "
      f"{rows(stable)} rows written; outcome {[s['outcome'] for s in stable['slices']]}")
PY
}

echo "machine: $(nproc) cores, $(uname -srm); dataset $dataset, years $years, one slice (fire type 1, næring 0, bygningsalder 1, value)"
run_store sqlite "sqlite:$work/kilde.sqlite"
if [ -n "${KILDE_TEST_POSTGRES_URL:-}" ]; then
    run_store postgres "$KILDE_TEST_POSTGRES_URL"
else
    export -f run_store stats
    export kilde work sim_url dataset years
    "$repo/scripts/with-postgres" bash -c 'run_store postgres "$KILDE_TEST_POSTGRES_URL"'
fi
