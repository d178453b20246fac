"""CI gate with a baseline: finding states, metric deltas, regression rules, --fail-on new, diff."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from reports_fixture import baseline_pair, canonical_report, validate_report

from auditor.api import run_audit
from auditor.baseline import compare_reports, load_baseline, parse_regressions, split_fail_on
from auditor.check import check
from auditor.checks.run_waivers import waiver_hygiene
from auditor.cli import main
from auditor.config import AuditConfig
from auditor.context import Context
from auditor.errors import ConfigError, UsageError
from auditor.findings import Finding, Severity, Table, fingerprint
from auditor.render import render

#: a waiver expiry within the policy's max_waiver_days (365) of any run date
SOON = (dt.date.today() + dt.timedelta(days=90)).isoformat()


@dataclass(frozen=True)
class RatioOptions:
    threshold: float = 0.8


@check("TST101", "toy-impact-ratio", severity=Severity.HIGH, options=RatioOptions)
def toy_ratio(ctx: Context, options: RatioOptions) -> Iterator[Finding | Table]:
    """TST101 toy-impact-ratio: selection rate of each group over the highest rate."""
    df = ctx.dataset
    rates = df.groupby("g")["p"].mean()
    top = float(rates.max())
    rows = []
    for group, rate in rates.items():
        ratio = float(rate) / top
        rows.append(
            {"feature": "g", "group": group, "selection_rate": float(rate), "impact_ratio": ratio}
        )
        if ratio < options.threshold:
            yield Finding(
                f"g={group}: impact ratio {ratio:.2f} < {options.threshold}",
                location=f"feature:g/group:{group}",
                evidence={"impact_ratio": ratio},
                discriminator="impact_ratio",
            )
    yield Table("groups", tuple(rows))


def frame(rates: dict[str, int]) -> pd.DataFrame:
    """100 rows per group, ``rates[g]`` of them selected."""
    rows = []
    for g, k in rates.items():
        rows += [{"g": g, "p": int(i < k)} for i in range(100)]
    return pd.DataFrame(rows)


POLICY = {
    "name": "ci",
    "checks": {"TST": {}},
    "regressions": {"TST101.impact_ratio": {"max_drop": 0.02}},
}


def audit(
    tmp_path: Path, rates: dict[str, int], baseline: Path | None = None, fail_on: str | None = None
):
    config = AuditConfig(data=frame(rates), prediction="p", sensitive=("g",), policy=POLICY,
                         baseline=baseline, fail_on=fail_on)  # fmt: skip
    return run_audit(config, checks={"TST101": toy_ratio}, progress=False)


def test_regression_fails_the_gate_while_above_the_threshold(tmp_path: Path) -> None:
    old = audit(tmp_path, {"A": 50, "B": 45})
    assert old.verdict == "pass"
    base = tmp_path / "baseline.json"
    base.write_text(old.to_json())
    new = audit(tmp_path, {"A": 50, "B": 42}, baseline=base)  # ratio 0.90 -> 0.84, still >= 0.8
    data = new.to_dict()
    validate_report(data)
    assert new.verdict == "fail"
    assert new.exit_code == 1
    reg = [r for r in data["baseline"]["regressions"] if r["failed"]]
    assert len(reg) == 1
    assert reg[0]["subject"] == "feature=g, group=B"
    assert reg[0]["old"] == pytest.approx(0.9)
    assert reg[0]["new"] == pytest.approx(0.84)
    assert reg[0]["delta"] == pytest.approx(-0.06)
    assert data["gate"]["blocking"] == [
        {"check": "TST101", "finding": None, "severity": "high", "reason": "regression",
         "metric": "impact_ratio", "subject": "feature=g, group=B"}
    ]  # fmt: skip
    delta = next(d for d in data["baseline"]["deltas"] if d["metric"] == "selection_rate")
    assert delta["delta"] == pytest.approx(-0.03)
    within = audit(tmp_path, {"A": 50, "B": 44}, baseline=base)  # 0.90 -> 0.88: within 0.02
    assert within.verdict == "pass"


def test_fail_on_new_gates_only_on_new_findings(tmp_path: Path) -> None:
    old = audit(tmp_path, {"A": 50, "B": 30, "C": 50})  # B already below 0.8
    base = tmp_path / "baseline.json"
    base.write_text(old.to_json())
    same = audit(tmp_path, {"A": 50, "B": 30, "C": 50}, baseline=base, fail_on="new")
    assert same.to_dict()["gate"]["mode"] == "new"
    assert same.verdict == "pass"  # the known finding is unchanged, not new
    states = [f.baseline_state for r in same.results for f in r.findings]
    assert states == ["unchanged"]
    worse = audit(tmp_path, {"A": 50, "B": 30, "C": 35}, baseline=base, fail_on="new")
    data = worse.to_dict()
    assert worse.verdict == "fail"
    # C is new (blocking) and its impact ratio fell 1.0 -> 0.7 (a regression beyond 0.02)
    assert [b["reason"] for b in data["gate"]["blocking"]] == ["new", "regression"]
    assert {f["location"]: f["baseline_state"] for f in data["results"][0]["findings"]} == {
        "feature:g/group:B": "unchanged", "feature:g/group:C": "new"}  # fmt: skip
    fixed = audit(tmp_path, {"A": 50, "B": 45, "C": 50}, baseline=base)
    assert fixed.to_dict()["baseline"]["absent"][0]["location"] == "feature:g/group:B"
    assert fixed.to_dict()["baseline"]["counts"] == {
        "new": 0,
        "updated": 0,
        "unchanged": 0,
        "absent": 1,
        "not_evaluated": 0,
    }


def test_fail_on_new_needs_a_baseline_and_bad_baselines_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="needs a baseline"):
        audit(tmp_path, {"A": 50}, fail_on="new")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(UsageError, match="not valid JSON"):
        load_baseline(bad)
    with pytest.raises(UsageError, match="not found"):
        load_baseline(tmp_path / "missing.json")
    assert split_fail_on("new:medium") == ("medium", True)
    assert split_fail_on("high") == ("high", False)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"impact_ratio": {"max_dorp": 0.1}}, "unknown key 'max_dorp'"),
        ({"impact_ratio": {"max_drop": -1}}, "expected a number >= 0"),
        ({"impact_ratio": {"max_drop": 0.1, "max_rise": 0.1}}, "give one of"),
        ({"impact_ratio": 0.1}, "expected {max_drop: x}"),
        (["impact_ratio"], "expected a mapping"),
    ],
)
def test_regression_rules_are_validated_with_file_and_key(value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=r"p\.yaml: regressions") as exc:
        parse_regressions(value, "p.yaml: regressions")
    assert message in str(exc.value)


def test_policy_key_and_extends_merge(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(
        "regressions:\n  impact_ratio: {max_drop: 0.05}\n  FAIR.hit_rate: {max_rise: 0}\n"
    )
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nregressions:\n  impact_ratio: {max_drop: 0.01}\n")
    from auditor.policy import load_policy

    policy = load_policy(child)
    rules = {(r.check, r.metric): (r.max_drop, r.max_rise) for r in policy.regressions}
    assert rules == {("", "impact_ratio"): (0.01, None), ("FAIR", "hit_rate"): (None, 0.0)}
    assert policy.resolved()["regressions"] == [{"key": "impact_ratio", "max_drop": 0.01},
                                                {"key": "FAIR.hit_rate", "max_rise": 0.0}]  # fmt: skip


def test_compare_reports_on_the_golden_pair() -> None:
    """The new run resolves the e-mail finding, edits a card finding's message and lowers the
    impact ratio of women from 0.7391 to 0.69 (the sex finding itself is waived, unchanged)."""
    old, new = baseline_pair()
    rules = parse_regressions({"FAIR.impact_ratio": {"max_drop": 0.02}}, "policy: regressions")
    cmp = compare_reports(old, new, rules)
    assert cmp["counts"] == {"new": 0, "updated": 1, "unchanged": 5, "absent": 1,
                             "not_evaluated": 0}  # fmt: skip
    states = {fingerprint(*k): v for k, v in (
        (("FAIR101", "feature:race", "parity"), "unchanged"),
        (("FAIR101", "feature:sex", "parity"), "unchanged"),
        (("FAIR102", "feature:sex", "parity"), "unchanged"),
        (("TRN301", "card:model_card.yaml:12", "use.intended"), "updated"),
    )}  # fmt: skip
    assert {k: cmp["states"][k] for k in states} == states
    assert [(f["check"], f["location"]) for f in cmp["absent"]] == [("PII101", "column:email")]
    assert [(d["subject"], d["metric"], d["old"], d["new"]) for d in cmp["deltas"]] == [
        ("feature=sex, group=F", "impact_ratio", 0.7391, 0.69),
        ("feature=sex, group=F", "selection_rate", 0.3696, 0.345),
    ]
    failed = [r for r in cmp["regressions"] if r["failed"]]
    assert [(r["subject"], r["delta"], r["rule"]) for r in failed] == [
        ("feature=sex, group=F", -0.0491, "drop ≤ 0.02")]  # fmt: skip
    assert new["baseline"]["counts"] == cmp["counts"]  # what --baseline recorded


def test_cli_diff_text_md_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = baseline_pair()
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(old))
    b.write_text(json.dumps(new))
    assert main(["diff", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "0 new, 1 resolved and 1 changed findings" in out
    assert "FAIR101 groups feature=sex, group=F: impact_ratio 0.7391 -> 0.69 (-0.0491)" in out
    assert (
        "  [medium] TRN301 card:model_card.yaml:12 [use.intended]: message use.intended is "
        "missing -> use.intended is missing (section removed)"
    ) in out.splitlines()
    assert main(["diff", str(a), str(b), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("## auditor diff: verdict fail -> fail")
    assert (
        "| FAIR101 | groups | feature=sex, group=F | impact\\_ratio | 0.7391 | 0.69 | -0.0491 |"
        in md
    )
    assert main(["diff", str(a), str(b), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["disappeared"][0]["location"] == "column:email"
    assert main(["diff", str(a), str(tmp_path / "nope.json")]) == 2


def _schema_1(data: dict) -> dict:
    """``data`` as auditor 0.1 wrote it: schema_version 1, one finding per group."""
    old = json.loads(json.dumps(data))
    old["schema_version"] = 1
    for r in old["results"]:
        for f in r["findings"]:
            for key in ("detail", "evidence_level", "related"):
                f.pop(key, None)
            if f["location"] == "feature:race":
                f["location"] = "feature:race/group:Black"
    return old


def test_diff_and_baseline_refuse_to_compare_across_schema_versions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding ids changed with schema 2: comparing would call every finding new or resolved, so
    ``diff`` and ``--baseline`` refuse (exit 2) in one line naming both versions."""
    v1, v2 = tmp_path / "v1.json", tmp_path / "v2.json"
    v1.write_text(json.dumps(_schema_1(canonical_report())))
    v2.write_text(json.dumps(canonical_report()))
    for old, new in ((v1, v2), (v2, v1)):
        assert main(["diff", str(old), str(new)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        err = captured.err.strip()
        assert len(err.splitlines()) == 1
        versions = (1, 2) if old == v1 else (2, 1)
        assert err == (
            f"auditor: error: {old} is a schema_version {versions[0]} report and {new} "
            f"schema_version {versions[1]}: findings cannot be matched across versions (this "
            "auditor writes schema_version 2; re-run the older audit)"
        )
    # two reports of the same version still compare
    assert main(["diff", str(v2), str(v2)]) == 0
    assert "0 new, 0 resolved and 0 changed findings" in capsys.readouterr().out
    # --baseline: refused before anything runs, nothing written
    data = tmp_path / "data.csv"
    data.write_text("name,p\nJose,1\nZoe,0\n", encoding="utf-8")
    policy = tmp_path / "policy.yaml"
    policy.write_text("name: ci\nfail_on: low\nchecks:\n  RUN: {}\n")
    out = tmp_path / "out"
    code = main(["run", "--data", str(data), "--prediction", "p", "--policy", str(policy),
                 "--out", str(out), "--baseline", str(v1), "--no-progress"])  # fmt: skip
    assert code == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == (
        f"auditor: error: baseline {v1} is a schema_version 1 report and this auditor writes "
        "schema_version 2: findings cannot be matched across versions (re-run the baseline "
        "audit with this version)"
    )
    assert not out.exists()
    with pytest.raises(UsageError, match="schema_version 1 report"):
        load_baseline(v1)
    assert load_baseline(v2)[0]["schema_version"] == 2


def test_report_without_baseline_is_unchanged() -> None:
    data = canonical_report()
    assert "baseline" not in data
    assert "mode" not in data["gate"]
    assert all("baseline_state" not in f for r in data["results"] for f in r["findings"])


def test_cli_run_with_baseline_and_fail_on_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI wiring: --baseline, --fail-on new, the printed summary and the exit codes."""
    policy = tmp_path / "policy.yaml"
    policy.write_text("name: ci\nfail_on: low\nchecks:\n  RUN: {}\n")
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("name,p\nJosé,1\nZoë,0\n".encode("latin-1"))
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text("name,p\nJosé,1\nZoë,0\n", encoding="utf-8")
    base = tmp_path / "base"
    common = ["--prediction", "p", "--policy", str(policy), "--format", "json,md,sarif"]
    assert main(["run", "--data", str(latin), "--out", str(base), *common]) == 1  # RUN001 (low)
    capsys.readouterr()
    # same input, gated on new findings only: the known RUN001 finding does not block
    out = tmp_path / "same"
    code = main(["run", "--data", str(latin), "--out", str(out), "--baseline", str(base / "audit.json"),
                 "--fail-on", "new", *common])  # fmt: skip
    stdout = capsys.readouterr().out
    assert code == 0
    assert "blocking at >= low (new only)" in stdout
    assert (out / "audit.md").read_text().splitlines()[1] == "### ✅ Audit PASS: nothing blocks"
    assert "0 new, 0 updated, 1 unchanged, 0 resolved; 0 regressions" in stdout
    sarif = json.loads((out / "audit.sarif").read_text())
    assert {r.get("baselineState") for r in sarif["runs"][0]["results"]} == {"unchanged"}
    # the fixed input: the finding is resolved
    fixed = tmp_path / "fixed"
    assert (
        main(
            [
                "run",
                "--data",
                str(utf8),
                "--out",
                str(fixed),
                "--baseline",
                str(base / "audit.json"),
                *common,
            ]
        )
        == 0
    )
    assert "0 new, 0 updated, 0 unchanged, 1 resolved" in capsys.readouterr().out
    md = (fixed / "audit.md").read_text()
    assert md.splitlines()[1] == "### ✅ Audit PASS: nothing blocks"
    assert "· since the baseline: 0 new, 1 resolved ·" in md.splitlines()[2]
    resolved = md.split("<details><summary><b>1 resolved since the baseline</b></summary>")[1]
    assert resolved.split("</details>")[0].strip() == (
        "- `RUN001` dataset: file is not valid UTF-8; decoded as cp1252"
    )
    manifest = json.loads((fixed / "manifest.json").read_text())
    assert any(i["role"] == "baseline" for i in manifest["inputs"])
    # usage errors: exit 2, nothing written
    assert (
        main(
            ["run", "--data", str(utf8), "--out", str(tmp_path / "x"), "--fail-on", "new", *common]
        )
        == 2
    )
    assert "needs a baseline" in capsys.readouterr().err
    assert (
        main(
            [
                "run",
                "--data",
                str(utf8),
                "--out",
                str(tmp_path / "y"),
                "--baseline",
                str(tmp_path / "nope.json"),
                *common,
            ]
        )
        == 2
    )
    assert not (tmp_path / "y" / "audit.json").exists()


def test_diff_names_the_group_or_metric_that_moved_and_sorts_by_severity() -> None:
    """auditor diff and --baseline agree on what changed. A fairness finding holds its per-group
    and per-metric numbers in ``evidence["groups"]`` / ``["metrics"]``: the diff names the row
    and the number that moved, not a clipped JSON blob."""
    from hiring_fixture import hiring_report

    from auditor.diff import diff_reports, format_diff

    old = hiring_report()
    new = json.loads(json.dumps(old))
    for r in new["results"]:
        (first, *_) = r["findings"] or [None]
        if r["check"] == "FAIR001":
            race, sex = (f for f in r["findings"] if f["location"] in ("feature:race_ethnicity", "feature:sex"))  # fmt: skip
            female = next(g for g in sex["evidence"]["groups"] if g["group"] == "Female")
            female["impact_ratio"] = 0.6  # was 0.617413
            race["evidence"]["groups"] = [g for g in race["evidence"]["groups"]
                                          if g["group"] != "Hispanic or Latino"]  # fmt: skip
        if r["check"] == "FAIR002":
            assert first["location"] == "feature:race_ethnicity"
            eod = next(m for m in first["evidence"]["metrics"]
                       if m["metric"] == "equalized_odds_difference")  # fmt: skip
            eod["ci"] = [round(eod["ci"][0] + 0.01, 6), eod["ci"][1]]
        if r["check"] == "FAIR005":  # a nested mapping whose number becomes non-finite
            first["evidence"]["gap"].update(ece=None, _nonfinite={"ece": "nan"})
        if r["check"] == "FAIR008":
            first["evidence"]["n"] = [20, 13, 26, 20]  # list-valued evidence only
        if r["check"] == "PII001":  # resolve a low and a high finding, listed in reverse order
            removed = [r["findings"][-1], r["findings"][0]]
            r["findings"] = r["findings"][1:-1]
            r["findings"].append({**removed[1], "id": "0" * 16, "severity": "low",
                                  "location": "column:zip_code", "discriminator": "new-low"})  # fmt: skip
    d = diff_reports(old, new)
    cmp = compare_reports(old, new)
    assert len(d["changed"]) == cmp["counts"]["updated"] == 5
    text = format_diff(d, "text")
    changed = text.split("Changed findings:\n")[1].split("\n\n")[0].splitlines()
    assert changed == [
        "  [high] FAIR001 feature:race_ethnicity [parity]: groups[Hispanic or Latino] present -> absent",
        "  [high] FAIR001 feature:sex [parity]: groups[Female].impact_ratio 0.617413 -> 0.6 (-0.0174126)",
        "  [high] FAIR002 feature:race_ethnicity [parity]: metrics[equalized_odds_difference].ci "
        "[0.335159, 0.666689] -> [0.345159, 0.666689]",
        "  [medium] FAIR005 feature:race_ethnicity [calibration]: gap.ece 0.0878446 -> nan",
        "  [low] FAIR008 feature:sex×race_ethnicity [small_groups]: n [19, 13, 26, 20] -> [20, 13, 26, 20]",
    ]  # fmt: skip
    sex = next(c for c in d["changed"] if c["location"] == "feature:sex")
    assert sex["deltas"] == {"groups[Female].impact_ratio": {
        "old": pytest.approx(0.6174126, abs=1e-7), "new": 0.6,
        "delta": pytest.approx(-0.0174126, abs=1e-7)}}  # fmt: skip
    assert [(f["id"], f["severity"]) for f in d["disappeared"]] == [
        (removed[1]["id"], "high"), (removed[0]["id"], "low")]  # fmt: skip
    resolved = text.split("Resolved findings:")[1].split("Changed findings:")[0]
    assert resolved.index("[high] PII001 column:email") < resolved.index("[low] PII001 dataset:")
    assert [f["location"] for f in d["appeared"]] == ["column:zip_code"]
    assert "1 new, 2 resolved and 5 changed findings" in text
    md = format_diff(d, "md")  # row names are data (group values): escaped in Markdown
    assert "- [high] FAIR001 feature:sex [parity]: groups\\[Female\\]\\.impact\\_ratio 0.617413 -> 0.6" in md  # fmt: skip


# -- waivers ------------------------------------------------------------------------------------


@check("TST102", "toy-feature-parity", severity=Severity.HIGH, options=RatioOptions)
def toy_feature_parity(ctx: Context, options: RatioOptions) -> Iterator[Finding | Table]:
    """TST102 toy-feature-parity: one finding per feature (the schema 2 model) whose lowest
    group selection rate is below ``threshold`` times the highest, the groups in its evidence."""
    df = ctx.dataset
    for feature in ("race", "race_ethnicity", "sex"):
        rates = df.groupby(feature)["p"].mean()
        groups = [
            {"group": g, "impact_ratio": float(rate / rates.max())} for g, rate in rates.items()
        ]
        below = [g for g in groups if g["impact_ratio"] < options.threshold]
        if below:
            yield Finding(
                f"{feature}: {', '.join(g['group'] for g in below)} selected at under "
                f"{options.threshold:.0%} of the top rate",
                location=f"feature:{feature}",
                evidence={"groups": below},
                discriminator="parity",
            )


def _three_gaps(waivers: list[dict]) -> dict:
    rows = [{"race": g, "race_ethnicity": g, "sex": s, "p": int(i < k)}
            for g, s, k in (("A", "M", 50), ("B", "F", 30)) for i in range(100)]  # fmt: skip
    policy = {"name": "ci", "checks": {"TST": {}}, "waivers": waivers}
    config = AuditConfig(data=pd.DataFrame(rows), prediction="p", policy=policy)
    checks = {"TST102": toy_feature_parity, "RUN002": waiver_hygiene}
    return run_audit(config, checks=checks, progress=False).to_dict()


def test_a_feature_waiver_waives_the_feature_finding_and_the_count_drops_by_one() -> None:
    """``feature:race/*`` (the README's form) covers the whole feature: the ``feature:race``
    finding itself, not ``feature:race_ethnicity``. Waived, it leaves the gate, the JUnit failures
    and the SARIF errors together."""
    waiver = {"check": "TST102", "location": "feature:race/*", "reason": "Group sizes under review",
              "approved_by": "Dana Lee (Model Risk)", "expires": SOON}  # fmt: skip
    before, after = _three_gaps([]), _three_gaps([waiver])

    def counts(data: dict) -> tuple[int, int, int]:
        junit = ET.fromstring(render(data, "junit"))
        sarif = json.loads(render(data, "sarif"))["runs"][0]["results"]
        return (len(data["gate"]["blocking"]), int(junit.get("failures")),
                sum(1 for r in sarif if r["level"] == "error"))  # fmt: skip

    assert counts(before) == (3, 3, 3)
    assert counts(after) == (2, 2, 2)
    status = {f["location"]: f["status"] for r in after["results"] for f in r["findings"]}
    assert status == {"feature:race": "waived", "feature:race_ethnicity": "failed",
                      "feature:sex": "failed"}  # fmt: skip
    race = next(
        f for r in after["results"] for f in r["findings"] if f["location"] == "feature:race"
    )
    assert race["waiver"]["location"] == "feature:race/*"
    assert race["id"] not in {b["finding"] for b in after["gate"]["blocking"]}
    assert next(r for r in after["results"] if r["check"] == "RUN002")["status"] == "passed"
    junit = ET.fromstring(render(after, "junit"))
    case = next(c for c in junit.iter("testcase") if c.get("name").endswith("[feature:race]"))
    assert case.find("failure") is None
    assert case.find("skipped").get("message").startswith("waived: Group sizes under review")
    sarif = json.loads(render(after, "sarif"))["runs"][0]["results"]
    waived = next(r for r in sarif if r.get("suppressions"))
    assert (waived["level"], waived["properties"]["blocking"]) == ("warning", False)
    md = render(after, "md")
    assert md.splitlines()[1] == "### ❌ Audit FAIL: 2 blocking problems"
    assert "<details><summary><b>1 accepted under a waiver</b></summary>" in md
    # the exact location waives the same finding; a glob of another feature waives nothing
    exact = _three_gaps([{**waiver, "location": "feature:race"}])
    assert len(exact["gate"]["blocking"]) == 2
    other = _three_gaps([{**waiver, "location": "feature:age/*"}])
    assert len(other["gate"]["blocking"]) == 3
    hygiene = next(r for r in other["results"] if r["check"] == "RUN002")
    assert hygiene["status"] == "failed"  # a waiver that matched nothing is reported
