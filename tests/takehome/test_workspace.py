"""Turning an unpacked archive into a workspace: where the service's root is, how
it starts, which files it has, its report and the three static checks."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from assessments.takehome.workspace import (
    CODE_MAX_BYTES,
    CODE_MAX_FILES,
    REPORT_MIN_WORDS,
    static_checks,
    workspace_unpack,
)
from sandbox import InvalidSubmission

APP = "print('hello')\n"
LONG_REPORT = " ".join(["word"] * REPORT_MIN_WORDS)


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
    workspace = unpack(tmp_path, {"start.sh": "true\n", "report.md": "# Результаты\n\n" + LONG_REPORT})

    # then its text is the report, and it is long enough
    assert workspace.report == "# Результаты\n\n" + LONG_REPORT
    assert workspace.static_checks["report"] is True


def test_report_in_a_subfolder_is_not_the_report(tmp_path: Path) -> None:
    # given a REPORT.md only inside docs/
    # when the archive is unpacked
    workspace = unpack(tmp_path, {"start.sh": "true\n", "docs/REPORT.md": LONG_REPORT})

    # then there is no report
    assert workspace.report == ""
    assert workspace.static_checks["report"] is False
    assert workspace.static_checks["report_words"] == 0


def test_report_under_eighty_words_fails_the_report_check() -> None:
    # given a report one word short
    report = " ".join(["word"] * (REPORT_MIN_WORDS - 1))

    # when the checks run
    checks = static_checks([{"path": "start.sh", "size": 10}], report)

    # then the report check fails and the count is kept
    assert checks["report"] is False
    assert checks["report_words"] == REPORT_MIN_WORDS - 1


def test_report_of_exactly_eighty_words_passes_the_report_check() -> None:
    # when the checks run on an 80-word report
    checks = static_checks([{"path": "start.sh", "size": 10}], LONG_REPORT)

    # then the report check passes
    assert checks["report"] is True
    assert checks["report_words"] == REPORT_MIN_WORDS


@pytest.mark.parametrize(
    "path",
    ["tests/test_x.py", "test_app.py", "app_test.py", "svc/tests/conftest.py", "test/data.json", "svc/test_api.py"],
)
def test_test_files_are_detected(path: str) -> None:
    # given a listing with one test file
    files = [{"path": "app.py", "size": 10}, {"path": path, "size": 10}]

    # when the checks run
    checks = static_checks(files, "")

    # then the tests check passes and names the file
    assert checks["tests"] is True
    assert checks["test_files"] == [path]


@pytest.mark.parametrize(
    "path", ["contest.py", "latest_results.py", "attest_x.py", "protests/app.py", "testing.py", "app_tests.txt"]
)
def test_names_that_merely_contain_test_are_not_tests(path: str) -> None:
    # given a listing whose only file merely contains "test" in its name
    files = [{"path": "app.py", "size": 10}, {"path": path, "size": 10}]

    # when the checks run
    checks = static_checks(files, "")

    # then no test is found
    assert checks["tests"] is False
    assert checks["test_files"] == []


def test_test_file_unpacked_from_an_archive_is_detected(tmp_path: Path) -> None:
    # given an archive with a tests folder
    # when it is unpacked
    workspace = unpack(tmp_path, {"start.sh": "true\n", "app.py": APP, "tests/test_app.py": "def test(): pass\n"})

    # then its test file is found
    assert workspace.static_checks["tests"] is True
    assert workspace.static_checks["test_files"] == ["tests/test_app.py"]


def test_code_up_to_five_megabytes_passes_the_size_check() -> None:
    # when the checks run on code of exactly 5 MB
    checks = static_checks([{"path": "app.py", "size": CODE_MAX_BYTES - 100}, {"path": "b.py", "size": 100}], "")

    # then the size check passes
    assert checks["size"] is True
    assert checks["size_bytes"] == CODE_MAX_BYTES


def test_code_over_five_megabytes_fails_the_size_check() -> None:
    # when the checks run on code one byte over 5 MB
    checks = static_checks([{"path": "app.py", "size": CODE_MAX_BYTES - 99}, {"path": "b.py", "size": 100}], "")

    # then the size check fails
    assert checks["size"] is False
    assert checks["size_bytes"] == CODE_MAX_BYTES + 1


@pytest.mark.parametrize(("count", "passes"), [(CODE_MAX_FILES, True), (CODE_MAX_FILES + 1, False)])
def test_more_than_five_hundred_files_fail_the_size_check(count: int, passes: bool) -> None:
    # given a listing of `count` one-byte files
    files: list[dict[str, object]] = [{"path": f"module_{index}.py", "size": 1} for index in range(count)]

    # when the checks run
    checks = static_checks(files, "")

    # then the size check passes only up to 500 files
    assert checks["size"] is passes
    assert checks["file_count"] == count


@pytest.mark.parametrize(
    ("report", "files", "score"),
    [
        (LONG_REPORT, [{"path": "tests/test_x.py", "size": 10}], 1.0),
        ("too short", [{"path": "tests/test_x.py", "size": 10}], 0.6667),
        ("too short", [{"path": "app.py", "size": 10}], 0.3333),
        ("too short", [{"path": "app.py", "size": CODE_MAX_BYTES + 1}], 0.0),
    ],
    ids=["three", "two", "one", "none"],
)
def test_static_score_is_the_share_of_checks_passed(report: str, files: list[dict[str, object]], score: float) -> None:
    # when the checks run
    checks = static_checks(files, report)

    # then the score is the share of the three checks that passed, to four places
    passed = sum(bool(checks[name]) for name in ("report", "tests", "size"))
    assert checks["score"] == score
    assert passed == round(score * 3)


def test_unpacked_workspace_carries_its_static_checks(tmp_path: Path) -> None:
    # given a service with tests but a short report
    files = {"start.sh": "true\n", "REPORT.md": "Short.", "app_test.py": APP}

    # when it is unpacked
    workspace = unpack(tmp_path, files)

    # then two of three checks pass
    assert workspace.report == "Short."
    assert workspace.static_checks == {
        "report": False,
        "tests": True,
        "size": True,
        "report_words": 1,
        "test_files": ["app_test.py"],
        "size_bytes": sum(len(content.encode()) for content in files.values()),
        "file_count": 3,
        "score": 0.6667,
    }
