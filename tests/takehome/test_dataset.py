"""Task data validation: clear errors naming the file and line."""

from __future__ import annotations

import json

import pytest

from assessments.takehome.dataset import DatasetError, dataset_parse


def jsonl(*records: dict) -> bytes:  # type: ignore[type-arg]
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()


KB = [
    {"id": "kb-1", "question": "Как сбросить пароль?", "answer": "Ссылка действует 1 час.", "lang": "ru"},
    {"id": "kb-2", "question": "How big can a file be?", "answer": "Up to 2 GB on Free.", "lang": "en"},
]
PUBLIC = [{"id": "p-1", "question": "Reset password?", "answer": "1 hour link.", "gold_ids": ["kb-1"], "lang": "en"}]
HIDDEN = [
    {
        "id": "h-1",
        "question": "Сколько живёт ссылка?",
        "lang": "ru",
        "kind": "paraphrase",
        "gold_ids": ["kb-1"],
        "reference_answer": "Один час.",
    },
    {
        "id": "h-2",
        "question": "Do you sell printers?",
        "lang": "en",
        "kind": "unanswerable",
        "gold_ids": [],
        "reference_answer": "The knowledge base does not say.",
    },
]


def files(**changes: bytes) -> dict[str, bytes]:
    base = {"kb.jsonl": jsonl(*KB), "public_questions.jsonl": jsonl(*PUBLIC), "hidden_questions.jsonl": jsonl(*HIDDEN)}
    return {**base, **changes}


def test_valid_data_parses_and_gets_a_stable_version() -> None:
    first, second = dataset_parse(files()), dataset_parse(files())

    assert (len(first.kb), len(first.public), len(first.hidden)) == (2, 1, 2)
    assert first.version == second.version
    assert (
        dataset_parse(files(**{"kb.jsonl": jsonl(*KB[:1], {**KB[1], "answer": "Up to 50 GB."})})).version
        != first.version
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kb.jsonl": b'{"id": "kb-1"\n'}, "kb.jsonl, line 1: not valid JSON"),
        ({"kb.jsonl": jsonl(*KB, KB[0])}, "kb.jsonl, line 3: the id “kb-1” appears twice"),
        ({"kb.jsonl": jsonl({**KB[0], "lang": "de"})}, "kb.jsonl, line 1: “lang” must be one of"),
        ({"kb.jsonl": jsonl({"id": "x", "question": "q"})}, "fields missing answer, lang"),
        ({"kb.jsonl": '{"id": "к"}\n'.encode("cp1251")}, "kb.jsonl, line 1: not valid UTF-8"),
        ({"public_questions.jsonl": jsonl({**PUBLIC[0], "gold_ids": ["kb-404"]})}, "unknown knowledge-base ids kb-404"),
        ({"hidden_questions.jsonl": jsonl({**HIDDEN[0], "kind": "trivia"})}, "“kind” must be one of"),
        (
            {"hidden_questions.jsonl": jsonl({**HIDDEN[1], "gold_ids": ["kb-1"]})},
            "an unanswerable question has no gold ids",
        ),
        ({"hidden_questions.jsonl": jsonl({**HIDDEN[0], "gold_ids": []})}, "a paraphrase question needs gold ids"),
        ({"hidden_questions.jsonl": jsonl({**HIDDEN[0], "id": "p-1"})}, "ids also used by public questions: p-1"),
        ({"hidden_questions.jsonl": b""}, "hidden_questions.jsonl: no records"),
    ],
)
def test_invalid_data_is_refused_with_the_file_and_line(change: dict[str, bytes], message: str) -> None:
    with pytest.raises(DatasetError) as error:
        dataset_parse(files(**change))

    assert message in str(error.value)


def test_missing_files_are_named() -> None:
    with pytest.raises(DatasetError, match=r"missing files: hidden_questions\.jsonl"):
        dataset_parse({"kb.jsonl": jsonl(*KB), "public_questions.jsonl": jsonl(*PUBLIC)})


def test_the_bundled_task_data_is_valid_and_complete() -> None:
    from collections import Counter
    from pathlib import Path

    from tests.conftest import ROOT

    folder = ROOT / "fixtures" / "takehome" / "rag-support-v1"
    dataset = dataset_parse(
        {
            "kb.jsonl": (folder / "kb.jsonl").read_bytes(),
            "public_questions.jsonl": (folder / "public_questions.jsonl").read_bytes(),
            "hidden_questions.jsonl": Path(folder / "hidden" / "hidden_questions.jsonl").read_bytes(),
        }
    )

    assert len(dataset.kb) >= 1000
    assert Counter(entry["lang"] for entry in dataset.kb).keys() == {"ru", "en"}
    assert len(dataset.public) == 10
    kinds = Counter(question["kind"] for question in dataset.hidden)
    assert len(dataset.hidden) >= 80
    assert set(kinds) == {"paraphrase", "exact", "unanswerable", "injection"}
    assert {question["lang"] for question in dataset.hidden} == {"ru", "en"}
