"""The Markdown field extractor reads cards as people write them (issue 15): heading synonyms at any level,
bold/plain/table labels, tables, HTML remnants, setext headings, front matter and key sentences in prose,
each with its line. The snippets are the forms the issue measured on real cards."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.transparency.document import Document
from auditor.transparency.load_hf import load_hf_readme
from auditor.transparency.load_sheet import load_datasheet_markdown
from auditor.transparency.requirements import evaluate, resolve, rules_for


def card(text: str) -> Document:
    return load_hf_readme(text, "README.md")


def found(doc: Document, key: str) -> tuple[str, int | None, str, object]:
    status, _, fv, _ = resolve([key], [doc])
    if fv is None:
        return status, None, "", None
    return status, fv.line, fv.confidence, fv.value


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


LLM_CARD = """# **Model Details**

**Model Developers** Meta

**Variations** Llama comes in a range of parameter sizes.

**Input** Models input text only.

**Output** Models generate text only.

**Model Architecture** Llama is an auto-regressive language model that uses an optimized transformer architecture.

**License** A custom commercial license is available at: https://ai.meta.com/resources/models-and-libraries/llama-downloads/

**Where to send questions or comments about the model** Instructions on how to provide feedback can be found in the model README.

## Intended Use
**Intended Use Cases** Llama is intended for commercial and research use in English.

**Out-of-scope Uses** Use in any manner that violates applicable laws or regulations.

## Hardware and Software
**Training Factors** We used custom training libraries and Meta's Research Super Cluster.

**Carbon Footprint** Pretraining utilized a cumulative 3.3M GPU hours of computation on hardware of type A100-80GB.

## Benchmarks

| Model | Size | Code | Commonsense Reasoning | MMLU |
|---|---|---|---|---|
| Llama 2 | 7B | 16.8 | 63.9 | 45.3 |

## Safety & Security

We red-teamed the model for prompt injection and cyber attack uplift.

## Ethical Considerations and Limitations
Llama is a new technology that carries risks with use. Its outputs may be inaccurate or biased.
"""


def test_bold_labels_without_colon_are_read_with_their_lines() -> None:
    doc = card(LLM_CARD)
    assert found(doc, "provider.name")[:2] == ("present", line_of(LLM_CARD, "**Model Developers**"))
    assert found(doc, "provider.name")[3] == "Meta"
    assert found(doc, "license")[:2] == ("present", line_of(LLM_CARD, "**License**"))
    assert str(found(doc, "license")[3]).startswith("A custom commercial license")
    assert found(doc, "provider.contact")[:2] == ("present", line_of(LLM_CARD, "Where to send"))
    assert found(doc, "io.input_spec")[3] == "Models input text only."
    assert found(doc, "io.output_spec")[3] == "Models generate text only."
    assert found(doc, "model.architecture")[0] == "present"
    assert found(doc, "use.out_of_scope")[:2] == ("present", line_of(LLM_CARD, "Out-of-scope Uses"))


def test_benchmark_table_is_results_metrics_and_no_false_name() -> None:
    doc = card(LLM_CARD)
    assert found(doc, "results.overall")[:3] == (
        "present",
        line_of(LLM_CARD, "| Model | Size"),
        "high",
    )
    # "# **Model Details**" is a section name, not the model's name
    assert found(doc, "model.name")[0] == "missing"
    assert found(doc, "compute.training")[:2] == (
        "present",
        line_of(LLM_CARD, "**Training Factors**"),
    )
    assert found(doc, "security")[0] == "present"
    assert found(doc, "limitations")[0] == "present"
    assert found(doc, "risks")[0] == "present"


def test_heading_synonyms_empty_parents_html_and_titles() -> None:
    text = """# Model Card: Acme Screener

## Model Architecture: <br>
A gradient-boosted tree ensemble over 40 features.

### Release date
2024-03-01

## Input:
A CSV row with 40 numeric features.

## Output:
A score between 0 and 1; 0.5 is the decision threshold.

## Metrics

### Model performance measures
Accuracy, F1, false positive rate, false negative rate and AUPRC.

## Performance and Limitations
Accuracy 0.91 on the 2023 hold-out; worse on applicants with short work histories.

## Out-of-scope use cases
Not for credit decisions.

### Framework versions
- scikit-learn 1.4.2
"""
    doc = card(text)
    assert found(doc, "model.name")[3] == "Acme Screener"
    assert found(doc, "model.architecture")[:2] == ("present", line_of(text, "gradient-boosted"))
    assert found(doc, "model.release_date")[:2] == ("present", line_of(text, "2024-03-01"))
    assert found(doc, "io.input_spec")[:2] == ("present", line_of(text, "A CSV row"))
    assert found(doc, "io.output_spec")[:2] == ("present", line_of(text, "A score between"))
    # the empty parent is answered by its sub-section, not called a placeholder
    assert found(doc, "metrics")[0] == "present"
    assert found(doc, "limitations")[:2] == ("present", line_of(text, "Accuracy 0.91"))
    assert found(doc, "results.overall")[0] == "present"
    assert found(doc, "use.out_of_scope")[:2] == ("present", line_of(text, "Not for credit"))
    assert found(doc, "software.dependencies")[:2] == (
        "present",
        line_of(text, "scikit-learn 1.4.2"),
    )


def test_prose_sentences_are_found_with_low_confidence() -> None:
    text = """---
license: apache-2.0
datasets:
- imdb
pipeline_tag: text-classification
---

# distilbert-imdb

This model is a fine-tuned version of [distilbert-base-uncased](https://huggingface.co/distilbert-base-uncased) on the imdb dataset.
Researchers at Acme Labs developed the model, which was released on 12 March 2024.

## Model description

More information needed
"""
    doc = card(text)
    status, line, confidence, value = found(doc, "model.base_model")
    assert (status, line, confidence, value) == (
        "present", line_of(text, "fine-tuned version"), "low", "distilbert-base-uncased"
    )  # fmt: skip
    assert found(doc, "provider.name")[1:] == (line_of(text, "Researchers at"), "low", "Acme Labs")
    assert found(doc, "model.release_date")[1:] == (
        line_of(text, "released on"),
        "low",
        "12 March 2024",
    )
    # pipeline_tag gives the model type and task (front matter, high confidence)
    assert found(doc, "model.type")[:3] == ("present", line_of(text, "pipeline_tag"), "high")
    assert found(doc, "model.task")[3] == "text-classification"


def test_explicit_not_applicable_beats_a_prose_sentence() -> None:
    text = "# M\n\n- **Finetuned from model:** N/A: trained from scratch\n\nWe fine-tuned from bert-base later.\n"
    assert found(card(text), "model.base_model")[0] == "not_applicable"


def test_a_combined_heading_answers_only_the_subjects_it_speaks_of() -> None:
    text = "# m\n\n## Intended uses & limitations\n\nYou can use this model to tag invoices.\n"
    doc = card(text)
    assert found(doc, "use.intended")[0] == "present"
    assert found(doc, "limitations")[0] == "missing"
    text2 = (
        "# m\n\n## Intended uses & limitations\n\nTag invoices. It may fail on handwritten ones.\n"
    )
    assert found(card(text2), "limitations")[0] == "present"


def test_a_section_without_numbers_reports_no_result() -> None:
    text = (
        "# m\n\n## Performance\n\nSee [the paper](https://arxiv.org/abs/2212.04356) for results.\n"
    )
    assert found(card(text), "results.overall")[0] == "missing"


def test_results_table_by_group_and_counts_per_language_in_a_data_section() -> None:
    text = """# m

## Training data

| Language | Number of reviews |
| -------- | ----------------- |
| English  | 150k |

## Accuracy

| Language | Accuracy (exact) |
| -------- | ---------------- |
| English  | 67% |
| Dutch    | 57% |
"""
    doc = card(text)
    assert found(doc, "data.representativeness")[:2] == (
        "present",
        line_of(text, "Number of reviews"),
    )
    assert found(doc, "results.by_group")[:2] == ("present", line_of(text, "Accuracy (exact)"))
    assert found(doc, "metrics")[3] == ("Accuracy (exact)",)


def test_missing_field_points_at_the_nearest_heading() -> None:
    text = "---\nlicense: mit\n---\n# Acme\n\n## Model Details\n\n- **Developed by:** Acme\n\n## Uses\n\nScreening.\n"
    doc = card(text)
    rows = {r.field: r for r in evaluate(rules_for(["transparency"]), [doc])}
    assert rows["model.version"].status == "missing"
    assert rows["model.version"].location == f"card:README.md:{line_of(text, '## Model Details')}"
    assert rows["use.out_of_scope"].location == f"card:README.md:{line_of(text, '## Uses')}"


def test_setext_headings_and_conditional_not_applicable_in_a_datasheet(tmp_path: Path) -> None:
    text = """Datasheet: weather
=================

Motivation
----------

- **For what purpose was the dataset created?** To forecast rain.

Composition
-----------

- **Does the dataset relate to people?** No.

Collection process
------------------

- **Did the individuals in question consent to the collection and use of their data?**

    N/A

Uses
----

Forecasting.
"""
    doc = load_datasheet_markdown(text, "datasheet.md")
    assert doc.fatal is None
    status, _, fv, reason = resolve(["data.consent"], [doc])
    assert status == "not_applicable"
    assert (
        reason
        == f"the datasheet says the dataset does not relate to people (line {line_of(text, 'relate to people')})"
    )
    assert resolve(["datasheet.motivation"], [doc])[0] == "present"


def test_fields_table_has_a_confidence_column() -> None:
    text = "# m\n\nThis model is a fine-tuned version of bert-base-cased on conll2003.\n"
    rows = {r.field: r for r in evaluate(rules_for(["eu-ai-act"]), [card(text)])}
    assert rows["model.base_model"].table_row()["confidence"] == "low"
    assert rows["model.version"].table_row()["confidence"] is None


@pytest.mark.parametrize(
    ("placeholder", "status"),
    [("More information needed", "placeholder"), ("[More Information Needed]", "placeholder")],
)
def test_trainer_placeholders_still_reported(placeholder: str, status: str) -> None:
    text = f"# m\n\n## Intended uses & limitations\n\n{placeholder}\n"
    doc = card(text)
    assert found(doc, "use.intended")[0] == status
    assert found(doc, "limitations")[0] == status
