"""Grade service folders as the pipeline would, without Celery or a database.

    .venv/bin/python -m tests.bench.grade_folder FOLDER [FOLDER...] [--set public|hidden]
        [--answers-dir DIR] [--rescore]

Each folder is zipped and unpacked like an upload (start command and static
checks from `workspace_unpack`), run by `sandbox.runner.run_service` with the
pipeline's limits (`_limits`, the task's own figures from task.yaml) against
the bundled task data laid out as a stored data version (`public/` is /data,
`hidden/` never reaches the sandbox), and scored by `evaluate` on the questions
`evaluation_questions` gives the pipeline. The raw answers go to
`DIR/<folder name>.<set>.json`; `--rescore` skips the sandbox and scores those
files with the grader as it is in the working tree now. One line per folder:
total, then every component's points.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assessments.takehome.models import TakeHomeTask, TaskDataset

ROOT = Path(__file__).resolve().parents[2]
TASK_DATA = ROOT / "fixtures" / "takehome" / "rag-support-v1"
DEFAULT_ANSWERS = ROOT / ".local" / "answers"
ATTEMPTS = 3


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiring_platform.settings.test")
    import django

    django.setup()


def _data_version(root: Path) -> tuple[TaskDataset, TakeHomeTask]:
    """An unsaved TaskDataset whose files sit under `root` as the pipeline stores them
    (`<name>/<version>/public` and `hidden`), validated first; the task's limits."""
    import yaml

    from assessments.takehome.dataset import dataset_parse
    from assessments.takehome.models import TakeHomeTask, TaskDataset

    files = {name: (TASK_DATA / name).read_bytes() for name in ("kb.jsonl", "public_questions.jsonl")}
    files["hidden_questions.jsonl"] = (TASK_DATA / "hidden" / "hidden_questions.jsonl").read_bytes()
    parsed = dataset_parse(files)
    folder = root / "rag-support" / parsed.version
    for part, names in (("public", ("kb.jsonl", "public_questions.jsonl")), ("hidden", ("hidden_questions.jsonl",))):
        (folder / part).mkdir(mode=0o755, parents=True)
        for name in names:
            (folder / part / name).write_bytes(files[name])
            (folder / part / name).chmod(0o644)
    for made in (root, folder.parent, folder):
        made.chmod(0o755)
    template = yaml.safe_load((TASK_DATA / "task.yaml").read_text(encoding="utf-8"))
    task = TakeHomeTask(
        **{key: template[key] for key in ("memory_mb", "cpus", "startup_seconds", "seconds_per_answer")}
    )
    # An absolute folder: MEDIA_ROOT / folder is the folder itself.
    return TaskDataset(folder=str(folder), version=parsed.version), task


def _run(folder: Path, hidden: bool, scratch: Path, dataset: TaskDataset, task: TakeHomeTask) -> dict[str, Any]:
    import sandbox
    from assessments.takehome.datafiles import evaluation_questions, task_dataset_public_folder
    from assessments.takehome.services.grading import _image, _limits
    from assessments.takehome.workspace import workspace_unpack
    from sandbox import SandboxJob, ServiceJob, Verdict, run_service

    archive = Path(shutil.make_archive(str(scratch / folder.name), "zip", folder))
    (scratch / "workspaces").mkdir(mode=0o755, exist_ok=True)
    workspace = workspace_unpack(archive, scratch / "workspaces" / folder.name)
    questions = evaluation_questions(dataset, hidden=hidden)
    limits, client_limits = _limits(task, len(questions))
    job = SandboxJob(
        job_id=f"grade-folder-{folder.name}",
        attempt=1,
        image=_image(),
        command=workspace.command,
        workspace=workspace.root,
        data=task_dataset_public_folder(dataset),
        limits=limits,
    )
    policy = getattr(sandbox, "MountPolicy", None)  # the sandbox's mount check, where the tree has it
    if policy is not None:
        job = replace(job, mount_policy=policy(workspaces=scratch / "workspaces", task_data=scratch / "taskdata"))
    asked = [{"id": question["id"], "question": question["question"]} for question in questions]
    began = time.monotonic()
    for attempt in range(1, ATTEMPTS + 1):
        result = run_service(ServiceJob(replace(job, attempt=attempt), asked, client_limits=client_limits))
        # Retried as the pipeline retries the engine's failures; an `ok` run short of
        # answers lost its client container to someone else's clean-up on a shared engine.
        lost = result.verdict == Verdict.OK and len(result.answers) < len(asked)
        if not (result.verdict.retryable or lost) or attempt == ATTEMPTS:
            break
        print(f"{folder.name}: attempt {attempt}: {result.verdict} {result.detail[:100]}; again", file=sys.stderr)
    return {
        "folder": str(folder),
        "verdict": str(result.verdict),
        "detail": result.detail,
        "seconds": round(time.monotonic() - began, 1),
        "static": float(str(workspace.static_checks["score"])),
        "seconds_per_answer": client_limits.seconds_per_answer,
        "answers": result.answers,
        "logs_tail": result.logs[-2000:],
    }


def _score_line(name: str, which: str, saved: dict[str, Any], dataset: TaskDataset) -> str:
    from assessments.takehome.datafiles import evaluation_questions
    from assessments.takehome.grading.evaluate import evaluate

    questions = evaluation_questions(dataset, hidden=which == "hidden")
    options: dict[str, Any] = {"static": float(saved["static"])}
    if "seconds_per_answer" in inspect.signature(evaluate).parameters:  # the grader is being rewritten
        options["seconds_per_answer"] = float(saved.get("seconds_per_answer", 20.0))
    evaluation = evaluate(questions, list(saved["answers"]), **options)
    points = " ".join(f"{component}={value:g}" for component, value in evaluation.score.points.items())
    verdict = "" if saved.get("verdict") == "ok" else f" [{saved.get('verdict')}: {saved.get('detail')}]"
    return f"{name:<22} {which:<6} total={evaluation.score.total:5.1f}  {points}{verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--set", dest="which", choices=("public", "hidden"), default="hidden")
    parser.add_argument("--answers-dir", type=Path, default=DEFAULT_ANSWERS)
    parser.add_argument("--rescore", action="store_true", help="score saved answers; no sandbox")
    arguments = parser.parse_args(argv)
    _setup_django()
    arguments.answers_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="grade-folder-") as temporary:
        scratch = Path(temporary)
        scratch.chmod(0o755)  # the sandbox user reads the workspace and the data
        dataset, task = _data_version(scratch / "taskdata")
        for folder in arguments.folders:
            if folder.is_file():  # a glob over a folder of services also matches its README
                continue
            name = folder.resolve().name
            saved_path = arguments.answers_dir / f"{name}.{arguments.which}.json"
            if arguments.rescore:
                if not saved_path.exists():
                    print(f"{name:<22} {arguments.which:<6} no saved answers at {saved_path}", file=sys.stderr)
                    continue
                saved = json.loads(saved_path.read_text(encoding="utf-8"))
            else:
                saved = _run(folder.resolve(), arguments.which == "hidden", scratch, dataset, task)
                if saved["verdict"] == "infrastructure_error":  # the platform's failure: keep what was saved
                    print(f"{name:<22} {arguments.which:<6} {saved['verdict']}: {saved['detail']}", file=sys.stderr)
                    continue
                saved_path.write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
            print(_score_line(name, arguments.which, saved, dataset), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
