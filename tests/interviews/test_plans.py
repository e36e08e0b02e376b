"""Plans: validation with clear messages, versions, the suggestion, interviews and kits."""

from __future__ import annotations

import copy
import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from assessments.interviews import selectors, services
from assessments.interviews.api import plan_suggestion
from assessments.interviews.models import Plan
from assessments.interviews.pdf import kit_pdf
from assessments.questionbank.content import QuestionContent
from assessments.questionbank.models import Question, Topic
from assessments.questionbank.services import question_retire, question_update
from hiring_platform.errors import ApplicationError
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(db):  # type: ignore[no-untyped-def]
    call_command("load_plan_templates", verbosity=0)
    return {plan.template_key: plan for plan in Plan.objects.filter(is_template=True).select_related("current")}


def _problems(content: dict) -> list[str]:  # type: ignore[type-arg]
    with pytest.raises(ApplicationError) as error:
        services.plan_content_check(content)
    assert error.value.code == "interviews.invalid_plan"
    return error.value.extra["problems"]


def test_every_role_and_level_has_a_valid_template(templates) -> None:  # type: ignore[no-untyped-def]
    assert sorted(templates) == sorted(
        f"{role}-{level}"
        for role in ("ml-llm-engineer", "mlops", "data-engineer-ai", "ai-product-manager")
        for level in ("junior", "middle", "senior")
    )
    for plan in templates.values():
        kinds = [stage["kind"] for stage in plan.current.content["stages"]]
        assert "interview" in kinds
        assert sum(stage["weight"] for stage in plan.current.content["stages"]) == 100


def test_an_empty_section_an_overrun_and_a_retired_question_are_named(templates, recruiter) -> None:  # type: ignore[no-untyped-def]
    content = copy.deepcopy(templates["ml-llm-engineer-middle"].current.content)
    interview = next(stage for stage in content["stages"] if stage["kind"] == "interview")
    first, second = interview["sections"][0], interview["sections"][1]
    first["questions"] = []
    second["minutes"] = 1
    retired_key = second["questions"][0]["key"]
    question_retire(actor=recruiter, question=Question.objects.get(key=retired_key), reason="outdated")

    problems = _problems(content)

    assert f"stage {interview['key']}, section {first['key']}: the section has no questions" in problems
    assert any(p.startswith(f"stage {interview['key']}, section {second['key']}: the questions take") for p in problems)
    assert (
        f"stage {interview['key']}, section {second['key']}: question {retired_key!r} is retired; replace it"
        in problems
    )


def test_weights_duplicates_and_unknown_questions_are_refused(templates) -> None:  # type: ignore[no-untyped-def]
    content = copy.deepcopy(templates["mlops-junior"].current.content)
    content["stages"][0]["weight"] += 5
    interview = next(stage for stage in content["stages"] if stage["kind"] == "interview")
    section = interview["sections"][0]
    section["questions"].append(dict(section["questions"][0]))
    section["questions"].append({"key": "no-such-question"})

    problems = _problems(content)

    assert "the stage weights add up to 105, not 100" in problems
    assert any("is already in the plan" in p for p in problems)
    assert any("no question 'no-such-question' in the bank" in p for p in problems)


def test_a_save_is_a_new_version_and_an_unchanged_save_writes_nothing(templates, recruiter) -> None:  # type: ignore[no-untyped-def]
    plan = services.plan_copy(actor=recruiter, source=templates["ml-llm-engineer-junior"], name="Our junior plan")
    content = copy.deepcopy(plan.current.content)
    section = next(stage for stage in content["stages"] if stage["kind"] == "interview")["sections"][0]
    section["questions"].reverse()

    same, written_same = services.plan_save(actor=recruiter, plan=plan, content=copy.deepcopy(plan.current.content))
    moved, written_moved = services.plan_save(actor=recruiter, plan=plan, content=content)

    assert (written_same, same.current.number) == (False, 1)
    assert (written_moved, moved.current.number) == (True, 2)
    assert plan.versions.count() == 2


def test_an_interview_keeps_its_plan_version_and_its_questions_as_they_were(templates, recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    plan = services.plan_copy(actor=recruiter, source=templates["ml-llm-engineer-middle"], name="Middle plan")
    stage = next(s for s in plan.current.content["stages"] if s["kind"] == "interview")
    interview = services.interview_schedule(
        actor=recruiter, candidate=CandidateFactory(), plan=plan, stage_key=stage["key"], interviewers=[interviewer],
        language="en",
    )  # fmt: skip
    first_key = stage["sections"][0]["questions"][0]["key"]
    kit_before = selectors.interview_kit(interview)
    question = Question.objects.select_related("topic").get(key=first_key)
    edited = QuestionContent.of(question)
    edited.prompt = {**edited.prompt, "en": "A brand new wording?"}
    assert question_update(actor=recruiter, question=question, content=edited)
    content = copy.deepcopy(plan.current.content)
    next(s for s in content["stages"] if s["kind"] == "interview")["sections"][0]["questions"].pop(0)
    services.plan_save(actor=recruiter, plan=plan, content=content)

    interview.refresh_from_db()
    kit_after = selectors.interview_kit(interview)
    assert interview.plan_version.number == 1
    assert kit_after == kit_before
    assert kit_after["sections"][0]["questions"][0]["prompt"] != "A brand new wording?"
    assert interviewer in interview.candidate.interviewers.all()


def test_the_kit_pdf_holds_the_russian_text(templates, recruiter, interviewer) -> None:  # type: ignore[no-untyped-def]
    plan = services.plan_copy(actor=recruiter, source=templates["ml-llm-engineer-junior"], name="Kit plan")
    stage = next(s for s in plan.current.content["stages"] if s["kind"] == "interview")
    interview = services.interview_schedule(
        actor=recruiter, candidate=CandidateFactory(full_name="Пётр Ильин"), plan=plan, stage_key=stage["key"],
        interviewers=[interviewer], language="ru",
    )  # fmt: skip
    kit = selectors.interview_kit(interview)

    pdf = kit_pdf(kit)

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    first_prompt = kit["sections"][0]["questions"][0]["prompt"]
    assert pdf.startswith(b"%PDF-")
    assert "Пётр Ильин" in text
    assert "Ключевые моменты" in text
    assert " ".join(first_prompt.split()[:4]) in " ".join(text.split())


@pytest.mark.parametrize(
    ("role", "level", "minutes", "topics"),
    [
        ("ml-llm-engineer", "middle", 60, ["retrieval-rag", "fine-tuning-peft"]),
        ("ml-llm-engineer", "senior", 90, ["llm-evaluation", "serving-latency", "distributed-training"]),
        ("mlops", "junior", 45, ["mlops-cicd", "drift-monitoring"]),
        ("data-engineer-ai", "middle", 75, ["data-validation", "feature-stores"]),
        ("ai-product-manager", "senior", 45, ["ab-testing"]),
        ("ai-product-manager", "junior", 30, []),
    ],
)
def test_the_suggestion_respects_the_time_covers_the_topics_and_is_deterministic(role, level, minutes, topics) -> None:  # type: ignore[no-untyped-def]
    first = plan_suggestion({"role": role, "level": level, "minutes": minutes, "topics": topics})
    again = plan_suggestion({"role": role, "level": level, "minutes": minutes, "topics": topics})

    interview = next(stage for stage in first["content"]["stages"] if stage["kind"] == "interview")
    times = dict(Question.objects.values_list("key", "time_minutes"))
    topic_of = {q.key: q.topic.slug for q in Question.objects.select_related("topic")}
    used = sum(times[q["key"]] for section in interview["sections"] for q in section["questions"])
    assert first == again
    assert used <= minutes
    assert used >= minutes * 0.7  # the time is put to use, not left empty
    for section in interview["sections"]:
        assert sum(times[q["key"]] for q in section["questions"]) <= section["minutes"]
    covered = {topic_of[q["key"]] for section in interview["sections"] for q in section["questions"]}
    assert set(topics) <= covered
    assert first["missing_topics"] == []


def test_the_suggestion_prefers_questions_used_least(recruiter) -> None:  # type: ignore[no-untyped-def]
    before = plan_suggestion({"role": "mlops", "level": "middle", "minutes": 40, "topics": ["mlops-cicd"]})
    chosen = [q["key"] for s in before["content"]["stages"] for sec in s.get("sections", []) for q in sec["questions"]]
    topic = Topic.objects.get(slug="mlops-cicd")
    first_cicd = next(k for k in chosen if Question.objects.get(key=k).topic_id == topic.pk)
    Question.objects.filter(key=first_cicd).update(interview_uses=50)

    after = plan_suggestion({"role": "mlops", "level": "middle", "minutes": 40, "topics": ["mlops-cicd"]})

    chosen_after = [
        q["key"] for s in after["content"]["stages"] for sec in s.get("sections", []) for q in sec["questions"]
    ]
    alternatives = Question.objects.filter(topic=topic, status="active", roles__contains=["mlops"]).exclude(
        key=first_cicd
    )
    assert alternatives.exists()
    assert first_cicd not in chosen_after
