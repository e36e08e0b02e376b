"""A task with the language model: the pipeline runs the candidate's service beside
the model gateway (real worker, Docker and gateway), every call is stored with the
run, charged to the question it served, and the reviewer reads the trace per
question beside the reference. The service here is tiny on purpose (one short
call per question): CI tests the path; the LLM reference runs in `make bench`."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.takehome import selectors, services
from assessments.takehome.datafiles import evaluation_questions
from assessments.takehome.models import GradingRun
from tests.factories import CandidateFactory

from .conftest import open_assignment, wait_graded, zip_bytes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]

APP = """
import json, os, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def model(question):
    body = {"model": "qwen2.5-coder-0.5b-instruct", "max_tokens": 3,
            "messages": [{"role": "user", "content": "One word about: " + question}]}
    request = urllib.request.Request("http://127.0.0.1:11434/v1/chat/completions", json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["choices"][0]["message"]["content"]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers()

    def do_POST(self):
        question = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["question"]
        body = json.dumps({"answer": "Model says: " + model(question), "sources": []}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("0.0.0.0", int(os.environ.get("PORT", 8000))), Handler).serve_forever()
"""


def test_a_model_task_runs_beside_the_gateway_and_the_reviewer_reads_each_call(  # type: ignore[no-untyped-def]
    celery_worker, rag_task, recruiter
) -> None:
    rag_task.model_gateway = True
    rag_task.model_tokens_per_question = 200
    rag_task.save()
    assignment, token = open_assignment(rag_task, CandidateFactory(), recruiter)
    archive = zip_bytes({"start.sh": "python3 app.py\n", "app.py": APP, "REPORT.md": "# Approach\n"})
    submission = services.submission_upload(
        assignment=assignment, upload=SimpleUploadedFile("llm.zip", archive, content_type="application/zip")
    )

    hidden = wait_graded(submission, seconds=800)

    public = GradingRun.objects.get(submission=submission, purpose="public")
    for run in (public, hidden):
        assert run.verdict == "ok", (run.detail, run.logs[-500:])
        assert run.sandbox_job.spec["gateway"]["budgets"]["tokens_per_question"] == 200
        questions = evaluation_questions(run.dataset, hidden=run.purpose == "hidden")
        calls = selectors.run_model_calls(run)
        # one call per question, charged to it, carrying the candidate's own prompt and nothing else
        assert sorted(calls) == sorted(question["id"] for question in questions)
        for question in questions:
            (call,) = calls[question["id"]]
            assert call["status"] == 200
            assert question["question"] in call["prompt"]
            assert question["reference_answer"] not in call["prompt"]
            assert f"Model says: {call['completion']}" == next(
                a["answer"] for a in run.questions if a["id"] == question["id"]
            )
    # the reviewer's run page shows the trace beside the reference
    client = Client()
    client.force_login(recruiter)
    page = client.get(reverse("takehome:run", args=[hidden.pk])).content.decode()
    assert page.count('class="model-call"') == len(hidden.questions)
    assert "1 model call" in page
    # the candidate sees the same trace for the public questions only
    candidate_page = Client().get(reverse("takehome-candidate:task", args=[token])).content.decode()
    assert candidate_page.count('class="model-call"') == len(public.questions)
    hidden_texts = [q["question"] for q in evaluation_questions(hidden.dataset, hidden=True)]
    assert not any(text in candidate_page for text in hidden_texts)
