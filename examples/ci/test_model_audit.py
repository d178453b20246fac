"""Assert the audit passes inside your own test suite (the pytest plugin ships with auditor).

    python -m pytest tests/test_model_audit.py --auditor-report-dir audit-report/

Each audit run through the ``auditor_audit`` fixture writes its JSON, HTML and Markdown reports to
``audit-report/<test name>/``; a failing gate fails the test with the blocking findings listed.
"""

from __future__ import annotations

from auditor.pytest_plugin import assert_audit_passes


def test_hiring_model_passes_the_fairness_gate(auditor_audit):
    report = auditor_audit(
        "examples/hiring/applicants.csv",
        prediction="selected",
        target="qualified",
        sensitive=["sex", "race_ethnicity"],
        policy="eeoc-four-fifths",
        fail_on="high",
    )
    assert_audit_passes(report)
