"""A plan's content: stages, and inside interview stages timed sections of bank
questions. `plan_content_validate` returns the normalised content or raises
PlanError with every problem found, each naming the stage and section.

    {"stages": [
      {"key": "resume", "kind": "screening", "title_en": ..., "title_ru": ..., "weight": 10},
      {"key": "tech", "kind": "interview", "title_en": ..., "title_ru": ..., "weight": 45,
       "sections": [{"key": "fundamentals", "title_en": ..., "title_ru": ..., "minutes": 30,
                     "competencies": ["ml-fundamentals"],
                     "questions": [{"key": "python-shallow-vs-deep-copy", "version": 1}]}]},
      {"key": "takehome", "kind": "takehome", ..., "weight": 25},
      {"key": "soft", "kind": "soft_skills", ..., "weight": 20, "competencies": ["communication", ...]}]}

Stage weights add up to 100: they weigh the stages in the candidate's final score.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .competencies import ALL, SOFT_SKILLS, TECHNICAL

KINDS = ("screening", "interview", "takehome", "soft_skills")
TIME_TOLERANCE = 0.2  # questions may run 20% over a section's budget, not more
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class PlanError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _text(item: Mapping[str, Any], name: str, where: str, problems: list[str]) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: {name} is required")
        return ""
    return value.strip()[:200]


def _int(item: Mapping[str, Any], name: str, where: str, low: int, high: int, problems: list[str]) -> int:
    value = item.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        problems.append(f"{where}: {name} must be a whole number from {low} to {high}")
        return low
    return value


def _section(
    section: Any, where: str, questions: Mapping[str, Any], seen: set[str], problems: list[str]
) -> dict[str, Any]:
    if not isinstance(section, dict):
        problems.append(f"{where}: a section is a mapping")
        return {}
    key = str(section.get("key", ""))
    where = f"{where}, section {key or '?'}"
    if not SLUG.match(key):
        problems.append(f"{where}: key must be lowercase letters, digits and dashes")
    minutes = _int(section, "minutes", where, 1, 240, problems)
    competencies = [str(c) for c in section.get("competencies", [])]
    unknown = [c for c in competencies if c not in TECHNICAL]
    if unknown:
        problems.append(f"{where}: unknown competencies {unknown}")
    items = []
    for entry in section.get("questions", []):
        question_key = str(entry.get("key") if isinstance(entry, dict) else entry)
        question = questions.get(question_key)
        if question is None:
            problems.append(f"{where}: no question {question_key!r} in the bank")
            continue
        if question.status != "active":
            problems.append(f"{where}: question {question_key!r} is retired; replace it")
        if question_key in seen:
            problems.append(f"{where}: question {question_key!r} is already in the plan")
        seen.add(question_key)
        items.append({"key": question_key, "version": question.version, "minutes": question.time_minutes})
    if not items:
        problems.append(f"{where}: the section has no questions")
    used = sum(item["minutes"] for item in items)
    if used > minutes * (1 + TIME_TOLERANCE):
        problems.append(
            f"{where}: the questions take {used} min, over the {minutes} min budget"
            f" (more than {TIME_TOLERANCE:.0%} over)"
        )
    return {
        "key": key,
        "title_en": _text(section, "title_en", where, problems),
        "title_ru": _text(section, "title_ru", where, problems),
        "minutes": minutes,
        "competencies": competencies,
        "questions": [{"key": item["key"], "version": item["version"]} for item in items],
    }


def plan_content_validate(content: Any, questions: Mapping[str, Any]) -> dict[str, Any]:
    """`questions`: key -> Question for every key the content names (and more is fine)."""
    problems: list[str] = []
    stages = content.get("stages") if isinstance(content, dict) else None
    if not isinstance(stages, list) or not stages:
        raise PlanError(["a plan has at least one stage"])
    normalised = []
    seen: set[str] = set()
    keys: set[str] = set()
    for stage in stages:
        if not isinstance(stage, dict):
            problems.append("a stage is a mapping")
            continue
        key = str(stage.get("key", ""))
        where = f"stage {key or '?'}"
        if not SLUG.match(key) or key in keys:
            problems.append(f"{where}: key must be unique, lowercase letters, digits and dashes")
        keys.add(key)
        kind = stage.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: kind must be one of {', '.join(KINDS)}")
        item: dict[str, Any] = {
            "key": key,
            "kind": kind,
            "title_en": _text(stage, "title_en", where, problems),
            "title_ru": _text(stage, "title_ru", where, problems),
            "weight": _int(stage, "weight", where, 0, 100, problems),
        }
        if kind == "interview":
            sections = stage.get("sections")
            if not isinstance(sections, list) or not sections:
                problems.append(f"{where}: an interview stage has at least one section")
                sections = []
            item["sections"] = [_section(s, where, questions, seen, problems) for s in sections]
        if kind == "soft_skills":
            skills = [str(s) for s in stage.get("competencies", list(SOFT_SKILLS))]
            unknown = [s for s in skills if s not in ALL]
            if unknown:
                problems.append(f"{where}: unknown competencies {unknown}")
            item["competencies"] = skills
        normalised.append(item)
    total = sum(stage.get("weight", 0) for stage in normalised)
    if total != 100:
        problems.append(f"the stage weights add up to {total}, not 100")
    if problems:
        raise PlanError(problems)
    return {"stages": normalised}


def question_keys(content: Mapping[str, Any]) -> list[str]:
    return [
        question["key"]
        for stage in content.get("stages", [])
        for section in stage.get("sections", [])
        for question in section.get("questions", [])
    ]


def total_minutes(content: Mapping[str, Any]) -> int:
    return sum(section["minutes"] for stage in content["stages"] for section in stage.get("sections", []))


def standard_plan(sections: list[dict[str, Any]]) -> dict[str, Any]:
    """The stages of the recruiter's method around one technical interview: resume
    screen, the interview (these sections), take-home, soft skills."""
    return {
        "stages": [
            {"key": "resume", "kind": "screening", "title_en": "Resume screen", "title_ru": "Скрининг резюме",
             "weight": 10},
            {"key": "technical", "kind": "interview", "title_en": "Technical interview",
             "title_ru": "Техническое интервью", "weight": 45, "sections": sections},
            {"key": "takehome", "kind": "takehome", "title_en": "Take-home task", "title_ru": "Тестовое задание",
             "weight": 25},
            {"key": "soft-skills", "kind": "soft_skills", "title_en": "Soft skills", "title_ru": "Гибкие навыки",
             "weight": 20, "competencies": list(SOFT_SKILLS)},
        ]
    }  # fmt: skip
