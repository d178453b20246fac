"""CI gate with a baseline: finding states, metric deltas, regression rules, --fail-on new, diff."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from reports_fixture import baseline_pair, canonical_report, validate_report

from auditor.api import run_audit
from auditor.baseline import compare_reports, load_baseline, parse_regressions, split_fail_on
from auditor.check import check
from auditor.cli import main
from auditor.config import AuditConfig
from auditor.context import Context
from auditor.errors import ConfigError, UsageError
from auditor.findings import Finding, Severity, Table


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
    old, new = baseline_pair()
    cmp = compare_reports(old, new)
    assert cmp["counts"] == {"new": 0, "updated": 1, "unchanged": 4, "absent": 1}
    assert [d["metric"] for d in cmp["deltas"]] == ["impact_ratio", "selection_rate"]


def test_cli_diff_text_md_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = baseline_pair()
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(old))
    b.write_text(json.dumps(new))
    assert main(["diff", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "0 new, 1 resolved and 1 changed findings" in out
    assert "FAIR101 groups feature=sex, group=F: impact_ratio 0.9 -> 0.85 (-0.05)" in out
    assert main(["diff", str(a), str(b), "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("## auditor diff: verdict fail -> fail")
    assert "| FAIR101 | groups | feature=sex, group=F | impact\\_ratio | 0.9 | 0.85 | -0.05 |" in md
    assert main(["diff", str(a), str(b), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["disappeared"][0]["location"] == "column:email"
    assert main(["diff", str(a), str(tmp_path / "nope.json")]) == 2


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
    assert "Resolved: `RUN001`" in (fixed / "audit.md").read_text()
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


def test_diff_names_the_discriminator_counts_list_evidence_and_sorts_by_severity() -> None:
    """auditor diff and --baseline agree on what changed; same-location findings are told apart."""
    from hiring_fixture import hiring_report

    from auditor.diff import diff_reports, format_diff

    old = hiring_report()
    new = json.loads(json.dumps(old))
    moved = 0
    for r in new["results"]:
        if r["check"] == "FAIR002":
            for f in r["findings"]:
                if (
                    f["location"] == "feature:race_ethnicity"
                    and f["evidence"].get("ci_low") is not None
                ):
                    f["evidence"]["ci_low"] = round(f["evidence"]["ci_low"] + 0.01, 6)
                    moved += 1
        if r["check"] == "FAIR008":
            r["findings"][0]["evidence"]["n"] = [20, 13, 26, 20]  # list-valued evidence only
        if r["check"] == "PII001":  # resolve a low and a high finding, listed in reverse order
            removed = [r["findings"][-1], r["findings"][0]]
            r["findings"] = r["findings"][1:-1]
            r["findings"].append({**removed[1], "id": "0" * 16, "severity": "low",
                                  "location": "column:zip_code", "discriminator": "new-low"})  # fmt: skip
    d = diff_reports(old, new)
    cmp = compare_reports(old, new)
    assert len(d["changed"]) == cmp["counts"]["updated"] == moved + 1
    text = format_diff(d, "text")
    fair002 = [ln for ln in text.splitlines() if "FAIR002 feature:race_ethnicity [" in ln]
    assert len(fair002) == moved
    assert "  [high] FAIR002 feature:race_ethnicity [equalized_odds_difference]: ci_low " in text
    assert (
        "  [low] FAIR008 feature:sex×race_ethnicity [small_groups]: n [19, 13, 26, 20] -> "
        "[20, 13, 26, 20]"
    ) in text
    assert [(f["id"], f["severity"]) for f in d["disappeared"]] == [
        (removed[1]["id"], "high"), (removed[0]["id"], "low")]  # fmt: skip
    resolved = text.split("Resolved findings:")[1].split("Changed findings:")[0]
    assert resolved.index("[high] PII001 column:") < resolved.index("[low] PII001 column:")
    assert [f["location"] for f in d["appeared"]] == ["column:zip_code"]
    assert f"{len(d['changed'])} changed findings" in text
