"""Assert an audit's gate inside your own test suite (the pytest plugin ships with auditor).

Run from the repository root:

    python -m pytest examples/ci/test_model_audit.py --auditor-report-dir audit-report/

Each audit run through the ``auditor_audit`` fixture writes its JSON, HTML and Markdown reports to
``audit-report/<test name>/``.

The bundled hiring data (examples/hiring/applicants.csv) is *deliberately biased*, so this example
asserts what the data shows: the EEOC four-fifths gate fails, and exactly which findings block it
(one per feature and intersection, ``feature:sex``) and which groups each names (in its
``evidence["groups"]``). In your own suite you assert the opposite, and a failing gate fails the test with every
blocking finding listed, one per line::

    from auditor.pytest_plugin import assert_audit_passes

    def test_hiring_model_passes_the_fairness_gate(auditor_audit):
        report = auditor_audit(
            "data/applicants.csv", prediction="selected", target="qualified",
            sensitive=["sex", "race_ethnicity"], policy="eeoc-four-fifths", fail_on="high",
        )
        assert_audit_passes(report)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.pytest_plugin import AuditFailed, assert_audit_passes

DATA = Path(__file__).resolve().parents[1] / "hiring" / "applicants.csv"


def test_biased_hiring_model_fails_the_fairness_gate(auditor_audit):
    report = auditor_audit(
        DATA,
        prediction="selected",
        target="qualified",
        sensitive=["sex", "race_ethnicity"],
        policy="eeoc-four-fifths",
        fail_on="high",
    )
    data = report.to_dict()
    assert report.verdict == "fail"
    blocking = {b["finding"] for b in data["gate"]["blocking"]}
    assert {b["check"] for b in data["gate"]["blocking"]} == {"FAIR001"}  # selection-rate ratio
    # one finding per feature (and per intersection), the groups below four fifths in its evidence
    findings = {
        f["location"]: f for r in data["results"] for f in r["findings"] if f["id"] in blocking
    }
    groups = {loc: {g["group"]: g for g in f["evidence"]["groups"]} for loc, f in findings.items()}
    assert {loc: set(g) for loc, g in groups.items()} == {
        "feature:sex": {"Female"},
        "feature:race_ethnicity": {
            "Black or African American",
            "Hispanic or Latino",
            "Native Hawaiian or Pacific Islander",
        },
        "feature:sex×race_ethnicity": {
            "Female×Asian",
            "Female×Black or African American",
            "Female×Hispanic or Latino",
            "Female×Native Hawaiian or Pacific Islander",
            "Female×Two or More Races",
            "Female×White",
            "Male×American Indian or Alaska Native",
            "Male×Black or African American",
            "Male×Hispanic or Latino",
            "Male×Native Hawaiian or Pacific Islander",
        },
    }
    # the headline names the worst clear gap of each subject
    first = {loc: f["evidence"]["groups"][0]["group"] for loc, f in findings.items()}
    assert first == {
        "feature:sex": "Female",
        "feature:race_ethnicity": "Black or African American",
        "feature:sex×race_ethnicity": "Female×Black or African American",
    }
    female = groups["feature:sex"]["Female"]
    assert (female["reference_group"], round(female["impact_ratio"], 3)) == ("Male", 0.617)
    assert findings["feature:sex"]["message"].startswith("Women are selected at 62% of men's rate")
    # the four-fifths pack decides on the point estimate (29 CFR 1607.4(D)): a group whose gap is
    # not statistically significant still counts, and its evidence is reported next to it
    for f in findings.values():
        assert f["evidence"]["decided_on"] == "estimate"
        assert all(
            g["impact_ratio"] < 0.8 and g["counts_for_gate"] for g in f["evidence"]["groups"]
        )
    pacific = groups["feature:race_ethnicity"]["Native Hawaiian or Pacific Islander"]
    assert (pacific["n"], pacific["evidence"]) == (33, "inconclusive")
    # what a team's passing assertion reports when the gate fails: every blocking finding
    with pytest.raises(AuditFailed) as failed:
        assert_audit_passes(report)
    lines = str(failed.value).splitlines()
    assert lines[0].endswith(": 3 blocking")
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  [high] FAIR001 feature",  # one line per blocking finding: check, subject, headline
    ] * 3
    (sex,) = [line for line in lines if line.startswith("  [high] FAIR001 feature:sex: ")]
    assert sex.startswith("  [high] FAIR001 feature:sex: Women are selected at 62% of men's rate")
    assert "962 women, 1,038 men" in sex
