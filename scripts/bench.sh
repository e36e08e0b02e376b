#!/usr/bin/env bash
# `make bench`: run the benchmarks under tests/bench; they print their figures.
. "$(dirname "$0")/lib.sh"

bring_up --test
use_test_settings
export LOG_LEVEL=WARNING  # the figures, not one log line per request

shopt -s nullglob
benches=("$ROOT"/tests/bench/bench_*.py)
if [ "${#benches[@]}" -eq 0 ]; then
  say "no benchmarks yet under tests/bench"
  exit 0
fi
"$VENV/bin/pytest" -p no:cacheprovider -s -q --override-ini="addopts=" "${benches[@]}"
