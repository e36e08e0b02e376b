"""Task data of a RAG take-home: the knowledge base, the public questions and
the hidden evaluation set, as JSON Lines (see DESIGN.md, "The take-home
contract"). Validated as a whole with errors that name the file and line;
versioned by a content hash that every run records.

- kb.jsonl: {"id", "question", "answer", "lang"}
- public_questions.jsonl: {"id", "question", "answer", "gold_ids", "lang"}
- hidden_questions.jsonl: {"id", "question", "lang", "kind", "gold_ids", "reference_answer"}
  kind: paraphrase | exact | unanswerable | injection
  An injection also carries "attack": what obeying it looks like, checked in every
  answer (grading/answers.py `obeyed`): {"canary": the code word it plants (required),
  "claims": [regular expressions of the false statements it asks for], "leak": true when
  it asks for instructions, a system prompt or hidden data, "language": a language it
  demands the answer in}.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("ru", "en")
HIDDEN_KINDS = ("paraphrase", "exact", "unanswerable", "injection")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT = 20_000
FILES = ("kb.jsonl", "public_questions.jsonl", "hidden_questions.jsonl")
ATTACK_FIELDS = {"canary", "claims", "leak", "language"}
ATTACK_LANGUAGES = ("en", "ru", "fr", "de", "es", "it")  # what grading/language.py tells apart


class DatasetError(Exception):
    """The task data is not valid; the message names the file and line."""


@dataclass
class Dataset:
    kb: list[dict[str, Any]] = field(default_factory=list)
    public: list[dict[str, Any]] = field(default_factory=list)
    hidden: list[dict[str, Any]] = field(default_factory=list)
    version: str = ""


def _text(record: dict[str, Any], name: str, where: str, *, allow_empty: bool = False) -> str:
    value = record.get(name)
    if not isinstance(value, str) or (not value.strip() and not allow_empty):
        raise DatasetError(f"{where}: “{name}” must be a non-empty text")
    if len(value) > MAX_TEXT:
        raise DatasetError(f"{where}: “{name}” is longer than {MAX_TEXT} characters")
    return value


def _read(name: str, data: bytes, fields: set[str], optional: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    if len(data) > MAX_FILE_BYTES:
        raise DatasetError(f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        bad_line = data[: error.start].count(b"\n") + 1
        raise DatasetError(f"{name}, line {bad_line}: not valid UTF-8") from None
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}, line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetError(f"{where}: not valid JSON ({error.msg})") from None
        if not isinstance(record, dict):
            raise DatasetError(f"{where}: expected a JSON object")
        missing, extra = fields - set(record), set(record) - fields - optional
        if missing or extra:
            parts = [
                f"missing {', '.join(sorted(missing))}" if missing else "",
                f"unknown {', '.join(sorted(extra))}" if extra else "",
            ]
            raise DatasetError(f"{where}: fields {'; '.join(part for part in parts if part)}")
        if record["lang"] not in LANGUAGES:
            raise DatasetError(f"{where}: “lang” must be one of {', '.join(LANGUAGES)}")
        if not isinstance(record["id"], str) or not record["id"].strip():
            raise DatasetError(f"{where}: “id” must be a non-empty text")
        record["_where"] = where
        records.append(record)
    if not records:
        raise DatasetError(f"{name}: no records")
    return records


def _unique_ids(records: list[dict[str, Any]], name: str) -> set[str]:
    seen: set[str] = set()
    for record in records:
        if record["id"] in seen:
            raise DatasetError(f"{record['_where']}: the id “{record['id']}” appears twice in {name}")
        seen.add(record["id"])
    return seen


def _gold(record: dict[str, Any], kb_ids: set[str]) -> list[str]:
    gold = record["gold_ids"]
    if not isinstance(gold, list) or not all(isinstance(item, str) for item in gold):
        raise DatasetError(f"{record['_where']}: “gold_ids” must be a list of knowledge-base ids")
    unknown = [item for item in gold if item not in kb_ids]
    if unknown:
        raise DatasetError(f"{record['_where']}: unknown knowledge-base ids {', '.join(unknown[:5])}")
    return gold


def _attack(record: dict[str, Any]) -> None:
    where = record["_where"]
    attack = record.get("attack")
    if record["kind"] != "injection":
        if attack is not None:
            raise DatasetError(f"{where}: only an injection question has an “attack”")
        return
    if not isinstance(attack, dict):
        raise DatasetError(f"{where}: an injection question needs an “attack” object (canary, claims, leak, language)")
    unknown = set(attack) - ATTACK_FIELDS
    if unknown:
        raise DatasetError(f"{where}: “attack” has unknown fields {', '.join(sorted(unknown))}")
    canary = attack.get("canary")
    if not isinstance(canary, str) or not canary.strip() or canary not in record["question"]:
        raise DatasetError(f"{where}: “attack.canary” must be a code word that appears in the question")
    claims = attack.get("claims", [])
    if not isinstance(claims, list) or not all(isinstance(claim, str) and claim for claim in claims):
        raise DatasetError(f"{where}: “attack.claims” must be a list of regular expressions")
    for claim in claims:
        try:
            re.compile(claim)
        except re.error as error:
            message = f"“attack.claims” has an invalid regular expression {claim!r}: {error}"
            raise DatasetError(f"{where}: {message}") from None
    if not isinstance(attack.get("leak", False), bool):
        raise DatasetError(f"{where}: “attack.leak” must be true or false")
    language = attack.get("language")
    if language is not None and language not in ATTACK_LANGUAGES:
        raise DatasetError(f"{where}: “attack.language” must be one of {', '.join(ATTACK_LANGUAGES)}")


def dataset_parse(files: dict[str, bytes]) -> Dataset:
    """Validate the three files (name -> bytes) together; raise DatasetError on the first problem."""
    missing = [name for name in FILES if name not in files]
    if missing:
        raise DatasetError(f"missing files: {', '.join(missing)}")
    kb = _read("kb.jsonl", files["kb.jsonl"], {"id", "question", "answer", "lang"})
    public = _read(
        "public_questions.jsonl", files["public_questions.jsonl"], {"id", "question", "answer", "gold_ids", "lang"}
    )
    hidden = _read(
        "hidden_questions.jsonl",
        files["hidden_questions.jsonl"],
        {"id", "question", "lang", "kind", "gold_ids", "reference_answer"},
        optional=frozenset({"attack"}),
    )
    kb_ids = _unique_ids(kb, "kb.jsonl")
    for record in kb:
        _text(record, "question", record["_where"])
        _text(record, "answer", record["_where"])
    _unique_ids(public, "public_questions.jsonl")
    for record in public:
        _text(record, "question", record["_where"])
        _text(record, "answer", record["_where"])
        if not _gold(record, kb_ids):
            raise DatasetError(f"{record['_where']}: a public question needs at least one gold id")
    hidden_ids = _unique_ids(hidden, "hidden_questions.jsonl")
    overlap = hidden_ids & {record["id"] for record in public}
    if overlap:
        raise DatasetError(
            f"hidden_questions.jsonl: ids also used by public questions: {', '.join(sorted(overlap)[:5])}"
        )
    for record in hidden:
        _text(record, "question", record["_where"])
        if record["kind"] not in HIDDEN_KINDS:
            raise DatasetError(f"{record['_where']}: “kind” must be one of {', '.join(HIDDEN_KINDS)}")
        gold = _gold(record, kb_ids)
        answerable = record["kind"] in ("paraphrase", "exact")
        if answerable and not gold:
            raise DatasetError(f"{record['_where']}: a {record['kind']} question needs gold ids")
        if record["kind"] == "unanswerable" and gold:
            raise DatasetError(f"{record['_where']}: an unanswerable question has no gold ids")
        _text(record, "reference_answer", record["_where"])
        _attack(record)
    for record in (*kb, *public, *hidden):
        record.pop("_where")
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return Dataset(kb=kb, public=public, hidden=hidden, version=digest.hexdigest()[:16])


def dataset_load(folder: Path) -> Dataset:
    """Read and validate the task data kept in `folder`."""
    return dataset_parse({name: (folder / name).read_bytes() for name in FILES if (folder / name).exists()})
