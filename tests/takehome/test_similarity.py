"""Similarity between submissions on real code: the reference solutions, a disguised
copy, an unrelated program, and the files that must not count."""

from __future__ import annotations

from pathlib import Path

from assessments.takehome.similarity import (
    FLAG_THRESHOLD,
    MATCH_THRESHOLD,
    MAX_MATCHES,
    compare_submissions,
    highlight,
)

REFERENCES = Path(__file__).resolve().parents[2] / "fixtures" / "takehome" / "reference-solutions"
KEYWORD = (REFERENCES / "keyword" / "app.py").read_text(encoding="utf-8")
EMBEDDING = (REFERENCES / "embedding" / "app.py").read_text(encoding="utf-8")

# keyword/app.py with every name, string and comment rewritten and a few literals changed:
# what a candidate hiding a copy would do.
RENAMED_KEYWORD = '''"""Lexical search: Okapi ranking over every record; returns the top record's reply."""

import json
import os
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rank_bm25 import BM25Okapi

RECORDS = [json.loads(row) for row in open("/srv/knowledge.jsonl", encoding="utf-8")]
TERM = re.compile(r"[\\w-]+")


def split_terms(sentence):
    # Truncating to six characters is enough stemming for both languages we get.
    return [term[:6] for term in TERM.findall(sentence.lower())]


RANKER = BM25Okapi([split_terms(record["question"] + " " + record["answer"]) for record in RECORDS])


def respond(query):
    weights = RANKER.get_scores(split_terms(query))
    order = sorted(range(len(RECORDS)), key=lambda n: -weights[n])[:10]
    if weights[order[0]] <= 0:
        return {"answer": "No idea, sorry: nothing relevant was found.", "sources": []}
    return {"answer": RECORDS[order[0]]["answer"], "sources": [RECORDS[n]["id"] for n in order]}


class Server(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def do_POST(self):
        query = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))["question"]
        payload = json.dumps(respond(query), ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass  # keep the container log quiet


ThreadingHTTPServer(("0.0.0.0", int(os.environ.get("PORT", 8080))), Server).serve_forever()
'''

# A program with nothing in common with the take-home.
UNRELATED = '''"""Summarise a CSV of expenses: total per category and the largest single item."""

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass
class Expense:
    category: str
    description: str
    amount: Decimal


def read_expenses(path: str) -> list[Expense]:
    expenses = []
    with open(path, newline="", encoding="utf-8") as handle:
        for line_number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                amount = Decimal(row["amount"].replace(",", "."))
            except (InvalidOperation, KeyError):
                print(f"line {line_number}: skipped, no valid amount", file=sys.stderr)
                continue
            expenses.append(Expense(row.get("category") or "other", row.get("description", ""), amount))
    return expenses


def totals_by_category(expenses: list[Expense]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for expense in expenses:
        totals[expense.category] += expense.amount
    return dict(sorted(totals.items(), key=lambda item: item[1], reverse=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("csv_path")
    parser.add_argument("--top", type=int, default=5, help="categories to show")
    options = parser.parse_args()
    expenses = read_expenses(options.csv_path)
    if not expenses:
        print("no expenses found")
        return 1
    for category, total in list(totals_by_category(expenses).items())[: options.top]:
        print(f"{category:<20} {total:>12.2f}")
    largest = max(expenses, key=lambda expense: expense.amount)
    print(f"largest: {largest.description} ({largest.amount})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
'''


def test_renamed_copy_of_a_reference_solution_is_flagged() -> None:
    # given the keyword solution and a copy with every name, string and comment changed
    # when the two submissions are compared
    result = compare_submissions({"app.py": KEYWORD}, {"server/main.py": RENAMED_KEYWORD})

    # then the copy is flagged and its one file pair is the match
    assert result.score >= FLAG_THRESHOLD
    assert result.flagged
    assert [(match.file_a, match.file_b) for match in result.matches] == [("app.py", "server/main.py")]
    assert result.matches[0].similarity >= FLAG_THRESHOLD


def test_matching_spans_point_at_the_same_code_in_both_files() -> None:
    # given the keyword solution and its renamed copy
    # when the two submissions are compared
    match = compare_submissions({"app.py": KEYWORD}, {"main.py": RENAMED_KEYWORD}).matches[0]

    # then the spans are inside each text and both cover the HTTP handler, whatever its name
    assert all(0 <= start < end <= len(KEYWORD) for start, end in match.spans_a)
    assert all(0 <= start < end <= len(RENAMED_KEYWORD) for start, end in match.spans_b)
    handler_a = KEYWORD.index("class Handler")
    handler_b = RENAMED_KEYWORD.index("class Server")
    assert any(start <= handler_a < end for start, end in match.spans_a)
    assert any(start <= handler_b < end for start, end in match.spans_b)


def test_identical_files_match_over_their_whole_length() -> None:
    # given the same file on both sides
    # when the submissions are compared
    result = compare_submissions({"app.py": KEYWORD}, {"app.py": KEYWORD})

    # then everything but the final newline is one span on each side
    assert result.score == 1.0
    assert result.matches[0].similarity == 1.0
    assert result.matches[0].spans_a == [(0, len(KEYWORD.rstrip("\n")))]
    assert result.matches[0].spans_b == [(0, len(KEYWORD.rstrip("\n")))]


def test_unrelated_program_scores_low_against_a_reference_solution() -> None:
    # given the keyword solution and a program that does something else entirely
    # when the two submissions are compared
    result = compare_submissions({"app.py": KEYWORD}, {"app.py": UNRELATED})

    # then the score is low and no file pair is listed
    assert result.score < 0.3
    assert not result.flagged
    assert result.matches == []


def test_reference_solutions_sharing_only_a_server_skeleton_are_not_flagged() -> None:
    # given two solutions with different retrieval but the same HTTP handler code
    # when they are compared
    result = compare_submissions({"app.py": KEYWORD}, {"app.py": EMBEDDING})

    # then the shared skeleton shows, below the flag, and the file's marked spans
    # leave each solution's own retrieval code unmarked
    assert 0.3 < result.score < FLAG_THRESHOLD
    assert not result.flagged
    assert [(match.file_a, match.file_b) for match in result.matches] == [("app.py", "app.py")]
    for text, spans in ((KEYWORD, result.matches[0].spans_a), (EMBEDDING, result.matches[0].spans_b)):
        decline_line = text.rfind("\n", 0, text.index("I don't know"))
        retrieval = (text.index("def ask"), text.rfind("\n", 0, decline_line))  # up to the decline's condition
        assert not any(start < retrieval[1] and end > retrieval[0] for start, end in spans), spans


def test_copied_project_with_extra_files_is_flagged_from_either_side() -> None:
    # given a submission that is the keyword solution plus two files of the candidate's own
    copier = {
        "server.py": KEYWORD,
        "tools/expenses.py": UNRELATED,
        "tools/costs.py": UNRELATED.replace("expense", "cost"),
    }

    # when it is compared with the original, as either argument
    copier_first = compare_submissions(copier, {"app.py": KEYWORD})
    original_first = compare_submissions({"app.py": KEYWORD}, copier)

    # then the original's side is fully covered, so both orders flag it, listing only the copied file
    assert copier_first.score == original_first.score == 1.0
    assert [(match.file_a, match.file_b) for match in copier_first.matches] == [("server.py", "app.py")]
    assert [(match.file_a, match.file_b) for match in original_first.matches] == [("app.py", "server.py")]


def test_short_files_non_source_files_and_huge_files_are_ignored() -> None:
    # given two unrelated programs, each next to identical files that must not count:
    # a one-liner, a README, data, and a source file over 200 kB
    huge = "".join(f"value_{number} = compute({number}, 'row {number}')\n" for number in range(6000))
    assert len(huge.encode()) > 200_000
    shared = {"tiny.py": "x = 1\n", "README.md": KEYWORD, "data.json": KEYWORD, "generated.py": huge}

    # when the submissions are compared
    result = compare_submissions({"app.py": KEYWORD, **shared}, {"app.py": UNRELATED, **shared})

    # then only the two programs are compared, so nothing matches
    assert result.score == 0.0
    assert result.matches == []


def test_submissions_without_source_code_score_zero() -> None:
    # given submissions with only a report and a file too short to fingerprint
    files = {"REPORT.md": "# Report\n", "start.sh": "#!/bin/sh\n"}

    # when they are compared
    result = compare_submissions(files, files)

    # then the score is zero rather than an error
    assert result.score == 0.0
    assert result.matches == []


def test_matches_are_best_first_and_capped() -> None:
    # given four copies of a file on one side, three on the other (12 identical pairs),
    # and a half-copied file
    half_copy = KEYWORD[: len(KEYWORD) // 2] + UNRELATED
    files_a = {f"copy_{number}.py": KEYWORD for number in range(4)}
    files_b = {"half.py": half_copy, **{f"copy_{number}.py": KEYWORD for number in range(3)}}

    # when the submissions are compared
    matches = compare_submissions(files_a, files_b).matches

    # then at most MAX_MATCHES pairs are listed, each above the threshold, best first
    assert len(matches) == MAX_MATCHES
    assert all(match.similarity >= MATCH_THRESHOLD for match in matches)
    assert [match.similarity for match in matches] == [1.0] * MAX_MATCHES
    assert "half.py" not in {match.file_b for match in matches}
    assert [(match.file_a, match.file_b) for match in matches[:2]] == [
        ("copy_0.py", "copy_0.py"),
        ("copy_0.py", "copy_1.py"),
    ]


def test_partial_copy_is_listed_after_full_copy() -> None:
    # given the keyword solution against a full copy and a copy of its last two thirds
    lines = KEYWORD.splitlines(keepends=True)
    partial_copy = "".join(lines[len(lines) // 3 :])

    # when the submissions are compared
    matches = compare_submissions({"app.py": KEYWORD}, {"a_part.py": partial_copy, "b_full.py": KEYWORD}).matches

    # then the full copy comes first, though its name sorts last, and the partial one after it
    assert [match.file_b for match in matches] == ["b_full.py", "a_part.py"]
    assert matches[0].similarity == 1.0
    assert MATCH_THRESHOLD <= matches[1].similarity < 1.0


def test_highlight_merges_overlapping_and_adjacent_spans() -> None:
    # given spans out of order, overlapping (2-5, 4-7) and touching (7-9)
    # when the text is split
    segments = highlight("0123456789abc", [(7, 9), (2, 5), (4, 7)])

    # then they form one highlighted segment between two plain ones
    assert segments == [("01", False), ("2345678", True), ("9abc", False)]


def test_highlight_keeps_every_character_and_clips_spans_to_the_text() -> None:
    # given spans at both edges, one empty and one past the end
    text = "abcdefgh"

    # when the text is split
    segments = highlight(text, [(0, 2), (5, 5), (6, 100)])

    # then the segments give back the text, without empty segments
    assert segments == [("ab", True), ("cdef", False), ("gh", True)]
    assert "".join(segment for segment, _ in segments) == text


def test_highlight_without_spans_is_one_plain_segment() -> None:
    assert highlight("print(1)\n", []) == [("print(1)\n", False)]
