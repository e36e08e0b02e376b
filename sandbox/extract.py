"""Extract a submission archive (.zip or .tar.gz) into a fresh folder, safely.

Never follows a path the submission controls: absolute paths, `..`, links of
any kind, devices and other special files are refused; bytes and files are
counted while extracting (not the sizes the archive declares), so a zip bomb
stops at the cap. Any refusal removes what was written and raises
`InvalidSubmission` with a message for the candidate. `check_archive` runs the
same checks on an upload without writing anything (reading every member through).
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from .limits import ExtractLimits

CHUNK = 64 * 1024


class InvalidSubmission(Exception):
    """The archive is not acceptable; the message is meant for the candidate."""


@dataclass(frozen=True)
class Extracted:
    root: Path
    files: int
    bytes: int


@dataclass(frozen=True)
class _Member:
    name: str
    is_dir: bool
    open: object  # a zero-argument callable returning a binary stream


def _safe_relative(name: str) -> PurePosixPath:
    if "\\" in name or "\x00" in name:
        raise InvalidSubmission(f"the archive holds a file name that is not allowed: {name[:100]!r}")
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and ":" in path.parts[0]):
        raise InvalidSubmission(f"the archive holds an absolute path: {name[:100]!r}")
    if any(part == ".." for part in path.parts):
        raise InvalidSubmission(f"the archive holds a path that leaves its folder: {name[:100]!r}")
    parts = [part for part in path.parts if part not in ("", ".")]
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


def _zip_members(archive: zipfile.ZipFile) -> Iterator[_Member]:
    for info in archive.infolist():
        # Unix file type bits, when the archiver set them (many leave them empty for plain files).
        file_type = stat.S_IFMT(info.external_attr >> 16)
        if file_type and file_type not in (stat.S_IFREG, stat.S_IFDIR):
            raise InvalidSubmission(f"the archive holds a link or special file: {info.filename[:100]!r}")
        yield _Member(info.filename, info.is_dir(), lambda info=info: archive.open(info))


def _tar_members(archive: tarfile.TarFile) -> Iterator[_Member]:
    for info in archive:
        if info.issym() or info.islnk():
            raise InvalidSubmission(f"the archive holds a link, which is not allowed: {info.name[:100]!r}")
        if not (info.isreg() or info.isdir()):
            raise InvalidSubmission(f"the archive holds a special file: {info.name[:100]!r}")
        yield _Member(info.name, info.isdir(), lambda info=info: archive.extractfile(info))


@contextmanager
def _members(source: Path | IO[bytes]) -> Iterator[Iterator[_Member]]:
    handle = source.open("rb") if isinstance(source, Path) else source
    try:
        handle.seek(0)
        magic = handle.read(4)
        handle.seek(0)
        if magic.startswith(b"PK\x03\x04") or magic.startswith(b"PK\x05\x06"):
            with zipfile.ZipFile(handle) as archive:
                yield _zip_members(archive)
        elif magic.startswith(b"\x1f\x8b"):
            with tarfile.open(fileobj=handle, mode="r:gz") as archive:
                yield _tar_members(archive)
                # tarfile stops at the end-of-archive blocks: read the gzip stream to its
                # end too, so that a file cut short (checksum, length) is not taken as whole.
                while archive.fileobj is not None and archive.fileobj.read(CHUNK):
                    pass
        else:
            raise InvalidSubmission("the file is neither a .zip nor a .tar.gz archive")
    # zlib.error: a damaged compressed stream, met while a member is read.
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, zlib.error) as error:
        if isinstance(error, InvalidSubmission):
            raise
        raise InvalidSubmission(f"the archive is damaged or truncated ({type(error).__name__})") from None
    finally:
        if isinstance(source, Path):
            handle.close()


def _copy(source: IO[bytes], target: Path, budget: int) -> int:
    """Copy at most `budget` bytes; raise when the member holds more."""
    written = 0
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(descriptor, "wb") as output:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > budget:
                raise InvalidSubmission("the archive unpacks to more than the allowed size")
            output.write(chunk)
    return written


def _write_member(member: _Member, path: Path, budget: int) -> int:
    if member.is_dir:
        path.mkdir(mode=0o755, parents=True, exist_ok=True)
        return 0
    path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    stream = member.open()  # type: ignore[operator]
    if stream is None:
        raise InvalidSubmission(f"cannot read {member.name[:100]!r} from the archive")
    with stream:
        return _copy(stream, path, budget)


def _count_member(member: _Member, budget: int) -> int:
    """Read a member through without keeping it; raise when it holds more than `budget` bytes."""
    if member.is_dir:
        return 0
    stream = member.open()  # type: ignore[operator]
    if stream is None:
        raise InvalidSubmission(f"cannot read {member.name[:100]!r} from the archive")
    read = 0
    with stream:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > budget:
                raise InvalidSubmission("the archive unpacks to more than the allowed size")
    return read


def _walk(
    source: Path | IO[bytes], limits: ExtractLimits, take: Callable[[_Member, PurePosixPath, int], int]
) -> tuple[int, int]:
    """Check every member's name, depth and count, and `take` it with the bytes left
    in the budget; returns (files, bytes)."""
    files = total = 0
    with _members(source) as members:
        for member in members:
            relative = _safe_relative(member.name)
            if len(relative.parts) > limits.depth:
                raise InvalidSubmission("the archive's folders are nested too deeply")
            if not member.is_dir:
                files += 1
                if files > limits.files:
                    raise InvalidSubmission(f"the archive holds more than {limits.files} files")
            total += take(member, relative, limits.total_bytes - total)
    return files, total


def check_archive(source: IO[bytes], limits: ExtractLimits | None = None) -> tuple[int, int]:
    """Every check of `extract_archive` on an open archive, writing nothing; returns (files, bytes)."""
    return _walk(source, limits or ExtractLimits(), lambda member, _relative, budget: _count_member(member, budget))


def extract_archive(archive: Path, target: Path, limits: ExtractLimits | None = None) -> Extracted:
    """Extract `archive` into `target` (which must not exist). All or nothing."""
    limits = limits or ExtractLimits()
    if archive.stat().st_size > limits.archive_bytes:
        raise InvalidSubmission(f"the archive is larger than {limits.archive_bytes // (1024 * 1024)} MB")
    target.mkdir(mode=0o755, parents=False)

    def write(member: _Member, relative: PurePosixPath, budget: int) -> int:
        try:
            return _write_member(member, target.joinpath(*relative.parts), budget)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            raise InvalidSubmission(
                f"the archive holds a path twice, as a file and a folder: {member.name[:100]!r}"
            ) from None

    try:
        files, total = _walk(archive, limits, write)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return Extracted(root=target, files=files, bytes=total)
