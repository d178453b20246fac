"""How strong is the evidence behind a breach? One-sided tests against the threshold, Holm.

A fairness check compares many things at once: every group's impact ratio against the reference
group, every disparity metric of every feature. For each comparison whose estimate is beyond its
threshold the report says whether that is *evidence* or may be noise:

- **significant**: the one-sided test of "the true value is on the passing side of the threshold"
  rejects at ``alpha = 1 - confidence`` after Holm's step-down correction over every comparison
  the check tested, and the interval (when there is one) lies beyond the threshold;
- **inconclusive**: the estimate breaches, but the test is not significant after the correction,
  the interval crosses the threshold, or the group is smaller than ``min_group_size``;
- **degenerate**: a ratio is 0 or infinite only because a count is zero (a group with no false
  positives) and the counts show nothing beyond that.

Tests:

- A group's impact ratio (rate of the group / rate of the reference): the Farrington-Manning
  score test of H0: ``p1 / p2 >= t`` against ``p1 / p2 < t`` (Farrington & Manning 1990, the
  standard test for a ratio of two proportions against a margin; zero counts are handled by the
  restricted maximum-likelihood variance).
- A disparity metric (fairlearn's ``*_difference`` / ``*_ratio`` over the groups): a Wald test
  with the bootstrap standard error of the metric (on the log scale for ratios when every
  replicate is positive), which carries the max-minus-min selection of the worst groups along.

What would settle an inconclusive comparison is given as rows: for a group, how many more rows of
that group (at the observed rates, keeping the reference as measured) make the one-sided test
reject at ``alpha / m`` with 80% power; for a metric, how many times the current data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

__all__ = [
    "POWER",
    "holm",
    "metric_p",
    "more_rows_for_group",
    "ratio_below_p",
    "scale_to_settle",
]

#: power the "rows that would settle it" estimates are computed for
POWER = 0.8


def ratio_below_p(
    k1: np.ndarray, n1: np.ndarray, k2: np.ndarray, n2: np.ndarray, threshold: float
) -> np.ndarray:
    """One-sided p-values of H0: ``(k1/n1) / (k2/n2) >= threshold`` (Farrington-Manning score
    test), vectorised; NaN where the test is undefined (an empty group, no successes at all)."""
    x1, m1, x2, m2 = (np.asarray(a, dtype=float) for a in (k1, n1, k2, n2))
    t = float(threshold)
    with np.errstate(all="ignore"):
        p1 = np.where(m1 > 0, x1 / m1, np.nan)
        p2 = np.where(m2 > 0, x2 / m2, np.nan)
        # restricted MLE of p2 under p1 = t * p2 (Miettinen & Nurminen 1985, eq. for the RR)
        a = t * (m1 + m2)
        b = -(t * m1 + x1 + m2 + t * x2)
        c = x1 + x2
        disc = np.maximum(b * b - 4 * a * c, 0.0)
        p2r = (-b - np.sqrt(disc)) / (2 * a)
        p1r = t * p2r
        var = p1r * (1 - p1r) / m1 + t * t * p2r * (1 - p2r) / m2
        z = (p1 - t * p2) / np.sqrt(var)
        p = stats.norm.cdf(z)
    ok = (m1 > 0) & (m2 > 0) & np.isfinite(z) & (var > 0)
    return np.where(ok, p, np.nan)


def holm(p_values: Sequence[float | None] | np.ndarray) -> np.ndarray:
    """Holm step-down adjusted p-values (valid under any dependence); NaN / None stay NaN and do
    not count as tests."""
    p = np.array([np.nan if v is None else float(v) for v in p_values], dtype=float)
    out = np.full(p.shape, np.nan)
    idx = np.flatnonzero(np.isfinite(p))
    m = len(idx)
    if not m:
        return out
    order = idx[np.argsort(p[idx], kind="stable")]
    adjusted = np.minimum(1.0, (m - np.arange(m)) * p[order])
    out[order] = np.maximum.accumulate(adjusted)
    return out


def metric_p(
    value: float | None, replicates: np.ndarray, threshold: float, ratio: bool
) -> float | None:
    """One-sided p-value that a disparity metric is on the passing side of ``threshold``
    (ratios: ``>= threshold``; differences: ``|value| <= threshold``), from the bootstrap standard
    error of ``replicates``; None when there is no estimate or no spread to test with."""
    if value is None or not math.isfinite(value):
        return None
    reps = np.asarray(replicates, dtype=float)
    reps = reps[np.isfinite(reps)]
    if reps.size < 20:
        return None
    if ratio:
        if value <= 0:
            return None
        if np.all(reps > 0):
            se = float(np.std(np.log(reps), ddof=1))
            z = (math.log(value) - math.log(threshold)) / se if se > 0 else None
        else:
            se = float(np.std(reps, ddof=1))
            z = (value - threshold) / se if se > 0 else None
    else:
        se = float(np.std(np.abs(reps), ddof=1))
        z = (threshold - abs(value)) / se if se > 0 else None
    if z is None:
        return None
    return float(stats.norm.cdf(z))


def _z(alpha: float) -> float:
    return float(stats.norm.ppf(1 - alpha) + stats.norm.ppf(POWER))


def more_rows_for_group(
    k1: float, n1: float, k2: float, n2: float, threshold: float, alpha: float
) -> tuple[int | None, float | None]:
    """``(extra_group_rows, factor)``: how many more rows of the group (at its observed rate, the
    reference as measured) would make the one-sided ratio test reject at ``alpha`` with 80% power;
    when more rows of the group alone cannot do it (the reference is too small as well),
    ``(None, factor)`` with the factor by which both groups would have to grow. ``(None, None)``
    when the estimate is not below the threshold (more data would not show a breach)."""
    if n1 <= 0 or n2 <= 0 or k2 <= 0:
        return None, None
    p1 = max(k1, 0.5) / n1  # a zero count: half a success (the usual continuity correction)
    p2 = k2 / n2
    if p1 / p2 >= threshold or p1 >= 1:
        return None, None
    gap = (math.log(threshold) - math.log(p1 / p2)) ** 2
    z2 = _z(alpha) ** 2
    a = (1 - p1) / p1
    b = (1 - p2) / p2 if p2 < 1 else 0.0
    room = gap / z2 - b / n2
    if room > 0:
        need = a / room
        return max(math.ceil(need - n1), 0), None
    factor = z2 * (a / n1 + b / n2) / gap
    return None, float(factor)


def scale_to_settle(value: float, threshold: float, se: float, alpha: float) -> float | None:
    """How many times the current data a metric's test would need to reject at ``alpha`` with
    80% power, if the estimate stayed where it is (standard errors shrink with the square root of
    the rows); None when it cannot (estimate on the threshold, no spread)."""
    gap = abs(abs(value) - threshold)
    if gap <= 0 or se <= 0 or not math.isfinite(se):
        return None
    return float((_z(alpha) * se / gap) ** 2)
