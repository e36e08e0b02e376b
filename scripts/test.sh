#!/usr/bin/env bash
# `make test`: install what is missing (browser included), start the same
# services as `make run`, lint, then run the whole pytest suite. Extra
# arguments go to pytest. Services stay up for quick reruns (`make stop`).
. "$(dirname "$0")/lib.sh"

bring_up --test

use_test_settings

say "ruff"
"$VENV/bin/ruff" check .
say "mypy"
"$VENV/bin/mypy" .
say "pytest"
"$VENV/bin/pytest" "$@"
