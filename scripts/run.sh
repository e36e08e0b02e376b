#!/usr/bin/env bash
# `make run`: install what is missing, start the services, migrate, load the
# demo data, then run web + Celery worker + Celery beat until Ctrl-C, which
# stops everything this script started.
. "$(dirname "$0")/lib.sh"

bring_up

say "migrating the database"
"$PY" manage.py migrate --noinput -v 0
say "loading fixtures and demo data"
"$PY" manage.py load_question_bank
"$PY" manage.py load_checklists
"$PY" manage.py load_plan_templates
"$PY" manage.py load_task_data fixtures/takehome/rag-support-v1 --name rag-support
"$PY" manage.py load_demo_data
"$PY" manage.py refresh_candidate_scores

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
# In the background, so that a signal runs `cleanup` at once (bash defers traps
# while a foreground child runs); honcho stops its processes on TERM.
"$VENV/bin/honcho" -f "$ROOT/Procfile" -d "$ROOT" start &
HONCHO_PID=$!
wait "$HONCHO_PID"
