"""Each bundled transparency pack end to end: its requirement rows, clauses and verdicts."""

from __future__ import annotations

import pytest
from trn_data import DATA, _in_repo_root, screening_frame  # noqa: F401

from auditor.api import run_audit
from auditor.config import AuditConfig
from auditor.transparency.requirements import load_standard, standard_names

PACKS = [
    ("transparency", "Transparency core", 16),
    ("eu-ai-act", "EU AI Act", 65),
    ("nist-ai-rmf", "NIST AI RMF", 35),
    ("hf-model-card", "Hugging Face model card", 25),
    ("iso-42001", "ISO/IEC 42001", 32),
]


def audit(policy: str, card=DATA / "model_card.yaml", **extra):
    config = AuditConfig(
        data=screening_frame(), prediction="pred", target="label", sensitive=("sex",), card=card,
        policy=policy, **extra,
    )  # fmt: skip
    return run_audit(config, progress=False)


def test_shipped_standard_sets() -> None:
    assert standard_names() == [
        "datasheet", "eu-ai-act", "hf-model-card", "iso-42001", "nist-ai-rmf", "transparency",
    ]  # fmt: skip
    for name in standard_names():
        s = load_standard(name)
        assert s.rules
        assert all(r.clause and r.standard == s.standard for r in s.rules)
        keys = [(r.field, r.clause) for r in s.rules]
        assert len(keys) == len(set(keys)), f"{name}: duplicate (field, clause) rows"


@pytest.mark.parametrize(("pack", "standard", "n_rows"), PACKS)
def test_pack_rows(pack: str, standard: str, n_rows: int) -> None:
    report = audit(pack)
    rows = report.result("TRN101").tables["fields"]
    assert len(rows) == n_rows
    assert {r["standard"] for r in rows} == {standard}
    assert set(rows[0]) == {
        "field",
        "standard",
        "clause",
        "status",
        "location",
        "value_excerpt",
        "measured",
        "confidence",
    }
    by = {(r["field"], r["clause"]): r for r in rows}
    if pack == "eu-ai-act":
        assert by[("model.base_model", "Annex IV 2(a)")]["status"] == "not_applicable"
        assert (
            by[("model.base_model", "Annex IV 2(a)")]["value_excerpt"]
            == "not applicable: trained from scratch"
        )
        assert by[("oversight.human", "Art. 13(3)(d)")]["status"] == "placeholder"
        assert by[("logging.mechanism", "Art. 13(3)(f)")]["status"] == "missing"
        assert (
            by[("results.by_group", "Art. 13(3)(b)(v)")]["status"] == "contradicted"
        )  # F rate 0.4 vs 0.25
        # the pack also demands a datasheet (Annex IV 2(d))
        [absent] = report.result("TRN100").findings
        assert absent.location == "datasheet"
        assert report.verdict == "fail"
        assert report.exit_code == 1
    if pack == "nist-ai-rmf":
        assert by[("data.contains_pii", "MEASURE 2.10")]["status"] == "present"
        assert by[("fairness.assessment", "MEASURE 2.11")]["status"] == "missing"
    if pack == "iso-42001":
        assert by[("card.approved_by", "cl. 7.5.2")]["status"] == "missing"
        assert by[("license", "A.10.2")]["status"] == "present"


def test_hf_pack_on_default_template() -> None:
    report = audit("hf-model-card", card=DATA / "hf_template_README.md")
    rows = report.result("TRN101").tables["fields"]
    present = sorted({r["field"] for r in rows if r["status"] == "present"})
    assert present == ["license", "model.name"]
    assert {r["status"] for r in rows} == {"present", "placeholder"}
    findings = report.result("TRN101").findings
    assert len(findings) == 22  # one per unfilled field (results.overall is cited twice)
    f = next(f for f in findings if f.evidence["field"] == "use.out_of_scope")
    assert f.message == (
        "The model card leaves the field use.out_of_scope unanswered (placeholder text '[More "
        "Information Needed]'), but Hugging Face model card (Uses > Out-of-Scope Use) requires an "
        "answer."
    )
    assert f.detail == (
        "card field use.out_of_scope is a placeholder (placeholder text '[More Information Needed]'); "
        "required by Hugging Face model card Uses > Out-of-Scope Use"
    )
    assert f.severity.label == "high"
    assert "'### Out-of-Scope Use'" in f.recommendation
    assert report.result("TRN207").status.value == "passed"  # apache-2.0 is a valid Hub/SPDX id


def test_default_pack_runs_trn_without_card() -> None:
    config = AuditConfig(data=screening_frame(), prediction="pred", policy="default")
    report = run_audit(config, progress=False)
    # nothing to read: TRN100 is skipped (issue 11), not "passed"
    assert report.result("TRN100").status.value == "skipped"
    assert report.result("TRN100").missing_inputs == ("card", "datasheet")
    assert report.result("TRN101").status.value == "skipped"
    assert report.result("TRN101").detail == "no model card: give --card PATH"
