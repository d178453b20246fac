"""Property tests: every per-group metric and disparity equals fairlearn's on random data.

Where a rate is 0/0 fairlearn returns 0 (sklearn's zero_division); we return NaN and mark the
group insufficient evidence. The tests assert exactly that difference, nothing looser.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as flm
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

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
