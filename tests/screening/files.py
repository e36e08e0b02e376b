"""Real resume files made in the test run: PDFs with a text layer (fpdf2 with
Debian's DejaVu font, so Cyrillic works), a scan-like PDF without one, a
password-protected PDF (pypdf), and DOCX documents (python-docx)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from docx import Document
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs every glyph it subsets


def pdf_resume(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for line in text.splitlines():
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A page with drawings only: what a scan looks like to a text extractor."""
    pdf = FPDF()
    pdf.add_page()
    for row in range(40):
        pdf.rect(20, 20 + row * 6, 160 - (row % 7) * 10, 3, style="F")
    return bytes(pdf.output())


def encrypted_pdf(text: str = "Secret resume") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_resume(text))))
    writer.encrypt(user_password="letmein", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_resume(text: str) -> bytes:
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
