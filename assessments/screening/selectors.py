"""Reads of resume screening: the score, the highlighted resume, which checklist fits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import Checklist, FlagStatus, Screening, ScreeningFlag

# The screening score, 0-100: 50 when nothing is flagged; green flags add up to
# 50 in proportion to their share of the checklist's green weight, red flags take
# up to 50 away the same way. Flags count until the recruiter rejects them, so the
# score is meaningful before the review and exact after it.


@dataclass(frozen=True)
class ScreeningSummary:
    green: int
    red: int
    pending: int
    score: int


def screening_summary(screening: Screening) -> ScreeningSummary:
    flags = list(screening.flags.exclude(status=FlagStatus.REJECTED))
    green_total = sum(int(f["weight"]) for f in screening.version.flags if f["kind"] == "green") or 1
    red_total = sum(int(f["weight"]) for f in screening.version.flags if f["kind"] == "red") or 1
    green = sum(flag.weight for flag in flags if flag.kind == "green")
    red = sum(flag.weight for flag in flags if flag.kind == "red")
    score = round(50 + 50 * green / green_total - 50 * red / red_total)
    return ScreeningSummary(
        green=sum(flag.kind == "green" for flag in flags),
        red=sum(flag.kind == "red" for flag in flags),
        pending=sum(flag.status == FlagStatus.PENDING for flag in flags),
        score=max(0, min(100, score)),
    )


def checklist_for_role(role: str) -> Checklist | None:
    return Checklist.objects.filter(role=role, current__isnull=False).order_by("slug").first()


@dataclass(frozen=True)
class TextPiece:
    text: str
    kind: str  # "" for plain text, else "green" / "red"
    key: str
    index: int  # which piece of evidence (an anchor for the flag list)


def highlighted(screening: Screening, flags: list[ScreeningFlag]) -> list[TextPiece]:
    """The resume's text cut into plain and highlighted pieces (evidence of flags not rejected)."""
    spans: list[tuple[int, int, str, str]] = []
    for flag in flags:
        if flag.status == FlagStatus.REJECTED:
            continue
        for item in flag.evidence:
            spans.append((int(item["start"]), int(item["end"]), flag.kind, flag.key))
    spans.sort()
    text = screening.resume_text
    pieces: list[TextPiece] = []
    position = 0
    for number, (start, end, kind, key) in enumerate(spans):
        if start < position:  # overlapping evidence of two flags: the first one wins
            continue
        if start > position:
            pieces.append(TextPiece(text[position:start], "", "", -1))
        pieces.append(TextPiece(text[start:end], kind, key, number))
        position = end
    pieces.append(TextPiece(text[position:], "", "", -1))
    return pieces


def flag_titles(screening: Screening, language: str) -> dict[str, dict[str, Any]]:
    """key -> {"title", "description"} of the screening's checklist version, in the language."""
    suffix = "ru" if language == "ru" else "en"
    return {
        flag["key"]: {"title": flag[f"title_{suffix}"], "description": flag[f"description_{suffix}"]}
        for flag in screening.version.flags
    }
