#!/usr/bin/env bash
# `make backup`: the database (pg_dump, custom format) and an archive of the
# uploaded files (MEDIA_ROOT) into backups/<UTC time>/, with manifest.json
# (sizes, SHA-256, the applied migrations). Safe while the platform runs:
# pg_dump reads one consistent snapshot; the files are archived right after it,
# so a file uploaded in between is an extra file nothing points at, never a missing one.
#   scripts/backup.sh [--database NAME] [--media DIR] [--into FOLDER]
# Defaults: the platform's database and MEDIA_ROOT from .local/env, into backups/.
. "$(dirname "$0")/lib.sh"

load_env
use_database_url
database="$PGDATABASE"
media="$MEDIA_ROOT"
into="$ROOT/backups"
while [ $# -gt 0 ]; do
  case "$1" in
    --database) database="$2"; shift 2 ;;
    --media) media="$2"; shift 2 ;;
    --into) into="$2"; shift 2 ;;
    *) die "usage: $0 [--database NAME] [--media DIR] [--into FOLDER]" ;;
  esac
done

"$PG_BIN/pg_isready" -q || die "PostgreSQL does not answer on $PGHOST:$PGPORT: run scripts/services.sh up"

target="$into/$(date -u +%Y%m%dT%H%M%SZ)"
[ -e "$target" ] && die "$target exists already; wait a second and run again"
# Written aside and renamed at the end: a folder without .partial is a complete backup.
partial="$target.partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT

say "dumping database $database"
"$PG_BIN/pg_dump" --format=custom --dbname="$database" --file="$partial/database.dump"

say "archiving the uploaded files in $media"
if [ -d "$media" ]; then
  # Exit status 1 means a file changed while it was read (an upload in progress): still a valid archive.
  tar -C "$media" -czf "$partial/media.tar.gz" . || [ $? -eq 1 ] || die "tar could not archive $media"
else
  say "no folder $media: the archive is empty"
  tar -czf "$partial/media.tar.gz" -T /dev/null
fi

"$PG_BIN/psql" -X -At -F ' ' -v ON_ERROR_STOP=1 --dbname="$database" \
  -c "SELECT app, name FROM django_migrations ORDER BY id" \
  | "$PY" "$ROOT/scripts/backup_manifest.py" write "$partial" "$database" "$media"

mv "$partial" "$target"
trap - EXIT
say "backup written: ${target#"$ROOT"/} ($(du -sh "$target" | cut -f1))"
echo "$target"
