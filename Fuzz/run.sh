#!/usr/bin/env bash
# Builds Kilde's libFuzzer targets (-sanitize=fuzzer,address: every module instrumented, in its own scratch path)
# and runs the BRASK page fuzzer for SECONDS, seeded with the simulator's pages in corpus/brask-page.
#
#   Fuzz/run.sh [SECONDS]     default 60 (the short run in .ci/run); see Fuzz/README.md for the long run
#
# New inputs the fuzzer finds go to a temporary corpus, not into the committed seeds. A crash, leak or timeout
# leaves its input in Fuzz/artifacts/ and fails the script: make it a regression test
# (Tests/KildeSourcesTests/BRASKFuzzRegressionTests.swift) before fixing it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seconds="${1:-60}"
"$here/../scripts/ensure-libxml2"

flags=(-c debug --package-path "$here" --scratch-path "$here/.build-fuzz" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
echo "building brask-page-fuzz (debug, -sanitize=fuzzer,address)..." >&2
swift build "${flags[@]}" --product brask-page-fuzz >&2
fuzzer="$(swift build "${flags[@]}" --show-bin-path)/brask-page-fuzz"

work="$(mktemp -d "${TMPDIR:-/tmp}/brask-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$here/artifacts"
echo "fuzzing the BRASK page parsers for ${seconds}s..." >&2
"$fuzzer" -max_total_time="$seconds" -max_len=131072 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$here/artifacts/" "$work" "$here/corpus/brask-page"
