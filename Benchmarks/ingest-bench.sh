#!/usr/bin/env bash
# Benchmarks Kilde's PostgreSQL write path against a plain COPY of the same rows (not a test).
#
#   Benchmarks/ingest-bench.sh [--atoms N] [--categories N] [--method copy|unnest|both] [--repeat N]
#
# Defaults: 1,000,000 atoms in 200 slices of 250 categories × 20 years, both write methods, 3 trials each
# (alternating, each in a fresh database; the summary reports medians).
#
# Builds ingest-bench in release, starts a throwaway PostgreSQL with its durable defaults (fsync on; see
# scripts/with-postgres --durable), or uses KILDE_TEST_POSTGRES_URL when set, and for each write method, in a
# fresh database: Kilde's first load through PostgresFactStore (probe → existing rows → commitSlice per slice),
# the same rows with one COPY into an empty table identical to fact_yearly, and a stable re-run that must
# write 0 rows. Prints rows/s, Kilde/COPY (target >= 80 %) and re-run/first-load time (target < 10 %).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

echo "building ingest-bench (release)..." >&2
swift build -c release --package-path "$here" --scratch-path "$here/.build-bench" --product ingest-bench >&2
bench="$(swift build -c release --package-path "$here" --scratch-path "$here/.build-bench" --show-bin-path)/ingest-bench"

echo "machine: $(nproc) cores, $(uname -srm), $(swift --version 2>/dev/null | head -1)"
if [ -n "${KILDE_TEST_POSTGRES_URL:-}" ]; then
    "$bench" "$KILDE_TEST_POSTGRES_URL" "$@"
else
    # Single quotes: the URL is set by with-postgres, inside the child shell.
    "$repo/scripts/with-postgres" --durable bash -c '"$0" "$KILDE_TEST_POSTGRES_URL" "$@"' "$bench" "$@"
fi
