"""Importing question documents: the project's YAML and seed-like text layouts."""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.questionbank.importing.errors import ImportFormatError
from assessments.questionbank.importing.plan import Action, import_document
from assessments.questionbank.models import Question, QuestionSource, QuestionStatus, QuestionVersion
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

# The seed documents live beside the repository (../shared/seeds) on developers'
# machines; CI may have only the repository. Documents in the seeds' three layouts,
# written for these tests, live in tests/questionbank/documents and always run.
SEEDS = Path(os.environ.get("SEEDS_DIR", ROOT.parent / "shared" / "seeds"))
SEED_COUNTS = {
    "000_453178dde02a2971.txt": 13,
    "001_8ab4a10df3d5a8d0.txt": 8,
    "002_c96f61993d6caed8.txt": 140,
    "003_16d8ee7d6d48cca1.txt": 9,
    "004_08a6008f048eed5f.txt": 50,
}
DOCUMENTS = Path(__file__).parent / "documents"
LAYOUT_COUNTS = {"numbered.md": 5, "qa-blocks.txt": 5, "cards.txt": 2}
BANK_FILES = sorted((ROOT / "fixtures" / "questionbank" / "questions").glob("*.yaml"))
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed documents are not at {SEEDS} (set SEEDS_DIR)")


def snapshot() -> tuple[int, int, int]:
    return Question.objects.count(), QuestionVersion.objects.count(), QuestionSource.objects.count()


def _empty_bank() -> None:
    QuestionSource.objects.all().delete()
    QuestionVersion.objects.all().delete()
    Question.objects.all().delete()


def _import(path: Path, apply: bool = True):  # type: ignore[no-untyped-def]
    return import_document(actor=None, document=path.name, data=path.read_bytes(), apply=apply)


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_COUNTS))
def test_importing_a_seed_into_the_bank_changes_nothing(name: str) -> None:
    before = snapshot()

    report = _import(SEEDS / name)

    assert snapshot() == before
    assert len(report.outcomes) == SEED_COUNTS[name]
    assert {outcome.action for outcome in report.outcomes} == {Action.SKIPPED}
    assert all("already in the bank" in outcome.reason for outcome in report.outcomes)


def _check_import_into_an_empty_bank_then_reimport(path: Path, count: int) -> None:
    _empty_bank()

    first = _import(path)
    after_first = snapshot()
    second = _import(path)

    counts = first.counts()
    assert counts["created"] + counts["merged"] == count
    assert counts["created"] == Question.objects.count()
    assert set(QuestionSource.objects.values_list("ordinal", flat=True)) == set(range(1, count + 1))
    assert set(Question.objects.values_list("status", flat=True)) == {QuestionStatus.DRAFT}
    assert second.counts()["created"] == second.counts()["merged"] == second.counts()["updated"] == 0
    assert snapshot() == after_first


@pytest.mark.parametrize(("name", "count"), sorted(LAYOUT_COUNTS.items()))
def test_each_layout_imports_into_an_empty_bank_as_drafts_and_reimporting_is_a_no_op(name: str, count: int) -> None:
    _check_import_into_an_empty_bank_then_reimport(DOCUMENTS / name, count)


@needs_seeds
@pytest.mark.parametrize(("name", "count"), sorted(SEED_COUNTS.items()))
def test_each_seed_imports_into_an_empty_bank_and_reimporting_is_a_no_op(name: str, count: int) -> None:
    _check_import_into_an_empty_bank_then_reimport(SEEDS / name, count)


def _by_ordinal(document: str) -> dict[int, Question]:
    return {source.ordinal: source.question for source in QuestionSource.objects.filter(document=document)}


def test_question_cards_keep_answer_explanation_mistakes_and_tips() -> None:
    _empty_bank()

    _import(DOCUMENTS / "cards.txt")

    fusion = _by_ordinal("cards.txt")[1]
    assert fusion.prompt_en == "What does reciprocal rank fusion do when combining keyword and vector search?"
    assert fusion.prompt_ru == ""
    assert "1 / (k + rank)" in fusion.answer_en
    assert "different scales" in fusion.answer_en  # the detailed explanation follows the short answer
    assert [item["en"] for item in fusion.common_mistakes] == [
        "Adding raw scores from different retrievers.",
        "Forgetting the constant k, which damps the top ranks.",
    ]
    assert fusion.tips_en == "Write the formula."


def test_qa_blocks_keep_levels_topics_multiline_text_and_graded_answers() -> None:
    _empty_bank()

    _import(DOCUMENTS / "qa-blocks.txt")

    questions = _by_ordinal("qa-blocks.txt")
    assert [questions[n].level for n in (1, 2, 3, 4)] == ["junior", "middle", "middle", "senior"]
    assert "measure(batch)" in questions[2].answer_ru  # a "# comment" inside an answer is not a heading
    assert questions[3].prompt_ru.endswith("Вопрос продолжается на второй строке.")
    assert questions[5].answer_ru.startswith("Зависит от цены ошибок")
    assert "Всегда precision" in questions[5].common_mistakes[0]["ru"]
    assert questions[4].topic.slug == "ab-testing"  # guessed from the "A/B testing" heading and the text


def test_numbered_lists_read_inline_and_bold_questions_with_their_answers() -> None:
    _empty_bank()

    _import(DOCUMENTS / "numbered.md")

    questions = _by_ordinal("numbered.md")
    assert questions[1].prompt_ru == "Зачем в Python нужен менеджер контекста?"
    assert "Конструкция with" in questions[1].tips_ru  # the explanation
    assert questions[3].prompt_ru == "Что такое инвертированный индекс?"  # "### Вопрос:" without a number
    assert questions[4].prompt_ru == "Как сократить стоимость ответа LLM вдвое?"  # «quoted», "Ждем" split off
    assert questions[4].answer_ru.startswith("кэширование")
    assert questions[5].answer_ru.startswith("Можно собрать клики")


def test_reimporting_the_bank_yaml_is_a_no_op() -> None:
    before = snapshot()

    reports = [import_document(actor=None, document=p.name, data=p.read_bytes(), apply=True) for p in BANK_FILES]

    assert snapshot() == before
    assert all(set(report.counts()) and report.counts()["unchanged"] == len(report.outcomes) for report in reports)


def test_a_changed_yaml_entry_updates_the_question_as_a_new_version(tmp_path: Path) -> None:
    entries = yaml.safe_load(BANK_FILES[0].read_text(encoding="utf-8"))
    entry = entries[0]
    entry["time_minutes"] = int(entry["time_minutes"]) + 1

    report = import_document(
        actor=None, document="edited.yaml", data=yaml.safe_dump([entry], allow_unicode=True).encode(), apply=True
    )

    question = Question.objects.get(key=entry["key"])
    assert report.counts()["updated"] == 1
    assert question.version == 2
    assert question.versions.count() == 2
    assert question.versions.get(number=1).content["time_minutes"] == entry["time_minutes"] - 1


def test_a_reworded_question_merges_into_the_existing_one_as_a_likely_duplicate() -> None:
    document = "new-questions.txt"
    text = "Question 1: How does a shallow copy differ from a deep copy of a Python object?\nThe answer follows.\n"
    questions_before = Question.objects.count()

    preview = import_document(actor=None, document=document, data=text.encode(), apply=False)
    report = import_document(actor=None, document=document, data=text.encode(), apply=True)

    assert [outcome.action for outcome in preview.outcomes] == [Action.MERGED]
    assert report.outcomes[0].key == "python-shallow-vs-deep-copy"
    assert Question.objects.count() == questions_before
    assert QuestionSource.objects.get(document=document, ordinal=1).question.key == "python-shallow-vs-deep-copy"


def test_a_translation_merges_across_languages_and_a_related_question_is_flagged_but_kept() -> None:
    _empty_bank()
    import_document(actor=None, document="en.txt", data=b"Question 1: What is a feature store?\n", apply=True)
    english = Question.objects.get()
    russian = "Вопрос 1: Что такое feature store?\nВопрос 2: Как устроен онлайн-слой feature store и зачем он нужен?\n"

    report = import_document(actor=None, document="ru.txt", data=russian.encode(), apply=True)

    translation, related = report.outcomes
    assert (translation.action, translation.key) == (Action.MERGED, english.key)
    assert set(english.sources.values_list("document", flat=True)) == {"en.txt", "ru.txt"}
    assert related.action == Action.CREATED
    assert Question.objects.count() == 2


def test_a_preview_writes_nothing() -> None:
    before = snapshot()
    text = "Q: What is a feature flag rollout for ML models?\nA: Gradual exposure.\n"

    report = import_document(actor=None, document="preview.txt", data=text.encode(), apply=False)

    assert report.counts()["created"] == 1
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "data", "line", "words"),
    [
        ("bad.yaml", b"- key: a\n\tlevel: junior\n", 2, "not valid YAML"),
        ("notalist.yaml", b"key: value\n", 1, "expected a list"),
        ("empty.yaml", b"", 1, "empty"),
        ("badentry.yaml", b"- key: python-x\n  topic: python\n- key: Not A Key\n  topic: nowhere\n", 1, "level"),
        ("cp1251.txt", "Вопрос 1: Что такое RAG?\n".encode("cp1251"), 1, "UTF-8"),
        ("late-cp1251.txt", b"Q: ok?\nA: ok\n" + "Q: плохо\n".encode("cp1251"), 3, "UTF-8"),
        ("orphan.txt", b"Q: first?\nA: one\nA: two\n", 3, "without a"),
        ("nothing.txt", b"Just a paragraph of text.\nAnd another one.\n", 1, "no questions"),
        ("binary.txt", b"\x00\x01\x02binary", 1, "binary"),
        ("slides.pdf", b"%PDF-1.4", 1, "unsupported"),
    ],
)
def test_a_malformed_document_is_rejected_with_its_line_and_writes_nothing(
    name: str, data: bytes, line: int, words: str
) -> None:
    before = snapshot()

    with pytest.raises(ImportFormatError) as error:
        import_document(actor=None, document=name, data=data, apply=True)

    assert error.value.line == line
    assert f"line {line}" in error.value.message
    assert words in error.value.message
    assert snapshot() == before


def test_one_invalid_entry_rejects_the_whole_yaml_document() -> None:
    good = yaml.safe_load(BANK_FILES[0].read_text(encoding="utf-8"))[0]
    good = {
        **good,
        "key": "brand-new-question",
        "provenance": [],
        "prompt": {"en": "Brand new?", "ru": "Совсем новый?"},
    }
    bad = {**good, "key": "another-new-one", "key_points": good["key_points"][:1]}
    before = snapshot()

    with pytest.raises(ImportFormatError) as error:
        import_document(
            actor=None, document="mixed.yaml", data=yaml.safe_dump([good, bad], allow_unicode=True).encode(), apply=True
        )

    assert "3 to 7 key points" in error.value.message
    assert snapshot() == before


def test_import_questions_command_reports_and_fails_clearly(tmp_path: Path) -> None:
    good = tmp_path / "new.txt"
    good.write_text("Question 1: What does a vector index trade off when it is approximate?\nRecall for speed.\n")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"A: an answer without a question\n")
    out, err = StringIO(), StringIO()

    call_command("import_questions", str(good), stdout=out, stderr=err)
    with pytest.raises(CommandError):
        call_command("import_questions", str(bad), str(tmp_path / "missing.txt"), stdout=out, stderr=err)

    assert "new.txt: created 1" in out.getvalue()
    assert "bad.txt, line 1" in err.getvalue()
    assert "missing.txt: cannot read the file" in err.getvalue()
    assert Question.objects.filter(sources__document="new.txt", status=QuestionStatus.DRAFT).count() == 1
