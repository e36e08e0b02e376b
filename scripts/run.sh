#!/usr/bin/env bash
# `make run`: install what is missing, start the services, migrate, load the
# demo data, then run web + Celery worker + Celery beat until Ctrl-C, which
# stops everything this script started.
. "$(dirname "$0")/lib.sh"

bring_up

migrate_and_load

HONCHO_PID=""
cleanup() {
  trap - INT TERM EXIT HUP
  if [ -n "$HONCHO_PID" ] && kill -0 "$HONCHO_PID" 2>/dev/null; then
    say "stopping web, worker and beat"
    kill -TERM "$HONCHO_PID" 2>/dev/null || true
    wait "$HONCHO_PID" 2>/dev/null || true
  fi
  say "stopping services"
  "$ROOT/scripts/services.sh" down || true
}
trap cleanup INT TERM EXIT HUP

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
# Gunicorn's workers each count their requests into files here, which /metrics adds
# up (prometheus_client's multiprocess mode); emptied at each start, as counters restart.
export PROMETHEUS_MULTIPROC_DIR="$RUN_DIR/prometheus"
rm -rf "$PROMETHEUS_MULTIPROC_DIR"
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
# In the background, so that a signal runs `cleanup` at once (bash defers traps
# while a foreground child runs); honcho stops its processes on TERM.
"$VENV/bin/honcho" -f "$ROOT/Procfile" -d "$ROOT" start &
HONCHO_PID=$!
wait "$HONCHO_PID"
