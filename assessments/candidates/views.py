"""Recruiter pages for candidates. Rules come from `rules.py`; writes go through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from hiring_platform.accounts.permissions import RuleRequiredMixin, acting_user, can
from hiring_platform.errors import ApplicationError

from . import selectors, services
from .erasure import candidate_erase
from .forms import CandidateEraseForm, CandidateFilterForm, CandidateForm, ResumeUploadForm, StageChangeForm
from .models import Candidate


def _form_fields(form: CandidateForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    interviewers = list(data.pop("interviewers", []))
    return {"interviewers": interviewers, **data}


class CandidateObjectMixin(RuleRequiredMixin):
    def get_candidate(self, pk: int) -> Candidate:
        candidate = get_object_or_404(Candidate.objects.select_related("owner"), pk=pk)
        self.check_object_rule(candidate)
        return candidate


class CandidateListView(RuleRequiredMixin, View):
    rule = "candidates.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        filter_form = CandidateFilterForm(request.GET or None)
        filters = filter_form.cleaned_data if filter_form.is_valid() else {}
        page = Paginator(selectors.candidate_list(user=request.user, filters=filters), 25).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "candidates/list.html",
            {
                "filter_form": filter_form,
                "page": page,
                "query": query.urlencode(),
                "can_create": can(request.user, "candidates.create"),
            },
        )


class CandidateDetailView(CandidateObjectMixin, View):
    rule = "candidates.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = self.get_candidate(pk)
        return render(request, "candidates/detail.html", self.context(candidate))

    def context(self, candidate: Candidate, **forms: Any) -> dict[str, Any]:
        user = self.request.user
        editable = candidate.erased_at is None
        return {
            "candidate": candidate,
            "timeline": selectors.candidate_timeline(candidate=candidate)[:100],
            "interviewers": candidate.interviewers.order_by("username"),
            "can_change": editable and can(user, "candidates.change", candidate),
            "can_change_stage": editable and can(user, "candidates.change_stage", candidate),
            "can_upload": editable and can(user, "candidates.upload_resume", candidate),
            "can_erase": editable and can(user, "candidates.erase", candidate),
            "stage_form": forms.get("stage_form") or StageChangeForm(initial={"to_stage": candidate.stage}),
            "resume_form": forms.get("resume_form") or ResumeUploadForm(),
            "erase_form": forms.get("erase_form") or CandidateEraseForm(candidate_name=candidate.full_name),
        }


class CandidateCreateView(RuleRequiredMixin, View):
    rule = "candidates.create"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CandidateForm(initial={"owner": request.user.pk})
        return render(request, "candidates/form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CandidateForm(request.POST)
        if form.is_valid():
            candidate = services.candidate_create(actor=acting_user(request), **_form_fields(form))
            messages.success(request, _("Candidate created."))
            return HttpResponseRedirect(reverse("candidates:detail", args=[candidate.pk]))
        return render(request, "candidates/form.html", {"form": form}, status=400)


class CandidateEditView(CandidateObjectMixin, View):
    rule = "candidates.change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = self.get_candidate(pk)
        return render(
            request, "candidates/form.html", {"form": CandidateForm(instance=candidate), "candidate": candidate}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = self.get_candidate(pk)
        # Bind to a fresh copy so that a failed form leaves `candidate` untouched for the page.
        form = CandidateForm(request.POST, instance=Candidate.objects.get(pk=pk))
        if form.is_valid():
            try:
                services.candidate_update(actor=acting_user(request), candidate=candidate, **_form_fields(form))
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Changes saved."))
                return HttpResponseRedirect(reverse("candidates:detail", args=[candidate.pk]))
        return render(request, "candidates/form.html", {"form": form, "candidate": candidate}, status=400)


class CandidateStageView(CandidateObjectMixin, View):
    rule = "candidates.change_stage"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = self.get_candidate(pk)
        form = StageChangeForm(request.POST)
        if form.is_valid():
            try:
                services.candidate_change_stage(
                    actor=acting_user(request),
                    candidate=candidate,
                    to_stage=form.cleaned_data["to_stage"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                form.add_error("reason" if error.extra.get("field") == "reason" else None, error.message)
            else:
                messages.success(request, _("Stage changed."))
                return HttpResponseRedirect(reverse("candidates:detail", args=[candidate.pk]))
        view = CandidateDetailView(request=request)
        return render(request, "candidates/detail.html", view.context(candidate, stage_form=form), status=400)


class CandidateResumeUploadView(CandidateObjectMixin, View):
    rule = "candidates.upload_resume"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = self.get_candidate(pk)
        form = ResumeUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.candidate_upload_resume(
                    actor=acting_user(request), candidate=candidate, upload=form.cleaned_data["resume"]
                )
            except ApplicationError as error:
                form.add_error("resume", error.message)
            else:
                messages.success(request, _("Resume uploaded."))
                return HttpResponseRedirect(reverse("candidates:detail", args=[candidate.pk]))
        view = CandidateDetailView(request=request)
        return render(request, "candidates/detail.html", view.context(candidate, resume_form=form), status=400)


class CandidateEraseView(CandidateObjectMixin, View):
    rule = "candidates.erase"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        candidate = self.get_candidate(pk)
        form = CandidateEraseForm(request.POST, candidate_name=candidate.full_name)
        if form.is_valid():
            try:
                candidate_erase(actor=acting_user(request), candidate=candidate, reason=form.cleaned_data["reason"])
            except ApplicationError as error:
                form.add_error("reason" if error.extra.get("field") == "reason" else None, error.message)
            else:
                messages.success(request, _("The candidate's personal data was erased."))
                return HttpResponseRedirect(reverse("candidates:detail", args=[candidate.pk]))
        view = CandidateDetailView(request=request)
        return render(request, "candidates/detail.html", view.context(candidate, erase_form=form), status=400)


class CandidateResumeDownloadView(CandidateObjectMixin, View):
    rule = "candidates.view"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        candidate = self.get_candidate(pk)
        if not candidate.resume:
            raise Http404(_("This candidate has no resume."))
        return FileResponse(
            candidate.resume.open("rb"),
            as_attachment=True,
            filename=candidate.resume_name,
            content_type=candidate.resume_content_type,
        )
