"""Array-level API: group counts and metrics straight from arrays (no Context), for notebooks,
benchmarks and other engines. ``by_group`` is the counterpart of fairlearn's ``MetricFrame.by_group``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..redact import show_values
from .counts import GroupCounts, count_groupings
from .encode import encode_feature, resolve_groupings
from .rates import rate

__all__ = ["by_group", "group_counts"]


def _array(x: Any, name: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.ndim != 1:
        raise InputError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    return arr


def _distinct(arr: np.ndarray, present: np.ndarray) -> list[Any]:
    """Distinct present values; numeric 0/1 arrays answered from min/max without a sort."""
    vals = arr[present]
    if vals.dtype.kind in "biu" and len(vals):
        lo, hi = vals.min(), vals.max()
        if lo >= 0 and hi <= 1:
            return sorted({int(lo), int(hi)})
    out = [v.item() if isinstance(v, np.generic) else v for v in pd.unique(vals)]
    try:
        return sorted(out)
    except TypeError:  # mixed types: first-seen order
        return out


def _positive(arr: np.ndarray, name: str, positive_label: Any) -> tuple[np.ndarray, np.ndarray]:
    """(is_positive, present) of a label/prediction array, refusing what is not binary labels.

    Fractional floats (probabilities, scores) and more than two distinct values are refused;
    values other than 0/1 or True/False need ``positive_label``.
    """
    present = np.asarray(pd.notna(arr), dtype=bool)
    if arr.dtype.kind == "f":
        present_vals = arr[present]
        fractional = present_vals[np.mod(present_vals, 1) != 0]
        if len(fractional):
            raise InputError(
                f"{name}: {len(fractional)} fractional values (e.g. {float(fractional[0])!r}): "
                "these look like probabilities or scores, not labels; threshold them into labels "
                "first"
            )
    values = _distinct(arr, present)
    shown = show_values(values, 5)  # data values: personal data only masked
    if len(values) > 2:
        raise InputError(
            f"{name}: {len(values)} distinct values ({shown}): binary labels expected; for "
            "multiclass outputs binarise one class against the rest (the FAIR006 check does "
            "this per class)"
        )
    if positive_label is None:
        if not all(
            isinstance(v, (bool, int, float, np.bool_, np.number)) and v in (0, 1) for v in values
        ):
            raise InputError(
                f"{name}: values ({shown}) are not 0/1 or True/False; give positive_label= "
                "(the favourable value, e.g. positive_label='yes')"
            )
        positive_label = 1
    elif len(values) == 2 and not any(v == positive_label for v in values):
        raise InputError(
            f"{name}: positive_label {positive_label!r} does not occur (values: {shown})"
        )
    return (arr == positive_label) & present, present


def group_counts(
    y_true: Any,
    y_pred: Any,
    sensitive_features: Mapping[str, Any] | pd.DataFrame,
    *,
    positive_label: Any = None,
    intersections: str | Sequence[Sequence[str]] = "all",
    sample_weight: Any = None,
    max_groups: int = 50,
) -> list[GroupCounts]:
    """Sufficient statistics for each feature alone and the requested intersections.

    ``y_true`` may be None (selection-rate metrics only). Lengths must agree (an
    :class:`~auditor.errors.InputError` names them otherwise); rows with a missing prediction or
    label are left out (``y_pred``/``y_true`` NaN), rows with a missing group are counted apart.

    ``positive_label`` is the favourable value of both arrays; it may be omitted only when they
    hold 0/1 or True/False. Probabilities (fractional floats) and more than two distinct values
    are refused with an :class:`~auditor.errors.InputError` instead of being miscounted.
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
    pos, keep = _positive(pred, "y_pred", positive_label)
    cell = pos.astype(np.int64)
    if truth is not None:
        label, present = _positive(truth, "y_true", positive_label)
        keep &= present
        cell = cell + 2 * (label & keep).astype(np.int64)
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
