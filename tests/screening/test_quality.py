"""The analyser's precision and recall per flag on the labelled resumes
(fixtures/screening/labels.yaml, written for the project; each resume is checked
against its role's shipped checklist). The rules were tuned on the `tune` part.
`holdout` was kept out of tuning, but after seeing its recall of one flag the
vague-phrase rule was widened (without reading those resumes), so `holdout2`,
written afterwards by someone who never saw the rules, is the blind figure: it is
reported and never tuned on, so the threshold applies to the tuned parts (tune and
holdout) and the blind part shows how the rules carry over to new wording."""

from __future__ import annotations

from assessments.screening.quality import Report, evaluate, labelled_set, table
from tests.conftest import ROOT

FOLDER = ROOT / "fixtures" / "screening"
THRESHOLD = 0.85
TUNED = ("tune", "holdout")


def test_every_flag_has_precision_and_recall_of_at_least_0_85() -> None:
    entries = labelled_set(FOLDER)
    tuned = Report()
    for split in sorted({e["split"] for e in entries}, key=["tune", "holdout", "holdout2"].index):
        part = [e for e in entries if e["split"] == split]
        report = evaluate(FOLDER, part)
        print(f"\n{split} ({len(part)} resumes)\n{table(report)}")
        if split in TUNED:
            tuned = tuned.add(report)
    print(f"\ntune + holdout\n{table(tuned)}")
    low = {
        key: (round(counts.precision, 2), round(counts.recall, 2))
        for key, counts in tuned.per_flag.items()
        if counts.precision < THRESHOLD or counts.recall < THRESHOLD
    }
    assert low == {}, "\n".join(tuned.mistakes)


# The blind part's figures as measured: (true positives, false positives, false
# negatives) per flag. The analyser is deterministic, so they are exact; a rules
# change that moves them must record the new figure here (never tune on holdout2's
# texts to do it). Missed today: the vague phrases and the numbers this wording uses.
BLIND = {
    "code_links": (8, 0, 0),
    "competitions": (2, 0, 1),
    "data_pipelines": (2, 0, 0),
    "implausible_training": (0, 0, 1),
    "measured_results": (6, 0, 3),
    "mlops_tooling": (2, 1, 0),
    "named_libraries": (7, 0, 0),
    "named_models_methods": (3, 0, 0),
    "no_code_links": (4, 0, 0),
    "product_experiments": (1, 0, 0),
    "prompt_only": (1, 0, 0),
    "vague_claims": (3, 0, 3),
}


def test_the_blind_part_scores_as_recorded() -> None:
    blind = [e for e in labelled_set(FOLDER) if e["split"] == "holdout2"]
    report = evaluate(FOLDER, blind)

    measured = {
        key: (counts.true_positive, counts.false_positive, counts.false_negative)
        for key, counts in report.per_flag.items()
    }
    assert measured == BLIND, "\n".join(report.mistakes)
    found = sum(tp + fp for tp, fp, _ in measured.values())
    expected = sum(tp + fn for tp, _, fn in measured.values())
    true_positives = sum(tp for tp, _, _ in measured.values())
    micro = (round(true_positives / found, 2), round(true_positives / expected, 2))
    assert micro == (0.97, 0.83)  # precision, recall over every flag


def test_the_labelled_set_is_large_and_varied_enough() -> None:
    entries = labelled_set(FOLDER)

    assert len(entries) >= 40
    assert {e["lang"] for e in entries} >= {"ru", "en", "mixed"}
    assert {e["role"] for e in entries} == {"ml-llm-engineer", "mlops", "data-engineer-ai", "ai-product-manager"}
    assert sum(e["split"] == "holdout" for e in entries) >= 10
    assert all((FOLDER / "resumes" / e["file"]).is_file() for e in entries)
    # Every resume has exactly one of the two link flags: they are each other's opposite.
    assert all(("code_links" in e["flags"]) != ("no_code_links" in e["flags"]) for e in entries)
