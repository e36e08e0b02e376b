"""The hiring team's take-home pages: tasks, issuing, assignments, submissions,
runs, code, reviews and similarity. Rules come from `rules.py` (object by
object: an assignment's page checks that assignment); writes go through services.
Everything the candidate supplied is rendered as untrusted text."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from assessments.candidates.models import Candidate
from hiring_platform.accounts.permissions import RuleRequiredMixin, acting_user, can
from hiring_platform.errors import ApplicationError

from . import selectors, services
from .dataset import DatasetError
from .forms import ExtendForm, IssueForm, ReviewForm, RevokeForm, TaskCreateForm, TaskDataForm, TaskForm
from .grading.autoscore import WEIGHTS
from .models import Assignment, GradingRun, RunPurpose, SimilarityFlag, Submission, TakeHomeReview, TakeHomeTask
from .similarity import highlight
from .untrusted import decode_text, render_markdown

NEW_LINK_SESSION_KEY = "takehome_new_link"


def _link(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("takehome-candidate:task", args=[token]))


class AssignmentMixin(RuleRequiredMixin):
    def get_assignment(self, pk: int, rule: str | None = None) -> Assignment:
        assignment = get_object_or_404(Assignment.objects.select_related("task", "candidate"), pk=pk)
        self.check_object_rule(assignment, rule)
        return assignment

    def get_submission(self, pk: int) -> Submission:
        submission = get_object_or_404(Submission.objects.select_related("assignment__task"), pk=pk)
        self.check_object_rule(submission.assignment)
        return submission


# --- tasks -------------------------------------------------------------------


class TaskListView(RuleRequiredMixin, View):
    rule = "takehome.view_tasks"

    def get(self, request: HttpRequest) -> HttpResponse:
        tasks = TakeHomeTask.objects.select_related("dataset").order_by("title")
        return render(
            request, "takehome/task_list.html", {"tasks": tasks, "can_manage": can(request.user, "takehome.manage")}
        )


class TaskDetailView(RuleRequiredMixin, View):
    """The task, its data version and the comparison of every candidate on it."""

    rule = "takehome.view_tasks"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(TakeHomeTask.objects.select_related("dataset"), pk=pk)
        rows = []
        for assignment in task.assignments.select_related("candidate").order_by("created_at"):
            result = selectors.assignment_result(assignment)
            rows.append(
                {
                    "assignment": assignment,
                    "name": selectors.candidate_label(request.user, assignment),
                    "result": result,
                    "components": result.run.components if result.run else {},
                    "metrics": result.run.metrics if result.run else {},
                }
            )
        rows.sort(key=lambda row: -(row["result"].combined if row["result"].combined is not None else -1))
        flags = SimilarityFlag.objects.filter(task=task).select_related(
            "submission_a__assignment", "submission_b__assignment"
        )
        return render(
            request,
            "takehome/task_detail.html",
            {
                "task": task,
                "rows": rows,
                "component_names": list(WEIGHTS),
                "flags": [
                    {
                        "flag": flag,
                        "a": selectors.candidate_label(request.user, flag.submission_a.assignment),
                        "b": selectors.candidate_label(request.user, flag.submission_b.assignment),
                    }
                    for flag in flags
                ],
                "can_manage": can(request.user, "takehome.manage"),
            },
        )


class TaskCreateView(RuleRequiredMixin, View):
    rule = "takehome.manage"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "takehome/task_form.html", {"form": TaskCreateForm(), "data_form": TaskDataForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TaskCreateForm(request.POST)
        data_form = TaskDataForm(request.POST, request.FILES)
        if form.is_valid() and data_form.is_valid():
            fields = dict(form.cleaned_data)
            try:
                task = services.task_create(
                    actor=acting_user(request), files=data_form.files_by_name(), slug=fields.pop("slug"), **fields
                )
            except DatasetError as error:
                data_form.add_error(None, str(error))
            else:
                messages.success(request, _("Task created."))
                return HttpResponseRedirect(reverse("takehome:task", args=[task.pk]))
        return render(request, "takehome/task_form.html", {"form": form, "data_form": data_form}, status=400)


class TaskEditView(RuleRequiredMixin, View):
    rule = "takehome.manage"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(TakeHomeTask, pk=pk)
        return render(
            request,
            "takehome/task_form.html",
            {"form": TaskForm(instance=task), "data_form": TaskDataForm(), "task": task},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(TakeHomeTask, pk=pk)
        form = TaskForm(request.POST, instance=TakeHomeTask.objects.get(pk=pk))
        if form.is_valid():
            services.task_update(task=task, **form.cleaned_data)
            messages.success(request, _("Changes saved."))
            return HttpResponseRedirect(reverse("takehome:task", args=[task.pk]))
        context = {"form": form, "data_form": TaskDataForm(), "task": task}
        return render(request, "takehome/task_form.html", context, status=400)


class TaskDataView(RuleRequiredMixin, View):
    """A new version of the task's data; past runs keep the version they used."""

    rule = "takehome.manage"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(TakeHomeTask, pk=pk)
        data_form = TaskDataForm(request.POST, request.FILES)
        if data_form.is_valid():
            try:
                services.task_data_replace(actor=acting_user(request), task=task, files=data_form.files_by_name())
            except DatasetError as error:
                data_form.add_error(None, str(error))
            else:
                messages.success(request, _("The task now uses data version %(version)s.") % {"version": task.dataset})
                return HttpResponseRedirect(reverse("takehome:task", args=[task.pk]))
        context = {"form": TaskForm(instance=task), "data_form": data_form, "task": task}
        return render(request, "takehome/task_form.html", context, status=400)


# --- assignments ---------------------------------------------------------------


class AssignmentIssueView(RuleRequiredMixin, View):
    rule = "takehome.manage"

    def get(self, request: HttpRequest, candidate_pk: int) -> HttpResponse:
        candidate = get_object_or_404(Candidate, pk=candidate_pk)
        tasks = list(TakeHomeTask.objects.all()[:2])
        form = IssueForm(initial={"task": tasks[0]} if len(tasks) == 1 else {})
        return render(request, "takehome/issue.html", {"candidate": candidate, "form": form})

    def post(self, request: HttpRequest, candidate_pk: int) -> HttpResponse:
        candidate = get_object_or_404(Candidate, pk=candidate_pk)
        form = IssueForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                assignment, token = services.assignment_issue(
                    actor=acting_user(request),
                    task=data["task"],
                    candidate=candidate,
                    time_mode=data["time_mode"],
                    due_at=data["due_at"],
                    window_hours=data["window_hours"],
                    max_submissions=data["max_submissions"],
                )
            except ApplicationError as error:
                form.add_error(
                    error.extra.get("field") if error.extra.get("field") in form.fields else None, error.message
                )
            else:
                request.session[NEW_LINK_SESSION_KEY] = {"assignment": assignment.pk, "link": _link(request, token)}
                messages.success(request, _("Take-home issued. Copy the link now: it is shown only once."))
                return HttpResponseRedirect(reverse("takehome:assignment", args=[assignment.pk]))
        return render(request, "takehome/issue.html", {"candidate": candidate, "form": form}, status=400)


class AssignmentDetailView(AssignmentMixin, View):
    rule = "takehome.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.get_assignment(pk)
        return render(request, "takehome/assignment.html", self.context(assignment))

    def context(self, assignment: Assignment, **forms: Any) -> dict[str, Any]:
        request = self.request
        user = request.user
        new_link = request.session.get(NEW_LINK_SESSION_KEY)
        if new_link and new_link.get("assignment") == assignment.pk:
            del request.session[NEW_LINK_SESSION_KEY]  # shown once
        else:
            new_link = None
        submissions = selectors.submissions_with_runs(assignment)
        own_review = TakeHomeReview.objects.filter(assignment=assignment, reviewer=acting_user(request)).first()
        can_manage = can(user, "takehome.manage", assignment)
        return {
            "assignment": assignment,
            "name": selectors.candidate_label(user, assignment),
            "identity_visible": selectors.identity_visible(user, assignment),
            "new_link": new_link["link"] if new_link else None,
            "result": selectors.assignment_result(assignment),
            "submissions": [
                {"submission": submission, "progress": selectors.submission_progress(submission)}
                for submission in submissions
            ],
            # Reviewers see their peers' reviews after submitting their own.
            "reviews": assignment.reviews.select_related("reviewer") if own_review or can_manage else [],
            "can_manage": can_manage,
            "can_review": can(user, "takehome.review", assignment),
            "review_form": forms.get("review_form") or ReviewForm(instance=own_review),
            "extend_form": forms.get("extend_form") or ExtendForm(),
            "revoke_form": RevokeForm(),
        }


class AssignmentStatusView(AssignmentMixin, View):
    """Live status of the assignment's submissions for the page's progress bars."""

    rule = "takehome.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.get_assignment(pk)
        return JsonResponse(selectors.submissions_status(assignment))


class AssignmentExtendView(AssignmentMixin, View):
    rule = "takehome.manage"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.get_assignment(pk)
        form = ExtendForm(request.POST)
        if form.is_valid():
            try:
                services.assignment_extend(
                    actor=acting_user(request),
                    assignment=assignment,
                    hours=form.cleaned_data["hours"],
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Extra time granted."))
                return HttpResponseRedirect(reverse("takehome:assignment", args=[pk]))
        page = AssignmentDetailView(request=request)
        return render(request, "takehome/assignment.html", page.context(assignment, extend_form=form), status=400)


class AssignmentRevokeView(AssignmentMixin, View):
    rule = "takehome.manage"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.get_assignment(pk)
        form = RevokeForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.assignment_revoke(actor=acting_user(request), assignment=assignment, reason=reason)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The link was revoked."))
        return HttpResponseRedirect(reverse("takehome:assignment", args=[pk]))


class AssignmentNewLinkView(AssignmentMixin, View):
    rule = "takehome.manage"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.get_assignment(pk)
        try:
            token = services.assignment_new_link(actor=acting_user(request), assignment=assignment)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            request.session[NEW_LINK_SESSION_KEY] = {"assignment": assignment.pk, "link": _link(request, token)}
            messages.success(request, _("New link made; the old one no longer works."))
        return HttpResponseRedirect(reverse("takehome:assignment", args=[pk]))


class AssignmentReviewView(AssignmentMixin, View):
    rule = "takehome.review"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.get_assignment(pk)
        form = ReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.review_submit(
                actor=acting_user(request),
                assignment=assignment,
                ratings={name: data[name] for name in selectors.RATED},
                notes=data["notes"],
            )
            messages.success(request, _("Review saved."))
            return HttpResponseRedirect(reverse("takehome:assignment", args=[pk]))
        page = AssignmentDetailView(request=request)
        return render(request, "takehome/assignment.html", page.context(assignment, review_form=form), status=400)


# --- submissions, runs, code -----------------------------------------------------


class SubmissionDetailView(AssignmentMixin, View):
    rule = "takehome.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        submission = self.get_submission(pk)
        assignment = submission.assignment
        return render(
            request,
            "takehome/submission.html",
            {
                "submission": submission,
                "assignment": assignment,
                "name": selectors.candidate_label(request.user, assignment),
                "runs": submission.runs.order_by("created_at"),
                "report": mark_safe(render_markdown(submission.report)) if submission.report else "",  # noqa: S308
                "progress": selectors.submission_progress(submission),
                "can_manage": can(request.user, "takehome.manage", assignment),
            },
        )


class SubmissionRegradeView(AssignmentMixin, View):
    rule = "takehome.manage"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        submission = self.get_submission(pk)
        self.check_object_rule(submission.assignment)
        try:
            services.submission_regrade(actor=acting_user(request), submission=submission)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Grading again with the current image, data and grader."))
        return HttpResponseRedirect(reverse("takehome:submission", args=[pk]))


class SubmissionFileView(AssignmentMixin, View):
    """One file of the submission as text. Files are addressed by their index in
    the stored listing, never by a path the candidate chose."""

    rule = "takehome.view"

    def get(self, request: HttpRequest, pk: int, index: int) -> HttpResponse:
        submission = self.get_submission(pk)
        if not 0 <= index < len(submission.files):
            raise Http404
        item = submission.files[index]
        text, truncated = decode_text(selectors.submission_file_bytes(submission, index))
        return render(
            request,
            "takehome/file.html",
            {
                "submission": submission,
                "name": selectors.candidate_label(request.user, submission.assignment),
                "item": item,
                "index": index,
                "lines": text.splitlines() if text is not None else None,
                "truncated": truncated,
            },
        )


class RunDetailView(AssignmentMixin, View):
    """Every figure of a run, each answer beside the reference, the service's logs."""

    rule = "takehome.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = get_object_or_404(GradingRun.objects.select_related("submission__assignment__task", "dataset"), pk=pk)
        assignment = run.submission.assignment
        self.check_object_rule(assignment)
        return render(
            request,
            "takehome/run.html",
            {
                "run": run,
                "assignment": assignment,
                "name": selectors.candidate_label(request.user, assignment),
                "questions": selectors.run_questions(run),
                "is_hidden": run.purpose == RunPurpose.HIDDEN,
            },
        )


class SimilarityView(RuleRequiredMixin, View):
    """Two similar submissions side by side, matching code marked."""

    rule = "takehome.view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        flag = get_object_or_404(
            SimilarityFlag.objects.select_related("submission_a__assignment__task", "submission_b__assignment__task"),
            pk=pk,
        )
        for submission in (flag.submission_a, flag.submission_b):
            self.check_object_rule(submission.assignment)
        sources_a = selectors.submission_sources(flag.submission_a)
        sources_b = selectors.submission_sources(flag.submission_b)
        pairs = [
            {
                "match": match,
                "a": highlight(sources_a.get(match["file_a"], ""), [tuple(span) for span in match["spans_a"]]),
                "b": highlight(sources_b.get(match["file_b"], ""), [tuple(span) for span in match["spans_b"]]),
            }
            for match in flag.matches
        ]
        return render(
            request,
            "takehome/similarity.html",
            {
                "flag": flag,
                "name_a": selectors.candidate_label(request.user, flag.submission_a.assignment),
                "name_b": selectors.candidate_label(request.user, flag.submission_b.assignment),
                "pairs": pairs,
            },
        )
