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
from auditor.checks.fair_ll144 import ll144_bias_audit
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


def test_decide_on_estimate_fails_evidence_reports_inconclusive() -> None:
    # 0.5 vs 0.75 with 20 rows each: the estimate (0.667) is below 0.8, the interval reaches it
    df = rows_from_counts([("a", 20, 15), ("b", 20, 10)], ["g"])
    ctx = make_context(df, prediction="selected", sensitive=["g"])
    opts = {"min_group_size": 0, "n_boot": 500}
    est = run_check(selection_rate_parity, ctx, {**opts, "decide_on": "estimate"})
    ev = run_check(selection_rate_parity, ctx, opts)  # decide_on: evidence, the default
    assert _rows(est, "groups", "g")["b"]["status"] == "fail"
    b = _rows(ev, "groups", "g")["b"]
    assert (b["status"], b["evidence"]) == ("inconclusive", "inconclusive")
    assert b["ir_ci_high"] >= 0.8
    # the same gap: high (blocking) on the estimate, low and not blocking on the evidence
    assert [(f.location, f.severity.label) for f in est.findings] == [("feature:g", "high")]
    assert [(f.location, f.severity.label) for f in ev.findings] == [("feature:g", "low")]
    assert ev.findings[0].evidence_level.value == "inconclusive"
    assert est.findings[0].evidence_level.value == "inconclusive"  # stated either way


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
    # four rows a group cannot show a calibration error beyond noise: inconclusive, low
    assert (cal["b"]["status"], cal["b"]["evidence"]) == ("inconclusive", "inconclusive")
    assert cal["a"]["status"] == "pass"
    rel = [r for r in res.tables["reliability"] if r["group"] == "b"]
    assert [(r["bin"], r["n"], r["observed_rate"]) for r in rel] == [
        ("[0.10, 0.20)", 2, 0.5), ("[0.90, 1.00]", 2, 0.5),
    ]  # fmt: skip
    (finding,) = res.findings  # one per feature: the group's ECE and the gap together
    assert (finding.location, finding.discriminator) == ("feature:g", "calibration")
    assert finding.severity.label == "low"
    assert [g["group"] for g in finding.evidence["groups"]] == ["b"]
    assert finding.evidence["gap"]["ece"] == pytest.approx(0.3)
    # decided on the estimate, the same numbers fail at the check's severity
    est = run_check(
        calibration_by_group, ctx,
        {"min_group_size": 0, "n_bins": 10, "max_ece": 0.15, "decide_on": "estimate"},
    )  # fmt: skip
    assert _rows(est, "calibration", "g")["b"]["status"] == "fail"
    assert [f.severity.label for f in est.findings] == ["medium"]


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
    found = {f.location: f for f in res.findings}
    assert sorted(found) == ["feature:sex/class:hire", "feature:sex/class:reject"]
    hire = found["feature:sex/class:hire"]
    assert hire.message.startswith("Outcome hire: women are predicted hire at 50% of men's rate")
    assert [g["group"] for g in hire.evidence["groups"]] == ["F"]
    assert [g["group"] for g in found["feature:sex/class:reject"].evidence["groups"]] == ["M"]
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
    assert rows["F"]["evidence"] == "significant"
    (finding,) = res.findings
    assert finding.location == "feature:sex"
    assert finding.evidence_level.value == "significant"
    assert [g["group"] for g in finding.evidence["groups"]] == ["F"]
    assert finding.message.startswith(
        "Women make up 12.0% of the data (95% CI 10.1%–14.2%; 120 people) against 47.0% of the "
        "reference population (ratio 0.26; the minimum is 0.8)"
    )


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


def _confusion_rows(group: str, tp: int, fn: int, fp: int, tn: int) -> pd.DataFrame:
    y = [1] * (tp + fn) + [0] * (fp + tn)
    p = [1] * tp + [0] * fn + [1] * fp + [0] * tn
    return pd.DataFrame({"g": group, "y": y, "p": p})


def test_reference_below_min_group_size_makes_every_comparison_insufficient() -> None:
    # M (the privileged reference) has 10 rows: no group may pass or fail against its rate
    df = rows_from_counts([("M", 10, 5), ("F", 100, 20), ("X", 100, 60)], ["g"])
    ctx = make_context(df, prediction="selected", sensitive=["g"])
    res = run_check(
        selection_rate_parity, ctx,
        {"reference": "privileged", "privileged": {"g": "M"}, "n_boot": 0},
    )  # fmt: skip
    rows = _rows(res, "groups", "g")
    assert rows["M"]["status"] == "insufficient_evidence"
    assert rows["M"]["note"] == "n=10 < min_group_size 30; privileged group not eligible"
    for g in ("F", "X"):
        assert rows[g]["status"] == "insufficient_evidence"
        assert rows[g]["note"] == "reference group 'M' has n=10 < min_group_size 30"
    assert rows["F"]["impact_ratio"] == pytest.approx(0.2 / 0.5)  # still shown
    # no impact ratio can be judged; the demographic parity ratio and difference of F and X are
    # beyond 0.1 but untested (n_boot 0): one low finding, listing the unassessed groups
    (finding,) = res.findings
    assert finding.severity.label == "low"
    assert finding.evidence["groups"] == []
    assert [m["metric"] for m in finding.evidence["metrics"]] == [
        "demographic_parity_ratio", "demographic_parity_difference",
    ]  # fmt: skip
    assert [x["group"] for x in finding.evidence["not_assessed"]] == ["F", "M", "X"]
    assert finding.message.startswith(
        "20.0% of the F group are selected against 60.0% of the X group (100 and 100 people)"
    )
    # the same for the error-rate check: its average odds difference has no reference to use
    lab = pd.concat(
        [_confusion_rows("M", 4, 1, 1, 4), _confusion_rows("F", 40, 10, 20, 30),
         _confusion_rows("X", 30, 20, 10, 40)], ignore_index=True,
    )  # fmt: skip
    ctx2 = make_context(lab, prediction="p", target="y", sensitive=["g"])
    res2 = run_check(
        error_rate_parity, ctx2,
        {"reference": "privileged", "privileged": {"g": "M"}, "n_boot": 0},
    )  # fmt: skip
    assert {r["status"] for r in res2.tables["groups"]} == {"insufficient_evidence"}
    aod = next(d for d in res2.tables["disparities"] if d["metric"] == "average_odds_difference")
    assert (aod["value"], aod["status"]) == (None, "insufficient_evidence")


def test_average_odds_difference_with_an_interval_containing_zero_is_inconclusive() -> None:
    # a: TPR 0.8, FPR 0.3 (the reference); b: TPR 0.6, FPR 0.1 -> AOD -0.2, 20 rows each
    df = pd.concat(
        [_confusion_rows("a", 8, 2, 3, 7), _confusion_rows("b", 6, 4, 1, 9)], ignore_index=True
    )
    ctx = make_context(df, prediction="p", target="y", sensitive=["g"])
    opts = {"min_group_size": 0, "n_boot": 2000, "metrics": ["average_odds_difference"]}
    res = run_check(error_rate_parity, ctx, opts)
    (row,) = res.tables["disparities"]
    assert row["value"] == pytest.approx(-0.2)
    assert row["ci_low"] < 0 < row["ci_high"]  # the sign itself is not settled
    assert (row["status"], row["evidence"]) == ("inconclusive", "inconclusive")
    (finding,) = res.findings
    assert finding.severity.label == "low"
    est = run_check(error_rate_parity, ctx, {**opts, "decide_on": "estimate"})
    assert est.tables["disparities"][0]["status"] == "fail"


def test_average_odds_difference_message_names_the_absolute_value() -> None:
    # a: TPR 0.8, FPR 0.3; b: TPR 0.6, FPR 0.15 -> AOD ((0.15-0.3) + (0.6-0.8)) / 2 = -0.175
    df = pd.concat(
        [_confusion_rows("a", 80, 20, 30, 70), _confusion_rows("b", 60, 40, 15, 85)],
        ignore_index=True,
    )
    ctx = make_context(df, prediction="p", target="y", sensitive=["g"])
    res = run_check(error_rate_parity, ctx, {"n_boot": 0, "metrics": ["average_odds_difference"]})
    (row,) = res.tables["disparities"]
    assert row["value"] == pytest.approx(-0.175)
    # no bootstrap (n_boot 0): no test, so the breach cannot be significant
    assert (row["status"], row["evidence"]) == ("inconclusive", "inconclusive")
    (finding,) = res.findings
    assert "|average_odds_difference| 0.175 > 0.1 (signed value -0.175)" in finding.detail
    assert finding.message.startswith(
        "Of the people with the favourable label (y = 1), 60.0% of the b group are selected "
        "against 80.0% of the a group (true positive rate; 100 and 100 people with the label)"
    )


def test_score_parity_thresholds_accept_the_table_metric_names() -> None:
    df = pd.DataFrame({"g": ["a"] * 40 + ["b"] * 40, "s": np.r_[np.arange(40), np.arange(40) + 20]})
    ctx = make_context(df, score="s", sensitive=["g"])
    for key in ("scoring_rate_parity_difference", "demographic_parity_difference"):
        res = run_check(score_parity, ctx, {"n_boot": 0, "thresholds": {key: 0.6}})
        row = next(
            d for d in res.tables["disparities"] if d["metric"] == "scoring_rate_parity_difference"
        )
        assert row["value"] == pytest.approx(0.5)  # 10/40 vs 30/40 above the median 29.5
        assert (row["threshold"], row["status"]) == (0.6, "pass")
    from auditor.errors import ConfigError

    with pytest.raises(ConfigError, match="name the same metric with different thresholds"):
        run_check(
            score_parity, ctx,
            {"thresholds": {"scoring_rate_parity_ratio": 0.9, "demographic_parity_ratio": 0.8}},
        )  # fmt: skip


def test_groups_table_has_npv_after_precision(data: pd.DataFrame) -> None:
    from auditor.fairness.tables import GROUP_COLUMNS

    ctx = make_context(data, prediction="p", target="y", sensitive=["sex"])
    res = run_check(error_rate_parity, ctx, {"n_boot": 0})
    rows = _rows(res, "groups", "sex")
    assert list(rows["F"]) == list(GROUP_COLUMNS)
    assert GROUP_COLUMNS.index("npv") == GROUP_COLUMNS.index("precision") + 1
    f = data[data.sex == "F"]
    assert rows["F"]["npv"] == pytest.approx(skm.precision_score(f.y, f.p, pos_label=0), abs=1e-15)
    assert rows["F"]["precision"] == pytest.approx(skm.precision_score(f.y, f.p), abs=1e-15)


def test_insufficient_evidence_severity_option_and_the_eeoc_pack() -> None:
    df = rows_from_counts([("F", 50, 10), ("M", 50, 20)], ["sex"])
    ctx = make_context(df.assign(sex="F"), prediction="selected", sensitive=["sex"])
    low = run_check(selection_rate_parity, ctx, {"n_boot": 0})
    medium = run_check(
        selection_rate_parity, ctx, {"n_boot": 0, "insufficient_evidence_severity": "medium"}
    )
    assert {f.severity.label for f in low.findings} == {"low"}
    assert {f.severity.label for f in medium.findings} == {"medium"}
    # eeoc-four-fifths: not assessable is medium, shown but not blocking at fail_on high
    rep = auditor.audit(df.assign(sex="F"), prediction="selected", sensitive=["sex"],
                        policy="eeoc-four-fifths")  # fmt: skip
    fair001 = rep.result("FAIR001")
    assert fair001.options["insufficient_evidence_severity"] == "medium"
    assert {f.severity.label for f in fair001.findings} == {"medium"}
    assert rep.verdict == "pass"
    strict = auditor.audit(df.assign(sex="F"), prediction="selected", sensitive=["sex"],
                           policy="eeoc-four-fifths", fail_on="medium")  # fmt: skip
    assert strict.verdict == "fail"
    # FAIR003 (LL144) reports categories it cannot compare, at the same option's severity
    ll = make_context(df, prediction="selected", sensitive=["sex"])
    res = run_check(
        ll144_bias_audit, ll,
        {"n_boot": 0, "min_group_size": 60, "insufficient_evidence_severity": "high"},
    )  # fmt: skip
    (finding,) = [f for f in res.findings if f.location == "feature:sex"]
    assert finding.severity.label == "high"
    assert finding.message.startswith("None of the 2 groups of sex could be assessed")


def test_family_insufficient_evidence_severity_reaches_fair007() -> None:
    """``FAIR: {options: {insufficient_evidence_severity: ...}}`` reaches FAIR007 too: its
    "could not be assessed" findings (groups below min_group_size) take that severity."""
    df = rows_from_counts([("F", 20, 5), ("M", 80, 40)], ["sex"], outcome="hired")
    policy = {
        "version": 1,
        "name": "family",
        "checks": {
            "FAIR": {"options": {"insufficient_evidence_severity": "high", "n_boot": 0}},
            "FAIR007": {},
        },
    }
    rep = auditor.audit(df, target="hired", positive_label=1, sensitive=["sex"], policy=policy)
    fair007 = rep.result("FAIR007")
    assert fair007.options["insufficient_evidence_severity"] == "high"
    # one finding for sex: F (20 people) is below the reference's rate but too small to judge
    (finding,) = fair007.findings
    assert finding.severity.label == "high"
    assert finding.evidence_level.value == "inconclusive"
    assert finding.message.startswith(
        "Women have the favourable label (hired = 1) at 50% of men's rate (25.0% vs 50.0%; "
        "20 women, 80 men)"
    )
    assert "not yet conclusive: only 20 people (fewer than min_group_size 30)" in finding.message
    assert {x["metric"] for x in finding.evidence["not_assessed"]} == {
        "base_rate_difference", "base_rate_ratio",
    }  # fmt: skip
    default = run_check(
        label_base_rate,
        make_context(df, target="hired", positive_label=1, sensitive=["sex"]),
        {"n_boot": 0},
    )
    assert [(f.location, f.severity.label) for f in default.findings] == [("feature:sex", "low")]
