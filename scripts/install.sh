#!/usr/bin/env bash
# Install what the platform needs on a Debian 12 machine, as root, idempotently:
# system packages (only the missing ones), the virtualenv with the pinned
# dependencies (only when the lock file changed), translations and static files.
#   scripts/install.sh          what `make run` needs
#   scripts/install.sh --test   plus what `make test` needs (chromium, docker-compose)
. "$(dirname "$0")/lib.sh"

packages=(postgresql redis-server docker.io debootstrap gettext libmagic1 python3-venv fonts-dejavu-core)
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium docker-compose)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "system packages missing (${missing[*]}); run as root or install them"
  say "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's packages start their system services; ours are project-local, so stop those.
  for service in postgresql redis-server; do
    if printf '%s\n' "${missing[@]}" | grep -qx "$service"; then
      service "$service" stop >/dev/null 2>&1 || true
    fi
  done
fi

python_bin="$(command -v python3.11 || command -v python3)"
"$python_bin" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
  || die "Python 3.11 is required (found $("$python_bin" --version))"

lock_hash="$(sha256sum "$ROOT/requirements.lock" | cut -c1-16)"
if [ ! -x "$PY" ] || [ "$(cat "$VENV/.lock-hash" 2>/dev/null)" != "$lock_hash" ]; then
  say "installing Python dependencies into .venv"
  [ -x "$PY" ] || "$python_bin" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements.lock"
  echo "$lock_hash" > "$VENV/.lock-hash"
fi

mkdir -p "$LOCAL"
say "compiling translations and collecting static files"
(cd "$ROOT" && DJANGO_SETTINGS_MODULE=hiring_platform.settings.local "$PY" manage.py compilemessages -v 0 --ignore=.venv)
(cd "$ROOT" && STATIC_ROOT="$LOCAL/static" DJANGO_SETTINGS_MODULE=hiring_platform.settings.local \
  "$PY" manage.py collectstatic --noinput -v 0)
