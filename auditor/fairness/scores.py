"""Score-based measures from per-group sums: AUC, Brier, calibration (reliability, ECE), errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

from .rates import divide

__all__ = ["calibration", "regression_errors", "roc_auc"]


def roc_auc(y: np.ndarray, s: np.ndarray) -> float | None:
    """Area under the ROC curve (Mann-Whitney U with average ranks for ties); None if one class."""
    y = np.asarray(y, dtype=bool)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = stats.rankdata(s)
    u = ranks[y].sum() - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))


def calibration(
    codes: np.ndarray,
    n_groups: int,
    y: np.ndarray,
    s: np.ndarray,
    n_bins: int = 10,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per group x bin: count, score sum, positives; plus per-group ECE and Brier score.

    Bins are equal-width on [0, 1] (the last bin closed). ``codes`` < 0 are left out. One
    bincount over ``group * n_bins + bin`` gives every table at once.
    """
    keep = codes >= 0
    codes, y, s = codes[keep], np.asarray(y, dtype=float)[keep], np.asarray(s, dtype=float)[keep]
    b = np.minimum((s * n_bins).astype(np.int64), n_bins - 1)
    idx = codes * n_bins + b
    size = n_groups * n_bins
    count = np.bincount(idx, minlength=size).reshape(n_groups, n_bins)
    ssum = np.bincount(idx, weights=s, minlength=size).reshape(n_groups, n_bins)
    pos = np.bincount(idx, weights=y, minlength=size).reshape(n_groups, n_bins)
    sq = np.bincount(codes, weights=(s - y) ** 2, minlength=n_groups)
    n = count.sum(axis=1)
    gap = np.abs(divide(ssum, count) - divide(pos, count))
    ece = divide(np.nansum(np.where(count > 0, gap * count, 0.0), axis=1), n)
    brier = divide(sq, n)
    return count, ssum, pos, ece, brier


def regression_errors(
    codes: np.ndarray, n_groups: int, y: np.ndarray, s: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-group count, MAE and RMSE of ``s`` against ``y`` (rows with code < 0 left out)."""
    keep = codes >= 0
    c = codes[keep]
    err = np.asarray(s, dtype=float)[keep] - np.asarray(y, dtype=float)[keep]
    n = np.bincount(c, minlength=n_groups)
    mae = divide(np.bincount(c, weights=np.abs(err), minlength=n_groups), n)
    rmse = np.sqrt(divide(np.bincount(c, weights=err * err, minlength=n_groups), n))
    return n, mae, rmse


def levels_of(codes: Sequence[Any]) -> int:
    return int(np.max(codes)) + 1 if len(codes) else 0
