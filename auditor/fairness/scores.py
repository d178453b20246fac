"""Score-based measures from per-group sums: AUC, Brier, calibration (reliability, ECE), errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from .rates import divide

__all__ = [
    "CalibrationRows", "calibration_sums", "ece_replicates", "regression_errors", "roc_auc",
    "score_bins",
]  # fmt: skip


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


@dataclass(frozen=True, eq=False)
class CalibrationRows:
    """What :func:`calibration_sums` adds up, per row: data rows in memory, rows of the group x
    score bin x label count table on an engine. ``kept``: the label is present and the score
    finite; ``low`` / ``high``: the lowest and highest kept score (None when nothing is kept)."""

    kept: np.ndarray
    bins: np.ndarray
    n: np.ndarray | float
    ssum: np.ndarray
    pos: np.ndarray
    sq: np.ndarray
    low: float | None
    high: float | None


def score_bins(s: np.ndarray, n_bins: int) -> np.ndarray:
    """The equal-width bin on [0, 1] of each score (the last bin closed; a score outside [0, 1],
    which FAIR005 skips, falls in an end bin)."""
    clipped = np.clip(np.asarray(s, dtype=float), 0.0, 1.0)
    bins: np.ndarray = np.minimum((clipped * n_bins).astype(np.int64), n_bins - 1)
    return bins


def calibration_sums(
    codes: np.ndarray,
    n_groups: int,
    bins: np.ndarray,
    n: np.ndarray | float,
    ssum: np.ndarray,
    pos: np.ndarray,
    sq: np.ndarray,
    n_bins: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per group x bin: count, score sum, positives; plus per-group ECE and Brier score.

    Each input row (a data row, or a row of an engine's count table) is in group ``codes``
    (< 0: left out) and score bin ``bins`` (from :func:`score_bins`, so in ``[0, n_bins)``) and
    carries ``n`` rows, the score sum ``ssum``, ``pos`` positives and the squared-error sum
    ``sq`` (arrays per row, or one number for every row); data rows have ``n = 1``,
    ``ssum = s``, ``pos = y``, ``sq = (s - y) ** 2``. One weighted bincount over
    ``group * n_bins + bin`` per table.
    """
    keep = codes >= 0
    k = codes[keep]
    idx = k * n_bins + bins[keep]
    size = n_groups * n_bins

    def kept(values: np.ndarray | float) -> np.ndarray:
        return np.broadcast_to(np.asarray(values, dtype=float), keep.shape)[keep]

    def table(values: np.ndarray | float) -> np.ndarray:
        return np.bincount(idx, weights=kept(values), minlength=size).reshape(n_groups, n_bins)

    count = np.rint(table(n)).astype(np.int64)
    score_sum, positives = table(ssum), table(pos)
    total = count.sum(axis=1)
    gap = np.abs(divide(score_sum, count) - divide(positives, count))
    ece = divide(np.nansum(np.where(count > 0, gap * count, 0.0), axis=1), total)
    brier = divide(np.bincount(k, weights=kept(sq), minlength=n_groups), total)
    return count, score_sum, positives, ece, brier


def ece_replicates(
    count: np.ndarray, score_sum: np.ndarray, positives: np.ndarray, n_boot: int,
    rng: np.random.Generator,
) -> np.ndarray:  # fmt: skip
    """Bootstrap replicates ``(n_boot, G)`` of each group's ECE: each group's rows are redrawn
    (a multinomial over its bin x label cells, the group size fixed) and each bin keeps its
    observed mean score, so only the observed rates move. The replicates carry the small-sample
    upward bias of the ECE, which a bias-corrected estimate (``2 * ece - mean``) removes."""
    n_groups, n_bins = count.shape
    out = np.full((n_boot, n_groups), np.nan)
    mean_score = divide(score_sum, count)
    for g in range(n_groups):
        total = int(count[g].sum())
        if total == 0 or n_boot <= 0:
            continue
        pos = np.clip(np.rint(positives[g]), 0, count[g])
        cells = np.concatenate([pos, count[g] - pos]).astype(float)
        draws = rng.multinomial(total, cells / cells.sum(), size=n_boot)
        p_star, n_star = draws[:, :n_bins], draws[:, :n_bins] + draws[:, n_bins:]
        gap = np.abs(mean_score[g][None, :] - divide(p_star, n_star))
        out[:, g] = np.nansum(np.where(n_star > 0, gap * n_star, 0.0), axis=1) / total
    return out


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
