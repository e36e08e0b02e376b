"""Archive attacks: extraction refuses them, writes nothing outside its folder and leaves nothing behind."""

from __future__ import annotations

import errno
import io
import os
import random
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from sandbox import ExtractionInfrastructureError, ExtractLimits, InvalidSubmission, check_archive, extract_archive


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

    with pytest.raises(InvalidSubmission, match="more than 50 files and folders"):
        extract_archive(archive, tmp_path / "out", ExtractLimits(files=50))


def test_an_oversized_archive_is_refused_before_reading(tmp_path: Path) -> None:
    archive = tmp_path / "big.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\0" * 2048)

    with pytest.raises(InvalidSubmission, match="larger than"):
        extract_archive(archive, tmp_path / "out", ExtractLimits(archive_bytes=1024))

    assert not (tmp_path / "out").exists()


HOSTILE_FOR_CHECK = [
    (lambda d: make_zip(d / "a.zip", {"../evil.txt": b"x"}), "leaves its folder"),
    (lambda d: make_tar(d / "a.tar.gz", {"/evil.txt": b"x"}), "absolute path"),
    (lambda d: make_tar(d / "a.tar.gz", {}, [link("passwd", "/etc/passwd", tarfile.SYMTYPE)]), "link"),
    (lambda d: make_zip(d / "a.zip", {"ok.txt": b"x"}, symlink=("passwd", "/etc/passwd")), "link"),
    (lambda d: d.joinpath("a.zip").write_bytes(b"PK\x03\x04broken") and d / "a.zip", "damaged"),
    (lambda d: make_zip(d / "a.zip", {"x.txt": b"1", "x.txt/y.txt": b""}), "as a file and a folder"),
    (lambda d: make_zip(d / "a.zip", {"x.txt": b"1", "./x.txt": b"2"}), "as a file and a folder"),
    (lambda d: make_zip(d / "a.zip", {"dir/": b"", "dir": b"1"}), "as a file and a folder"),
    (lambda d: make_zip(d / "a.zip", {"n" * 256: b"x"}), "too long"),
    (lambda d: make_zip(d / "a.zip", {"/".join(["d" * 200] * 6): b"x"}), "too long"),
    (lambda d: make_zip(d / "a.zip", {f"dir{i}/": b"" for i in range(60)}), "more than 50 files and folders"),
]


@pytest.mark.parametrize(("build", "message"), HOSTILE_FOR_CHECK)
def test_the_upload_check_refuses_what_extraction_refuses(build, message: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # given a hostile archive
    archive = build(tmp_path)

    # when it is checked as at upload time, from an open file and from memory
    # then both refuse it with the same message as extraction
    with archive.open("rb") as handle, pytest.raises(InvalidSubmission, match=message):
        check_archive(handle, ExtractLimits(files=50))
    with pytest.raises(InvalidSubmission, match=message):
        check_archive(io.BytesIO(archive.read_bytes()), ExtractLimits(files=50))
    with pytest.raises(InvalidSubmission, match=message):
        extract_archive(archive, tmp_path / "out", ExtractLimits(files=50))
    assert not (tmp_path / "out").exists()


# Folders count towards the entry limit


def many_empty_folders_zip(path: Path, count: int) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(count):
            archive.writestr(f"d{index}/", b"")
    return path


def many_empty_folders_tar(path: Path, count: int) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for index in range(count):
            info = tarfile.TarInfo(f"d{index}")
            info.type = tarfile.DIRTYPE
            archive.addfile(info)
    return path


@pytest.mark.parametrize("build", [many_empty_folders_zip, many_empty_folders_tar], ids=["zip", "tar"])
def test_an_archive_of_a_hundred_thousand_empty_folders_is_refused(build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # given an archive holding nothing but 100,000 empty folders (no file at all)
    archive = build(tmp_path / "folders.bin", 100_000)

    # when it is extracted or checked with the default limits
    with pytest.raises(InvalidSubmission, match=f"more than {ExtractLimits().files} files and folders"):
        extract_archive(archive, tmp_path / "out")
    with archive.open("rb") as handle, pytest.raises(InvalidSubmission, match="files and folders"):
        check_archive(handle)

    # then it is refused like 100,000 files, and no folder was left behind
    assert not (tmp_path / "out").exists()


def test_folders_implied_by_file_paths_count_too(tmp_path: Path) -> None:
    # given 30 files, each in its own folder that the archive never names: 60 entries
    archive = make_zip(tmp_path / "nested.zip", {f"d{index}/f.txt": b"x" for index in range(30)})

    # when the limit is 50 entries, it is refused; at 60 it is extracted
    with pytest.raises(InvalidSubmission, match="more than 50 files and folders"):
        extract_archive(archive, tmp_path / "out", ExtractLimits(files=50))
    extracted = extract_archive(archive, tmp_path / "out", ExtractLimits(files=60))

    assert extracted.files == 30  # files, not entries
    assert len(list((tmp_path / "out").iterdir())) == 30


# The worker's own failures are not the archive's


def mount_tmpfs(folder: Path, options: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder.mkdir(exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB file system (tmpfs): writing more than that fails with ENOSPC."""
    folder = tmp_path / "small-disk"
    mount_tmpfs(folder, "size=1m")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_is_an_infrastructure_error_and_leaves_nothing(tmp_path: Path, small_disk: Path) -> None:
    # given a valid archive unpacking to 4 MB and a disk of 1 MB
    archive = make_zip(tmp_path / "ok.zip", {"start.sh": b"true\n", "model.bin": os.urandom(4 * 1024 * 1024)})

    # when it is extracted onto that disk
    with pytest.raises(ExtractionInfrastructureError, match="ENOSPC") as caught:
        extract_archive(archive, small_disk / "out")

    # then it is the worker's error, not a damaged archive, and the half-written folder is gone
    assert not isinstance(caught.value, InvalidSubmission)
    assert "damaged" not in str(caught.value)
    assert list(small_disk.iterdir()) == []
    assert shutil.disk_usage(small_disk).used == 0
    # the same archive is fine where there is room
    assert extract_archive(archive, tmp_path / "out").files == 2


def test_a_read_only_disk_is_an_infrastructure_error(tmp_path: Path) -> None:
    # given a file system the worker may not write to
    folder = tmp_path / "read-only"
    mount_tmpfs(folder, "ro,size=1m")
    archive = make_zip(tmp_path / "ok.zip", {"start.sh": b"true\n"})
    try:
        # when the archive is extracted there
        with pytest.raises(ExtractionInfrastructureError, match="EROFS"):
            extract_archive(archive, folder / "out")
    finally:
        subprocess.run(["umount", str(folder)], check=True)


EMFILE_CHILD = """
import errno, os, resource, sys
from pathlib import Path
from sandbox.extract import ExtractionInfrastructureError, InvalidSubmission, extract_archive

archive, target, spare = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
held = []
try:
    while True:
        held.append(os.open(os.devnull, os.O_RDONLY))
except OSError as error:
    assert error.errno == errno.EMFILE
for descriptor in held[:spare]:
    os.close(descriptor)
try:
    extract_archive(archive, target)
except ExtractionInfrastructureError as error:
    print("infrastructure:", error)
except InvalidSubmission as error:
    print("invalid:", error)
else:
    print("extracted")
"""


@pytest.mark.parametrize(("spare", "where"), [(0, "opening the archive"), (1, "creating a file")])
def test_too_many_open_files_is_an_infrastructure_error(tmp_path: Path, spare: int, where: str) -> None:
    # given a process whose file table is full but for `spare` descriptors (a real
    # RLIMIT_NOFILE): none left to open the archive, or one, and none for its files
    archive = make_zip(tmp_path / "ok.zip", {"start.sh": b"true\n", "app.py": b"print(1)\n"})

    # when it extracts a valid archive
    child = subprocess.run(
        [sys.executable, "-c", EMFILE_CHILD, str(archive), str(tmp_path / "out"), str(spare)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )

    # then it is the worker's error (EMFILE), never "the archive is damaged"
    assert child.stdout.startswith("infrastructure:"), (where, child.stdout, child.stderr)
    assert "EMFILE" in child.stdout
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_missing_archive_is_an_infrastructure_error(tmp_path: Path) -> None:
    # the stored upload is gone (a volume not mounted): not the candidate's fault
    with pytest.raises(ExtractionInfrastructureError, match="ENOENT"):
        extract_archive(tmp_path / "gone.zip", tmp_path / "out")

    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EACCES])
def test_an_os_error_while_writing_is_an_infrastructure_error(tmp_path: Path, code: int) -> None:
    # given a valid archive, and the OS failing the write (a unit test of the error path)
    archive = make_tar(tmp_path / "ok.tar.gz", {"app/start.sh": b"true\n", "app/app.py": b"print(1)\n"})

    with (
        mock.patch("sandbox.extract.os.write", side_effect=OSError(code, os.strerror(code))),
        pytest.raises(ExtractionInfrastructureError, match=errno.errorcode[code]),
    ):
        extract_archive(archive, tmp_path / "out")

    assert not (tmp_path / "out").exists()


def test_damaged_archives_are_never_taken_for_infrastructure_errors(tmp_path: Path) -> None:
    # given 600 corrupted variants (bytes flipped, cut short, spliced) of a zip and a tar.gz
    rng = random.Random(20240611)  # noqa: S311 - reproducible corruption, not a secret
    archives = [
        make_zip(tmp_path / "base.zip", {f"d{i}/f.txt": f"hello {i} ".encode() * 100 for i in range(5)}).read_bytes(),
        make_tar(tmp_path / "base.tgz", {f"d{i}/f.txt": f"hello {i} ".encode() * 100 for i in range(5)}).read_bytes(),
    ]
    outcomes: list[str] = []
    for base in archives:
        for _ in range(300):
            data = bytearray(base)
            position = rng.randrange(len(data))
            kind = rng.choice(["flip", "cut", "splice"])
            if kind == "flip":
                data[position] ^= rng.randrange(1, 256)
            elif kind == "cut":
                data = data[: max(4, position)]
            else:
                data[position : position + rng.randint(1, 40)] = rng.randbytes(rng.randint(0, 40))
            path = tmp_path / "variant.bin"
            path.write_bytes(bytes(data))
            # when each is checked from memory and extracted from disk
            for attempt in (check_archive, extract_archive):
                try:
                    if attempt is check_archive:
                        check_archive(io.BytesIO(bytes(data)))
                    else:
                        extract_archive(path, tmp_path / "out")
                    outcomes.append("accepted")
                except InvalidSubmission:
                    outcomes.append("refused")
                shutil.rmtree(tmp_path / "out", ignore_errors=True)

    # then each is refused as the archive's fault or accepted; nothing else escapes
    assert outcomes.count("refused") > 1000
