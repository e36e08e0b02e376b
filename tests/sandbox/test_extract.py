"""Archive attacks: extraction refuses them, writes nothing outside its folder and leaves nothing behind."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from sandbox import ExtractLimits, InvalidSubmission, extract_archive


def make_zip(path: Path, entries: dict[str, bytes], symlink: tuple[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink[0])
            info.external_attr = 0o120777 << 16
            archive.writestr(info, symlink[1])
    return path


def make_tar(path: Path, entries: dict[str, bytes], links: list[tarfile.TarInfo] = ()) -> Path:  # type: ignore[assignment]
    with tarfile.open(path, "w:gz") as archive:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for link in links:
            archive.addfile(link)
    return path


def link(name: str, target: str, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


def test_a_well_formed_archive_is_extracted(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "ok.tar.gz", {"app/start.sh": b"#!/bin/sh\n", "app/REPORT.md": "# Отчёт".encode()})

    extracted = extract_archive(archive, tmp_path / "out")

    assert (extracted.files, extracted.bytes) == (2, len(b"#!/bin/sh\n") + len("# Отчёт".encode()))
    assert (tmp_path / "out" / "app" / "REPORT.md").read_text() == "# Отчёт"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda d: make_zip(d / "a.zip", {"../evil.txt": b"x"}), "leaves its folder"),
        (lambda d: make_tar(d / "a.tar.gz", {"app/../../evil.txt": b"x"}), "leaves its folder"),
        (lambda d: make_zip(d / "a.zip", {"/tmp/evil.txt": b"x"}), "absolute path"),  # noqa: S108
        (lambda d: make_tar(d / "a.tar.gz", {"/evil.txt": b"x"}), "absolute path"),
        (lambda d: make_tar(d / "a.tar.gz", {}, [link("passwd", "/etc/passwd", tarfile.SYMTYPE)]), "link"),
        (lambda d: make_tar(d / "a.tar.gz", {}, [link("hard", "/etc/passwd", tarfile.LNKTYPE)]), "link"),
        (lambda d: make_zip(d / "a.zip", {"ok.txt": b"x"}, symlink=("passwd", "/etc/passwd")), "link"),
        (lambda d: make_tar(d / "a.tar.gz", {}, [link("fifo", "", tarfile.FIFOTYPE)]), "special file"),
        (lambda d: make_zip(d / "a.zip", {"a\\..\\evil.txt": b"x"}), "not allowed"),
        (lambda d: d.joinpath("a.zip").write_bytes(b"PK\x03\x04broken") and d / "a.zip", "damaged"),
        (lambda d: d.joinpath("a.rar").write_bytes(b"Rar!\x1a\x07") and d / "a.rar", "neither"),
        (lambda d: make_zip(d / "a.zip", {"x.txt": b"1", "x.txt/y.txt": b""}), "as a file and a folder"),
        (lambda d: make_zip(d / "a.zip", {"x.txt": b"1", "./x.txt": b"2"}), "as a file and a folder"),
    ],
    ids=[
        "zip-traversal",
        "tar-traversal",
        "zip-absolute",
        "tar-absolute",
        "symlink",
        "hardlink",
        "zip-symlink",
        "fifo",
        "backslash",
        "damaged",
        "not-an-archive",
        "file-and-folder",
        "same-file-twice",
    ],
)
def test_hostile_archives_are_refused_and_leave_nothing(build, message: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "archives"
    source.mkdir()
    archive = build(source)

    with pytest.raises(InvalidSubmission) as error:
        extract_archive(archive, tmp_path / "out")

    assert message in str(error.value)
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "evil.txt").exists()
    assert not Path("/tmp/evil.txt").exists()  # noqa: S108
    assert not Path("/evil.txt").exists()


def test_a_zip_bomb_stops_at_the_real_byte_cap(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "bomb.zip", {"zeros.bin": b"\0" * (50 * 1024 * 1024)})
    assert archive.stat().st_size < 200 * 1024  # tiny on disk, 50 MB inside

    with pytest.raises(InvalidSubmission, match="more than the allowed size"):
        extract_archive(archive, tmp_path / "out", ExtractLimits(total_bytes=10 * 1024 * 1024))

    assert not (tmp_path / "out").exists()


def test_too_many_files_are_refused(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "many.tar.gz", {f"f{i}.txt": b"x" for i in range(60)})

    with pytest.raises(InvalidSubmission, match="more than 50 files"):
        extract_archive(archive, tmp_path / "out", ExtractLimits(files=50))


def test_an_oversized_archive_is_refused_before_reading(tmp_path: Path) -> None:
    archive = tmp_path / "big.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\0" * 2048)

    with pytest.raises(InvalidSubmission, match="larger than"):
        extract_archive(archive, tmp_path / "out", ExtractLimits(archive_bytes=1024))

    assert not (tmp_path / "out").exists()
