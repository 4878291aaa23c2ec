#!/usr/bin/env bash
# The upstream's rate limit is the floor (a benchmark, not a test): a cold `kilde up --no-serve` against the simulator
# with SSB's real limits from the catalogue (30 requests a minute, 800,000 cells a request, GET URLs up to 2,000
# characters). Prints the requests Kilde made, the fewest the limits allow for the default datasets, the floor
# (requests ÷ rate) and the wall time, and Kilde's own time against 2 % of the floor. Last, the store's own floor: how long
# SQLite alone (Python's sqlite3, no Kilde) takes to write the same fact rows into a copy of the same store, through the
# same upsert and the schema's keys, foreign keys and checks.
#
# Usage: Benchmarks/upstream-floor.sh        Env: KILDE (binary, default a release build), RUNS (3)
#        scripts/with-postgres Benchmarks/upstream-floor.sh   the same into a fresh PostgreSQL database per run
#        (KILDE_TEST_POSTGRES_URL set); the store floor line is SQLite's only.
set -euo pipefail
cd "$(dirname "$0")/.."
KILDE=${KILDE:-.build/release/kilde}
RUNS=${RUNS:-3}
[ -x "$KILDE" ] || swift build -c release --product kilde

pids=()
work=$(mktemp -d)
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 150); do curl -sf "$1" > /dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

port=$(free_port)
"$KILDE" sim --port "$port" > "$work/sim.log" 2>&1 &
pids+=($!)
sim="http://127.0.0.1:$port"
wait_for "$sim/"

# The fewest requests the limits allow: per default dataset, one metadata request and as many data requests as its
# whole table needs at the cell limit (a selection over the URL limit goes as a POST, so that limit adds none).
read -r datasets minimum rate < <("$KILDE" catalog --json | python3 -c '
import json, sys, urllib.request
c = json.load(sys.stdin)
sim = sys.argv[1]
defaults = [d for d in c["datasets"] if d["isDefault"]]
total, rate = 0, None
for d in defaults:
    src = next(s for s in c["sources"] if s["id"] == d["sourceID"])
    opts = src["options"]
    rate = src["rateLimitPerMinute"]
    meta = json.load(urllib.request.urlopen(sim + "/api/pxwebapi/v2/tables/" + d["tableID"] + "/metadata?lang=no"))
    cells = 1
    for s in meta["size"]: cells *= s
    total += 1 + -(-cells // int(opts.get("cell_limit", 100000)))
print(len(defaults), total, rate)
' "$sim")

floor=$(python3 -c "print($minimum / $rate * 60)")
echo "== $datasets default datasets; fewest requests the limits allow: $minimum; rate $rate a minute; floor (requests ÷ rate) ${floor} s"
for run in $(seq 1 "$RUNS"); do
  curl -sf -X POST "$sim/_sim/reset" > /dev/null
  home="$work/home-$run"
  store="sqlite:$home/kilde.sqlite"
  if [ -n "${KILDE_TEST_POSTGRES_URL:-}" ]; then
    psql "$KILDE_TEST_POSTGRES_URL" -qc "CREATE DATABASE floor_$run" > /dev/null
    store="${KILDE_TEST_POSTGRES_URL%/*}/floor_$run"
  fi
  start=$(date +%s.%N)
  KILDE_HOME="$home" "$KILDE" up --no-serve --sim-url "$sim" --store "$store" > "$work/up-$run.log" 2>&1
  end=$(date +%s.%N)
  made=$(curl -sf "$sim/_sim/stats" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(sum(s["data_requests"].values()) + s["metadata_requests"])')
  # The limiter made no request wait when the requests fit one window, so the wall time is Kilde's own (with the
  # simulator's few milliseconds of answering inside it).
  python3 - "$start" "$end" "$made" "$minimum" "$floor" "$rate" <<'PY'
import sys
start, end, made, minimum, floor, rate = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
wall = end - start
waits = max(0, (made - 1) // rate) * 60
own = wall - waits
print(f"run: {made} requests (minimum {minimum}: {'met' if made == minimum else 'NOT met'}); wall {wall:.2f} s; "
      f"limiter waits {waits} s; Kilde's own time {own:.2f} s = {own / floor * 100:.1f} % of the {floor:.1f} s floor (target <= 2 %)")
PY
done

# The store's floor: the last run's fact rows written again, by SQLite alone, into a copy of that store.
[ -z "${KILDE_TEST_POSTGRES_URL:-}" ] || exit 0
python3 - "$work/home-$RUNS/kilde.sqlite" "$work/floor.sqlite" "$floor" <<'PY'
import shutil, sqlite3, sys, time
store, copy, floor = sys.argv[1], sys.argv[2], float(sys.argv[3])
shutil.copy(store, copy)
db = sqlite3.connect(copy, isolation_level=None)
for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
    db.execute("PRAGMA " + pragma)
columns = "source_id, dim_code, cat_code, year, fire_type_code, building_type_code, region_code, building_age_code, value, ingested_at"
rows = db.execute(f"SELECT {columns} FROM fact_yearly").fetchall()
upsert = (f"INSERT INTO fact_yearly ({columns}) VALUES ({', '.join('?' * 10)}) ON CONFLICT (source_id, dim_code, cat_code, year, "
          "coalesce(fire_type_code, -1), coalesce(building_type_code, -1), coalesce(region_code, -1), coalesce(building_age_code, -1)) "
          "DO UPDATE SET value = excluded.value, ingested_at = excluded.ingested_at WHERE fact_yearly.value IS NOT excluded.value")
best = None
for _ in range(3):
    db.execute("DELETE FROM fact_yearly")
    start = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    db.executemany(upsert, rows)
    db.execute("COMMIT")
    took = time.perf_counter() - start
    best = took if best is None else min(best, took)
print(f"store floor: SQLite alone writes the {len(rows)} fact rows in {best:.2f} s (best of 3) = {best / floor * 100:.1f} % of the floor")
PY
