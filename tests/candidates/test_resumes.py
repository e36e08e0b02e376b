"""Resume validation: the type is decided by content; bad files get a clear error."""

from __future__ import annotations

import pytest

from assessments.candidates.resumes import DOCX, MARKDOWN, PDF, TEXT, resume_validate
from hiring_platform.errors import ApplicationError

from .files import docx_bytes, pdf_bytes, upload


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("cv.pdf", pdf_bytes(), PDF),
        ("cv.docx", docx_bytes(), DOCX),
        ("cv.txt", "Инженер ML: PyTorch, vLLM".encode(), TEXT),
        ("CV.MD", b"# Anna\n\n- RAG", MARKDOWN),
        ("cv.txt", "\ufeffwith a BOM".encode(), TEXT),
    ],
)
def test_accepts_each_supported_type_by_content(name: str, data: bytes, content_type: str) -> None:
    validated = resume_validate(upload(name, data))

    assert validated.content_type == content_type
    assert validated.size == len(data)
    assert validated.file_name.lower() == name.lower()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("cv.exe", b"MZ\x90\x00", "candidates.resume_extension"),
        ("cv", b"plain", "candidates.resume_extension"),
        ("cv.pdf", docx_bytes(), "candidates.resume_type_mismatch"),
        ("cv.pdf", b"just text, not a pdf", "candidates.resume_type_mismatch"),
        ("cv.docx", pdf_bytes(), "candidates.resume_type_mismatch"),
        ("cv.docx", b"PK\x03\x04broken zip", "candidates.resume_type_mismatch"),
        ("cv.txt", pdf_bytes(), "candidates.resume_type_mismatch"),
        ("cv.md", b"binary\x00data", "candidates.resume_type_mismatch"),
        ("cv.txt", "Резюме в кодировке cp1251".encode("cp1251"), "candidates.resume_encoding"),
        ("cv.pdf", pdf_bytes()[:200], "candidates.resume_truncated"),
        ("cv.txt", b"", "candidates.resume_empty"),
    ],
)
def test_rejects_bad_files_with_a_specific_code(name: str, data: bytes, code: str) -> None:
    with pytest.raises(ApplicationError) as error:
        resume_validate(upload(name, data))

    assert error.value.code == code
    assert error.value.message


def test_rejects_a_file_over_the_size_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RESUME_MAX_BYTES = 1000

    with pytest.raises(ApplicationError) as error:
        resume_validate(upload("cv.txt", b"a" * 1001))

    assert error.value.code == "candidates.resume_too_large"
    assert "1000" in error.value.message or "KB" in error.value.message


def test_unsafe_file_names_are_made_safe() -> None:
    validated = resume_validate(upload("../../etc/пароль резюме.txt", b"text"))

    assert validated.file_name == "пароль_резюме.txt"
    assert resume_validate(upload("...txt", b"text")).file_name.endswith(".txt")
