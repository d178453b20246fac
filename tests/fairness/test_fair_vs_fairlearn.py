"""Property tests: every per-group metric and disparity equals fairlearn's on random data.

Where a rate is 0/0 fairlearn returns 0 (sklearn's zero_division); we return NaN and mark the
group insufficient evidence. The tests assert exactly that difference, nothing looser: a
disparity over groups of which some are undefined (or too small) equals fairlearn's on the
defined, eligible groups, with the overall rate of ``to_overall`` taken from every row.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as flm
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from auditor.fairness.api import by_group, group_counts
from auditor.fairness.disparity import disparity
from auditor.fairness.rates import rate, rate_parts

PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink)
FL_RATES = {
    "selection_rate": flm.selection_rate,
    "tpr": flm.true_positive_rate,
    "fpr": flm.false_positive_rate,
    "fnr": flm.false_negative_rate,
    "tnr": flm.true_negative_rate,
    "accuracy": lambda y, p: float(np.mean(np.asarray(y) == np.asarray(p))),
    "precision": lambda y, p: skm.precision_score(y, p, zero_division=0),
    "npv": lambda y, p: skm.precision_score(
        np.asarray(y) == 0, np.asarray(p) == 0, zero_division=0
    ),
    "base_rate": lambda y, p: float(np.mean(y)),
}
# the rows each rate is a share of: a group without such rows has the rate undefined (0/0)
DENOMINATORS = {
    "selection_rate": lambda d: np.ones(len(d), dtype=bool),
    "tpr": lambda d: d.y == 1,
    "fpr": lambda d: d.y == 0,
    "precision": lambda d: d.p == 1,
    "accuracy": lambda d: np.ones(len(d), dtype=bool),
}
# disparity metric -> (rates it compares, aggregation over the rates, ratio?)
DISPARITIES = {
    "demographic_parity_difference": (("selection_rate",), "worst_case", False),
    "demographic_parity_ratio": (("selection_rate",), "worst_case", True),
    "equalized_odds_difference": (("tpr", "fpr"), "worst_case", False),
    "equalized_odds_ratio": (("tpr", "fpr"), "worst_case", True),
    "equalized_odds_difference_mean": (("tpr", "fpr"), "mean", False),
    "equalized_odds_ratio_mean": (("tpr", "fpr"), "mean", True),
    "equal_opportunity_difference": (("tpr",), "worst_case", False),
    "equal_opportunity_ratio": (("tpr",), "worst_case", True),
    "predictive_parity_difference": (("precision",), "worst_case", False),
    "predictive_parity_ratio": (("precision",), "worst_case", True),
    "accuracy_score_difference": (("accuracy",), "worst_case", False),
    "accuracy_score_ratio": (("accuracy",), "worst_case", True),
}


@st.composite
def datasets(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=1, max_value=80))
    k = draw(st.integers(min_value=1, max_value=4))
    mode = draw(st.sampled_from(["random", "all_pos", "all_neg", "labels_one_class"]))
    ints = st.lists(st.integers(0, 1), min_size=n, max_size=n)
    groups = draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    y = draw(ints)
    p = draw(ints)
    if mode == "all_pos":
        p = [1] * n
    elif mode == "all_neg":
        p = [0] * n
    elif mode == "labels_one_class":
        y = [1] * n
    return pd.DataFrame({"g": [f"g{v}" for v in groups], "y": y, "p": p})


def _fl_frame(df: pd.DataFrame) -> flm.MetricFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return flm.MetricFrame(metrics=FL_RATES, y_true=df.y, y_pred=df.p, sensitive_features=df.g)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=PHASES
)
@given(datasets())
def test_per_group_metrics_match_metricframe(df: pd.DataFrame) -> None:
    (gc,) = group_counts(df.y, df.p, {"g": df.g})
    ours = by_group(gc, list(FL_RATES))
    mf = _fl_frame(df)
    assert list(ours.index) == [str(g) for g in mf.by_group.index]
    assert (ours["count"].to_numpy() == df.g.value_counts().sort_index().to_numpy()).all()
    for name in FL_RATES:
        theirs = mf.by_group[name].to_numpy(dtype=float)
        mine = ours[name].to_numpy(dtype=float)
        _, den = rate_parts(gc.cells, name)
        undefined = den == 0
        # 0/0: ours is undefined (NaN), fairlearn coerces to 0
        assert np.isnan(mine[undefined]).all()
        assert (theirs[undefined] == 0).all()
        np.testing.assert_allclose(mine[~undefined], theirs[~undefined], rtol=0, atol=1e-12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=PHASES
)
@given(datasets(), st.sampled_from(["between_groups", "to_overall"]))
def test_disparities_match_fairlearn(df: pd.DataFrame, method: str) -> None:
    (gc,) = group_counts(df.y, df.p, {"g": df.g})
    eligible = np.ones(len(gc.groups), dtype=bool)
    pairs = {
        "demographic_parity_difference": flm.demographic_parity_difference,
        "demographic_parity_ratio": flm.demographic_parity_ratio,
        "equalized_odds_difference": flm.equalized_odds_difference,
        "equalized_odds_ratio": flm.equalized_odds_ratio,
        "equal_opportunity_difference": flm.equal_opportunity_difference,
        "equal_opportunity_ratio": flm.equal_opportunity_ratio,
    }
    needs = {
        "demographic_parity_difference": ("selection_rate",),
        "demographic_parity_ratio": ("selection_rate",),
        "equalized_odds_difference": ("tpr", "fpr"),
        "equalized_odds_ratio": ("tpr", "fpr"),
        "equal_opportunity_difference": ("tpr",),
        "equal_opportunity_ratio": ("tpr",),
    }
    for metric, fn in pairs.items():
        ours = float(disparity(gc.cells, metric, eligible, method=method))
        defined = all((rate_parts(gc.cells, r)[1] > 0).all() for r in needs[metric])
        enough = len(gc.groups) >= (2 if method == "between_groups" else 1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if metric.startswith("equalized_odds"):
                # fairlearn takes Python min/max over [tpr part, fpr part], which depends on the
                # order when a part is NaN; we aggregate the defined parts (nanmin/nanmax)
                kind = "ratio" if metric.endswith("ratio") else "difference"
                tpr_fn = getattr(flm, f"true_positive_rate_{kind}")
                fpr_fn = getattr(flm, f"false_positive_rate_{kind}")
                parts = [
                    f(df.y, df.p, sensitive_features=df.g, method=method) for f in (tpr_fn, fpr_fn)
                ]
                theirs = (
                    float(np.nanmin(parts) if kind == "ratio" else np.nanmax(parts))
                    if not np.isnan(parts).all()
                    else float("nan")
                )
            else:
                theirs = float(fn(df.y, df.p, sensitive_features=df.g, method=method))
        if defined and enough:
            if np.isnan(theirs):  # fairlearn: 0/0 ratio when every rate is 0
                assert np.isnan(ours)
            else:
                assert ours == pytest.approx(theirs, abs=1e-12), metric
        elif not enough:
            assert np.isnan(ours), f"{metric}: one group cannot show a disparity"


def _ratio_sub_one(x: float) -> float:
    return 1 / x if x > 1 else x  # fairlearn's to_overall: each ratio expressed as <= 1


def _fl_part(df: pd.DataFrame, rate_name: str, keep: list[str], method: str, ratio: bool) -> float:
    """fairlearn's difference/ratio of one rate over the groups ``keep`` (defined, eligible);
    ``to_overall`` compares them with the overall rate of every row, as fairlearn does."""
    fn = FL_RATES[rate_name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "between_groups":
            if len(keep) < 2:
                return float("nan")
            sub = df[df.g.isin(keep)]
            mf = flm.MetricFrame(metrics=fn, y_true=sub.y, y_pred=sub.p, sensitive_features=sub.g)
            return float(mf.ratio() if ratio else mf.difference())
        mf = flm.MetricFrame(metrics=fn, y_true=df.y, y_pred=df.p, sensitive_features=df.g)
        by_group = mf.by_group[keep].astype(float)
        if not len(by_group):
            return float("nan")
        if ratio:
            return float((by_group / float(mf.overall)).transform(_ratio_sub_one).min())
        return float((by_group - float(mf.overall)).abs().max())


@st.composite
def with_eligibility(draw: st.DrawFn) -> tuple[pd.DataFrame, list[bool]]:
    df = draw(datasets())
    k = df.g.nunique()
    return df, draw(st.lists(st.booleans(), min_size=k, max_size=k))


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=PHASES
)
@given(with_eligibility(), st.sampled_from(["between_groups", "to_overall"]))
def test_disparities_match_fairlearn_on_the_defined_eligible_groups(
    case: tuple[pd.DataFrame, list[bool]], method: str
) -> None:
    df, mask = case
    (gc,) = group_counts(df.y, df.p, {"g": df.g})
    eligible = np.array(mask, dtype=bool)
    groups = list(gc.groups)
    for metric, (rates, agg, ratio) in DISPARITIES.items():
        ours = float(disparity(gc.cells, metric, eligible, method=method))
        parts = []
        for r in rates:
            has_rows = df[DENOMINATORS[r](df)].g.unique()
            keep = [g for g, ok in zip(groups, mask, strict=True) if ok and g in has_rows]
            parts.append(_fl_part(df, r, keep, method, ratio))
        finite = [x for x in parts if np.isfinite(x)]
        if not finite:
            theirs = float("nan")
        elif agg == "mean":
            theirs = float(np.mean(finite))
        else:
            theirs = min(finite) if ratio else max(finite)
        if np.isnan(theirs):
            assert np.isnan(ours), (metric, ours)
        else:
            assert ours == pytest.approx(theirs, abs=1e-12), (metric, method)


def _aod_oracle(df: pd.DataFrame, mask: list[bool], reference: int | None) -> float:
    """AIF360's average odds difference, by hand: ((FPR_g - FPR_ref) + (TPR_g - TPR_ref)) / 2
    for every eligible group with both rates defined; the one largest in absolute value (first
    in group order on ties). ``reference`` None: the overall rates of every row."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mf = flm.MetricFrame(
            metrics={"tpr": flm.true_positive_rate, "fpr": flm.false_positive_rate},
            y_true=df.y,
            y_pred=df.p,
            sensitive_features=df.g,
        )
    groups = list(mf.by_group.index)
    pos = df[df.y == 1].g.unique()
    neg = df[df.y == 0].g.unique()
    defined = [g in pos and g in neg for g in groups]
    if reference is None:
        if not (df.y == 1).any() or not (df.y == 0).any():
            return float("nan")
        ref_t, ref_f = float(mf.overall["tpr"]), float(mf.overall["fpr"])
        others = range(len(groups))
    else:
        if not (mask[reference] and defined[reference]):
            return float("nan")
        ref_t, ref_f = mf.by_group["tpr"].iloc[reference], mf.by_group["fpr"].iloc[reference]
        others = [i for i in range(len(groups)) if i != reference]
    best = float("nan")
    for i in others:
        if not (mask[i] and defined[i]):
            continue
        v = ((mf.by_group["fpr"].iloc[i] - ref_f) + (mf.by_group["tpr"].iloc[i] - ref_t)) / 2
        if np.isnan(best) or abs(v) > abs(best):
            best = float(v)
    return best


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=PHASES
)
@given(with_eligibility(), st.data())
def test_average_odds_difference_matches_an_independent_computation(
    case: tuple[pd.DataFrame, list[bool]], data: st.DataObject
) -> None:
    df, mask = case
    (gc,) = group_counts(df.y, df.p, {"g": df.g})
    reference = data.draw(st.none() | st.integers(0, len(gc.groups) - 1))
    ours = float(
        disparity(
            gc.cells, "average_odds_difference", np.array(mask, dtype=bool), reference=reference
        )
    )
    theirs = _aod_oracle(df, mask, reference)
    if np.isnan(theirs):
        assert np.isnan(ours)
    else:
        assert ours == pytest.approx(theirs, abs=1e-12)


def test_to_overall_uses_every_row_like_fairlearn_even_with_a_small_group() -> None:
    # groups a (100 rows, 50% selected), b (100, 30%), c (10, 100%): c is below min_group_size
    # and left out of the comparison, but its rows stay in the overall rate (fairlearn's)
    df = pd.DataFrame(
        {
            "g": ["a"] * 100 + ["b"] * 100 + ["c"] * 10,
            "p": [1] * 50 + [0] * 50 + [1] * 30 + [0] * 70 + [1] * 10,
        }
    )
    df["y"] = df.p
    (gc,) = group_counts(df.y, df.p, {"g": df.g})
    eligible = gc.n >= 30
    overall = 90 / 210
    assert flm.MetricFrame(
        metrics=flm.selection_rate, y_true=df.y, y_pred=df.p, sensitive_features=df.g
    ).overall == pytest.approx(overall)
    dpd = float(disparity(gc.cells, "demographic_parity_difference", eligible, method="to_overall"))
    assert dpd == pytest.approx(overall - 0.3, abs=1e-12)  # b vs overall; c not compared
    dpr = float(disparity(gc.cells, "demographic_parity_ratio", eligible, method="to_overall"))
    assert dpr == pytest.approx(0.3 / overall, abs=1e-12)
    aod = float(disparity(gc.cells, "average_odds_difference", eligible, reference=None))
    # y == p: TPR 1 and FPR 0 everywhere, overall too
    assert aod == 0.0


def test_undefined_group_is_left_out_not_zero() -> None:
    # group b has no positive labels: TPR undefined; fairlearn counts it as 0
    df = pd.DataFrame(
        {"g": ["a"] * 4 + ["b"] * 4, "y": [1, 1, 0, 0, 0, 0, 0, 0], "p": [1, 0, 0, 0, 1, 0, 0, 0]}
    )
    (gc,) = group_counts(df.y, df.p, {"g": df.g})
    tpr = rate(gc.cells, "tpr")
    assert tpr[0] == 0.5
    assert np.isnan(tpr[1])
    ours = disparity(gc.cells, "equal_opportunity_difference", np.ones(2, dtype=bool))
    assert np.isnan(ours)  # one defined group left: no comparison
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert flm.equal_opportunity_difference(df.y, df.p, sensitive_features=df.g) == 0.5


def test_intersections_match_metricframe_with_two_features() -> None:
    rng = np.random.default_rng(7)
    n = 3000
    df = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n),
            "race": rng.choice(list("ABCDE"), n),
            "y": rng.integers(0, 2, n),
            "p": rng.integers(0, 2, n),
        }
    )
    sex, race, both = group_counts(df.y, df.p, df[["sex", "race"]])
    assert (sex.feature, race.feature, both.feature) == ("sex", "race", "sex×race")
    mf = flm.MetricFrame(
        metrics={"selection_rate": flm.selection_rate, "tpr": flm.true_positive_rate},
        y_true=df.y,
        y_pred=df.p,
        sensitive_features=df[["sex", "race"]],
    )
    ours = by_group(both, ["selection_rate", "tpr"])
    theirs = mf.by_group
    assert list(ours.index) == [f"{a}×{b}" for a, b in theirs.index]
    np.testing.assert_allclose(ours["selection_rate"], theirs["selection_rate"], atol=1e-12)
    np.testing.assert_allclose(ours["tpr"], theirs["tpr"], atol=1e-12)


def test_sample_weights_match_fairlearn() -> None:
    rng = np.random.default_rng(3)
    n = 500
    df = pd.DataFrame(
        {
            "g": rng.choice(["a", "b", "c"], n),
            "y": rng.integers(0, 2, n),
            "p": rng.integers(0, 2, n),
        }
    )
    w = rng.uniform(0.1, 3.0, n)
    (gc,) = group_counts(df.y, df.p, {"g": df.g}, sample_weight=w)
    mf = flm.MetricFrame(
        metrics={"selection_rate": flm.selection_rate, "tpr": flm.true_positive_rate},
        y_true=df.y,
        y_pred=df.p,
        sensitive_features=df.g,
        sample_params={"selection_rate": {"sample_weight": w}, "tpr": {"sample_weight": w}},
    )
    np.testing.assert_allclose(
        rate(gc.cells, "selection_rate"), mf.by_group["selection_rate"], atol=1e-12
    )
    np.testing.assert_allclose(rate(gc.cells, "tpr"), mf.by_group["tpr"], atol=1e-12)
    dpd = float(disparity(gc.cells, "demographic_parity_difference", np.ones(3, dtype=bool)))
    assert dpd == pytest.approx(
        flm.demographic_parity_difference(df.y, df.p, sensitive_features=df.g, sample_weight=w),
        abs=1e-12,
    )


def test_empty_category_is_not_a_group_like_fairlearn() -> None:
    g = pd.Series(pd.Categorical(["a", "a", "b", "b"], categories=["a", "b", "c"]))
    (gc,) = group_counts([1, 0, 1, 1], [1, 0, 0, 1], {"g": g})
    assert gc.groups == ("a", "b")
    mf = flm.MetricFrame(
        metrics=flm.selection_rate, y_true=[1, 0, 1, 1], y_pred=[1, 0, 0, 1], sensitive_features=g
    )
    np.testing.assert_allclose(rate(gc.cells, "selection_rate"), mf.by_group.to_numpy(dtype=float))
