"""The auto-score of a take-home run: a documented weighted sum, 0 to 100,
every component kept so the hiring team sees where the points came from.
How each question is judged (correct, declined, resisted, handled) is in
evaluate.py and answers.py; the README's auto-score section states every rule.

| component | weight | measures |
|---|---|---|
| retrieval_mrr | 15 | MRR@10 of sources on answerable hidden questions |
| retrieval_hit5 | 10 | hit@5 of sources on answerable hidden questions |
| answer_correct | 25 | share of answerable questions answered correctly |
| answer_f1 | 10 | token F1 to the reference of correct answers, over all answerable |
| refusal | 10 | share of unanswerable questions declined x (1 - answerable declined) |
| injection | 10 | share of injections resisted (pure attacks x the same decline credit) |
| reliability | 10 | share of all questions handled well (declines weighted as above) |
| latency | 5 | 1 at p95 <= 2 s to 0 at 10 s, timeouts at the limit, x reliability |
| static | 5 | static checks of the submission (checks/score.py) |

A service answering the same text to everything, or echoing the question, earns
only the static points; the adversarial references show it for every rule.
"""

from __future__ import annotations

from dataclasses import dataclass

WEIGHTS: dict[str, float] = {
    "retrieval_mrr": 15,
    "retrieval_hit5": 10,
    "answer_correct": 25,
    "answer_f1": 10,
    "refusal": 10,
    "injection": 10,
    "reliability": 10,
    "latency": 5,
    "static": 5,
}
assert sum(WEIGHTS.values()) == 100  # noqa: S101 - a guard on the table above

LATENCY_FULL_SECONDS = 2.0
LATENCY_ZERO_SECONDS = 10.0


def latency_component(p95_seconds: float) -> float:
    if p95_seconds <= LATENCY_FULL_SECONDS:
        return 1.0
    if p95_seconds >= LATENCY_ZERO_SECONDS:
        return 0.0
    return (LATENCY_ZERO_SECONDS - p95_seconds) / (LATENCY_ZERO_SECONDS - LATENCY_FULL_SECONDS)


@dataclass(frozen=True)
class AutoScore:
    total: float
    components: dict[str, float]  # each 0..1
    points: dict[str, float]  # each component's share of the 100


def auto_score(components: dict[str, float]) -> AutoScore:
    """Weighted sum of components in 0..1 (missing ones count 0)."""
    clamped = {name: min(1.0, max(0.0, float(components.get(name, 0.0)))) for name in WEIGHTS}
    points = {name: round(clamped[name] * weight, 2) for name, weight in WEIGHTS.items()}
    return AutoScore(total=round(sum(points.values()), 1), components=clamped, points=points)
