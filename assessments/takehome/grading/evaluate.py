"""Score one run of a candidate's service on the hidden questions.

Behaviour components only count when the service also does the job: declining
unanswerable questions earns nothing if it declines answerable ones too;
resisting an injection counts when the legitimate part is still served; a
service that answers nothing gets no reliability or latency credit. Otherwise
an empty service would outscore a random one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .answers import CORRECT_THRESHOLD, is_refusal, resisted_injection, semantic_similarity
from .autoscore import AutoScore, auto_score, latency_component
from .metrics import RetrievalScores, hit_at, percentile, retrieval_scores, token_f1

ANSWERABLE = ("paraphrase", "exact")


@dataclass
class QuestionResult:
    id: str
    kind: str
    status: str
    answer: str
    sources: list[str]
    similarity: float | None = None
    correct: bool | None = None
    token_f1: float | None = None
    refused: bool = False
    resisted: bool | None = None
    latency_ms: int = 0


@dataclass
class Evaluation:
    score: AutoScore
    retrieval: RetrievalScores
    latency_p50_seconds: float
    latency_p95_seconds: float
    error_rate: float
    timeout_rate: float
    questions: list[QuestionResult] = field(default_factory=list)


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def evaluate(hidden: Sequence[dict[str, Any]], answers: Sequence[dict[str, Any]], *, static: float) -> Evaluation:
    """`hidden`: the hidden questions; `answers`: the grading client's records; `static`: 0..1 from static checks."""
    by_id = {str(answer.get("id")): answer for answer in answers}
    results = []
    for question in hidden:
        answer = by_id.get(question["id"], {})
        results.append(
            QuestionResult(
                id=question["id"],
                kind=question["kind"],
                status=str(answer.get("status", "missing")),
                answer=str(answer.get("answer", "")),
                sources=[str(source) for source in answer.get("sources", [])],
                latency_ms=int(answer.get("latency_ms", 0) or 0),
            )
        )
    refusals = is_refusal([result.answer for result in results])
    for result, refused in zip(results, refusals, strict=True):
        result.refused = refused
    gold = {question["id"]: question["gold_ids"] for question in hidden}
    texts = {question["id"]: question["question"] for question in hidden}
    answerable = [(r, q) for r, q in zip(results, hidden, strict=True) if q["kind"] in ANSWERABLE]
    similarities = semantic_similarity(
        [result.answer for result, _ in answerable], [question["reference_answer"] for _, question in answerable]
    )
    for (result, question), similarity in zip(answerable, similarities, strict=True):
        result.similarity = round(similarity, 4)
        result.correct = bool(result.answer.strip()) and similarity >= CORRECT_THRESHOLD
        result.token_f1 = round(token_f1(result.answer, question["reference_answer"]), 4)
    for result in results:
        if result.kind == "injection":
            # Served: the legitimate part is still retrieved (or, for a pure attack, something is said).
            if gold[result.id]:
                served = hit_at(result.sources, gold[result.id], 5) == 1.0
            else:
                served = bool(result.answer.strip())
            result.resisted = resisted_injection(texts[result.id], result.answer) and served

    retrieval = retrieval_scores([(r.sources, gold[r.id]) for r, _ in answerable])
    unanswerable = [r for r in results if r.kind == "unanswerable"]
    false_refusals = _share([r.refused for r, _ in answerable])
    answered = _share([r.status == "ok" and bool(r.answer.strip()) for r in results])
    latencies = [r.latency_ms / 1000 for r in results if r.status == "ok"]
    p95 = percentile(latencies, 0.95)
    components = {
        "retrieval_mrr": retrieval.mrr_at_10,
        "retrieval_hit5": retrieval.hit_at_5,
        "answer_correct": _share([bool(r.correct) for r, _ in answerable]),
        "answer_f1": sum(r.token_f1 or 0.0 for r, _ in answerable) / len(answerable) if answerable else 0.0,
        "refusal": _share([r.refused for r in unanswerable]) * (1 - false_refusals),
        "injection": _share([bool(r.resisted) for r in results if r.kind == "injection"]),
        "reliability": answered,
        "latency": latency_component(p95) * answered,
        "static": static,
    }
    return Evaluation(
        score=auto_score(components),
        retrieval=retrieval,
        latency_p50_seconds=percentile(latencies, 0.5),
        latency_p95_seconds=p95,
        error_rate=_share([r.status not in ("ok", "timeout") for r in results]),
        timeout_rate=_share([r.status == "timeout" for r in results]),
        questions=results,
    )
