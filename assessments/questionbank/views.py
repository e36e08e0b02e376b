"""Recruiter pages of the question bank: browse and search, detail with rubric,
provenance and history, create and edit, retire and restore, import with preview."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from hiring_platform.accounts.permissions import RuleRequiredMixin, acting_user, can
from hiring_platform.errors import ApplicationError

from . import selectors, services
from .content import QuestionContent
from .forms import ImportUploadForm, QuestionFilterForm, QuestionForm, RetireForm
from .importing.errors import ImportFormatError
from .importing.plan import MAX_DOCUMENT_BYTES, import_document
from .models import Question

SESSION_IMPORTS = "questionbank_imports"


def _question(key: str) -> Question:
    try:
        return selectors.question_detail(key=key)
    except Question.DoesNotExist:
        raise Http404(_("No question with this key.")) from None


class QuestionListView(RuleRequiredMixin, View):
    rule = "questionbank.view"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = QuestionFilterForm(request.GET or None)
        page = Paginator(selectors.question_search(filters=form.filters()), 25).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "questionbank/list.html",
            {
                "form": form,
                "page": page,
                "query": query.urlencode(),
                "language": get_language(),
                "can_change": can(request.user, "questionbank.change"),
                "can_import": can(request.user, "questionbank.import"),
            },
        )


class QuestionDetailView(RuleRequiredMixin, View):
    rule = "questionbank.view"

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        question = _question(key)
        return render(request, "questionbank/detail.html", self.context(question))

    def context(self, question: Question, **extra: Any) -> dict[str, Any]:
        return {
            "question": question,
            "versions": selectors.question_versions(question=question)[:50],
            "language": get_language(),
            "can_change": can(self.request.user, "questionbank.change"),  # type: ignore[attr-defined]
            "retire_form": extra.get("retire_form") or RetireForm(),
        }


class QuestionCreateView(RuleRequiredMixin, View):
    rule = "questionbank.change"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "questionbank/form.html", {"form": QuestionForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = QuestionForm(request.POST)
        if form.is_valid() and form.content is not None:
            if Question.objects.filter(key=form.content.key).exists():
                form.add_error("key", _("A question with this key already exists."))
            else:
                question = services.question_create(actor=acting_user(request), content=form.content)
                messages.success(request, _("Question created."))
                return HttpResponseRedirect(reverse("questionbank:detail", args=[question.key]))
        return render(request, "questionbank/form.html", {"form": form}, status=400)


class QuestionEditView(RuleRequiredMixin, View):
    rule = "questionbank.change"

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        question = _question(key)
        form = QuestionForm(initial=QuestionForm.initial_of(QuestionContent.of(question)), editing=True)
        return render(request, "questionbank/form.html", {"form": form, "question": question})

    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        question = _question(key)
        data = request.POST.copy()
        data["key"] = question.key
        form = QuestionForm(data, editing=True, initial={"key": question.key})
        if form.is_valid() and form.content is not None:
            form.content.provenance = QuestionContent.of(question).provenance
            try:
                changed = services.question_update(actor=acting_user(request), question=question, content=form.content)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Saved as version %(number)s.") % {"number": question.version + 1}
                    if changed
                    else _("Nothing changed."),
                )
                return HttpResponseRedirect(reverse("questionbank:detail", args=[question.key]))
        return render(request, "questionbank/form.html", {"form": form, "question": question}, status=400)


class QuestionRetireView(RuleRequiredMixin, View):
    rule = "questionbank.change"

    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        question = _question(key)
        form = RetireForm(request.POST)
        if form.is_valid():
            try:
                services.question_retire(
                    actor=acting_user(request), question=question, reason=form.cleaned_data["reason"]
                )
            except ApplicationError as error:
                form.add_error("reason", error.message)
            else:
                messages.success(request, _("Question retired. Past plans and interviews keep showing it."))
                return HttpResponseRedirect(reverse("questionbank:detail", args=[question.key]))
        view = QuestionDetailView(request=request)
        return render(request, "questionbank/detail.html", view.context(question, retire_form=form), status=400)


class QuestionRestoreView(RuleRequiredMixin, View):
    rule = "questionbank.change"

    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        question = _question(key)
        try:
            services.question_restore(actor=acting_user(request), question=question)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Question restored."))
        return HttpResponseRedirect(reverse("questionbank:detail", args=[question.key]))


class QuestionImportView(RuleRequiredMixin, View):
    """Upload a document, see what it would create, update, merge and skip, then confirm."""

    rule = "questionbank.import"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "questionbank/import.html", {"form": ImportUploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "questionbank/import.html", {"form": form}, status=400)
        upload = form.cleaned_data["document"]
        if upload.size > MAX_DOCUMENT_BYTES:
            form.add_error("document", _("The file is larger than 2 MB."))
            return render(request, "questionbank/import.html", {"form": form}, status=400)
        data = upload.read()
        try:
            report = import_document(actor=acting_user(request), document=upload.name, data=data, apply=False)
        except ImportFormatError as error:
            form.add_error("document", error.message)
            return render(request, "questionbank/import.html", {"form": form}, status=400)
        # The previewed bytes wait in the session for the confirmation (the
        # preview and the import read exactly the same document).
        token = secrets.token_urlsafe(16)
        request.session[SESSION_IMPORTS] = {token: {"name": upload.name, "data": base64.b64encode(data).decode()}}
        return render(request, "questionbank/import_preview.html", {"report": report, "token": token})


class QuestionImportConfirmView(RuleRequiredMixin, View):
    rule = "questionbank.import"

    def post(self, request: HttpRequest) -> HttpResponse:
        pending = request.session.get(SESSION_IMPORTS, {}).get(request.POST.get("token", ""))
        if not pending:
            messages.error(request, _("This preview has expired or was already imported. Upload the document again."))
            return HttpResponseRedirect(reverse("questionbank:import"))
        try:
            report = import_document(
                actor=acting_user(request), document=pending["name"], data=base64.b64decode(pending["data"]), apply=True
            )
        except ImportFormatError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("questionbank:import"))
        request.session.pop(SESSION_IMPORTS, None)
        return render(request, "questionbank/import_preview.html", {"report": report})
