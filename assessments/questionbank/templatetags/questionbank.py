from typing import Any

from django import template

register = template.Library()


@register.filter
def in_language(value: Any, language: str) -> str:
    """The `language` text of a {"en", "ru"} item (or a Question's prompt), falling back to the other language."""
    if hasattr(value, "prompt") and callable(value.prompt):
        return str(value.prompt(language))
    if isinstance(value, dict):
        other = "en" if language == "ru" else "ru"
        return str(value.get(language) or value.get(other) or "")
    return ""


@register.filter
def other_language(value: Any, language: str) -> str:
    """The text in the other language, shown beside the main one for reference."""
    return in_language(value, "en" if language == "ru" else "ru")


@register.filter
def topic_name(topic: Any, language: str) -> str:
    return str(topic.name_ru if language == "ru" else topic.name_en)
