"""Each FAIR check on small data with hand-checked numbers, the packs, and the shared measurements."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fair_data import rows_from_counts
from fairlearn import metrics as flm
from sklearn import metrics as skm

import auditor
from auditor.checks.fair_base_rate import label_base_rate
from auditor.checks.fair_calibration import calibration_by_group
from auditor.checks.fair_error_rates import error_rate_parity
from auditor.checks.fair_multiclass import multiclass_parity
from auditor.checks.fair_proxies import proxy_features
from auditor.checks.fair_representation import representation
from auditor.checks.fair_scores import score_parity
from auditor.checks.fair_selection import selection_rate_parity
from auditor.fairness.measure import group_rows, overall_metrics
from auditor.testing import make_context, run_check


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 4000
    sex = rng.choice(["F", "M"], n)
    race = rng.choice(["A", "B", "C"], n, p=[0.6, 0.3, 0.1])
    y = (rng.random(n) < np.where(sex == "F", 0.35, 0.5)).astype(int)
    score = np.clip(0.35 * y + 0.65 * rng.random(n) - np.where(sex == "F", 0.05, 0.0), 0, 1)
    return pd.DataFrame(
        {"sex": sex, "race": race, "y": y, "score": score, "p": (score > 0.45).astype(int),
         "zip": np.where(race == "A", "z1", rng.choice(["z2", "z3", "z4"], n)),
         "noise": rng.normal(size=n)}
    )  # fmt: skip


def _rows(result, table: str, feature: str) -> dict[str, dict]:
    return {r["group"]: r for r in result.tables[table] if r["feature"] == feature}


def test_error_rate_parity_matches_fairlearn(data: pd.DataFrame) -> None:
    ctx = make_context(data, prediction="p", target="y", sensitive=["sex", "race"])
    res = run_check(error_rate_parity, ctx, {"n_boot": 200})
    disp = {(d["feature"], d["metric"]): d for d in res.tables["disparities"]}
    for feature, sf in (
        ("sex", data.sex),
        ("race", data.race),
        ("sex×race", data[["sex", "race"]]),
    ):
        for metric, fn in (
            ("equalized_odds_difference", flm.equalized_odds_difference),
            ("equalized_odds_ratio", flm.equalized_odds_ratio),
            ("equal_opportunity_difference", flm.equal_opportunity_difference),
            ("equal_opportunity_ratio", flm.equal_opportunity_ratio),
        ):
            assert disp[(feature, metric)]["value"] == pytest.approx(
                fn(data.y, data.p, sensitive_features=sf), abs=1e-12
            ), (feature, metric)
    eo_mean = flm.equalized_odds_difference(data.y, data.p, sensitive_features=data.sex, agg="mean")
    assert disp[("sex", "equalized_odds_difference_mean")]["value"] == pytest.approx(
        eo_mean, abs=1e-12
    )
    # average odds difference (AIF360) against the highest-selection-rate group
    g = _rows(res, "groups", "sex")
    ref = max(g.values(), key=lambda r: r["selection_rate"])
    other = next(r for r in g.values() if r is not ref)
    aod = ((other["fpr"] - ref["fpr"]) + (other["tpr"] - ref["tpr"])) / 2
    assert disp[("sex", "average_odds_difference")]["value"] == pytest.approx(aod, abs=1e-12)
    prec = {k: v["precision"] for k, v in g.items()}
    assert disp[("sex", "predictive_parity_difference")]["value"] == pytest.approx(
        abs(prec["F"] - prec["M"]), abs=1e-12
    )
    d = disp[("sex", "equal_opportunity_difference")]
    assert d["ci_low"] < d["value"] < d["ci_high"]
    assert d["status"] == ("fail" if d["value"] > 0.1 else "pass")


def test_reference_strategies(data: pd.DataFrame) -> None:
    ctx = make_context(data, prediction="p", sensitive=["race"])
    rates = data.groupby("race").p.mean()
    sizes = data.race.value_counts()
    for options, ref_name, ref_rate in (
        ({}, rates.idxmax(), rates.max()),
        ({"reference": "majority"}, sizes.idxmax(), rates[sizes.idxmax()]),
        ({"reference": "privileged", "privileged": {"race": "C"}}, "C", rates["C"]),
        ({"reference": "overall"}, "(overall)", data.p.mean()),
    ):
        res = run_check(selection_rate_parity, ctx, {"n_boot": 0, **options})
        rows = _rows(res, "groups", "race")
        assert {r["reference_group"] for r in rows.values()} == {ref_name}
        for group, row in rows.items():
            assert row["impact_ratio"] == pytest.approx(rates[group] / ref_rate, rel=1e-12)


def test_decide_on_ci_only_fails_when_the_whole_interval_is_below() -> None:
    # 0.5 vs 0.75 with 20 rows each: the estimate fails, the interval reaches above 0.8
    df = rows_from_counts([("a", 20, 15), ("b", 20, 10)], ["g"])
    ctx = make_context(df, prediction="selected", sensitive=["g"])
    est = run_check(selection_rate_parity, ctx, {"min_group_size": 0, "n_boot": 500})
    ci = run_check(
        selection_rate_parity, ctx, {"min_group_size": 0, "n_boot": 500, "decide_on": "ci"}
    )
    assert _rows(est, "groups", "g")["b"]["status"] == "fail"
    assert _rows(ci, "groups", "g")["b"]["status"] == "pass"


def test_score_parity_scoring_rates_and_regression_errors() -> None:
    df = pd.DataFrame(
        {"g": ["a"] * 4 + ["b"] * 4, "s": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
         "t": [1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 10.0]}
    )  # fmt: skip
    ctx = make_context(df, score="s", target="t", sensitive=["g"])
    assert ctx.positive_label is None  # a continuous target is accepted for score audits
    res = run_check(score_parity, ctx, {"n_boot": 0, "min_group_size": 0})
    groups = _rows(res, "groups", "g")
    assert (groups["a"]["above_median"], groups["b"]["above_median"]) == (0, 4)  # median 4.5
    assert groups["a"]["scoring_rate"] == 0.0
    assert groups["a"]["status"] == "fail"
    scores = _rows(res, "score_groups", "g")
    assert scores["a"]["mean_score"] == 2.5
    assert scores["a"]["mae"] == pytest.approx(0.125)
    assert scores["b"]["mae"] == pytest.approx(0.5)
    assert scores["b"]["rmse"] == pytest.approx(1.0)
    assert {d["metric"] for d in res.tables["disparities"]} == {
        "scoring_rate_parity_difference", "scoring_rate_parity_ratio",
    }  # fmt: skip
    err = run_check(score_parity, ctx, {"n_boot": 0, "min_group_size": 0, "max_error_ratio": 2.0})
    assert any(f.discriminator == "mae_ratio" for f in err.findings)


def test_calibration_by_group_hand_computed() -> None:
    df = pd.DataFrame(
        {"g": ["a"] * 4 + ["b"] * 4, "s": [0.05, 0.15, 0.85, 0.95, 0.9, 0.9, 0.1, 0.1],
         "y": [0, 0, 1, 1, 0, 1, 0, 1]}
    )  # fmt: skip
    ctx = make_context(df, score="s", target="y", sensitive=["g"])
    res = run_check(calibration_by_group, ctx, {"min_group_size": 0, "n_bins": 10, "max_ece": 0.15})
    cal = _rows(res, "calibration", "g")
    # group a: bins 0,1,8,9 each one row: |0.05-0|+|0.15-0|+|0.85-1|+|0.95-1| = 0.4 over 4 rows
    assert cal["a"]["ece"] == pytest.approx(0.1)
    assert cal["a"]["brier"] == pytest.approx((0.05**2 + 0.15**2 + 0.15**2 + 0.05**2) / 4)
    # group b: bin 9 mean 0.9 vs 0.5, bin 1 mean 0.1 vs 0.5: ECE 0.4
    assert cal["b"]["ece"] == pytest.approx(0.4)
    assert cal["b"]["status"] == "fail"
    assert cal["a"]["status"] == "pass"
    rel = [r for r in res.tables["reliability"] if r["group"] == "b"]
    assert [(r["bin"], r["n"], r["observed_rate"]) for r in rel] == [
        ("[0.10, 0.20)", 2, 0.5), ("[0.90, 1.00]", 2, 0.5),
    ]  # fmt: skip
    assert {f.discriminator for f in res.findings} == {"ece", "ece_gap"}


def test_multiclass_one_vs_rest() -> None:
    df = pd.DataFrame(
        {"sex": ["F"] * 100 + ["M"] * 100,
         "pred": ["hire"] * 15 + ["interview"] * 40 + ["reject"] * 45
         + ["hire"] * 30 + ["interview"] * 40 + ["reject"] * 30}
    )  # fmt: skip
    ctx = make_context(df, prediction="pred", sensitive=["sex"], positive_label="hire")
    res = run_check(multiclass_parity, ctx, {"n_boot": 0})
    rows = {(r["class"], r["group"]): r for r in res.tables["class_groups"]}
    assert rows[("hire", "F")]["impact_ratio"] == 0.5
    assert rows[("interview", "F")]["impact_ratio"] == 1.0
    assert rows[("reject", "M")]["impact_ratio"] == pytest.approx(30 / 45)
    assert sorted(f.location for f in res.findings) == [
        "feature:sex/group:F/class:hire", "feature:sex/group:M/class:reject",
    ]  # fmt: skip
    disp = {(d["class"], d["metric"]): d["value"] for d in res.tables["class_disparities"]}
    assert disp[("hire", "demographic_parity_difference")] == pytest.approx(0.15)
    binary = make_context(
        df.assign(pred=df.pred.eq("hire").astype(int)), prediction="pred", sensitive=["sex"]
    )
    assert run_check(multiclass_parity, binary).status.value == "skipped"


def test_label_base_rate_without_a_model() -> None:
    df = rows_from_counts([("Male", 1000, 306), ("Female", 1000, 109)], ["sex"], "income")
    ctx = make_context(df, target="income", sensitive=["sex"])
    res = run_check(label_base_rate, ctx, {"n_boot": 0})
    rows = _rows(res, "groups", "sex")
    assert rows["Female"]["base_rate"] == 0.109
    assert rows["Female"]["selection_rate"] is None
    assert rows["Female"]["impact_ratio"] == pytest.approx(109 / 306)
    assert rows["Female"]["status"] == "fail"
    disp = {d["metric"]: d["value"] for d in res.tables["disparities"]}
    assert disp["base_rate_difference"] == pytest.approx(0.197)


def test_representation_against_a_reference_population() -> None:
    df = pd.DataFrame({"sex": ["F"] * 120 + ["M"] * 880})
    ctx = make_context(df, sensitive=["sex"])
    res = run_check(representation, ctx, {"reference_population": {"sex": {"F": 0.47, "M": 0.53}}})
    rows = _rows(res, "representation", "sex")
    assert rows["F"]["share"] == 0.12
    assert rows["F"]["representation_ratio"] == pytest.approx(0.12 / 0.47)
    assert rows["F"]["status"] == "fail"
    assert rows["M"]["status"] == "pass"
    assert rows["F"]["p_value"] < 1e-100
    assert rows["(goodness of fit)"]["p_value"] < 1e-100
    assert [f.location for f in res.findings] == ["feature:sex/group:F"]


def test_proxy_detection(data: pd.DataFrame) -> None:
    ctx = make_context(data, prediction="p", target="y", score="score", sensitive=["race"])
    res = run_check(proxy_features, ctx)
    by = {r["feature"]: r for r in res.tables["proxies"]}
    assert by["zip"]["status"] == "strong"
    assert by["zip"]["cramers_v"] > 0.7
    assert by["noise"]["status"] == "weak"
    assert by["noise"]["cramers_v"] < 0.1
    assert "sex" in by
    assert "race" not in by
    assert "y" not in by
    assert [f.location for f in res.findings] == ["column:zip/sensitive:race"]
    # mutual information equals sklearn's on the same codes
    codes_zip = pd.factorize(data.zip)[0]
    codes_race = pd.factorize(data.race)[0]
    assert by["zip"]["mutual_information"] == pytest.approx(
        skm.mutual_info_score(codes_zip, codes_race), rel=1e-9
    )


def test_shared_measurements(data: pd.DataFrame) -> None:
    ctx = make_context(data, prediction="p", target="y", score="score", sensitive=["sex"])
    m = overall_metrics(ctx)
    assert m["accuracy"] == pytest.approx(skm.accuracy_score(data.y, data.p))
    assert m["precision"] == pytest.approx(skm.precision_score(data.y, data.p))
    assert m["tpr"] == pytest.approx(skm.recall_score(data.y, data.p))
    assert m["f1"] == pytest.approx(skm.f1_score(data.y, data.p))
    assert m["roc_auc"] == pytest.approx(skm.roc_auc_score(data.y, data.score))
    assert m["brier"] == pytest.approx(skm.brier_score_loss(data.y, data.score))
    assert m["selection_rate"] == data.p.mean()
    assert m["base_rate"] == data.y.mean()
    rows = group_rows(ctx)
    assert [r["group"] for r in rows] == ["F", "M"]
    assert rows[0]["selection_rate"] == data.p[data.sex == "F"].mean()
    assert group_rows(ctx) == rows
    assert overall_metrics(ctx) is not m
    bare = make_context(data[["sex", "y"]], target="y", sensitive=["sex"])
    mb = overall_metrics(bare)
    assert mb["accuracy"] is None
    assert mb["roc_auc"] is None
    assert mb["base_rate"] == data.y.mean()
    assert group_rows(bare)[0]["base_rate"] == data.y[data.sex == "F"].mean()


@pytest.mark.parametrize("pack", ["fairness", "eeoc-four-fifths", "nyc-ll144", "default"])
def test_packs_run_end_to_end(data: pd.DataFrame, pack: str) -> None:
    rep = auditor.audit(
        data, prediction="p", target="y", score="score", sensitive=["sex", "race"], policy=pack,
        metadata={"audit_date": "2026-01-05", "data_source": "synthetic", "distribution_date": "2025-01-01"},
        overrides={"FAIR003.n_boot": 100} if pack in ("fairness", "nyc-ll144") else {},
    )  # fmt: skip
    fair = {r.check: r.status.value for r in rep.results if r.family == "fairness"}
    expected = {
        "fairness": {f"FAIR00{i}" for i in range(1, 10)},
        "eeoc-four-fifths": {"FAIR001", "FAIR004"},
        "nyc-ll144": {"FAIR003"},
        "default": {f"FAIR00{i}" for i in range(1, 10)} - {"FAIR003"},
    }[pack]
    assert set(fair) == expected
    assert "errored" not in fair.values()
    if "FAIR006" in fair:
        assert fair["FAIR006"] == "skipped"  # binary predictions
