#!/usr/bin/env bash
# `make test`: install what is missing (browser included), start the same
# services as `make run`, lint, then run the whole pytest suite. Extra
# arguments go to pytest. Services stay up for quick reruns (`make stop`).
. "$(dirname "$0")/lib.sh"

"$ROOT/scripts/install.sh" --test
"$ROOT/scripts/services.sh" up
load_env
cd "$ROOT"
say "the sandbox image (built when its recipe changed)"
SANDBOX_IMAGE="$("$PY" -m sandbox.image ensure)"
export SANDBOX_IMAGE

# Tests use Redis database 1, so a running `make run` (database 0) is not disturbed.
export REDIS_URL="${REDIS_URL%/*}/1"
export DJANGO_SETTINGS_MODULE=hiring_platform.settings.test

say "ruff"
"$VENV/bin/ruff" check .
say "mypy"
"$VENV/bin/mypy" .
say "pytest"
"$VENV/bin/pytest" "$@"
