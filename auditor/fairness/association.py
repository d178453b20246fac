"""Association between a feature and a sensitive attribute: Cramér's V, mutual information."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["association", "discretise"]


def discretise(
    series: pd.Series, bins: int = 10, max_levels: int = 20
) -> tuple[np.ndarray, int, str]:
    """Codes (-1 = missing), number of levels and how the column was discretised.

    Numeric columns with more than ``bins`` distinct values go into quantile bins; other columns
    keep their ``max_levels - 1`` most frequent values and pool the rest as "other".
    """
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    if numeric and series.nunique(dropna=True) > bins:
        cut = pd.qcut(series, q=bins, duplicates="drop")
        codes = np.asarray(cut.cat.codes, dtype=np.int64)
        return codes, len(cut.cat.categories), f"{len(cut.cat.categories)} quantile bins"
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.int64)
    k = len(uniques)
    if k <= max_levels:
        return codes, k, "categories"
    counts = np.bincount(codes[codes >= 0], minlength=k)
    top = np.argsort(-counts, kind="stable")[: max_levels - 1]
    remap = np.full(k, max_levels - 1, dtype=np.int64)
    remap[top] = np.arange(len(top))
    codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    return codes, max_levels, f"top {max_levels - 1} categories + other"


def _entropy(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def association(
    a: np.ndarray, ka: int, b: np.ndarray, kb: int, weights: np.ndarray | None = None
) -> dict[str, float | int | None]:
    """Cramér's V, mutual information (nats) and the uncertainty coefficient U(b|a) = I / H(b).

    Rows where either code is -1 are left out. U(b|a) is the share of the attribute's entropy the
    feature explains (0: none, 1: the feature determines the attribute). ``weights`` (engines):
    each row stands for that many rows of a pre-aggregated count table.
    """
    keep = (a >= 0) & (b >= 0)
    w = None if weights is None else np.asarray(weights, dtype=float)[keep]
    n = int(keep.sum()) if w is None else int(np.rint(w.sum()))
    none: dict[str, float | int | None] = {
        "n": n, "cramers_v": None, "cramers_v_corrected": None, "mutual_information": None,
        "uncertainty_coefficient": None, "chi2_p_value": None,
    }  # fmt: skip
    if n == 0 or ka < 2 or kb < 2:
        return none
    table = np.bincount(a[keep] * kb + b[keep], weights=w, minlength=ka * kb)
    table = table.reshape(ka, kb).astype(float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    r, c = table.shape
    if r < 2 or c < 2:
        return {**none, "cramers_v": 0.0, "cramers_v_corrected": 0.0, "mutual_information": 0.0,
                "uncertainty_coefficient": 0.0, "chi2_p_value": 1.0}  # fmt: skip
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    chi2 = float(((table - expected) ** 2 / expected).sum())
    v = float(np.sqrt(chi2 / (n * (min(r, c) - 1))))
    p_chi2 = float(stats.chi2.sf(chi2, (r - 1) * (c - 1)))
    # Bergsma (2013): Cramér's V without its small-sample upward bias
    corrected = None
    if n > 1:
        phi2 = max(0.0, chi2 / n - (r - 1) * (c - 1) / (n - 1))
        rc, cc = r - (r - 1) ** 2 / (n - 1), c - (c - 1) ** 2 / (n - 1)
        denom = min(rc - 1, cc - 1)
        corrected = float(min(1.0, np.sqrt(phi2 / denom))) if denom > 0 else None
    p = table / n
    mi = _entropy(p.sum(axis=1)) + _entropy(p.sum(axis=0)) - _entropy(p.ravel())
    h_b = _entropy(p.sum(axis=0))
    return {
        "n": n,
        "cramers_v": min(v, 1.0),
        "cramers_v_corrected": corrected,
        "mutual_information": max(mi, 0.0),
        "uncertainty_coefficient": max(mi, 0.0) / h_b if h_b > 0 else None,
        "chi2_p_value": p_chi2,
    }
