"""Screening pages: checklists (read, edit a flag = new version) and a resume's
screening (live status, highlighted evidence, confirm/reject, add, decide).
Rules come from `rules.py`; writes go through services."""

from __future__ import annotations

from typing import Any

import yaml
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from assessments.candidates.models import Candidate
from hiring_platform.accounts.permissions import RuleRequiredMixin, acting_user, can
from hiring_platform.errors import ApplicationError

from . import selectors, services
from .checklists import ChecklistError
from .forms import DecisionForm, FlagAddForm, FlagEditForm, FlagReviewForm, StartForm
from .models import Checklist, Screening, ScreeningState


class ChecklistListView(RuleRequiredMixin, View):
    rule = "screening.view_checklists"

    def get(self, request: HttpRequest) -> HttpResponse:
        checklists = Checklist.objects.select_related("current").order_by("role")
        return render(request, "screening/checklists.html", {"checklists": checklists})


class ChecklistDetailView(RuleRequiredMixin, View):
    rule = "screening.view_checklists"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        checklist = get_object_or_404(Checklist.objects.select_related("current"), slug=slug)
        suffix = "ru" if get_language() == "ru" else "en"
        flags = [
            {**flag, "title": flag[f"title_{suffix}"], "description": flag[f"description_{suffix}"]}
            for flag in (checklist.current.flags if checklist.current else [])
        ]
        return render(
            request,
            "screening/checklist.html",
            {
                "checklist": checklist,
                "flags": flags,
                "versions": checklist.versions.select_related("created_by")[:20],
                "can_edit": can(request.user, "screening.edit_checklists"),
            },
        )


class ChecklistFlagEditView(RuleRequiredMixin, View):
    """Edit one flag (or add one with key "new"); saving writes a new checklist version."""

    rule = "screening.edit_checklists"

    def _initial(self, checklist: Checklist, key: str) -> dict[str, Any]:
        flag = checklist.current.flag(key) if checklist.current and key != "new" else None
        if flag is None:
            return {"kind": "green", "weight": 2}
        return {**flag, "rules": yaml.safe_dump(flag["rules"], allow_unicode=True, sort_keys=False)}

    def get(self, request: HttpRequest, slug: str, key: str) -> HttpResponse:
        checklist = get_object_or_404(Checklist, slug=slug)
        form = FlagEditForm(initial=self._initial(checklist, key), new=key == "new")
        return render(request, "screening/flag_form.html", {"checklist": checklist, "form": form, "key": key})

    def post(self, request: HttpRequest, slug: str, key: str) -> HttpResponse:
        checklist = get_object_or_404(Checklist, slug=slug)
        form = FlagEditForm(request.POST, new=key == "new")
        if form.is_valid():
            flag = form.flag(key)
            try:
                services.checklist_flag_update(actor=acting_user(request), checklist=checklist, flag=flag)
            except ChecklistError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved as a new version of the checklist."))
                return HttpResponseRedirect(reverse("screening:checklist", args=[slug]))
        context = {"checklist": checklist, "form": form, "key": key}
        return render(request, "screening/flag_form.html", context, status=400)


class ScreeningStartView(RuleRequiredMixin, View):
    rule = "screening.manage"

    def post(self, request: HttpRequest, candidate_pk: int) -> HttpResponse:
        candidate = get_object_or_404(Candidate, pk=candidate_pk)
        form = StartForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a checklist."))
            return HttpResponseRedirect(reverse("candidates:detail", args=[candidate.pk]))
        try:
            screening = services.screening_start(
                actor=acting_user(request), candidate=candidate, checklist=form.cleaned_data["checklist"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("candidates:detail", args=[candidate.pk]))
        return HttpResponseRedirect(reverse("screening:detail", args=[screening.pk]))


class ScreeningMixin(RuleRequiredMixin):
    def get_screening(self, pk: int) -> Screening:
        screening = get_object_or_404(Screening.objects.select_related("candidate", "version__checklist"), pk=pk)
        self.check_object_rule(screening, "screening.view")
        return screening


class ScreeningDetailView(ScreeningMixin, View):
    rule = "screening.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "screening/screening.html", self.context(self.get_screening(pk)))

    def context(self, screening: Screening, **forms: Any) -> dict[str, Any]:
        flags = list(screening.flags.select_related("decided_by"))
        titles = selectors.flag_titles(screening, get_language() or "en")
        present = {flag.key for flag in flags}
        missing = [(key, item["title"]) for key, item in titles.items() if key not in present]
        return {
            "screening": screening,
            "done": screening.state == ScreeningState.DONE,
            "summary": selectors.screening_summary(screening) if screening.state == ScreeningState.DONE else None,
            "pieces": selectors.highlighted(screening, flags) if screening.resume_text else [],
            "flags": [{"flag": flag, **titles.get(flag.key, {"title": flag.key, "description": ""})} for flag in flags],
            "can_manage": can(self.request.user, "screening.manage"),
            "add_form": forms.get("add_form") or FlagAddForm(choices=missing),
            "decision_form": forms.get("decision_form")
            or DecisionForm(initial={"decision": screening.decision, "reason": screening.decision_reason}),
        }


class ScreeningStatusView(ScreeningMixin, View):
    rule = "screening.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        screening = self.get_screening(pk)
        done = screening.state in (ScreeningState.DONE, ScreeningState.FAILED)
        return JsonResponse({"state": screening.state, "label": screening.get_state_display(), "done": done})


class ScreeningFlagReviewView(ScreeningMixin, View):
    rule = "screening.manage"

    def post(self, request: HttpRequest, pk: int, key: str) -> HttpResponse:
        screening = self.get_screening(pk)
        form = FlagReviewForm(request.POST)
        if form.is_valid():
            try:
                services.screening_flag_review(
                    actor=acting_user(request),
                    screening=screening,
                    key=key,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except ApplicationError as error:
                messages.error(request, error.message)
        else:
            messages.error(request, _("Confirm or reject."))
        return HttpResponseRedirect(reverse("screening:detail", args=[pk]) + f"#flag-{key}")


class ScreeningFlagAddView(ScreeningMixin, View):
    rule = "screening.manage"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        screening = self.get_screening(pk)
        page = ScreeningDetailView(request=request)
        present = set(screening.flags.values_list("key", flat=True))
        titles = selectors.flag_titles(screening, get_language() or "en")
        form = FlagAddForm(request.POST, choices=[(k, v["title"]) for k, v in titles.items() if k not in present])
        if form.is_valid():
            try:
                services.screening_flag_add(actor=acting_user(request), screening=screening, **form.cleaned_data)
            except ApplicationError as error:
                form.add_error(
                    error.extra.get("field") if error.extra.get("field") in form.fields else None, error.message
                )
            else:
                messages.success(request, _("Flag added."))
                return HttpResponseRedirect(reverse("screening:detail", args=[pk]))
        return render(request, "screening/screening.html", page.context(screening, add_form=form), status=400)


class ScreeningDecideView(ScreeningMixin, View):
    rule = "screening.manage"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        screening = self.get_screening(pk)
        page = ScreeningDetailView(request=request)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.screening_decide(actor=acting_user(request), screening=screening, **form.cleaned_data)
            except ApplicationError as error:
                form.add_error(
                    error.extra.get("field") if error.extra.get("field") in form.fields else None, error.message
                )
            else:
                messages.success(request, _("Decision recorded."))
                return HttpResponseRedirect(reverse("screening:detail", args=[pk]))
        return render(request, "screening/screening.html", page.context(screening, decision_form=form), status=400)
