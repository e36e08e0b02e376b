"""The reference solutions on the hidden questions, through the sandbox and the
grader: auto-score of each (the order must be empty < random < keyword <
embedding < hybrid) and the time of the embedding reference end to end, split
into start-up, questions and scoring. Run with `make bench`."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest

from assessments.takehome import services
from assessments.takehome.dataset import dataset_parse
from assessments.takehome.grading.evaluate import evaluate
from assessments.takehome.models import GradingRun
from sandbox import ClientLimits, SandboxJob, ServiceJob, Verdict, run_service
from sandbox.image import image_tag
from tests.conftest import ROOT
from tests.factories import CandidateFactory
from tests.takehome.conftest import open_assignment, reference_upload, wait_graded

DATA = ROOT / "fixtures" / "takehome" / "rag-support-v1"
REFERENCES = ROOT / "fixtures" / "takehome" / "reference-solutions"


def test_reference_solutions_scores_and_grading_time() -> None:
    dataset = dataset_parse(
        {
            "kb.jsonl": (DATA / "kb.jsonl").read_bytes(),
            "public_questions.jsonl": (DATA / "public_questions.jsonl").read_bytes(),
            "hidden_questions.jsonl": (DATA / "hidden" / "hidden_questions.jsonl").read_bytes(),
        }
    )
    data = Path(tempfile.mkdtemp())
    data.chmod(0o755)
    for name in ("kb.jsonl", "public_questions.jsonl"):  # what candidates get; never the hidden set
        shutil.copy(DATA / name, data / name)
        (data / name).chmod(0o644)
    questions = [{"id": q["id"], "question": q["question"]} for q in dataset.hidden]
    print(f"\nreference solutions on {len(questions)} hidden questions (data {dataset.version})")
    for reference in ("empty", "random", "keyword", "embedding", "hybrid"):
        job = SandboxJob(f"bench-{reference}", 1, image_tag(), ["sh", "start.sh"], REFERENCES / reference, data=data)
        began = time.perf_counter()
        result = run_service(ServiceJob(job, questions, client_limits=ClientLimits(wall_seconds=900)))
        served = time.perf_counter() - began
        assert result.verdict == Verdict.OK, result.detail
        scoring_began = time.perf_counter()
        evaluation = evaluate(dataset.hidden, result.answers, static=1.0)
        scoring = time.perf_counter() - scoring_began
        startup = result.startup_seconds or 0.0
        print(
            f"  {reference:<10} auto-score {evaluation.score.total:5.1f}  MRR@10 {evaluation.retrieval.mrr_at_10:.2f}"
            f"  hit@5 {evaluation.retrieval.hit_at_5:.2f}  correct {evaluation.score.components['answer_correct']:.2f}"
            f"  | end to end {served + scoring:5.1f} s = start-up {startup:4.1f} s + questions "
            f"{served - startup:4.1f} s + scoring {scoring:4.1f} s"
        )


@pytest.mark.django_db(transaction=True)
def test_embedding_reference_through_the_platform(celery_worker, rag_task, recruiter) -> None:  # type: ignore[no-untyped-def]
    """The same reference as a candidate's upload: the real worker, both runs, scoring
    and storing; the hidden run split into start-up, questions and scoring."""
    assignment, _ = open_assignment(rag_task, CandidateFactory(), recruiter)
    began = time.perf_counter()
    submission = services.submission_upload(assignment=assignment, upload=reference_upload("embedding"))
    hidden = wait_graded(submission, seconds=600)
    total = time.perf_counter() - began
    public = GradingRun.objects.get(submission=submission, purpose="public")
    print(f"\nembedding reference through the platform (Celery worker, concurrency 1): {total:.1f} s upload to score")
    for run in (public, hidden):
        job = run.sandbox_job
        assert job is not None
        assert run.verdict == "ok", run.detail
        startup = float(run.metrics["startup_seconds"] or 0.0)
        sandbox = float(run.metrics["duration_seconds"] or 0.0)
        queued = (job.created_at - run.created_at).total_seconds()
        scoring = (run.finished_at - job.finished_at).total_seconds()
        print(
            f"  {run.purpose:<6} {len(run.questions):>3} questions: sandbox {sandbox:4.1f} s"
            f" = start-up {startup:4.1f} s + questions and clean-up {sandbox - startup:4.1f} s;"
            f" scored and stored {scoring:4.1f} s after the job (job queued {queued:.1f} s after the run)"
        )
    print(f"  auto-score {hidden.auto_score}")
