"""Validation of resume files. The type is decided by the content, never by
the name alone: the extension must agree with what the bytes are."""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import magic
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from hiring_platform.errors import ApplicationError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
MARKDOWN = "text/markdown"

CONTENT_TYPE_BY_EXTENSION = {".pdf": PDF, ".docx": DOCX, ".txt": TEXT, ".md": MARKDOWN}
ACCEPTED_EXTENSIONS = tuple(CONTENT_TYPE_BY_EXTENSION)
# What a Word document may unpack to: the screening worker reads all of it into
# memory, and a small zip can declare gigabytes (zipfile stops at the declared sizes).
DOCX_MAX_UNPACKED_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ValidatedResume:
    file_name: str
    content_type: str
    size: int


def _fail(message: str, code: str) -> ApplicationError:
    return ApplicationError(message, code=f"candidates.resume_{code}", extra={"field": "resume"})


def _read_all(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _check_pdf(data: bytes) -> None:
    if not data.startswith(b"%PDF-") or magic.from_buffer(data[:8192], mime=True) != PDF:
        raise _fail(_("The file is named .pdf but is not a PDF document."), "type_mismatch")
    # A PDF ends with %%EOF (possibly followed by whitespace); without it the file was cut short.
    if b"%%EOF" not in data[-1024:]:
        raise _fail(_("The PDF file is incomplete (it was cut short). Upload the whole file."), "truncated")
    try:
        reader = PdfReader(io.BytesIO(data))
        # A PDF with only an owner password (no printing/copying) opens with "": that one is fine.
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(_("The PDF is protected by a password. Upload a copy without one."), "encrypted")
        if len(reader.pages) == 0:
            raise _fail(_("The PDF has no pages."), "damaged")
    except (PdfReadError, ValueError, KeyError, TypeError, NotImplementedError):
        raise _fail(_("The PDF file is damaged and cannot be read."), "damaged") from None


def _check_docx(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _fail(
            _("The file is named .docx but is not a Word document (or it is damaged)."), "type_mismatch"
        ) from None
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise _fail(_("The file is named .docx but is not a Word document (or it is damaged)."), "type_mismatch")
    if unpacked > DOCX_MAX_UNPACKED_BYTES:
        raise _fail(
            _("The Word document unpacks to more than %(limit)s; it cannot be a resume.")
            % {"limit": filesizeformat(DOCX_MAX_UNPACKED_BYTES)},
            "too_large",
        )


def _check_text(data: bytes) -> None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _fail(_("The text file is in UTF-16, not UTF-8. Save it as UTF-8 and upload again."), "encoding")
    if b"\x00" in data or magic.from_buffer(data[:8192], mime=True) in (PDF, "application/zip"):
        raise _fail(_("The file is named as text but holds binary data."), "type_mismatch")
    try:
        data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(
            _("The text file is not in UTF-8. Save it as UTF-8 (for example from a text editor) and upload again."),
            "encoding",
        ) from None


def _safe_stem(original_name: str) -> str:
    try:
        return get_valid_filename(PurePath(original_name).stem)[:100]
    except SuspiciousFileOperation:  # nothing usable left of the name, e.g. ".."
        return "resume"


CHECKS = {PDF: _check_pdf, DOCX: _check_docx, TEXT: _check_text, MARKDOWN: _check_text}


def resume_validate(upload: UploadedFile) -> ValidatedResume:
    """Check size, extension and content of an uploaded resume; raise ApplicationError with a clear message."""
    original_name = PurePath(upload.name or "").name
    extension = PurePath(original_name).suffix.lower()
    content_type = CONTENT_TYPE_BY_EXTENSION.get(extension)
    if content_type is None:
        raise _fail(
            _("Resumes must be PDF, DOCX, TXT or MD files; “%(name)s” is not.") % {"name": original_name[:100]},
            "extension",
        )
    if upload.size is not None and upload.size > settings.RESUME_MAX_BYTES:
        raise _fail(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.RESUME_MAX_BYTES)},
            "too_large",
        )
    data = _read_all(upload)
    if not data:
        raise _fail(_("The file is empty."), "empty")
    if len(data) > settings.RESUME_MAX_BYTES:  # the declared size can lie
        raise _fail(
            _("The file is too large; the limit is %(limit)s.") % {"limit": filesizeformat(settings.RESUME_MAX_BYTES)},
            "too_large",
        )
    CHECKS[content_type](data)
    return ValidatedResume(
        file_name=f"{_safe_stem(original_name)}{extension}", content_type=content_type, size=len(data)
    )
