"""Turn a resume file into text with well-kept libraries: pypdf for PDF,
python-docx for DOCX, UTF-8 decoding for TXT/MD. Failures carry a message for
the recruiter (a scan with no text layer, a password, a damaged file)."""

from __future__ import annotations

import io
import logging
import zipfile

from django.utils.translation import gettext as _
from docx import Document
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .analyzer import normalise

MIN_TEXT_CHARS = 20  # fewer letters than this from a PDF means no text layer worth reading
MAX_TEXT_CHARS = 200_000  # a resume; past this it is something else
logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ExtractionError(Exception):
    """The file gives no usable text; the message says why, for the recruiter."""


def _pdf_text(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            # Many PDFs carry only an owner password (printing/copy restrictions): those open with "".
            raise ExtractionError(_("The PDF is protected by a password; ask for a copy without one."))
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, NotImplementedError) as error:
        logger.info("PDF extraction failed: %s", error)
        raise ExtractionError(_("The PDF file is damaged and cannot be read.")) from None
    text = "\n".join(pages)
    if sum(character.isalpha() for character in text) < MIN_TEXT_CHARS:
        raise ExtractionError(
            _("The PDF has no text layer (it looks like a scan or a picture). Ask for a text PDF, DOCX or TXT.")
        )
    return text


def _docx_text(data: bytes) -> str:
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        logger.info("DOCX extraction failed: %s", error)
        raise ExtractionError(_("The Word document is damaged and cannot be read.")) from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:  # resumes often lay out skills and dates in tables
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells if cell.text.strip()))
    return "\n".join(lines)


def _plain_text(data: bytes) -> str:
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise ExtractionError(_("The text file is not in UTF-8.")) from None


def extract_text(data: bytes, content_type: str) -> str:
    """The resume's text, normalised (see analyzer.normalise); raises ExtractionError."""
    if content_type == PDF:
        text = _pdf_text(data)
    elif content_type == DOCX:
        text = _docx_text(data)
    else:
        text = _plain_text(data)
    text = normalise(text).strip()
    if not text:
        raise ExtractionError(_("The resume contains no text."))
    return text[:MAX_TEXT_CHARS]
