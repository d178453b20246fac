"""TRN208 card-consistent: a card (or datasheet) that contradicts itself, found with the line of each
problem, on real cards from public repositories and on cards written for these tests; real cards
written properly give no finding. Sources and licences: data/SOURCES.md ("consistency/").

Each card runs through the real loaders in a documentation-only context (no data), as ``auditor
run --card X`` runs it; the CLI tests run ``python -m auditor`` in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import validate_report
from trn_data import REPO, _in_repo_root, line_of  # noqa: F401

from auditor.api import run_audit
from auditor.checks.trn_card_consistent import card_consistent
from auditor.config import AuditConfig
from auditor.errors import ConfigError
from auditor.findings import CheckResult, Status
from auditor.inputs import build_context
from auditor.testing import run_check

DATA = Path(__file__).resolve().parent / "data" / "consistency"
REL = DATA.relative_to(REPO).as_posix()  # locations are relative to the repository root
MCT = DATA.parent / "mct" / "cats_vs_dogs_v0_0_2.json"  # the toolkit's own card (data/mct/)

#: real cards written properly (large labs, popular Hub models, Docker's catalogue): no finding
WELL_WRITTEN = [
    "meta-musicgen.md",
    "meta-magnet.md",
    "docker-gemma3.md",
    "docker-smollm3.md",
    "hf-openai_whisper-large-v3.md",
    "hf-distil-whisper_distil-large-v2.md",
    "hf-samlowe_roberta-base-go_emotions.md",
    "hf-databricks_dolly-v2-12b.md",
    "hf-allenai_olmo-7b.md",
    "hf-facebookai_roberta-large-mnli.md",
]


def check(card: str | Path | None = None, datasheet: str | Path | None = None,
          options: dict[str, Any] | None = None) -> CheckResult:  # fmt: skip
    """TRN208 on ``card`` / ``datasheet`` (names in data/consistency or paths), no data."""

    def where(x: str | Path | None) -> Path | None:
        return None if x is None else x if isinstance(x, Path) else DATA / x

    ctx = build_context(AuditConfig(card=where(card), datasheet=where(datasheet)))
    return run_check(card_consistent, ctx, options)


def at(name: str, text: str, role: str = "card") -> str:
    return f"{role}:{REL}/{name}:{line_of(DATA / name, text)}"


def table(result: CheckResult) -> dict[str, dict[str, Any]]:
    return {row["kind"]: dict(row) for row in result.tables["consistency"]}


# -- real cards ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", WELL_WRITTEN)
def test_real_cards_written_properly_have_no_finding(name: str) -> None:
    result = check(name)
    assert result.status is Status.PASSED, [f.message for f in result.findings]
    rows = table(result)
    assert set(rows) == {"identity", "ranges", "relations", "licence", "sections"}
    assert all(r["problems"] == 0 for r in rows.values())
    assert rows["identity"]["statements"] >= 1  # the card's names were read and compared


def test_well_written_cards_compare_many_statements() -> None:
    """The zero above is not from reading nothing: names, numbers and headings are compared."""
    totals = {k: 0 for k in ("identity", "ranges", "licence", "sections")}
    for name in WELL_WRITTEN:
        for kind, row in table(check(name)).items():
            if kind in totals:
                totals[kind] += row["statements"]
    assert totals["identity"] >= 25
    assert totals["ranges"] >= 40
    assert totals["licence"] >= 10
    assert totals["sections"] >= 10


def test_mct_card_interval_above_one() -> None:
    """The Model Card Toolkit's own cats-vs-dogs card: accuracy 0.993 with an interval up to 1.0033."""
    result = check(MCT)
    (f,) = result.findings
    assert f.location == f"card:{MCT.relative_to(REPO).as_posix()}:52"
    assert f.message == (
        "The model card reports an accuracy of 0.993289 (0.983289–1.00329) (line 52): the "
        "interval's upper bound 1.00329 is above 1 (100%), the largest accuracy possible."
    )
    assert f.severity.label == "medium"
    assert f.evidence["kind"] == "ranges"
    assert f.evidence["ci_high"] == pytest.approx(1.0032885766)
    assert "Wilson or Clopper-Pearson" in f.recommendation


def test_real_card_whose_code_loads_another_model() -> None:
    """mDeBERTa-v3-base-xnli-multilingual-nli-2mil7's card loads a sibling model in its example."""
    (f,) = check("hf-mdeberta-xnli-2mil7.md").findings
    assert f.location == at(
        "hf-mdeberta-xnli-2mil7.md", 'model="MoritzLaurer/mDeBERTa-v3-base-mnli-xnli"'
    )
    assert f.message == (
        "The model card names the model in 2 ways that cannot both be the same model: "
        "'DeBERTa-v3-base-xnli-multilingual-nli-2mil7' (the model-index name, line 53) and "
        "'MoritzLaurer/mDeBERTa-v3-base-mnli-xnli' (a code example, line 156). A reader cannot "
        "tell which model it documents."
    )
    assert [n["line"] for n in f.evidence["names"]] == [53, 156]


def test_real_card_titled_as_another_model() -> None:
    """Docker's Magistral Small card is titled Mistral-Small and runs ai/magistral-small-2506."""
    (f,) = check("docker-magistral-small-3.2.md").findings
    assert f.location == f"card:{REL}/docker-magistral-small-3.2.md:36"
    assert "'Mistral-Small-3.2-24B-Instruct-2506' (the title, line 1)" in f.message
    assert "'ai/magistral-small-2506' (a code example, line 36)" in f.message


def test_real_card_intended_uses_without_a_limitation() -> None:
    (f,) = check("hf-deformable-detr.md").findings
    assert f.location == at("hf-deformable-detr.md", "## Intended uses & limitations")
    assert f.message == (
        "The section 'Intended uses & limitations' (line 31) does not mention any limitation of "
        "the model, although its heading promises it: a reader looking for it finds nothing."
    )
    assert f.severity.label == "low"


def test_real_trainer_card_front_matter_hides_the_data_section() -> None:
    """`datasets: glue` in the front matter, "More information needed" under the data heading."""
    (f,) = check("hf-trainer-cola.md").findings
    assert f.location == at("hf-trainer-cola.md", "## Training and evaluation data")
    assert f.message.startswith(
        "The front matter lists the dataset 'glue' (line 5), but the section 'Training and "
        "evaluation data' (line 45) is left unfilled"
    )
    assert f.severity.label == "low"
    assert f.evidence["datasets"] == ["glue"]


# -- each kind on cards written for the tests ---------------------------------------------------


def test_three_model_ids_in_one_card() -> None:
    (f,) = check("written-three-ids.md").findings
    name = "written-three-ids.md"
    assert f.location == at(name, "# sentiment-roberta-large")
    assert f.message == (
        "The model card names the model in 3 ways that cannot all be the same model: "
        "'distilbert-imdb-sentiment' (the model-index name, line 11), 'sentiment-roberta-large' "
        "(the title, line 26) and 'acme-ml/review-classifier-v2' (a code example, line 51). A "
        "reader cannot tell which model it documents."
    )
    # the fine-tuning example loads the base model: not a fourth name
    assert "distilbert-base-uncased" not in f.message
    assert f.evidence["kind"] == "identity"


def test_two_versions_in_one_card() -> None:
    (f,) = check("written-versions.md").findings
    assert f.location == at("written-versions.md", "**Model version:**")
    assert f.message == (
        "The model card gives 2 different versions of the model: 1.2.0 (the front matter's "
        "version, line 3) and 1.3 (the 'Model version' label, line 9). A reader cannot tell which "
        "version the card describes."
    )
    # the changelog's "Version 1.1" and "Version 1.0" are past versions, not conflicts
    assert [v["version"] for v in f.evidence["versions"]] == ["1.2.0", "1.3"]


def test_values_and_intervals_outside_their_range() -> None:
    name = "written-ranges.md"
    result = check(name)
    got = {f.location: f.message for f in result.findings}
    assert got == {
        at(name, "value: 104.2"): "The model card reports a test F1 score of 104.2 (line 14), but "
        "F1 score is a proportion: it cannot be above 100%.",
        at(name, "95% CI 0.89–1.0033"): "The model card reports an accuracy of 0.91 (95% CI "
        "0.89–1.0033) (line 22): the interval's upper bound 1.0033 is above 1 (100%), the largest "
        "accuracy possible.",
        at(name, "| Precision |"): "The model card reports a precision of 0.88 (0.90–0.94) (line "
        "26): the lower bound 0.9 is above the value 0.88 itself, so the interval cannot be that "
        "value's.",
        at(name, "Validation loss: -0.12"): "The model card reports a validation loss of -0.12 "
        "(line 31), but a loss cannot be negative.",
    }
    # recall 0.84 (0.80–0.87), ROC AUC 0.93 [0.91, 0.95] and "Accuracy: 92.4%" are fine
    assert table(result)["ranges"]["statements"] == 7
    assert {f.severity.label for f in result.findings} == {"medium"}


def test_related_metrics_that_disagree() -> None:
    name = "written-relations.md"
    result = check(name)
    loss, complement = result.findings
    assert loss.location == at(name, "- Perplexity: 31.9")
    assert loss.message == (
        "The model card gives a validation loss of 3.2094 (line 15) and a validation perplexity of "
        "31.9 (line 16), but a loss of 3.2094 means a perplexity of about 24.8 (e^3.2094); the two "
        "numbers cannot both be right."
    )
    assert loss.evidence["exp_loss"] == pytest.approx(24.7637, abs=1e-3)
    assert complement.location == at(name, "the error rate is 0.612")
    assert complement.message == (
        "The model card gives an accuracy and an error rate that should add up to 1 (100%): "
        "accuracy 0.412 (line 27) and error rate 0.612 (line 27) add up to 1.024."
    )
    # the training-results rows (3.3391 -> 28.19, 3.2094 -> 24.76) agree: no finding there
    assert not [f for f in result.findings if f.location.endswith((":22", ":23"))]


def test_perplexity_tolerance_option() -> None:
    """31.9 is 29% above e^3.2094: a 30% tolerance accepts it; the sum of 1.024 still fails."""
    result = check("written-relations.md", options={"perplexity_tolerance": 0.3})
    assert [f.evidence["kind"] for f in result.findings] == ["relations"]
    assert "add up to 1.024" in result.findings[0].message


def test_licence_against_distribution_statement() -> None:
    name = "written-licence.md"
    (f,) = check(name).findings
    assert f.location == at(name, "internal use only")
    assert f.message == (
        "The model card says the model is not released outside its owner ('This model is for "
        "internal use only: it is not distributed to third parties and runs…', line 16), but also "
        "gives the licence mit (line 2) and a statement 'The model and its training code are "
        "available on GitHub under the MIT licence:' (line 21), which lets anyone obtain and pass "
        "it on. A reader cannot tell whether they may use the model."
    )
    # "The training data ... is not publicly available" (line 25) is about the data, not the model
    assert [s["line"] for s in f.evidence["restricted"]] == [16]


def test_data_kept_private_under_an_open_licence_is_consistent(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_text(
        textwrap.dedent(
            """\
            ---
            license: apache-2.0
            ---
            # acme-ner

            The model is released on the Hugging Face Hub. The training data (customer e-mails) is
            not publicly available and will not be released.
            """
        )
    )
    result = check(card)
    assert result.status is Status.PASSED
    assert table(result)["licence"]["statements"] == 2  # the licence and the public release


def test_datasheet_says_no_distribution_but_publishes() -> None:
    name = "written-datasheet.md"
    result = check(datasheet=name)
    (f,) = result.findings
    assert f.location == f"datasheet:{REL}/{name}:19"  # the answer "No."
    assert f.message.startswith(
        "The datasheet says the dataset is not released outside its owner ('Will the dataset be "
        "distributed to third parties outside…? No.', line 19), but also gives the licence CC BY "
        "4.0 (line 25) and a statement 'The dataset is publicly available on GitHub"
    )
    assert set(table(result)) == {"ranges", "relations", "licence"}  # identity is a card's


def test_sections_that_do_not_address_their_heading() -> None:
    name = "written-sections.md"
    result = check(name)
    got = {f.location: (f.severity.label, f.message) for f in result.findings}
    assert got == {
        at(name, "## Intended uses"): ("low", "The section 'Intended uses & limitations' (line 11) "
            "does not mention any limitation of the model, although its heading promises it: a "
            "reader looking for it finds nothing."),
        at(name, "## Bias, Risks"): ("low", "The section 'Bias, Risks, and Limitations' (line 15) "
            "does not mention any risk, bias or limitation, although its heading promises it: a "
            "reader looking for it finds nothing."),
        at(name, "## Training and evaluation data"): ("low", "The section 'Training and "
            "evaluation data' (line 19) does not mention which data was used, although its "
            "heading promises it: a reader looking for it finds nothing."),
    }  # fmt: skip


def test_structured_card_interval_relation_and_licence() -> None:
    """auditor's model_card.yaml: ci_low above the value, recall + miss rate, internal vs MIT."""
    name = "written-model_card.yaml"
    result = check(name)
    got = {f.evidence["kind"]: f for f in result.findings}
    assert set(got) == {"ranges", "relations", "licence"}
    assert got["ranges"].location == at(name, "value: 0.874")
    assert "the lower bound 0.881 is above the value 0.874 itself" in got["ranges"].message
    assert got["relations"].location == at(name, "metric: fnr")
    assert "add up to 1.06" in got["relations"].message
    assert got["licence"].location == at(name, "internal use only")
    assert "the licence MIT (line 7)" in got["licence"].message


def test_what_looks_odd_but_is_not() -> None:
    """A LoRA adapter card: base model in code and prose, a borrowed tokenizer, a descriptive title,
    a classification report (support 2000), "± 0.02" over seeds, recall@10, "improved by 2.1
    points", "Precision: bf16", limitations in their own section, data kept private."""
    result = check("written-fine.md")
    assert result.status is Status.PASSED, [f.message for f in result.findings]
    assert table(result)["ranges"]["statements"] >= 8


# -- options, safety, bounds ---------------------------------------------------------------------


def test_kinds_option_selects_what_is_compared() -> None:
    result = check("written-three-ids.md", options={"kinds": ["ranges", "relations"]})
    assert result.status is Status.PASSED
    assert set(table(result)) == {"ranges", "relations"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kinds": ["identity", "spelling"]}, "TRN208.options.kinds"),
        ({"perplexity_tolerance": 1.5}, "perplexity_tolerance"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        check("written-three-ids.md", options=options)


def test_skipped_without_documents(small_frame: Any) -> None:
    ctx = build_context(AuditConfig(data=small_frame))
    result = run_check(card_consistent, ctx)
    assert result.status is Status.SKIPPED
    assert result.missing_inputs == ("card", "datasheet")


def test_quoted_text_is_masked(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_text(
        "---\nlicense: mit\n---\n# acme-scorer\n\n"
        "This model is for internal use only; ask Jane Canary (jane.canary@acme.example) for access.\n"
    )
    (f,) = check(card).findings
    assert "jane.canary@acme.example" not in f.message
    assert "Jane Canary" not in f.message
    assert "internal use only" in f.message


def test_hostile_card_is_read_in_bounded_time(tmp_path: Path) -> None:
    """Long lines, thousands of promising headings, unclosed brackets and fences: no crash, and
    bounded work (lines are cut at 2,000 characters, at most 500 sections are judged)."""
    parts = ["---\nlicense: mit\nmodel_name: a\n---\n# b\n"]
    parts += ["accuracy 0.9 (95% CI 0.8 - " * 400 + "\n"] * 10
    parts += ["## Intended uses & limitations\nUse [it](http://x) **now**.\n"] * 1_500
    parts += ["| Accuracy | 95% CI |\n|---|---|\n" + "| 0.5 | 0.4–1.2 |\n" * 2_000]
    parts += ["```python\n" + 'from_pretrained("x/y")\n' * 1_000]
    card = tmp_path / "README.md"
    card.write_text("".join(parts))
    start = time.perf_counter()
    result = check(card)
    assert time.perf_counter() - start < 60
    assert result.status is Status.FAILED
    kinds = {f.evidence["kind"] for f in result.findings}
    assert "ranges" in kinds and "sections" in kinds


# -- packs and the command line -----------------------------------------------------------------


@pytest.mark.parametrize(
    "pack", ["transparency", "eu-ai-act", "nist-ai-rmf", "hf-model-card", "iso-42001", "default"]
)
def test_documentation_packs_run_trn208(pack: str) -> None:
    report = run_audit(AuditConfig(card=DATA / "written-ranges.md", policy=pack), progress=False)
    result = report.result("TRN208")
    assert result.status is Status.FAILED
    assert len(result.findings) == 4
    assert {f.severity.label for f in result.findings} == {"medium"}


def cli(*argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *map(str, argv)],
        cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_card_only_cli_run_gates_on_trn208(tmp_path: Path) -> None:
    """``auditor run --card X`` with a policy of TRN208 alone: the medium findings fail a medium
    gate (exit 1) at the card's lines; a consistent card passes (exit 0)."""
    policy = tmp_path / "consistency.yaml"
    policy.write_text("version: 1\nname: consistency\nfail_on: medium\nchecks:\n  TRN208: {}\n")
    out = tmp_path / "out"
    run = cli("run", "--card", DATA / "written-relations.md", "--policy", policy,
              "--format", "json", "--out", out, cwd=REPO)  # fmt: skip
    assert run.returncode == 1, run.stderr
    data = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    validate_report(data)
    (res,) = [r for r in data["results"] if r["check"] == "TRN208"]
    assert {b["check"] for b in data["gate"]["blocking"]} == {"TRN208"}
    assert data["gate"]["fail_on"] == "medium"
    assert [f["location"] for f in res["findings"]] == [
        f"card:{REL}/written-relations.md:16",
        f"card:{REL}/written-relations.md:27",
    ]
    ok = cli("run", "--card", DATA / "meta-musicgen.md", "--policy", policy,
             "--format", "json", "--out", tmp_path / "ok", cwd=REPO)  # fmt: skip
    assert ok.returncode == 0, ok.stderr
