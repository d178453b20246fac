"""The evaluation on real documents (benchmarks/transparency_eval.py, issue 15 item 7): the DEV set and its
hand-made ground truth are complete and consistent, the harness scores what it says it scores, and TRN101
keeps at least the quality measured on the DEV set when this test was written (floors, not the acceptance
bounds: the field extractor is being rewritten; tighten these as it improves)."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from auditor.transparency.requirements import load_standard, standard_names

REPO = Path(__file__).resolve().parents[2]
REAL = REPO / "tests" / "transparency" / "data" / "real"
DEV = REAL / "dev"


def _harness() -> ModuleType:
    path = REPO / "benchmarks" / "transparency_eval.py"
    spec = importlib.util.spec_from_file_location("transparency_eval", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module while the class is built
    spec.loader.exec_module(module)
    return module


TE = _harness()


@pytest.fixture(scope="module")
def dev_result() -> Any:
    return TE.run("dev")


# --- the glossary, the documents and the truth ------------------------------------------------------


def test_glossary_defines_every_key_a_shipped_standard_asks_for() -> None:
    asked = {
        k
        for s in standard_names()
        for r in load_standard(s).rules
        for k in (r.field, *r.alternatives)
    }
    glossary = set(TE.glossary_keys())
    assert not asked - glossary, (
        f"FIELDS.md does not define {sorted(asked - glossary)}: add the key to the glossary and label it "
        "in every truth file (dev and heldout)"
    )
    assert {"compute.training", "datasheet.motivation", "data.consent"} <= glossary


def test_dev_set_has_the_kinds_the_issue_asks_for() -> None:
    truths = [TE.load_truth(p) for p in TE.truth_files("dev")]
    kinds = [t.kind for t in truths]
    assert 8 <= len(truths) <= 10
    assert kinds.count("datasheet") >= 2 and kinds.count("card") >= 6
    names = {t.document.name for t in truths}
    assert {"whisper.md", "clip.md"} <= names  # large-lab cards
    assert len([n for n in names if n.startswith("hf-")]) >= 3  # Trainer, model-index, community
    assert any(n.endswith(".json") for n in names)  # Model Card Toolkit
    assert TE.unlabelled("dev") == []


def test_every_dev_truth_labels_every_glossary_key_at_a_real_line() -> None:
    glossary = TE.glossary_keys()
    problems = [
        p
        for path in TE.truth_files("dev")
        for p in TE.validate_truth(TE.load_truth(path), glossary)
    ]
    assert problems == []


def test_truth_lines_hold_the_labelled_content() -> None:
    """Spot checks that the labels were made by reading: the line says what the field is."""
    expect = {
        ("whisper.md", "model.release_date"): "In December 2022",
        ("whisper.md", "data.training"): "680,000 hours of audio",
        ("whisper.md", "use.out_of_scope"): "caution against using Whisper",
        ("clip.md", "provider.contact"): "Google Form",
        ("alpaca-model-card.md", "license"): "Apache 2.0",
        ("hf-trainer-ner.md", "model.base_model"): "fine-tuned version of",
        ("hf-community-nlptown.md", "results.by_group"): "| Language | Accuracy",
        ("mct-cats-vs-dogs-v001.json", "tradeoffs"): "Recall vs Precision",
        ("zno-datasheet.md", "data.consent"): "Order of the Ministry",
        ("alpaca-datasheet.md", "data.contains_pii"): "no.",
    }
    for (doc, key), text in expect.items():
        tf = TE.load_truth(DEV / f"{Path(doc).stem}.truth.yaml")
        line = tf.document.read_text(encoding="utf-8").splitlines()[tf.fields[key].lines[0] - 1]
        assert text in line, (doc, key, line)
    # true gaps stay gaps: a placeholder or a heading alone is not an answer
    trainer = TE.load_truth(DEV / "hf-trainer-ner.truth.yaml")
    assert not trainer.fields["use.intended"].present  # "More information needed"
    assert not TE.load_truth(DEV / "alpaca-datasheet.truth.yaml").fields["data.consent"].present


def test_sources_name_every_dev_document_with_commit_and_licence() -> None:
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    dev = sources[sources.index("## dev") : sources.index("## heldout")]
    for tf in map(TE.load_truth, TE.truth_files("dev")):
        row = next((ln for ln in dev.splitlines() if f"`dev/{tf.document.name}`" in ln), None)
        assert row is not None, f"SOURCES.md has no row for dev/{tf.document.name}"
        assert re.search(r"@ [0-9a-f]{40}", row), row
        assert re.search(r"MIT|Apache-2\.0|CC-BY|BSD", row), row
    heldout = {p.name for p in (REAL / "heldout").glob("*") if not p.name.endswith(".truth.yaml")}
    assert not heldout & {p.name for p in DEV.iterdir()}, "a document is in both sets"


def test_held_out_sets_are_labelled_sourced_and_disjoint() -> None:
    """Structure only (the held-out sets are never scored in a test): every truth file labels every
    glossary key at a real line, every document has a truth file and a SOURCES.md row with commit and
    licence, and no document (by name or by content) is in two sets."""
    glossary = TE.glossary_keys()
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    seen: dict[bytes, str] = {}
    for s in TE.SETS:
        docs = [p for p in sorted((REAL / s).glob("*")) if not p.name.endswith(".truth.yaml")]
        for doc in docs:
            other = seen.setdefault(doc.read_bytes(), f"{s}/{doc.name}")
            assert other == f"{s}/{doc.name}", f"{s}/{doc.name} is the same document as {other}"
        if s == "dev":
            continue
        assert TE.unlabelled(s) == []
        problems = [
            p
            for path in TE.truth_files(s)
            for p in TE.validate_truth(TE.load_truth(path), glossary)
        ]
        assert problems == []
        for doc in docs:
            row = next((ln for ln in sources.splitlines() if f"`{s}/{doc.name}`" in ln), None)
            assert row is not None, f"SOURCES.md has no row for {s}/{doc.name}"
            assert re.search(r"@ [0-9a-f]{40}", row), row
            assert re.search(r"MIT|Apache-2\.0|CC-BY|BSD", row), row
    names = [p.name for s in TE.SETS for p in (REAL / s).glob("*")]
    assert len(names) == len(set(names)), "a file name is in two sets"
    assert len(TE.truth_files("heldout2")) == 10
    assert len(TE.truth_files("heldout3")) == 10
    assert len(TE.truth_files("heldout4")) == 10


# --- the harness scores what it says -----------------------------------------------------------------


def test_harness_counts_false_findings_missed_gaps_and_locations(tmp_path: Path) -> None:
    card = tmp_path / "card.md"
    card.write_text(
        "# Acme Scorer\n\n"  # 1
        "## Intended use\n\n"  # 3
        "Ranking loan applications for human review.\n\n"  # 5
        "## Limitations\n\n"  # 7
        "More information needed\n\n"  # 9
        "## Notes\n\n"  # 11
        "Trained on the public Lending dataset.\n",  # 13
        encoding="utf-8",
    )
    glossary = TE.glossary_keys()
    labels = {k: "missing" for k in TE.keys_for("card", glossary)}
    labels["model.name"] = {"present": 1}
    labels["use.intended"] = {"present": 5}
    # in prose only, under an unrelated heading: a tool that misses it makes a false finding
    labels["data.training"] = {"present": 13}
    labels["limitations"] = "missing"  # a placeholder -> a true finding
    truth = tmp_path / "card.truth.yaml"
    truth.write_text(
        json.dumps({"document": "card.md", "kind": "card", "fields": labels}), encoding="utf-8"
    )
    tf = TE.load_truth(truth)
    assert TE.validate_truth(tf, glossary) == []
    rules = TE.pack_rules("transparency")
    scored = {s.field: s for s in TE.score_document(tf, "transparency", rules)}
    assert scored["limitations"].status == "placeholder"
    assert scored["limitations"].verdict == "true_finding"
    assert scored["use.intended"].verdict == "true_present"
    assert scored["use.intended"].location_ok is True
    assert scored["model.name"].verdict == "true_present"
    # every row is judged, and the verdict follows status x truth
    for s in scored.values():
        reported = s.status in ("missing", "placeholder")
        want = {(True, True): "false_finding", (True, False): "true_finding",
                (False, True): "true_present", (False, False): "missed_gap"}  # fmt: skip
        assert s.verdict == want[(reported, bool(s.truth_lines))], s
    tally = TE.Tally()
    tally.add(list(scored.values()))
    assert tally.findings == sum(s.status in ("missing", "placeholder") for s in scored.values())
    assert tally.false_findings + tally.true_findings == tally.findings
    assert tally.true_gaps == sum(not s.truth_lines for s in scored.values())


def test_truth_file_mistakes_are_reported(tmp_path: Path) -> None:
    (tmp_path / "card.md").write_text("# Name\n\nText.\n", encoding="utf-8")
    truth = tmp_path / "card.truth.yaml"
    truth.write_text(
        "document: card.md\nkind: card\nfields:\n  model.name: {present: 2}\n  license: {present: 9}\n"
        "  datasheet.uses: missing\n",
        encoding="utf-8",
    )
    problems = TE.validate_truth(TE.load_truth(truth), TE.glossary_keys())
    assert "card.truth.yaml: model.name: line 2 is blank" in problems
    assert "card.truth.yaml: license: line 9 is outside the document (1-3)" in problems
    assert "card.truth.yaml: datasheet.uses is not a card key of FIELDS.md" in problems
    assert "card.truth.yaml: no label for use.intended" in problems
    truth.write_text(
        "document: card.md\nkind: card\nfields:\n  model.name: present\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"model\.name: expected 'missing' or"):
        TE.load_truth(truth)


# --- floors measured on the DEV set ------------------------------------------------------------------


def test_dev_set_scores_every_document_without_a_crash(dev_result: Any) -> None:
    r = dev_result
    assert r.crashes == [] and r.truth_problems == []
    assert len(r.documents) == len(TE.truth_files("dev"))
    cards = sum(t.kind == "card" for t in map(TE.load_truth, TE.truth_files("dev")))
    for pack in TE.CARD_PACKS:
        rules = len(TE.pack_rules(pack))
        assert r.packs[pack].rows == cards * rules
    assert r.packs["datasheet"].rows == 2 * len(TE.pack_rules("datasheet"))


def test_dev_set_quality_floors(dev_result: Any) -> None:
    """Measured on the issue-15 tree: 593 findings over 5 card packs and the datasheet set, false share
    0.025 (15 false), recall 0.995 (3 of 581 true gaps missed), 445/493 present fields located within
    3 lines (before the new reader: false share 0.378). The floors keep a small margin; the blind
    held-out figure is asserted in test_blind_held_out_set_floors."""
    o = dev_result.overall
    assert o.findings >= 550
    assert o.false_share <= 0.04
    assert o.recall >= 0.98
    assert o.location_accuracy >= 0.85
    for name, pack in dev_result.packs.items():
        assert pack.recall is None or pack.recall >= 0.90, name


def test_main_prints_the_table_and_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dev.json"
    assert TE.main(["--set", "dev", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| **overall** |" in printed and "## False findings" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["set"] == "dev" and data["crashes"] == [] and data["truth_problems"] == []
    assert set(data["packs"]) == {*TE.CARD_PACKS, "datasheet"}
    assert data["overall"]["findings"] == sum(p["findings"] for p in data["packs"].values())
    for row in data["overall"]["false"] + data["overall"]["missed"]:
        assert {"document", "pack", "field", "status", "location", "truth"} <= set(row)


@pytest.mark.parametrize(
    ("name", "pack"), [("hf-trainer-ner", "hf-model-card"), ("alpaca-datasheet", "datasheet")]
)
def test_scored_rows_are_those_of_a_card_only_audit(name: str, pack: str) -> None:
    """The fast path (load + evaluate) scores exactly the rows `auditor run --card` reports."""
    tf = TE.load_truth(DEV / f"{name}.truth.yaml")
    rules = TE.pack_rules(pack)
    fast = TE.score_document(tf, pack, rules)
    audited = TE.score_document(tf, pack, rules, via="audit")
    assert [(s.field, s.status, s.location.rsplit(":", 1)[-1]) for s in fast] == [
        (s.field, s.status, s.location.rsplit(":", 1)[-1]) for s in audited
    ]


def test_blind_held_out_set_floors() -> None:
    """heldout4 was run once, blind, and never tuned on: false share 0.193 (140 of 726 findings), recall
    0.903 (63 of 649 true gaps missed), 408/451 located. The old reader scored 0.360 / 0.992 on it.
    These floors guard the measured level (issue 15 stays blocked on the 0.05 bound; see
    docs/transparency.md, "How accurate the field check is")."""
    result = TE.run("heldout4")
    assert result.crashes == []
    o = result.overall
    assert o.false_share <= 0.21
    assert o.recall >= 0.89
    assert o.location_accuracy >= 0.85
