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
# build the sandbox images when their recipes changed.
bring_up() {
  "$ROOT/scripts/install.sh" "$@"
  "$ROOT/scripts/services.sh" up
  load_env
  cd "$ROOT"
  say "the sandbox images (built when their recipes changed)"
  SANDBOX_IMAGE="$("$PY" -m sandbox.image ensure)"
  SANDBOX_GATEWAY_IMAGE="$("$PY" -m sandbox.image ensure gateway)"
  export SANDBOX_IMAGE SANDBOX_GATEWAY_IMAGE
}

# Migrate, then load the fixtures and the demo data: `make run`, and the load test
# of `make bench` on its own database (tests/bench/bench_load.py). Idempotent.
migrate_and_load() {
  cd "$ROOT"
  say "migrating the database"
  "$PY" manage.py migrate --noinput -v 0
  say "loading fixtures and demo data"
  "$PY" manage.py load_question_bank
  "$PY" manage.py load_checklists
  "$PY" manage.py load_plan_templates
  "$PY" manage.py load_task_data fixtures/takehome/rag-support-v1 --name rag-support
  "$PY" manage.py load_demo_data
  "$PY" manage.py refresh_candidate_scores
}

# libpq's variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) from DATABASE_URL,
# so that pg_dump, pg_restore and psql connect as the platform does.
use_database_url() {
  eval "$("$PY" - "$DATABASE_URL" <<'PY'
import shlex, sys
from urllib.parse import unquote, urlsplit
url = urlsplit(sys.argv[1])
values = {"PGHOST": url.hostname, "PGPORT": url.port, "PGUSER": unquote(url.username or ""),
          "PGPASSWORD": unquote(url.password or ""), "PGDATABASE": unquote(url.path.lstrip("/"))}
for name, value in values.items():
    print(f"export {name}={shlex.quote(str(value or ''))}")
PY
)"
}

# Tests and benchmarks use Redis database 1, so a running `make run` (database 0) is not disturbed.
use_test_settings() {
  export REDIS_URL="${REDIS_URL%/*}/1"
  export DJANGO_SETTINGS_MODULE=hiring_platform.settings.test
}
