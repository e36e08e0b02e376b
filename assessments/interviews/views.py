"""Plan pages (list, new from template / scratch / suggestion, read, builder)
and interview pages (schedule from the candidate's page, the kit and its PDF).
The builder edits the plan in the browser and saves through the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from assessments.candidates.models import Candidate
from assessments.questionbank.models import Topic
from hiring_platform.accounts.permissions import RuleRequiredMixin, acting_user, can
from hiring_platform.audit.models import AuditAction
from hiring_platform.audit.services import audit_record
from hiring_platform.errors import ApplicationError

from . import scorecards, selectors, services
from .api import plan_suggestion
from .competencies import TECHNICAL, label
from .content import standard_plan
from .decisions import candidate_decide
from .evaluation import candidate_evaluation
from .forms import DecisionForm, FromTemplateForm, ScheduleForm, ScratchForm, SuggestForm
from .models import Interview, Plan, Recommendation, Scorecard, ScorecardState
from .pdf import evaluation_pdf, kit_pdf
from .profile import competency_profile


def _labels() -> dict[str, str]:
    """The builder script's words, in the page's language."""
    return {
        "not_saved": _("not saved yet"),
        "saved": _("Saved: version %(number)s."),
        "not_saved_error": _("Not saved."),
        "move_up": _("Move up"),
        "move_down": _("Move down"),
        "remove": _("Remove"),
        "add": _("Add"),
        "add_section": _("+ section"),
        "section_title": _("Section title"),
        "new_section": _("New section"),
        "duplicate": _("This question is already in the plan."),
        "total": _("Total: %(used)s of %(budget)s min"),
        "levels": _("Levels"),
        "topics": _("Topics"),
        "minutes": _("min"),
        "weight": _("weight"),
        "budget": _("Budget, minutes"),
        "retired": _("retired"),
    }


def _builder(request: HttpRequest, data: dict[str, Any], *, role: str, level: str) -> HttpResponse:
    return render(
        request,
        "interviews/builder.html",
        {
            "data": {**data, "role": role, "level": level},
            "labels": _labels(),
            "competencies": {key: label for key, (label, _ru) in TECHNICAL.items()},
            "topics": dict(Topic.objects.values_list("slug", "name_en")),
        },
    )


def _empty_content() -> dict[str, Any]:
    section = {"key": "fundamentals", "title_en": "Fundamentals", "title_ru": "Фундаментальные знания",
               "minutes": 30, "competencies": ["ml-fundamentals"], "questions": []}  # fmt: skip
    return standard_plan([section])


class PlanListView(RuleRequiredMixin, View):
    rule = "interviews.view_plans"

    def get(self, request: HttpRequest) -> HttpResponse:
        plans = Plan.objects.select_related("current")
        return render(
            request,
            "interviews/plans.html",
            {
                "templates": [plan for plan in plans if plan.is_template],
                "plans": [plan for plan in plans if not plan.is_template],
                "can_manage": can(request.user, "interviews.manage_plans"),
                "template_form": FromTemplateForm(),
                "suggest_form": SuggestForm(),
                "scratch_form": ScratchForm(),
            },
        )


class PlanFromTemplateView(RuleRequiredMixin, View):
    rule = "interviews.manage_plans"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = FromTemplateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a template and name the plan."))
            return HttpResponseRedirect(reverse("interviews:plans"))
        plan = services.plan_copy(
            actor=acting_user(request), source=form.cleaned_data["template"], name=form.cleaned_data["name"]
        )
        return HttpResponseRedirect(reverse("interviews:builder", args=[plan.pk]))


class PlanNewView(RuleRequiredMixin, View):
    """The builder with an unsaved plan: empty (from scratch) or suggested."""

    rule = "interviews.manage_plans"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ScratchForm(request.GET)
        if not form.is_valid():
            return HttpResponseRedirect(reverse("interviews:plans"))
        data = {"id": None, "name": "", "content": _empty_content(), "questions": {}}
        return _builder(request, data, role=form.cleaned_data["role"], level=form.cleaned_data["level"])

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SuggestForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Check the suggestion's role, level and time."))
            return HttpResponseRedirect(reverse("interviews:plans"))
        data = dict(form.cleaned_data)
        data["topics"] = [topic.slug for topic in data["topics"]]
        try:
            suggestion = plan_suggestion(data)
        except ApplicationError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("interviews:plans"))
        keys = [
            q["key"] for s in suggestion["content"]["stages"] for sec in s.get("sections", []) for q in sec["questions"]
        ]
        builder = {
            "id": None,
            "name": f"Suggested: {data['role']} {data['level']}, {data['minutes']} min",
            "content": suggestion["content"],
            "questions": selectors.question_rows(keys),
            "missing_topics": suggestion["missing_topics"],
        }
        return _builder(request, builder, role=data["role"], level=data["level"])


class PlanDetailView(RuleRequiredMixin, View):
    rule = "interviews.view_plans"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = get_object_or_404(Plan.objects.select_related("current"), pk=pk)
        data = selectors.plan_for_builder(plan)
        return render(
            request,
            "interviews/plan.html",
            {
                "plan": plan,
                "content": data["content"],
                "questions": data["questions"],
                "coverage": selectors.plan_coverage(data["content"]) if plan.current else None,
                "versions": plan.versions.select_related("created_by")[:20],
                "can_manage": can(request.user, "interviews.manage_plans"),
            },
        )


class PlanBuilderView(RuleRequiredMixin, View):
    rule = "interviews.manage_plans"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = get_object_or_404(Plan.objects.select_related("current"), pk=pk)
        return _builder(request, selectors.plan_for_builder(plan), role=plan.role, level=plan.level)


class InterviewScheduleView(RuleRequiredMixin, View):
    rule = "interviews.schedule"

    def get(self, request: HttpRequest, candidate_pk: int) -> HttpResponse:
        candidate = get_object_or_404(Candidate, pk=candidate_pk)
        return render(request, "interviews/schedule.html", {"candidate": candidate, "form": ScheduleForm()})

    def post(self, request: HttpRequest, candidate_pk: int) -> HttpResponse:
        candidate = get_object_or_404(Candidate, pk=candidate_pk)
        form = ScheduleForm(request.POST)
        if form.is_valid():
            plan, stage_key = form.plan_and_stage()
            try:
                interview = services.interview_schedule(
                    actor=acting_user(request),
                    candidate=candidate,
                    plan=plan,
                    stage_key=stage_key,
                    interviewers=list(form.cleaned_data["interviewers"]),
                    language=form.cleaned_data["language"],
                    scheduled_at=form.cleaned_data["scheduled_at"],
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Interview scheduled; the interviewer can open the kit."))
                return HttpResponseRedirect(reverse("interviews:kit", args=[interview.pk]))
        return render(request, "interviews/schedule.html", {"candidate": candidate, "form": form}, status=400)


class InterviewMixin(RuleRequiredMixin):
    rule = "interviews.view_interview"

    def get_interview(self, pk: int) -> Interview:
        interview = get_object_or_404(
            Interview.objects.select_related("candidate", "plan_version__plan").prefetch_related("interviewers"), pk=pk
        )
        self.check_object_rule(interview)
        return interview


class KitView(InterviewMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        interview = self.get_interview(pk)
        return render(
            request, "interviews/kit.html", {"interview": interview, "kit": selectors.interview_kit(interview)}
        )


class KitPdfView(InterviewMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        interview = self.get_interview(pk)
        audit_record(
            action=AuditAction.EXPORT,
            actor=request.user,
            target=interview,
            detail={"document": "interview_kit", "format": "pdf", "candidate": interview.candidate_id},
        )
        response = HttpResponse(kit_pdf(selectors.interview_kit(interview)), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="interview-kit-{interview.pk}.pdf"'
        return response


class ScorecardFormView(InterviewMixin, View):
    """The interviewer's scoring form for this interview (their own scorecard)."""

    rule = "interviews.fill_scorecard"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        interview = get_object_or_404(
            Interview.objects.select_related("candidate", "plan_version__plan").prefetch_related("interviewers"), pk=pk
        )
        try:
            scorecard = scorecards.scorecard_open(actor=acting_user(request), interview=interview)
        except ApplicationError as error:
            raise PermissionDenied(error.message) from None
        kit = selectors.interview_kit(interview)
        answers, ratings = scorecard.answers, scorecard.competencies
        sections = [
            {
                **section,
                "questions": [{**q, "answer": answers.get(q["key"], {})} for q in section["questions"]],
            }
            for section in kit["sections"]
        ]
        language = interview.language
        competencies = [
            {"key": key, "label": label(key, language), "value": ratings.get(key, {})}
            for key in scorecards.scorecard_competencies(interview)
        ]
        return render(
            request,
            "interviews/scorecard_form.html",
            {
                "interview": interview,
                "scorecard": scorecard,
                "kit": kit,
                "sections": sections,
                "competencies": competencies,
                "recommendations": Recommendation.choices,
                "ratings": [1, 2, 3, 4],
                "locked": scorecard.state != ScorecardState.DRAFT,
                "labels": {
                    "saving": _("Saving…"),
                    "saved": _("Saved"),
                    "offline": _("Offline: kept in this browser, will be saved when the connection is back"),
                    "not_submitted": _("Not submitted."),
                },
            },
        )


class ScorecardDetailView(RuleRequiredMixin, View):
    rule = "interviews.view_scorecard"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        scorecard = get_object_or_404(
            Scorecard.objects.select_related("interview__candidate", "interview__plan_version", "interviewer"), pk=pk
        )
        self.check_object_rule(scorecard)
        kit = selectors.interview_kit(scorecard.interview)
        return render(
            request,
            "interviews/scorecard.html",
            {"scorecard": scorecard, "kit": kit, "can_reopen": can(request.user, "interviews.reopen_scorecard")},
        )


class ScorecardReopenView(RuleRequiredMixin, View):
    rule = "interviews.reopen_scorecard"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        scorecard = get_object_or_404(Scorecard.objects.select_related("interview__candidate"), pk=pk)
        try:
            scorecards.scorecard_reopen(
                actor=acting_user(request), scorecard=scorecard, reason=request.POST.get("reason", "")
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The scorecard is open again for its interviewer."))
        return HttpResponseRedirect(reverse("interviews:scorecard", args=[pk]))


class EvaluationView(RuleRequiredMixin, View):
    """The candidate's scored evaluation, and the hiring manager's decision form."""

    rule = "interviews.view_evaluation"

    def get(self, request: HttpRequest, candidate_pk: int) -> HttpResponse:
        candidate = get_object_or_404(Candidate, pk=candidate_pk)
        return render(request, "interviews/evaluation.html", self.context(candidate))

    def context(self, candidate: Candidate, form: DecisionForm | None = None) -> dict[str, Any]:
        language = get_language() or "en"
        evaluation = candidate_evaluation(candidate, language)
        return {
            "candidate": candidate,
            "evaluation": evaluation,
            "profile": competency_profile(candidate, evaluation, language),
            "can_decide": can(self.request.user, "interviews.decide"),
            "form": form or DecisionForm(),
        }

    def post(self, request: HttpRequest, candidate_pk: int) -> HttpResponse:
        candidate = get_object_or_404(Candidate, pk=candidate_pk)
        self.check_object_rule(candidate, "interviews.decide")
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                candidate_decide(actor=acting_user(request), candidate=candidate, **form.cleaned_data)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Decision recorded."))
                return HttpResponseRedirect(reverse("candidates:detail", args=[candidate.pk]))
        return render(request, "interviews/evaluation.html", self.context(candidate, form), status=400)


class EvaluationPdfView(RuleRequiredMixin, View):
    rule = "interviews.view_evaluation"

    def get(self, request: HttpRequest, candidate_pk: int) -> HttpResponse:
        candidate = get_object_or_404(Candidate, pk=candidate_pk)
        evaluation = candidate_evaluation(candidate, get_language() or "en")
        audit_record(
            action=AuditAction.EXPORT,
            actor=request.user,
            target=candidate,
            detail={"document": "evaluation", "format": "pdf"},
        )
        response = HttpResponse(evaluation_pdf(candidate.full_name, evaluation), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="evaluation-{candidate.pk}.pdf"'
        return response
