"""Does REPORT.md hold what the instructions ask for: the approach, the metric
measured on the public questions (with its figure) and the next steps?

A section is a heading (`# ...`, a line in bold, or a short `Label:` at the
start of a line) whose words name it, in English or Russian, followed by at
least SECTION_MIN_WORDS words before the next heading: a bare heading is not a
section. The figure is a number within a few characters of a metric's name on
one line ("hit@5 = 0.7", "MRR 0.62", "| точность | 80% |"), anywhere in the
report. This checks the report's shape, not its truth: the reviewer reads it.
"""

from __future__ import annotations

import re

SECTION_MIN_WORDS = 8
SECTIONS = ("approach", "metric", "next_steps")

# Stems, matched at a word's start, so Russian endings and English plurals need no list.
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "approach": (
        "approach", "method", "design", "solution", "architecture", "how it works", "overview", "pipeline",
        "подход", "метод", "решени", "архитектур", "как работает", "устройств", "описание",
    ),
    "metric": (
        "metric", "evaluation", "result", "measure", "score", "quality",
        "метрик", "оценк", "результат", "качеств", "измерен",
    ),
    "next_steps": (
        "next", "future", "improvement", "todo", "would do", "roadmap", "what i would",
        "дальше", "дальнейш", "следующ", "план", "улучшени", "что бы я", "что можно",
    ),
}  # fmt: skip

METRIC_NAME = re.compile(
    r"\b(?:hit|recall|precision|ndcg|map|mrr)\s*@\s*\d+|\b(?:mrr|ndcg|accuracy|precision|recall|f1|hit[ -]?rate)\b"
    r"|точност\w*|полнот\w*|доля\s+(?:правильн|верн)\w*",
    re.IGNORECASE,
)
FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*%|\d+\s*/\s*\d+|\d*[.,]\d+|\b\d+\b")
FIGURE_REACH = 40  # characters between a metric's name and its number
HEADING = re.compile(r"^\s{0,3}(?:#{1,6}\s+(?P<hash>.+?)\s*#*\s*$|(?:\*\*|__)(?P<bold>[^*_]+?)(?:\*\*|__)\s*:?\s*$)")
LABEL = re.compile(r"^\s*(?:[-*]\s+)?(?:\*\*|__)?(?P<label>[^\W\d][^:\n]{0,38}?)(?:\*\*|__)?\s*:\s*(?P<rest>.*)$")
WORD = re.compile(r"\w+")


def _heading(line: str) -> tuple[str, str] | None:
    """(the heading's text, text after it on the same line), or None for a body line."""
    if match := HEADING.match(line):
        return (match["hash"] or match["bold"]).strip(), ""
    if (match := LABEL.match(line)) and _section_of(match["label"]):
        return match["label"].strip(), match["rest"]
    return None


def _section_of(heading: str) -> str | None:
    text = " " + re.sub(r"[^\w@ ]+", " ", heading.lower()) + " "
    for section, stems in SECTION_WORDS.items():
        if any(f" {stem}" in text for stem in stems):
            return section
    return None


def _sections(report: str) -> dict[str, int]:
    """Words under each recognised section (the largest when a section repeats)."""
    found: dict[str, int] = {}
    current: str | None = None
    words = 0

    def close() -> None:
        if current is not None:
            found[current] = max(found.get(current, 0), words)

    for line in report.splitlines():
        heading = _heading(line)
        if heading is None:
            words += len(WORD.findall(line))
            continue
        close()
        current, words = _section_of(heading[0]), len(WORD.findall(heading[1]))
    close()
    return found


def metric_figure(report: str) -> str:
    """The first "<metric> <number>" (or "<number> <metric>") on one line, as written; "" if none."""
    for line in report.splitlines():
        for name in METRIC_NAME.finditer(line):
            after = line[name.end() : name.end() + FIGURE_REACH]
            before = line[max(0, name.start() - FIGURE_REACH) : name.start()]
            if FIGURE.search(after) or FIGURE.search(before[-12:]):
                return line.strip()[:200]
    return ""


def report_check(report: str) -> dict[str, object]:
    """Sections found, the metric figure, the word count and the part's value (0..1):
    a quarter for each of the three sections and a quarter for the figure."""
    words = _sections(report)
    sections = {name: words.get(name, 0) >= SECTION_MIN_WORDS for name in SECTIONS}
    figure = metric_figure(report)
    value = (sum(sections.values()) + bool(figure)) / (len(SECTIONS) + 1)
    return {
        "present": bool(report.strip()),
        "sections": sections,
        "metric_figure": bool(figure),
        "metric_figure_line": figure,
        "words": len(WORD.findall(report)),
        "value": round(value, 4),
    }
