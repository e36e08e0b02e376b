"""Suggest a balanced plan from the question bank. Deterministic: the same
input and bank give the same plan (no randomness; ties broken by key).

1. The pool: active questions for the role (all roles' questions only when the
   role has fewer than enough for the time asked).
2. Sections: fundamentals, practical cases, engineering and production (the
   blocks of the recruiter's method); each topic belongs to one section, and
   the interview time is split between sections by SECTION_SHARES.
3. Picking, in rounds: first one question per topic to stress, then one per
   topic of the role (topics with most questions first), then more of the same,
   each time the best question by (level fit, least used in past plans and
   interviews, key) that still fits its section's time and its level's share.
   Nothing is added past a section's budget: the suggestion never runs over.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .content import standard_plan

SECTIONS = (
    ("fundamentals", "Fundamentals", "Фундаментальные знания", ["ml-fundamentals", "llm-knowledge"]),
    ("practical", "Practical cases", "Практические кейсы", ["retrieval-rag", "evaluation", "fine-tuning"]),
    ("engineering", "Engineering and production", "Инженерия и продакшн", ["system-design", "production", "coding"]),
)
SECTION_SHARES = {"fundamentals": 0.4, "practical": 0.3, "engineering": 0.3}
# Which block a topic of the bank belongs to; topics not listed go to "practical".
TOPIC_SECTIONS = {
    "python": "fundamentals",
    "classical-ml": "fundamentals",
    "mathematics": "fundamentals",
    "algorithms": "fundamentals",
    "embeddings": "fundamentals",
    "llm-fundamentals": "fundamentals",
    "text-generation": "fundamentals",
    "ml-frameworks": "fundamentals",
    "calibration": "fundamentals",
    "serving-latency": "engineering",
    "system-design-apis": "engineering",
    "unix-containers": "engineering",
    "performance-native": "engineering",
    "scalability": "engineering",
    "mlops-cicd": "engineering",
    "experiment-tracking": "engineering",
    "data-validation": "engineering",
    "distributed-training": "engineering",
    "feature-stores": "engineering",
    "drift-monitoring": "engineering",
}
LEVEL_MIX = {
    "junior": {"junior": 0.7, "middle": 0.3, "senior": 0.0},
    "middle": {"junior": 0.2, "middle": 0.6, "senior": 0.2},
    "senior": {"junior": 0.0, "middle": 0.4, "senior": 0.6},
}
LEVEL_SLACK = 0.15  # a level may take this share of the time beyond its target


class QuestionLike(Protocol):
    key: str
    topic_id: int
    level: str
    roles: list[str]
    time_minutes: int
    plan_uses: int
    interview_uses: int


@dataclass(frozen=True)
class Suggestion:
    content: dict[str, Any]
    covered_topics: list[str]
    missing_topics: list[str]  # asked to stress, but the bank has nothing that fits
    interview_minutes: int


def _section_of(topic: str) -> str:
    return TOPIC_SECTIONS.get(topic, "practical")


def suggest_plan(
    *,
    role: str,
    level: str,
    minutes: int,
    stress_topics: Sequence[str],
    questions: Iterable[QuestionLike],
    topic_slugs: dict[int, str],
) -> Suggestion:
    """A plan content (content.py format) for an interview of `minutes` minutes."""
    everything = sorted(questions, key=lambda q: q.key)
    mix = LEVEL_MIX[level]
    own = [q for q in everything if role in q.roles and mix.get(q.level, 0) > 0]
    pool = own
    budgets = {key: int(minutes * share) for key, share in SECTION_SHARES.items()}
    budgets["fundamentals"] += minutes - sum(budgets.values())
    level_caps = {lvl: minutes * (share + LEVEL_SLACK) for lvl, share in mix.items()}
    used_minutes: Counter[str] = Counter()
    used_levels: Counter[str] = Counter()
    chosen: dict[str, list[QuestionLike]] = {key: [] for key in budgets}
    taken: set[str] = set()

    def rank(question: QuestionLike) -> tuple[float, int, str]:
        return (-mix.get(question.level, 0), question.plan_uses + question.interview_uses, question.key)

    def take(topic: str) -> bool:
        section = _section_of(topic)
        fits = [
            q
            for q in pool
            if topic_slugs[q.topic_id] == topic
            and q.key not in taken
            and used_minutes[section] + q.time_minutes <= budgets[section]
            and used_levels[q.level] + q.time_minutes <= level_caps[q.level]
        ]
        if not fits:
            return False
        best = min(fits, key=rank)
        chosen[section].append(best)
        taken.add(best.key)
        used_minutes[section] += best.time_minutes
        used_levels[best.level] += best.time_minutes
        return True

    covered_stress = [topic for topic in stress_topics if take(topic)]
    role_topics = [
        t for t, _ in sorted(Counter(topic_slugs[q.topic_id] for q in own).items(), key=lambda i: (-i[1], i[0]))
    ]
    topics = [*stress_topics, *role_topics]
    # Widen step by step while the time is far from used: the role's own questions at
    # the level mix, then other roles' questions (the role's topics first), then any level.
    for widen in range(3):
        if widen == 1:
            pool = [q for q in everything if mix.get(q.level, 0) > 0]
            covered_stress += [topic for topic in stress_topics if topic not in covered_stress and take(topic)]
            by_count = Counter(topic_slugs[q.topic_id] for q in pool)
            topics += [t for t, _ in sorted(by_count.items(), key=lambda i: (-i[1], i[0])) if t not in topics]
        if widen == 2:
            level_caps = dict.fromkeys(level_caps, float(minutes))
        progress = True
        while progress:  # rounds: one more question per topic while anything still fits
            progress = False
            for topic in topics:
                progress = take(topic) or progress
        if sum(used_minutes.values()) >= minutes * 0.85:
            break
    sections = []
    for key, title_en, title_ru, competencies in SECTIONS:
        if not chosen[key]:
            continue
        sections.append(
            {
                "key": key,
                "title_en": title_en,
                "title_ru": title_ru,
                "minutes": budgets[key],
                "competencies": competencies,
                "questions": [{"key": q.key} for q in chosen[key]],
            }
        )
    content = standard_plan(sections)
    covered = sorted({topic_slugs[q.topic_id] for qs in chosen.values() for q in qs})
    return Suggestion(
        content=content,
        covered_topics=covered,
        missing_topics=[topic for topic in stress_topics if topic not in covered_stress],
        interview_minutes=sum(used_minutes.values()),
    )
