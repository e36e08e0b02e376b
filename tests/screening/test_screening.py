"""Screening a candidate's resume end to end: upload, the Celery worker reads
and analyses it, the recruiter reviews flags and decides; bad files are refused."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.candidates import services as candidate_services
from assessments.candidates.models import Candidate, CandidateEvent
from assessments.screening import selectors, services
from assessments.screening.models import Screening, ScreeningFlag
from hiring_platform.errors import ApplicationError, ConflictError
from tests.factories import CandidateFactory

from .files import docx_resume, encrypted_pdf, pdf_resume, scanned_pdf

RESUME = """Анна Смирнова — ML engineer
GitHub: github.com/anna-smirnova-ml
Опыт:
- Дообучила Llama 2 7B с QLoRA на диалогах поддержки (PyTorch, PEFT, vLLM)
- Снизила p95 latency с 800 мс до 300 мс
- Опыт работы с AI для решения бизнес-задач
Kaggle: silver medal in LLM Science Exam
"""


def _upload(candidate: Candidate, recruiter, name: str, data: bytes) -> Candidate:  # type: ignore[no-untyped-def]
    return candidate_services.candidate_upload_resume(
        actor=recruiter, candidate=candidate, upload=SimpleUploadedFile(name, data)
    )


def _wait(screening: Screening, seconds: float = 60) -> Screening:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        screening.refresh_from_db()
        if screening.state in ("done", "failed"):
            return screening
        time.sleep(0.3)
    pytest.fail("the screening did not finish")


@pytest.mark.django_db(transaction=True)
def test_a_pdf_resume_is_screened_by_the_worker_with_evidence(celery_worker, checklists, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = _upload(CandidateFactory(role="ml-llm-engineer"), recruiter, "anna.pdf", pdf_resume(RESUME))

    screening = _wait(
        services.screening_start(actor=recruiter, candidate=candidate, checklist=checklists["ml-llm-engineer"])
    )

    assert screening.state == "done"
    assert "Llama 2 7B" in screening.resume_text
    flags = {flag.key: flag for flag in screening.flags.all()}
    assert set(flags) == {
        "code_links", "named_libraries", "named_models_methods", "measured_results", "competitions", "vague_claims",
    }  # fmt: skip
    evidence = flags["named_models_methods"].evidence[0]
    assert "Llama 2 7B" in evidence["quote"]
    assert screening.resume_text[evidence["start"] : evidence["end"]].lower().startswith("llama")
    assert evidence["line"] == 4
    assert evidence["rule"] == "model-with-method"
    assert screening.version == checklists["ml-llm-engineer"].current
    assert CandidateEvent.objects.filter(candidate=candidate, kind="screening_done").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_scanned_pdf_ends_with_a_clear_message_not_an_empty_result(celery_worker, checklists, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = CandidateFactory(role="mlops")
    # A scan passes the upload checks (it is a valid PDF); the worker finds no text in it.
    candidate = _upload(candidate, recruiter, "scan.pdf", scanned_pdf())

    screening = _wait(services.screening_start(actor=recruiter, candidate=candidate, checklist=checklists["mlops"]))

    assert screening.state == "failed"
    assert "no text layer" in screening.detail
    assert screening.flags.count() == 0


def _done_screening(candidate: Candidate, checklists, recruiter) -> Screening:  # type: ignore[no-untyped-def]
    screening = services.screening_start(actor=recruiter, candidate=candidate, checklist=checklists["ml-llm-engineer"])
    return services.screening_run(screening_id=screening.pk)  # type: ignore[return-value]


@pytest.mark.django_db
def test_the_recruiter_confirms_rejects_adds_and_decides(checklists, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = _upload(CandidateFactory(role="ml-llm-engineer"), recruiter, "anna.docx", docx_resume(RESUME))
    screening = _done_screening(candidate, checklists, recruiter)
    before = selectors.screening_summary(screening)

    services.screening_flag_review(actor=recruiter, screening=screening, key="code_links", status="confirmed")
    services.screening_flag_review(
        actor=recruiter, screening=screening, key="vague_claims", status="rejected", note="the next lines are specific"
    )
    added = services.screening_flag_add(
        actor=recruiter, screening=screening, key="implausible_training", note="says 'trained GPT from scratch' on p.2"
    )
    decided = services.screening_decide(
        actor=recruiter, screening=screening, decision="advance", reason="Strong green flags; ask about the GPT claim"
    )
    after = selectors.screening_summary(decided)

    assert (before.green, before.red, before.pending) == (5, 1, 6)
    assert (after.green, after.red) == (5, 1)  # vague rejected, implausible added
    assert ScreeningFlag.objects.get(screening=screening, key="vague_claims").status == "rejected"
    assert (added.source, added.status) == ("manual", "confirmed")
    assert after.score != before.score
    assert decided.decision == "advance"
    event = CandidateEvent.objects.get(candidate=candidate, kind="screening_decided")
    assert event.reason == "Strong green flags; ask about the GPT claim"
    assert event.after["decision"] == "advance"


@pytest.mark.django_db
def test_review_mistakes_are_refused_and_change_nothing(checklists, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = _upload(CandidateFactory(role="ml-llm-engineer"), recruiter, "a.txt", RESUME.encode())
    screening = _done_screening(candidate, checklists, recruiter)

    with pytest.raises(ApplicationError) as no_note:
        services.screening_flag_add(actor=recruiter, screening=screening, key="implausible_training", note=" ")
    with pytest.raises(ConflictError):
        services.screening_flag_add(actor=recruiter, screening=screening, key="code_links", note="again")
    with pytest.raises(ApplicationError):
        services.screening_flag_add(actor=recruiter, screening=screening, key="no_such_flag", note="x")
    with pytest.raises(ApplicationError) as no_reason:
        services.screening_decide(actor=recruiter, screening=screening, decision="reject", reason="")

    assert no_note.value.code == "screening.note_required"
    assert no_reason.value.code == "screening.reason_required"
    assert ScreeningFlag.objects.filter(screening=screening, source="manual").count() == 0
    screening.refresh_from_db()
    assert screening.decision == ""


@pytest.mark.django_db
def test_a_screening_keeps_its_checklist_version_when_the_checklist_changes(checklists, recruiter) -> None:  # type: ignore[no-untyped-def]
    candidate = _upload(CandidateFactory(role="ml-llm-engineer"), recruiter, "a.md", RESUME.encode())
    checklist = checklists["ml-llm-engineer"]
    screening = _done_screening(candidate, checklists, recruiter)
    flag = dict(checklist.current.flag("competitions"))
    flag["weight"] = 5

    changed = services.checklist_flag_update(actor=recruiter, checklist=checklist, flag=flag)
    again = _done_screening(candidate, checklists, recruiter)

    screening.refresh_from_db()
    assert changed.current.number == 2
    assert screening.version.number == 1
    assert screening.flags.get(key="competitions").weight == 2
    assert again.version.number == 2
    assert again.flags.get(key="competitions").weight == 5


@pytest.mark.django_db
def test_screening_needs_a_resume(checklists, recruiter) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError) as error:
        services.screening_start(actor=recruiter, candidate=CandidateFactory(), checklist=checklists["mlops"])

    assert error.value.code == "screening.no_resume"
    assert Screening.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("cv.pdf", b"%PDF-1.4\n1 0 obj << broken >>\n%%EOF\n", "candidates.resume_damaged"),
        ("cv.pdf", b"PK\x03\x04 this is a zip renamed to pdf", "candidates.resume_type_mismatch"),
        ("cv.docx", pdf_resume("A PDF named .docx with enough text inside it."), "candidates.resume_type_mismatch"),
        ("cv.txt", b"", "candidates.resume_empty"),
        ("cv.pdf", encrypted_pdf("A locked resume with some text in it"), "candidates.resume_encrypted"),
        ("cv.txt", "Резюме в cp1251".encode("cp1251"), "candidates.resume_encoding"),
    ],
)
def test_bad_resume_files_are_refused_and_leave_the_candidate_unchanged(recruiter, name, data, code) -> None:  # type: ignore[no-untyped-def]
    candidate = _upload(CandidateFactory(), recruiter, "old.txt", b"The previous resume")
    events = CandidateEvent.objects.filter(candidate=candidate).count()

    with pytest.raises(ApplicationError) as error:
        _upload(candidate, recruiter, name, data)

    candidate.refresh_from_db()
    assert error.value.code == code
    assert candidate.resume_name == "old.txt"
    assert candidate.resume.read() == b"The previous resume"
    assert CandidateEvent.objects.filter(candidate=candidate).count() == events


@pytest.mark.django_db
def test_a_resume_over_the_size_limit_is_refused(recruiter, settings) -> None:  # type: ignore[no-untyped-def]
    settings.RESUME_MAX_BYTES = 1000
    candidate = CandidateFactory()

    with pytest.raises(ApplicationError) as error:
        _upload(candidate, recruiter, "big.txt", b"x" * 1001)

    candidate.refresh_from_db()
    assert error.value.code == "candidates.resume_too_large"
    assert not candidate.resume
