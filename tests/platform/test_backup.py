"""scripts/backup.sh and scripts/restore.sh on the test database: a backup restored
into a new database and media folder is the same, row for row and byte for byte;
a damaged backup or a database in use is refused and the target stays as it was."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from assessments.candidates.services import candidate_upload_resume
from assessments.questionbank.models import Question
from assessments.takehome.models import Submission
from assessments.takehome.services import assignment_issue
from tests.conftest import ROOT
from tests.factories import CandidateFactory
from tests.takehome.conftest import zip_folder

REFERENCES = ROOT / "fixtures" / "takehome" / "reference-solutions"


def run_script(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / name), *map(str, args)], cwd=ROOT, capture_output=True, text=True, check=False
    )


def connect(database: str) -> psycopg.Connection[Any]:
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"], port=params["PORT"], user=params["USER"], password=params["PASSWORD"], dbname=database
    )


def drop_database(name: str) -> None:
    with connect("postgres") as admin:
        admin.autocommit = True
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_fingerprints(database: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and an MD5 of its rows in a stable order."""
    with connect(database) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {
            table: db.execute(
                sql.SQL(
                    "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {} t"
                ).format(sql.Identifier(table))
            ).fetchone()
            for table in tables
        }


def file_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def backup(tmp_path: Path) -> Path:
    done = run_script(
        "backup.sh", "--database", connection.settings_dict["NAME"], "--media", settings.MEDIA_ROOT,
        "--into", tmp_path / "backups",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def other_database() -> Iterator[str]:
    """A database name of this test run's own, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    drop_database(name)
    yield name
    drop_database(name)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_new_database_is_identical(  # type: ignore[no-untyped-def]
    evaluated, recruiter, rag_task, tmp_path: Path, other_database: str
) -> None:
    # given: the question bank, an evaluated candidate (screening, graded take-home, submitted
    # scorecards), a candidate with a resume file and a take-home submission with its archive
    if not Question.objects.exists():
        call_command("load_question_bank", verbosity=0)
    candidate = CandidateFactory(owner=recruiter)
    resume = SimpleUploadedFile("cv.txt", b"Python, PyTorch, RAG pipelines", content_type="text/plain")
    candidate_upload_resume(actor=recruiter, candidate=candidate, upload=resume)
    assignment, _ = assignment_issue(actor=recruiter, task=rag_task, candidate=candidate, time_mode="window")
    archive = zip_folder(REFERENCES / "keyword")
    Submission.objects.create(
        assignment=assignment, number=1, archive=ContentFile(archive, name="keyword.zip"), archive_name="keyword.zip",
        archive_size=len(archive), sha256=hashlib.sha256(archive).hexdigest(),
    )  # fmt: skip
    source = connection.settings_dict["NAME"]
    media = Path(settings.MEDIA_ROOT)
    restored_media = tmp_path / "restored" / "media"

    # when
    folder = backup(tmp_path)
    restored = run_script("restore.sh", folder, "--database", other_database, "--media", restored_media)

    # then
    assert restored.returncode == 0, restored.stderr
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["name"] == source
    assert manifest["media"]["files"] == len(file_hashes(media))
    assert "0001_initial" in manifest["migrations"]["takehome"]
    original = table_fingerprints(source)
    assert original["candidates_candidate"][0] == 2
    assert original["interviews_scorecard"][0] == 2
    assert original["questionbank_question"][0] > 0
    assert table_fingerprints(other_database) == original
    hashes = file_hashes(media)
    assert any(name.startswith("resumes/") for name in hashes)
    assert any(name.startswith("takehome/submissions/") for name in hashes)
    assert file_hashes(restored_media) == hashes
    assert sorted(path.name for path in restored_media.parent.iterdir()) == ["media"]  # nothing left beside it


def truncate_dump(folder: Path, keep: float = 0.5) -> None:
    dump = folder / "database.dump"
    dump.write_bytes(dump.read_bytes()[: int(dump.stat().st_size * keep)])


def wrong_hash_in_manifest(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["media"]["sha256"] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest))


def truncate_dump_and_its_manifest(folder: Path) -> None:
    """Damaged before the manifest was written, and only at the end: its table of contents
    still reads, so the restore itself fails half-way (into the staging database)."""
    truncate_dump(folder, keep=0.99)
    manifest = json.loads((folder / "manifest.json").read_text())
    dump = folder / "database.dump"
    manifest["database"].update(size=dump.stat().st_size, sha256=hashlib.sha256(dump.read_bytes()).hexdigest())
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (truncate_dump, "database.dump has"),
        (wrong_hash_in_manifest, "media.tar.gz does not match its SHA-256 in the manifest"),
        (truncate_dump_and_its_manifest, "pg_restore failed; "),
    ],
)
@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_and_the_target_stays_untouched(  # type: ignore[no-untyped-def]
    damage, message: str, tmp_path: Path, other_database: str
) -> None:
    # given: a target database and media folder with content of their own, and a damaged backup
    with connect("postgres") as admin:
        admin.autocommit = True
        admin.execute(f'CREATE DATABASE "{other_database}"')
    with connect(other_database) as target:
        target.execute("CREATE TABLE marker (note text)")
        target.execute("INSERT INTO marker VALUES ('before the restore')")
    target_media = tmp_path / "target" / "media"
    target_media.mkdir(parents=True)
    (target_media / "kept.txt").write_text("before the restore")
    folder = backup(tmp_path)
    damage(folder)

    # when
    restored = run_script("restore.sh", folder, "--database", other_database, "--media", target_media)

    # then
    assert restored.returncode != 0
    assert message in restored.stderr
    with connect(other_database) as target:
        assert target.execute("SELECT note FROM marker").fetchall() == [("before the restore",)]
    assert file_hashes(target_media.parent) == {"media/kept.txt": hashlib.sha256(b"before the restore").hexdigest()}
    with connect("postgres") as admin:
        staging = admin.execute("SELECT datname FROM pg_database WHERE datname LIKE '%restoring'").fetchall()
    assert staging == []


@pytest.mark.django_db(transaction=True)
def test_restoring_over_a_database_in_use_is_refused_without_force(tmp_path: Path) -> None:
    # given: this test's own connection to its database (as the platform's processes would hold)
    folder = backup(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    media = tmp_path / "media-in-use"
    shutil.copytree(settings.MEDIA_ROOT, media) if Path(settings.MEDIA_ROOT).exists() else media.mkdir()
    (media / "kept.txt").write_text("in use")

    # when
    restored = run_script("restore.sh", folder, "--database", connection.settings_dict["NAME"], "--media", media)

    # then
    assert restored.returncode != 0
    assert f"connection(s) to database {connection.settings_dict['NAME']}" in restored.stderr
    assert "--force" in restored.stderr
    assert (media / "kept.txt").read_text() == "in use"
