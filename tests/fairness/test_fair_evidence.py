"""Evidence behind a fairness breach: the tests, the Holm correction, the evidence levels and the
gate they feed (significant blocks; inconclusive and degenerate are reported, not blocking)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fair_data import rows_from_counts
from scipy import optimize, stats

from auditor.checks.fair_error_rates import error_rate_parity
from auditor.checks.fair_selection import selection_rate_parity
from auditor.cli import main
from auditor.fairness.evidence import holm, metric_p, more_rows_for_group, ratio_below_p
from auditor.testing import make_context, run_check


def _score_test_by_optimisation(x1: int, n1: int, x2: int, n2: int, t: float) -> float:
    """Farrington-Manning from first principles: maximise the likelihood under p1 = t * p2
    numerically, then the score statistic with that restricted variance."""

    def nll(p2: float) -> float:
        p1 = t * p2
        out = (n1 - x1) * np.log(1 - p1) + x2 * np.log(p2) + (n2 - x2) * np.log(1 - p2)
        return -(out + (x1 * np.log(p1) if x1 else 0.0))

    p2 = optimize.minimize_scalar(
        nll, bounds=(1e-12, min(1.0, 1 / t) - 1e-12), method="bounded", options={"xatol": 1e-13}
    ).x
    p1 = t * p2
    var = p1 * (1 - p1) / n1 + t * t * p2 * (1 - p2) / n2
    return float(stats.norm.cdf((x1 / n1 - t * x2 / n2) / np.sqrt(var)))


@pytest.mark.parametrize(
    "counts",
    [(210, 962, 367, 1038), (12, 33, 17, 46), (0, 50, 20, 50), (5, 40, 30, 60),
     (48, 80, 60, 100), (79, 100, 100, 100), (1, 9, 2, 11)],
)  # fmt: skip
def test_farrington_manning_equals_the_restricted_likelihood(counts: tuple[int, ...]) -> None:
    got = float(ratio_below_p(*counts, 0.8))
    assert got == pytest.approx(_score_test_by_optimisation(*counts, 0.8), abs=1e-8)


def test_farrington_manning_is_nan_when_nothing_can_be_tested() -> None:
    assert np.isnan(ratio_below_p(0, 10, 0, 10, 0.8))  # no one selected anywhere
    assert np.isnan(ratio_below_p(3, 0, 5, 10, 0.8))  # an empty group


def test_holm_step_down_and_monotone() -> None:
    # sorted: 0.01 (x4 = 0.04), 0.03 (x3 = 0.09), 0.04 (x2 = 0.08 -> 0.09 monotone), 0.5 (x1)
    got = holm([0.01, 0.04, None, 0.03, 0.5])
    assert got[[0, 1, 3, 4]] == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert np.isnan(got[2])  # not a test: not counted in m
    assert holm([0.6, 0.7]) == pytest.approx([1.0, 1.0])  # capped at 1
    assert holm([]).size == 0


def test_metric_p_uses_the_bootstrap_standard_error() -> None:
    rng = np.random.default_rng(3)
    reps = rng.normal(0.2, 0.05, 2000)
    # difference 0.2 vs threshold 0.1: z = (0.1 - 0.2) / 0.05 = -2
    assert metric_p(0.2, reps, 0.1, ratio=False) == pytest.approx(stats.norm.cdf(-2), rel=0.05)
    ratios = np.exp(rng.normal(np.log(0.5), 0.1, 2000))
    z = (np.log(0.5) - np.log(0.8)) / 0.1  # -4.7 on the log scale
    got = metric_p(0.5, ratios, 0.8, ratio=True)
    assert got is not None and stats.norm.ppf(got) == pytest.approx(z, abs=0.15)
    assert metric_p(0.5, ratios[:10], 0.8, ratio=True) is None  # too few replicates
    assert metric_p(0.0, ratios, 0.8, ratio=True) is None  # a zero ratio: degenerate, untested


def test_more_rows_reach_the_power_they_promise() -> None:
    """After the promised rows (same rates), the Wald test on the log ratio reaches z = z_alpha +
    z_0.8 (80% power at alpha)."""
    k1, n1, k2, n2, alpha = 16, 40, 600, 1000, 0.05  # 40% vs 60%: ratio 0.667
    extra, factor = more_rows_for_group(k1, n1, k2, n2, 0.8, alpha)
    assert factor is None and extra is not None and extra > 0
    p1, p2 = k1 / n1, k2 / n2
    n = n1 + extra
    se = np.sqrt((1 - p1) / (n * p1) + (1 - p2) / (n2 * p2))
    z = (np.log(0.8) - np.log(p1 / p2)) / se
    assert z >= stats.norm.ppf(1 - alpha) + stats.norm.ppf(0.8) - 1e-9
    n_before = n - 1
    se = np.sqrt((1 - p1) / (n_before * p1) + (1 - p2) / (n2 * p2))
    assert (np.log(0.8) - np.log(p1 / p2)) / se < stats.norm.ppf(1 - alpha) + stats.norm.ppf(0.8)
    # a small reference too: the group alone cannot settle it, both must grow
    extra, factor = more_rows_for_group(21, 40, 30, 40, 0.8, alpha)  # ratio 0.7
    assert extra is None and factor is not None and factor > 1
    assert more_rows_for_group(35, 40, 30, 40, 0.8, alpha) == (None, None)  # no breach


def _sel(df: pd.DataFrame, **opts: object):
    ctx = make_context(df, prediction="selected", sensitive=["g"])
    return run_check(selection_rate_parity, ctx, {"n_boot": 500, **opts})


def test_a_small_gap_is_inconclusive_and_a_clear_gap_significant() -> None:
    small = rows_from_counts([("a", 1960, 784), ("b", 40, 11)], ["g"])
    res = _sel(small)
    row = next(r for r in res.tables["groups"] if r["group"] == "b")
    assert round(row["impact_ratio"], 3) == 0.688  # below 0.8 on the estimate
    assert row["ir_ci_high"] >= 0.8  # the interval crosses the threshold
    assert (row["status"], row["evidence"]) == ("inconclusive", "inconclusive")
    (finding,) = res.findings
    assert (finding.severity.label, finding.evidence_level.value) == ("low", "inconclusive")
    big = rows_from_counts([("a", 2000, 800), ("b", 2000, 400)], ["g"])
    (finding,) = _sel(big).findings
    assert (finding.severity.label, finding.evidence_level.value) == ("high", "significant")
    assert finding.evidence["groups"][0]["p_adjusted"] < 1e-10


def test_holm_turns_a_lone_significant_gap_inconclusive_among_many_tests() -> None:
    """One group's one-sided p is 0.028 alone; with 31 comparisons tested, Holm's correction
    lifts it above 0.05: inconclusive, not blocking (decided on the estimate it would fail)."""
    groups = [(f"g{i:02d}", 400, 200) for i in range(30)] + [("x", 400, 136)]
    df = rows_from_counts(groups, ["g"])
    res = _sel(df)
    x = next(r for r in res.tables["groups"] if r["group"] == "x")
    assert x["p_threshold"] == pytest.approx(0.02795, abs=5e-5)
    assert x["p_adjusted"] > 0.05
    assert (x["status"], x["evidence"]) == ("inconclusive", "inconclusive")
    assert res.findings[0].evidence["tests"] == 31
    est = _sel(df, decide_on="estimate")
    assert next(r for r in est.tables["groups"] if r["group"] == "x")["status"] == "fail"


def test_a_zero_count_ratio_is_degenerate_and_names_the_cell() -> None:
    # nobody of 35 in b is selected against 3 of 40 in a: a ratio of 0 from one empty cell
    df = rows_from_counts([("a", 40, 3), ("b", 35, 0)], ["g"])
    res = _sel(df, min_group_size=30)
    b = next(r for r in res.tables["groups"] if r["group"] == "b")
    assert (b["impact_ratio"], b["evidence"], b["status"]) == (0.0, "degenerate", "inconclusive")
    (finding,) = res.findings
    assert finding.evidence_level.value == "degenerate"
    assert finding.message.startswith("None of the 35 people in the b group were selected")
    assert "no one selected in a group of 35" in finding.evidence["groups"][0]["reason"]
    # 0 of 500 against 40% is no artefact: the test rejects, the finding is significant
    big = rows_from_counts([("a", 500, 200), ("b", 500, 0)], ["g"])
    (finding,) = _sel(big).findings
    assert finding.evidence_level.value == "significant"


def test_error_rate_ratio_made_zero_by_an_empty_cell_is_degenerate() -> None:
    """A group with no false positives makes the equalized odds ratio 0 with an interval [0, 0]:
    degenerate, with the group and the empty cell named, never a blocker."""

    def conf(g: str, tp: int, fn: int, fp: int, tn: int) -> pd.DataFrame:
        y = [1] * (tp + fn) + [0] * (fp + tn)
        p = [1] * tp + [0] * fn + [1] * fp + [0] * tn
        return pd.DataFrame({"g": g, "y": y, "p": p})

    # a: TPR 0.6, FPR 0.02; b: TPR 0.6, FPR 0 of 30: every gap is small but the FPR ratio is 0
    df = pd.concat([conf("a", 300, 200, 10, 490), conf("b", 18, 12, 0, 30)], ignore_index=True)
    ctx = make_context(df, prediction="p", target="y", sensitive=["g"])
    res = run_check(error_rate_parity, ctx, {"n_boot": 500})
    rows = {d["metric"]: d for d in res.tables["disparities"]}
    eo = rows["equalized_odds_ratio"]
    assert (eo["value"], eo["evidence"], eo["status"]) == (0.0, "degenerate", "inconclusive")
    assert eo["note"] == (
        "b: no false positives (no one without the favourable label was selected) (0 of 30)"
    )
    # the mean variant is pulled to 0.5 by the same empty cell, which the bootstrap cannot move
    mean = rows["equalized_odds_ratio_mean"]
    assert (mean["value"], mean["evidence"]) == (0.5, "degenerate")
    (finding,) = res.findings
    assert finding.severity.label == "low"  # nothing else is beyond its threshold
    assert finding.evidence_level.value == "degenerate"
    assert "(y ≠ 1)" in finding.message


def _write(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False)
    return path


def test_gate_exits_0_on_a_40_person_inconclusive_gap_and_1_on_a_clear_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = _write(
        rows_from_counts([("A", 1960, 784), ("B", 40, 11)], ["group"], "pred"), tmp_path / "s.csv"
    )
    out = tmp_path / "small"
    args = ["--prediction", "pred", "--sensitive", "group", "--positive-label", "1",
            "--format", "json,md", "--no-progress"]  # fmt: skip
    assert main(["run", "--data", str(small), "--out", str(out), *args]) == 0
    data = json.loads((out / "audit.json").read_text())
    (finding,) = [f for r in data["results"] for f in r["findings"]]
    assert (finding["evidence_level"], finding["severity"]) == ("inconclusive", "low")
    md = (out / "audit.md").read_text()
    assert "Audit PASS: nothing blocks" in md.splitlines()[1]
    assert (
        "The B group is selected at 69% of the A group&#39;s rate" not in md
    )  # text, escaped once
    assert "The B group is selected at 69% of the A group's rate" in md  # visible, not blocking
    big = _write(
        rows_from_counts([("A", 2000, 800), ("B", 2000, 400)], ["group"], "pred"),
        tmp_path / "b.csv",
    )
    assert main(["run", "--data", str(big), "--out", str(tmp_path / "big"), *args]) == 1
