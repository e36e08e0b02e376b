"""Retrieval and answer metrics.

Retrieval is judged on the service's `sources`, best first, against the gold
knowledge-base ids of each answerable question:

- hit@k: 1 when a gold id is among the first k distinct sources;
- MRR@10: the mean of 1 / rank of the first gold id within the first 10.

Two decisions, made on purpose (the reference libraries differ here):

- *Ties cannot happen*: `sources` is an ordered list, so ranks are its
  positions. A repeated id counts at its first position only. (trec_eval
  would sort equal scores by document id instead.)
- *A question with no sources scores 0* and stays in the mean: an answer
  without sources did not retrieve anything. (pytrec_eval leaves a query
  without any retrieved document out of its output, so a mean over it would
  reward a service that answers nothing; ir-measures' aggregate counts it as
  0, as we do.) Questions without gold ids (unanswerable, injection) are not
  part of retrieval scores.

Answer quality uses token F1 (bag of lowercase word tokens, as in SQuAD) and
semantic similarity (see `similarity.py`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WORD = re.compile(r"\w+", re.UNICODE)


def distinct_ranked(sources: Sequence[str]) -> list[str]:
    """The sources in order, each id at its first position only."""
    return list(dict.fromkeys(str(source) for source in sources))


def hit_at(sources: Sequence[str], gold: Iterable[str], k: int) -> float:
    gold_ids = set(gold)
    return 1.0 if any(source in gold_ids for source in distinct_ranked(sources)[:k]) else 0.0


def reciprocal_rank(sources: Sequence[str], gold: Iterable[str], k: int = 10) -> float:
    gold_ids = set(gold)
    for position, source in enumerate(distinct_ranked(sources)[:k], start=1):
        if source in gold_ids:
            return 1.0 / position
    return 0.0


@dataclass(frozen=True)
class RetrievalScores:
    questions: int
    hit_at_1: float
    hit_at_5: float
    mrr_at_10: float


def retrieval_scores(judged: Sequence[tuple[Sequence[str], Sequence[str]]]) -> RetrievalScores:
    """Means over (sources, gold ids) pairs; pairs without gold ids are skipped."""
    answerable = [(sources, gold) for sources, gold in judged if gold]
    if not answerable:
        return RetrievalScores(0, 0.0, 0.0, 0.0)
    count = len(answerable)
    return RetrievalScores(
        questions=count,
        hit_at_1=sum(hit_at(s, g, 1) for s, g in answerable) / count,
        hit_at_5=sum(hit_at(s, g, 5) for s, g in answerable) / count,
        mrr_at_10=sum(reciprocal_rank(s, g, 10) for s, g in answerable) / count,
    )


def tokens(text: str) -> list[str]:
    return WORD.findall(text.lower())


def token_f1(prediction: str, reference: str) -> float:
    """Harmonic mean of token precision and recall (counts matter); 1.0 when both are empty."""
    predicted, expected = Counter(tokens(prediction)), Counter(tokens(reference))
    if not predicted or not expected:
        return float(predicted == expected)
    common = sum((predicted & expected).values())
    if common == 0:
        return 0.0
    precision, recall = common / sum(predicted.values()), common / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


def percentile(values: Sequence[float], share: float) -> float:
    """Linear-interpolated percentile (share in 0..1); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)
