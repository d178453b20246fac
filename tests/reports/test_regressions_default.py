"""The default and fairness packs define ``regressions:``, so ``--baseline`` catches a worsening
model even when no new finding appears (issue 14, item 4), and the rules stay quiet between
identical runs, between engines and between seeds (point estimates are compared, never the
bootstrap intervals).

Real CLI runs of the hiring example (``python -m auditor``); the worse model is a copy of
``applicants.csv`` where 30 selected women are not selected any more: their impact ratio falls
from 0.617 to about 0.529."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from reports_fixture import validate_report

from auditor.baseline import compare_reports, parse_regressions
from auditor.errors import ConfigError
from auditor.policy import load_policy

REPO = Path(__file__).resolve().parents[2]
HIRING = REPO / "examples" / "hiring"
FLIPPED = 30


def _run(config: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", "run", "--config", str(config), "--out", str(out),
         "--format", "json,md", *extra],
        capture_output=True, text=True, cwd=REPO, timeout=300, check=False,
    )  # fmt: skip


def _worse_data(folder: Path) -> Path:
    """The hiring data with ``FLIPPED`` selected women turned down (the CSV otherwise byte for
    byte the same); the card and datasheet stay where they are, so their findings keep their ids."""
    folder.mkdir()
    with (HIRING / "applicants.csv").open(newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    sex, selected = header.index("sex"), header.index("selected")
    flipped = 0
    for row in rows[1:]:
        if flipped < FLIPPED and row[sex] == "Female" and row[selected] == "1":
            row[selected] = "0"
            flipped += 1
    assert flipped == FLIPPED
    with (folder / "applicants.csv").open("w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return folder / "applicants.csv"


def _parquet(path: Path) -> str:
    """The hiring data as Parquet (what the lazy Polars engine reads), same values and types."""
    import polars as pl

    frame = pl.read_csv(HIRING / "applicants.csv", infer_schema_length=0)
    numbers = {"model_score": pl.Float64, "years_experience": pl.Float64, "age": pl.Int64,
               "selected": pl.Int64, "qualified": pl.Int64, "zip_code": pl.Int64}  # fmt: skip
    frame.with_columns(pl.col(c).cast(t) for c, t in numbers.items()).write_parquet(path)
    return str(path)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("regressions")
    config = HIRING / "audit.yaml"
    base = _run(config, root / "base")
    assert base.returncode == 1, base.stderr  # the example fails its gate (high findings)
    baseline = str(root / "base" / "audit.json")
    gate = ("--baseline", baseline, "--fail-on", "new")
    out: dict[str, Any] = {"root": root, "base": base, "baseline": baseline}
    out["same"] = _run(config, root / "same", *gate)
    out["seed"] = _run(config, root / "seed", *gate, "--seed", "8")
    parquet = _parquet(root / "applicants.parquet")
    out["polars"] = _run(config, root / "polars", *gate, "--engine", "polars", "--data", parquet)
    worse = _worse_data(root / "worse-data")
    out["worse"] = _run(config, root / "worse", *gate, "--data", str(worse))
    # the card's claims about the old numbers are false now (a new high TRN204): at a gate of
    # new critical findings, only the regressions can fail it
    out["worse-critical"] = _run(
        config, root / "worse-critical", "--baseline", baseline, "--fail-on", "new:critical",
        "--data", str(worse),
    )  # fmt: skip
    return out


def _report(runs: dict[str, Any], name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((runs["root"] / name / "audit.json").read_text())
    validate_report(data)  # the subprocess runs are not validated by the conftest hook
    return data


def _failed(runs: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [r for r in _report(runs, name)["baseline"]["regressions"] if r["failed"]]


def test_worse_impact_ratio_fails_the_gate_and_is_named(runs: dict[str, Any]) -> None:
    proc = runs["worse"]
    assert proc.returncode == 1, proc.stdout + proc.stderr
    failed = _failed(runs, "worse")
    ir = [r for r in failed if r["check"] == "FAIR001" and r["metric"] == "impact_ratio"
          and r["subject"] == "feature=sex, group=Female"]  # fmt: skip
    assert len(ir) == 1, failed
    # FAIR002 carries the same selection-rate groups table: the same drop is not listed twice
    assert not [r for r in failed if r["check"] == "FAIR002" and r["metric"] == "impact_ratio"]
    assert ir[0]["old"] == pytest.approx(0.6174126, abs=1e-6)
    assert ir[0]["new"] == pytest.approx(0.5291, abs=5e-4)
    assert ir[0]["delta"] == pytest.approx(-0.0883, abs=5e-4)
    assert ir[0]["rule"] == "drop ≤ 0.05 for n ≥ 30"
    # a difference disparity is judged by its size: the true-positive-rate gap of sex widened
    # 0.194 -> 0.257; the selection-rate gap 0.135 -> 0.167 is evaluated but within 0.05
    evaluated = {
        (r["check"], r["subject"]): r for r in _report(runs, "worse")["baseline"]["regressions"]
    }
    eod = evaluated[("FAIR002", "feature=sex, metric=equal_opportunity_difference")]
    assert eod["failed"] and eod["rule"] == "|value| rise ≤ 0.05"
    assert eod["new"] - eod["old"] == pytest.approx(0.0629, abs=5e-4)
    dpd = evaluated[("FAIR001", "feature=sex, metric=demographic_parity_difference")]
    assert not dpd["failed"] and 0.03 < dpd["new"] - dpd["old"] < 0.05
    # no rule fires on something that got better or moved within tolerance
    for r in failed:
        moved = abs(r["new"]) - abs(r["old"]) if r["rule"].startswith("|value|") else r["delta"]
        assert (moved < -0.05) if "drop" in r["rule"] else (moved > 0.05), r
    # the stdout summary and the Markdown name it
    assert "; 9 regressions" in proc.stdout
    assert (
        "regression FAIR001 feature=sex, group=Female: impact_ratio 0.6174 -> 0.5292 (drop ≤ 0.05 for n ≥ 30)"
        in proc.stdout
    )
    assert "more regressions" not in proc.stdout  # at most 10 are listed; 9 all fit
    md = (runs["root"] / "worse" / "audit.md").read_text()
    assert (
        "| `FAIR001` impact\\_ratio | feature=sex, group=Female | 0.617 → 0.529 | drop ≤ 0.05 for n ≥ 30 |"
        in md
    )


def test_worse_model_regressions_block_the_gate(runs: dict[str, Any]) -> None:
    data = _report(runs, "worse")
    assert data["verdict"] == "fail"
    blocking = [b for b in data["gate"]["blocking"] if b["reason"] == "regression"]
    assert {"check": "FAIR001", "finding": None, "severity": "high", "reason": "regression",
            "metric": "impact_ratio", "subject": "feature=sex, group=Female"} in blocking  # fmt: skip
    assert len(blocking) == len(_failed(runs, "worse")) == 9
    # no new finding of a fairness check: the regressions catch the worse model
    new_fair = [f for r in data["results"] if r["check"].startswith("FAIR")
                for f in r["findings"] if f.get("baseline_state") == "new"]  # fmt: skip
    assert new_fair == []
    # with no new blocking finding at all, the regressions alone fail the gate
    proc = runs["worse-critical"]
    assert proc.returncode == 1, proc.stdout + proc.stderr
    gate = _report(runs, "worse-critical")["gate"]
    assert {b["reason"] for b in gate["blocking"]} == {"regression"}
    assert len(gate["blocking"]) == 9


@pytest.mark.parametrize("name", ["same", "seed", "polars"])
def test_no_regression_between_identical_runs_seeds_and_engines(
    runs: dict[str, Any], name: str
) -> None:
    proc = runs[name]
    data = _report(runs, name)
    assert _failed(runs, name) == []
    assert "; 0 regressions" in proc.stdout
    assert [b for b in data["gate"]["blocking"] if b["reason"] == "regression"] == []
    evaluated = data["baseline"]["regressions"]
    assert len(evaluated) > 100  # the rules were evaluated (on every group and disparity)
    assert {r["rule"] for r in evaluated} == {"drop ≤ 0.05 for n ≥ 30", "|value| rise ≤ 0.05"}
    if name == "polars":
        # the lazy engine keeps rows out of memory: checks needing them are not evaluated and
        # fail the gate for that reason (by design), never for a regression
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert {b["reason"] for b in data["gate"]["blocking"]} == {"not_evaluated"}
    else:
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hiring_without_baseline_keeps_its_gate(runs: dict[str, Any]) -> None:
    data = _report(runs, "base")
    assert "baseline" not in data
    assert data["verdict"] == "fail" and runs["base"].returncode == 1
    resolved = data["policy"]["resolved"]["regressions"]
    assert {r["key"] for r in resolved} == {"FAIR.*_ratio", "FAIR.*_difference", "PII.column"}


def test_pii_column_newly_flagged_is_a_regression(runs: dict[str, Any]) -> None:
    old = json.loads(Path(runs["baseline"]).read_text())
    new = json.loads(Path(runs["baseline"]).read_text())
    pii = next(r for r in new["results"] if r["check"] == "PII001")
    email = next(f for f in pii["findings"] if f["location"] == "column:email")
    # a column the baseline did not flag, at low severity (below fail_on: no blocking finding)
    pii["findings"].append({**email, "id": "f" * 64, "location": "column:contact",
                            "severity": "low"})  # fmt: skip
    rules = load_policy("default").regressions
    failed = [r for r in compare_reports(old, new, rules)["regressions"] if r["failed"]]
    assert failed == [{"check": "PII001", "table": "findings", "subject": "column:contact",
                       "metric": "flagged", "old": 0, "new": 1, "delta": 1,
                       "rule": "no column newly flagged", "failed": True}]  # fmt: skip
    # a check that did not run in the baseline flagged nothing: no regression
    next(r for r in old["results"] if r["check"] == "PII001")["status"] = "skipped"
    assert not [r for r in compare_reports(old, new, rules)["regressions"] if r["failed"]]


def test_fairness_pack_has_the_fairness_rules() -> None:
    keys = {r.to_dict()["key"] for r in load_policy("fairness").regressions}
    assert keys == {"FAIR.*_ratio", "FAIR.*_difference"}


def test_rule_language_round_trips_and_refuses_bad_rules() -> None:
    rules = parse_regressions(
        {"FAIR.*_difference": {"max_rise": 0.05, "abs": True}, "PII.column": {"new": True}}, "p"
    )
    assert [r.to_dict() for r in rules] == [
        {"key": "FAIR.*_difference", "max_rise": 0.05, "abs": True},
        {"key": "PII.column", "new": True},
    ]
    (small,) = parse_regressions({"FAIR.*_ratio": {"max_drop": 0.05, "min_n": 30}}, "p")
    assert small.to_dict() == {"key": "FAIR.*_ratio", "max_drop": 0.05, "min_n": 30}
    assert parse_regressions({r.to_dict()["key"]: {k: v for k, v in r.to_dict().items()
                                                   if k != "key"} for r in rules}, "p") == tuple(
        rules
    )  # fmt: skip
    bad = {
        "PII.column": ({"new": True, "max_rise": 0}, "new: true takes no other key"),
        "column": ({"new": True}, "new: true needs CHECK_ID_OR_PREFIX.kind"),
        "FAIR.x": ({"max_rise": 0.1, "abs": "yes"}, "p.FAIR.x.abs: expected true or false"),
        "FAIR.a-b": ({"max_rise": 0.1}, "expected [CHECK_ID_OR_PREFIX.]metric"),
        "FAIR.y": ({"abs": True}, "give one of max_drop"),
        "FAIR.z": ({"max_drop": 0.1, "min_n": 2.5}, "p.FAIR.z.min_n: expected a whole number >= 1"),
    }
    for key, (spec, message) in bad.items():
        with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace(".", r"\.")):
            parse_regressions({key: spec}, "p")


def test_signed_difference_is_compared_by_its_size() -> None:
    (rule,) = parse_regressions({"FAIR.*_difference": {"max_rise": 0.05, "abs": True}}, "p")

    def report(value: float) -> dict[str, Any]:
        row = {"feature": "sex", "metric": "average_odds_difference", "value": value}
        return {"results": [{"check": "FAIR002", "status": "failed", "findings": [],
                             "tables": {"disparities": [row]}}]}  # fmt: skip

    def failed(a: float, b: float) -> bool:
        (reg,) = compare_reports(report(a), report(b), [rule])["regressions"]
        return bool(reg["failed"])

    assert failed(-0.118, -0.20)  # the gap widened (more negative)
    assert not failed(-0.118, -0.05)  # the gap closed: a rise of the signed value, not a regression
    assert failed(0.1, 0.2) and not failed(0.2, 0.1)


def test_small_groups_cannot_fail_a_min_n_rule() -> None:
    (rule,) = parse_regressions({"FAIR.*_ratio": {"max_drop": 0.05, "min_n": 30}}, "p")

    def report(n: int, ratio: float) -> dict[str, Any]:
        row = {"feature": "race", "group": "B", "n": n, "impact_ratio": ratio}
        return {"results": [{"check": "FAIR001", "status": "failed", "findings": [],
                             "tables": {"groups": [row]}}]}  # fmt: skip

    def failed(a: dict[str, Any], b: dict[str, Any]) -> bool:
        (reg,) = compare_reports(a, b, [rule])["regressions"]
        assert reg["rule"] == "drop ≤ 0.05 for n ≥ 30"
        return bool(reg["failed"])

    assert failed(report(30, 0.9), report(30, 0.8))
    # 13 people: one more turned down moves the ratio a lot; evaluated, but not a regression
    assert not failed(report(13, 0.9), report(13, 0.6))
    assert not failed(report(40, 0.9), report(29, 0.6))  # too small in either run
