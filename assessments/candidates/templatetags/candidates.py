from collections.abc import Iterable

from django import template
from django.core.exceptions import FieldDoesNotExist

from assessments.candidates.models import Candidate, Stage

register = template.Library()


@register.filter
def stage_label(value: str) -> str:
    """The translated name of a stage value stored in an event (unknown values shown as they are)."""
    try:
        return str(Stage(value).label)
    except ValueError:
        return value


@register.filter
def field_labels(names: Iterable[str]) -> str:
    """Translated names of the candidate fields an `updated` event changed."""
    labels = []
    for name in names:
        try:
            labels.append(str(getattr(Candidate._meta.get_field(name), "verbose_name", name)))
        except FieldDoesNotExist:
            labels.append(str(name))
    return ", ".join(labels)
