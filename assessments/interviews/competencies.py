"""What plans assess: technical competencies (rated per interview section) and
the soft skills of the recruiter's method (../shared/seeds/003_16d8ee7d6d48cca1.txt)."""

from __future__ import annotations

TECHNICAL: dict[str, tuple[str, str]] = {
    "ml-fundamentals": ("ML fundamentals", "Основы ML"),
    "llm-knowledge": ("LLMs: how they work", "LLM: как они устроены"),
    "retrieval-rag": ("Retrieval and RAG", "Поиск и RAG"),
    "fine-tuning": ("Fine-tuning", "Дообучение"),
    "evaluation": ("Evaluation and metrics", "Оценка и метрики"),
    "coding": ("Coding", "Программирование"),
    "system-design": ("System design", "Системный дизайн"),
    "production": ("Production and MLOps", "Продакшн и MLOps"),
    "data-engineering": ("Data engineering", "Инженерия данных"),
    "product-sense": ("Product sense", "Продуктовое мышление"),
}
SOFT_SKILLS: dict[str, tuple[str, str]] = {
    "communication": ("Communication", "Коммуникация"),
    "curiosity-learning": ("Curiosity and learning", "Любознательность и обучаемость"),
    "systems-thinking": ("Systems thinking", "Системное мышление"),
    "uncertainty": ("Working with uncertainty", "Работа с неопределённостью"),
}
ALL = {**TECHNICAL, **SOFT_SKILLS}


def label(key: str, language: str) -> str:
    english, russian = ALL.get(key, (key, key))
    return russian if language == "ru" else english
