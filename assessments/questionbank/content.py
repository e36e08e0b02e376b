"""The content of a bank question as one value: what the YAML format, the
forms and the API all produce, validated in one place before any write."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from assessments.choices import JobRole, Level

from .models import Question, QuestionStatus

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_KEYS = {"new", "import", "create", "topics"}  # page and API addresses of the bank
TEXT_FIELDS = ("prompt", "answer", "tips")
LIST_FIELDS = ("key_points", "common_mistakes", "follow_ups")
LIST_LIMITS = {"key_points": (3, 7), "common_mistakes": (0, 6), "follow_ups": (0, 6)}
MAX_TEXT = 5000


@dataclass
class Provenance:
    document: str
    ordinal: int


@dataclass
class QuestionContent:
    """One question as entered. Bilingual texts are {"en": ..., "ru": ...}."""

    key: str
    topic: str
    level: str
    roles: list[str]
    time_minutes: int
    prompt: dict[str, str]
    answer: dict[str, str] = field(default_factory=lambda: {"en": "", "ru": ""})
    tips: dict[str, str] = field(default_factory=lambda: {"en": "", "ru": ""})
    key_points: list[dict[str, str]] = field(default_factory=list)
    common_mistakes: list[dict[str, str]] = field(default_factory=list)
    follow_ups: list[dict[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)
    status: str = QuestionStatus.ACTIVE

    def snapshot(self) -> dict[str, Any]:
        """What a version stores (everything but provenance, which is not content)."""
        data = asdict(self)
        data.pop("provenance")
        return data

    def content_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.snapshot(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def model_fields(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "roles": list(self.roles),
            "tags": list(self.tags),
            "time_minutes": self.time_minutes,
            "status": self.status,
            "prompt_en": self.prompt["en"],
            "prompt_ru": self.prompt["ru"],
            "answer_en": self.answer["en"],
            "answer_ru": self.answer["ru"],
            "tips_en": self.tips["en"],
            "tips_ru": self.tips["ru"],
            "key_points": self.key_points,
            "common_mistakes": self.common_mistakes,
            "follow_ups": self.follow_ups,
        }

    @classmethod
    def of(cls, question: Question) -> QuestionContent:
        """The current content of a stored question."""
        return cls(
            key=question.key,
            topic=question.topic.slug,
            level=question.level,
            roles=list(question.roles),
            time_minutes=question.time_minutes,
            prompt={"en": question.prompt_en, "ru": question.prompt_ru},
            answer={"en": question.answer_en, "ru": question.answer_ru},
            tips={"en": question.tips_en, "ru": question.tips_ru},
            key_points=list(question.key_points),
            common_mistakes=list(question.common_mistakes),
            follow_ups=list(question.follow_ups),
            tags=list(question.tags),
            provenance=[Provenance(source.document, source.ordinal) for source in question.sources.all()],
            status=question.status,
        )


def _bilingual(value: Any) -> dict[str, str] | None:
    if value is None:
        return {"en": "", "ru": ""}
    if not isinstance(value, dict) or set(value) - {"en", "ru"}:
        return None
    if not all(isinstance(text, str) for text in value.values()):
        return None
    return {"en": str(value.get("en", "")).strip(), "ru": str(value.get("ru", "")).strip()}


def content_from_mapping(data: dict[str, Any], *, topics: set[str]) -> tuple[QuestionContent | None, list[str]]:
    """Build and validate content from a mapping (a YAML entry, API input).

    Returns the content, or None and the list of problems (translated messages).
    """
    errors: list[str] = []
    if not isinstance(data, dict):
        return None, [_("An entry must be a mapping of fields.")]
    unknown = set(data) - {
        "key",
        "topic",
        "level",
        "roles",
        "time_minutes",
        "tags",
        "provenance",
        "status",
        *TEXT_FIELDS,
        *LIST_FIELDS,
    }
    if unknown:
        errors.append(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(map(str, unknown)))})
    key = str(data.get("key", "")).strip()
    if key in RESERVED_KEYS:
        errors.append(_("“%(key)s” is reserved; choose another key.") % {"key": key})
    elif not KEY_PATTERN.match(key) or len(key) > 120:
        errors.append(_("“key” must be lowercase letters, digits and hyphens (got “%(key)s”).") % {"key": key[:60]})
    topic = str(data.get("topic", ""))
    if topic not in topics:
        errors.append(_("Unknown topic “%(topic)s”.") % {"topic": topic[:60]})
    level = str(data.get("level", ""))
    if level not in Level.values:
        errors.append(_("“level” must be one of: %(values)s.") % {"values": ", ".join(Level.values)})
    roles = data.get("roles") or []
    if not isinstance(roles, list) or not roles or not set(map(str, roles)) <= set(JobRole.values):
        errors.append(_("“roles” must list one or more of: %(values)s.") % {"values": ", ".join(JobRole.values)})
        roles = []
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) and 0 < len(tag) <= 64 for tag in tags):
        errors.append(_("“tags” must be a list of short words."))
        tags = []
    try:
        time_minutes = int(data.get("time_minutes", 5))
        if not 1 <= time_minutes <= 90:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(_("“time_minutes” must be a whole number from 1 to 90."))
        time_minutes = 5
    status = str(data.get("status", QuestionStatus.ACTIVE))
    if status not in QuestionStatus.values:
        errors.append(_("Unknown status “%(status)s”.") % {"status": status[:30]})

    texts: dict[str, dict[str, str]] = {}
    for name in TEXT_FIELDS:
        value = _bilingual(data.get(name))
        if value is None:
            errors.append(_("“%(field)s” must have “en” and “ru” texts.") % {"field": name})
            value = {"en": "", "ru": ""}
        if any(len(text) > MAX_TEXT for text in value.values()):
            errors.append(_("“%(field)s” is longer than %(max)s characters.") % {"field": name, "max": MAX_TEXT})
        texts[name] = value
    lists: dict[str, list[dict[str, str]]] = {}
    for name in LIST_FIELDS:
        raw = data.get(name) or []
        items = [_bilingual(item) for item in raw] if isinstance(raw, list) else [None]
        if any(item is None or not (item["en"] or item["ru"]) for item in items):
            errors.append(_("Every item of “%(field)s” must have “en” and “ru” texts.") % {"field": name})
        lists[name] = [item for item in items if item]

    if status == QuestionStatus.ACTIVE:
        if not (texts["prompt"]["en"] and texts["prompt"]["ru"]):
            errors.append(_("An active question needs its prompt in English and in Russian."))
        low, high = LIST_LIMITS["key_points"]
        if not low <= len(lists["key_points"]) <= high:
            errors.append(_("The rubric needs %(low)s to %(high)s key points.") % {"low": low, "high": high})
        if any(not (item["en"] and item["ru"]) for name in LIST_FIELDS for item in lists[name]):
            errors.append(_("An active question needs every rubric item in both languages."))
    elif not (texts["prompt"]["en"] or texts["prompt"]["ru"]):
        errors.append(_("The question text is empty."))

    provenance: list[Provenance] = []
    for item in data.get("provenance") or []:
        try:
            provenance.append(Provenance(str(item["document"])[:200], int(item["ordinal"])))
        except (TypeError, KeyError, ValueError):
            errors.append(_("Each provenance item needs a “document” and a whole-number “ordinal”."))
    if errors:
        return None, errors
    return (
        QuestionContent(
            key=key,
            topic=topic,
            level=level,
            roles=[str(role) for role in roles],
            time_minutes=time_minutes,
            prompt=texts["prompt"],
            answer=texts["answer"],
            tips=texts["tips"],
            key_points=lists["key_points"],
            common_mistakes=lists["common_mistakes"],
            follow_ups=lists["follow_ups"],
            tags=tags,
            provenance=provenance,
            status=status,
        ),
        [],
    )
