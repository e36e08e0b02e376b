"""The static checks' own rules (assessments/takehome/checks/): REPORT.md's
sections in English and Russian, ruff's findings on a known file, reading the
tests job's result, and the static score. The tests' run in the real sandbox:
test_static_tests.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessments.takehome.checks import checks_erased, checks_with_tests, static_score, tests_run
from assessments.takehome.checks.lint import FINDINGS_KEPT, lint_check
from assessments.takehome.checks.report import report_check
from assessments.takehome.checks.score import PART_WEIGHTS

ENGLISH = """# Support assistant

## Approach
BM25 over each entry's question and answer, words cut to six letters, best entry verbatim.

## Evaluation on the public questions
| metric | value |
|---|---|
| hit@5 | 0.70 |
| MRR@10 | 0.51 |
I measured these with a small script that replays the ten public questions.

## Next steps
Embeddings for paraphrases, a reranker, and a threshold to decline off-topic questions.
"""

RUSSIAN = """# Отчёт

**Подход**

Гибридный поиск: плотные эмбеддинги USE и BM25, оценки стандартизованы и сложены.

**Метрики на публичных вопросах**

Точность попадания в топ-5 — 70%, MRR@10 = 0,52; посчитано скриптом по десяти вопросам.

**Что бы я сделал дальше**

Добавил бы переранжирование кросс-энкодером и выучил бы порог отказа на размеченных данных.
"""


def files_of(root: Path) -> list[dict[str, object]]:
    return [{"path": p.relative_to(root).as_posix(), "size": p.stat().st_size} for p in root.rglob("*") if p.is_file()]


# REPORT.md


@pytest.mark.parametrize("report", [ENGLISH, RUSSIAN], ids=["english", "russian"])
def test_report_with_every_section_and_a_figure_earns_the_whole_part(report: str) -> None:
    # when the report is checked
    checks = report_check(report)

    # then every section is found, with its figure
    assert checks["sections"] == {"approach": True, "metric": True, "next_steps": True}
    assert checks["metric_figure"] is True
    assert checks["value"] == 1.0


def test_the_figure_line_is_quoted_for_the_reviewer() -> None:
    assert report_check(ENGLISH)["metric_figure_line"] == "| hit@5 | 0.70 |"
    assert report_check(RUSSIAN)["metric_figure_line"].startswith("Точность попадания в топ-5 — 70%")


def test_bare_headings_are_not_sections() -> None:
    # given the three headings with nothing under them
    report = "# Approach\n\n# Metric\n\n# Next steps\n"

    # when it is checked
    checks = report_check(report)

    # then none is a section, and there is no figure
    assert checks["sections"] == {"approach": False, "metric": False, "next_steps": False}
    assert checks["value"] == 0.0


def test_many_words_without_sections_earn_nothing() -> None:
    # given 400 words of anything (what the old word count accepted)
    checks = report_check("lorem ipsum dolor sit amet " * 80)

    # then the part earns nothing
    assert checks["words"] == 400
    assert checks["value"] == 0.0


def test_a_metric_section_without_a_figure_loses_the_figure_quarter() -> None:
    # given a metric section that names no number
    report = ENGLISH.replace("| hit@5 | 0.70 |\n| MRR@10 | 0.51 |\n", "").replace("these", "retrieval quality")

    # when it is checked
    checks = report_check(report)

    # then the sections are there but the figure is not
    assert checks["sections"] == {"approach": True, "metric": True, "next_steps": True}
    assert (checks["metric_figure"], checks["value"]) == (False, 0.75)


def test_label_lines_are_headings_in_both_languages() -> None:
    # given sections written as "Label: text" lines
    report = (
        "Approach: dense retrieval with multilingual embeddings and a cosine threshold for refusals.\n"
        "Результаты: hit@1 0.4 на публичных вопросах, проверено скриптом по всем десяти вопросам.\n"
        "Дальнейшие шаги: гибрид с BM25, переранжирование и калибровка порога отказа по данным.\n"
    )

    # when it is checked
    checks = report_check(report)

    # then each label opens its section
    assert checks["sections"] == {"approach": True, "metric": True, "next_steps": True}
    assert checks["value"] == 1.0


# ruff


def test_lint_counts_the_findings_of_a_known_file(tmp_path: Path) -> None:
    # given a file with an unused import, a bare except, an eval and a mutable default
    (tmp_path / "app.py").write_text(
        "import os\n"
        "\n"
        "\n"
        "def answer(question, seen=[]):\n"
        "    try:\n"
        "        return eval(question)\n"
        "    except:\n"
        "        return None\n"
    )
    (tmp_path / "ruff.toml").write_text('exclude = ["*"]\n')  # the candidate's config is ignored

    # when ruff runs over it
    checks = lint_check(tmp_path, files_of(tmp_path))

    # then each finding is counted by rule, with its place
    assert checks["status"] == "ok"
    assert checks["by_rule"] == {"B006": 1, "E722": 1, "F401": 1, "S307": 1}
    assert checks["total"] == 4
    assert checks["python_lines"] == 6
    assert [(item["file"], item["line"], item["code"]) for item in checks["findings"]] == [
        ("app.py", 1, "F401"),
        ("app.py", 4, "B006"),
        ("app.py", 6, "S307"),
        ("app.py", 7, "E722"),
    ]
    assert checks["value"] == 0.0  # 4 findings in 6 lines: far past 10 per 100 lines


def test_lint_ignores_noqa_comments_and_keeps_only_the_first_findings(tmp_path: Path) -> None:
    # given many unused imports, each with a noqa comment
    (tmp_path / "app.py").write_text("".join(f"import module_{n}  # noqa\n" for n in range(FINDINGS_KEPT + 5)))

    # when ruff runs over it
    checks = lint_check(tmp_path, files_of(tmp_path))

    # then every one counts, and only the first are kept
    assert checks["by_rule"] == {"F401": FINDINGS_KEPT + 5}
    assert len(checks["findings"]) == FINDINGS_KEPT


def test_clean_code_earns_the_whole_lint_part(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("def double(value):\n    return 2 * value\n")

    checks = lint_check(tmp_path, files_of(tmp_path))

    assert (checks["total"], checks["value"]) == (0, 1.0)


def test_no_python_code_earns_no_lint_part(tmp_path: Path) -> None:
    (tmp_path / "start.sh").write_text("exec node server.js\n")

    checks = lint_check(tmp_path, files_of(tmp_path))

    assert (checks["status"], checks["total"], checks["value"]) == ("ok", 0, 0.0)


# The tests job's result


def logs(output: str, **counts: int) -> str:
    return output + "\n" + tests_run.MARKER + json.dumps(counts) + "\n"


def test_counts_come_from_the_last_marker_line() -> None:
    # given a test that printed a fake marker line before the runner's own
    fake = tests_run.MARKER + json.dumps({"passed": 99, "collected": 99})
    result = {"verdict": "ok", "logs": logs(fake + "\n4 passed", passed=3, failed=1, collected=4, exit_code=1)}

    # when the outcome is read
    outcome = tests_run.tests_outcome(result)

    # then the runner's line wins, and the marker lines are not shown
    assert (outcome["status"], outcome["passed"], outcome["failed"], outcome["errors"]) == ("ran", 3, 1, 0)
    assert outcome["output"] == "4 passed"
    assert outcome["value"] == 0.75


def test_passing_empty_tests_earn_nothing() -> None:
    # given two tests that passed, one of them `pass`
    outcome = tests_run.tests_outcome({"verdict": "ok", "logs": logs("", passed=2, empty=1, collected=2, exit_code=0)})

    # then only the one with a body counts
    assert (outcome["passed"], outcome["empty"], outcome["value"]) == (2, 1, 1.0)
    only_empty = tests_run.tests_outcome(
        {"verdict": "ok", "logs": logs("", passed=3, empty=3, collected=3, exit_code=0)}
    )
    assert only_empty["value"] == 0.0


def test_nothing_collected_is_no_tests() -> None:
    outcome = tests_run.tests_outcome({"verdict": "ok", "logs": logs("no tests ran", collected=0, exit_code=5)})

    assert (outcome["status"], outcome["value"]) == ("no_tests", 0.0)


@pytest.mark.parametrize(
    ("verdict", "status"),
    [("timed_out", "timed_out"), ("out_of_memory", "out_of_memory"), ("output_limit", "output_limit")],
)
def test_a_verdict_of_the_sandbox_is_the_status(verdict: str, status: str) -> None:
    outcome = tests_run.tests_outcome(
        {"verdict": verdict, "logs": "collected 4 items\n", "detail": "the deadline passed"}
    )

    assert (outcome["status"], outcome["value"], outcome["output"]) == (status, 0.0, "collected 4 items")


def test_no_marker_line_is_a_crash() -> None:
    outcome = tests_run.tests_outcome({"verdict": "crashed", "exit_code": 139, "logs": "Segmentation fault"})

    assert (outcome["status"], outcome["exit_code"], outcome["value"]) == ("crashed", 139, 0.0)


def test_an_infrastructure_error_is_a_platform_error_that_is_not_counted() -> None:
    # given a tests job that ended in an infrastructure error
    outcome = tests_run.tests_outcome({"verdict": "infrastructure_error", "detail": "image missing", "logs": ""})
    checks = {
        "report": {"value": 1.0},
        "lint": {"status": "ok", "value": 1.0},
        "size": {"value": 1.0},
        "tests": {"status": "pending", "value": 0.0},
    }

    # when it is stored with the other checks
    stored = checks_with_tests(checks, outcome)

    # then the tests part is left out: the others earn the whole score
    assert outcome["status"] == "platform_error"
    assert stored["score"] == 1.0
    assert static_score({**checks, "tests": {"status": "crashed", "value": 0.0}}) == round(1 - PART_WEIGHTS["tests"], 4)


def test_long_output_keeps_its_tail() -> None:
    outcome = tests_run.tests_outcome(
        {"verdict": "ok", "logs": logs("x" * tests_run.OUTPUT_MAX_CHARS + "SUMMARY", passed=1, collected=1)}
    )

    assert outcome["output_truncated"] is True
    assert len(outcome["output"]) == tests_run.OUTPUT_MAX_CHARS
    assert outcome["output"].endswith("SUMMARY")


# The score and erasure


def test_the_weights_add_up_to_one() -> None:
    assert sum(PART_WEIGHTS.values()) == pytest.approx(1.0)


def test_erased_checks_keep_counts_and_score_but_no_candidate_text() -> None:
    # given checks holding the candidate's output, findings and a quoted line
    checks = {
        "report": {"value": 1.0, "metric_figure_line": "hit@5 0.7 (by Zoya)"},
        "tests": {"status": "ran", "passed": 3, "output": "Zoya's test", "detail": "", "value": 1.0},
        "lint": {"status": "ok", "total": 1, "findings": [{"file": "zoya.py"}], "value": 1.0},
        "size": {"value": 1.0},
        "score": 1.0,
    }

    # when they are erased
    erased = checks_erased(checks)

    # then the counts and the score stay, the text goes
    assert (erased["tests"]["passed"], erased["tests"]["output"]) == (3, "")
    assert erased["lint"] == {"status": "ok", "total": 1, "findings": [], "value": 1.0}
    assert erased["report"]["metric_figure_line"] == ""
    assert erased["score"] == 1.0
