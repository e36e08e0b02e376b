"""The flag rule engine on hand-made rules, checklist validation, and the shipped
ML/LLM checklist on the examples of the recruiter's method."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessments.screening.analyzer import MAX_EVIDENCE, Suggestion, analyse, normalise
from assessments.screening.checklists import (
    ChecklistError,
    checklist_validate,
    content_hash,
    flag_validate,
    flags_for_template,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "screening"


def flag(key: str, *rules: dict[str, Any], kind: str = "green") -> dict[str, Any]:
    return {"key": key, "kind": kind, "rules": list(rules)}


def suggest(text: str, flags: list[dict[str, Any]]) -> dict[str, Suggestion]:
    return {suggestion.key: suggestion for suggestion in analyse(text, flags)}


def matched(text: str, suggestion: Suggestion) -> list[str]:
    return [text[item.start : item.end] for item in suggestion.evidence]


# The rule engine, on small hand-made flags.

MODEL_WITH_METHOD = flag("model_method", {"id": "llama-lora", "any": [r"\bllama\b"], "with_nearby": [r"\blora\b"]})


def test_with_nearby_needs_the_other_pattern_in_the_same_line() -> None:
    # given
    text = "Tuned Llama with LoRA\nServed Llama in production"

    # when
    suggestions = suggest(text, [MODEL_WITH_METHOD])

    # then: only the first line's Llama counts
    evidence = suggestions["model_method"].evidence
    assert [(item.line, text[item.start : item.end], item.rule) for item in evidence] == [(1, "Llama", "llama-lora")]


def test_with_nearby_treats_two_sentences_on_one_line_as_separate_segments() -> None:
    text = "Served Llama in production. Later tried LoRA on BERT."

    assert suggest(text, [MODEL_WITH_METHOD]) == {}


def test_with_nearby_fires_when_both_are_in_one_sentence_of_a_multi_sentence_line() -> None:
    text = "Served BERT in production. Later tuned Llama with LoRA."

    suggestions = suggest(text, [MODEL_WITH_METHOD])

    assert matched(text, suggestions["model_method"]) == ["Llama"]


def test_unless_nearby_cancels_only_the_match_in_its_own_segment() -> None:
    vague = flag("vague", {"any": [r"experience with ai"], "unless_nearby": [r"\bpytorch\b"]}, kind="red")
    text = "Experience with AI: PyTorch models\nExperience with AI"

    suggestions = suggest(text, [vague])

    evidence = suggestions["vague"].evidence
    assert [(item.line, item.start) for item in evidence] == [(2, text.rindex("Experience"))]


def test_unless_cancels_the_whole_rule_wherever_it_matches() -> None:
    prompt_only = flag("prompt_only", {"any": [r"prompt engineering"], "unless": [r"\bpytorch\b"]}, kind="red")

    without = suggest("Prompt engineering\nMarketing", [prompt_only])
    with_specifics = suggest("Prompt engineering\nMarketing\nAlso trained models in PyTorch", [prompt_only])

    assert list(without) == ["prompt_only"]
    assert with_specifics == {}


def test_unless_cancels_its_own_rule_and_not_the_flags_other_rules() -> None:
    both = flag(
        "ai_words",
        {"id": "prompting", "any": [r"prompt engineering"], "unless": [r"\bpytorch\b"]},
        {"id": "chatgpt", "any": [r"\bchatgpt\b"]},
    )
    text = "Prompt engineering for ChatGPT\nPyTorch"

    suggestions = suggest(text, [both])

    assert [(text[item.start : item.end], item.rule) for item in suggestions["ai_words"].evidence] == [
        ("ChatGPT", "chatgpt")
    ]


LIBRARIES = flag("libraries", {"any": [r"\b(?:pytorch|vllm|faiss)\b"], "min_distinct": 2})


def test_min_distinct_does_not_count_the_same_word_twice_whatever_its_case() -> None:
    assert suggest("PyTorch for training, pytorch for serving, PYTORCH", [LIBRARIES]) == {}


def test_min_distinct_fires_with_enough_distinct_matches_and_keeps_every_mention() -> None:
    text = "PyTorch for training, pytorch again, vLLM for serving"

    suggestions = suggest(text, [LIBRARIES])

    assert matched(text, suggestions["libraries"]) == ["PyTorch", "pytorch", "vLLM"]


NO_CODE = flag("no_code", {"absent": [r"github\.com/\w+", r"gitlab\.com/\w+"]}, kind="red")


def test_absent_fires_when_no_pattern_matches_and_judges_the_whole_text() -> None:
    suggestions = suggest("Иван Петров\nPyTorch, vLLM\nGitHub: по запросу", [NO_CODE])

    assert suggestions["no_code"] == Suggestion(key="no_code", kind="red", evidence=[], whole_text=True)


@pytest.mark.parametrize("link", ["github.com/ivan", "gitlab.com/ivan"])
def test_absent_does_not_fire_when_any_pattern_matches_anywhere(link: str) -> None:
    text = f"Иван Петров\nPyTorch, vLLM\n\nCode: {link}"

    assert suggest(text, [NO_CODE]) == {}


def test_evidence_offsets_index_the_normalised_text_and_lines_count_from_one() -> None:
    # given: CRLF line ends and no-break spaces, as copied from Word
    text = normalise("Иван Петров\r\nStack:\u00a0PyTorch\r\n\r\nServing: vLLM")

    # when
    suggestions = suggest(text, [LIBRARIES])

    # then
    evidence = suggestions["libraries"].evidence
    assert [(item.start, item.end, item.line) for item in evidence] == [
        (text.index("PyTorch"), text.index("PyTorch") + len("PyTorch"), 2),
        (text.index("vLLM"), text.index("vLLM") + len("vLLM"), 4),
    ]
    assert matched(text, suggestions["libraries"]) == ["PyTorch", "vLLM"]


def test_evidence_is_capped_at_max_evidence_in_reading_order() -> None:
    text = "\n".join(f"Project {number}: LoRA" for number in range(1, MAX_EVIDENCE + 4))
    lora = flag("lora", {"any": [r"\blora\b"]})

    suggestions = suggest(text, [lora])

    assert [item.line for item in suggestions["lora"].evidence] == list(range(1, MAX_EVIDENCE + 1))


def test_overlapping_matches_of_two_rules_of_one_flag_are_reported_once() -> None:
    model = flag(
        "model",
        {"id": "short", "any": [r"llama 2"]},
        {"id": "long", "any": [r"llama 2 7b"]},
    )
    text = "Tuned Llama 2 7B; later Llama 2"

    suggestions = suggest(text, [model])

    assert [(text[item.start : item.end], item.rule) for item in suggestions["model"].evidence] == [
        ("Llama 2 7B", "long"),
        ("Llama 2", "short"),
    ]


# normalise


def test_normalise_composes_decomposed_letters() -> None:
    # "й" and "é" written as a base letter plus a combining mark (macOS file names, some PDFs)
    assert normalise("Сергеи\u0306 Cafe\u0301") == "Сергей Café"


def test_normalise_turns_crlf_and_lone_cr_into_lf() -> None:
    assert normalise("one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


def test_normalise_turns_no_break_and_thin_spaces_into_plain_spaces() -> None:
    assert normalise("Llama\u00a02\u20097B\u202fQLoRA") == "Llama 2 7B QLoRA"


# Checklist validation


def valid_flag(**changes: Any) -> dict[str, Any]:
    content = {
        "key": "vague_claims",
        "kind": "red",
        "weight": 2,
        "title_en": "Vague claims",
        "title_ru": "Размытые формулировки",
        "description_en": "Experience with AI, nothing specific.",
        "description_ru": "Опыт работы с AI без конкретики.",
        "rules": [{"id": "vague", "any": [r"experience with ai"]}],
    }
    content.update(changes)
    return content


def validation_error(content: dict[str, Any]) -> str:
    with pytest.raises(ChecklistError) as error:
        flag_validate(content)
    return str(error.value)


def test_flag_with_an_unknown_kind_is_refused_naming_the_flag_and_kind() -> None:
    message = validation_error(valid_flag(kind="amber"))

    assert "'vague_claims'" in message
    assert "kind" in message


@pytest.mark.parametrize("weight", [0, 6])
def test_flag_weight_outside_one_to_five_is_refused(weight: int) -> None:
    message = validation_error(valid_flag(weight=weight))

    assert "'vague_claims'" in message
    assert "weight" in message


def test_flag_without_a_russian_title_is_refused() -> None:
    untitled = valid_flag()
    del untitled["title_ru"]

    message = validation_error(untitled)

    assert "'vague_claims'" in message
    assert "title_ru" in message


def test_rule_without_any_or_absent_is_refused_naming_the_rule() -> None:
    message = validation_error(valid_flag(rules=[{"any": ["ai"]}, {"id": "only-context", "with_nearby": [r"\bllm\b"]}]))

    assert "'vague_claims', rule 2" in message
    assert "`any` or `absent`" in message


def test_rule_with_an_invalid_regex_is_refused_naming_the_field_and_pattern() -> None:
    message = validation_error(valid_flag(rules=[{"any": ["ai"], "unless_nearby": ["(pytorch"]}]))

    assert "'vague_claims', rule 1" in message
    assert "`unless_nearby`" in message
    assert "'(pytorch'" in message


def test_rule_with_an_unknown_field_is_refused_naming_the_field() -> None:
    message = validation_error(valid_flag(rules=[{"any": ["ai"], "unless_near": ["pytorch"]}]))

    assert "'vague_claims', rule 1" in message
    assert "'unless_near'" in message


def test_checklist_with_a_flag_listed_twice_is_refused_naming_the_key() -> None:
    with pytest.raises(ChecklistError) as error:
        checklist_validate([valid_flag(), valid_flag(key="code_links"), valid_flag()])

    assert "'vague_claims'" in str(error.value)
    assert "'code_links'" not in str(error.value)


def test_template_naming_a_flag_missing_from_the_library_is_refused() -> None:
    library = {"vague_claims": flag_validate(valid_flag())}
    template = {"slug": "ml-llm-engineer", "flags": ["vague_claims", "no_such_flag"]}

    with pytest.raises(ChecklistError) as error:
        flags_for_template(library, template)

    assert "'no_such_flag'" in str(error.value)
    assert "'ml-llm-engineer'" in str(error.value)


def test_template_weight_overrides_the_library_weight_without_changing_the_library() -> None:
    library = {
        "vague_claims": flag_validate(valid_flag(weight=2)),
        "code_links": flag_validate(valid_flag(key="code_links", kind="green", weight=3)),
    }

    flags = flags_for_template(library, {"flags": [{"flag": "vague_claims", "weight": 5}, "code_links"]})

    assert [(item["key"], item["weight"]) for item in flags] == [("vague_claims", 5), ("code_links", 3)]
    assert library["vague_claims"]["weight"] == 2


def test_content_hash_is_stable_for_equal_content_and_changes_with_a_weight() -> None:
    flags = checklist_validate([valid_flag()])
    same_in_another_key_order = [dict(reversed(list(copy.deepcopy(flags[0]).items())))]
    heavier = copy.deepcopy(flags)
    heavier[0]["weight"] = 3

    assert content_hash(flags) == content_hash(same_in_another_key_order)
    assert content_hash(heavier) != content_hash(flags)


# The shipped ML/LLM engineer checklist on the examples of the recruiter's method


@pytest.fixture(scope="module")
def ml_llm_flags() -> list[dict[str, Any]]:
    library_flags = yaml.safe_load((FIXTURES / "flags.yaml").read_text(encoding="utf-8"))
    library = {item["key"]: flag_validate(item) for item in library_flags}
    template = yaml.safe_load((FIXTURES / "checklists" / "ml-llm-engineer.yaml").read_text(encoding="utf-8"))
    return flags_for_template(library, template)


def test_shipped_named_model_with_qlora_in_russian(ml_llm_flags: list[dict[str, Any]]) -> None:
    text = "Дообучил Llama 2 7B с QLoRA на датасете поддержки"

    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"named_models_methods", "no_code_links"}
    assert matched(text, suggestions["named_models_methods"]) == ["Llama 2 7B"]
    assert "Llama 2 7B" in suggestions["named_models_methods"].evidence[0].quote


def test_shipped_mixed_language_model_method_and_percent(ml_llm_flags: list[dict[str, Any]]) -> None:
    text = "Fine-tuned Mistral 7B через QLoRA, accuracy выросла на 12%"

    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"named_models_methods", "measured_results", "no_code_links"}
    assert matched(text, suggestions["named_models_methods"]) == ["Mistral 7B"]
    assert matched(text, suggestions["measured_results"]) == ["на 12%"]


def test_shipped_latency_from_to_is_a_measured_result(ml_llm_flags: list[dict[str, Any]]) -> None:
    text = "Reduced p95 latency from 800 ms to 300 ms"

    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"measured_results", "no_code_links"}
    assert matched(text, suggestions["measured_results"]) == ["from 800 ms to 300"]
    assert suggestions["measured_results"].evidence[0].rule == "from-to"


def test_shipped_times_cheaper_in_russian_is_a_measured_result(ml_llm_flags: list[dict[str, Any]]) -> None:
    text = "снизил затраты на инференс в 2 раза"

    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"measured_results", "no_code_links"}
    assert matched(text, suggestions["measured_results"]) == ["в 2 раза"]


def test_shipped_team_size_data_volume_and_years_are_not_measured_results(
    ml_llm_flags: list[dict[str, Any]],
) -> None:
    text = "Team of 8 engineers, processed 10 TB of logs, 5 years of experience"

    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"no_code_links"}


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("Код: github.com/ivan-ml", "github.com/ivan-ml"),
        ("Models: https://huggingface.co/anna/bert-ru", "https://huggingface.co/anna"),
    ],
)
def test_shipped_code_host_link_is_code_links_not_no_code_links(
    ml_llm_flags: list[dict[str, Any]], text: str, link: str
) -> None:
    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"code_links"}
    assert matched(text, suggestions["code_links"]) == [link]


def test_shipped_github_on_request_without_a_url_is_no_code_links(ml_llm_flags: list[dict[str, Any]]) -> None:
    suggestions = suggest("GitHub: по запросу", ml_llm_flags)

    assert set(suggestions) == {"no_code_links"}
    assert suggestions["no_code_links"].whole_text is True


@pytest.mark.parametrize(
    "text",
    [
        "Email: ivan@github.com.example.com",
        # without the lookbehind, "github.com/ivan-ml" inside these would count as a link
        "Почта: ivan@github.com/ivan-ml",
        "Site: mygithub.com/ivan-ml",
    ],
)
def test_shipped_email_or_lookalike_domain_is_not_a_code_link(ml_llm_flags: list[dict[str, Any]], text: str) -> None:
    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"no_code_links"}


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("Опыт работы с AI", ["Опыт работы с AI"]),
        ("Использовал нейросети для решения бизнес-задач", ["Использовал нейросети", "для решения бизнес-задач"]),
        ("Experience with artificial intelligence", ["Experience with artificial intelligence"]),
    ],
)
def test_shipped_vague_ai_phrase_is_a_vague_claim(
    ml_llm_flags: list[dict[str, Any]], text: str, phrases: list[str]
) -> None:
    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"vague_claims", "no_code_links"}
    assert matched(text, suggestions["vague_claims"]) == phrases


def test_shipped_vague_phrase_with_specifics_in_the_same_line_is_not_vague(
    ml_llm_flags: list[dict[str, Any]],
) -> None:
    text = "Опыт работы с LLM: fine-tuned Llama 3 8B with LoRA, +9% accuracy"

    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"named_models_methods", "measured_results", "no_code_links"}


def test_shipped_prompt_engineering_alone_is_prompt_only(ml_llm_flags: list[dict[str, Any]]) -> None:
    text = "Prompt engineering for ChatGPT, writing prompts for marketing"

    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"prompt_only", "no_code_links"}
    assert matched(text, suggestions["prompt_only"]) == ["Prompt engineering"]


def test_shipped_prompt_engineering_with_fine_tuning_is_not_prompt_only(
    ml_llm_flags: list[dict[str, Any]],
) -> None:
    text = "Prompt engineering for ChatGPT, writing prompts for marketing\nFine-tuned BERT with PyTorch"

    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"named_models_methods", "no_code_links"}


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("Обучил GPT-3 с нуля на домашнем сервере", "Обучил GPT-3 с нуля"),
        ("Trained my own 70B LLM from scratch", "Trained my own 70B LLM from scratch"),
    ],
)
def test_shipped_large_model_from_scratch_is_implausible_training(
    ml_llm_flags: list[dict[str, Any]], text: str, claim: str
) -> None:
    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"implausible_training", "no_code_links"}
    assert matched(text, suggestions["implausible_training"]) == [claim]


def test_shipped_own_llm_on_top_of_llama_with_lora_is_not_implausible(ml_llm_flags: list[dict[str, Any]]) -> None:
    text = "Обучил свою LLM на базе Llama 3 8B с помощью LoRA"

    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"named_models_methods", "no_code_links"}


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Kaggle: silver medal in LLM Science Exam", "Kaggle: silver medal"),
        ("2 место на хакатоне по NLP", "хакатоне"),
    ],
)
def test_shipped_kaggle_medal_or_hackathon_is_competitions(
    ml_llm_flags: list[dict[str, Any]], text: str, evidence: str
) -> None:
    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"competitions", "no_code_links"}
    assert matched(text, suggestions["competitions"]) == [evidence]


def test_shipped_three_named_libraries_are_named_libraries(ml_llm_flags: list[dict[str, Any]]) -> None:
    text = "PyTorch, Transformers, vLLM"

    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"named_libraries", "no_code_links"}
    assert matched(text, suggestions["named_libraries"]) == ["PyTorch", "Transformers", "vLLM"]


@pytest.mark.parametrize(
    "text",
    ["Python, SQL, Excel", "PyTorch for training; pytorch for serving"],
    ids=["general-tools-only", "one-library-twice"],
)
def test_shipped_general_tools_or_one_library_twice_are_not_named_libraries(
    ml_llm_flags: list[dict[str, Any]], text: str
) -> None:
    suggestions = suggest(text, ml_llm_flags)

    assert set(suggestions) == {"no_code_links"}


def test_a_wrapped_bullet_is_one_segment_but_a_name_above_a_link_is_not() -> None:
    flag = {
        "key": "paired",
        "kind": "green",
        "rules": [{"id": "pair", "any": [r"\bllama\b"], "with_nearby": [r"\bqlora\b"]}],
    }
    wrapped = normalise(
        "- Fine-tuned Llama for the support team, with a long explanation here\n  using QLoRA adapters\n"
    )
    separate = normalise("- Fine-tuned Llama for support.\n- Separately tried QLoRA on a toy model.\n")

    assert [s.key for s in analyse(wrapped, [flag])] == ["paired"]
    assert analyse(separate, [flag]) == []
    link = {"key": "link", "kind": "green", "rules": [{"id": "gh", "any": [r"github\.com/\S+"]}]}
    evidence = analyse(normalise("Vera Ivanova\nhttps://github.com/vera\n"), [link])[0].evidence[0]
    assert (evidence.quote, evidence.line) == ("https://github.com/vera", 2)
