#!/usr/bin/env bash
# Serving benchmark, PostgreSQL half (not a test): in one run on loopback, a throwaway PostgreSQL 15 cluster
# (scripts/with-postgres --durable), a database migrated by `kilde migrate`, >= 1,000,000 synthetic atoms in the
# shape of make-store.py's "wide" store (30 categories x 372 regions x 90 years, every other axis NULL; triggers
# check every row; marked as demo data), ANALYZE, then
#   1. wrk against `kilde serve --store postgres://…` on GET /v1/facts?dataset=ssb-12058&region=0301&years=2015-2024
#   2. pgbench with exactly the SQL that request executes (extended protocol, unnamed statements, like postgres-nio)
# at the same concurrency, and the ratio of the two.
#
# Usage: Benchmarks/serving/postgres.sh
# Env: DURATION (seconds, 15), CONNECTIONS (16), THREADS (2), KILDE (binary, .build/release/kilde),
#      POOL_MAX (kilde serve's connection pool size, the store URL's pool_max; Kilde's default, twice the cores up to 8, when unset).
set -euo pipefail
cd "$(dirname "$0")/../.."
here="Benchmarks/serving/postgres.sh"

# Re-exec under a throwaway cluster; --durable keeps PostgreSQL's defaults (fsync on) so the numbers mean something.
if [ -z "${KILDE_TEST_POSTGRES_URL:-}" ] || [ -z "${KILDE_BENCH_PG_INNER:-}" ]; then
  exec env KILDE_BENCH_PG_INNER=1 scripts/with-postgres --durable "$here" "$@"
fi

DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
KILDE=${KILDE:-.build/release/kilde}
[ -x "$KILDE" ] || swift build -c release --product kilde
command -v wrk > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk > /dev/null; }
bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
PGBENCH="$bindir/pgbench"
PSQL="$bindir/psql"

out=$(mktemp -d /tmp/kilde-bench-pg.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$out"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Busy CPU seconds since boot: all of the machine, the kilde server process(es), the PostgreSQL processes.
# "rest" (machine minus the two) is mostly the load generator, wrk or pgbench.
cpu_snapshot() {
  python3 - <<'PY'
import os
hz = os.sysconf("SC_CLK_TCK")
f = open("/proc/stat").readline().split()[1:]
total = sum(int(x) for i, x in enumerate(f[:8]) if i not in (3, 4)) / hz   # without idle and iowait
by = {"kilde": 0.0, "postgres": 0.0}
for pid in filter(str.isdigit, os.listdir("/proc")):
    try: st = open(f"/proc/{pid}/stat").read()
    except OSError: continue
    comm, rest = st[st.index("(") + 1:st.rindex(")")], st[st.rindex(")") + 2:].split()
    # utime + stime + cutime + cstime: the postmaster collects the time of backends that exited (pgbench's).
    if comm in by: by[comm] += sum(int(x) for x in rest[11:15]) / hz
print(total, by["kilde"], by["postgres"])
PY
}
# CPU used between two snapshots, in cores (busy seconds per wall second).
cpu_report() {
  python3 -c 'import sys; a = list(map(float, sys.argv[1].split())); b = list(map(float, sys.argv[2].split())); t = float(sys.argv[3]); d = [(y - x) / t for x, y in zip(a, b)]
print(f"   CPU (cores of 2): kilde {d[1]:.2f}, postgres {d[2]:.2f}, rest (load generator, other) {d[0] - d[1] - d[2]:.2f}")' "$1" "$2" "$3"
}
# Transactions committed or rolled back in the benchmark database so far, this query's own included.
transactions() { sleep 0.6; psql_bench -tA -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"; }
wait_for() { for _ in $(seq 1 300); do curl -sf "$1" > /dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

admin_url="$KILDE_TEST_POSTGRES_URL"                                # …/postgres?sslmode=disable
store="${admin_url%%/postgres\?*}/kilde_bench?${admin_url#*\?}"      # …/kilde_bench?sslmode=disable
"$PSQL" -X -q -v ON_ERROR_STOP=1 "$admin_url" -c "CREATE DATABASE kilde_bench"
"$KILDE" migrate --store "$store" > /dev/null
psql_bench() { "$PSQL" -X -q -v ON_ERROR_STOP=1 "$store" "$@"; }

echo "== loading synthetic atoms (wide shape: 30 categories x 372 regions x 90 years; triggers on)"
t0=$(date +%s.%N)
psql_bench <<'SQL'
BEGIN;
-- Like make-store.py: synthetic categories of SSB (source 5) dim 5, cat 510…539, and the store marked as demo data.
INSERT INTO registry.categories (source_id, dim_code, cat_code, native_api_code, native_name, name, standard_code, sort_order, is_native_only)
SELECT 5, 5, c, 'BENCH' || c, 'Bench category ' || c, 'Bench ' || c, NULL, 100 + c, false FROM generate_series(510, 539) c;
INSERT INTO ingest.store_meta (key, value) VALUES ('data_kind', 'demo') ON CONFLICT (key) DO NOTHING;
-- One atom per category, region filter and year, in make-store.py's order (category, region, year) and values.
INSERT INTO facts.fact_yearly (source_id, dim_code, cat_code, year, region_code, building_age_code, value, ingested_at)
SELECT 5, 5, c, y, r.id, NULL, (c * 7 + y * 13 + r.id) % 97 + 1, '2026-01-01T00:00:00.000Z'
FROM generate_series(510, 539) c
CROSS JOIN (SELECT id FROM registry.filters WHERE source_id = 5 AND axis = 'region') r
CROSS JOIN generate_series(1935, 2024) y
ORDER BY c, r.id, y;
COMMIT;
-- Unlike the SQLite benchmark (a Kilde SQLite store never runs ANALYZE), PostgreSQL's autovacuum would analyze
-- a freshly loaded table soon anyway; do it now so the plan does not change during the run.
VACUUM ANALYZE;
SQL
t1=$(date +%s.%N)
echo "$(psql_bench -tA -c "SELECT count(*) FROM facts.fact_yearly") atoms in facts.fact_yearly ($(psql_bench -tA -c "SELECT count(*) FROM registry.filters WHERE source_id = 5 AND axis = 'region'") regions) in $(python3 -c "print(f'{$t1 - $t0:.1f}')") s; database $(psql_bench -tA -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"

query="dataset=ssb-12058&region=0301&years=2015-2024"
# Reads PostgreSQL's log of one request (log_min_duration_statement = 0) and prints each executed statement on one
# line, its $n parameters replaced by the logged values as quoted literals: exactly the SQL the request executed.
logged_statements=$(cat <<'PY'
import re, sys
entries, current = [], None   # current: the execute entry whose lines (SQL, then its DETAIL) are being read
for line in sys.stdin:
    if re.match(r"\d{4}-\d\d-\d\d ", line):
        m = re.search(r"DETAIL:  parameters: (.*)$", line)
        if m and current is not None:
            current["params"] = dict(re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", m.group(1)))
        m = re.search(r"execute <unnamed>: (.*)$", line)
        current = {"sql": [m.group(1)], "params": {}} if m else None
        if current is not None: entries.append(current)
    elif current is not None:
        current["sql"].append(line.strip())
for e in entries:
    sql = " ".join(part for part in e["sql"] if part)
    # Highest numbers first, so that $1 does not eat the start of $10.
    for n in sorted(e["params"], key=int, reverse=True):
        sql = re.sub(r"\$" + n + r"(?!\d)", lambda _: e["params"][n], sql)
    print(sql.rstrip(";") + ";")
PY
)
# Kilde twice: computing every answer (--response-cache-mb 0: what pgbench below is the floor of), then with its
# default kept answers (valid until the store changes; a hit executes only `SELECT pg_current_snapshot()`).
bench_kilde() {  # NAME SERVE-ARGS...
  local name=$1; shift
  local port; port=$(free_port)
  "$KILDE" serve --store "$store${POOL_MAX:+&pool_max=$POOL_MAX}" --port "$port" "$@" > "$out/serve-$name.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/healthz"
  curl -s "http://127.0.0.1:$port/v1/facts?$query" > /dev/null   # the first request also learns the store's data kind
  # Show what one steady request executes: log every statement for one request, then turn logging back off.
  local data_dir server_log log_lines rows
  data_dir=$(psql_bench -tA -c "SHOW data_directory")
  server_log="$(dirname "$data_dir")/server.log"
  log_lines=$(wc -l < "$server_log")
  psql_bench -c "ALTER SYSTEM SET log_min_duration_statement = 0" -c "SELECT pg_reload_conf()" > /dev/null
  sleep 0.5
  rows=$(curl -s "http://127.0.0.1:$port/v1/facts?$query" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["rows"]))')
  sleep 0.5
  psql_bench -c "ALTER SYSTEM RESET log_min_duration_statement" -c "SELECT pg_reload_conf()" > /dev/null
  # The statements executed, parameters filled in as literals: pgbench's script for this mode (see run_pgbench).
  echo "== [$name] statements of one /v1/facts?$query request ($rows rows), from the server log:"
  tail -n +"$((log_lines + 1))" "$server_log" | python3 -c "$logged_statements" > "$out/$name.sql"
  sed 's/^/   /' "$out/$name.sql"
  echo "== [$name] Kilde /v1/facts?$query: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
  local c0 x0 x1; c0=$(cpu_snapshot); x0=$(transactions)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/serving/latency.lua "http://127.0.0.1:$port/v1/facts?$query" | tee "$out/wrk-$name.txt"
  cpu_report "$c0" "$(cpu_snapshot)" "$DURATION"
  kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()
  # Every statement Kilde sends outside a transaction is one transaction: how many statements a request cost.
  # Counted once the server is gone: an idle backend reports its statistics up to 10 s late, an exiting one at once.
  x1=$(transactions)
  python3 -c "import re, sys; n = int(re.search(r'(\d+) requests in', open(sys.argv[3]).read()).group(1)); print(f'   statements per request: {(int(sys.argv[2]) - int(sys.argv[1]) - 1) / n:.3f} ({n} requests)')" \
    "$x0" "$x1" "$out/wrk-$name.txt"
}
bench_kilde computed --response-cache-mb 0
bench_kilde kept

run_pgbench() {  # NAME SQL-FILE
  echo "== pgbench [$1], the same SQL (-M extended: unnamed statements, like postgres-nio), -c$CONNECTIONS -j$THREADS -T$DURATION:"
  sed 's/^/   /' "$2"
  mkdir -p "$out/pglog-$1"
  local c0; c0=$(cpu_snapshot)
  ( cd "$out/pglog-$1" && PGOPTIONS="-c search_path=ingest,facts,registry,marts,public" \
      "$PGBENCH" -n -M extended -c"$CONNECTIONS" -j"$THREADS" -T"$DURATION" -f "$2" -l --log-prefix=tx "$store" ) \
    | tee "$out/pgbench-$1.txt"
  cpu_report "$c0" "$(cpu_snapshot)" "$DURATION"
}
run_pgbench computed "$out/computed.sql"
run_pgbench kept "$out/kept.sql"

python3 - "$out" <<'PY'
import glob, re, sys
out = sys.argv[1]
def wrk(name):
    text = open(f"{out}/wrk-{name}.txt").read()
    def ms(p):
        m = re.search(p + r"\s+([\d.]+)(us|ms|s)\b", text)
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    slowest = float(re.search(r"slowest ([\d.]+)ms", text).group(1))
    return float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), ms("50%"), ms("99%"), slowest
def pgbench(name):
    text = open(f"{out}/pgbench-{name}.txt").read()
    # pgbench -l: one line per transaction, the third field its latency in microseconds.
    lats = sorted(int(l.split()[2]) for f in glob.glob(f"{out}/pglog-{name}/tx*") for l in open(f))
    pct = lambda p: lats[min(len(lats) - 1, int(p * len(lats)))] / 1000
    tps = float(re.search(r"tps = ([\d.]+)", text).group(1))
    lat = float(re.search(r"latency average = ([\d.]+) ms", text).group(1))
    print(f"== pgbench [{name}] {tps:.0f} tps, latency average {lat:.2f} ms (p50 {pct(0.5):.2f} ms, p99 {pct(0.99):.2f} ms, slowest {lats[-1] / 1000:.1f} ms)")
    return tps
floor = {name: pgbench(name) for name in ["computed", "kept"]}
for name, what in [("computed", "every answer computed"), ("kept", "kept answers, the default")]:
    rps, p50, p99, slowest = wrk(name)
    print(f"== Kilde, {what}: {rps:.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms, slowest {slowest:.1f} ms; /pgbench of the same SQL {rps / floor[name]:.2f} "
          f"(target >= 0.50: {'met' if rps / floor[name] >= 0.5 else 'not met'}); /pgbench of the facts statement {rps / floor['computed']:.2f}; "
          f"p99 < 15 ms: {'met' if p99 < 15 else 'not met'}")
PY
