"""Array-level API: group counts and metrics straight from arrays (no Context), for notebooks,
benchmarks and other engines. ``by_group`` is the counterpart of fairlearn's ``MetricFrame.by_group``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .counts import GroupCounts, count_groupings
from .encode import encode_feature, resolve_groupings
from .rates import rate

__all__ = ["by_group", "group_counts"]


def _array(x: Any, name: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise InputError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    return arr


def group_counts(
    y_true: Any,
    y_pred: Any,
    sensitive_features: Mapping[str, Any] | pd.DataFrame,
    *,
    positive_label: Any = 1,
    intersections: str | Sequence[Sequence[str]] = "all",
    sample_weight: Any = None,
    max_groups: int = 50,
) -> list[GroupCounts]:
    """Sufficient statistics for each feature alone and the requested intersections.

    ``y_true`` may be None (selection-rate metrics only). Lengths must agree (an
    :class:`~auditor.errors.InputError` names them otherwise); rows with a missing prediction or
    label are left out (``y_pred``/``y_true`` NaN), rows with a missing group are counted apart.
    """
    frame = (
        pd.DataFrame(dict(sensitive_features))
        if not isinstance(sensitive_features, pd.DataFrame)
        else sensitive_features
    )
    pred = _array(y_pred, "y_pred")
    lengths = {"y_pred": len(pred), "sensitive_features": len(frame)}
    truth = None
    if y_true is not None:
        truth = _array(y_true, "y_true")
        lengths["y_true"] = len(truth)
    if sample_weight is not None:
        lengths["sample_weight"] = len(_array(sample_weight, "sample_weight"))
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{k}={v}" for k, v in lengths.items())
        raise InputError(f"length mismatch: {shown}; every array needs one value per row")
    keep = pd.notna(pred)
    pos = (pred == positive_label) & keep
    cell = pos.astype(np.int64)
    if truth is not None:
        keep &= pd.notna(truth)
        cell = cell + 2 * ((truth == positive_label) & keep).astype(np.int64)
    cell = np.where(keep, cell, -1)
    enc = {
        str(c): encode_feature(frame[c], name=str(c), max_groups=max_groups, unknown=())
        for c in frame.columns
    }
    groups = resolve_groupings(list(enc), intersections)
    weight = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    return count_groupings(enc, groups, cell, weight=weight)


def by_group(
    gc: GroupCounts, metrics: Sequence[str] = ("selection_rate", "tpr", "fpr", "accuracy")
) -> pd.DataFrame:
    """Per-group metrics of one grouping as a DataFrame (NaN where a rate is 0/0)."""
    data = {"count": gc.n, **{m: rate(gc.cells, m) for m in metrics}}
    frame: pd.DataFrame = pd.DataFrame(data, index=pd.Index(gc.groups, name=gc.feature))
    return frame
