#!/usr/bin/env bash
# `make restore BACKUP=backups/<time>`: put a backup of scripts/backup.sh back.
#   scripts/restore.sh FOLDER [--database NAME] [--media DIR] [--force]
# Defaults: the platform's database and MEDIA_ROOT from .local/env.
#
# Nothing is touched until everything is ready: the manifest's sizes and SHA-256
# are checked and pg_restore must read the dump; the dump goes into a new
# database and the files into a folder beside the target; only then is the old
# database dropped and the new one renamed to its name, and the old folder moved
# aside and the new one renamed into place (two renames, a moment apart).
#
# While the platform runs it refuses (--force overrides): anything connected to
# the target database (web, workers and beat hold connections) or, when the
# target is the platform's own database, an answer on WEB_PORT's /healthz.
. "$(dirname "$0")/lib.sh"

load_env
use_database_url
own_database="$PGDATABASE"
database="$own_database"
media="$MEDIA_ROOT"
force=""
backup=""
while [ $# -gt 0 ]; do
  case "$1" in
    --database) database="$2"; shift 2 ;;
    --media) media="$2"; shift 2 ;;
    --force) force=1; shift ;;
    -*) die "unknown option $1" ;;
    *) backup="$1"; shift ;;
  esac
done
[ -n "$backup" ] || die "usage: $0 FOLDER [--database NAME] [--media DIR] [--force]"
[ -d "$backup" ] || die "no backup folder $backup"
media="${media%/}"

say "checking $backup"
damage="$("$PY" "$ROOT/scripts/backup_manifest.py" verify "$backup" 2>&1)" \
  || die "the backup is damaged, nothing was restored: $damage"
"$PG_BIN/pg_restore" --list "$backup/database.dump" >/dev/null 2>&1 \
  || die "the backup is damaged, nothing was restored: pg_restore cannot read database.dump"
"$PG_BIN/pg_isready" -q || die "PostgreSQL does not answer on $PGHOST:$PGPORT: run scripts/services.sh up"

sql() { PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -At -v ON_ERROR_STOP=1 --dbname=postgres "$@"; }
quoted() { printf '"%s"' "${1//\"/\"\"}"; }

connections="$(sql -v name="$database" <<'SQL'
SELECT count(*) FROM pg_stat_activity WHERE datname = :'name' AND pid <> pg_backend_pid();
SQL
)"
web_answers=""
if [ "$database" = "$own_database" ] && "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "http://127.0.0.1:$WEB_PORT/healthz" >/dev/null 2>&1; then
  web_answers=1
fi
if [ "$connections" != 0 ] || [ -n "$web_answers" ]; then
  reason="$connections connection(s) to database $database"
  [ -n "$web_answers" ] && reason="$reason, and the web server answers on port $WEB_PORT"
  [ -n "$force" ] || die "the platform looks running ($reason): stop it first (Ctrl-C in make run), or pass --force (make restore ... FORCE=1) to cut it off"
  say "going on despite: $reason (--force)"
fi

# Both copies are prepared beside their targets; the trap removes whatever is left on failure.
staging="${database:0:50}_restoring"
media_new="$(dirname "$media")/.$(basename "$media").restoring"
media_old="$(dirname "$media")/.$(basename "$media").replaced"
cleanup() {
  sql -c "DROP DATABASE IF EXISTS $(quoted "$staging") WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$media_new"
}
trap cleanup EXIT

say "restoring the database into $staging"
sql -c "DROP DATABASE IF EXISTS $(quoted "$staging") WITH (FORCE)" >/dev/null
sql -c "CREATE DATABASE $(quoted "$staging")" >/dev/null
"$PG_BIN/pg_restore" --dbname="$staging" --no-owner --no-privileges --exit-on-error --single-transaction \
  "$backup/database.dump" || die "pg_restore failed; $database and $media are unchanged"

say "unpacking the uploaded files beside $media"
rm -rf "$media_new" "$media_old"
mkdir -p "$media_new"
tar -C "$media_new" -xzf "$backup/media.tar.gz" || die "tar failed; $database and $media are unchanged"

say "swapping in the restored database and files"
drop_mode=""
[ -n "$force" ] && drop_mode=" WITH (FORCE)"
sql -c "DROP DATABASE IF EXISTS $(quoted "$database")$drop_mode" >/dev/null \
  || die "could not drop $database (something connected meanwhile?); it is unchanged"
sql -c "ALTER DATABASE $(quoted "$staging") RENAME TO $(quoted "$database")" >/dev/null
if [ -e "$media" ]; then
  mv "$media" "$media_old"
fi
mv "$media_new" "$media"
rm -rf "$media_old"
trap - EXIT

say "restored $backup into database $database and $media"
say "the backup's schema: $("$PY" -c 'import json, sys; m = json.load(open(sys.argv[1]))["migrations"]; print(sum(map(len, m.values())), "migrations of", len(m), "apps")' "$backup/manifest.json"); make run migrates to this code's schema"
