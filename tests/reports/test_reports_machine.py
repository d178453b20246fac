"""Markdown (PR comment), JUnit XML and SARIF 2.1.0, parsed and validated."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from reports_fixture import COLUMN_PAYLOAD, RAW_EMAIL, baseline_pair, canonical_report

from auditor.render import render
from auditor.render.markdown import MAX_CHARS, truncate_markdown
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


def test_markdown_truncated_to_a_pr_comment_with_pointer() -> None:
    data = canonical_report()
    rows = data["results"][1]["tables"]["groups"]
    data["results"][1]["tables"]["groups"] = [dict(rows[4], group=f"g{i}") for i in range(3000)]
    for r in data["results"]:
        r["tables"] = {
            **r["tables"],
            **{f"t{i}": data["results"][1]["tables"]["groups"][:49] for i in range(5)},
        }
    md = render(data, "md")
    assert len(md) <= MAX_CHARS
    assert "**Truncated** to fit a pull-request comment" in md
    assert "audit.html" in md
    assert md.count("<details>") == md.count("</details>")
    assert truncate_markdown("short") == "short"


# -- JUnit ----------------------------------------------------------------------------------


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
    assert states["90ca01d72369e90e"] == "updated"
    assert all("baselineState" in r for r in run["results"])


@pytest.mark.parametrize(
    ("rows", "expected"), [([{"a": 1}, {"b": 2, "a": 3}], ["a", "b"]), ([], [])]
)
def test_table_columns_union_in_order(rows: list, expected: list) -> None:
    assert table_columns(rows) == expected
