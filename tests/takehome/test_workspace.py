"""Turning an unpacked archive into a workspace: where the service's root is, how
it starts, which files it has, its report and the static checks that need no
sandbox (each check's own rules: test_checks.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from assessments.takehome.checks import CODE_MAX_BYTES, CODE_MAX_FILES
from assessments.takehome.checks.score import PART_WEIGHTS
from assessments.takehome.workspace import workspace_unpack
from sandbox import InvalidSubmission

APP = "print('hello')\n"
LONG_REPORT = """# Approach
BM25 over each entry's question and answer, with words cut to six letters.

# Metric
On the 10 public questions hit@5 is 0.3 and MRR@10 is 0.19, measured with a script.

# Next steps
Embeddings for paraphrases, and a threshold to decline off-topic questions.
"""


def unpack(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for name, content in files.items():
            handle.writestr(name, content)
    return workspace_unpack(archive, tmp_path / "unpacked")


def paths(files: list[dict[str, object]]) -> list[str]:
    return [str(item["path"]) for item in files]


# Root and start command


def test_start_sh_at_the_root_starts_the_service(tmp_path: Path) -> None:
    # given an archive with start.sh at its root
    # when it is unpacked
    workspace = unpack(tmp_path, {"start.sh": "python3 app.py\n", "app.py": APP})

    # then the service starts with sh start.sh from the unpacked folder
    assert workspace.command == ["sh", "start.sh"]
    assert workspace.root == tmp_path / "unpacked"
    assert paths(workspace.files) == ["app.py", "start.sh"]
    assert workspace.files[1]["size"] == len("python3 app.py\n")


def test_single_top_folder_is_the_root(tmp_path: Path) -> None:
    # given an archive of a folder rather than of its content
    # when it is unpacked
    workspace = unpack(tmp_path, {"mysvc/start.sh": "python3 app.py\n", "mysvc/app.py": APP})

    # then that folder is the root and files are listed relative to it
    assert workspace.root == tmp_path / "unpacked" / "mysvc"
    assert workspace.command == ["sh", "start.sh"]
    assert paths(workspace.files) == ["app.py", "start.sh"]


def test_single_top_folder_is_the_root_beside_macos_metadata(tmp_path: Path) -> None:
    # given a folder zipped on macOS, with __MACOSX and .DS_Store beside it
    files = {
        "mysvc/start.sh": "python3 app.py\n",
        "mysvc/app.py": APP,
        "__MACOSX/mysvc/._start.sh": "metadata",
        ".DS_Store": "metadata",
    }

    # when it is unpacked
    workspace = unpack(tmp_path, files)

    # then the folder is still the root, and the metadata is not among its files
    assert workspace.root == tmp_path / "unpacked" / "mysvc"
    assert workspace.command == ["sh", "start.sh"]
    assert paths(workspace.files) == ["app.py", "start.sh"]


def test_two_top_folders_are_not_taken_as_a_root(tmp_path: Path) -> None:
    # given an archive with two folders and no start command at its root
    # when it is unpacked
    with pytest.raises(InvalidSubmission, match=r"start\.sh"):
        unpack(tmp_path, {"one/start.sh": "true\n", "two/app.py": APP})


def test_takehome_toml_names_the_start_command_and_wins_over_start_sh(tmp_path: Path) -> None:
    # given an archive with both a takehome.toml naming a start command and a start.sh
    files = {"takehome.toml": 'start = "python3 -m svc"\n', "start.sh": "exit 1\n", "svc/__main__.py": APP}

    # when it is unpacked
    workspace = unpack(tmp_path, files)

    # then the toml's command runs through sh -c
    assert workspace.command == ["sh", "-c", "python3 -m svc"]
    assert workspace.root == tmp_path / "unpacked"


def test_takehome_toml_in_a_single_top_folder_is_found(tmp_path: Path) -> None:
    # given a zipped folder with only a takehome.toml as its start command
    files = {"mysvc/takehome.toml": 'start = "python3 -m svc"\n', "mysvc/svc/__main__.py": APP}

    # when it is unpacked
    workspace = unpack(tmp_path, files)

    # then the folder is the root and its toml names the command
    assert workspace.root == tmp_path / "unpacked" / "mysvc"
    assert workspace.command == ["sh", "-c", "python3 -m svc"]


def test_invalid_takehome_toml_is_refused_naming_the_file(tmp_path: Path) -> None:
    # given a takehome.toml that is not TOML, even with a start.sh beside it
    files = {"takehome.toml": "start = python3 -m svc\n", "start.sh": "python3 -m svc\n"}

    # when it is unpacked
    with pytest.raises(InvalidSubmission) as caught:
        unpack(tmp_path, files)

    # then the message names the file
    assert "takehome.toml" in str(caught.value)
    assert "not valid TOML" in str(caught.value)


@pytest.mark.parametrize(
    "toml",
    ['name = "svc"\n', 'start = ""\n', "start = 3\n", 'start = ["python3", "app.py"]\n'],
    ids=["no-start", "empty", "number", "list"],
)
def test_takehome_toml_without_a_start_string_is_refused(tmp_path: Path, toml: str) -> None:
    # given a takehome.toml whose start is missing or not a string
    # when it is unpacked
    with pytest.raises(InvalidSubmission) as caught:
        unpack(tmp_path, {"takehome.toml": toml, "start.sh": "python3 app.py\n", "app.py": APP})

    # then the message says how to name the command
    assert 'start = "..."' in str(caught.value)


def test_archive_without_start_sh_or_toml_is_refused_mentioning_start_sh(tmp_path: Path) -> None:
    # given an archive with code but no way to start it
    # when it is unpacked
    with pytest.raises(InvalidSubmission) as caught:
        unpack(tmp_path, {"app.py": APP, "REPORT.md": LONG_REPORT})

    # then the message says start.sh is missing
    assert "start.sh" in str(caught.value)


def test_start_sh_in_a_subfolder_is_not_a_start_command(tmp_path: Path) -> None:
    # given a start.sh only in a subfolder, beside other root files
    # when it is unpacked
    with pytest.raises(InvalidSubmission, match=r"start\.sh"):
        unpack(tmp_path, {"scripts/start.sh": "python3 app.py\n", "app.py": APP})


# Report and static checks


def test_report_is_found_whatever_its_case(tmp_path: Path) -> None:
    # given a report named in lower case
    # when the archive is unpacked
    workspace = unpack(tmp_path, {"start.sh": "true\n", "report.md": LONG_REPORT})

    # then its text is the report, and it has every section
    assert workspace.report == LONG_REPORT
    assert workspace.static_checks["report"]["sections"] == {"approach": True, "metric": True, "next_steps": True}
    assert workspace.static_checks["report"]["value"] == 1.0


def test_report_in_a_subfolder_is_not_the_report(tmp_path: Path) -> None:
    # given a REPORT.md only inside docs/
    # when the archive is unpacked
    workspace = unpack(tmp_path, {"start.sh": "true\n", "docs/REPORT.md": LONG_REPORT})

    # then there is no report
    assert workspace.report == ""
    assert workspace.static_checks["report"]["present"] is False
    assert workspace.static_checks["report"]["value"] == 0.0


def test_code_up_to_five_megabytes_passes_the_size_check(tmp_path: Path) -> None:
    # when an archive of code of exactly 5 MB (in two files) is unpacked
    half = CODE_MAX_BYTES // 2
    workspace = unpack(tmp_path, {"start.sh": "", "a.txt": "x" * half, "b.txt": "x" * (CODE_MAX_BYTES - half)})

    # then the size check passes
    assert workspace.static_checks["size"] == {"ok": True, "bytes": CODE_MAX_BYTES, "files": 3, "value": 1.0}


def test_code_over_five_megabytes_fails_the_size_check(tmp_path: Path) -> None:
    # when code one byte over 5 MB is unpacked
    workspace = unpack(tmp_path, {"start.sh": "x", "a.txt": "x" * CODE_MAX_BYTES})

    # then the size check fails
    assert workspace.static_checks["size"] == {"ok": False, "bytes": CODE_MAX_BYTES + 1, "files": 2, "value": 0.0}


@pytest.mark.parametrize(("count", "passes"), [(CODE_MAX_FILES, True), (CODE_MAX_FILES + 1, False)])
def test_more_than_five_hundred_files_fail_the_size_check(tmp_path: Path, count: int, passes: bool) -> None:
    # given an archive of start.sh and `count` - 1 one-byte files
    files = {"start.sh": "x", **{f"module_{index}.txt": "x" for index in range(count - 1)}}

    # when it is unpacked
    workspace = unpack(tmp_path, files)

    # then the size check passes only up to 500 files
    assert workspace.static_checks["size"]["ok"] is passes
    assert workspace.static_checks["size"]["files"] == count


def test_test_files_are_left_to_the_sandbox_run(tmp_path: Path) -> None:
    # given a service with a test file
    files = {"start.sh": "true\n", "app.py": APP, "tests/test_app.py": "def test():\n    assert True\n"}

    # when it is unpacked
    workspace = unpack(tmp_path, files)

    # then the tests are pending (they run in the sandbox next), and count nothing yet
    assert workspace.static_checks["tests"] == {"status": "pending", "value": 0.0}


def test_unpacked_workspace_carries_its_static_checks(tmp_path: Path) -> None:
    # given a clean service with a report holding every section
    files = {"start.sh": "python3 app.py\n", "REPORT.md": LONG_REPORT, "app.py": APP}

    # when it is unpacked
    workspace = unpack(tmp_path, files)

    # then every part is there, and the score counts all but the pending tests
    checks = workspace.static_checks
    assert set(checks) == {"report", "tests", "lint", "size", "score"}
    assert (checks["report"]["value"], checks["lint"]["value"], checks["size"]["value"]) == (1.0, 1.0, 1.0)
    assert (checks["lint"]["status"], checks["lint"]["total"], checks["lint"]["python_lines"]) == ("ok", 0, 1)
    assert checks["score"] == round(1 - PART_WEIGHTS["tests"], 4)
