from __future__ import annotations

from django.utils.translation import gettext as _

from hiring_platform.errors import ApplicationError


class ImportFormatError(ApplicationError):
    """The document cannot be read; `line` (1-based) names where."""

    def __init__(self, message: str, *, line: int, document: str = "") -> None:
        where = (
            _("%(document)s, line %(line)s") % {"document": document, "line": line}
            if document
            else _("line %(line)s") % {"line": line}
        )
        super().__init__(f"{where}: {message}", code="questionbank.import_format", extra={"line": line})
        self.line = line


def decode_document(data: bytes, *, document: str) -> str:
    """UTF-8 text of an uploaded document, or an error naming the first bad line."""
    if b"\x00" in data[:8192]:
        raise ImportFormatError(_("this is a binary file, not a text document."), line=1, document=document)
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFormatError(
            _("the text is not valid UTF-8; save the file as UTF-8 and try again."), line=line, document=document
        ) from None
