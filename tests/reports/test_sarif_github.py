"""The hiring example's SARIF, as GitHub code scanning ingests it (issue 14 item 1).

Real CLI runs (``python -m auditor run``) of the bundled example, a failing and a passing gate,
replayed through GitHub's ingestion rules (codeql-action ``upload-lib``): every result has a
location with a relative ``artifactLocation.uri`` and a region ``startLine >= 1``, a
fingerprint, a message; nothing depends on ``kind`` (code scanning ignores it: every result is an
alert); ``automationDetails.id`` only with a category; ``security-severity`` only on PII results,
never on rules. Then the OASIS schema, and ``sarif summary`` (sarif-tools) counting the open
findings by level.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
HIRING = ROOT / "examples" / "hiring"
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
#: GitHub's security-severity bands, by the finding's own severity
BANDS = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


def _run(out: Path, *extra: str) -> tuple[dict[str, Any], dict[str, Any], int]:
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "run", "-c", str(HIRING / "audit.yaml"),
         "--format", "json,sarif", "--out", str(out), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    sarif = json.loads((out / "audit.sarif").read_text(encoding="utf-8"))
    report = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    return sarif, report, proc.returncode


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, int]:
    # an absolute --data inside the repository, and a category
    out = tmp_path_factory.mktemp("failing")
    return _run(out, "--data", str(HIRING / "applicants.csv"), "--sarif-category", "rai/hiring")


@pytest.fixture(scope="module")
def passing(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, int]:
    return _run(tmp_path_factory.mktemp("passing"), "--fail-on", "critical")


def github_ingestion_errors(doc: dict[str, Any]) -> list[str]:
    """The checks GitHub's upload runs on each result, and the ones that turn results into
    wrong alerts."""
    errors: list[str] = []
    for run in doc["runs"]:
        bases = run.get("originalUriBaseIds", {})
        for rule in run["tool"]["driver"]["rules"]:
            if "security-severity" in rule.get("properties", {}):
                errors.append(f"rule {rule['id']}: security-severity on the rule")
        for i, res in enumerate(run["results"]):
            where = f"result {i} ({res.get('ruleId')})"
            if not res.get("message", {}).get("text"):
                errors.append(f"{where}: no message.text")
            if res.get("kind", "fail") != "fail" or res.get("level") == "none":
                errors.append(f"{where}: kind {res.get('kind')} would be an open alert")
            if res.get("baselineState") == "absent":
                errors.append(f"{where}: a resolved finding would be an open alert")
            locs = res.get("locations") or []
            if not locs:
                errors.append(f"{where}: locationFromSarifResult: expected at least one location")
            for loc in locs:
                phys = loc.get("physicalLocation") or {}
                art = phys.get("artifactLocation") or {}
                uri = art.get("uri", "")
                if not uri or uri.startswith(("/", "file:")) or re.match(r"^[A-Za-z]:", uri):
                    errors.append(f"{where}: uri {uri!r} not relative to the repository")
                if ".." in uri.split("/"):
                    errors.append(f"{where}: uri {uri!r} leaves the repository")
                if art.get("uriBaseId") != "%SRCROOT%" or "%SRCROOT%" not in bases:
                    errors.append(f"{where}: uri not based on %SRCROOT%")
                if (phys.get("region") or {}).get("startLine", 0) < 1:
                    errors.append(f"{where}: no region startLine >= 1 (no fingerprint)")
            if not res.get("partialFingerprints"):
                errors.append(f"{where}: no partialFingerprints")
            sev = (res.get("properties") or {}).get("security-severity")
            if sev is not None:
                try:
                    if not 0.0 <= float(sev) <= 10.0:
                        errors.append(f"{where}: security-severity {sev} out of range")
                except ValueError:
                    errors.append(f"{where}: security-severity {sev!r} not a number")
        auto = run.get("automationDetails")
        if auto is not None and not str(auto.get("id", "")).strip("/"):
            errors.append("automationDetails.id empty")
    return errors


def open_findings(report: dict[str, Any]) -> list[tuple[dict, dict]]:
    return [(r, f) for r in report["results"] for f in r["findings"]]


@pytest.mark.parametrize("gate", ["failing", "passing"])
def test_github_accepts_the_hiring_sarif(gate: str, request: pytest.FixtureRequest) -> None:
    sarif, report, code = request.getfixturevalue(gate)
    assert code == (1 if gate == "failing" else 0)
    assert report["verdict"] == ("fail" if gate == "failing" else "pass")
    assert github_ingestion_errors(sarif) == []
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(sarif)] == []
    run = sarif["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.resolve().as_uri() + "/"
    # one result per open finding (no passed/skipped check is a result), by finding id
    ids = Counter(r["partialFingerprints"]["auditorFindingId/v1"] for r in run["results"])
    assert ids == Counter(f["id"] for _, f in open_findings(report))
    checks = run["properties"]["checks"]
    assert checks["passed"] == ["FAIR009", "RUN001", "RUN002", "TRN208"]
    assert [s["check"] for s in checks["skipped"]] == [
        "FAIR006", "PII005", "PII006", "PII007", "PII008"]  # fmt: skip
    # error results are exactly the gate's blocking findings
    errors = {r["partialFingerprints"]["auditorFindingId/v1"] for r in run["results"]
              if r["level"] == "error"}  # fmt: skip
    assert errors == {b["finding"] for b in report["gate"]["blocking"]}
    assert len(errors) == (22 if gate == "failing" else 0)


def test_locations_point_into_the_repository(failing: tuple[dict, dict, int]) -> None:
    sarif, report, _ = failing
    run = sarif["runs"][0]
    by_id = {r["partialFingerprints"]["auditorFindingId/v1"]: r for r in run["results"]}
    config_lines = (HIRING / "audit.yaml").read_text(encoding="utf-8").splitlines()
    for r, f in open_findings(report):
        phys = by_id[f["id"]]["locations"][0]["physicalLocation"]
        uri, line = phys["artifactLocation"]["uri"], phys["region"]["startLine"]
        kind = f["location"].split(":", 1)[0]
        if kind in ("card", "datasheet"):
            _, path, number = f["location"].rsplit(":", 2)
            assert uri == Path(path).resolve().relative_to(ROOT).as_posix()
            assert line == int(number)
        elif kind in ("column", "dataset"):  # the config's data: line names the dataset
            assert (uri, config_lines[line - 1].split(":")[0]) == (
                "examples/hiring/audit.yaml",
                "data",
            )
        elif kind == "feature":
            assert (uri, config_lines[line - 1].split(":")[0]) == (
                "examples/hiring/audit.yaml",
                "sensitive",
            )
    # the absolute --data is relative to the repository root in the SARIF
    [dataset] = [a for a in run["artifacts"] if a["location"]["uri"].endswith(".csv")]
    assert dataset["location"] == {"uri": "examples/hiring/applicants.csv",
                                   "uriBaseId": "%SRCROOT%"}  # fmt: skip
    assert report["inputs"]["dataset"]["path"] == str(HIRING / "applicants.csv")


def test_security_severity_only_on_pii_by_the_findings_own_severity(
    failing: tuple[dict, dict, int],
) -> None:
    sarif, report, _ = failing
    by_id = {
        r["partialFingerprints"]["auditorFindingId/v1"]: r for r in sarif["runs"][0]["results"]
    }
    seen = Counter()
    for r, f in open_findings(report):
        props = by_id[f["id"]]["properties"]
        if r["family"] == "pii" and f["severity"] in BANDS:
            assert props["security-severity"] == BANDS[f["severity"]], (r["check"], f["severity"])
            seen[(r["check"], f["severity"])] += 1
        else:
            assert "security-severity" not in props, r["check"]
    # the two the per-rule value misstated: PII003 high, PII001 low
    assert seen[("PII003", "high")] == 1 and seen[("PII001", "low")] == 1


def test_category_only_when_given(failing: tuple, passing: tuple) -> None:
    run = failing[0]["runs"][0]
    assert run["automationDetails"] == {"id": f"rai/hiring/{failing[1]['run']['id']}"}
    assert "automationDetails" not in passing[0]["runs"][0]


def test_sarif_tools_summary_counts_open_findings_by_level(
    failing: tuple[dict, dict, int], tmp_path: Path
) -> None:
    sarif, report, _ = failing
    path = tmp_path / "audit.sarif"
    path.write_text(json.dumps(sarif), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "sarif", "summary", str(path)],
                          capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    counts = {m["level"]: int(m["n"]) for m in
              re.finditer(r"^(?P<level>error|warning|note): (?P<n>\d+)$", proc.stdout, re.M)}  # fmt: skip
    expected = Counter(r["level"] for r in sarif["runs"][0]["results"])
    assert counts == dict(expected) == {"error": 22, "warning": 10, "note": 5}
    assert sum(counts.values()) == len(open_findings(report))


def test_render_takes_source_root_and_category(failing: tuple, tmp_path: Path) -> None:
    """``render --format sarif`` re-bases the paths on another root and sets a category."""
    report = tmp_path / "audit.json"
    report.write_text(json.dumps(failing[1]), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "render", str(report), "--format", "sarif",
         "--source-root", str(ROOT / "examples"), "--sarif-category", "other"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    run = json.loads(proc.stdout)["runs"][0]
    assert run["automationDetails"]["id"].startswith("other/")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"] for loc in r["locations"]}  # fmt: skip
    assert "hiring/audit.yaml" in uris and "hiring/model_card.yaml" in uris
    bad = subprocess.run(
        [sys.executable, "-m", "auditor", "render", str(report), "--format", "sarif",
         "--source-root", str(tmp_path / "nope")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and "--source-root" in bad.stderr and "not a folder" in bad.stderr


def test_baseline_run_regressions_and_resolved_pass_github_ingestion() -> None:
    """With a baseline: regressions are located results (the config's policy line, else line 1),
    a resolved finding is no result but listed in the run's properties."""
    from reports_fixture import baseline_pair

    from auditor.render import render

    _, new = baseline_pair()
    run = json.loads(render(new, "sarif"))["runs"][0]
    assert github_ingestion_errors({"runs": [run]}) == []
    regressions = [r for r in run["results"] if "auditorRegression/v1" in r["partialFingerprints"]]
    failed = [g for g in new["baseline"]["regressions"] if g["failed"]]
    assert len(regressions) == len(failed) >= 1
    resolved = [f["id"] for f in new["baseline"]["absent"]]
    assert [f["id"] for f in run["properties"]["resolved"]] == resolved
    assert not {r["partialFingerprints"].get("auditorFindingId/v1") for r in run["results"]} & set(
        resolved
    )
