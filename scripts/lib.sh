# Shared settings of the project's scripts. Sourced, not run.
# Everything the scripts create lives under .local/ (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PG_PORT="${PG_PORT:-54329}"
REDIS_PORT="${REDIS_PORT:-63790}"
WEB_PORT="${WEB_PORT:-8000}"
PG_BIN="/usr/lib/postgresql/15/bin"
PG_DATA="$LOCAL/postgres"
REDIS_DIR="$LOCAL/redis"
LOG_DIR="$LOCAL/log"
RUN_DIR="$LOCAL/run"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# Export the environment the platform reads (generated once into .local/env).
load_env() {
  [ -f "$LOCAL/env" ] || die "missing $LOCAL/env: run scripts/services.sh up first"
  set -a
  # shellcheck disable=SC1091
  . "$LOCAL/env"
  set +a
}

# What `make run`, `make test` and `make bench` share: install what is missing
# (`--test` adds the browser), start the services, load the environment, and
# build the sandbox image when its recipe changed.
bring_up() {
  "$ROOT/scripts/install.sh" "$@"
  "$ROOT/scripts/services.sh" up
  load_env
  cd "$ROOT"
  say "the sandbox image (built when its recipe changed)"
  SANDBOX_IMAGE="$("$PY" -m sandbox.image ensure)"
  export SANDBOX_IMAGE
}

# Tests and benchmarks use Redis database 1, so a running `make run` (database 0) is not disturbed.
use_test_settings() {
  export REDIS_URL="${REDIS_URL%/*}/1"
  export DJANGO_SETTINGS_MODULE=hiring_platform.settings.test
}
