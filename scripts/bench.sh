#!/usr/bin/env bash
# `make bench`: run the benchmarks under tests/bench; they print their figures.
. "$(dirname "$0")/lib.sh"

"$ROOT/scripts/install.sh" --test
"$ROOT/scripts/services.sh" up
load_env
cd "$ROOT"
say "the sandbox image (built when its recipe changed)"
SANDBOX_IMAGE="$("$PY" -m sandbox.image ensure)"
export SANDBOX_IMAGE
export REDIS_URL="${REDIS_URL%/*}/1"
export DJANGO_SETTINGS_MODULE=hiring_platform.settings.test
export LOG_LEVEL=WARNING  # the figures, not one log line per request

shopt -s nullglob
benches=("$ROOT"/tests/bench/bench_*.py)
if [ "${#benches[@]}" -eq 0 ]; then
  say "no benchmarks yet under tests/bench"
  exit 0
fi
"$VENV/bin/pytest" -p no:cacheprovider -s -q --override-ini="addopts=" "${benches[@]}"
