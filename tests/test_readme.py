"""The README's examples work as written: its policy validates, its API call runs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from auditor.findings import Severity, Status
from auditor.plan import plan
from auditor.policy import load_policy
from auditor.registry import load_checks

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
HIRING = REPO / "examples" / "hiring"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def _block(title: str, lang: str, marker: str) -> str:
    blocks = re.findall(rf"^```{lang}\n(.*?)^```", _section(title), re.M | re.S)
    found = [b for b in blocks if marker in b]
    assert len(found) == 1, f"README.md '## {title}': expected one ```{lang} block with {marker!r}"
    return found[0]


def test_readme_policy_example_validates(tmp_path: Path) -> None:
    text = _block("Policies", "yaml", "waivers:")
    path = tmp_path / "my-team.yaml"
    path.write_text(text, encoding="utf-8")
    policy = load_policy(path)
    planned = {p.check.id: p for p in plan(policy, load_checks())}
    fair001 = planned["FAIR001"]
    assert fair001.severity is Severity.CRITICAL
    # every option the README sets reaches the check with the README's value
    raw = yaml.safe_load(text)["checks"]["FAIR001"]["options"]
    assert raw, "the README example sets FAIR001 options"
    for name, value in raw.items():
        assert getattr(fair001.options, name) == value, name
    assert "PII005" not in planned  # `PII005: false`
    assert "FAIR002" in planned and "RUN002" in planned  # the family prefix; waiver review
    (waiver,) = policy.waivers
    assert (waiver.check, waiver.location) == ("FAIR001", "feature:race_ethnicity/*")
    assert waiver.expires.isoformat() == "2027-03-31"
    assert policy.fail_on is Severity.HIGH and policy.name == "my-team"


def _api_call_kwargs(snippet: str) -> dict:
    """The keyword arguments of the README's ``auditor.audit(...)`` call, as literals."""
    import ast

    tree = ast.parse(snippet)
    call = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "auditor.audit"
    )
    return {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords if kw.arg}


def test_readme_api_example_runs_on_the_hiring_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snippet = _block("Python API", "python", "auditor.audit(")
    kwargs = _api_call_kwargs(snippet)
    # the README's columns are the bundled example's (examples/hiring/audit.yaml)
    config = yaml.safe_load((HIRING / "audit.yaml").read_text(encoding="utf-8"))
    for key in ("target", "prediction", "score", "sensitive", "positive_label", "policy"):
        assert kwargs[key] == config[key], key
    assert '"applicants.csv"' in snippet
    shutil.copy(HIRING / "applicants.csv", tmp_path / "applicants.csv")
    monkeypatch.chdir(tmp_path)  # the snippet reads applicants.csv and writes audit-report/
    namespace: dict = {}
    exec(compile(snippet, "README.md (Python API)", "exec"), namespace)
    report = namespace["report"]
    # the hiring model selects some groups at well under four fifths of the top group's rate
    assert report.verdict == "fail", [(r.check, r.detail) for r in report.results if r.detail]
    assert not [r.check for r in report.results if r.status is Status.ERRORED]
    fair001 = report.result("FAIR001")
    for key, value in kwargs["overrides"].items():
        check_id, option = key.split(".")
        assert report.result(check_id).options[option] == value  # the override reached it
    assert fair001.status is Status.FAILED
    assert report.run["overrides"] == kwargs["overrides"]
    assert sorted(p.name for p in (tmp_path / "audit-report").iterdir()) == [
        "audit.html",
        "audit.json",
        "audit.junit.xml",
        "audit.md",
        "audit.sarif",
    ]


def test_readme_waiver_covers_the_whole_feature_everywhere_it_is_counted(tmp_path: Path) -> None:
    """The README's waiver (``feature:race_ethnicity/*``) waives FAIR001's race_ethnicity finding
    itself, and the waived problem leaves every count: the gate, JUnit and SARIF."""
    import json
    import xml.etree.ElementTree as ET

    import auditor
    from auditor.render import render

    path = tmp_path / "my-team.yaml"
    path.write_text(_block("Policies", "yaml", "waivers:"), encoding="utf-8")
    config = yaml.safe_load((HIRING / "audit.yaml").read_text(encoding="utf-8"))
    report = auditor.audit(
        str(HIRING / "applicants.csv"),
        **{k: config[k] for k in ("target", "prediction", "score", "sensitive", "positive_label")},
        policy=str(path),
    )
    fair001 = {f.location: f for f in report.result("FAIR001").findings}
    race = fair001["feature:race_ethnicity"]
    assert race.status is Status.WAIVED
    assert race.waiver is not None and race.waiver["approved_by"] == "Dana Lee (Model Risk)"
    assert fair001["feature:sex"].status is Status.FAILED  # only that feature
    data = report.to_dict()
    blocking = data["gate"]["blocking"]
    assert race.id not in {b["finding"] for b in blocking}
    junit = ET.fromstring(render(data, "junit"))
    sarif = json.loads(render(data, "sarif"))
    errors = [r for r in sarif["runs"][0]["results"] if r.get("level") == "error"]
    assert int(junit.get("failures")) == len(errors) == len(blocking)
    waived = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert [r["partialFingerprints"]["auditorFindingId/v1"] for r in waived] == [race.id]
