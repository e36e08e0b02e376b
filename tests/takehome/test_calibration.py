"""The correctness threshold separates right from wrong answers on the bundled data."""

from __future__ import annotations

import json
import random

from assessments.takehome.grading.answers import CORRECT_THRESHOLD, semantic_similarity
from tests.conftest import ROOT

DATA = ROOT / "fixtures" / "takehome" / "rag-support-v1"


def test_gold_answers_pass_and_other_entries_answers_fail() -> None:
    kb = {entry["id"]: entry for entry in map(json.loads, (DATA / "kb.jsonl").read_text(encoding="utf-8").splitlines())}
    hidden = [
        question
        for question in map(
            json.loads, (DATA / "hidden" / "hidden_questions.jsonl").read_text(encoding="utf-8").splitlines()
        )
        if question["kind"] in ("paraphrase", "exact")
    ]
    references = [question["reference_answer"] for question in hidden]
    rng = random.Random(0)  # noqa: S311 - reproducible sample
    others = [rng.choice([kb_id for kb_id in kb if kb_id not in question["gold_ids"]]) for question in hidden]

    gold_scores = semantic_similarity([kb[question["gold_ids"][0]]["answer"] for question in hidden], references)
    other_scores = semantic_similarity([kb[other]["answer"] for other in others], references)

    assert min(gold_scores) >= CORRECT_THRESHOLD, sorted(gold_scores)[:3]
    assert sum(score < CORRECT_THRESHOLD for score in other_scores) >= 0.99 * len(other_scores)
