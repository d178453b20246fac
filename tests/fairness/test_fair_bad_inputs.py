"""Every bad input of issue 3: a clear message before anything runs, or a documented, reported result."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fair_data import rows_from_counts

import auditor
from auditor.checks.fair_error_rates import error_rate_parity
from auditor.checks.fair_ll144 import ll144_bias_audit
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
        selection_rate_parity, make_context(df, prediction="p", sensitive=["sex"]), {"n_boot": 100}
    )
    assert [r["group"] for r in res.tables["groups"]] == ["F"]
    assert res.tables["groups"][0]["status"] == "reference"
    assert {d["status"] for d in res.tables["disparities"]} == {"insufficient_evidence"}
    assert all(d["value"] is None for d in res.tables["disparities"])
    (finding,) = res.findings
    assert finding.severity.label == "low"
    assert finding.message == (
        "None of the 2 disparity metrics of sex could be computed (fewer than two groups with "
        "enough people and a defined rate); this is not a pass."
    )
    assert finding.evidence["assessed"] == 1  # the one group, as the reference
    assert finding.evidence_level.value == "inconclusive"


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
    with pytest.raises(InputError) as err:
        auditor.audit(df, prediction="p", sensitive=["sex", "age"], policy="fairness")
    assert "'age' has 2000 distinct values (numeric)" in str(err.value)
    # the hint says where the option goes: the policy YAML (family) or --set (one check)
    assert "checks: {FAIR: {options: {bins: {age: 4}}}}" in str(err.value)
    assert "--set FAIR001.bins='{age: 4}'" in str(err.value)
    assert "--set FAIR." not in str(err.value)  # a family prefix is not a --set target
    ctx = make_context(df, prediction="p", sensitive=["age"])
    res = run_check(selection_rate_parity, ctx, {"bins": {"age": [18, 30, 50, 90]}, "n_boot": 0})
    groups = [r["group"] for r in res.tables["groups"]]
    assert groups == ["[18.0, 30.0)", "[30.0, 50.0)", "[50.0, 90.0)"]
    assert sum(r["n"] for r in res.tables["groups"]) == 2000
    quant = run_check(selection_rate_parity, ctx, {"bins": {"age": 4}, "n_boot": 0})
    assert [r["n"] for r in quant.tables["groups"]] == [500, 500, 500, 500]


def test_family_level_bins_reach_every_fair_check(tmp_path: Path) -> None:
    # following the hint: FAIR: {options: {bins: {age: 4}}} in a pack extending `fairness`
    rng = np.random.default_rng(2)
    df = _frame(800).assign(
        age=rng.integers(18, 90, 800) + rng.random(800),
        race=rng.choice(["A", "B"], 800),
        score=rng.random(800),
    )
    pack = tmp_path / "binned.yaml"
    pack.write_text(
        "version: 1\nname: binned\nextends: fairness\nchecks:\n  FAIR:\n"
        "    options: {bins: {age: 4}, n_boot: 0}\n"
    )
    rep = auditor.audit(
        df, prediction="p", target="y", score="score", sensitive=["sex", "race", "age"],
        policy=str(pack),
    )  # fmt: skip
    status = {r.check: r.status.value for r in rep.results}
    assert "errored" not in status.values()
    assert rep.verdict != "error"
    age = [r for r in rep.result("FAIR001").tables["groups"] if r["feature"] == "age"]
    assert [r["n"] for r in age] == [200, 200, 200, 200]
    # FAIR003 compares only sex, race/ethnicity and their intersection
    ll144 = rep.result("FAIR003")
    assert ll144.options["bins"] == {"age": 4}
    assert {r["feature"] for r in ll144.tables["groups"]} == {"sex", "race", "sex×race"}


def test_ll144_does_not_encode_sensitive_columns_it_does_not_compare() -> None:
    rng = np.random.default_rng(4)
    df = _frame(300).assign(age=rng.random(300) * 70 + 18)
    ctx = make_context(df, prediction="p", sensitive=["sex", "age"])
    res = run_check(ll144_bias_audit, ctx, {"n_boot": 0})  # validate runs too: no binning error
    assert {r["feature"] for r in res.tables["groups"]} == {"sex"}
    females = (df.sex == "F").sum()
    assert next(r["n"] for r in res.tables["groups"] if r["group"] == "F") == females


def test_ll144_exclusion_without_justification_names_the_option() -> None:
    # the option and where it came from (the override, not the pack that did not set it)
    with pytest.raises(
        ConfigError,
        match=r"^overrides\['FAIR003.exclude_below_share'\]: exclude_below_share=0.02 needs the "
        r"option exclusion_justification \(a non-empty text\)",
    ):
        auditor.audit(
            _frame(), prediction="p", sensitive=["sex"], policy="nyc-ll144",
            overrides={"FAIR003.exclude_below_share": 0.02},
        )  # fmt: skip


def test_regression_target_skips_label_checks_with_the_reason() -> None:
    rng = np.random.default_rng(5)
    df = _frame(400).assign(score=rng.random(400), t=rng.normal(size=400))
    rep = auditor.audit(
        df, score="score", target="t", sensitive=["sex"], policy="fairness",
        overrides={"FAIR003.n_boot": 0, "FAIR004.n_boot": 0},
    )  # fmt: skip
    assert rep.verdict != "error"
    for cid, needs in (("FAIR005", "calibration"), ("FAIR007", "the label base rate")):
        res = rep.result(cid)
        assert res.status.value == "skipped"
        assert res.detail.startswith(
            f"target column 't' is not binary (no positive label): {needs} needs binary labels"
        )
    fair004 = rep.result("FAIR004")
    assert fair004.status.value != "errored"
    assert all(r["mae"] is not None for r in fair004.tables["score_groups"])


def test_array_api_refuses_values_it_would_miscount() -> None:
    g = {"g": ["a", "a", "b", "b"]}
    with pytest.raises(
        InputError, match=r"y_pred: values \('no', 'yes'\) are not 0/1.*positive_label="
    ):
        group_counts(None, ["no", "yes", "yes", "no"], g)
    (gc,) = group_counts(["yes", "no", "yes", "yes"], ["no", "yes", "yes", "no"], g,
                         positive_label="yes")  # fmt: skip
    # a: (y=yes, p=no) FN, (no, yes) FP; b: (yes, yes) TP, (yes, no) FN
    assert gc.cells.tolist() == [[0, 1, 1, 0], [0, 0, 1, 1]]
    with pytest.raises(
        InputError, match=r"y_pred: 2 fractional values \(e.g. 0.7\).*probabilities"
    ):
        group_counts(None, [0.7, 0.2, 1.0, 0.0], g)
    with pytest.raises(InputError, match=r"y_pred: 3 distinct values \(0, 1, 2\).*FAIR006"):
        group_counts(None, [0, 1, 2, 1], g, positive_label=1)
    with pytest.raises(InputError, match=r"y_true: 3 distinct values"):
        group_counts([0, 1, 2, 1], [0, 1, 1, 1], g)
    with pytest.raises(InputError, match=r"positive_label 'yes' does not occur \(values: 0, 1\)"):
        group_counts(None, [0, 1, 1, 0], g, positive_label="yes")
    (booleans,) = group_counts([True, False, True, True], [False, True, True, False], g)
    assert booleans.cells.tolist() == gc.cells.tolist()
    (floats,) = group_counts(None, [1.0, 0.0, np.nan, 1.0], g)  # 0/1 floats, a missing one
    assert floats.cells.tolist() == [[1, 1, 0, 0], [0, 1, 0, 0]]


def test_no_sensitive_features_names_the_candidates_by_column_name() -> None:
    df = pd.DataFrame(
        {"sex": ["F", "M"] * 20, "race_ethnicity": ["A", "B"] * 20, "income": range(40),
         "p": [0, 1] * 20}
    )  # fmt: skip
    rep = auditor.audit(df, prediction="p", policy="fairness")
    expected = (
        "no sensitive features: give --sensitive COL[,COL...]; candidates by name: sex, "
        "race_ethnicity"
    )
    for cid in ("FAIR001", "FAIR003", "FAIR008", "FAIR009"):
        assert rep.result(cid).detail == expected, cid
    bare = auditor.audit(df[["income", "p"]], prediction="p", policy="fairness")
    assert bare.result("FAIR001").detail == (
        "no sensitive features: give --sensitive COL[,COL...] (no column name suggests a "
        "protected attribute)"
    )
    # the lexicon the candidates come from is shared with PII and imports no Presidio
    code = (
        "import sys, pandas as pd\n"
        "from auditor.fairness.sensitive import sensitive_candidates\n"
        "from auditor.testing import make_context\n"
        "ctx = make_context(pd.DataFrame({'gender': ['F'], 'x': [1]}))\n"
        "assert sensitive_candidates(ctx) == ['gender']\n"
        "print(sorted(m for m in sys.modules if m.startswith(('presidio', 'spacy'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


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
    with pytest.raises(ConfigError, match=r"95 is out of range for FAIR001\.confidence"):
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
    (finding,) = res.findings  # the subject's one finding lists what could not be computed
    not_assessed = {x.get("metric") for x in finding.evidence["not_assessed"]}
    assert {"equal_opportunity_difference", "equal_opportunity_ratio"} <= not_assessed


def test_small_groups_are_insufficient_evidence_not_pass() -> None:
    df = rows_from_counts([("a", 200, 100), ("b", 12, 2)], ["g"])
    ctx = make_context(df, prediction="selected", sensitive=["g"])
    res = run_check(selection_rate_parity, ctx, {"n_boot": 0})
    b = next(r for r in res.tables["groups"] if r["group"] == "b")
    # below the threshold on the estimate, but too small to judge: inconclusive, never a pass
    assert (b["status"], b["evidence"]) == ("inconclusive", "inconclusive")
    assert b["note"] == "n=12 < min_group_size 30"
    assert b["impact_ratio"] == pytest.approx((2 / 12) / 0.5)  # shown, not hidden
    (finding,) = res.findings
    assert finding.severity.label == "low"  # reported, not blocking
    assert "only 12 people (fewer than min_group_size 30)" in finding.message


def test_unicode_and_html_in_names_are_data() -> None:
    df = _frame().rename(columns={"sex": "<b>género</b>"})
    df["<b>género</b>"] = df["<b>género</b>"].map({"F": "<script>x</script>", "M": "männlich"})
    ctx = make_context(df, prediction="p", sensitive=["<b>género</b>"])
    res = run_check(selection_rate_parity, ctx, {"n_boot": 0})
    assert {r["group"] for r in res.tables["groups"]} == {"<script>x</script>", "männlich"}
    assert res.tables["groups"][0]["feature"] == "<b>género</b>"
