"""The mount guard: a job's workspace and data folder come from the database, and a
hostile or buggy value must never mount anything but a workspace inside the
workspaces root and a task-data version's public folder. Refused jobs never get
a container: the Docker Engine's own event log says none was created."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import docker
import pytest
from django.db import transaction

from assessments.takehome import services as takehome_services
from assessments.takehome.datafiles import task_dataset_folder, task_dataset_public_folder
from sandbox import MountPolicy, SandboxJob, ServiceJob, Verdict, run, run_service
from sandbox.models import SandboxAttempt
from sandbox.mounts import MountRefused, check_mounts
from sandbox.reaper import LABEL
from sandbox.services import sandbox_job_execute, sandbox_job_submit, sandbox_mount_policy
from tests.conftest import ROOT

DATA = ROOT / "fixtures" / "takehome" / "rag-support-v1"


@pytest.fixture
def public_and_hidden(db, workspace: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """A task-data version stored as the platform stores it: (its public folder, its hidden folder)."""
    dataset, _ = takehome_services.task_dataset_load(
        name="rag-support",
        files={
            "kb.jsonl": (DATA / "kb.jsonl").read_bytes(),
            "public_questions.jsonl": (DATA / "public_questions.jsonl").read_bytes(),
            "hidden_questions.jsonl": (DATA / "hidden" / "hidden_questions.jsonl").read_bytes(),
        },
    )
    return task_dataset_public_folder(dataset), task_dataset_folder(dataset) / "hidden"


def containers_created(job_id: str, since: int) -> list[str]:
    """Names of the containers the engine created for `job_id` since `since` (its event log)."""
    client = docker.from_env()
    events = client.events(
        since=since,
        until=int(time.time()) + 1,
        filters={"type": "container", "event": "create", "label": f"{LABEL}.job={job_id}"},
        decode=True,
    )
    return [event["Actor"]["Attributes"]["name"] for event in events]


# Every hostile value, as a function of (workspaces root, public folder, hidden folder).
HOSTILE_WORKSPACES: dict[str, tuple[Callable[[Path, Path, Path], Path], str]] = {
    "root": (lambda ws, pub, hid: Path("/"), "not inside the workspaces root"),
    "etc": (lambda ws, pub, hid: Path("/etc"), "not inside the workspaces root"),
    "docker-socket": (lambda ws, pub, hid: Path("/var/run/docker.sock"), "not inside the workspaces root"),
    "hidden": (lambda ws, pub, hid: hid, "not inside the workspaces root"),
    "public": (lambda ws, pub, hid: pub, "not inside the workspaces root"),
    "the-root-itself": (lambda ws, pub, hid: ws, "not inside the workspaces root"),
    "dot-dot-to-hidden": (
        lambda ws, pub, hid: ws / "job" / ".." / ".." / ".." / hid.relative_to(ws.parent.parent),
        "not inside the workspaces root",
    ),
    "dot-dot-to-root": (lambda ws, pub, hid: Path(f"{ws}/job/" + "../" * 12), "not inside the workspaces root"),
    "relative": (lambda ws, pub, hid: Path("takehome/workspaces/job"), "not an absolute path"),
    "missing": (lambda ws, pub, hid: ws / "no-such-submission", "not a folder"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_WORKSPACES))
def test_a_hostile_workspace_is_refused(case: str, workspace: Path, public_and_hidden: tuple[Path, Path]) -> None:
    # given a job whose workspace is a hostile value, with the platform's policy
    public, hidden = public_and_hidden
    policy = sandbox_mount_policy()
    build, message = HOSTILE_WORKSPACES[case]
    job = SandboxJob("mount-check", 1, "image", ["true"], build(policy.workspaces, public, hidden), data=public)

    # when its mounts are checked, they are refused
    with pytest.raises(MountRefused, match=message):
        check_mounts(job, policy)


HOSTILE_DATA: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "hidden": (lambda pub, hid: hid, "not a task-data version's public folder"),
    "version-folder": (lambda pub, hid: pub.parent, "not a task-data version's public folder"),
    "task-folder": (lambda pub, hid: pub.parent.parent, "not a task-data version's public folder"),
    "task-data-root": (lambda pub, hid: pub.parent.parent.parent, "not inside the task data root"),
    "dot-dot-to-hidden": (lambda pub, hid: pub / ".." / "hidden", "not a task-data version's public folder"),
    "root": (lambda pub, hid: Path("/"), "not inside the task data root"),
    "etc": (lambda pub, hid: Path("/etc"), "not inside the task data root"),
    "docker-socket": (lambda pub, hid: Path("/var/run/docker.sock"), "not inside the task data root"),
    "relative": (lambda pub, hid: Path("taskdata/rag-support/v/public"), "not an absolute path"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_DATA))
def test_a_hostile_data_folder_is_refused(case: str, workspace: Path, public_and_hidden: tuple[Path, Path]) -> None:
    public, hidden = public_and_hidden
    build, message = HOSTILE_DATA[case]
    job = SandboxJob("mount-check", 1, "image", ["true"], workspace, data=build(public, hidden))

    with pytest.raises(MountRefused, match=message):
        check_mounts(job, sandbox_mount_policy())


def test_a_sibling_of_public_and_a_staging_folder_are_refused(
    workspace: Path, public_and_hidden: tuple[Path, Path]
) -> None:
    # given a folder beside public/ and a staging folder's public/ (a load in progress)
    public, _ = public_and_hidden
    sibling = public.parent / "extra"
    staging = public.parent.parent / ".staging-0123" / "public"
    sibling.mkdir()
    staging.mkdir(parents=True)

    # then neither is a data folder
    for data in (sibling, staging):
        with pytest.raises(MountRefused, match="not a task-data version's public folder"):
            check_mounts(SandboxJob("mount-check", 1, "image", ["true"], workspace, data=data), sandbox_mount_policy())


def test_symlinks_are_resolved_before_checking(workspace: Path, public_and_hidden: tuple[Path, Path]) -> None:
    # given symlinks placed where a workspace and a data folder are expected
    public, hidden = public_and_hidden
    policy = sandbox_mount_policy()
    to_hidden = policy.workspaces / "1"
    to_hidden.symlink_to(hidden)
    to_root = policy.workspaces / "2"
    to_root.symlink_to("/")
    fake_version = public.parent.parent / "fake-version"
    fake_version.mkdir()
    (fake_version / "public").symlink_to(hidden)

    # then each is judged by where it leads
    for hostile in (to_hidden, to_root):
        with pytest.raises(MountRefused, match="not inside the workspaces root"):
            check_mounts(SandboxJob("mount-check", 1, "image", ["true"], hostile), policy)
    with pytest.raises(MountRefused, match="not a task-data version's public folder"):
        check_mounts(SandboxJob("mount-check", 1, "image", ["true"], workspace, data=fake_version / "public"), policy)


def test_overlapping_roots_still_keep_the_task_data_out_of_a_workspace(public_and_hidden: tuple[Path, Path]) -> None:
    # given a misconfigured policy whose workspaces root holds the task data too
    public, hidden = public_and_hidden
    task_data = public.parent.parent.parent
    policy = MountPolicy(workspaces=task_data.parent, task_data=task_data)

    # then the hidden folder, or a folder holding it, is still not a workspace
    for hostile in (hidden, public.parent, task_data):
        with pytest.raises(MountRefused, match="overlaps the task data"):
            check_mounts(SandboxJob("mount-check", 1, "image", ["true"], hostile), policy)


def test_a_job_without_a_policy_or_with_the_root_as_policy_mounts_nothing(workspace: Path) -> None:
    job = SandboxJob("mount-check", 1, "image", ["true"], workspace)

    with pytest.raises(MountRefused, match="no mount policy"):
        check_mounts(job, None)
    with pytest.raises(MountRefused, match="the file system's root"):
        check_mounts(job, MountPolicy(workspaces=Path("/")))
    with pytest.raises(MountRefused, match="its policy allows none"):
        check_mounts(
            SandboxJob("mount-check", 1, "image", ["true"], workspace, data=workspace),
            MountPolicy(workspaces=workspace.parent),
        )


def test_the_allowed_mounts_are_resolved_paths(workspace: Path, public_and_hidden: tuple[Path, Path]) -> None:
    # given a workspace reached through a symlinked path that stays inside the root
    public, _ = public_and_hidden
    policy = sandbox_mount_policy()
    alias = policy.workspaces / "alias"
    alias.symlink_to(workspace)

    checked = check_mounts(SandboxJob("mount-check", 1, "image", ["true"], alias, data=public), policy)

    # then the engine is given the real folders, not the links
    assert (checked.workspace, checked.data) == (workspace.resolve(), public.resolve())


# Through the runner and the Docker Engine


def test_the_runner_refuses_the_hidden_folder_and_creates_no_container(
    sandbox_image: str, workspace: Path, public_and_hidden: tuple[Path, Path], mount_policy: MountPolicy
) -> None:
    # given a command job and a service job whose data folder is the hidden one
    _, hidden = public_and_hidden
    since = int(time.time()) - 1
    reads_hidden = ["cat", "/data/hidden_questions.jsonl"]
    command = SandboxJob(
        "mount-hidden-run", 1, sandbox_image, reads_hidden, workspace, data=hidden, mount_policy=mount_policy
    )
    service = SandboxJob(
        "mount-hidden-svc", 1, sandbox_image, ["sh", "start.sh"], workspace, data=hidden, mount_policy=mount_policy
    )

    # when they are run
    results = [run(command), run_service(ServiceJob(service, [{"id": "q1", "question": "hi"}]))]

    # then neither runs: an infrastructure error naming the refusal, no container ever created
    for result in results:
        assert result.verdict == Verdict.INFRASTRUCTURE_ERROR
        assert result.detail.startswith("mount refused: the data folder")
        assert "not a task-data version's public folder" in result.detail
        assert result.logs == ""
    assert containers_created("mount-hidden-run", since) == []
    assert containers_created("mount-hidden-svc", since) == []


def test_the_runner_refuses_a_symlinked_workspace_and_creates_no_container(
    sandbox_image: str, workspace: Path, public_and_hidden: tuple[Path, Path], mount_policy: MountPolicy
) -> None:
    _, hidden = public_and_hidden
    link = mount_policy.workspaces / "42"
    link.symlink_to(hidden)
    since = int(time.time()) - 1

    result = run(SandboxJob("mount-link", 1, sandbox_image, ["ls", "/workspace"], link, mount_policy=mount_policy))

    assert result.verdict == Verdict.INFRASTRUCTURE_ERROR
    assert "not inside the workspaces root" in result.detail
    assert str(hidden.resolve()) in result.detail
    assert containers_created("mount-link", since) == []


def test_an_allowed_job_sees_the_public_data_and_nothing_hidden(
    sandbox_image: str, workspace: Path, public_and_hidden: tuple[Path, Path], mount_policy: MountPolicy
) -> None:
    # the guard lets the real thing through: the public folder at /data, and only it
    public, _ = public_and_hidden
    since = int(time.time()) - 1
    job = SandboxJob("mount-ok", 1, sandbox_image, ["ls", "/data"], workspace, data=public, mount_policy=mount_policy)

    result = run(job)

    assert result.verdict == Verdict.OK, result.detail
    assert sorted(result.logs.split()) == ["kb.jsonl", "public_questions.jsonl"]
    assert len(containers_created("mount-ok", since)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("workspace", "/"), ("workspace", "/var/run/docker.sock"), ("data", "hidden"), ("data", "/etc")],
)
def test_a_hostile_spec_from_the_database_never_runs(  # type: ignore[no-untyped-def]
    field: str, value: str, sandbox_image: str, workspace: Path, public_and_hidden: tuple[Path, Path]
) -> None:
    # given a job record whose stored spec names a hostile folder
    public, hidden = public_and_hidden
    spec = {"image": sandbox_image, "command": ["true"], "workspace": str(workspace), "data": str(public)}
    spec[field] = str(hidden) if value == "hidden" else value
    with transaction.atomic():
        record = sandbox_job_submit(key=f"mount-db-{field}-{len(value)}", kind="command", spec=spec, max_attempts=1)
    since = int(time.time()) - 1

    # when the sandbox worker executes it
    finished = sandbox_job_execute(job_id=record.pk)

    # then it ends as an infrastructure error with the refusal as its detail, and no container was created
    assert finished is not None
    assert (finished.state, finished.verdict) == ("done", Verdict.INFRASTRUCTURE_ERROR)
    assert finished.result["detail"].startswith("mount refused:")
    assert list(SandboxAttempt.objects.filter(job=record).values_list("verdict", flat=True)) == ["infrastructure_error"]
    assert containers_created(record.key, since) == []
