"""Shared measurements for other families (transparency cross-checks), cached through ctx.measure.

``overall_metrics(ctx)`` and ``group_rows(ctx)`` are the stable entry points: the model card
checks compare what a card claims with what the audit measured.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..check import Skip
from ..context import Context
from ..errors import InputError
from .counts import CELLS
from .engine import grouped
from .options import GroupOptions
from .outcomes import binary_labels, check_prediction_values
from .rates import divide, rate
from .scores import roc_auc
from .tables import TableSpec
from .tables import group_rows as _group_rows

__all__ = ["group_rows", "overall_metrics"]

OVERALL_KEYS = (
    "accuracy", "selection_rate", "tpr", "fpr", "precision", "f1", "base_rate", "roc_auc", "brier",
)  # fmt: skip


def _f(x: Any) -> float | None:
    if x is None:
        return None
    v = float(x)
    return v if np.isfinite(v) else None


def _overall(ctx: Context) -> dict[str, float | None]:
    out: dict[str, float | None] = dict.fromkeys(OVERALL_KEYS)
    n = len(ctx.dataset)
    label = present_y = None
    if ctx.target is not None:
        try:
            label, present_y = binary_labels(ctx)
        except InputError:
            label = None
    pred = None
    present_p = np.ones(n, dtype=bool)
    if ctx.missing("predictions") is None:
        try:
            check_prediction_values(ctx)
            p_series = ctx.y_pred
            pred, present_p = ctx.is_positive(p_series), p_series.notna().to_numpy()
        except (InputError, Skip):
            pred = None
    if label is not None and present_y is not None:
        out["base_rate"] = _f(label[present_y].mean()) if present_y.any() else None
    if pred is not None:
        keep = present_p & (present_y if label is not None and present_y is not None else True)
        y = label if label is not None else np.zeros(n, dtype=bool)
        cell = 2 * y[keep].astype(np.int64) + pred[keep].astype(np.int64)
        cells = np.bincount(cell, minlength=4).astype(float)[None, :]
        out["selection_rate"] = _f(rate(cells, "selection_rate")[0])
        if label is not None:
            for key in ("accuracy", "tpr", "fpr", "precision"):
                out[key] = _f(rate(cells, key)[0])
            tp, fp, fn = (
                cells[0, CELLS.index("tp")],
                cells[0, CELLS.index("fp")],
                cells[0, CELLS.index("fn")],
            )
            out["f1"] = _f(divide(2 * tp, 2 * tp + fp + fn))
    if label is not None and present_y is not None and ctx.missing("scores") is None:
        s = pd.to_numeric(ctx.y_score, errors="coerce").to_numpy(dtype=float)
        keep = present_y & np.isfinite(s)
        if keep.any():
            out["roc_auc"] = roc_auc(label[keep], s[keep])
            if s[keep].min() >= 0 and s[keep].max() <= 1:
                out["brier"] = _f(np.mean((s[keep] - label[keep]) ** 2))
    return out


def overall_metrics(ctx: Context) -> dict[str, float | None]:
    """Whole-sample metrics: accuracy, selection_rate, tpr, fpr, precision, f1, base_rate, and
    roc_auc / brier when scores exist; None where undefined or not measurable. Cached."""
    return dict(ctx.measure("fairness.overall_metrics", lambda: _overall(ctx)))


def _rows(ctx: Context) -> list[dict[str, Any]]:
    if not ctx.sensitive:
        return []
    opts = GroupOptions(intersections="all")  # each feature and every intersection
    positive = "prediction" if ctx.missing("predictions") is None else "label"
    if positive == "label" and ctx.target is None:
        return []
    counts, out = grouped(ctx, opts, positive=positive)
    spec = TableSpec(
        rate="selection_rate" if positive == "prediction" else "base_rate",
        has_labels=out.has_labels,
        seed=ctx.seed,
        n_boot=0,
    )
    rows: list[dict[str, Any]] = []
    for gc in counts:
        rows.extend(_group_rows(gc, spec)[0])
    return rows


def group_rows(ctx: Context) -> list[dict[str, Any]]:
    """The ``groups`` table rows (FAIR001 defaults, no bootstrap) for each sensitive feature and
    every intersection (feature ``sex×race``, group ``F×Black``).

    Without predictions the rows describe the labels (base rates). Empty when there are no
    sensitive features. Cached.
    """
    return [dict(r) for r in ctx.measure("fairness.group_rows", lambda: _rows(ctx))]
