"""The shipped CI integration examples stay consistent with the CLI they call."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from auditor.cli import _parser

CI = Path(__file__).resolve().parents[2] / "examples" / "ci"


def test_github_workflow_runs_uploads_summarises_and_fails_on_the_exit_code() -> None:
    wf = yaml.safe_load((CI / "model-audit.yml").read_text())
    steps = {s.get("name", s.get("uses")): s for s in wf["jobs"]["audit"]["steps"]}
    audit = steps["Audit"]["run"]
    assert "set +e" in audit
    assert 'echo "exit_code=$?" >> "$GITHUB_OUTPUT"' in audit
    # the flags the workflow passes exist and parse
    args = _parser().parse_args(
        ["run", "--config", "audit.yaml", "--format", "json,md,html,junit,sarif", "--out",
         "audit-report", "--baseline", "baseline/audit.json", "--fail-on", "new"]
    )  # fmt: skip
    assert args.baseline == Path("baseline/audit.json")
    assert args.fail_on == "new"
    assert "--format json,md,html,junit,sarif --out audit-report" in audit
    assert "--baseline baseline/audit.json --fail-on" in audit
    assert (
        'cat audit-report/audit.md >> "$GITHUB_STEP_SUMMARY"'
        in steps["Write the report to the step summary"]["run"]
    )
    assert steps["Upload the report"]["uses"].startswith("actions/upload-artifact@")
    assert (
        steps["Upload SARIF to code scanning"]["with"]["sarif_file"] == "audit-report/audit.sarif"
    )
    fail = steps["Fail when the gate failed"]
    assert fail["if"] == "steps.audit.outputs.exit_code != '0'"
    assert "exit 1" in fail["run"]


def test_pytest_example_uses_the_plugin_fixture() -> None:
    tree = ast.parse((CI / "test_model_audit.py").read_text())
    funcs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert [a.arg for a in funcs[0].args.args] == ["auditor_audit"]
    assert "assert_audit_passes" in (CI / "test_model_audit.py").read_text()
