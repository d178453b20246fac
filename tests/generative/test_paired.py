"""Paired statistics against published worked examples and hand-computed exact values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from auditor.generative.paired import (
    CochranQ,
    McNemar,
    cochran_q,
    holm,
    mcnemar,
    paired_binary,
    paired_matrix,
    paired_scores,
    selection_rates,
    wilcoxon_paired,
)


def test_mcnemar_worked_example() -> None:
    # Wikipedia "McNemar's test" example: b = 121, c = 59 -> chi-square 21.35 (uncorrected)
    stat, p, method = mcnemar(121, 59, correction=False)
    assert stat == pytest.approx(62**2 / 180) and abs(stat - 21.35) < 0.01
    assert method == "chi-square"
    assert p == pytest.approx(stats.chi2.sf(62**2 / 180, 1))
    stat, p, method = mcnemar(121, 59)
    assert stat == pytest.approx(61**2 / 180)  # continuity-corrected: (|b-c|-1)^2/(b+c)
    assert p == pytest.approx(5.450094825e-06, rel=1e-6)
    assert method == "chi-square (continuity-corrected)"


def test_mcnemar_exact_when_few_discordant_pairs() -> None:
    stat, p, method = mcnemar(2, 8)
    # two-sided exact binomial: 2 * P(X <= 2 | n=10, 1/2) = 2 * (1 + 10 + 45) / 1024
    assert (stat, p, method) == (2.0, 112 / 1024, "exact binomial")
    assert mcnemar(0, 0) == (0.0, 1.0, "exact binomial")
    assert mcnemar(5, 5)[1] == 1.0
    assert mcnemar(30, 30)[:2] == (0.0, 1.0)  # the correction is clamped at zero
    # the switch: 24 discordant pairs exact, 25 chi-square
    assert mcnemar(4, 20)[2] == "exact binomial"
    assert mcnemar(5, 20)[2].startswith("chi-square")


def test_cochran_q_against_the_other_formula() -> None:
    x = np.array(
        [[1, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0], [1, 0, 1], [1, 1, 0], [1, 0, 0], [0, 1, 0]]
    )
    q, df, p = cochran_q(x)
    # Q = k(k-1) * sum((C_j - mean C)^2) / sum(R_i (k - R_i)); C = (6, 4, 2), R = (2,1,3,0,2,2,1,1)
    assert q == pytest.approx(3 * 2 * (4 + 0 + 4) / (2 + 2 + 0 + 0 + 2 + 2 + 2 + 2)) == 4.0
    assert df == 2
    assert p == pytest.approx(math.exp(-2.0))  # chi-square(2) survival is exp(-Q/2)
    assert cochran_q(np.ones((5, 3))) == (0.0, 2, 1.0)


def test_holm() -> None:
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5, 0.9]) == [1.0, 1.0]
    out = holm([0.02, float("nan"), 0.01])
    assert out[0] == pytest.approx(0.02) and math.isnan(out[1]) and out[2] == pytest.approx(0.02)


def test_wilcoxon_exact_small_sample() -> None:
    a = np.array([3.0, 5.0, 7.0, 9.0, 11.0, 4.0])
    b = np.array([2.0, 3.0, 4.0, 5.0, 6.0, 4.0])  # differences 1..5 and one zero (dropped)
    res = wilcoxon_paired(a, b, "x", "y")
    assert (res.n_pairs, res.n_nonzero, res.statistic) == (6, 5, 0.0)
    assert res.p_value == pytest.approx(2 / 32)  # both extreme sign patterns of 5 ranks
    assert res.median_difference == 2.5
    same = wilcoxon_paired(a, a)
    assert (same.p_value, same.n_nonzero) == (1.0, 0)


def test_paired_binary_two_groups() -> None:
    # 40 cases: group A selected in 30, B in 12 of them; plus 5 selected for both, 3 for neither
    cases, groups, sel = [], [], []
    pattern = [(1, 0)] * 30 + [(0, 1)] * 12 + [(1, 1)] * 5 + [(0, 0)] * 3
    for i, (a, b) in enumerate(pattern):
        cases += [i, i]
        groups += ["A", "B"]
        sel += [a, b]
    # one case with a missing answer for B (refusal): left out of the pair
    cases += [99, 99]
    groups += ["A", "B"]
    sel += [1, None]
    res = paired_binary(cases, groups, sel)
    assert isinstance(res.omnibus, McNemar)
    t = res.omnibus
    assert (t.a_only, t.b_only, t.both, t.neither, t.n_pairs) == (30, 12, 5, 3, 50)
    assert (res.n_cases, res.n_complete, res.n_incomplete) == (51, 50, 1)
    assert t.statistic == pytest.approx(17**2 / 42)
    assert t.p_value == pytest.approx(stats.chi2.sf(17**2 / 42, 1))
    assert t.p_adjusted is None


def test_paired_binary_three_groups_holm() -> None:
    x = np.array(
        [[1, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0], [1, 0, 1], [1, 1, 0], [1, 0, 0], [0, 1, 0]]
    )
    cases = [i for i in range(8) for _ in range(3)]
    groups = ["g1", "g2", "g3"] * 8
    res = paired_binary(cases, groups, x.ravel().astype(bool))
    assert isinstance(res.omnibus, CochranQ)
    assert res.omnibus.statistic == pytest.approx(4.0)
    pairs = {(t.group_a, t.group_b): t for t in res.pairwise}
    assert (pairs["g1", "g3"].a_only, pairs["g1", "g3"].b_only) == (4, 0)
    assert pairs["g1", "g3"].p_value == pytest.approx(2 / 16)
    raw = [t.p_value for t in res.pairwise]
    assert [t.p_adjusted for t in res.pairwise] == pytest.approx(holm(raw))


def test_paired_scores_friedman_hand_computed() -> None:
    rows = [[1, 2, 3], [1, 3, 2], [1, 2, 3], [2, 1, 3]]
    cases = [i for i in range(4) for _ in range(3)]
    groups = ["a", "b", "c"] * 4
    res = paired_scores(cases, groups, np.array(rows, dtype=float).ravel())
    # rank sums (5, 8, 11): 12/(n k (k+1)) * sum R^2 - 3 n (k+1) = 0.25 * 210 - 48
    assert res.omnibus_method == "friedman"
    assert res.omnibus_statistic == pytest.approx(4.5)
    assert res.omnibus_p_value == pytest.approx(math.exp(-2.25))
    assert len(res.pairwise) == 3 and all(t.p_adjusted is not None for t in res.pairwise)
    two = paired_scores([0, 0, 1, 1], ["a", "b", "a", "b"], [3.0, 1.0, 5.0, 2.0])
    assert two.omnibus_method == "wilcoxon signed-rank" and two.n_complete == 2


def test_selection_rates_wilson_and_impact_ratio() -> None:
    # Newcombe (1998), Statistics in Medicine 17: 857-872, example 81/263: Wilson 0.2553-0.3662
    cases = list(range(263)) * 2
    groups = ["ref"] * 263 + ["low"] * 263
    sel = [1] * 81 + [0] * 182 + [1] * 40 + [0] * 223
    rates = {r.group: r for r in selection_rates(cases, groups, sel, n_boot=500, seed=3)}
    ref = rates["ref"]
    assert (ref.selected, ref.n) == (81, 263)
    assert (round(ref.ci_low, 4), round(ref.ci_high, 4)) == (0.2553, 0.3662)
    low = rates["low"]
    assert ref.reference and not low.reference
    assert low.impact_ratio == pytest.approx(40 / 81)
    assert ref.impact_ratio == 1.0
    assert low.ir_ci_low < 40 / 81 < low.ir_ci_high
    again = {r.group: r for r in selection_rates(cases, groups, sel, n_boot=500, seed=3)}
    assert (again["low"].ir_ci_low, again["low"].ir_ci_high) == (low.ir_ci_low, low.ir_ci_high)
    # a missing answer leaves that group's denominator
    rates2 = selection_rates([0, 0, 1, 1], ["a", "b", "a", "b"], [1, None, 0, 1], n_boot=0)
    assert [(r.group, r.selected, r.n) for r in rates2] == [("a", 1, 2), ("b", 1, 1)]


def test_paired_matrix_rejects_a_duplicate_answer() -> None:
    with pytest.raises(ValueError, match="more than one answer"):
        paired_matrix([1, 1], ["a", "a"], [1, 0])
    x, cases, names = paired_matrix(["c2", "c1", "c2"], ["b", "a", "a"], [1, 0, None])
    assert names == ["b", "a"] and cases == ["c2", "c1"]
    assert np.isnan(x[0, 1]) and np.isnan(x[1, 0]) and x[0, 0] == 1 and x[1, 1] == 0


@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=12))
def test_holm_matches_its_definition(ps: list[float]) -> None:
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    expected = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):  # step-down: max over the smaller p-values, capped at 1
        running = max(running, min(1.0, (m - rank) * ps[i]))
        expected[i] = running
    assert holm(ps) == pytest.approx(expected)


@given(st.integers(0, 60), st.integers(0, 60))
def test_mcnemar_is_symmetric_and_exact_matches_scipy(b: int, c: int) -> None:
    assert mcnemar(b, c)[1:] == mcnemar(c, b)[1:]
    stat, p, method = mcnemar(b, c)
    if b + c and b + c < 25:
        assert p == pytest.approx(stats.binomtest(b, b + c, 0.5).pvalue)
    elif b + c:
        assert stat == pytest.approx(max(abs(b - c) - 1, 0) ** 2 / (b + c))
