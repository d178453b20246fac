"""Every bad input of issue 3: a clear message before anything runs, or a documented, reported result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fair_data import rows_from_counts

import auditor
from auditor.checks.fair_error_rates import error_rate_parity
from auditor.checks.fair_selection import selection_rate_parity
from auditor.errors import ConfigError, InputError
from auditor.fairness.api import group_counts
from auditor.testing import make_context, run_check


def _frame(n: int = 200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n),
            "y": rng.integers(0, 2, n),
            "p": rng.integers(0, 2, n),
        }
    )


def test_non_binary_predictions_without_positive_label() -> None:
    df = _frame().assign(p=lambda d: d.p.map({0: "reject", 1: "hire"}))
    with pytest.raises(InputError, match=r"not binary 0/1 .*--positive-label"):
        make_context(df, prediction="p", sensitive=["sex"])


def test_probabilities_given_as_predictions() -> None:
    df = _frame().assign(p=np.linspace(0.01, 0.99, 200))
    with pytest.raises(InputError, match=r"look like probabilities.*--score"):
        make_context(df, prediction="p", sensitive=["sex"])
    # even with a positive label, the fairness checks refuse them before running
    ctx = make_context(
        df.assign(p=np.r_[[1.0] * 5, np.linspace(0.01, 0.99, 195)]),
        prediction="p",
        sensitive=["sex"],
        positive_label=1.0,
    )
    with pytest.raises(InputError, match="look like probabilities"):
        run_check(selection_rate_parity, ctx)


def test_sensitive_column_with_a_single_value() -> None:
    df = _frame().assign(sex="F")
    res = run_check(
        selection_rate_parity, make_context(df, prediction="p", sensitive=["sex"]), {"n_boot": 50}
    )
    assert [r["group"] for r in res.tables["groups"]] == ["F"]
    assert res.tables["groups"][0]["status"] == "reference"
    assert {d["status"] for d in res.tables["disparities"]} == {"insufficient_evidence"}
    assert all(d["value"] is None for d in res.tables["disparities"])
    (finding,) = res.findings
    assert finding.severity.label == "low"
    assert "could not be assessed" in finding.message
    assert "not a pass" in finding.message


def test_all_nan_sensitive_column_stops_the_run() -> None:
    df = _frame().assign(sex=np.nan)
    with pytest.raises(InputError, match="sensitive column 'sex' has no values"):
        auditor.audit(df, prediction="p", sensitive=["sex"], policy="fairness")


def test_length_mismatch_through_the_array_api() -> None:
    with pytest.raises(
        InputError, match="length mismatch: y_pred=3, sensitive_features=2, y_true=3"
    ):
        group_counts([1, 0, 1], [1, 0, 1], {"g": ["a", "b"]})


def test_string_labels_need_a_positive_label_and_then_work() -> None:
    df = _frame().assign(
        y=lambda d: d.y.map({0: "no", 1: "yes"}), p=lambda d: d.p.map({0: "no", 1: "yes"})
    )
    with pytest.raises(InputError, match="--positive-label"):
        make_context(df, prediction="p", target="y", sensitive=["sex"])
    ctx = make_context(df, prediction="p", target="y", sensitive=["sex"], positive_label="yes")
    res = run_check(error_rate_parity, ctx, {"n_boot": 0})
    female = next(r for r in res.tables["groups"] if r["group"] == "F")
    sub = df[df.sex == "F"]
    tp = ((sub.y == "yes") & (sub.p == "yes")).sum()
    assert female["tpr"] == tp / (sub.y == "yes").sum()
    assert female["selected"] == (sub.p == "yes").sum()


def test_numeric_sensitive_feature_with_hundreds_of_values() -> None:
    rng = np.random.default_rng(1)
    df = _frame(2000).assign(age=rng.integers(18, 90, 2000) + rng.random(2000))
    with pytest.raises(
        InputError, match=r"'age' has \d+ distinct values \(numeric\).*bins: \{age: 4\}"
    ):
        auditor.audit(df, prediction="p", sensitive=["sex", "age"], policy="fairness")
    ctx = make_context(df, prediction="p", sensitive=["age"])
    res = run_check(selection_rate_parity, ctx, {"bins": {"age": [18, 30, 50, 90]}, "n_boot": 0})
    groups = [r["group"] for r in res.tables["groups"]]
    assert groups == ["[18.0, 30.0)", "[30.0, 50.0)", "[50.0, 90.0)"]
    assert sum(r["n"] for r in res.tables["groups"]) == 2000
    quant = run_check(selection_rate_parity, ctx, {"bins": {"age": 4}, "n_boot": 0})
    assert [r["n"] for r in quant.tables["groups"]] == [500, 500, 500, 500]


def test_bins_for_an_unknown_feature_is_a_config_error() -> None:
    ctx = make_context(_frame(), prediction="p", sensitive=["sex"])
    with pytest.raises(ConfigError, match=r"bins.age: 'age' is not a sensitive feature"):
        run_check(selection_rate_parity, ctx, {"bins": {"age": 4}})


def test_privileged_value_that_does_not_occur() -> None:
    ctx = make_context(_frame(), prediction="p", sensitive=["sex"])
    with pytest.raises(ConfigError, match=r"privileged.sex: 'X' is not a value of 'sex'"):
        run_check(
            selection_rate_parity, ctx, {"reference": "privileged", "privileged": {"sex": "X"}}
        )
    with pytest.raises(ConfigError, match="privileged needs a privileged group for every grouping"):
        run_check(selection_rate_parity, ctx, {"reference": "privileged"})


def test_unknown_threshold_metric_and_bad_option_values() -> None:
    ctx = make_context(_frame(), prediction="p", sensitive=["sex"])
    with pytest.raises(ConfigError, match="unknown metric 'demographic_parity_ratoi'"):
        run_check(selection_rate_parity, ctx, {"thresholds": {"demographic_parity_ratoi": 0.9}})
    with pytest.raises(ConfigError, match="confidence must be between 0 and 1"):
        run_check(selection_rate_parity, ctx, {"confidence": 95})
    with pytest.raises(ConfigError, match="expected one of"):
        run_check(selection_rate_parity, ctx, {"reference": "best"})


def test_missing_values_are_counted_and_shown() -> None:
    df = _frame(100)
    df.loc[:9, "sex"] = None
    df.loc[10:14, "sex"] = "Unknown"
    df.loc[15:17, "p"] = np.nan
    ctx = make_context(df, prediction="p", sensitive=["sex"], positive_label=1)
    res = run_check(selection_rate_parity, ctx, {"n_boot": 0, "min_group_size": 0})
    missing = next(r for r in res.tables["groups"] if r["group"] == "(missing)")
    assert missing["n"] == 15
    assert missing["status"] == "excluded"
    assert sum(r["n"] for r in res.tables["groups"]) == 97  # 3 rows without a prediction
    assert {r["reason"]: r["rows"] for r in res.tables["exclusions"]} == {
        "prediction missing": 3,
        "sex missing or unknown": 15,
    }


def test_zero_over_zero_is_insufficient_evidence_never_zero() -> None:
    # group b has no positive labels at all: TPR 0/0
    df = rows_from_counts([("a", 40, 20), ("b", 40, 10)], ["g"], "p")
    df["y"] = np.r_[[1] * 20 + [0] * 20, [0] * 40]
    ctx = make_context(df, prediction="p", target="y", sensitive=["g"])
    res = run_check(error_rate_parity, ctx, {"n_boot": 0})
    b = next(r for r in res.tables["groups"] if r["group"] == "b")
    assert b["tpr"] is None
    assert b["fnr"] is None
    assert b["fpr"] == 0.25
    eo = next(d for d in res.tables["disparities"] if d["metric"] == "equal_opportunity_difference")
    assert eo["value"] is None
    assert eo["status"] == "insufficient_evidence"
    assert any(f.discriminator == "insufficient:disparity metrics" for f in res.findings)


def test_small_groups_are_insufficient_evidence_not_pass() -> None:
    df = rows_from_counts([("a", 200, 100), ("b", 12, 2)], ["g"])
    ctx = make_context(df, prediction="selected", sensitive=["g"])
    res = run_check(selection_rate_parity, ctx, {"n_boot": 0})
    b = next(r for r in res.tables["groups"] if r["group"] == "b")
    assert b["status"] == "insufficient_evidence"
    assert b["note"] == "n=12 < min_group_size 30"
    assert b["impact_ratio"] == pytest.approx((2 / 12) / 0.5)  # shown, not hidden
    assert not any(f.discriminator == "impact_ratio" for f in res.findings)


def test_unicode_and_html_in_names_are_data() -> None:
    df = _frame().rename(columns={"sex": "<b>género</b>"})
    df["<b>género</b>"] = df["<b>género</b>"].map({"F": "<script>x</script>", "M": "männlich"})
    ctx = make_context(df, prediction="p", sensitive=["<b>género</b>"])
    res = run_check(selection_rate_parity, ctx, {"n_boot": 0})
    assert {r["group"] for r in res.tables["groups"]} == {"<script>x</script>", "männlich"}
    assert res.tables["groups"][0]["feature"] == "<b>género</b>"
