"""The shipped requirement sets cite the clause that actually asks for each field, and the field -> clause
crosswalk in docs/transparency.md is the one generated from them (benchmarks/trn_crosswalk.py)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from auditor.transparency.loader import load_card
from auditor.transparency.requirements import (
    FIELD_KEYS,
    FieldRule,
    evaluate,
    load_standard,
    rules_for,
    standard_names,
)

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "transparency.md"


def _crosswalk() -> ModuleType:
    path = REPO / "benchmarks" / "trn_crosswalk.py"
    spec = importlib.util.spec_from_file_location("trn_crosswalk", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cited(name: str, field: str) -> list[str]:
    return [r.clause for r in load_standard(name).rules if r.field == field]


def _rules(name: str) -> tuple[FieldRule, ...]:
    return load_standard(name).rules


# --- the doc table is the generated one -------------------------------------------------------------


def test_doc_crosswalk_is_the_generated_one() -> None:
    cw = _crosswalk()
    doc = DOC.read_text(encoding="utf-8")
    assert cw.current_block(doc) == cw.crosswalk_markdown(), (
        "docs/transparency.md is stale: run python benchmarks/trn_crosswalk.py --write"
    )
    # the block sits in its section, and every shipped set is a column
    section = doc[doc.index("## Crosswalk of the shipped requirement sets") :]
    assert section.index(cw.BEGIN) < section.index("## Known limits")
    assert set(cw.SETS) == set(standard_names())
    header = next(
        line for line in cw.current_block(doc).splitlines() if line.startswith("| field |")
    )
    assert header == (
        "| field | transparency | eu-ai-act | nist-ai-rmf | hf-model-card | iso-42001 | datasheet |"
    )


def test_doc_rows_show_the_reviewed_citations() -> None:
    block = _crosswalk().current_block(DOC.read_text(encoding="utf-8"))
    rows = {line.split(" | ")[0]: line for line in block.splitlines() if line.startswith("| `")}
    assert rows["| `model.release_date`"] == (
        "| `model.release_date` | Model Details: model date | – | – | – | – | – |"
    )
    assert rows["| `compute.training`"].split(" | ")[2] == "Annex IV 2(c)"
    assert rows["| `metrics`"].split(" | ")[3] == "MEASURE 2.1"
    assert rows["| `model.name`"].split(" | ")[2] == "Annex V 1"
    # the per-set tables carry what each clause asks
    assert (
        "| Annex IV 2(c) | `compute.training` | – | medium | computational resources used to "
        "develop, train, test and validate |" in block
    )


def test_generator_cli_checks_the_doc() -> None:
    run = subprocess.run(
        [sys.executable, "benchmarks/trn_crosswalk.py", "--check"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


def test_generator_write_replaces_only_its_block(tmp_path: Path) -> None:
    cw = _crosswalk()
    doc = tmp_path / "transparency.md"
    stale = f"# Title\n\nhand-written\n\n{cw.BEGIN}\n| old | table |\n{cw.END}\n\n## Known limits\n"
    doc.write_text(stale, encoding="utf-8")
    assert cw.write(doc) is True
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nhand-written\n\n")
    assert text.endswith("\n\n## Known limits\n")
    assert cw.current_block(text) == cw.crosswalk_markdown()
    assert cw.write(doc) is False  # idempotent
    doc.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no crosswalk block"):
        cw.write(doc)


def test_packs_table_counts_are_the_sets_row_counts() -> None:
    doc = DOC.read_text(encoding="utf-8")
    packs = doc[doc.index("## Policy packs") : doc.index("## Statuses and placeholders")]
    counts = dict(re.findall(r"^\| `([a-z0-9-]+)` \| .*?: (\d+) rows", packs, re.M))
    assert counts == {
        name: str(len(_rules(name)))
        for name in ("transparency", "eu-ai-act", "nist-ai-rmf", "hf-model-card", "iso-42001")
    }
    assert counts["eu-ai-act"] == "65"


# --- the citations themselves -------------------------------------------------------------------------


def test_release_date_and_name_are_not_cited_to_annex_iv_1a() -> None:
    # Annex IV 1(a): "its intended purpose, the name of the provider and the version of the system
    # reflecting its relation to previous versions" -- nothing else
    assert {r.field for r in _rules("eu-ai-act") if r.clause == "Annex IV 1(a)"} == {
        "use.intended", "provider.name", "model.version", "model.previous_version",
    }  # fmt: skip
    for name in standard_names():
        assert "Annex IV 1(a)" not in _cited(name, "model.release_date"), name
        assert "Annex IV 1(a)" not in _cited(name, "model.name"), name
    assert _cited("eu-ai-act", "model.release_date") == []  # no AI Act clause asks for one
    assert _cited("eu-ai-act", "model.name") == ["Annex V 1"]  # declaration of conformity, point 1
    assert _cited("transparency", "model.release_date") == ["Model Details: model date"]


def test_computational_resources_are_checked() -> None:
    [row] = [r for r in _rules("eu-ai-act") if r.field == "compute.training"]
    assert (row.clause, row.severity) == ("Annex IV 2(c)", "medium")
    assert "computational resources" in row.note
    assert _cited("eu-ai-act", "compute.hardware") == ["Annex IV 1(e)"]  # where it runs
    [iso] = [r for r in _rules("iso-42001") if r.clause == "A.4.5"]
    assert "compute.training" in iso.alternatives


def test_metrics_are_not_cited_to_measure_1_1() -> None:
    for name in standard_names():
        assert not any(r.clause == "MEASURE 1.1" for r in _rules(name)), name
    assert _cited("nist-ai-rmf", "metrics") == ["MEASURE 2.1"]
    assert _cited("nist-ai-rmf", "results.overall") == ["MEASURE 2.3"]
    assert _cited("nist-ai-rmf", "robustness") == ["MEASURE 2.5"]


def test_changelog_does_not_answer_predetermined_changes() -> None:
    rows = [r for r in _rules("eu-ai-act") if r.field == "lifecycle.predetermined_changes"]
    assert [(r.clause, r.alternatives) for r in rows] == [
        ("Annex IV 2(f)", ()), ("Art. 13(3)(c)", ()),
    ]  # fmt: skip


def test_every_row_has_a_short_note_and_a_known_field() -> None:
    for name in standard_names():
        for r in _rules(name):
            assert r.note, (name, r.field, r.clause)
            assert len(r.note.split()) <= 12, (name, r.field, r.note)
            assert r.field in FIELD_KEYS and set(r.alternatives) <= FIELD_KEYS


# Annex IV points with their letters (Regulation (EU) 2024/1689, OJ text); Art. 13(3) letters, (b) with
# points (i)-(vii)
_ANNEX_IV = {"1": "abcdefgh", "2": "abcdefgh", **{str(p): "" for p in range(3, 10)}}
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii")
_EU_CLAUSE = re.compile(
    r"^(Annex IV (?P<point>[1-9])(\((?P<letter>[a-h])\))?"
    r"|Art\. 13\(3\)\((?P<art13>[a-f])\)(\((?P<roman>[ivx]+)\))?"
    r"|Art\. 10\([1-6]\)|Art\. 6|Annex V [1-8])$"
)


def test_eu_clauses_exist_and_cover_every_point_with_a_field() -> None:
    for r in _rules("eu-ai-act"):
        m = _EU_CLAUSE.match(r.clause)
        assert m, r.clause
        if m["point"]:
            letters = _ANNEX_IV[m["point"]]
            if letters:  # points 1 and 2 are cited by letter
                assert m["letter"] is not None and m["letter"] in letters, r.clause
            else:
                assert m["letter"] is None, r.clause
        if m["roman"]:
            assert m["art13"] == "b" and m["roman"] in _ROMAN, r.clause
    cited = {r.clause for r in _rules("eu-ai-act")}
    expected = {f"Annex IV 1({c})" for c in "abcde"} | {f"Annex IV 2({c})" for c in "abcdefgh"}
    expected |= {f"Annex IV {p}" for p in range(3, 10)}
    expected |= {f"Art. 13(3)({c})" for c in "abcdef"}
    expected |= {f"Art. 13(3)(b)({n})" for n in _ROMAN}
    assert expected <= cited, sorted(expected - cited)
    # 1(f) photographs, 1(g) user interface, 1(h) instructions for use: no card field holds them
    assert not cited & {"Annex IV 1(f)", "Annex IV 1(g)", "Annex IV 1(h)"}


# NIST AI RMF 1.0 Core: subcategories per category (Tables 1-4 of NIST AI 100-1)
_NIST = {
    "GOVERN": {1: 7, 2: 3, 3: 2, 4: 3, 5: 2, 6: 2},
    "MAP": {1: 6, 2: 3, 3: 5, 4: 2, 5: 2},
    "MEASURE": {1: 3, 2: 13, 3: 3, 4: 3},
    "MANAGE": {1: 4, 2: 4, 3: 2, 4: 3},
}


def test_nist_subcategories_exist() -> None:
    for r in _rules("nist-ai-rmf"):
        m = re.fullmatch(r"(GOVERN|MAP|MEASURE|MANAGE) (\d)\.(\d+)", r.clause)
        assert m, r.clause
        assert 1 <= int(m[3]) <= _NIST[m[1]][int(m[2])], r.clause
    assert _cited("nist-ai-rmf", "use.out_of_scope") == ["MAP 3.3"]  # targeted application scope
    assert _cited("nist-ai-rmf", "license") == ["MAP 4.1"]


# ISO/IEC 42001:2023 Table A.1 (secondary sources)
_ISO_CONTROLS = {
    "A.2.2", "A.2.3", "A.2.4", "A.3.2", "A.3.3", "A.4.2", "A.4.3", "A.4.4", "A.4.5", "A.4.6",
    "A.5.2", "A.5.3", "A.5.4", "A.5.5", "A.6.1.2", "A.6.1.3", "A.6.2.2", "A.6.2.3", "A.6.2.4",
    "A.6.2.5", "A.6.2.6", "A.6.2.7", "A.6.2.8", "A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.6",
    "A.8.2", "A.8.3", "A.8.4", "A.8.5", "A.9.2", "A.9.3", "A.9.4", "A.10.2", "A.10.3", "A.10.4",
}  # fmt: skip


def test_iso_controls_exist() -> None:
    assert len(_ISO_CONTROLS) == 38
    for r in _rules("iso-42001"):
        assert r.clause in _ISO_CONTROLS | {"cl. 7.5.2"}, r.clause
    assert _cited("iso-42001", "feedback.channel") == ["A.8.3"]  # external reporting


# huggingface_hub templates/modelcard_template.md @4c93d89: section headings and Model Description labels
_HF_HEADINGS = {
    "Model Details", "Model Description", "Model Sources", "Uses", "Direct Use", "Downstream Use",
    "Out-of-Scope Use", "Bias, Risks, and Limitations", "Recommendations",
    "How to Get Started with the Model", "Training Details", "Training Data", "Training Procedure",
    "Preprocessing", "Training Hyperparameters", "Speeds, Sizes, Times", "Evaluation",
    "Testing Data, Factors & Metrics", "Testing Data", "Factors", "Metrics", "Results", "Summary",
    "Model Examination", "Environmental Impact", "Technical Specifications",
    "Model Architecture and Objective", "Compute Infrastructure", "Hardware", "Software", "Citation",
    "Glossary", "More Information", "Model Card Authors", "Model Card Contact",
}  # fmt: skip
_HF_LABELS = {"Developed by", "Funded by", "Shared by", "Model type", "Language(s) (NLP)", "License",
              "Finetuned from model"}  # fmt: skip


def test_hf_clauses_name_template_sections() -> None:
    for r in _rules("hf-model-card"):
        for part in r.clause.split(" / "):
            if part.startswith(("front matter:", "title:")):
                continue
            path, _, label = part.partition(": ")
            assert set(path.split(" > ")) <= _HF_HEADINGS, r.clause
            assert not label or label in _HF_LABELS, r.clause


# --- end to end: the new row is evaluated on real cards on disk ---------------------------------------


def test_compute_training_row_on_cards(tmp_path: Path) -> None:
    card = tmp_path / "model_card.yaml"
    card.write_text(
        "schema_version: 1\nmodel:\n  name: Screener\n  version: '1.0'\n"
        "compute:\n  hardware: 1 vCPU\n  training: 4 x A100 for 12 GPU-hours\n",
        encoding="utf-8",
    )
    rules = [r for r in rules_for(["eu-ai-act"]) if r.clause in ("Annex IV 2(c)", "Annex V 1")]
    by = {(row.field, row.clause): row for row in evaluate(rules, [load_card(card)])}
    row = by[("compute.training", "Annex IV 2(c)")]
    assert (row.status, row.location, row.value_excerpt) == (
        "present", f"card:{card.as_posix()}:7", "4 x A100 for 12 GPU-hours",
    )  # fmt: skip
    assert by[("model.name", "Annex V 1")].status == "present"
    hiring = REPO / "examples" / "hiring" / "model_card.yaml"
    [row] = [r for r in evaluate(rules, [load_card(hiring)]) if r.field == "compute.training"]
    assert row.status == "missing"
