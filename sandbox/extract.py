"""Extract a submission archive (.zip or .tar.gz) into a fresh folder, safely.

Never follows a path the submission controls: absolute paths, `..`, links of
any kind, devices and other special files are refused; bytes and files are
counted while extracting (not the sizes the archive declares), so a zip bomb
stops at the cap; folders count towards the entry limit like files (an archive
of empty folders costs inodes all the same). Any refusal removes what was
written and raises `InvalidSubmission` with a message for the candidate.
`check_archive` runs the same checks on an upload without writing anything
(reading every member through).

An error of the worker's own system (disk full, too many open files, a
permission or I/O error) is not the archive's fault: it removes what was written
too but raises `ExtractionInfrastructureError`, which the caller retries.
"""

from __future__ import annotations

import errno
import lzma
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
NAME_MAX_BYTES = 255  # one path component, as Linux file systems allow
PATH_MAX_BYTES = 1024  # a whole path inside the archive, far below PATH_MAX with the target in front
ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
# Errors of the worker's own system while reading the archive, not of the archive.
SYSTEM_ERRNOS = frozenset(
    {
        errno.EMFILE,
        errno.ENFILE,
        errno.ENOMEM,
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EIO,
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.ENOENT,
        errno.ESTALE,
        errno.EAGAIN,
        errno.EINTR,
        errno.EBUSY,
    }
)


class InvalidSubmission(Exception):
    """The archive is not acceptable; the message is meant for the candidate."""


class ExtractionInfrastructureError(Exception):
    """The worker could not read or write the files (disk full, too many open files,
    permissions, I/O): the archive may be fine; try again later, never blame the candidate."""

    @classmethod
    def from_os_error(cls, error: OSError) -> ExtractionInfrastructureError:
        code = errno.errorcode.get(error.errno or 0, "no errno")
        return cls(f"the worker could not unpack the archive ({code}: {error.strerror or error})")


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
    # Refused here rather than met as ENAMETOOLONG while writing, which is an OS error
    # the candidate caused (and check_archive, which writes nothing, would never meet).
    encoded = [os.fsencode(part) for part in path.parts]
    if any(len(part) > NAME_MAX_BYTES for part in encoded) or sum(len(part) + 1 for part in encoded) > PATH_MAX_BYTES:
        raise InvalidSubmission(f"the archive holds a file name that is too long: {name[:100]!r}")
    parts = [part for part in path.parts if part not in ("", ".")]
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


def _zip_members(archive: zipfile.ZipFile) -> Iterator[_Member]:
    for info in archive.infolist():
        # Unix file type bits, when the archiver set them (many leave them empty for plain files).
        file_type = stat.S_IFMT(info.external_attr >> 16)
        if file_type and file_type not in (stat.S_IFREG, stat.S_IFDIR):
            raise InvalidSubmission(f"the archive holds a link or special file: {info.filename[:100]!r}")
        # Refused by name here: zipfile would raise RuntimeError / NotImplementedError for them.
        if info.flag_bits & 0x1:
            raise InvalidSubmission(f"the archive holds an encrypted file: {info.filename[:100]!r}")
        if info.compress_type not in ZIP_METHODS:
            raise InvalidSubmission(f"the archive uses an unknown compression method: {info.filename[:100]!r}")
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
    try:
        handle = source.open("rb") if isinstance(source, Path) else source
    except OSError as error:
        raise ExtractionInfrastructureError.from_os_error(error) from error
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
    # Errors of reading the archive (writing errors are converted where they happen, in
    # `_worker_side`). An OSError of the worker's system is not the archive's fault;
    # others are the parser's: a seek to a negative offset (EINVAL, or ValueError on
    # an in-memory upload), a decoder's complaint (gzip.BadGzipFile, bz2: no errno).
    except OSError as error:
        if error.errno in SYSTEM_ERRNOS:
            raise ExtractionInfrastructureError.from_os_error(error) from error
        raise InvalidSubmission(f"the archive is damaged or truncated ({type(error).__name__})") from None
    # zlib.error, lzma.LZMAError: a damaged compressed stream, met while a member is read.
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, ValueError, zlib.error, lzma.LZMAError) as error:
        raise InvalidSubmission(f"the archive is damaged or truncated ({type(error).__name__})") from None
    except NotImplementedError as error:  # zipfile: a feature it cannot read (strong encryption, patches)
        raise InvalidSubmission(f"the archive uses a zip feature that cannot be read: {str(error)[:100]}") from None
    finally:
        if isinstance(source, Path):
            handle.close()


@contextmanager
def _worker_side() -> Iterator[None]:
    """Creating folders and files and writing them: an OSError here is the worker's
    (disk full, too many open files, permissions), except the path clashes the
    archive causes (a name as both file and folder, or twice), which pass through."""
    try:
        yield
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        raise
    except OSError as error:
        raise ExtractionInfrastructureError.from_os_error(error) from error


def _write_all(descriptor: int, chunk: bytes) -> None:
    view = memoryview(chunk)
    while view:
        view = view[os.write(descriptor, view) :]


def _copy(source: IO[bytes], target: Path, budget: int) -> int:
    """Copy at most `budget` bytes; raise when the member holds more."""
    written = 0
    with _worker_side():
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    try:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > budget:
                raise InvalidSubmission("the archive unpacks to more than the allowed size")
            with _worker_side():
                _write_all(descriptor, chunk)  # unbuffered: a full disk is met here, not at close
    finally:
        os.close(descriptor)
    return written


def _write_member(member: _Member, path: Path, budget: int) -> int:
    with _worker_side():
        (path if member.is_dir else path.parent).mkdir(mode=0o755, parents=True, exist_ok=True)
    if member.is_dir:
        return 0
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
    in the budget; returns (files, bytes).

    Every file and every folder counts towards `limits.files`, folders named by
    the archive or implied by a file's path alike, each once. A path held twice,
    or as a file and a folder, is refused here too, so that `check_archive` meets it."""
    total = 0
    files: set[PurePosixPath] = set()
    folders: set[PurePosixPath] = set()
    with _members(source) as members:
        for member in members:
            relative = _safe_relative(member.name)
            if len(relative.parts) > limits.depth:
                raise InvalidSubmission("the archive's folders are nested too deeply")
            own_folders = relative.parts if member.is_dir else relative.parts[:-1]
            new_folders = {PurePosixPath(*own_folders[: depth + 1]) for depth in range(len(own_folders))}
            if new_folders & files or (not member.is_dir and (relative in files or relative in folders)):
                raise InvalidSubmission(
                    f"the archive holds a path twice, as a file and a folder: {member.name[:100]!r}"
                )
            folders |= new_folders
            if not member.is_dir:
                files.add(relative)
            if len(files) + len(folders) > limits.files:
                raise InvalidSubmission(f"the archive holds more than {limits.files} files and folders")
            total += take(member, relative, limits.total_bytes - total)
    return len(files), total


def check_archive(source: IO[bytes], limits: ExtractLimits | None = None) -> tuple[int, int]:
    """Every check of `extract_archive` on an open archive, writing nothing; returns (files, bytes)."""
    return _walk(source, limits or ExtractLimits(), lambda member, _relative, budget: _count_member(member, budget))


def extract_archive(archive: Path, target: Path, limits: ExtractLimits | None = None) -> Extracted:
    """Extract `archive` into `target` (which must not exist). All or nothing.

    Raises InvalidSubmission for the archive's faults, ExtractionInfrastructureError
    for the worker's (then too nothing is left in `target`)."""
    limits = limits or ExtractLimits()
    try:
        size = archive.stat().st_size
    except OSError as error:
        raise ExtractionInfrastructureError.from_os_error(error) from error
    if size > limits.archive_bytes:
        raise InvalidSubmission(f"the archive is larger than {limits.archive_bytes // (1024 * 1024)} MB")
    try:
        target.mkdir(mode=0o755, parents=False)
    except OSError as error:
        raise ExtractionInfrastructureError.from_os_error(error) from error

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
