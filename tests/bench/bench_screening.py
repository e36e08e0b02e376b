"""Time to screen a resume: text extraction (pypdf on a PDF made from each
labelled resume) plus analysis against its role's checklist, p50/p95 over the
set, and the same for the longest resumes (about two pages). Goal: analysis
under 200 ms. Run with `make bench`."""

from __future__ import annotations

import io
import statistics
import time

from pypdf import PdfReader

from assessments.screening.analyzer import analyse
from assessments.screening.extraction import PDF, extract_text
from assessments.screening.quality import labelled_set, role_checklists
from tests.conftest import ROOT
from tests.screening.files import pdf_resume

FOLDER = ROOT / "fixtures" / "screening"


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def test_screening_time_per_resume() -> None:
    checklists = role_checklists(FOLDER)
    rows = []
    for entry in labelled_set(FOLDER):
        text = (FOLDER / "resumes" / entry["file"]).read_text(encoding="utf-8")
        pdf = pdf_resume(text)
        began = time.perf_counter()
        extracted = extract_text(pdf, PDF)
        extraction = time.perf_counter() - began
        began = time.perf_counter()
        analyse(extracted, checklists[entry["role"]])
        analysis = time.perf_counter() - began
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        rows.append((len(text.split()), extraction * 1000, analysis * 1000, pages))
    two_pages = [row for row in rows if row[3] >= 2]
    print(
        f"\nscreening {len(rows)} resumes as PDFs ({statistics.median(r[0] for r in rows):.0f} words median,"
        f" {len(two_pages)} of two pages or more)"
    )
    for label, subset in (("all", rows), ("two pages or more", two_pages)):
        if not subset:
            continue
        extraction = [r[1] for r in subset]
        analysis = [r[2] for r in subset]
        total = [r[1] + r[2] for r in subset]
        print(
            f"  {label:<28} extraction p50 {_p(extraction, 0.5):6.1f} ms  analysis p50 {_p(analysis, 0.5):5.1f} ms"
            f" p95 {_p(analysis, 0.95):5.1f} ms  total p50 {_p(total, 0.5):6.1f} ms (goal: analysis < 200 ms)"
        )
