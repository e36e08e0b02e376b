"""The manifest of a backup folder (manifest.json), for scripts/backup.sh and restore.sh.

    backup_manifest.py write FOLDER DATABASE MEDIA_ROOT   (applied migrations on stdin, "app name" per line)
    backup_manifest.py verify FOLDER                      (exit 1 with the reason when anything differs)

Standard library only: it runs before anything else is known to work.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path

FORMAT = 1
FILES = {"database": "database.dump", "media": "media.tar.gz"}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def describe(path: Path) -> dict[str, object]:
    return {"file": path.name, "size": path.stat().st_size, "sha256": sha256(path)}


def write(folder: Path, database: str, media_root: str) -> None:
    migrations: dict[str, list[str]] = {}
    for line in sys.stdin.read().splitlines():
        app, _, name = line.partition(" ")
        migrations.setdefault(app, []).append(name)
    with tarfile.open(folder / FILES["media"]) as archive:
        media_files = sum(1 for member in archive if member.isfile())
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "database": {"name": database, **describe(folder / FILES["database"])},
        "media": {"root": media_root, "files": media_files, **describe(folder / FILES["media"])},
        # The schema the dump holds: a restore into older code must wait for that code.
        "migrations": migrations,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def problems(folder: Path) -> list[str]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"manifest.json cannot be read ({error})"]
    if manifest.get("format") != FORMAT:
        return [f"manifest.json has format {manifest.get('format')!r}, this script reads {FORMAT}"]
    found = []
    for part in FILES:
        expected = manifest[part]
        path = folder / expected["file"]
        if not path.is_file():
            found.append(f"{expected['file']} is missing")
        elif path.stat().st_size != expected["size"]:
            found.append(f"{expected['file']} has {path.stat().st_size} bytes, the manifest says {expected['size']}")
        elif sha256(path) != expected["sha256"]:
            found.append(f"{expected['file']} does not match its SHA-256 in the manifest")
    return found


def main() -> None:
    command, folder = sys.argv[1], Path(sys.argv[2])
    if command == "write":
        write(folder, sys.argv[3], sys.argv[4])
    elif command == "verify":
        found = problems(folder)
        if found:
            print("; ".join(found), file=sys.stderr)
            sys.exit(1)
    else:
        sys.exit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
