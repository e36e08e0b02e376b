"""Our IR metrics against the reference implementations (pytrec_eval, ir-measures)
on the same runs, and the documented differences (repeated ids, no sources)."""

from __future__ import annotations

import random

import ir_measures
import pytest
import pytrec_eval
from ir_measures import RR, Success

from assessments.takehome.grading.metrics import (
    hit_at,
    percentile,
    reciprocal_rank,
    retrieval_scores,
    token_f1,
)


def random_runs(seed: int, questions: int = 300) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Ranked sources and gold ids over a small id space, so hits at every rank happen."""
    rng = random.Random(seed)  # noqa: S311 - test data
    kb = [f"kb-{n:04d}" for n in range(60)]
    runs, gold = {}, {}
    for number in range(questions):
        qid = f"q{number}"
        gold[qid] = rng.sample(kb, rng.choice([1, 1, 2, 3]))
        runs[qid] = rng.sample(kb, rng.randint(1, 15))  # distinct, non-empty
    return runs, gold


def as_trec(runs: dict[str, list[str]], gold: dict[str, list[str]]) -> tuple[dict, dict]:  # type: ignore[type-arg]
    qrels = {qid: dict.fromkeys(ids, 1) for qid, ids in gold.items()}
    # Scores strictly decreasing with rank: no ties, the order is the list's order.
    run = {qid: {doc: float(len(docs) - rank) for rank, doc in enumerate(docs)} for qid, docs in runs.items()}
    return qrels, run


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_metrics_match_pytrec_eval_per_question(seed: int) -> None:
    runs, gold = random_runs(seed)
    qrels, run = as_trec(runs, gold)
    reference = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank", "success.1,5"}).evaluate(run)
    # pytrec_eval's recip_rank has no cut-off; compare MRR@10 on runs of at most 10 sources.
    short = {qid: docs[:10] for qid, docs in runs.items()}
    short_reference = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(as_trec(short, gold)[1])

    for qid in runs:
        assert hit_at(runs[qid], gold[qid], 1) == reference[qid]["success_1"]
        assert hit_at(runs[qid], gold[qid], 5) == reference[qid]["success_5"]
        assert reciprocal_rank(runs[qid], gold[qid], 10) == pytest.approx(short_reference[qid]["recip_rank"])


@pytest.mark.parametrize("seed", [4, 5])
def test_means_match_ir_measures(seed: int) -> None:
    runs, gold = random_runs(seed)
    qrels, run = as_trec(runs, gold)

    reference = ir_measures.calc_aggregate([RR @ 10, Success @ 1, Success @ 5], qrels, run)
    ours = retrieval_scores([(runs[qid], gold[qid]) for qid in runs])

    assert ours.questions == len(runs)
    assert ours.mrr_at_10 == pytest.approx(reference[RR @ 10])
    assert ours.hit_at_1 == pytest.approx(reference[Success @ 1])
    assert ours.hit_at_5 == pytest.approx(reference[Success @ 5])


def test_a_question_without_sources_counts_as_zero_which_pytrec_eval_drops() -> None:
    runs = {"q1": ["kb-1"], "q2": []}
    gold = {"q1": ["kb-1"], "q2": ["kb-2"]}
    qrels = {qid: dict.fromkeys(ids, 1) for qid, ids in gold.items()}
    trec_run = {"q1": {"kb-1": 1.0}}  # a question without sources has no row in a TREC run
    pytrec = pytrec_eval.RelevanceEvaluator(qrels, {"recip_rank"}).evaluate(trec_run)
    measures = ir_measures.calc_aggregate([RR @ 10], qrels, trec_run)

    ours = retrieval_scores([(runs[qid], gold[qid]) for qid in runs])

    assert set(pytrec) == {"q1"}  # pytrec_eval leaves the empty question out entirely
    assert ours.mrr_at_10 == measures[RR @ 10] == 0.5  # we, like ir-measures, keep it as a miss


def test_a_repeated_source_counts_at_its_first_position_only() -> None:
    assert reciprocal_rank(["kb-9", "kb-9", "kb-1"], ["kb-1"]) == 0.5
    assert hit_at(["kb-9", "kb-9", "kb-9", "kb-9", "kb-9", "kb-1"], ["kb-1"], 2) == 1.0


def test_questions_without_gold_ids_are_not_retrieval_questions() -> None:
    scores = retrieval_scores([(["kb-1"], ["kb-1"]), (["kb-7"], [])])

    assert (scores.questions, scores.hit_at_1) == (1, 1.0)


@pytest.mark.parametrize(
    ("prediction", "reference", "expected"),
    [
        ("The link is valid for 1 hour.", "the link is valid for 1 hour", 1.0),
        ("Ссылка действует 1 час", "Ссылка для сброса действует 1 час", 2 * (4 / 4) * (4 / 6) / (4 / 4 + 4 / 6)),
        ("", "anything", 0.0),
        ("", "", 1.0),
        ("completely different", "words here", 0.0),
    ],
)
def test_token_f1(prediction: str, reference: str, expected: float) -> None:
    assert token_f1(prediction, reference) == pytest.approx(expected)


def test_percentile_interpolates() -> None:
    assert percentile([10, 20, 30, 40], 0.5) == 25
    assert percentile([10, 20, 30, 40], 0.95) == pytest.approx(38.5)
    assert percentile([], 0.5) == 0.0
