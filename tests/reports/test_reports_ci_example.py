"""The shipped CI integration examples stay consistent with the CLI they call, and work."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from auditor.cli import _parser

ROOT = Path(__file__).resolve().parents[2]
CI = ROOT / "examples" / "ci"


def _steps() -> dict[str, dict]:
    wf = yaml.safe_load((CI / "model-audit.yml").read_text())
    return {s.get("name", s.get("uses")): s for s in wf["jobs"]["audit"]["steps"]}


def test_github_workflow_runs_uploads_summarises_and_fails_on_the_exit_code() -> None:
    steps = _steps()
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


def _fetch_step() -> tuple[str, str]:
    name = next(n for n in _steps() if n.startswith("Fetch the baseline"))
    script = _steps()[name]["run"]
    m = re.search(r"--jq '([^']+)'", script)
    assert m, "the baseline lookup must select the run with a --jq filter"
    return script, m[1]


def test_baseline_is_the_newest_main_artifact_even_when_that_run_failed_the_gate() -> None:
    """A main run exiting 1 never has conclusion success: the lookup goes by artifact name."""
    script, _ = _fetch_step()
    assert "--status" not in script  # no filter on the run's conclusion
    assert "gh run list" not in script
    assert "actions/artifacts?name=audit-baseline" in script
    assert re.search(r"gh run download \"\$run_id\" .*--name audit-baseline --dir baseline", script)
    keep = _steps()["Keep this report as the next baseline"]
    assert keep["if"].startswith("always() && github.ref == 'refs/heads/main'")
    assert "exit_code != '2'" in keep["if"]  # a usage error wrote no report to keep
    assert keep["with"] == {"name": "audit-baseline", "path": "audit-report/audit.json",
                            "retention-days": 90}  # fmt: skip


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (apt-get install jq)")
def test_baseline_lookup_filter_on_an_artifacts_api_response() -> None:
    """Run the workflow's own jq filter on a response shaped like GitHub's artifacts API."""
    _, jq_filter = _fetch_step()

    def artifact(run: int, branch: str, created: str, expired: bool = False) -> dict:
        return {"name": "audit-baseline", "expired": expired, "created_at": created,
                "workflow_run": {"id": run, "head_branch": branch}}  # fmt: skip

    def pick(artifacts: list[dict]) -> str:
        doc = json.dumps({"total_count": len(artifacts), "artifacts": artifacts})
        out = subprocess.run(["jq", "-r", jq_filter], input=doc, capture_output=True, text=True,
                             check=True)  # fmt: skip
        return out.stdout.strip()

    response = [
        artifact(101, "main", "2026-11-01T10:00:00Z"),  # an old run whose gate passed
        artifact(107, "main", "2026-11-20T10:00:00Z"),  # newest main run; its gate failed
        artifact(109, "feature/x", "2026-11-21T10:00:00Z"),  # a branch run: never a baseline
        artifact(111, "main", "2026-11-22T10:00:00Z", expired=True),  # gone
    ]
    assert pick(response) == "107"
    assert pick(response[2:]) == ""  # nothing usable: the audit gates on severity only
    assert pick([]) == ""


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (apt-get install jq)")
@pytest.mark.parametrize(("version", "gated"), [(2, True), (1, False)])
def test_audit_step_skips_a_baseline_of_another_report_schema(
    tmp_path: Path, version: int, gated: bool
) -> None:
    """After an upgrade the newest main baseline is a schema 1 report, which ``--baseline``
    refuses (exit 2): the workflow's Audit step leaves it out for that run (gating on severity)
    instead of failing every run and never keeping a new baseline."""
    script = _steps()["Audit"]["run"]
    (tmp_path / "baseline").mkdir()
    (tmp_path / "baseline" / "audit.json").write_text(json.dumps({"schema_version": version}))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "auditor"  # records the arguments the workflow passes, exits "gate failed"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_FILE"\nexit 1\n')
    fake.chmod(0o755)
    env = {
        "PATH": os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), os.environ["PATH"]]),
        "AUDIT_CONFIG": "audit.yaml", "FAIL_ON": "new", "GITHUB_OUTPUT": str(tmp_path / "out"),
        "ARGS_FILE": str(tmp_path / "args"),
    }  # fmt: skip
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    args = (tmp_path / "args").read_text().split()
    assert (tmp_path / "out").read_text() == "exit_code=1\n"  # the exit code, never hidden
    assert args[:4] == ["run", "--config", "audit.yaml", "--format"]
    if gated:
        assert args[-4:] == ["--baseline", "baseline/audit.json", "--fail-on", "new"]
        assert "::warning::" not in proc.stdout
    else:
        assert "--baseline" not in args
        assert proc.stdout.strip() == (
            "::warning::the baseline is a schema_version 1 report and this auditor writes 2: "
            "gating on severity only in this run"
        )


def test_pytest_example_documents_both_assertions_with_the_right_path() -> None:
    source = (CI / "test_model_audit.py").read_text()
    tree = ast.parse(source)
    funcs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert [f.name for f in funcs] == ["test_biased_hiring_model_fails_the_fairness_gate"]
    assert [a.arg for a in funcs[0].args.args] == ["auditor_audit"]
    doc = ast.get_docstring(tree) or ""
    assert "python -m pytest examples/ci/test_model_audit.py" in doc
    assert "tests/test_model_audit.py" not in source
    assert "assert_audit_passes(report)" in doc  # how a team writes the passing assertion


def test_pytest_example_passes_against_the_bundled_biased_data(tmp_path: Path) -> None:
    """The example runs as a user runs it (its own pytest, the installed plugin) and passes."""
    out = tmp_path / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(CI),
         str(CI / "test_model_audit.py"), "--auditor-report-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "1 passed" in proc.stdout
    written = out / "test_biased_hiring_model_fails_the_fairness_gate"
    assert sorted(p.name for p in written.iterdir()) == ["audit.html", "audit.json", "audit.md"]
    data = json.loads((written / "audit.json").read_text())
    assert data["verdict"] == "fail"
    assert data["policy"]["name"] == "eeoc-four-fifths"
    assert len(data["gate"]["blocking"]) == 3  # FAIR001 for sex, race/ethnicity, the intersection
    md = (written / "audit.md").read_text().splitlines()
    assert md[1] == "### ❌ Audit FAIL: 3 blocking problems"
    assert [re.sub(r"^.* `FAIR001` ", "", ln) for ln in md if re.match(r"^\d\. ", ln)] == [
        "race\\_ethnicity", "sex", "sex × race\\_ethnicity"]  # fmt: skip
