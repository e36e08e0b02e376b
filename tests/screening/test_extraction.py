"""Resume files to text: real PDF/DOCX/TXT files in, normalised text or a recruiter-readable error out."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pypdf import PdfReader, PdfWriter

from assessments.screening.extraction import DOCX, PDF, ExtractionError, extract_text

from .files import docx_resume, encrypted_pdf, pdf_resume, scanned_pdf

TEXT = "text/plain"
MARKDOWN = "text/markdown"
MIXED_RESUME = "Иван Петров — ML engineer\nДообучил Llama 2 7B с QLoRA, accuracy +12%"
NOT_A_FILE = bytes(range(256)) * 3  # fixed junk, so a failure reproduces


def test_pdf_with_mixed_russian_and_english_text_comes_back_with_cyrillic_intact() -> None:
    # given
    data = pdf_resume(MIXED_RESUME)

    # when
    text = extract_text(data, PDF)

    # then
    assert text == MIXED_RESUME


def test_docx_paragraphs_come_back_line_by_line() -> None:
    data = docx_resume("Анна Смирнова\nRAG: LangChain, FAISS, Qdrant")

    text = extract_text(data, DOCX)

    assert text == "Анна Смирнова\nRAG: LangChain, FAISS, Qdrant"


def test_docx_table_cells_are_part_of_the_text() -> None:
    # given: skills laid out in a table, as resumes often do
    document = Document()
    document.add_paragraph("Анна Смирнова")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Навыки"
    table.cell(0, 1).text = "PyTorch, vLLM"
    table.cell(1, 0).text = "2021–2024"
    table.cell(1, 1).text = "Яндекс, ML-инженер"
    out = io.BytesIO()
    document.save(out)

    # when
    text = extract_text(out.getvalue(), DOCX)

    # then
    assert text.splitlines() == ["Анна Смирнова", "Навыки | PyTorch, vLLM", "2021–2024 | Яндекс, ML-инженер"]


@pytest.mark.parametrize("content_type", [TEXT, MARKDOWN])
def test_utf8_text_with_a_bom_is_decoded_without_the_bom(content_type: str) -> None:
    data = "\ufeffИван — ML engineer".encode()

    text = extract_text(data, content_type)

    assert text == "Иван — ML engineer"


def test_text_file_crlf_line_ends_become_lf() -> None:
    data = "Иван Петров\r\nPyTorch\r\nvLLM".encode()

    text = extract_text(data, TEXT)

    assert text == "Иван Петров\nPyTorch\nvLLM"


def test_text_file_not_in_utf8_is_refused_with_a_message_naming_utf8() -> None:
    data = "Резюме: инженер машинного обучения".encode("cp1251")

    with pytest.raises(ExtractionError) as error:
        extract_text(data, TEXT)

    assert "UTF-8" in str(error.value)


def test_scanned_pdf_is_refused_for_having_no_text_layer() -> None:
    with pytest.raises(ExtractionError) as error:
        extract_text(scanned_pdf(), PDF)

    assert "text layer" in str(error.value)


def test_pdf_with_an_open_password_is_refused_with_a_message_about_the_password() -> None:
    with pytest.raises(ExtractionError) as error:
        extract_text(encrypted_pdf("Иван Петров, ML engineer, PyTorch"), PDF)

    assert "password" in str(error.value)


def test_garbage_after_a_pdf_header_is_reported_as_damaged() -> None:
    with pytest.raises(ExtractionError) as error:
        extract_text(b"%PDF-1.7\n" + NOT_A_FILE, PDF)

    assert "damaged" in str(error.value)


def test_random_bytes_as_docx_are_reported_as_damaged() -> None:
    with pytest.raises(ExtractionError) as error:
        extract_text(NOT_A_FILE, DOCX)

    assert "damaged" in str(error.value)


@pytest.mark.parametrize("data", [b"", b" \r\n\t\n "], ids=["empty", "whitespace-only"])
def test_text_file_without_text_is_refused(data: bytes) -> None:
    with pytest.raises(ExtractionError) as error:
        extract_text(data, TEXT)

    assert "no text" in str(error.value)


def test_pdf_protected_only_by_an_owner_password_still_extracts() -> None:
    # given: copy/print restrictions only; anyone may open it without a password
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_resume(MIXED_RESUME))))
    writer.encrypt(user_password="", owner_password="owner-secret")
    out = io.BytesIO()
    writer.write(out)
    assert PdfReader(io.BytesIO(out.getvalue())).is_encrypted

    # when
    text = extract_text(out.getvalue(), PDF)

    # then
    assert text == MIXED_RESUME
