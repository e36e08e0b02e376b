"""Code similarity between two take-home submissions.

The measure, in plain words: both submissions' source files are normalised so
that renaming variables, functions and classes, rewriting strings and comments
or reformatting changes nothing; then we look for runs of normalised code at
least `NOISE_THRESHOLD` characters long that occur in both. For each submission
we take, file by file, the share of its code found in its closest file on the
other side; the score is the larger of the two submissions' shares.

A score of 0.8 means: in one of the two submissions, 80% of the code (counted
in normalised characters) also appears in the other submission, in runs long
enough not to be coincidence. Taking the larger share means a candidate who
copied a whole project and added files of their own is still caught. The score
does not say who copied from whom, and code both sides took from the same
template (an HTTP server skeleton, say) counts as shared: a small submission
that is mostly such a skeleton scores high against any other.
"""

import io
from dataclasses import dataclass
from pathlib import PurePosixPath

import copydetect
import numpy as np

# Only code is compared, each suffix with its pygments lexer, named explicitly so
# that "APP.PY" or an unusual path does not silently fall back to unfiltered text.
SOURCE_LANGUAGES = {".py": "python", ".sh": "bash", ".js": "javascript", ".ts": "typescript"}
# Bigger files are vendored or generated code, and would make the pairwise comparison slow.
MAX_FILE_BYTES = 200_000

# k: the shortest run of normalised code that counts as shared. After normalisation a
# name is one character ("V=V.V(V)"), so 25 characters are a statement or two; shorter
# runs are idioms every program has ("def F(self):", "for V in V:"). copydetect's CLI
# uses the same noise threshold.
NOISE_THRESHOLD = 25
# Winnowing with a window w keeps only some k-gram hashes and guarantees to see a shared
# run only from k + w - 1 characters on; the score would then be a sample. Submissions are
# a few hundred lines, so we keep every hash (w = 1): the shares are exact and every run
# of k characters is found. copydetect 0.5.0's CLI does the same (guarantee threshold 25,
# although its README says 30).
WINDOW_SIZE = 1

FLAG_THRESHOLD = 0.7
MATCH_THRESHOLD = 0.5
MAX_MATCHES = 10


@dataclass(frozen=True)
class FileMatch:
    file_a: str
    file_b: str
    similarity: float
    spans_a: list[tuple[int, int]]
    spans_b: list[tuple[int, int]]


@dataclass(frozen=True)
class SubmissionSimilarity:
    score: float
    matches: list[FileMatch]

    @property
    def flagged(self) -> bool:
        return self.score >= FLAG_THRESHOLD


def compare_submissions(files_a: dict[str, str], files_b: dict[str, str]) -> SubmissionSimilarity:
    """Compare two submissions given as {relative path: text}.

    Non-source files, files over MAX_FILE_BYTES and files too short to hold one
    NOISE_THRESHOLD run are ignored. Scores are rounded to 3 places, so what a
    reviewer sees is what FLAG_THRESHOLD is compared with.
    """
    # Fingerprints hash with Python's salted hash(): both sides must be computed in
    # the same process, so they are never stored.
    fingerprints_a = _fingerprints(files_a)
    fingerprints_b = _fingerprints(files_b)
    best_overlap_a = dict.fromkeys(fingerprints_a, 0.0)
    best_overlap_b = dict.fromkeys(fingerprints_b, 0.0)
    matches = []
    for path_a, fingerprint_a in fingerprints_a.items():
        for path_b, fingerprint_b in fingerprints_b.items():
            _, (similarity_a, similarity_b), (slices_a, slices_b) = copydetect.compare_files(
                fingerprint_a, fingerprint_b
            )
            best_overlap_a[path_a] = max(best_overlap_a[path_a], similarity_a * fingerprint_a.token_coverage)
            best_overlap_b[path_b] = max(best_overlap_b[path_b], similarity_b * fingerprint_b.token_coverage)
            similarity = round(float(min(similarity_a, similarity_b)), 3)
            if similarity >= MATCH_THRESHOLD:
                matches.append(
                    FileMatch(
                        file_a=path_a,
                        file_b=path_b,
                        similarity=similarity,
                        spans_a=_spans(slices_a, len(files_a[path_a])),
                        spans_b=_spans(slices_b, len(files_b[path_b])),
                    )
                )
    matches.sort(key=lambda match: (-match.similarity, match.file_a, match.file_b))
    score = max(_covered_share(best_overlap_a, fingerprints_a), _covered_share(best_overlap_b, fingerprints_b))
    return SubmissionSimilarity(score=round(score, 3), matches=matches[:MAX_MATCHES])


def highlight(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Split text into consecutive non-empty segments, each flagged True when it lies
    inside a span. Overlapping or touching spans make one segment; spans are clipped
    to the text. The segments joined give back the text."""
    segments = []
    position = 0
    for start, end in _merged(spans, len(text)):
        if start > position:
            segments.append((text[position:start], False))
        segments.append((text[start:end], True))
        position = end
    if position < len(text):
        segments.append((text[position:], False))
    return segments


def _fingerprints(files: dict[str, str]) -> dict[str, copydetect.CodeFingerprint]:
    fingerprints = {}
    for path, text in sorted(files.items()):
        language = SOURCE_LANGUAGES.get(PurePosixPath(path).suffix.lower())
        if language is None or len(text.encode("utf-8", errors="replace")) > MAX_FILE_BYTES:
            continue
        fingerprint = copydetect.CodeFingerprint(
            path, NOISE_THRESHOLD, WINDOW_SIZE, language=language, fp=io.StringIO(text)
        )
        # A file shorter than one run has no fingerprints (copydetect reports zero
        # coverage rather than raising): it can match nothing, so it is left out.
        if fingerprint.token_coverage > 0:
            fingerprints[path] = fingerprint
    return fingerprints


def _covered_share(best_overlap: dict[str, float], fingerprints: dict[str, copydetect.CodeFingerprint]) -> float:
    total = sum(fingerprint.token_coverage for fingerprint in fingerprints.values())
    return float(sum(best_overlap.values()) / total) if total else 0.0


def _spans(slices: np.ndarray, text_length: int) -> list[tuple[int, int]]:
    # copydetect returns a flat empty array when nothing matches, and maps a run
    # boundary that falls on a class name with a wrong offset; keep only sane spans.
    starts, ends = np.asarray(slices, dtype=np.int64).reshape(2, -1)
    spans = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        start, end = max(start, 0), min(end, text_length)
        if start < end:
            spans.append((start, end))
    return spans


def _merged(spans: list[tuple[int, int]], text_length: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(start, 0), min(end, text_length)) for start, end in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
