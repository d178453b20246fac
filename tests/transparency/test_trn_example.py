"""The deliberately flawed card of examples/hiring: the report lists exactly which claims are false."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from trn_data import _in_repo_root  # noqa: F401

from auditor.api import run_audit
from auditor.config import load_config
from auditor.render import render

EXAMPLE = Path("examples/hiring")
CARD = "card:examples/hiring/model_card.yaml"


def line(text: str, file: str = "model_card.yaml") -> int:
    lines = (EXAMPLE / file).read_text().splitlines()
    return next(i for i, ln in enumerate(lines, 1) if text in ln)


@pytest.fixture(scope="module")
def report():
    return run_audit(load_config(EXAMPLE / "audit-card.yaml"), progress=False)


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE / "applicants.csv")


def claims(report, check: str) -> dict[str, dict]:
    return {r["subject"]: r for r in report.result(check).tables["claims"]}


def test_exactly_the_false_claims_fail(report) -> None:
    false = sorted(
        (r.check, f.location)
        for r in report.results
        if r.check.startswith("TRN2")
        for f in r.findings
    )
    assert false == sorted([
        ("TRN201", f"{CARD}:{line('metric: accuracy, value: 0.91')}"),
        ("TRN201", f"{CARD}:{line('metric: tpr, value: 0.55')}"),
        ("TRN202", f"{CARD}:{line('contains_pii: false')}"),
        ("TRN202", f"datasheet:examples/hiring/datasheet.md:{line('identifies individuals?', 'datasheet.md')}"),
        ("TRN203", f"{CARD}:{line('sensitive_attributes')}"),
        ("TRN204", f"{CARD}:{line('metric: impact_ratio')}"),
        ("TRN205", f"{CARD}:{line('sha256: 3c5f')}"),
        ("TRN206", f"{CARD}:{line('version: 2.1.0')}"),
        ("TRN207", f"{CARD}:{line('license: Apache 2')}"),
    ])  # fmt: skip


def test_claimed_and_measured_values(report, data: pd.DataFrame) -> None:
    correct = data["selected"] == data["qualified"]
    m = claims(report, "TRN201")
    assert m["accuracy"]["status"] == "contradicted"
    assert m["accuracy"]["claimed"] == 0.91
    assert m["accuracy"]["measured"] == pytest.approx(correct.mean(), abs=1e-6)
    black = data[(data["race_ethnicity"] == "Black or African American") & (data["qualified"] == 1)]
    tpr = m["tpr for race_ethnicity=Black or African American"]
    assert tpr["status"] == "contradicted"
    assert tpr["measured"] == pytest.approx(black["selected"].mean(), abs=1e-6)
    # the true claims are recognised as true
    for subject in ("precision", "roc_auc", "f1", "selection_rate for sex=Female"):
        assert m[subject]["status"] == "consistent", subject
    assert m["f1"]["claimed"] == 68.2  # as written; compared as a percentage
    assert m["f1"]["detail"].startswith("card claims f1 68.2 (read as 68.2%); measured 0.")
    f = claims(report, "TRN204")
    rates = data.groupby("sex")["selected"].mean()
    assert f["impact_ratio for sex"]["status"] == "contradicted"
    assert f["impact_ratio for sex"]["measured"] == pytest.approx(
        rates["Female"] / rates["Male"], abs=1e-6
    )
    assert f["demographic_parity_difference for sex"]["status"] == "consistent"


def test_data_and_artifact_claims(report) -> None:
    [pii_card, pii_sheet] = sorted(report.result("TRN202").findings, key=lambda f: f.location)
    flagged = {c["column"]: c["kind"] for c in pii_card.evidence["columns"]}
    # the card's "no personal data" is false: contact details and a special category are flagged
    assert flagged["email"] == "direct_identifier"
    assert flagged["phone"] == "direct_identifier"
    assert flagged["race_ethnicity"] == "special_category"
    assert pii_sheet.message == (
        "The datasheet says the data contains no personal data, but the audit found personal data "
        "in 5 columns: full_name, email, phone, race_ethnicity and recruiter_notes."
    )
    assert pii_card.message.startswith("The model card says the data contains no personal data")
    assert pii_sheet.detail.startswith("the datasheet states the data contains no personal data")
    assert pii_card.detail.startswith(
        f"the card states the data contains no personal data (key data.contains_pii at {CARD}:"
    )
    [sens] = report.result("TRN203").findings
    assert [u["column"] for u in sens.evidence["undeclared"]] == ["race_ethnicity"]
    [ds] = report.result("TRN205").findings
    assert ds.evidence["measured"] == report.to_dict()["inputs"]["dataset"]["sha256"]
    [ver] = report.result("TRN206").findings
    assert (ver.evidence["claimed"], ver.evidence["measured"]) == ("2.1.0", "2.3.0")
    [lic] = report.result("TRN207").findings
    assert (
        lic.evidence["problem"] == "'Apache' is not an SPDX license id (did you mean 'Apache-2.0'?)"
    )


def test_completeness_and_schema(report) -> None:
    [typo] = report.result("TRN100").findings
    assert typo.location == f"{CARD}:{line('expected_lifetme')}"
    assert "did you mean 'expected_lifetime'" in typo.message
    rows = report.result("TRN101").tables["fields"]
    status = {(r["field"], r["clause"]): r["status"] for r in rows}
    assert status[("use.out_of_scope", "Art. 13(3)(b)(iii)")] == "placeholder"
    assert status[("limitations", "Annex IV 3")] == "placeholder"
    assert status[("oversight.human", "Art. 13(3)(d)")] == "placeholder"  # "N/A" without a reason
    assert status[("monitoring.plan", "Annex IV 9")] == "not_applicable"
    assert status[("results.overall", "Art. 13(3)(b)(ii)")] == "contradicted"
    assert status[("use.intended", "Art. 13(3)(b)(i)")] == "present"
    assert report.exit_code == 1


def test_sarif_points_at_the_card_lines(report) -> None:
    sarif = json.loads(render(report.to_dict(), "sarif"))
    physical = set()
    for r in sarif["runs"][0]["results"]:
        loc = (r.get("locations") or [{}])[0].get("physicalLocation")
        if loc and loc["artifactLocation"]["uri"] == "examples/hiring/model_card.yaml":
            physical.add((r["ruleId"], loc["region"]["startLine"]))
    assert ("TRN206", line("version: 2.1.0")) in physical
    assert ("TRN207", line("license: Apache 2")) in physical
