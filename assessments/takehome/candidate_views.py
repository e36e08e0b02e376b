"""The candidate's take-home page, reached by the assignment's secret link; no
account. The token is the only credential: every view looks the assignment up
by the token's hash and refuses a revoked, replaced or expired link. The
candidate sees their public runs (outcome, logs, score); never a hidden run."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from hiring_platform.errors import ApplicationError
from sandbox.image import runtime_packages

from . import selectors, services
from .datafiles import task_dataset_public_folder
from .forms import UploadForm
from .models import Assignment, RunPurpose, TimeMode
from .untrusted import render_markdown


class LinkRefused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _refusal(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return render(request, "takehome/candidate/refused.html", {"title": title, "message": message}, status=status)


def _assignment(request: HttpRequest, token: str) -> Assignment:
    assignment = selectors.assignment_for_token(token)
    if assignment is None:
        raise LinkRefused(
            _refusal(
                request,
                _("This link does not work"),
                _("The link is wrong, or it was replaced by a newer one. Ask your recruiter for the current link."),
                404,
            )
        )
    if assignment.is_revoked:
        raise LinkRefused(
            _refusal(request, _("This link was withdrawn"), _("Contact your recruiter if this is unexpected."), 410)
        )
    if not assignment.link_works():
        raise LinkRefused(
            _refusal(
                request,
                _("The time for this task is over"),
                _("The link expired on %(when)s. Your recruiter can grant extra time.")
                % {"when": timezone.localtime(assignment.link_expires_at).strftime("%Y-%m-%d %H:%M %Z")},
                410,
            )
        )
    return assignment


@method_decorator(never_cache, name="dispatch")
class CandidateView(View):
    """Base: resolve the token; the link itself never appears in logs of ours (see request_log)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.assignment = _assignment(request, kwargs["token"])
        except LinkRefused as refused:
            return refused.response
        response = super().dispatch(request, *args, **kwargs)
        # The token is in the URL: never pass it to another site ("no-referrer" would
        # also make the browser send "Origin: null", which fails the CSRF check).
        response["Referrer-Policy"] = "same-origin"
        return response


class CandidateTaskView(CandidateView):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return render(request, "takehome/candidate/task.html", self.context(token))

    def context(self, token: str, upload_form: UploadForm | None = None) -> dict[str, Any]:
        assignment = self.assignment
        task = assignment.task
        started = assignment.time_mode == TimeMode.DEADLINE or assignment.opened_at is not None
        submissions = selectors.submissions_with_runs(assignment) if started else []
        instructions = task.instructions_ru if get_language() == "ru" else task.instructions_en
        used = len(submissions)
        return {
            "assignment": assignment,
            "task": task,
            "token": token,
            "started": started,
            "instructions": mark_safe(render_markdown(instructions)),  # noqa: S308 - sanitised by nh3
            "packages": runtime_packages(),
            "archive_max_bytes": settings.TAKEHOME_ARCHIVE_MAX_BYTES,
            "uploads_left": max(0, assignment.max_submissions - used),
            "accepting": assignment.is_open() and used < assignment.max_submissions,
            "submissions": [self._row(submission) for submission in submissions],
            "upload_form": upload_form or UploadForm(),
        }

    @staticmethod
    def _row(submission: Any) -> dict[str, Any]:
        public_run = next((r for r in submission.runs.all() if r.purpose == RunPurpose.PUBLIC), None)
        answered = public_run is not None and public_run.state == "done" and bool(public_run.questions)
        return {
            "submission": submission,
            "progress": selectors.submission_progress(submission),
            "public_run": public_run,
            # The public questions' answers and model calls: the same trace reviewers see for hidden ones.
            "public_questions": selectors.run_questions(public_run) if answered and public_run else [],
        }


class CandidateStartView(CandidateView):
    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        services.assignment_start(assignment=self.assignment)
        return HttpResponseRedirect(reverse("takehome-candidate:task", args=[token]))


class CandidateDataView(CandidateView):
    """The public data and the instructions as one zip (never the hidden questions)."""

    def get(self, request: HttpRequest, token: str) -> FileResponse:
        task = self.assignment.task
        folder = task_dataset_public_folder(task.dataset)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("kb.jsonl", "public_questions.jsonl"):
                archive.write(folder / name, name)
            archive.writestr("instructions.en.md", task.instructions_en)
            archive.writestr("instructions.ru.md", task.instructions_ru)
        buffer.seek(0)
        return FileResponse(buffer, as_attachment=True, filename=f"{task.slug}-{task.dataset.version}.zip")


class CandidateUploadView(CandidateView):
    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        page = CandidateTaskView()
        page.setup(request, token=token)
        page.assignment = self.assignment
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > settings.TAKEHOME_ARCHIVE_MAX_BYTES + 64 * 1024:  # form fields and boundaries aside
            context = page.context(token)
            context["upload_error"] = _("The archive is larger than the limit; nothing was uploaded.")
            return render(request, "takehome/candidate/task.html", context, status=413)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.submission_upload(assignment=self.assignment, upload=form.cleaned_data["archive"])
            except ApplicationError as error:
                form.add_error("archive" if error.extra.get("field") == "archive" else None, error.message)
            else:
                return HttpResponseRedirect(reverse("takehome-candidate:task", args=[token]) + "#submissions")
        return render(request, "takehome/candidate/task.html", page.context(token, form), status=400)


class CandidateStatusView(CandidateView):
    """Live status for the page's progress bars (public information only)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return JsonResponse(selectors.submissions_status(self.assignment))
