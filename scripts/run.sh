#!/usr/bin/env bash
# `make run`: install what is missing, start the services, migrate, load the
# demo data, then run web + Celery worker + Celery beat until Ctrl-C, which
# stops everything this script started.
. "$(dirname "$0")/lib.sh"

"$ROOT/scripts/install.sh"
"$ROOT/scripts/services.sh" up
load_env
cd "$ROOT"

say "migrating the database"
"$PY" manage.py migrate --noinput -v 0
say "loading fixtures and demo data"
"$PY" manage.py load_demo_data

cleanup() {
  trap - INT TERM EXIT
  say "stopping services"
  "$ROOT/scripts/services.sh" down || true
}
trap cleanup INT TERM EXIT

# Announce readiness once /readyz says every dependency is up.
(
  for _ in $(seq 120); do
    if "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3)" \
        "http://127.0.0.1:$WEB_PORT/readyz" >/dev/null 2>&1; then
      say "ready: http://127.0.0.1:$WEB_PORT/  (readiness: http://127.0.0.1:$WEB_PORT/readyz, Ctrl-C stops everything)"
      exit 0
    fi
    sleep 1
  done
  say "not ready after 2 minutes: see http://127.0.0.1:$WEB_PORT/readyz"
) &

export WEB_PORT
"$VENV/bin/honcho" -f "$ROOT/Procfile" -d "$ROOT" start
