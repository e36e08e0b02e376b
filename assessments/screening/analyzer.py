"""Suggest red/green flags for a resume's text, each with its evidence.

Pure functions, no Django: a checklist's flags come in as plain mappings, the
text as a string. A flag fires when one of its rules fires. A rule is a small
declarative mapping (validated by `checklists.py`):

    id:            names the rule in the evidence ("which rule fired")
    any:           regexes; each match is a candidate piece of evidence
    with_nearby:   regexes; a match counts only if its segment (line or
                   sentence) also matches one of these ("Llama 2 7B" + "QLoRA")
    unless_nearby: regexes; a match does not count if its segment matches one
                   of these (a vague phrase followed by specifics is not vague)
    unless:        regexes judged on the whole text; if any matches, the rule
                   does not fire ("prompt engineering" and nothing technical)
    min_distinct:  the rule fires only with this many distinct matched texts
                   (at least two named libraries)
    absent:        regexes; the rule fires when none matches anywhere
                   (no link to code); its evidence is the whole text

Regexes are case-insensitive and Unicode-aware, so Russian and English forms
and mixed-language lines are matched alike.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

MAX_EVIDENCE = 5  # per flag: enough to show why, few enough to read
QUOTE_CONTEXT = 60  # characters of the segment shown around a short match
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZА-ЯЁ«\"(])")
_BULLET = re.compile(r"^(?:[-–—•*▪●·]|\d{1,2}[.)])\s")


@dataclass(frozen=True)
class Evidence:
    quote: str
    start: int
    end: int
    line: int
    rule: str


@dataclass(frozen=True)
class Suggestion:
    key: str
    kind: str
    evidence: list[Evidence] = field(default_factory=list)
    whole_text: bool = False  # an absence flag: judged on the whole text


@dataclass(frozen=True)
class _Segment:
    start: int
    end: int
    line: int


def normalise(text: str) -> str:
    """NFC, one kind of newline and of space; offsets of evidence refer to this text."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")


@lru_cache(maxsize=2048)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.UNICODE)


WRAP_WIDTH = 50  # a line at least this long that does not end a sentence was probably wrapped


def _continues(line: str, previous: str) -> bool:
    """A wrapped line of the bullet or sentence above: indented, or starting in lower
    case right after a long line that does not end a sentence (not a name, a heading
    or a link on its own line)."""
    stripped = line.lstrip()
    if not stripped or _BULLET.match(stripped) or not previous.strip():
        return False
    if line[:1].isspace():
        return True
    ended = previous.rstrip().endswith((".", ":", ";", "!", "?"))
    return stripped[:1].islower() and len(previous) >= WRAP_WIDTH and not ended


def _segments(text: str) -> list[_Segment]:
    """Bullets and paragraphs (wrapped lines joined), split further into sentences:
    the scope of `with_nearby` / `unless_nearby`. A segment's line is its first line."""
    blocks: list[tuple[int, int, int]] = []  # start, end, first line number
    offset = 0
    previous = ""
    for number, line in enumerate(text.split("\n"), start=1):
        end = offset + len(line)
        if blocks and _continues(line, previous):
            blocks[-1] = (blocks[-1][0], end, blocks[-1][2])
        else:
            blocks.append((offset, end, number))
        offset = end + 1
        previous = line
    segments = []
    for start, end, number in blocks:
        block = text[start:end]
        position = 0
        for piece in _SENTENCE_END.split(block):
            found = block.find(piece, position)
            first_line = number + block.count("\n", 0, found)
            segments.append(_Segment(start + found, start + found + len(piece), first_line))
            position = found + len(piece)
    return segments


def _segment_at(segments: Sequence[_Segment], starts: Sequence[int], position: int) -> _Segment:
    return segments[max(0, bisect.bisect_right(starts, position) - 1)]


def _any_match(patterns: Iterable[str], text: str) -> bool:
    return any(_compiled(pattern).search(text) for pattern in patterns)


def _quote(text: str, segment: _Segment, start: int, end: int) -> str:
    left = max(segment.start, start - QUOTE_CONTEXT)
    right = min(segment.end, end + QUOTE_CONTEXT)
    quote = text[left:right].strip()
    return ("…" if left > segment.start else "") + quote + ("…" if right < segment.end else "")


def _rule_evidence(
    rule: dict[str, Any], text: str, segments: Sequence[_Segment], starts: Sequence[int]
) -> list[Evidence] | None:
    """The evidence of one rule, or None when it does not fire."""
    rule_id = str(rule.get("id", "rule"))
    if rule.get("unless") and _any_match(rule["unless"], text):
        return None
    if rule.get("absent"):
        return None if _any_match(rule["absent"], text) else []
    found: list[Evidence] = []
    distinct: set[str] = set()
    for pattern in rule.get("any", []):
        for match in _compiled(pattern).finditer(text):
            if match.end() == match.start():
                continue
            segment = _segment_at(segments, starts, match.start())
            scope = text[segment.start : segment.end]
            if rule.get("with_nearby") and not _any_match(rule["with_nearby"], scope):
                continue
            if rule.get("unless_nearby") and _any_match(rule["unless_nearby"], scope):
                continue
            distinct.add(" ".join(match.group(0).lower().split()))
            found.append(
                Evidence(
                    quote=_quote(text, segment, match.start(), match.end()),
                    start=match.start(),
                    end=match.end(),
                    line=text.count("\n", 0, match.start()) + 1,
                    rule=rule_id,
                )
            )
    if not found or len(distinct) < int(rule.get("min_distinct", 1)):
        return None
    return found


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    """Overlapping matches of several rules show once, in reading order."""
    kept: list[Evidence] = []
    for item in sorted(evidence, key=lambda e: (e.start, -e.end)):
        if kept and item.start < kept[-1].end:
            continue
        kept.append(item)
    return kept


def analyse(text: str, flags: Sequence[dict[str, Any]]) -> list[Suggestion]:
    """Flags of the checklist that the text suggests, with evidence (text must be `normalise`d)."""
    segments = _segments(text) or [_Segment(0, 0, 1)]
    starts = [segment.start for segment in segments]
    suggestions = []
    for flag in flags:
        evidence: list[Evidence] = []
        fired = False
        whole_text = False
        for rule in flag.get("rules", []):
            result = _rule_evidence(rule, text, segments, starts)
            if result is None:
                continue
            fired = True
            whole_text = whole_text or bool(rule.get("absent"))
            evidence.extend(result)
        if fired:
            suggestions.append(
                Suggestion(
                    key=flag["key"],
                    kind=flag["kind"],
                    evidence=_dedupe(evidence)[:MAX_EVIDENCE],
                    whole_text=whole_text and not evidence,
                )
            )
    return suggestions
