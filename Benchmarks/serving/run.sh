#!/usr/bin/env bash
# Serving benchmarks (not tests): wrk against `kilde serve` /v1/facts (a typical explore request: one source, one
# dimension, 10 years, one filter) over a store with >= 1,000,000 atoms, versus the same query through Datasette
# over the same SQLite file; then the map page's bytes and time to first render in headless Chromium.
#
# Usage: Benchmarks/serving/run.sh                   (builds a release kilde, makes /tmp/kilde-bench.sqlite)
#        KILDE_STORE=postgres://… Benchmarks/serving/run.sh   (Kilde half only, on an already loaded store)
# Env: DURATION (wrk seconds, 15), CONNECTIONS (16), KILDE (binary), BENCH_STORE (SQLite path),
#      SHAPE_ARGS (make-store.py options, e.g. "--categories 3 --years 1995-2024 --ages 29").
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-16}
KILDE=${KILDE:-.build/release/kilde}
BENCH_STORE=${BENCH_STORE:-/tmp/kilde-bench.sqlite}
[ -x "$KILDE" ] || swift build -c release --product kilde
command -v wrk > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk > /dev/null; }
python3 -c "import datasette" 2>/dev/null || python3 -m pip install -q datasette

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 300); do curl -sf "$1" > /dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

if [ -n "${KILDE_STORE:-}" ]; then
  store="$KILDE_STORE"
else
  # shellcheck disable=SC2086
  [ -f "$BENCH_STORE" ] || python3 Benchmarks/serving/make-store.py "$KILDE" "$BENCH_STORE" ${SHAPE_ARGS:-}
  store="sqlite:$BENCH_STORE"
fi
echo "== store $store: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from fact_yearly').fetchone()[0], 'atoms')" "${store#sqlite:}" 2>/dev/null || echo '(not SQLite)')"

query="dataset=ssb-12058&region=0301&years=2015-2024"
# Kilde twice: computing every answer (--response-cache-mb 0), then with its default kept answers (valid until
# the store changes: each request still asks the store whether anything was committed).
for mode in computed kept; do
  port=$(free_port)
  args=(); [ "$mode" = computed ] && args=(--response-cache-mb 0)
  "$KILDE" serve --store "$store" --port "$port" "${args[@]}" > "/tmp/kilde-bench-serve-$mode.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/healthz"
  echo "== Kilde [$mode] /v1/facts?$query ($(curl -s "http://127.0.0.1:$port/v1/facts?$query" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]), "rows")'))"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/serving/latency.lua "http://127.0.0.1:$port/v1/facts?$query" | tee "/tmp/kilde-bench-wrk-kilde-$mode.txt"
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
done

if [ -z "${KILDE_STORE:-}" ]; then
  dport=$(free_port)
  datasette serve "$BENCH_STORE" --port "$dport" --setting sql_time_limit_ms 10000 > /tmp/kilde-bench-datasette.log 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$dport/-/versions.json"
  # The same read: same conditions (NULL-as-ALL on the other axes), grouping and order as Kilde's SQL.
  sql="SELECT f.cat_code, c.name AS category, f.year AS period, f.region_code, sum(f.value) AS v FROM fact_yearly f JOIN categories c ON c.source_id = f.source_id AND c.dim_code = f.dim_code AND c.cat_code = f.cat_code WHERE f.source_id = 5 AND f.dim_code = 5 AND f.fire_type_code IS NULL AND f.building_type_code IS NULL AND f.building_age_code IS NULL AND f.region_code IN (50301) AND f.year BETWEEN 2015 AND 2024 AND f.value IS NOT NULL GROUP BY f.cat_code, c.name, c.sort_order, f.year, f.region_code ORDER BY c.sort_order, f.cat_code, f.region_code, period"
  url="http://127.0.0.1:$dport/$(basename "$BENCH_STORE" .sqlite).json?_shape=array&sql=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$sql")"
  echo "== Datasette, same query ($(curl -s "$url" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)), "rows")'))"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/serving/latency.lua "$url" | tee /tmp/kilde-bench-wrk-datasette.txt
  python3 - <<'PY'
import re
def rps(f): return float(re.search(r"Requests/sec:\s+([\d.]+)", open(f).read()).group(1))
def p99(f): m = re.search(r"99%\s+([\d.]+)(us|ms|s)", open(f).read()); return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
def slowest(f): return float(re.search(r"slowest ([\d.]+)ms", open(f).read()).group(1))
d = rps("/tmp/kilde-bench-wrk-datasette.txt")
for mode, what in [("computed", "every answer computed"), ("kept", "kept answers, the default")]:
    f = f"/tmp/kilde-bench-wrk-kilde-{mode}.txt"
    k = rps(f)
    print(f"== Kilde, {what}: {k:.0f} req/s (p99 {p99(f):.2f} ms, slowest {slowest(f):.1f} ms) vs Datasette {d:.0f} req/s (p99 {p99('/tmp/kilde-bench-wrk-datasette.txt'):.2f} ms): {k / d:.1f}x"
          f" (target >= 10x: {'met' if k / d >= 10 else 'not met'}; p99 < 15 ms: {'met' if p99(f) < 15 else 'not met'})")
PY
fi

echo "== map page (all kommuner) in headless Chromium, over a demo store whose mart has all 357 kommuner"
demo_home=$(mktemp -d)
KILDE_HOME="$demo_home" "$KILDE" up --demo --no-serve > /dev/null
mport=$(free_port)
KILDE_HOME="$demo_home" "$KILDE" serve --demo --port "$mport" > /tmp/kilde-bench-map.log 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$mport/healthz"
python3 Benchmarks/serving/map-page.py "http://127.0.0.1:$mport/map"
rm -rf "$demo_home"
