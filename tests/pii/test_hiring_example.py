"""The PII findings of the bundled hiring example under the default pack: one finding per problem,
the declared sensitive attribute reported as processed for bias testing, no HIPAA on hiring data."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from auditor.api import run_audit
from auditor.config import load_config
from auditor.report import Report

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "examples" / "hiring" / "audit.yaml"
QUASI = ["zip_code", "date_of_birth", "age", "sex"]


@pytest.fixture(scope="module")
def report() -> Report:
    return run_audit(load_config(CONFIG), progress=False)


def test_one_quasi_identifier_finding_naming_the_four_columns(report: Report) -> None:
    pii001 = report.result("PII001")
    by_location = {f.location: f for f in pii001.findings}
    assert sorted(by_location) == [
        "column:email",
        "column:full_name",
        "column:phone",
        "column:recruiter_notes",
        "dataset:quasi-identifiers",
    ]
    quasi = by_location["dataset:quasi-identifiers"]
    assert quasi.severity.label == "low"
    assert quasi.evidence["quasi_identifiers"] == QUASI
    assert [c["column"] for c in quasi.evidence["columns"]] == QUASI
    assert quasi.message == (
        "4 columns together can single people out: zip_code, date_of_birth, age and sex; see "
        "PII004 for how unique they make each record."
    )
    # linked to PII004's k-anonymity finding over the same columns
    [k_anon] = [f for f in report.result("PII004").findings if f.discriminator == "k-anonymity"]
    assert k_anon.location == "dataset:zip_code+date_of_birth+age+sex"
    assert quasi.relates_to == (k_anon.location,)
    assert k_anon.id in quasi.related and quasi.id in k_anon.related
    assert k_anon.message.startswith(
        "All 2,000 records are unique or nearly unique on zip_code, date_of_birth, age and sex: "
        "every record is in a group of fewer than 5 records with the same values (k-anonymity; "
    )
    email = by_location["column:email"]
    assert email.severity.label == "high"
    assert email.message == (
        "Column 'email' holds people's e-mail addresses (found in 1,000 of 1,000 sampled rows; "
        "detector confidence: very likely)."
    )
    # one finding per (criterion, subject): no two findings of a check share location and criterion
    for r in report.results:
        if r.check.startswith("PII"):
            keys = [(f.location, f.discriminator) for f in r.findings]
            assert len(keys) == len(set(keys)), r.check


def test_declared_sensitive_attribute_is_processed_for_bias_testing(report: Report) -> None:
    [race] = report.result("PII002").findings
    assert race.location == "column:race_ethnicity"
    assert race.severity.label == "low"  # declared in audit.yaml `sensitive:`: not a blocker
    assert race.evidence["declared_for_bias_testing"] is True
    assert race.message == (
        "Column 'race_ethnicity' holds racial or ethnic origin, a special category of personal "
        "data (GDPR Art. 9(1)); it is declared for bias testing, which needs a legal basis (GDPR "
        "Art. 9(2)(g); for high-risk AI systems EU AI Act Art. 10(5)) and safeguards."
    )
    assert race.id not in {b["finding"] for b in report.blocking}
    assert "PII002" not in {b["check"] for b in report.blocking}


def test_free_text_headline_has_the_n_and_the_interval(report: Report) -> None:
    [notes] = report.result("PII003").findings
    assert notes.message == (
        "In 6.7% of 1,000 sampled rows (67 rows; 95% CI 5.3%–8.4%) the free-text column "
        "'recruiter_notes' contains e-mail addresses or phone numbers."
    )
    pii001_notes = next(
        f for f in report.result("PII001").findings if f.location == "column:recruiter_notes"
    )
    assert notes.id in pii001_notes.related


def test_hipaa_safe_harbor_does_not_apply_to_hiring_data(report: Report) -> None:
    res = report.result("PII008")
    assert res.status.value == "skipped"
    assert res.findings == ()
    assert res.detail.startswith(
        "HIPAA Safe Harbor applies to health data (protected health information), and neither "
        "the policy nor the audit's metadata says this data is health data; to apply it, run "
        "with --policy hipaa-safe-harbor"
    )


def test_hipaa_pack_applies_safe_harbor() -> None:
    """``--policy hipaa-safe-harbor`` (the pack sets PII008 health_data: true) applies the check."""
    hipaa = run_audit(replace(load_config(CONFIG), policy="hipaa-safe-harbor"), progress=False)
    pii008 = hipaa.result("PII008")
    assert pii008.status.value == "failed"
    assert pii008.options["health_data"] is True
    letters = sorted(f.evidence["item"] for f in pii008.findings)
    assert letters == ["A", "B", "C", "D", "F"]  # one finding per identifier letter
    f = next(f for f in pii008.findings if f.evidence["item"] == "F")
    assert f.message == (
        "The data is not de-identified under HIPAA Safe Harbor: column 'email' and the free-text "
        "column 'recruiter_notes' hold e-mail addresses, one of the 18 kinds of identifier that "
        "must be removed."
    )
    assert f.relates_to == ("column:email", "column:recruiter_notes")
    assert f.evidence["applies_because"] == "the policy sets PII008 health_data: true"
    assert hipaa.exit_code == 1


def test_metadata_saying_health_data_applies_safe_harbor() -> None:
    config = load_config(CONFIG)
    config = replace(config, metadata={**dict(config.metadata or {}), "sector": "healthcare"})
    res = run_audit(config, progress=False).result("PII008")
    assert res.status.value == "failed"
    assert {f.evidence["applies_because"] for f in res.findings} == {
        "the audit's metadata sets sector: healthcare"
    }
