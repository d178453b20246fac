"""The pytest plugin (entry point pytest11): a team asserts an audit passes in its own suite."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from reports_fixture import baseline_pair, canonical_report

from auditor.pytest_plugin import AuditFailed, assert_audit_passes
from auditor.report import Report


def test_assert_audit_passes_lists_blocking_findings() -> None:
    """One line per blocking problem (the gate's count), each with its check, its subject and its
    plain-language headline; the waived and the inconclusive findings are not listed."""
    report = Report.from_dict(canonical_report())
    with pytest.raises(AuditFailed) as exc:
        assert_audit_passes(report)
    assert isinstance(exc.value, AssertionError)
    assert str(exc.value).splitlines() == [
        "audit FAIL (report golden000001, gate fail on high): 2 blocking",
        "  [high] FAIR101 feature:race: The Black group is selected at 62% of the White group's "
        "rate (31.0% vs 50.0%; 95% CI 51–74%; 300 in the Black group, 500 in the White group); "
        "the four-fifths guideline is 80%.",
        "  [high] PII101 column:email: column 'email' holds EMAIL_ADDRESS in 100% of scanned values",
    ]


def test_assert_audit_passes_lists_crashed_checks_and_regressions() -> None:
    errored = Report.from_dict(canonical_report(errored=True))
    with pytest.raises(AuditFailed) as exc:
        assert_audit_passes(errored)
    lines = str(exc.value).splitlines()
    assert lines[0] == "audit ERROR (report golden000001, gate fail on high): 3 blocking"
    assert lines[3] == "  [errored] TRN310: KeyError: 'accuracy'"
    _, new = baseline_pair()
    with pytest.raises(AuditFailed) as exc:
        assert_audit_passes(Report.from_dict(new))
    lines = str(exc.value).splitlines()
    assert lines[0] == "audit FAIL (report golden000002, gate fail on high): 2 blocking"
    assert lines[1].startswith("  [high] FAIR101 feature:race: The Black group is selected")
    assert lines[2] == "  [regression] FAIR101 feature=sex, group=F: impact_ratio"


def test_assert_audit_passes_passes_a_passing_report() -> None:
    data = canonical_report()
    for r in data["results"]:
        for f in r["findings"]:
            f["severity"] = "medium" if f["severity"] == "high" else f["severity"]
    report = Report.from_dict(data)
    assert report.verdict == "pass"
    assert_audit_passes(report)  # open findings below the gate do not fail the test


def test_plugin_is_registered_through_the_entry_point() -> None:
    from importlib.metadata import entry_points

    names = {ep.value for ep in entry_points(group="pytest11")}
    assert "auditor.pytest_plugin" in names


def test_fixture_in_a_users_test_suite(tmp_path: Path) -> None:
    """A user's own pytest run: the fixture audits a CSV, writes reports, and the assert passes/fails."""
    (tmp_path / "data.csv").write_text("sex,y,p\n" + "F,1,1\nM,0,0\n" * 20)
    (tmp_path / "latin1.csv").write_bytes("name,p\nJosé,1\nZoë,0\n".encode("latin-1"))
    (tmp_path / "test_user_audit.py").write_text(
        textwrap.dedent("""
        import pytest

        from auditor.pytest_plugin import assert_audit_passes

        def test_model_passes(auditor_audit):
            report = auditor_audit("data.csv", target="y", prediction="p", sensitive=["sex"],
                                   policy={"checks": {"RUN": {}}})
            assert_audit_passes(report)
            assert report.verdict == "pass"

        def test_gate_failure_is_a_test_failure(auditor_audit):
            report = auditor_audit("latin1.csv", prediction="p", fail_on="low",
                                   policy={"checks": {"RUN": {}}})
            with pytest.raises(AssertionError, match="RUN001 dataset: file is not valid UTF-8"):
                assert_audit_passes(report)
    """)
    )
    reports = tmp_path / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--auditor-report-dir={reports}",
         "test_user_audit.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "2 passed" in proc.stdout
    assert sorted(p.name for p in (reports / "test_user_audit" / "test_model_passes").iterdir()) == [
        "audit.html", "audit.json", "audit.md"]  # fmt: skip


def test_report_folders_are_keyed_by_node_id(tmp_path: Path) -> None:
    """Two tests named alike in two modules (one in a package folder, one in a class) each keep
    their reports: the folder is the test's node id (module path, class, name), not its name."""
    (tmp_path / "data.csv").write_text("sex,y,p\n" + "F,1,1\nM,0,0\n" * 20)
    body = textwrap.dedent("""
        import pytest

        @pytest.mark.parametrize("fail_on", ["high", "low"])
        def test_model(auditor_audit, fail_on):
            auditor_audit("{csv}", target="y", prediction="p", sensitive=["sex"],
                          policy={{"checks": {{"RUN": {{}}}}}}, fail_on=fail_on)
            auditor_audit("{csv}", target="y", prediction="p", sensitive=["sex"],
                          policy={{"checks": {{"RUN": {{}}}}}})
    """)
    (tmp_path / "fair").mkdir()
    (tmp_path / "fair" / "test_audit.py").write_text(body.format(csv=tmp_path / "data.csv"))
    (tmp_path / "test_audit2.py").write_text(
        body.format(csv=tmp_path / "data.csv").replace("@pytest", "class TestAgain:\n    @pytest")
        .replace("\ndef test_model(auditor_audit,", "\n    def test_model(self, auditor_audit,")
        .replace("\n    auditor_audit(", "\n        auditor_audit(")
        .replace("\n                  policy", "\n                      policy")
    )  # fmt: skip
    reports = tmp_path / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
         f"--auditor-report-dir={reports}", "fair/test_audit.py", "test_audit2.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "4 passed" in proc.stdout
    folders = sorted(
        str(p.parent.relative_to(reports)).replace("\\", "/") for p in reports.rglob("audit.json")
    )
    assert folders == [
        "fair/test_audit/test_model[high]", "fair/test_audit/test_model[high]-2",
        "fair/test_audit/test_model[low]", "fair/test_audit/test_model[low]-2",
        "test_audit2/TestAgain/test_model[high]", "test_audit2/TestAgain/test_model[high]-2",
        "test_audit2/TestAgain/test_model[low]", "test_audit2/TestAgain/test_model[low]-2",
    ]  # fmt: skip
    gates = {
        f: json.loads((reports / f / "audit.json").read_text(encoding="utf-8"))["gate"]["fail_on"]
        for f in folders
    }
    assert gates["fair/test_audit/test_model[low]"] == "low"
    assert gates["test_audit2/TestAgain/test_model[low]-2"] == "high"
