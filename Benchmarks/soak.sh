#!/usr/bin/env bash
# Soak (a script, not a CI test): `wrk` against /v1/facts for DURATION seconds while admin ingests run against the
# simulator, which flips between the original and the revised history so every other ingest writes. Prints the
# server's RSS every 10 s, then wrk's latency (p50…p99 and the tail), the error responses (non-2xx and socket errors,
# which must be 0), every ingest's status (which must all complete), and the RSS growth after the first minute.
#
# Usage: Benchmarks/soak.sh              Env: DURATION (600), CONNECTIONS (16), KILDE (binary, a release build), STORE
# (a store spec; default a fresh SQLite file; e.g. a postgres:// URL)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-600}
CONNECTIONS=${CONNECTIONS:-16}
KILDE=${KILDE:-.build/release/kilde}
[ -x "$KILDE" ] || swift build -c release --product kilde
command -v wrk > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk > /dev/null; }

work=$(mktemp -d /tmp/kilde-soak.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 300); do curl -sf "$1" > /dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

sim_port=$(free_port)
"$KILDE" sim --port "$sim_port" > "$work/sim.log" 2>&1 &
pids+=($!)
sim="http://127.0.0.1:$sim_port"
wait_for "$sim/"

store=${STORE:-sqlite:$work/kilde.sqlite}
export KILDE_HOME="$work/home"
"$KILDE" up --no-serve --sim-url "$sim" --store "$store" > "$work/up.log" 2>&1

port=$(free_port)
key=soak-$RANDOM$RANDOM
"$KILDE" serve --port "$port" --store "$store" --ingest-key "$key" --sim-url "$sim" > "$work/serve.log" 2>&1 &
server=$!
pids+=($server)
base="http://127.0.0.1:$port"
wait_for "$base/healthz"

# RSS of the server every 10 s.
( while kill -0 "$server" 2>/dev/null; do
    echo "$(date +%s) $(awk '/VmRSS/ {print $2}' /proc/$server/status 2>/dev/null || echo 0)"
    sleep 10
  done ) > "$work/rss.txt" &
pids+=($!)

# Ingests while wrk runs: one every 15 s, alternating the simulator's history so half of them write.
( revised=false; n=0
  while true; do
    sleep 15
    if [ "$revised" = false ]; then revised=true; else revised=false; fi
    curl -sf -X POST "$sim/_sim/revised?on=$revised" > /dev/null || true
    for ds in ssb-08764 ssb-12058; do
      curl -s -X POST "$base/v1/admin/ingest" -H "x-ingest-key: $key" -H 'content-type: application/json' \
        -d "{\"dataset\": \"$ds\"}" >> "$work/ingests.txt" || true
      echo >> "$work/ingests.txt"
      sleep 5
    done
    n=$((n + 1))
  done ) &
pids+=($!)

echo "== soak: $DURATION s of wrk ($CONNECTIONS connections) on /v1/facts, with ingests every 15 s; store $store"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/serving/latency.lua \
  "$base/v1/facts?dataset=ssb-12058&region=0301,4601&years=2015-2024" | tee "$work/wrk.txt"

echo "== ingests"
python3 - "$work/ingests.txt" "$base" <<'PY'
import json, sys, urllib.request, time
base = sys.argv[2]
ids = [json.loads(l)["runId"] for l in open(sys.argv[1]) if l.strip().startswith("{") and "runId" in l]
time.sleep(5)
statuses = {}
for i in ids:
    s = json.load(urllib.request.urlopen(f"{base}/v1/ingest/status/{i}"))["status"]
    statuses[s] = statuses.get(s, 0) + 1
print(f"{len(ids)} ingests started: {statuses}")
PY

echo "== server RSS (KiB) over time"
python3 - "$work/rss.txt" <<'PY'
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2 and l.split()[1] != "0"]
t0 = rows[0][0]
for t, kb in rows: print(f"  {t - t0:5d} s  {kb:8d}")
after = [kb for t, kb in rows if t - t0 >= 60]
if len(after) >= 2:
    print(f"after warm-up (60 s): {after[0]} → {after[-1]} KiB ({(after[-1] - after[0]) / after[0] * 100:+.1f} %), peak {max(after)}")
PY
if grep -q "Non-2xx\|Socket errors" "$work/wrk.txt"; then
  echo "ERRORS: $(grep 'Non-2xx\|Socket errors' "$work/wrk.txt")"
  exit 1
fi
echo "no error responses"
