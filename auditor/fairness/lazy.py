"""Group fairness on a lazy source: the engine groups by the sensitive keys and the outcome flags
(favourable prediction, label, exclusion reasons) and returns one small count table; the
GroupCounts built from it are the ones the in-memory path builds, so every metric, interval and
test downstream (FAIR001-FAIR004, FAIR007) is unchanged.

Hooks (called from :mod:`auditor.fairness` when ``ctx.source`` is set): :func:`encoded`,
:func:`grouped`, :func:`score_counts`, :func:`score_threshold`, :func:`non_null`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ..context import Context
from ..engines.quantile import exact_quantile
from ..engines.source import COUNT
from .counts import GroupCounts, count_groupings
from .encode import Encoded
from .lazy_keys import (
    count_table,
    encoding,
    encodings,
    is_label,
    row_encoded,
    source_of,
    sums,
)
from .names import columns_of
from .outcomes import Outcomes, check_prediction_values, require_positive_label

__all__ = ["encoded", "grouped", "non_null", "score_counts", "score_threshold"]


def encoded(ctx: Context, name: str, spec: Any, unknown: Iterable[str], max_groups: int) -> Encoded:
    """The feature's :class:`Encoded` (levels, missing count) from engine-side key counts."""
    return encoding(ctx, name, spec, unknown, max_groups).encoded


def non_null(ctx: Context, name: str) -> int:
    return source_of(ctx).non_null(name)


def score_threshold(ctx: Context, quantile: float) -> float:
    """``np.quantile`` of the present scores, computed exactly on the engine."""
    assert ctx.score is not None
    return exact_quantile(source_of(ctx), ctx.score, quantile)


def _flags(
    ctx: Context, positive: str, use_labels: bool, weight: str | None, threshold: float | None
) -> tuple[dict[str, Any], list[tuple[str, str]], bool]:
    """Engine expressions mirroring :func:`auditor.fairness.outcomes.outcomes`: the positive and
    label bits, and one flag per exclusion reason (in the same order)."""
    import narwhals as nw

    exprs: dict[str, Any] = {}
    reasons: list[tuple[str, str]] = []

    if positive == "prediction":
        assert ctx.prediction is not None, "lazy sources have no model predictions"
        check_prediction_values(_distinct_ctx(ctx, ctx.prediction))
        exprs["__pos"] = is_label(ctx.prediction, ctx.positive_label)
        exprs["__x_pred"] = nw.col(ctx.prediction).is_null()
        reasons.append(("__x_pred", "prediction missing"))
    elif positive == "score":
        assert ctx.score is not None
        assert threshold is not None
        s = nw.col(ctx.score).cast(nw.Float64)
        exprs["__pos"] = (s > threshold).fill_null(False)
        exprs["__x_score"] = ~s.is_finite().fill_null(False)
        reasons.append(("__x_score", "score missing or not a number"))
    elif positive == "label":
        require_positive_label(ctx)
        assert ctx.target is not None
        exprs["__pos"] = is_label(ctx.target, ctx.positive_label)
        exprs["__x_label"] = nw.col(ctx.target).is_null()
        reasons.append(("__x_label", "label missing"))
    else:
        raise ValueError(positive)
    has_labels = use_labels and ctx.target is not None and positive != "label"
    if has_labels and ctx.positive_label is None:
        has_labels = False  # continuous target: label metrics are not defined here
    if has_labels:
        assert ctx.target is not None
        exprs["__lab"] = is_label(ctx.target, ctx.positive_label)
        exprs["__x_label"] = nw.col(ctx.target).is_null()
        reasons.append(("__x_label", "label missing"))
    if weight is not None:
        w = nw.col(weight).cast(nw.Float64)
        bad = ~(w.is_finite().fill_null(False) & (w >= 0).fill_null(False))
        exprs["__x_weight"] = bad
        reasons.append(
            ("__x_weight", f"sample weight {weight!r} missing, negative or not a number")
        )
    return exprs, reasons, has_labels


def _distinct_ctx(ctx: Context, column: str) -> Context:
    """A stand-in context whose dataset holds the column's distinct values (for value checks)."""
    frame = pd.DataFrame({column: source_of(ctx).values(column)})
    return replace(ctx, dataset=frame, source=None, _cache={})


def grouped(
    ctx: Context,
    opts: Any,
    groups: Sequence[tuple[str, ...]],
    *,
    positive: str,
    use_labels: bool,
    threshold: float | None,
) -> tuple[list[GroupCounts], Outcomes]:
    """Group counts for every grouping from one engine-side group-by (see module docstring)."""
    import narwhals as nw

    names = columns_of(groups)
    encs = encodings(ctx, opts, names)  # levels first: too many groups fails before the big pass
    flags, reasons, has_labels = _flags(ctx, positive, use_labels, opts.sample_weight, threshold)
    values: dict[str, Any] = {}
    if opts.sample_weight is not None:
        w = nw.col(opts.sample_weight).cast(nw.Float64)
        values["__w"] = nw.when(~flags["__x_weight"]).then(w).otherwise(nw.lit(0.0))
    table = count_table(ctx, encs, flags, "per-group counts", values, sums(values))
    n = table[COUNT].to_numpy(dtype=np.int64)
    keep = np.ones(len(table), dtype=bool)
    exclusions: list[tuple[str, int]] = []
    for flag, reason in reasons:
        mask = table[flag].to_numpy(dtype=bool)
        new = int(n[mask & keep].sum())
        if new:
            exclusions.append((reason, new))
        keep &= ~mask
    pos = table["__pos"].to_numpy(dtype=bool).astype(np.int64)
    if positive == "label":
        cell = 3 * pos
    elif has_labels:
        cell = 2 * table["__lab"].to_numpy(dtype=bool).astype(np.int64) + pos
    else:
        cell = pos
    cell = np.where(keep, cell, -1)
    weight = np.where(keep, table["__w"].to_numpy(dtype=float), 0.0) if values else None
    enc = row_encoded(ctx, table, names, opts)
    counts = count_groupings(enc, list(groups), cell, weight=weight, multiplicity=n)
    out = Outcomes(
        cell=cell, has_labels=has_labels, exclusions=tuple(exclusions), weight=weight,
        positive=positive,
    )  # fmt: skip
    return counts, out


def score_counts(
    ctx: Context, opts: Any, groups: Sequence[tuple[str, ...]], regression: bool
) -> list[GroupCounts]:
    """Per-group score sums (and absolute / squared errors against a numeric target)."""
    import narwhals as nw

    assert ctx.score is not None
    names = columns_of(groups)
    s = nw.col(ctx.score).cast(nw.Float64)
    ok = s.is_finite().fill_null(False)
    if regression:
        assert ctx.target is not None
        y = nw.col(ctx.target).cast(nw.Float64)
        ok = ok & y.is_finite().fill_null(False)
        err = s - y.fill_null(0.0)
    values: dict[str, Any] = {"__score": nw.when(ok).then(s).otherwise(nw.lit(0.0))}
    if regression:
        values["__abs_err"] = nw.when(ok).then(err.abs()).otherwise(nw.lit(0.0))
        values["__sq_err"] = nw.when(ok).then(err * err).otherwise(nw.lit(0.0))
    encs = encodings(ctx, opts, names)
    table = count_table(ctx, encs, {"__ok": ok}, "per-group score sums", values, sums(values))
    cell = np.where(table["__ok"].to_numpy(dtype=bool), 0, -1)
    totals = {k[2:]: table[k].to_numpy(dtype=float) for k in values}
    enc = row_encoded(ctx, table, names, opts)
    return count_groupings(
        enc, list(groups), cell, values=totals, multiplicity=table[COUNT].to_numpy(np.int64)
    )
