"""Every upload the platform accepts, fed broken files through its real endpoint:
truncated, just over the limit, mislabelled both ways, hostile archives (bombs,
deep folders, path traversal, links) and wrong text encodings. Each answer is a
4xx whose message names the problem, and nothing is written: no row, no file
under MEDIA_ROOT.

The uploads: a candidate's resume (page and API), a take-home archive (the
candidate's link), a task's data files (the task's page) and a question bank
document (page and API)."""

from __future__ import annotations

import html
import io
import json
import stat
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.candidates.models import Candidate, CandidateEvent
from assessments.questionbank.models import Question, QuestionVersion
from assessments.takehome.models import GradingRun, Submission, TaskDataset
from tests.candidates.files import docx_bytes, pdf_bytes
from tests.conftest import ROOT
from tests.factories import CandidateFactory
from tests.takehome.conftest import TASK_DATA, open_assignment, zip_bytes

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
Build = Callable[[], bytes]  # cases build their bytes when they run, not when pytest collects


def media_files(settings: Any, under: str = "") -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / under
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def api_text(response: Any) -> str:
    body = response.json()
    assert set(body) == {"message", "code", "extra"}
    return f"{body['message']} {json.dumps(body['extra'], ensure_ascii=False)}"


def zip_of(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(name: str = "data.bin", size: int = 101 * MIB, extra: dict[str, bytes] | None = None) -> bytes:
    """A small zip of one member of `size` zero bytes (streamed, never held in memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for other, data in (extra or {}).items():
            archive.writestr(other, data)
        with archive.open(name, "w", force_zip64=True) as member:
            zeros = bytes(MIB)
            for _ in range(size // MIB):
                member.write(zeros)
    return buffer.getvalue()


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), self.left)
        buffer[:count] = bytes(count)
        self.left -= count
        return count


def tar_gz_of(members: list[tuple[tarfile.TarInfo, bytes | int | None]]) -> bytes:
    """`bytes`: the member's content; an int: that many zero bytes; None: no content (links, folders)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for info, content in members:
            if isinstance(content, bytes):
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
            elif isinstance(content, int):
                info.size = content
                archive.addfile(info, io.BufferedReader(_Zeros(content)))
            else:
                archive.addfile(info)
    return buffer.getvalue()


def tar_file(name: str, type_: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = type_
    info.linkname = linkname
    return info


def zip_symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


SERVICE = {"start.sh": "python3 app.py\n", "app.py": "print('hello')\n"}


# --- Resumes: PDF, DOCX, TXT, MD; on the candidate's page and through the API -------------

RESUME_CASES = [
    pytest.param("cv.pdf", lambda: pdf_bytes()[:200], "cut short", id="pdf-truncated"),
    pytest.param("cv.docx", lambda: docx_bytes()[:150], "not a Word document", id="docx-truncated"),
    pytest.param("cv.txt", lambda: "Инженер".encode()[:-1], "not in UTF-8", id="text-truncated-mid-character"),
    pytest.param("cv.pdf", lambda: b"Plain words, not a PDF at all.", "not a PDF document", id="pdf-name-text-bytes"),
    pytest.param("cv.pdf", docx_bytes, "not a PDF document", id="pdf-name-docx-bytes"),
    pytest.param("cv.docx", lambda: zip_bytes({"a.txt": "x"}), "not a Word document", id="docx-name-plain-zip"),
    pytest.param("cv.docx", pdf_bytes, "not a Word document", id="docx-name-pdf-bytes"),
    pytest.param("cv.txt", pdf_bytes, "holds binary data", id="txt-name-pdf-bytes"),
    pytest.param("cv.md", docx_bytes, "holds binary data", id="md-name-docx-bytes"),
    pytest.param("cv.exe", pdf_bytes, "must be PDF, DOCX, TXT or MD", id="pdf-bytes-exe-name"),
    pytest.param("resume", docx_bytes, "must be PDF, DOCX, TXT or MD", id="docx-bytes-no-extension"),
    pytest.param("cv.txt", lambda: "Резюме: инженер ML".encode("cp1251"), "not in UTF-8", id="text-cp1251"),
    pytest.param("cv.md", lambda: "Resume".encode("utf-16"), "in UTF-16", id="text-utf16"),
    pytest.param(
        "cv.docx",
        lambda: zip_bomb("word/document.xml", 60 * MIB, {"[Content_Types].xml": b"<Types/>"}),
        "unpacks to more than",
        id="docx-zip-bomb",
    ),
    pytest.param("cv.txt", lambda: b"", "empty", id="empty"),
]


def _upload_resume(via: str, recruiter: Any, candidate: Candidate, name: str, data: bytes) -> tuple[int, str]:
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    if via == "api":
        api = APIClient()
        api.force_authenticate(recruiter)
        response = api.post(reverse("api:candidates-api:resume", args=[candidate.pk]), {"resume": upload})
        return response.status_code, api_text(response) if response.status_code >= 400 else ""
    client = Client()
    client.force_login(recruiter)
    response = client.post(reverse("candidates:resume_upload", args=[candidate.pk]), {"resume": upload})
    return response.status_code, page_text(response)


def _assert_no_resume_written(candidate: Candidate, settings: Any) -> None:
    candidate.refresh_from_db()
    assert (candidate.resume.name, candidate.resume_name, candidate.resume_size) == ("", "", 0)
    assert not CandidateEvent.objects.filter(candidate=candidate, kind="resume_uploaded").exists()
    assert media_files(settings) == set()


@pytest.mark.parametrize("via", ["web", "api"])
@pytest.mark.parametrize(("name", "build", "problem"), RESUME_CASES)
def test_a_broken_resume_is_refused_with_its_problem_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    recruiter, settings, via: str, name: str, build: Build, problem: str
) -> None:
    # given a candidate without a resume
    candidate = CandidateFactory(owner=recruiter)

    # when a broken file is uploaded as their resume
    status, text = _upload_resume(via, recruiter, candidate, name, build())

    # then it is refused with a message that names the problem, and nothing is kept
    assert status == 400
    assert problem in text
    _assert_no_resume_written(candidate, settings)


@pytest.mark.parametrize("via", ["web", "api"])
@pytest.mark.parametrize(
    ("name", "build"),
    [
        pytest.param("cv.txt", lambda: b"a" * 1001, id="txt"),
        pytest.param("cv.pdf", lambda: pdf_bytes() + b" " * (1001 - len(pdf_bytes())), id="pdf"),
        pytest.param("cv.docx", lambda: docx_bytes() + b"\0" * (1001 - len(docx_bytes())), id="docx"),
    ],
)
def test_a_resume_one_byte_over_the_limit_is_refused(recruiter, settings, via: str, name: str, build: Build) -> None:  # type: ignore[no-untyped-def]
    settings.RESUME_MAX_BYTES = 1000
    candidate = CandidateFactory(owner=recruiter)
    data = build()
    assert len(data) == 1001

    status, text = _upload_resume(via, recruiter, candidate, name, data)

    assert status == 400
    assert "too large" in text
    assert "1000\xa0bytes" in text
    _assert_no_resume_written(candidate, settings)


def test_a_resume_named_to_climb_out_of_its_folder_is_stored_inside_it_under_a_safe_name(recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(owner=recruiter)

    status, _ = _upload_resume("api", recruiter, candidate, "../../../../etc/cron.d/evil.txt", b"Python, RAG")

    candidate.refresh_from_db()
    assert status == 200
    assert candidate.resume_name == "evil.txt"
    stored = media_files(settings)
    assert len(stored) == 1
    assert stored.pop().parent.parent == Path(settings.MEDIA_ROOT) / "resumes"


# --- Take-home archives: .zip and .tar.gz through the candidate's link -----------------------

ARCHIVE_CASES = [
    pytest.param("solution.zip", lambda: zip_bytes(SERVICE)[:-30], "damaged or truncated", id="zip-truncated"),
    pytest.param(
        "solution.tar.gz",
        lambda: (lambda data: data[: len(data) // 2])(tar_gz_of([(tar_file("app.py"), bytes(range(256)) * 400)])),
        "damaged or truncated",
        id="tar-gz-truncated",
    ),
    pytest.param(
        "solution.tar.gz",
        lambda: tar_gz_of([(tar_file(path), text.encode()) for path, text in SERVICE.items()])[:-4],
        "damaged or truncated",
        id="tar-gz-trailer-cut",
    ),
    pytest.param("solution.zip", lambda: b"This is a text file, not a zip.", "not a .zip archive", id="zip-name-text"),
    pytest.param(
        "solution.zip", lambda: tar_gz_of([(tar_file("a.py"), b"x")]), "not a .zip archive", id="zip-name-tar-gz"
    ),
    pytest.param("solution.tar.gz", lambda: zip_bytes(SERVICE), "not a .tar.gz archive", id="tar-gz-name-zip"),
    pytest.param(
        "solution.txt", lambda: zip_bytes(SERVICE), "Upload a .zip or .tar.gz archive", id="zip-bytes-txt-name"
    ),
    pytest.param("solution", lambda: zip_bytes(SERVICE), "Upload a .zip or .tar.gz archive", id="zip-bytes-no-name"),
    pytest.param("solution.zip", zip_bomb, "unpacks to more than the allowed size", id="zip-bomb"),
    pytest.param(
        "solution.tar.gz",
        lambda: tar_gz_of([(tar_file("data.bin"), 101 * MIB)]),
        "unpacks to more than the allowed size",
        id="tar-gz-bomb",
    ),
    pytest.param(
        "solution.zip", lambda: zip_of([("a/" * 25 + "app.py", b"x")]), "nested too deeply", id="zip-deep-folders"
    ),
    pytest.param(
        "solution.zip",
        lambda: zip_of([(f"f{number}.py", b"") for number in range(2001)]),
        "more than 2000 files",
        id="zip-too-many-files",
    ),
    pytest.param(
        "solution.zip", lambda: zip_of([("../evil.py", b"x")]), "a path that leaves its folder", id="zip-dot-dot"
    ),
    pytest.param(
        "solution.tar.gz",
        lambda: tar_gz_of([(tar_file("app/../../evil.py"), b"x")]),
        "a path that leaves its folder",
        id="tar-gz-dot-dot",
    ),
    pytest.param(
        "solution.tar.gz", lambda: tar_gz_of([(tar_file("/etc/evil"), b"x")]), "an absolute path", id="tar-absolute"
    ),
    pytest.param(
        "solution.zip", lambda: zip_of([("..\\evil.py", b"x")]), "a file name that is not allowed", id="zip-backslash"
    ),
    pytest.param(
        "solution.zip", lambda: zip_of([zip_symlink("data", "/etc/passwd")]), "a link or special file", id="zip-link"
    ),
    pytest.param(
        "solution.tar.gz",
        lambda: tar_gz_of([(tar_file("data", tarfile.SYMTYPE, "/etc/passwd"), None)]),
        "a link",
        id="tar-symlink",
    ),
    pytest.param(
        "solution.tar.gz",
        lambda: tar_gz_of([(tar_file("app.py"), b"x"), (tar_file("copy", tarfile.LNKTYPE, "app.py"), None)]),
        "a link",
        id="tar-hard-link",
    ),
    pytest.param(
        "solution.tar.gz", lambda: tar_gz_of([(tar_file("fifo", tarfile.FIFOTYPE), None)]), "a special file", id="fifo"
    ),
    pytest.param("solution.zip", lambda: b"", "empty", id="empty"),
]


def _assert_no_submission_written(assignment: Any, settings: Any) -> None:
    assert not Submission.objects.filter(assignment=assignment).exists()
    assert not GradingRun.objects.filter(submission__assignment=assignment).exists()
    assert not CandidateEvent.objects.filter(candidate=assignment.candidate, kind="takehome_submitted").exists()
    assert media_files(settings, "takehome") == set()


@pytest.mark.parametrize(("name", "build", "problem"), ARCHIVE_CASES)
def test_a_broken_or_hostile_archive_is_refused_with_its_problem_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    rag_task, recruiter, settings, name: str, build: Build, problem: str
) -> None:
    # given a candidate's open take-home
    assignment, token = open_assignment(rag_task, CandidateFactory(owner=recruiter), recruiter)

    # when they upload a broken or hostile archive
    response = Client().post(
        reverse("takehome-candidate:upload", args=[token]), {"archive": SimpleUploadedFile(name, build())}
    )

    # then the page refuses it and says why; the upload is not counted, nothing is stored
    assert response.status_code == 400
    assert problem in page_text(response)
    _assert_no_submission_written(assignment, settings)
    assert response.context["uploads_left"] == assignment.max_submissions


@pytest.mark.parametrize(
    ("name", "build"),
    [pytest.param("solution.zip", lambda: zip_bytes(SERVICE), id="zip"), pytest.param(
        "solution.tar.gz", lambda: tar_gz_of([(tar_file(path), text.encode()) for path, text in SERVICE.items()]),
        id="tar-gz")],
)  # fmt: skip
def test_an_archive_one_byte_over_the_limit_is_refused(rag_task, recruiter, settings, name: str, build: Build) -> None:  # type: ignore[no-untyped-def]
    assignment, token = open_assignment(rag_task, CandidateFactory(owner=recruiter), recruiter)
    data = build()
    settings.TAKEHOME_ARCHIVE_MAX_BYTES = len(data) - 1

    response = Client().post(
        reverse("takehome-candidate:upload", args=[token]), {"archive": SimpleUploadedFile(name, data)}
    )

    assert response.status_code == 400
    assert f"the limit is {len(data) - 1}\xa0bytes" in page_text(response)
    _assert_no_submission_written(assignment, settings)


def test_an_archive_far_over_the_limit_is_refused_before_its_body_is_read(rag_task, recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TAKEHOME_ARCHIVE_MAX_BYTES = 1000
    assignment, token = open_assignment(rag_task, CandidateFactory(owner=recruiter), recruiter)

    response = Client().post(
        reverse("takehome-candidate:upload", args=[token]),
        {"archive": SimpleUploadedFile("solution.zip", b"PK\x03\x04" + bytes(70_000))},
    )

    assert response.status_code == 413
    assert "larger than the limit; nothing was uploaded" in page_text(response)
    _assert_no_submission_written(assignment, settings)


# --- A task's data: three JSON Lines files, on the task's page ------------------------------


def _kb() -> bytes:
    return (TASK_DATA / "kb.jsonl").read_bytes()


def _cut_inside_line(data: bytes, line: int) -> bytes:
    start = sum(len(row) for row in data.splitlines(keepends=True)[: line - 1])
    return data[: start + 20]


TASK_DATA_CASES = [
    pytest.param("kb", lambda: _cut_inside_line(_kb(), 5), "kb.jsonl, line 5: not valid JSON", id="kb-truncated"),
    pytest.param(
        "kb",
        lambda: '{"id": "kb-1", "question": "Как вернуть деньги?", "answer": "Да.", "lang": "ru"}\n'.encode("cp1251"),
        "kb.jsonl, line 1: not valid UTF-8",
        id="kb-cp1251",
    ),
    pytest.param("kb", lambda: _kb().decode().encode("utf-16"), "kb.jsonl, line 1: not valid UTF-8", id="kb-utf16"),
    pytest.param("kb", lambda: zip_bytes({"kb.jsonl": _kb()[:5000]}), "kb.jsonl, line 1: not valid", id="kb-zipped"),
    pytest.param(
        "public_questions",
        lambda: json.dumps(
            [json.loads(row) for row in (TASK_DATA / "public_questions.jsonl").read_text().splitlines()]
        ).encode(),
        "public_questions.jsonl, line 1: expected a JSON object",
        id="public-as-one-json-array",
    ),
    pytest.param("hidden_questions", lambda: b"", "The submitted file is empty.", id="hidden-empty"),
]


def _task_data_files(**replace: bytes) -> dict[str, SimpleUploadedFile]:
    files = {
        "kb": _kb(),
        "public_questions": (TASK_DATA / "public_questions.jsonl").read_bytes(),
        "hidden_questions": (TASK_DATA / "hidden" / "hidden_questions.jsonl").read_bytes(),
    }
    files |= replace
    return {field: SimpleUploadedFile(f"{field}.jsonl", data) for field, data in files.items()}


def _post_task_data(recruiter: Any, task: Any, files: dict[str, SimpleUploadedFile]) -> Any:
    client = Client()
    client.force_login(recruiter)
    return client.post(reverse("takehome:task_data", args=[task.pk]), files)


def _assert_task_data_unchanged(task: Any, settings: Any, files_before: set[Path]) -> None:
    dataset = task.dataset_id
    task.refresh_from_db()
    assert task.dataset_id == dataset
    assert TaskDataset.objects.count() == 1
    assert media_files(settings) == files_before


@pytest.mark.parametrize(("field", "build", "problem"), TASK_DATA_CASES)
def test_broken_task_data_is_refused_with_file_and_line_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    rag_task, recruiter, settings, field: str, build: Build, problem: str
) -> None:
    before = media_files(settings)

    response = _post_task_data(recruiter, rag_task, _task_data_files(**{field: build()}))

    assert response.status_code == 400
    assert problem in page_text(response)
    _assert_task_data_unchanged(rag_task, settings, before)


def test_a_task_data_file_one_byte_over_the_limit_is_refused(rag_task, recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    before = media_files(settings)
    settings.TASK_DATA_MAX_BYTES = len(_kb()) - 1

    response = _post_task_data(recruiter, rag_task, _task_data_files())

    assert response.status_code == 400
    assert "the limit is" in page_text(response)
    _assert_task_data_unchanged(rag_task, settings, before)


# --- Question bank documents: YAML, TXT, MD; on the import page and through the API ---------


def _seed_yaml() -> bytes:
    return (ROOT / "fixtures/questionbank/questions/seed-000-001-003.yaml").read_bytes()


QUESTION_DOCUMENT_CASES = [
    pytest.param("bank.yaml", lambda: _seed_yaml()[: len(_seed_yaml()) // 2], "bank.yaml, line", id="yaml-truncated"),
    pytest.param("bank.yaml", pdf_bytes, "bank.yaml, line 1:", id="yaml-name-pdf-bytes"),
    pytest.param("bank.txt", docx_bytes, "bank.txt, line 1: this is a binary file", id="txt-name-docx-bytes"),
    pytest.param("bank.pdf", _seed_yaml, "unsupported file type", id="yaml-bytes-pdf-name"),
    pytest.param(
        "cards.txt",
        lambda: "Вопрос 1: Что такое RAG?\nОтвет: поиск и генерация.\n".encode("cp1251"),
        "cards.txt, line 1: the text is not valid UTF-8",
        id="text-cp1251",
    ),
    pytest.param(
        "cards.md", lambda: "Q: Why shard?\nA: Scale.\n".encode("utf-16"), "cards.md, line 1: this is a binary file",
        id="text-utf16",
    ),
    pytest.param("bank.yaml", lambda: b"x" * (2 * MIB + 1), "larger than 2 MB", id="one-byte-over-the-limit"),
    pytest.param("bank.yaml", lambda: b"", "empty", id="empty"),
]  # fmt: skip


@pytest.mark.parametrize("via", ["web", "api"])
@pytest.mark.parametrize(("name", "build", "problem"), QUESTION_DOCUMENT_CASES)
def test_a_broken_question_document_is_refused_with_its_problem_and_nothing_is_imported(  # type: ignore[no-untyped-def]
    recruiter, settings, via: str, name: str, build: Build, problem: str
) -> None:
    questions, versions = Question.objects.count(), QuestionVersion.objects.count()
    upload = SimpleUploadedFile(name, build())

    if via == "api":
        api = APIClient()
        api.force_authenticate(recruiter)
        response = api.post(reverse("api:questionbank-api:import"), {"document": upload, "apply": "true"})
        text = api_text(response)
    else:
        client = Client()
        client.force_login(recruiter)
        response = client.post(reverse("questionbank:import"), {"document": upload})
        text = page_text(response)

    assert response.status_code == 400
    assert problem in text
    assert (Question.objects.count(), QuestionVersion.objects.count()) == (questions, versions)
    assert media_files(settings) == set()
