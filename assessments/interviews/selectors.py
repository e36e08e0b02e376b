"""Reads of plans and interviews: the builder's view of a plan, coverage, the kit."""

from __future__ import annotations

from collections import Counter
from typing import Any

from assessments.questionbank.models import Question, QuestionVersion, Topic

from .competencies import label
from .models import Interview, Plan


def question_rows(keys: list[str]) -> dict[str, dict[str, Any]]:
    topics = dict(Topic.objects.values_list("id", "slug"))
    return {
        q.key: {
            "key": q.key,
            "topic": topics[q.topic_id],
            "level": q.level,
            "minutes": q.time_minutes,
            "status": q.status,
            "prompt_en": q.prompt_en,
            "prompt_ru": q.prompt_ru,
            "version": q.version,
        }
        for q in Question.objects.filter(key__in=keys)
    }


def plan_for_builder(plan: Plan) -> dict[str, Any]:
    """The current content with each question's metadata, for the builder page."""
    content = plan.current.content if plan.current else {"stages": []}
    keys = [q["key"] for s in content["stages"] for sec in s.get("sections", []) for q in sec["questions"]]
    return {"id": plan.pk, "name": plan.name, "content": content, "questions": question_rows(keys)}


def plan_coverage(content: dict[str, Any]) -> dict[str, Any]:
    """Topics and levels of the plan's questions, and minutes per section."""
    keys = [q["key"] for s in content["stages"] for sec in s.get("sections", []) for q in sec["questions"]]
    rows = question_rows(keys)
    return {
        "topics": dict(Counter(rows[k]["topic"] for k in keys if k in rows)),
        "levels": dict(Counter(rows[k]["level"] for k in keys if k in rows)),
        "sections": [
            {
                "stage": stage["key"],
                "section": section["key"],
                "budget": section["minutes"],
                "used": sum(rows[q["key"]]["minutes"] for q in section["questions"] if q["key"] in rows),
            }
            for stage in content["stages"]
            for section in stage.get("sections", [])
        ],
    }


def interview_kit(interview: Interview) -> dict[str, Any]:
    """What the interviewer needs, in the interview's language: the stage's sections
    with their questions as they were when the plan version was saved."""
    language = interview.language
    suffix = "ru" if language == "ru" else "en"
    stage = next(s for s in interview.plan_version.content["stages"] if s["key"] == interview.stage_key)
    pins = [(q["key"], q["version"]) for section in stage["sections"] for q in section["questions"]]
    versions = {
        (v.question.key, v.number): v.content
        for v in QuestionVersion.objects.select_related("question").filter(question__key__in=[key for key, _ in pins])
    }
    sections = []
    for section in stage["sections"]:
        questions = []
        for pin in section["questions"]:
            content = versions.get((pin["key"], pin["version"]), {})
            questions.append(
                {
                    "key": pin["key"],
                    "minutes": content.get("time_minutes"),
                    "prompt": _text(content.get("prompt"), suffix),
                    "answer": _text(content.get("answer"), suffix),
                    "key_points": _localised(content.get("key_points", []), suffix),
                    "common_mistakes": _localised(content.get("common_mistakes", []), suffix),
                    "follow_ups": _localised(content.get("follow_ups", []), suffix),
                    "tips": _text(content.get("tips"), suffix),
                }
            )
        sections.append(
            {
                "title": section[f"title_{suffix}"],
                "minutes": section["minutes"],
                "competencies": [label(c, language) for c in section["competencies"]],
                "questions": questions,
            }
        )
    return {
        "title": stage[f"title_{suffix}"],
        "candidate": interview.candidate.full_name,
        "plan": str(interview.plan_version),
        "language": language,
        "minutes": sum(section["minutes"] for section in sections),
        "sections": sections,
    }


def _text(value: Any, suffix: str) -> str:
    """A bilingual field of a question version ({"en", "ru"}), in the language, else English."""
    if isinstance(value, dict):
        return str(value.get(suffix) or value.get("en") or "")
    return str(value or "")


def _localised(items: list[Any], suffix: str) -> list[str]:
    """Rubric lists are stored as {"en", "ru"} items (or plain strings)."""
    return [text for text in (_text(item, suffix) for item in items) if text]
