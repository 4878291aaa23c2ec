#!/usr/bin/env bash
# The work queue and the scheduler, measured (not a test):
#
#   Benchmarks/queue.sh [--jobs 10000] [--workers "1 2 4"] [--skip-idle]
#
# 1. Claims per second on one PostgreSQL (scripts/with-postgres --durable): for each worker count, that many
#    `kilde worker --no-scheduler --concurrency 1` processes drain JOBS trivial jobs (mart rebuilds whose inputs did not
#    change: a claim, the inputs check, the finish), timed from the moment the jobs are committed until none is queued
#    or running. Beside it the floor: the same claim statement and finish statement driven by pgbench with as many
#    clients, over the same number of jobs.
# 2. The idle scheduler on SQLite: `kilde worker` (scheduler and worker, against `kilde sim`) with nothing due, its CPU
#    over 60 s from /proc; then, with a catalogue whose ssb-08764 runs every minute (`* * * * *`), the delay from the
#    due minute to the job's claim and to its run's start.
#
# Builds kilde in release (or uses $KILDE_BIN).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
jobs=10000
workers="1 2 4"
idle=1
while [ $# -gt 0 ]; do
    case "$1" in
        --jobs) jobs="$2"; shift 2 ;;
        --workers) workers="$2"; shift 2 ;;
        --skip-idle) idle=0; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

if [ -z "${KILDE_BIN:-}" ]; then
    echo "building kilde (release)..." >&2
    swift build -c release --package-path "$repo" --product kilde >&2
    KILDE_BIN="$(swift build -c release --package-path "$repo" --show-bin-path)/kilde"
fi
export KILDE_BIN jobs workers
work="$(mktemp -d)"
export work
trap 'pkill -P $$ 2>/dev/null || true; rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(uname -srm)"

# --- 1. claims per second -------------------------------------------------------------------------------------------
queue_bench() {
    set -euo pipefail
    local bindir pgbench
    bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    pgbench="$bindir/pgbench"
    psql() { "$bindir/psql" "$@"; }
    local base="${KILDE_TEST_POSTGRES_URL%/*}"
    # libpq's variables for psql and pgbench, from the URL (postgres://user:password@host:port/db).
    local rest="${KILDE_TEST_POSTGRES_URL#postgres://}"
    export PGUSER="${rest%%:*}"; rest="${rest#*:}"
    export PGPASSWORD="${rest%%@*}"; rest="${rest#*@}"
    export PGHOST="${rest%%:*}"; rest="${rest#*:}"
    export PGPORT="${rest%%/*}"
    local enqueue="INSERT INTO ingest.work_queue (kind, asset, payload, reason, status, not_before, enqueued_at)
                   SELECT 'mart', 'mart:kommune_indicators', '{}', 'bench', 'queued', now(), now() FROM generate_series(1, $jobs)"
    local open="SELECT count(*) FROM ingest.work_queue WHERE status IN ('queued','running')"
    cat >"$work/claim.sql" <<'SQL'
UPDATE ingest.work_queue SET status = 'running', attempts = attempts + 1,
  claimed_by = 'job' || id || '.' || (attempts + 1) || '@pgbench', claimed_at = now(), heartbeat_at = now(), run_id = NULL, changed = NULL
WHERE id = (SELECT id FROM ingest.work_queue WHERE status = 'queued' AND not_before <= now() AND (pinned_to IS NULL OR pinned_to = 'pgbench')
            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) AND status = 'queued'
RETURNING id AS job \gset
UPDATE ingest.work_queue SET status = 'done', finished_at = now(), changed = 0 WHERE id = :job AND status = 'running';
SQL
    for n in $workers; do
        local db="queue_bench_$n"
        psql -qAt -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
        local store="$base/$db"
        "$KILDE_BIN" migrate --store "$store" >/dev/null 2>&1
        # Warm-up: the first mart job builds the (empty) mart once and records its inputs; the measured ones find
        # them unchanged.
        psql -qAt -d "$db" -c "${enqueue/generate_series(1, $jobs)/generate_series(1, 1)}" >/dev/null
        local pids=()
        for _ in $(seq "$n"); do
            "$KILDE_BIN" worker --store "$store" --no-scheduler --concurrency 1 --poll 0.05 >/dev/null 2>"$work/worker-$n.log" &
            pids+=($!)
        done
        while [ "$(psql -qAt -d "$db" -c "$open")" != "0" ]; do sleep 0.2; done
        local t0 t1
        t0=$(date +%s.%N)
        psql -qAt -d "$db" -c "$enqueue" >/dev/null
        while [ "$(psql -qAt -d "$db" -c "$open")" != "0" ]; do sleep 0.05; done
        t1=$(date +%s.%N)
        kill -TERM "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
        local done_jobs
        done_jobs="$(psql -qAt -d "$db" -c "SELECT count(*) FROM ingest.work_queue WHERE status = 'done' AND reason = 'bench'")"
        # The floor: pgbench, as many clients, the same number of claims (fresh jobs).
        psql -qAt -d "$db" -c "$enqueue" >/dev/null
        local per=$(( jobs / n ))
        local floor
        floor="$("$pgbench" -n -c "$n" -j "$n" -t "$per" -f "$work/claim.sql" -d "$db" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)"
        python3 -c "
import sys
n, jobs, t0, t1, floor, done = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5] or 0), int(sys.argv[6])
rate = jobs / (t1 - t0)
print(f'{n} worker(s): {jobs:,} jobs ({done:,} done) in {t1 - t0:.2f} s = {rate:,.0f} claims/s;  pgbench floor ({n} client(s), claim + finish): {floor:,.0f}/s  (Kilde {rate / floor * 100 if floor else 0:.0f} % of it)')
" "$n" "$jobs" "$t0" "$t1" "$floor" "$done_jobs"
    done
}
export -f queue_bench
"$repo/scripts/with-postgres" --durable bash -c queue_bench

[ "$idle" = 1 ] || exit 0

# --- 2. the idle scheduler and the delay from due to start (SQLite) ----------------------------------------------------
port=$((20000 + RANDOM % 20000))
"$KILDE_BIN" sim --port "$port" >"$work/sim.log" 2>&1 &
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/_sim/stats" >/dev/null 2>&1 && break; sleep 0.2; done
sim_url="http://127.0.0.1:$port"
tick=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

store="sqlite:$work/idle.sqlite"
"$KILDE_BIN" migrate --store "$store" >/dev/null 2>&1
"$KILDE_BIN" worker --store "$store" --sim-url "$sim_url" --rate-limit 60000 >/dev/null 2>"$work/idle.log" &
pid=$!
sleep 5
c0=$(cpu_ticks $pid); t0=$(date +%s.%N)
sleep 60
c1=$(cpu_ticks $pid); t1=$(date +%s.%N)
kill -TERM $pid; wait $pid 2>/dev/null || true
python3 -c "
import sys
c0, c1, t0, t1, hz = map(float, sys.argv[1:6])
print(f'idle scheduler + worker (SQLite, nothing due, poll 0.5 s): {(c1 - c0) / hz:.3f} s of CPU in {t1 - t0:.1f} s = {(c1 - c0) / hz / (t1 - t0) * 100:.2f} % of a core')
" "$c0" "$c1" "$t0" "$t1" "$tick"

catalog="$work/catalog"
cp -r "$repo/Sources/KildeCatalog/catalog" "$catalog"
python3 - "$catalog/datasets.csv" <<'PY'
import csv, sys
path = sys.argv[1]
rows = list(csv.DictReader(open(path, newline="")))
for r in rows:
    if r["key"] == "ssb-08764": r["schedule"] = "* * * * *"
with open(path, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader(); w.writerows(rows)
PY
store="$work/due.sqlite"
"$KILDE_BIN" migrate --store "sqlite:$store" --catalog "$catalog" >/dev/null 2>&1
"$KILDE_BIN" worker --store "sqlite:$store" --catalog "$catalog" --sim-url "$sim_url" --rate-limit 60000 >/dev/null 2>"$work/due.log" &
pid=$!
python3 - "$store" <<'PY'
import sqlite3, sys, time
from datetime import datetime
db = sys.argv[1]
deadline = time.time() + 150
row = None
while time.time() < deadline:
    try:
        con = sqlite3.connect(db, timeout=5)
        row = con.execute("""SELECT q.reason, q.claimed_at, r.started_at FROM work_queue q JOIN ingest_runs r ON r.id = q.run_id
                             WHERE q.asset = 'ssb-08764' AND q.reason LIKE 'schedule%' ORDER BY q.id LIMIT 1""").fetchone()
        con.close()
    except sqlite3.Error:
        row = None
    if row: break
    time.sleep(0.5)
if not row:
    print("due-to-start: no scheduled run within 150 s"); sys.exit(1)
parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
due = parse(row[0].rsplit(" due ", 1)[1])
print(f"due-to-start (SQLite, ssb-08764 every minute): due {row[0].rsplit(' due ', 1)[1]}, claimed +{(parse(row[1]) - due).total_seconds() * 1000:.0f} ms, "
      f"run started +{(parse(row[2]) - due).total_seconds() * 1000:.0f} ms")
PY
kill -TERM $pid; wait $pid 2>/dev/null || true
