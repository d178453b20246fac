"""Disparity summaries over groups (fairlearn's definitions), vectorised over bootstrap resamples."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from .names import DIFFERENCE_METRICS, DISPARITY_METRICS, RATIO_METRICS
from .rates import cross_ratio, divide, rate_parts

__all__ = [
    "DIFFERENCE_METRICS",
    "DISPARITY_METRICS",
    "RATIO_METRICS",
    "disparity",
    "is_ratio",
]


def is_ratio(metric: str) -> bool:
    return metric in RATIO_METRICS


def _valid_rates(
    cells: np.ndarray, name: str, valid: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    num, den = rate_parts(cells, name)
    values = divide(num, den)
    values = np.where(valid, values, np.nan)
    return values, num, den


def _one(
    cells: np.ndarray, name: str, valid: np.ndarray, method: str, ratio: bool, exact: bool
) -> np.ndarray:
    values, num, den = _valid_rates(cells, name, valid)
    enough = np.isfinite(values).sum(axis=-1) >= (2 if method == "between_groups" else 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if method == "to_overall":
            # overall = every row with a known group (fairlearn's overall), small groups
            # included; only the compared groups are restricted to the eligible ones
            overall = divide(num.sum(axis=-1, keepdims=True), den.sum(axis=-1, keepdims=True))
            if ratio:  # min(group/overall, overall/group): the smaller over the larger
                r = np.where(values <= overall, divide(values, overall), divide(overall, values))
                out = np.nanmin(np.where(np.isfinite(values), r, np.nan), axis=-1)
            else:
                out = np.nanmax(np.abs(values - overall), axis=-1)
        else:
            hi = np.nanmax(values, axis=-1)
            lo = np.nanmin(values, axis=-1)
            if not ratio:
                out = hi - lo
            elif exact and values.ndim == 1 and enough:
                i, j = int(np.nanargmin(values)), int(np.nanargmax(values))
                out = cross_ratio(num[i], den[i], num[j], den[j])
            else:
                out = divide(lo, hi)
    return np.where(enough, out, np.nan)


def disparity(
    cells: np.ndarray,
    metric: str,
    eligible: np.ndarray,
    *,
    method: str = "between_groups",
    reference: int | None = None,
) -> np.ndarray:
    """Value of ``metric`` for ``cells`` of shape ``(..., G, 4)``: shape ``(...)``, NaN if undefined.

    Groups outside ``eligible`` (too small, excluded) and groups whose rate is undefined (0/0) are
    left out; fewer than two defined groups gives NaN. Equalized odds combines the TPR and FPR
    parts over the defined ones (worst case or mean). ``method`` is fairlearn's
    ``between_groups`` (max - min, min / max) or ``to_overall``; the overall rate is that of every
    row with a known group (as fairlearn's ``overall``, small and excluded groups included), and
    only the groups compared with it are restricted to the eligible ones. ``average_odds_difference``
    (AIF360) is the largest ``((FPR_g - FPR_ref) + (TPR_g - TPR_ref)) / 2`` in absolute value,
    against the ``reference`` group (or the overall rates when ``reference`` is None).
    """
    cells = np.asarray(cells, dtype=float)
    valid = np.asarray(eligible, dtype=bool)
    exact = cells.ndim == 2
    if metric == "average_odds_difference":
        return _average_odds(cells, valid, reference)
    if metric in DIFFERENCE_METRICS:
        rates, agg = DIFFERENCE_METRICS[metric]
        ratio = False
    elif metric in RATIO_METRICS:
        rates, agg = RATIO_METRICS[metric]
        ratio = True
    else:
        raise KeyError(metric)
    parts = [_one(cells, r, valid, method, ratio, exact) for r in rates]
    if len(parts) == 1:
        return parts[0]
    stacked = np.stack(parts)
    # over the defined components (as fairlearn's pandas aggregation); all undefined -> NaN
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if agg == "mean":
            return np.asarray(np.nanmean(stacked, axis=0))
        return np.asarray(np.nanmin(stacked, axis=0) if ratio else np.nanmax(stacked, axis=0))


def _average_odds(cells: np.ndarray, valid: np.ndarray, reference: int | None) -> np.ndarray:
    tpr, tp_num, tp_den = _valid_rates(cells, "tpr", valid)
    fpr, fp_num, fp_den = _valid_rates(cells, "fpr", valid)
    if reference is None:  # overall rates of every row with a known group
        ref_t = divide(tp_num.sum(-1), tp_den.sum(-1))[..., None]
        ref_f = divide(fp_num.sum(-1), fp_den.sum(-1))[..., None]
        others = valid
    else:
        ref_t, ref_f = tpr[..., reference : reference + 1], fpr[..., reference : reference + 1]
        others = valid.copy()
        others[reference] = False
    aod = ((fpr - ref_f) + (tpr - ref_t)) / 2
    aod = np.where(others, aod, np.nan)
    finite = np.isfinite(aod)
    idx = np.argmax(np.where(finite, np.abs(aod), -1.0), axis=-1)
    out = np.take_along_axis(aod, idx[..., None], axis=-1)[..., 0]
    return np.where(finite.any(axis=-1), out, np.nan)


def metric_names(names: Sequence[str]) -> tuple[str, ...]:
    unknown = [m for m in names if m not in DISPARITY_METRICS]
    if unknown:
        raise KeyError(unknown[0])
    return tuple(names)
