#!/usr/bin/env bash
# Builds Kilde's libFuzzer targets (-sanitize=fuzzer,address: every Swift module instrumented, in its own scratch
# path; linked with the toolchain's lld, as gold fails on the instrumented objects) and runs each for SECONDS from
# its seeds:
#
#   jsonstat-fuzz      the JSON-stat decoder and cell walk   seeds: ../shared/fixtures' JSON-stat and SSB documents
#   request-fuzz       /v1/facts query strings, admin bodies  seeds: corpus/request
#   bris-answer-fuzz   BRIS answers through the transform    seeds: corpus/bris-answer (the simulator's answers)
#   brask-page-fuzz    BRASK's form and result pages         seeds: corpus/brask-page (the simulator's pages)
#
#   Fuzz/run.sh [SECONDS [TARGET…]]    default 30 s each, every target; FUZZ_SEED=N fixes libFuzzer's seed
#
# .ci/run calls it with a short time and FUZZ_SEED=1, so CI is repeatable; Fuzz/README.md has the long run. New
# inputs go to a temporary corpus, not into the committed seeds. A crash, leak or timeout leaves its input in
# Fuzz/artifacts/ and fails the script: make it a regression test before fixing it (see Fuzz/README.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds="${1:-30}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(jsonstat-fuzz request-fuzz bris-answer-fuzz brask-page-fuzz)
fixtures="$here/../../shared/fixtures"
"$here/../scripts/ensure-libxml2"

flags=(-c debug --package-path "$here" --scratch-path "$here/.build-fuzz" -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
echo "building the fuzz targets (debug, -sanitize=fuzzer,address)..." >&2
swift build "${flags[@]}" >&2
bin="$(swift build "${flags[@]}" --show-bin-path)"

work="$(mktemp -d "${TMPDIR:-/tmp}/kilde-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$here/artifacts"
for target in "${targets[@]}"; do
  seeds=()
  case "$target" in
    jsonstat-fuzz)
      [ -d "$fixtures" ] || { echo "Fuzz/run.sh: $fixtures is missing (the JSON-stat seeds)" >&2; exit 2; }
      mkdir -p "$work/seeds-jsonstat"
      # The fixtures' JSON documents up to 64 KiB (the larger ones only slow each run down).
      find "$fixtures/jsonstat" "$fixtures/ssb" -name '*.json' -size -64k -exec cp {} "$work/seeds-jsonstat/" \;
      seeds=("$work/seeds-jsonstat") ;;
    request-fuzz) seeds=("$here/corpus/request") ;;
    bris-answer-fuzz) seeds=("$here/corpus/bris-answer") ;;
    brask-page-fuzz) seeds=("$here/corpus/brask-page") ;;
    *) echo "Fuzz/run.sh: no target '$target'" >&2; exit 2 ;;
  esac
  mkdir -p "$work/$target"
  echo "== $target: ${seconds}s from $(find "${seeds[@]}" -type f | wc -l) seeds" >&2
  "$bin/$target" -max_total_time="$seconds" -max_len=131072 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    ${FUZZ_SEED:+-seed="$FUZZ_SEED"} -artifact_prefix="$here/artifacts/$target-" "$work/$target" "${seeds[@]}"
done
