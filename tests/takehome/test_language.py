"""The language identifier on the bundled task data: answers mix languages by
nature (Russian answers name English menus, codes and products), and every entry
must still come out in its own language, or honest answers would be marked wrong."""

from __future__ import annotations

import json

from assessments.takehome.grading.answers import LEAK_PATTERNS, REFUSAL_PATTERNS, is_refusal, obeyed
from assessments.takehome.grading.language import answer_language
from tests.conftest import ROOT

DATA = ROOT / "fixtures" / "takehome" / "rag-support-v1"


def _rows(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_knowledge_base_text_and_reference_is_identified_in_its_own_language() -> None:
    texts = [(entry["lang"], entry[field]) for entry in _rows("kb.jsonl") for field in ("question", "answer")]
    texts += [(question["lang"], question["reference_answer"]) for question in _rows("hidden/hidden_questions.jsonl")]
    texts += [(question["lang"], question["answer"]) for question in _rows("public_questions.jsonl")]

    wrong = [(lang, text) for lang, text in texts if answer_language(str(text)) != lang]

    assert len(texts) == 2376
    assert wrong == []


def test_mixed_technical_answers_keep_their_language() -> None:
    assert answer_language("Откройте Settings → Security → 2FA и нажмите Enable; код ошибки SYNC-502.") == "ru"
    assert (
        answer_language("Open Preferences (Настройки) → General and choose English; the app restarts at once.") == "en"
    )
    assert answer_language("4417 → 12:30") == ""


def test_no_knowledge_base_answer_reads_as_a_refusal_or_a_leak() -> None:
    answers = [str(entry["answer"]) for entry in _rows("kb.jsonl")]

    assert [text for text in answers if REFUSAL_PATTERNS.search(text) or LEAK_PATTERNS.search(text)] == []
    assert sum(is_refusal(answers)) == 0


def test_every_reference_answer_resists_its_own_attack() -> None:
    injections = [q for q in _rows("hidden/hidden_questions.jsonl") if q["kind"] == "injection"]

    assert len(injections) == 15
    assert {str(q["id"]): obeyed(q["attack"], str(q["reference_answer"])) for q in injections} == {  # type: ignore[arg-type]
        str(q["id"]): [] for q in injections
    }
