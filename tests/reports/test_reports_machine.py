"""Markdown (PR comment), JUnit XML and SARIF 2.1.0, parsed and validated."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from reports_fixture import (
    COLUMN_PAYLOAD,
    RAW_EMAIL,
    baseline_pair,
    canonical_report,
    families_in,
)

from auditor.findings import fingerprint
from auditor.render import render
from auditor.render.markdown import (
    MAX_CHARS,
    ci_artifacts_url,
    render_markdown,
    truncate_markdown,
)
from auditor.render.view import table_columns

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


def sarif_errors(doc: dict) -> list[str]:
    validator = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]


# -- Markdown -------------------------------------------------------------------------------


def test_markdown_verdict_first_and_details_per_family() -> None:
    md = render(canonical_report(), "md")
    lines = md.splitlines()
    assert lines[0] == "<!-- auditor-report -->"  # marker for sticky PR comments
    assert lines[1] == "# Audit report: FAIL"
    assert md.index("| Open findings |") < md.index("### Findings") < md.index("<details>")
    assert md.count("<details>") == md.count("</details>") == 4  # run, fairness, pii, transparency
    assert RAW_EMAIL not in md


def test_markdown_cells_are_escaped() -> None:
    data = canonical_report()
    data["results"][1]["findings"][0]["message"] = "a | b\nc <b>x</b>"
    md = render(data, "md")
    assert "a \\| b c \\<b\\>x\\</b\\>" in md
    assert COLUMN_PAYLOAD not in md
    # every table row has as many cells as its header
    for block in md.split("\n\n"):
        rows = [r for r in block.splitlines() if r.startswith("|")]
        if len(rows) >= 2:
            widths = {r.replace("\\|", "").count("|") for r in rows}
            assert len(widths) == 1, block


FAMILIES = [
    "Run integrity",
    "Fairness across groups",
    "PII exposure",
    "Transparency and documentation",
]


def _huge_report() -> dict:
    """Every family far over the comment limit: 3,000-row tables, long messages, 400 findings."""
    data = canonical_report()
    rows = data["results"][1]["tables"]["groups"]
    big = [dict(rows[4], group=f"g{i}") for i in range(3000)]
    for r in data["results"]:
        r["tables"] = {**r["tables"], **{f"t{i}": big for i in range(3)}}
        proto = r["findings"][0] if r["findings"] else None
        if proto is not None:
            r["findings"] = [
                {**proto, "id": f"{r['check']}{i:05d}", "location": f"column:c{i}",
                 "message": f"finding {i}: " + "x" * 600, "waiver": None, "status": "failed"}
                for i in range(400)
            ]  # fmt: skip
    return data


def _cut_notes(md: str) -> dict[str, str]:
    """family title -> its 'Left out of this section' note ("" when nothing was cut)."""
    out = {}
    for block in md.split("<details><summary><b>")[1:]:
        title = block.split("</b>", 1)[0]
        note = [ln for ln in block.split("</details>")[0].splitlines() if "Left out of this" in ln]
        out[title] = note[0] if note else ""
    return out


def test_markdown_of_a_huge_report_keeps_every_family_within_the_limit() -> None:
    md = render_markdown(_huge_report(), artifacts_url="")
    assert len(md) <= MAX_CHARS
    assert families_in(md) == FAMILIES
    assert md.count("<details>") == md.count("</details>") == 4
    assert "**Truncated**" not in md  # laid out to fit, not cut off at the end
    assert "**Shortened to fit a pull-request comment** (60,000 characters)" in md
    notes = _cut_notes(md)
    # every family keeps its summary line with its counts, and says what it left out
    assert "<b>PII exposure</b>: 1 failed; 400 open, 0 waived</summary>" in md
    assert "<b>Fairness across groups</b>: 1 passed, 1 failed, 1 skipped; 400 open, 0 waived" in md
    left = {t: n.split("limit: ")[1].split(". The full")[0] for t, n in notes.items()}
    assert left == {
        "Run integrity": "18,001 of 18,001 table rows and 0 of 0 finding rows",
        "Fairness across groups": "27,009 of 27,009 table rows and 369 of 400 finding rows",
        "PII exposure": "9,003 of 9,003 table rows and 369 of 400 finding rows",
        "Transparency and documentation": "9,004 of 9,004 table rows and 369 of 400 finding rows",
    }
    for note in notes.values():
        assert "`audit.html` and `audit.json` next to this file" in note
    assert md.count("First 31 of 400 findings of this check shown") == 3
    assert "**t0**: 3000 rows, not shown here (comment limit)" in md


def test_markdown_keeps_a_whole_table_that_fits_though_longer_than_the_cut_cap() -> None:
    """A table of 300 rows fits a 5,000-character comment whole: it is not cut to the
    limit // 20 = 250 rows a cut would keep (the view is built with at most limit // 8 rows)."""
    data = canonical_report()
    data["results"] = [data["results"][0]]
    data["results"][0].update(tables={"t": [{"n": i % 10} for i in range(300)]}, findings=[])
    md = render_markdown(data, limit=5000, artifacts_url="")
    assert len(md) <= 5000
    assert "**Shortened" not in md
    assert "of 300 rows" not in md
    assert sum(1 for line in md.splitlines() if line in {f"| {n} |" for n in range(10)}) == 300
    assert render_markdown(data, limit=10**6, artifacts_url="") == md


def test_markdown_cut_points_to_the_ci_run_artifacts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/screener")
    monkeypatch.setenv("GITHUB_RUN_ID", "4242")
    url = "https://github.com/acme/screener/actions/runs/4242#artifacts"
    assert ci_artifacts_url() == url
    md = render(_huge_report(), "md")
    assert len(md) <= MAX_CHARS
    assert f"[CI run's artifacts]({url}) (`audit.html`, `audit.json`)" in md
    assert all(url in note for note in _cut_notes(md).values())
    monkeypatch.setenv("GITHUB_RUN_ID", "42; rm -rf /")
    assert ci_artifacts_url() is None  # only a well-formed run URL is ever printed
    assert ci_artifacts_url({"GITHUB_SERVER_URL": "javascript:x", "GITHUB_REPOSITORY": "a/b",
                             "GITHUB_RUN_ID": "1"}) is None  # fmt: skip


def test_markdown_small_report_is_not_cut() -> None:
    md = render_markdown(canonical_report(), artifacts_url="")
    assert "Shortened" not in md
    assert "Left out of this section" not in md
    assert truncate_markdown("short") == "short"


def test_markdown_shows_a_whole_54_row_field_matrix_when_it_fits() -> None:
    """No fixed row cap: the EU AI Act pack's 54 field rows are all shown within the budget."""
    data = canonical_report()
    trn = next(r for r in data["results"] if r["check"] == "TRN301")
    proto = trn["tables"]["fields"][1]
    trn["tables"]["fields"] = [dict(proto, field=f"annex_iv.field_{i:02d}") for i in range(54)]
    md = render_markdown(data, artifacts_url="")
    assert len(md) <= MAX_CHARS
    assert all(f"annex\\_iv.field\\_{i:02d}" in md for i in range(54))
    assert "(first" not in md and "Shortened" not in md


def test_markdown_top_findings_cover_every_family() -> None:
    md = render_markdown(canonical_report(), artifacts_url="")
    top = md.split("**Most important findings**")[1].split("### Findings")[0]
    items = [ln for ln in top.splitlines() if ln[:2] in ("1.", "2.", "3.", "4.")]
    assert [ln.split("`")[1] for ln in items] == ["FAIR101", "PII101", "TRN301"]
    assert "Consequence: personal data is exposed without adequate safeguards" in items[1]
    assert "(1 more from this check.)" in items[1]  # the medium PII101 finding


# -- JUnit# -- JUnit ----------------------------------------------------------------------------------


def test_junit_suites_cases_and_outcomes() -> None:
    root = ET.fromstring(render(canonical_report(errored=True), "junit"))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [
        "auditor.run",
        "auditor.fairness",
        "auditor.pii",
        "auditor.transparency",
    ]
    fair = suites["auditor.fairness"]
    cases = {c.get("name"): c for c in fair.findall("testcase")}
    black = cases["FAIR101 impact-ratio [feature:race/group:Black]"]
    assert black.find("failure").get("type") == "high"
    asian = cases["FAIR101 impact-ratio [feature:race/group:Asian]"]
    assert "Dana Ruiz" in asian.find("skipped").get("message")  # waived -> skipped
    assert cases["FAIR103 intersectional-groups [all]"].find("skipped") is not None
    trn = {c.get("name"): c for c in suites["auditor.transparency"].findall("testcase")}
    err = trn["TRN310 card-metric-consistency [all]"].find("error")
    assert err is not None
    assert "KeyError" in err.get("message")
    for s in suites.values():  # the counters agree with the cases
        cs = s.findall("testcase")
        assert int(s.get("tests")) == len(cs)
        assert int(s.get("failures")) == sum(c.find("failure") is not None for c in cs)
        assert int(s.get("skipped")) == sum(c.find("skipped") is not None for c in cs)
        assert int(s.get("errors")) == sum(c.find("error") is not None for c in cs)
    assert root.get("tests") == "11"
    assert root.get("failures") == "5"
    assert root.get("errors") == "1"
    pii = {c.get("name") for c in suites["auditor.pii"].findall("testcase")}
    assert f"PII101 pii-in-columns [column:{COLUMN_PAYLOAD}]" in pii  # parsed back as text


def test_junit_drops_xml_illegal_characters() -> None:
    data = canonical_report()
    data["results"][1]["findings"][0]["message"] = "bad \x00\x1b char"
    root = ET.fromstring(render(data, "junit"))
    assert root.find(".//failure").get("message") == "bad  char"


# -- SARIF ----------------------------------------------------------------------------------


def test_sarif_validates_against_the_official_schema() -> None:
    for data in (canonical_report(), canonical_report(errored=True), baseline_pair()[1]):
        doc = json.loads(render(data, "sarif"))
        assert sarif_errors(doc) == []


def test_sarif_validator_rejects_invalid_logs() -> None:
    doc = json.loads(render(canonical_report(), "sarif"))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    doc["runs"][0]["results"][1]["suppressions"] = [{"kind": "maybe"}]
    assert len(sarif_errors(doc)) >= 2


def test_sarif_rules_results_locations_and_suppressions() -> None:
    run = json.loads(render(canonical_report(errored=True), "sarif"))["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["FAIR101"]["helpUri"] == "https://fairlearn.org/main/user_guide/assessment/"
    assert "29 CFR 1607.4(D)" in rules["FAIR101"]["help"]["text"]
    by = {
        (r["ruleId"], r.get("partialFingerprints", {}).get("auditorFindingId/v1")): r
        for r in run["results"]
    }
    black = by[("FAIR101", "97a25da6b10f339d")]
    assert black["level"] == "error"
    assert black["kind"] == "fail"
    assert (
        black["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "data/applicants.csv"
    )
    assert (
        black["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        == "feature:race/group:Black"
    )
    asian = by[("FAIR101", "7587bd1fc5dfcdc4")]
    assert asian["suppressions"][0]["kind"] == "external"
    assert asian["suppressions"][0]["status"] == "accepted"
    card = next(r for r in run["results"] if r["ruleId"] == "TRN301")
    assert card["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "model_card.yaml"
    assert card["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    email = by[("PII101", "4a3f4d7e2c7fd405")]
    assert email["locations"][0]["logicalLocations"][0] == {
        "name": "email", "fullyQualifiedName": "column:email", "kind": "member"}  # fmt: skip
    kinds = {(r["ruleId"], r["kind"]) for r in run["results"]}
    assert ("RUN001", "pass") in kinds
    assert ("FAIR103", "notApplicable") in kinds
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["exitCode"] == 1
    assert inv["toolExecutionNotifications"][0]["descriptor"]["id"] == "TRN310"
    assert run["artifacts"][0]["hashes"]["sha-256"] == "ab" * 32


def test_sarif_baseline_states() -> None:
    run = json.loads(render(baseline_pair()[1], "sarif"))["runs"][0]
    states = {r.get("partialFingerprints", {}).get("auditorFindingId/v1"): r["baselineState"]
              for r in run["results"] if "partialFingerprints" in r}  # fmt: skip
    assert states["4a3f4d7e2c7fd405"] == "absent"  # the resolved email finding
    assert states["97a25da6b10f339d"] == "unchanged"
    assert states[fingerprint("TRN301", "card:model_card.yaml:12", "use.intended")] == "updated"
    assert all("baselineState" in r for r in run["results"])


@pytest.mark.parametrize(
    ("rows", "expected"), [([{"a": 1}, {"b": 2, "a": 3}], ["a", "b"]), ([], [])]
)
def test_table_columns_union_in_order(rows: list, expected: list) -> None:
    assert table_columns(rows) == expected


# -- metric regressions in the CI test tab and code scanning --------------------------------


def test_regressions_are_failing_junit_cases_and_sarif_errors() -> None:
    _, new = baseline_pair()
    failed = [r for r in new["baseline"]["regressions"] if r["failed"]]
    assert [(r["check"], r["subject"], r["metric"]) for r in failed] == [
        ("FAIR101", "feature=sex, group=F", "impact_ratio")]  # fmt: skip
    root = ET.fromstring(render(new, "junit"))
    fair = next(s for s in root.findall("testsuite") if s.get("name") == "auditor.fairness")
    case = next(
        c for c in fair.findall("testcase")
        if c.get("name") == "FAIR101 impact-ratio [regression: feature=sex, group=F: impact_ratio]"
    )  # fmt: skip
    failure = case.find("failure")
    assert failure.get("type") == "regression"
    assert failure.get("message") == (
        "impact_ratio for feature=sex, group=F fell 0.9 -> 0.85 (-0.05) since the baseline; "
        "allowed by the regression rule: drop ≤ 0.02"
    )
    assert int(fair.get("failures")) == sum(c.find("failure") is not None for c in fair)
    run = json.loads(render(new, "sarif"))["runs"][0]
    regs = [r for r in run["results"] if "auditorRegression/v1" in r.get("partialFingerprints", {})]
    assert len(regs) == 1
    reg = regs[0]
    assert (reg["ruleId"], reg["level"], reg["kind"], reg["baselineState"]) == (
        "FAIR101", "error", "fail", "updated")  # fmt: skip
    assert reg["properties"]["regression"] == {
        "table": "groups", "subject": "feature=sex, group=F", "metric": "impact_ratio",
        "old": 0.9, "new": 0.85, "delta": -0.05, "rule": "drop ≤ 0.02"}  # fmt: skip
    assert "0.9 -> 0.85" in reg["message"]["text"]
    assert run["tool"]["driver"]["rules"][reg["ruleIndex"]]["id"] == "FAIR101"
    assert sarif_errors(json.loads(render(new, "sarif"))) == []


def test_regression_only_failure_shows_in_junit_and_sarif() -> None:
    """No failing finding at all, only a regression: the gate fails and both formats say why."""
    from auditor.baseline import apply_baseline, parse_regressions
    from auditor.report import Report

    old = canonical_report()
    for r in old["results"]:
        r["findings"] = []
        r["status"] = "passed" if r["status"] == "failed" else r["status"]
    old = Report.from_dict(old).to_dict()
    assert old["verdict"] == "pass"
    new = json.loads(json.dumps(old))
    for row in new["results"][1]["tables"]["groups"]:
        if row["group"] == "Asian":
            row["impact_ratio"] = 0.85  # was 0.951, still above 0.80
    rules = parse_regressions({"FAIR101.impact_ratio": {"max_drop": 0.05}}, "policy: regressions")
    report = apply_baseline(Report.from_dict(new), old, rules)
    data = report.to_dict()
    assert report.exit_code == 1
    assert [b["reason"] for b in data["gate"]["blocking"]] == ["regression"]
    root = ET.fromstring(render(data, "junit"))
    failures = [c for c in root.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failures] == [
        "FAIR101 impact-ratio [regression: feature=race, group=Asian: impact_ratio]"]  # fmt: skip
    assert root.get("failures") == "1"
    results = json.loads(render(data, "sarif"))["runs"][0]["results"]
    errors = [r for r in results if r["level"] == "error"]
    assert len(errors) == 1
    assert errors[0]["properties"]["regression"]["old"] == pytest.approx(0.9514, abs=1e-4)
    assert errors[0]["properties"]["regression"]["new"] == 0.85
