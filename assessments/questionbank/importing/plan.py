"""What an import does to the bank, decided entry by entry, then applied in
one transaction (or only reported, for a preview).

For each entry, in this order:
- a question with the entry's key exists: *unchanged* when the content is the
  same, else *updated* (a new version);
- one of the entry's sources (document, ordinal) already belongs to a
  question: *skipped*, naming it (this is what makes re-imports a no-op);
- the prompt is a near duplicate of a question (multilingual embeddings, so
  across languages and wording): *merged*, the entry's sources join that question;
- otherwise *created* (one-language entries of plain-text documents as drafts).
A document that cannot be read, or any entry that is invalid, rejects the
whole document with an error naming the line: nothing is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePath

import numpy as np
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import embeddings

from .. import services
from ..content import QuestionContent, content_from_mapping
from ..models import Question, QuestionSource, Topic
from .entries import ParsedEntry
from .errors import ImportFormatError, decode_document
from .text_formats import parse_text
from .yaml_format import parse_yaml

# Measured on the bank: distinct questions score up to 0.82, the same question
# reworded scores 0.85-0.97 (same language) and 0.58-0.96 (across languages).
MERGE_THRESHOLD = 0.86
SIMILAR_THRESHOLD = 0.75
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
TEXT_SUFFIXES = (".txt", ".md")


class Action(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    MERGED = "merged"
    SKIPPED = "skipped"
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


ACTION_LABELS = {
    Action.CREATED: gettext_lazy("created"),
    Action.UPDATED: gettext_lazy("updated"),
    Action.MERGED: gettext_lazy("merged"),
    Action.SKIPPED: gettext_lazy("skipped"),
    Action.UNCHANGED: gettext_lazy("unchanged"),
}


@dataclass
class ImportOutcome:
    line: int
    action: Action
    key: str
    prompt: str
    reason: str = ""
    similarity: float | None = None


@dataclass
class ImportReport:
    document: str
    applied: bool
    outcomes: list[ImportOutcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {action.value: sum(outcome.action == action for outcome in self.outcomes) for action in Action}

    def labelled_counts(self) -> list[tuple[str, int]]:
        """(translated action, count) pairs for pages."""
        return [(Action(action).label, count) for action, count in self.counts().items()]


def parse_document(*, document: str, data: bytes) -> list[ParsedEntry]:
    name = PurePath(document).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in YAML_SUFFIXES + TEXT_SUFFIXES:
        raise ImportFormatError(
            _("unsupported file type; use .yaml or .yml (the bank's format), or .txt or .md."), line=1, document=name
        )
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ImportFormatError(_("the file is larger than 2 MB."), line=1, document=name)
    text = decode_document(data, document=name)
    return parse_yaml(text, document=name) if suffix in YAML_SUFFIXES else parse_text(text, document=name)


class _TopicGuesser:
    """Topic of a plain-text entry: the topic whose name is closest to its heading and text."""

    def __init__(self) -> None:
        self.topics = list(Topic.objects.order_by("position", "slug"))
        names = embeddings.embed([f"{topic.name_en}" for topic in self.topics] + [t.name_ru for t in self.topics])
        self.vectors = names.reshape(2, len(self.topics), -1)

    def guess(self, hint: str, prompt: str) -> str:
        if not self.topics:
            raise ImportFormatError(_("the bank has no topics yet; load the topics first."), line=1)
        query = embeddings.embed([hint or prompt, prompt])
        scores = np.einsum("kd,ltd->t", query * np.array([[2.0], [1.0]], dtype=np.float32), self.vectors)
        return self.topics[int(scores.argmax())].slug


def _draft_key(entry: ParsedEntry) -> str:
    source = entry.data["provenance"][0]
    digest = hashlib.sha1(f"{source['document']}#{source['ordinal']}".encode(), usedforsecurity=False)
    return f"imported-{digest.hexdigest()[:12]}"


def _validate(entries: list[ParsedEntry], document: str) -> list[QuestionContent]:
    topics = set(Topic.objects.values_list("slug", flat=True))
    guesser: _TopicGuesser | None = None
    contents = []
    for entry in entries:
        data = dict(entry.data)
        if data.get("status") == "draft" and "key" not in data:
            guesser = guesser or _TopicGuesser()
            prompt = data["prompt"]["en"] or data["prompt"]["ru"]
            data["key"] = _draft_key(entry)
            data["topic"] = guesser.guess(entry.topic_hint, prompt)
        content, errors = content_from_mapping(data, topics=topics)
        if content is None:
            raise ImportFormatError(" ".join(errors), line=entry.line, document=document)
        contents.append(content)
    return contents


def _short(content: QuestionContent) -> str:
    text = content.prompt["en"] or content.prompt["ru"]
    return text if len(text) <= 140 else text[:139] + "…"


def _decide(entries: list[ParsedEntry], contents: list[QuestionContent]) -> list[ImportOutcome]:
    existing = {question.key: question for question in Question.objects.filter(key__in=[c.key for c in contents])}
    owners = {
        (source.document, source.ordinal): source.question.key
        for source in QuestionSource.objects.select_related("question").filter(
            document__in={p.document for content in contents for p in content.provenance}
        )
    }
    bank = [(key, vector) for key, vector in Question.objects.values_list("key", "embedding") if vector is not None]
    bank_keys = [key for key, _ in bank]
    bank_vectors = (
        np.stack([embeddings.unpack(vector) for _, vector in bank])
        if bank
        else np.zeros((0, 2, embeddings.DIMENSIONS), dtype=np.float32)
    )
    # Only entries that are neither known by key nor by source need the (slower) similarity check.
    to_compare = [
        index
        for index, content in enumerate(contents)
        if content.key not in existing and not any((p.document, p.ordinal) in owners for p in content.provenance)
    ]
    texts = [text for index in to_compare for text in (contents[index].prompt["en"], contents[index].prompt["ru"])]
    compared = embeddings.embed(texts) if texts else np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
    queries = {index: compared[2 * row : 2 * row + 2] for row, index in enumerate(to_compare)}
    created_keys: list[str] = []
    created_vectors: list[np.ndarray] = []
    outcomes = []
    for index, (entry, content) in enumerate(zip(entries, contents, strict=True)):
        outcome = ImportOutcome(line=entry.line, action=Action.CREATED, key=content.key, prompt=_short(content))
        owner = next(
            (owners[(p.document, p.ordinal)] for p in content.provenance if (p.document, p.ordinal) in owners), None
        )
        if content.key in existing:
            new_sources = [p for p in content.provenance if (p.document, p.ordinal) not in owners]
            if existing[content.key].content_hash != content.content_hash():
                outcome.action = Action.UPDATED
            elif new_sources:
                outcome.action = Action.UPDATED
                outcome.reason = _("new sources: %(sources)s.") % {
                    "sources": ", ".join(f"{p.document} #{p.ordinal}" for p in new_sources)
                }
            else:
                outcome.action = Action.UNCHANGED
        elif owner is not None:
            outcome.action, outcome.key = Action.SKIPPED, owner
            outcome.reason = _("its source is already in the bank as “%(key)s”.") % {"key": owner}
        else:
            query = queries[index][np.linalg.norm(queries[index], axis=1) > 0]
            keys = bank_keys + created_keys
            vectors = np.concatenate([bank_vectors, np.stack(created_vectors)]) if created_vectors else bank_vectors
            scores = embeddings.best_similarity(query, vectors)
            best = int(scores.argmax()) if len(scores) else -1
            similarity = float(scores[best]) if best >= 0 else 0.0
            if similarity >= MERGE_THRESHOLD:
                outcome.action, outcome.key, outcome.similarity = Action.MERGED, keys[best], round(similarity, 3)
                outcome.reason = _("likely the same question as “%(key)s” (similarity %(score).2f).") % {
                    "key": keys[best],
                    "score": similarity,
                }
            else:
                if similarity >= SIMILAR_THRESHOLD:
                    outcome.similarity = round(similarity, 3)
                    outcome.reason = _("similar to “%(key)s” (%(score).2f), kept apart.") % {
                        "key": keys[best],
                        "score": similarity,
                    }
                created_keys.append(content.key)
                padded = np.zeros((2, embeddings.DIMENSIONS), dtype=np.float32)
                padded[: len(query)] = query
                created_vectors.append(padded)
        outcomes.append(outcome)
    return outcomes


def _apply(outcomes: list[ImportOutcome], contents: list[QuestionContent], actor: User | None, document: str) -> None:
    note = _("Imported from %(document)s") % {"document": document}
    by_key = {}
    for outcome, content in zip(outcomes, contents, strict=True):
        if outcome.action == Action.CREATED:
            by_key[content.key] = services.question_create(actor=actor, content=content, note=note)
        elif outcome.action in (Action.UPDATED, Action.MERGED):
            target = by_key.get(outcome.key) or Question.objects.get(key=outcome.key)
            if outcome.action == Action.UPDATED:
                services.question_update(actor=actor, question=target, content=content, note=note)
            services.question_sources_add(question=target, content=content)


def import_document(*, actor: User | None, document: str, data: bytes, apply: bool) -> ImportReport:
    """Parse `data` (the file named `document`) and report, or apply, what it does to the bank."""
    name = PurePath(document).name
    entries = parse_document(document=name, data=data)
    with transaction.atomic():
        if apply:
            # One import at a time: two concurrent imports could both decide to create the same question.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('questionbank-import'))")
        contents = _validate(entries, name)
        outcomes = _decide(entries, contents)
        if apply:
            _apply(outcomes, contents, actor, name)
    return ImportReport(document=name, applied=apply, outcomes=outcomes)
