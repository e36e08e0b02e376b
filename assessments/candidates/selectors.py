"""Reads about candidates, narrowed to what the user may see."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Q, QuerySet

from hiring_platform.accounts.roles import Role, user_roles

from .models import Candidate, CandidateEvent


def candidates_visible_to(user: User | AnonymousUser) -> QuerySet[Candidate]:
    roles = user_roles(user)
    queryset = Candidate.objects.select_related("owner")
    if roles & {Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER}:
        return queryset
    if Role.INTERVIEWER in roles:
        return queryset.filter(interviewers=user.pk)
    return queryset.none()


def candidate_list(*, user: User | AnonymousUser, filters: dict[str, Any] | None = None) -> QuerySet[Candidate]:
    """Candidates the user may see, filtered by `search` (name, email, phone,
    notes; words in any order), `stage`, `role`, `level`, `source` and `owner`."""
    filters = filters or {}
    queryset = candidates_visible_to(user)
    for field in ("stage", "role", "level", "source", "owner"):
        value = filters.get(field)
        if value not in (None, ""):
            queryset = queryset.filter(**{field: value})
    search = (filters.get("search") or "").strip()
    if search:
        text_match = Q()
        for word in search.split()[:8]:
            text_match &= Q(full_name__icontains=word) | Q(email__icontains=word) | Q(phone__icontains=word)
        queryset = queryset.annotate(
            document=SearchVector("notes", config="simple"),
        ).filter(text_match | Q(document=SearchQuery(search, config="simple")))
    return queryset.order_by("-created_at", "-id")


def candidate_timeline(*, candidate: Candidate) -> QuerySet[CandidateEvent]:
    return candidate.events.select_related("actor").order_by("-created_at", "-id")
