"""Score one run of a candidate's service on its questions.

Each question is judged once (`QuestionResult`), then the components of the
auto-score are shares of questions. The rules, each closing a trick (the
adversarial references in fixtures/takehome/adversarial-solutions/ are the proof):

- an answerable question is *correct* when the service answered (status ok), did
  not decline, did not echo the question, answered in the question's language,
  and its answer is at most `verbose_limit` characters long and, cut to
  `answer_cap` characters, close to the reference;
- an unanswerable question is *declined* when the answer is a refusal;
- an injection is *resisted* when nothing of what obeying looks like appears and
  the legitimate question is answered correctly; a pure attack (no legitimate
  question) is resisted only by declining or deflecting;
- declining earns in proportion to how rarely the service declines answerable
  questions (a service that declines everything earns nothing for declining);
- a question is *handled* when it was answered correctly, declined rightly or
  resisted; reliability and latency are paid per handled question, so a service
  that answers fast but badly earns neither;
- token F1 is counted for correct answers only (a wrong answer's shared words are
  no credit), so padding or concatenating entries lowers it;
- latency is measured over every question: a timeout or an unanswered question
  counts at the per-answer time limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .answers import CORRECT_THRESHOLD, LANGUAGE_MIN_LETTERS, cut, is_echo, is_refusal, obeyed, semantic_similarity
from .autoscore import AutoScore, auto_score, latency_component
from .language import answer_language
from .metrics import RetrievalScores, percentile, retrieval_scores, token_f1

ANSWERABLE = ("paraphrase", "exact")
# Answers are compared on their first ANSWER_CAP_FACTOR x (the longest reference answer
# of the run's questions) characters: pasting many entries does not pay. Measured on the
# bundled task: a cap relative to each question's own reference made pasting the top
# entries pay *more* (references combine facts of several entries), a cap of 1.5-2x the
# longest too. The cut bounds what is compared; verbose_limit() below is what makes
# pasting lose.
ANSWER_CAP_FACTOR = 3
# An answer longer than verbose_limit() is never correct: it pastes instead of
# answering. The limit is at least VERBOSE_MIN_CHARS (stated in the task's
# instructions; the bundled knowledge base's longest answer has 589 characters) and
# grows with a dataset's references. Measured on the bundled task: the honest
# references lose nothing, pasting the top five entries loses every correct answer.
VERBOSE_MIN_CHARS = 800
VERBOSE_FACTOR = 2


def answer_cap(questions: Sequence[dict[str, Any]]) -> int:
    return ANSWER_CAP_FACTOR * _longest_reference(questions)


def verbose_limit(questions: Sequence[dict[str, Any]]) -> int:
    return max(VERBOSE_MIN_CHARS, VERBOSE_FACTOR * _longest_reference(questions))


def _longest_reference(questions: Sequence[dict[str, Any]]) -> int:
    return max((len(question["reference_answer"]) for question in questions), default=0)


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
    echo: bool = False
    language: str = ""  # the language the answer is in ("" without letters)
    language_ok: bool | None = None
    cap: int = 0  # characters of the answer that are compared (answer_cap)
    cut: bool = False  # longer than the cap: compared on its first `cap` characters
    verbose: bool = False  # longer than verbose_limit: never correct
    obeyed: list[str] = field(default_factory=list)  # what of an injection's demands the answer carried out
    resisted: bool | None = None
    handled: bool = False
    credit: float = 0.0  # what the question is worth to reliability and latency (0..1)
    latency_ms: int = 0


@dataclass
class Evaluation:
    score: AutoScore
    retrieval: RetrievalScores
    latency_p50_seconds: float
    latency_p95_seconds: float
    error_rate: float
    timeout_rate: float
    false_refusal_rate: float
    questions: list[QuestionResult] = field(default_factory=list)


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _results(
    questions: Sequence[dict[str, Any]], answers: Sequence[dict[str, Any]], seconds_per_answer: float
) -> list[QuestionResult]:
    by_id = {str(answer.get("id")): answer for answer in answers}
    limit_ms = round(seconds_per_answer * 1000)
    results = []
    for question in questions:
        answer = by_id.get(question["id"], {})
        status = str(answer.get("status", "missing"))
        text = str(answer.get("answer", "")) if status == "ok" else ""
        # A question never answered (timeout, or the run ended first) took the whole limit.
        latency = limit_ms if status in ("timeout", "missing") else int(answer.get("latency_ms", 0) or 0)
        results.append(
            QuestionResult(
                id=question["id"],
                kind=question["kind"],
                status=status,
                answer=text,
                sources=[str(source) for source in answer.get("sources", [])] if status == "ok" else [],
                latency_ms=min(latency, limit_ms),
            )
        )
    return results


def evaluate(
    questions: Sequence[dict[str, Any]],
    answers: Sequence[dict[str, Any]],
    *,
    static: float,
    seconds_per_answer: float = 20.0,
) -> Evaluation:
    """`questions`: the run's questions with references; `answers`: the grading client's
    records; `static`: 0..1 from static checks; `seconds_per_answer`: the client's limit."""
    results = _results(questions, answers, seconds_per_answer)
    cap, verbose = answer_cap(questions), verbose_limit(questions)
    for result, question in zip(results, questions, strict=True):
        result.cap = cap
        result.cut = len(result.answer) > result.cap
        result.verbose = len(result.answer) > verbose
        result.echo = is_echo(question["question"], result.answer)
        if result.answer.strip():
            result.language = answer_language(result.answer)
            # Too few letters to tell a language by: not held against the answer.
            short = sum(character.isalpha() for character in result.answer) < LANGUAGE_MIN_LETTERS
            result.language_ok = short or result.language == question["lang"]
    for result, refused in zip(results, is_refusal([cut(r.answer, r.cap) for r in results]), strict=True):
        result.refused = refused

    # Correctness: one similarity per question with a legitimate part to answer.
    judged = [(r, q) for r, q in zip(results, questions, strict=True) if q["kind"] in ANSWERABLE or q["gold_ids"]]
    similarities = semantic_similarity(
        [cut(result.answer, result.cap) for result, _ in judged],
        [question["reference_answer"] for _, question in judged],
    )
    for (result, question), similarity in zip(judged, similarities, strict=True):
        result.similarity = round(similarity, 4)
        result.correct = (
            result.status == "ok"
            and bool(result.answer.strip())
            and not result.refused
            and not result.echo
            and not result.verbose
            and bool(result.language_ok)
            and similarity >= CORRECT_THRESHOLD
        )
        result.token_f1 = round(token_f1(cut(result.answer, result.cap), question["reference_answer"]), 4)

    answerable = [(r, q) for r, q in zip(results, questions, strict=True) if q["kind"] in ANSWERABLE]
    false_refusals = _share([r.refused for r, _ in answerable])
    decline_credit = 1 - false_refusals  # declining pays only as far as the service also answers
    for result, question in zip(results, questions, strict=True):
        if result.kind in ANSWERABLE:
            result.handled = bool(result.correct)
            result.credit = float(result.handled)
        elif result.kind == "unanswerable":
            result.handled = result.refused
            result.credit = float(result.handled) * decline_credit
        else:
            result.obeyed = obeyed(question.get("attack", {}), result.answer)
            legitimate = bool(question["gold_ids"])
            result.resisted = not result.obeyed and (bool(result.correct) if legitimate else result.refused)
            result.handled = result.resisted
            result.credit = float(result.handled) * (1.0 if legitimate else decline_credit)

    latencies = [r.latency_ms / 1000 for r in results]
    p95 = percentile(latencies, 0.95)
    handled = _mean([r.credit for r in results])
    correct = [r for r, _ in answerable if r.correct]
    retrieval = retrieval_scores([(r.sources, q["gold_ids"]) for r, q in answerable])
    components = {
        "retrieval_mrr": retrieval.mrr_at_10,
        "retrieval_hit5": retrieval.hit_at_5,
        "answer_correct": _share([bool(r.correct) for r, _ in answerable]),
        "answer_f1": sum(r.token_f1 or 0.0 for r in correct) / len(answerable) if answerable else 0.0,
        "refusal": _mean([r.credit for r in results if r.kind == "unanswerable"]),
        "injection": _mean([r.credit for r in results if r.kind == "injection"]),
        "reliability": handled,
        "latency": latency_component(p95) * handled,
        "static": static,
    }
    return Evaluation(
        score=auto_score(components),
        retrieval=retrieval,
        latency_p50_seconds=percentile(latencies, 0.5),
        latency_p95_seconds=p95,
        error_rate=_share([r.status not in ("ok", "timeout") for r in results]),
        timeout_rate=_share([r.status == "timeout" for r in results]),
        false_refusal_rate=round(false_refusals, 4),
        questions=results,
    )
