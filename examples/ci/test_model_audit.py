"""Assert an audit's gate inside your own test suite (the pytest plugin ships with auditor).

Run from the repository root:

    python -m pytest examples/ci/test_model_audit.py --auditor-report-dir audit-report/

Each audit run through the ``auditor_audit`` fixture writes its JSON, HTML and Markdown reports to
``audit-report/<test name>/``.

The bundled hiring data (examples/hiring/applicants.csv) is *deliberately biased*, so this example
asserts what the data shows: the EEOC four-fifths gate fails, and exactly which checks and groups
block it. In your own suite you assert the opposite, and a failing gate fails the test with every
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
    blocking = data["gate"]["blocking"]
    assert {b["check"] for b in blocking} == {"FAIR001"}  # the selection-rate impact ratio
    locations = {
        f["location"]
        for r in data["results"]
        for f in r["findings"]
        if f["id"] in {b["finding"] for b in blocking}
    }
    single = {loc for loc in locations if "×" not in loc}
    assert single == {
        "feature:sex/group:Female",
        "feature:race_ethnicity/group:Black or African American",
        "feature:race_ethnicity/group:Hispanic or Latino",
        "feature:race_ethnicity/group:Native Hawaiian or Pacific Islander",
    }
    assert any("×" in loc for loc in locations)  # intersections (sex × race/ethnicity) too
    # what a team's passing assertion reports when the gate fails: every blocking finding
    with pytest.raises(AuditFailed) as failed:
        assert_audit_passes(report)
    assert f"{len(blocking)} blocking" in str(failed.value)
    assert "FAIR001 feature:sex/group:Female" in str(failed.value)
