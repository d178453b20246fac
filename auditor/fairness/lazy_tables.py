"""FAIR005, FAIR006, FAIR008 and FAIR009 on a lazy source: the group x score-bin x label,
group x class, group and feature x group tables come from one engine group-by each (through
:func:`auditor.fairness.lazy_keys.count_table`); the arrays built from them are the ones the
in-memory path builds, so every number downstream is computed by the same code.

Hooks (called from the checks when ``ctx.source`` is set): :func:`group_counts` (FAIR008),
:func:`classes` and :func:`class_counts` (FAIR006), :func:`calibration_tables` (FAIR005),
:func:`feature_columns`, :func:`column_profile` and :func:`proxy_counts` (FAIR009).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ..context import Context
from ..engines.quantile import exact_quantiles, qcut_probabilities
from ..engines.source import COUNT, LazySource
from .counts import GroupCounts, count_groupings
from .encode import Encoded
from .lazy_keys import (
    bin_expression,
    count_table,
    encodings,
    is_label,
    is_numeric,
    plain,
    row_encoded,
    source_of,
    unique_edges,
)
from .names import columns_of
from .outcomes import require_positive_label
from .scores import CalibrationRows

__all__ = [
    "calibration_tables",
    "class_counts",
    "classes",
    "column_profile",
    "feature_columns",
    "group_counts",
    "proxy_counts",
]


# -- FAIR008: group counts -------------------------------------------------------------------
def group_counts(ctx: Context, opts: Any, groups: Sequence[tuple[str, ...]]) -> list[GroupCounts]:
    """Rows per group of every grouping (every row counted; cell 0), from one group-by."""
    names = columns_of(groups)
    table = count_table(ctx, encodings(ctx, opts, names), {}, "group counts")
    enc = row_encoded(ctx, table, names, opts)
    cell = np.zeros(len(table), dtype=np.int64)
    return count_groupings(enc, list(groups), cell, multiplicity=table[COUNT].to_numpy(np.int64))


# -- FAIR006: one-vs-rest per class ----------------------------------------------------------
def classes(ctx: Context, column: str) -> pd.Series:
    """The distinct non-null values of ``column`` (from the engine's value counts)."""
    values = source_of(ctx).values(column)
    out: pd.Series = values[values.notna()].reset_index(drop=True)
    return out


def _class_code(column: str, values: Sequence[Any]) -> Any:
    """Index of the column's value in ``values``; -1 for any other value or null."""
    import narwhals as nw

    code: Any = nw.lit(-1, dtype=nw.Int64)
    for i in reversed(range(len(values))):
        hit = (nw.col(column) == nw.lit(plain(values[i]))).fill_null(False)
        code = nw.when(hit).then(nw.lit(i, dtype=nw.Int64)).otherwise(code)
    return code


def _comparable(dtype: Any, values: Sequence[Any]) -> bool:
    """Whether a column of ``dtype`` can equal any of ``values`` (pandas ``eq`` is False across
    numbers and strings; the engines would raise instead)."""
    numeric_col = pd.api.types.is_numeric_dtype(dtype)
    numeric_vals = all(isinstance(plain(v), (int, float)) for v in values)
    return bool(numeric_col == numeric_vals)


def class_counts(
    ctx: Context, opts: Any, groups: Sequence[tuple[str, ...]], values: Sequence[Any]
) -> list[tuple[Any, list[GroupCounts]]]:
    """For each class ``values[i]``: the group counts with cell ``2 * (target == class) +
    (prediction == class)``, rows with a missing prediction or target left out; one group-by."""
    import narwhals as nw

    assert ctx.prediction is not None
    src = source_of(ctx)
    names = columns_of(groups)
    flags: dict[str, Any] = {"__p": _class_code(ctx.prediction, values)}
    if ctx.target is not None:
        comparable = _comparable(src.schema[ctx.target].dtype, values)
        flags["__t"] = _class_code(ctx.target, values) if comparable else nw.lit(-1, dtype=nw.Int64)
        flags["__tnull"] = nw.col(ctx.target).is_null()
    table = count_table(ctx, encodings(ctx, opts, names), flags, "per-group class counts")
    enc = row_encoded(ctx, table, names, opts)
    n = table[COUNT].to_numpy(np.int64)
    p = table["__p"].to_numpy(dtype=np.int64)
    keep = p >= 0  # every non-null prediction is one of the classes
    t = np.full(len(table), -1, dtype=np.int64)
    if ctx.target is not None:
        keep &= ~table["__tnull"].to_numpy(dtype=bool)
        t = table["__t"].to_numpy(dtype=np.int64)
    out = []
    for i, cls in enumerate(values):
        cell = np.where(keep, 2 * (t == i).astype(np.int64) + (p == i).astype(np.int64), -1)
        out.append((cls, count_groupings(enc, list(groups), cell, multiplicity=n)))
    return out


# -- FAIR005: calibration --------------------------------------------------------------------
def calibration_tables(
    ctx: Context, opts: Any, groups: Sequence[tuple[str, ...]], n_bins: int
) -> tuple[dict[str, Encoded], CalibrationRows]:
    """The sensitive features encoded per count-table row and the count table's rows for
    :func:`auditor.fairness.scores.calibration_sums` (rows, score sum, positives, squared-error
    sum per group x score bin x label, and the lowest and highest kept score), from one engine
    group-by. The check skips out-of-range scores before anything is added up."""
    import narwhals as nw

    require_positive_label(ctx)
    assert ctx.target is not None
    assert ctx.score is not None
    s = nw.col(ctx.score).cast(nw.Float64)
    ok = (~nw.col(ctx.target).is_null()) & s.is_finite().fill_null(False)
    y = is_label(ctx.target, ctx.positive_label)
    err = s - y.cast(nw.Float64)
    flags = {
        "__ok": ok,
        "__y": y,
        "__b": nw.when(ok)  # as score_bins; scores outside [0, 1] skip the check
        .then((s * n_bins).floor())
        .otherwise(nw.lit(0.0))
        .clip(lower_bound=0, upper_bound=n_bins - 1)
        .cast(nw.Int64),
    }
    values = {
        "__ss": nw.when(ok).then(s).otherwise(nw.lit(0.0)),
        "__sq": nw.when(ok).then(err * err).otherwise(nw.lit(0.0)),
        "__sv": nw.when(ok).then(s),
    }
    aggs = {
        "__ss": ("sum", "__ss"),
        "__sq": ("sum", "__sq"),
        "__lo": ("min", "__sv"),
        "__hi": ("max", "__sv"),
    }
    names = columns_of(groups)
    encs = encodings(ctx, opts, names)
    table = count_table(ctx, encs, flags, "per-group calibration counts", values, aggs)
    good = table["__ok"].to_numpy(dtype=bool)
    n = table[COUNT].to_numpy(dtype=float)
    rows = CalibrationRows(
        kept=good,
        bins=table["__b"].to_numpy(dtype=np.int64),
        n=n,
        ssum=table["__ss"].to_numpy(dtype=float),
        pos=n * table["__y"].to_numpy(dtype=bool),
        sq=table["__sq"].to_numpy(dtype=float),
        low=float(table.loc[good, "__lo"].min()) if good.any() else None,
        high=float(table.loc[good, "__hi"].max()) if good.any() else None,
    )
    return row_encoded(ctx, table, names, opts), rows


# -- FAIR009: contingency tables of candidate features -----------------------------------------
def feature_columns(ctx: Context) -> list[str]:
    """The columns ``ctx.feature_frame`` would hold (the schema frame has every column)."""
    schema_ctx = replace(ctx, source=None, _cache={})
    return [str(c) for c in schema_ctx.feature_frame.columns]


def column_profile(ctx: Context, columns: Sequence[str]) -> dict[str, tuple[int, bool]]:
    """Per column: (distinct non-null values, exact; numeric dtype kind "biuf") in one pass."""
    src = source_of(ctx)
    _, _, distinct = src.column_counts(columns)
    return {c: (distinct[c], src.schema[c].dtype.kind in "biuf") for c in columns}


def _top_values(src: LazySource, column: str, k: int) -> pd.DataFrame:
    """The ``k`` most frequent non-null values (ties by value), computed on the engine."""
    import narwhals as nw

    lf = (
        src.frame()
        .filter(~nw.col(column).is_null())
        .group_by(column)
        .agg(nw.len().alias(COUNT))
        .sort([COUNT, column], descending=[True, False])
        .head(k)
    )
    out = src.collect(lf, f"most frequent values of {column!r}")
    top: pd.DataFrame = out.sort_values([COUNT, column], ascending=[False, True], kind="stable")
    return top


def proxy_counts(
    ctx: Context, opts: Any, column: str, bins: int, max_levels: int
) -> tuple[np.ndarray, int, str, dict[str, Encoded], np.ndarray]:
    """``column`` discretised as :func:`auditor.fairness.association.discretise` does, against
    every sensitive feature: (feature code per count-table row, levels, how, the sensitive
    features encoded per row, row counts), from one engine group-by.

    Numeric columns with more than ``bins`` distinct values get ``pd.qcut`` bins from exact
    engine quantiles; others keep their values, or the ``max_levels - 1`` most frequent plus
    "other" (ties at that cut are broken by value, not by first appearance: stated as an
    approximation when they occur).
    """
    import narwhals as nw

    src = source_of(ctx)
    names = list(ctx.sensitive)
    encs = encodings(ctx, opts, names)
    distinct = column_profile(ctx, [column])[column][0]
    dtype = src.schema[column].dtype
    what = f"contingency of {column!r} with the sensitive features"
    if is_numeric(dtype) and distinct > bins:
        edges = exact_quantiles(src, column, qcut_probabilities(bins), "feature column")
        used = unique_edges(edges)  # pd.qcut's bins: the distinct edges (duplicates dropped)
        table = count_table(ctx, encs, {"__f": bin_expression(column, used, True)}, what)
        codes = table["__f"].astype(float).fillna(-1).to_numpy(dtype=np.int64)
        k = len(used) - 1
        how = f"{k} quantile bins"
    elif distinct <= max_levels:
        table = count_table(ctx, encs, {}, what, raw=[column])
        codes, uniques = pd.factorize(table[column], use_na_sentinel=True)
        codes = np.asarray(codes, dtype=np.int64)
        k, how = len(uniques), "categories"
    else:
        top = _top_values(src, column, max_levels)
        kept = list(top[column].iloc[: max_levels - 1])
        counts = top[COUNT].to_numpy(dtype=np.int64)
        if len(counts) == max_levels and counts[max_levels - 2] == counts[max_levels - 1]:
            src.approximate(
                f"FAIR009 levels of {column!r}",
                f"top {max_levels - 1} values by count, ties at the cut broken by value",
                "values tied at the cut may be pooled differently from the in-memory path "
                "(which breaks ties by first appearance)",
            )
        top_code = _class_code(column, kept)
        code = (
            nw.when(nw.col(column).is_null())
            .then(nw.lit(-1, dtype=nw.Int64))
            .when(top_code >= 0)
            .then(top_code)
            .otherwise(nw.lit(max_levels - 1, dtype=nw.Int64))
        )
        table = count_table(ctx, encs, {"__f": code}, what)
        codes = table["__f"].to_numpy(dtype=np.int64)
        k, how = max_levels, f"top {max_levels - 1} categories + other"
    sens = row_encoded(ctx, table, names, opts)
    return codes, k, how, sens, table[COUNT].to_numpy(dtype=np.int64)
