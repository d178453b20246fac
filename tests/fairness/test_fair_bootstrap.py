"""Count bootstrap: reproducible with a seed, equal in law to a row bootstrap, nominal coverage."""

from __future__ import annotations

import numpy as np
import pytest
from fair_data import rows_from_counts

from auditor.checks.fair_selection import selection_rate_parity
from auditor.fairness.disparity import disparity
from auditor.fairness.intervals import bootstrap_cells, percentile_interval, rng_for, wilson
from auditor.fairness.tables import TableSpec, group_rows
from auditor.testing import make_context, run_check


def _result(seed: int):
    df = rows_from_counts([("a", 200, 90), ("b", 150, 50), ("c", 60, 30)], ["g"])
    ctx = make_context(df, prediction="selected", sensitive=["g"], seed=seed)
    return run_check(selection_rate_parity, ctx, {"n_boot": 300})


def test_same_seed_same_intervals_other_seed_other_intervals() -> None:
    a, b, c = _result(1), _result(1), _result(2)
    assert a.tables["disparities"] == b.tables["disparities"]
    ci = lambda r: [(d["ci_low"], d["ci_high"]) for d in r.tables["disparities"]]  # noqa: E731
    assert ci(a) != ci(c)
    assert all(
        lo is not None and lo < d["value"] < hi
        for d, (lo, hi) in zip(a.tables["disparities"], ci(a))
    )


def test_multinomial_counts_have_the_row_bootstrap_moments() -> None:
    counts = np.array([[50, 10, 5, 35], [20, 5, 10, 15]])
    reps = bootstrap_cells(counts, 20000, rng_for(0, "t"))
    assert reps.shape == (20000, 2, 4)
    assert (reps.sum(axis=(1, 2)) == counts.sum()).all()  # every replicate has N rows
    p = counts / counts.sum()
    np.testing.assert_allclose(reps.mean(axis=0), counts, rtol=0.02)
    np.testing.assert_allclose(reps.var(axis=0), counts.sum() * p * (1 - p), rtol=0.06)


def test_bootstrap_interval_covers_the_true_difference_at_about_the_nominal_rate() -> None:
    rng = np.random.default_rng(123)
    p_true = np.array([0.30, 0.45])
    n = np.array([300, 200])
    true_dpd = 0.15
    reps, hits = 400, 0
    for i in range(reps):
        k = rng.binomial(n, p_true)
        cells = np.stack([n - k, k, np.zeros(2), np.zeros(2)], axis=1).astype(float)
        boot = bootstrap_cells(cells, 400, rng_for(i, "coverage"))
        low, high = percentile_interval(
            disparity(boot, "demographic_parity_difference", np.ones(2, dtype=bool)), 0.95
        )
        hits += low <= true_dpd <= high
    coverage = hits / reps
    assert 0.91 <= coverage <= 0.985, coverage


def test_wilson_interval_values() -> None:
    low, high = wilson(np.array([12, 0, 5]), np.array([40, 10, 0]))
    assert low[0] == pytest.approx(0.18074845229746528)
    assert high[0] == pytest.approx(0.45430018818144935)
    assert low[1] == 0.0
    assert high[1] == pytest.approx(0.2775327998628892)
    assert np.isnan(low[2])
    assert np.isnan(high[2])


def test_group_rows_without_bootstrap_have_no_ratio_interval() -> None:
    from auditor.fairness.api import group_counts

    (gc,) = group_counts([0] * 6, [1, 1, 0, 1, 0, 0], {"g": list("aabbcc")})
    rows, details, ref = group_rows(gc, TableSpec(n_boot=0, min_group_size=0))
    assert ref == 0
    assert [r["impact_ratio"] for r in rows] == [1.0, 0.5, 0.0]
    assert all(d.ratio_ci == (None, None) for d in details)
