"""Plain-text question documents laid out like the seeds. Three layouts:

- numbered lists: "Вопрос N: ..." / "Question N: ..." (also "### Вопрос 1:" with
  "**Вопрос:** ... **Ответ:** ... **Объяснение:** ..."), the answer following;
- Q/A blocks: "Q: ..." / "A: ..." under level headings (Basic / Medium / Killer,
  or Junior / Middle / Senior) and numbered topic headings ("1. Model Serving"),
  plus graded questions followed by ❌ wrong and ✅ right answers;
- question cards: a question, then "Короткий ответ" / "Short answer",
  "Подробный разбор" / "Detailed answer", "Типичные ошибки" / "Typical mistakes"
  and "Как сказать на собеседовании" / "How to say it" sections.

Each question becomes a one-language draft entry with its answer, mistakes and
tips; its provenance is (document, position in the document).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .entries import ParsedEntry
from .errors import ImportFormatError

LEVELS = {
    "basic": "junior",
    "junior": "junior",
    "medium": "middle",
    "middle": "middle",
    "killer": "senior",
    "senior": "senior",
    "hard": "senior",
    "easy": "junior",
}
NUMBERED_QUESTION = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?(?:Вопрос|Question)(?:\s+\d+)?(?:\s*\([^)]{1,40}\))?\s*(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.*)$",
    re.IGNORECASE,
)
NUMBERED_ANSWER = re.compile(r"^\s*(?:\*\*)?(?:Ответ|Answer)\s*:\s*(?:\*\*)?\s*(.*)$", re.IGNORECASE)
NUMBERED_EXPLANATION = re.compile(r"^\s*(?:\*\*)?(?:Объяснение|Explanation)\s*:\s*(?:\*\*)?\s*(.*)$", re.IGNORECASE)
EXPECTATION = re.compile(r"\s*\*?(?:Ждем|Ждём|Expect(?:ed)?)\b[\s:]*", re.IGNORECASE)
# A heading starts at the first column: "## Title", "3. Title", "Блок 2: Title".
HEADING = re.compile(r"^(?:#{1,6}\s+(.+)|\d{1,2}\.\s+([^\d].{2,80})|(?:Блок|Block|Этап|Stage)\s+\d+\s*:\s*(.+))$")
CARD_MARKERS = {
    "короткий ответ": "answer",
    "short answer": "answer",
    "подробный разбор": "explanation",
    "detailed answer": "explanation",
    "detailed explanation": "explanation",
    "типичные ошибки": "mistakes",
    "typical mistakes": "mistakes",
    "common mistakes": "mistakes",
    "как сказать на собеседовании": "tips",
    "how to say it": "tips",
    "how to say it in the interview": "tips",
}
GRADED_SECTION = re.compile(r"^\s*(Вопросы с оценкой ответов|Graded questions)\s*$", re.IGNORECASE)
END_SECTION = re.compile(r"^\s*(See Also|См\. также|Типичные заблуждения|Common misconceptions)\s*$", re.IGNORECASE)


def language_of(text: str) -> str:
    letters = [char for char in text if char.isalpha()]
    cyrillic = sum("а" <= char.lower() <= "я" or char.lower() == "ё" for char in letters)
    return "ru" if letters and cyrillic / len(letters) > 0.3 else "en"


def _one_language(text: str, language: str) -> dict[str, str]:
    return {"en": "", "ru": "", language: text.strip()}


def _bullets(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if re.match(r"^([-*•❌✅]|\d+[.)])\s*", stripped) or not items:
            items.append(re.sub(r"^([-*•❌✅]|\d+[.)])\s*", "", stripped))
        else:
            items[-1] += " " + stripped
    return [item for item in items if item]


def _entry(
    *,
    line: int,
    document: str,
    ordinal: int,
    prompt: str,
    answer: str = "",
    mistakes: list[str] | None = None,
    tips: str = "",
    level: str = "",
    topic_hint: str = "",
) -> ParsedEntry:
    prompt = " ".join(prompt.split()).strip("«»\"' ")
    if not prompt:
        raise ImportFormatError(_("a question without text."), line=line, document=document)
    language = language_of(prompt)
    return ParsedEntry(
        line=line,
        topic_hint=topic_hint,
        data={
            "status": "draft",
            "level": level or "middle",
            "roles": ["ml-llm-engineer"],
            "time_minutes": 5,
            "prompt": _one_language(prompt, language),
            "answer": _one_language(answer.strip()[:5000], language),
            "tips": _one_language(tips.strip()[:5000], language),
            "common_mistakes": [_one_language(item[:1000], language) for item in (mistakes or [])[:6]],
            "provenance": [{"document": document, "ordinal": ordinal}],
        },
    )


def _heading(line: str) -> str:
    match = HEADING.match(line)
    return next((group for group in match.groups() if group), "").strip("# *") if match else ""


@dataclass
class _Draft:
    """A question being read, line by line."""

    line: int
    prompt: str
    topic: str = ""
    level: str = ""
    answer: str = ""
    explanation: str = ""
    mistakes: list[str] = field(default_factory=list)
    section: str = "prompt"  # where continuation lines go: prompt, answer or explanation

    def add(self, text: str) -> None:
        current = getattr(self, self.section)
        setattr(self, self.section, f"{current}\n{text}" if current else text)

    def entry(self, document: str, ordinal: int) -> ParsedEntry:
        prompt, answer = self.prompt, self.answer
        parts = EXPECTATION.split(prompt, maxsplit=1)
        if len(parts) == 2:  # "«question» Ждем ответ про ..." on one line
            prompt, answer = parts[0], f"{parts[1]}\n{answer}"
        return _entry(
            line=self.line,
            document=document,
            ordinal=ordinal,
            prompt=prompt,
            answer=answer,
            mistakes=self.mistakes,
            tips=self.explanation,
            level=self.level,
            topic_hint=self.topic,
        )


def parse_qa_blocks(lines: list[str], document: str) -> list[ParsedEntry]:
    entries: list[ParsedEntry] = []
    level = topic = ""
    current: _Draft | None = None
    graded = False

    def flush() -> None:
        nonlocal current
        if current is not None:
            entries.append(current.entry(document, len(entries) + 1))
        current = None

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if END_SECTION.match(line):
            flush()
            graded = False
        elif GRADED_SECTION.match(line):
            flush()
            graded = True
        elif graded:
            # A graded question is followed by ❌ wrong and ✅ right example answers.
            if line.startswith("❌") and current is not None:
                current.mistakes.append(line.lstrip("❌ ").strip('"“” '))
            elif line.startswith("✅") and current is not None:
                current.answer = line.lstrip("✅ ").strip('"“” ')
            elif line:
                flush()
                current = _Draft(line=number, prompt=line)
        elif line.lower() in LEVELS:
            flush()
            level = LEVELS[line.lower()]
        elif line.startswith("Q:"):
            flush()
            current = _Draft(line=number, prompt=line[2:].strip(), level=level, topic=topic)
        elif line.startswith("A:"):
            if current is None or current.section == "answer":
                raise ImportFormatError(_("an “A:” without a “Q:” before it."), line=number, document=document)
            current.section = "answer"
            current.answer = line[2:].strip()
        # Inside an answer, "# ..." is a code comment, not a heading.
        elif (heading := _heading(raw)) and not (current is not None and raw.startswith("#")):
            flush()
            topic = heading
        elif current is not None and line:
            current.add(line)
    flush()
    return entries


def parse_numbered(lines: list[str], document: str) -> list[ParsedEntry]:
    entries: list[ParsedEntry] = []
    topic = ""
    current: _Draft | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            entries.append(current.entry(document, len(entries) + 1))
        current = None

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        question = NUMBERED_QUESTION.match(raw)
        answer = NUMBERED_ANSWER.match(raw)
        explanation = NUMBERED_EXPLANATION.match(raw)
        if question and current is not None and not current.prompt.strip():
            current.prompt = question.group(1)  # "### Вопрос 1:" then "**Вопрос:** text"
        elif question:
            flush()
            current = _Draft(line=number, prompt=question.group(1), topic=topic)
        elif heading := _heading(raw):
            flush()
            topic = heading
        elif current is None:
            continue
        elif answer or explanation:
            current.section = "answer" if answer else "explanation"
            current.add((answer or explanation).group(1))  # type: ignore[union-attr]
        elif line and line != "---":
            if current.section == "prompt" and current.prompt.strip():
                current.section = "answer"  # the answer follows the question line
            current.add(line)
    flush()
    return entries


def parse_cards(lines: list[str], document: str) -> list[ParsedEntry]:
    stripped = [line.strip() for line in lines]
    markers = [index for index, line in enumerate(stripped) if CARD_MARKERS.get(line.lower()) == "answer"]
    counts = Counter(line for line in stripped if line)
    # Lines repeated on most cards ("Show the answer", study instructions) are boilerplate.
    boilerplate = {line for line, count in counts.items() if len(markers) > 1 and count >= max(2, len(markers) // 2)}
    questions = []
    for position, marker in enumerate(markers):
        index = marker - 1
        while index >= 0 and (not stripped[index] or stripped[index] in boilerplate):
            index -= 1
        if index < 0 or (position and index <= markers[position - 1]):
            raise ImportFormatError(
                _("a “short answer” section without a question above it."), line=marker + 1, document=document
            )
        questions.append(index)
    entries: list[ParsedEntry] = []
    for position, (question, marker) in enumerate(zip(questions, markers, strict=True)):
        end = questions[position + 1] if position + 1 < len(questions) else len(lines)
        sections: dict[str, list[str]] = {"answer": [], "explanation": [], "mistakes": [], "tips": []}
        section = "answer"
        for line in stripped[marker + 1 : end]:
            if CARD_MARKERS.get(line.lower()):
                section = CARD_MARKERS[line.lower()]
            elif line and line not in boilerplate:
                sections[section].append(line)
        for name in ("mistakes", "tips"):
            # Bulleted sections end at their last bullet: what follows is the next card's category line.
            bullets = [line for line in sections[name] if line.startswith(("-", "*", "•"))]
            sections[name] = bullets or sections[name]
        entries.append(
            _entry(
                line=question + 1,
                document=document,
                ordinal=position + 1,
                prompt=stripped[question],
                answer="\n".join(sections["answer"] + sections["explanation"]),
                mistakes=_bullets(sections["mistakes"]),
                tips="\n".join(_bullets(sections["tips"])),
            )
        )
    return entries


def parse_text(text: str, *, document: str) -> list[ParsedEntry]:
    """Recognise the layout and parse it; an unrecognised document is an error."""
    lines = text.splitlines()
    parser: Callable[[list[str], str], list[ParsedEntry]]
    if any(line.startswith("Q:") for line in lines):
        parser = parse_qa_blocks
    elif any(CARD_MARKERS.get(line.strip().lower()) == "answer" for line in lines):
        parser = parse_cards
    elif any(NUMBERED_QUESTION.match(line) for line in lines):
        parser = parse_numbered
    else:
        raise ImportFormatError(
            _("no questions found: expected “Вопрос N:” / “Question N:” lines, “Q:”/“A:” blocks or question cards."),
            line=1,
            document=document,
        )
    entries = parser(lines, document)
    if not entries:
        raise ImportFormatError(_("no questions found."), line=1, document=document)
    return entries
