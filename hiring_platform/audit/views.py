"""The audit log page: newest first, with filters."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from hiring_platform.accounts.permissions import RuleRequiredMixin

from .forms import AuditFilterForm
from .selectors import audit_event_list


class AuditListView(RuleRequiredMixin, View):
    rule = "audit.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        page = Paginator(audit_event_list(filters=filters), 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()})
