"""Count tables on a lazy engine: each sensitive feature's key (its raw values, or the bin code
of a binned numeric feature, computed by the engine), its encoding over those keys, and the one
group-by that returns a small table of keys x flags with row counts and sums.

A binned feature (``bins: {age: 4}`` or ``bins: {age: [18, 30, 45, 65]}``) gets its edges
first (exact engine quantiles with ``pandas.qcut``'s probabilities for a bin count, or the given
edges); the engine then groups by the bin code, so a column with 150,000 distinct values brings
back one row per bin, not per value. The labels are pandas' own (``pd.cut`` on the same edges,
applied to one representative value per bin), so they equal the in-memory ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ..context import Context
from ..engines.quantile import exact_quantiles, qcut_probabilities
from ..engines.source import COUNT, LazySource
from .encode import Encoded, check_bins, encode_feature

__all__ = [
    "Encoding",
    "bin_expression",
    "count_table",
    "encoding",
    "encodings",
    "is_label",
    "is_numeric",
    "plain",
    "row_encoded",
    "source_of",
    "sums",
    "unique_edges",
]


@dataclass(frozen=True, eq=False)
class Encoding:
    """A feature's encoding over its count-table keys (``values[i]`` has group ``codes[i]``).

    ``key`` is the count-table column holding the key: the raw column, or for a binned feature
    ``__bin<i>`` computed on the engine by ``expr`` (the bin code, null = missing/outside).
    """

    encoded: Encoded  # levels as the in-memory path has them; ``codes`` left empty
    values: pd.Index
    codes: np.ndarray
    key: str
    expr: Any = None


def source_of(ctx: Context) -> LazySource:
    assert ctx.source is not None
    src: LazySource = ctx.source
    return src


def plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    return value.item() if isinstance(value, np.generic) else value


def is_numeric(dtype: Any) -> bool:
    return bool(pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype))


# -- bins on the engine ----------------------------------------------------------------------
def bin_expression(column: str, edges: Sequence[float], right: bool) -> Any:
    """The bin code of ``column`` as ``pd.cut`` assigns it: ``right`` = intervals closed on the
    right with the lowest edge included (``qcut``), else closed on the left; null outside the
    edges, for missing and for non-finite values."""
    import narwhals as nw

    x = nw.col(column).cast(nw.Float64)
    lo, hi = float(edges[0]), float(edges[-1])
    inside = x.is_finite() & (x >= lo) & ((x <= hi) if right else (x < hi))
    code: Any = nw.lit(0, dtype=nw.Int64)
    for e in edges[1:-1]:
        step = (x > float(e)) if right else (x >= float(e))
        code = code + step.fill_null(False).cast(nw.Int64)
    return nw.when(inside.fill_null(False)).then(code)


def unique_edges(edges: Sequence[float]) -> list[float]:
    return [float(e) for e in pd.unique(np.asarray(edges, dtype=float))]


def _bin_spec(ctx: Context, name: str, spec: Any) -> tuple[list[float], list[float], bool]:
    """(edges as pandas gets them, edges used, right-closed) for ``bins.<name>``, checked as the
    in-memory binning checks it (:func:`auditor.fairness.encode.check_bins`)."""
    src = source_of(ctx)
    checked = check_bins(name, src.schema[name].dtype, spec)
    if isinstance(checked, int):
        edges = exact_quantiles(src, name, qcut_probabilities(checked), "sensitive column")
        return edges, unique_edges(edges), True
    return checked, checked, False


def _key_counts(src: LazySource, key: str, expr: Any, what: str) -> pd.DataFrame:
    import narwhals as nw

    def compute() -> pd.DataFrame:
        lf = src.frame().with_columns(expr.alias(key))
        out = src.collect(lf.group_by(key, drop_null_keys=False).agg(nw.len().alias(COUNT)), what)
        out[COUNT] = out[COUNT].astype("int64")
        src.count_rows_from(int(out[COUNT].sum()))
        return out

    return src.cached(f"key_counts|{what}", compute)


def _binned_encoding(
    ctx: Context, name: str, spec: Any, unknown: Iterable[str], max_groups: int
) -> Encoding:
    src = source_of(ctx)
    cut_edges, edges, right = _bin_spec(ctx, name, spec)
    key = f"__bin{list(ctx.sensitive).index(name)}" if name in ctx.sensitive else f"__bin_{name}"
    expr = bin_expression(name, edges, right)
    vc = _key_counts(src, key, expr, f"bin counts of {name!r} ({spec!r})")
    codes = vc[key].astype(float)
    # one representative value per observed bin (a value pandas puts in that bin)
    reps = pd.Series(
        [np.nan if np.isnan(c) else edges[int(c) + 1 if right else int(c)] for c in codes],
        dtype=float,
        name=name,
    )
    if right:
        binned = pd.cut(reps, bins=pd.Index(cut_edges), include_lowest=True, duplicates="drop")
        enc = encode_feature(binned, name=name, unknown=unknown, max_groups=max_groups)
        enc = replace(enc, binned=f"{spec} quantile bins")
    else:
        enc = encode_feature(reps, name=name, unknown=unknown, bins=spec, max_groups=max_groups)
    counts = vc[COUNT].to_numpy(dtype=np.int64)
    return Encoding(
        encoded=replace(
            enc, codes=np.zeros(0, dtype=np.int64), missing=int(counts[enc.codes < 0].sum())
        ),
        values=pd.Index(codes),
        codes=enc.codes,
        key=key,
        expr=expr,
    )


def _encoding(
    ctx: Context, name: str, spec: Any, unknown: Iterable[str], max_groups: int
) -> Encoding:
    if spec is not None:
        return _binned_encoding(ctx, name, spec, unknown, max_groups)
    vc = source_of(ctx).value_counts(name)
    values: pd.Series = vc[name]
    counts = vc[COUNT].to_numpy(dtype=np.int64)
    enc = encode_feature(values, name=name, unknown=unknown, max_groups=max_groups)
    codes = enc.codes
    return Encoding(
        encoded=replace(
            enc, codes=np.zeros(0, dtype=np.int64), missing=int(counts[codes < 0].sum())
        ),
        values=pd.Index(values),
        codes=codes,
        key=name,
    )


def _key(name: str, spec: Any, unknown: Iterable[str], max_groups: int) -> str:
    return f"engines.encode|{name}|{spec!r}|{tuple(unknown)!r}|{max_groups}"


def encoding(
    ctx: Context, name: str, spec: Any, unknown: Iterable[str], max_groups: int
) -> Encoding:
    unknown = tuple(unknown)
    return ctx.measure(
        _key(name, spec, unknown, max_groups),
        lambda: _encoding(ctx, name, spec, unknown, max_groups),
    )


def encodings(ctx: Context, opts: Any, names: Sequence[str]) -> list[Encoding]:
    return [encoding(ctx, n, opts.bins.get(n), opts.missing_values, opts.max_groups) for n in names]


# -- the count table -------------------------------------------------------------------------
def count_table(
    ctx: Context,
    encs: Sequence[Encoding],
    flags: Mapping[str, Any],
    what: str,
    values: Mapping[str, Any] | None = None,
    aggs: Mapping[str, tuple[str, str]] | None = None,
    raw: Sequence[str] = (),
) -> pd.DataFrame:
    """One engine group-by: keys = the features' keys + ``flags`` + the ``raw`` columns;
    aggregates = the row count and ``aggs`` (``{alias: (op, column)}``, op ``sum``/``min``/``max``
    over the ``values`` columns). Only this table comes back."""
    import narwhals as nw

    src = source_of(ctx)
    added = {e.key: e.expr for e in encs if e.expr is not None}
    added.update(flags)
    added.update(values or {})
    lf = src.frame()
    if added:
        lf = lf.with_columns(**added)
    keys = list(dict.fromkeys([*(e.key for e in encs), *flags, *raw]))
    spec = dict(aggs or {})
    if src.engine == "dask":
        grouped = _dask_group_by(lf, keys, spec)
    else:
        agg_exprs = [
            nw.len().alias(COUNT),
            *(getattr(nw.col(col), op)().alias(k) for k, (op, col) in spec.items()),
        ]
        grouped = lf.group_by(*keys, drop_null_keys=False).agg(*agg_exprs)
    table = src.collect(grouped, what)
    table[COUNT] = table[COUNT].astype("int64")
    src.count_rows_from(int(table[COUNT].sum()))
    return table


def _dask_group_by(lf: Any, keys: list[str], spec: Mapping[str, tuple[str, str]]) -> Any:
    """The same group-by natively on Dask with ``split_out=1``: a tree reduction. Dask's automatic
    choice for several keys is a shuffle, which holds partitions in worker memory for a result
    of a few hundred rows (workers of 1 GB were killed on 10M rows)."""
    import narwhals as nw

    native = nw.to_native(lf.select(*keys, *dict.fromkeys(c for _, c in spec.values())))
    native = native.assign(**{COUNT: 1})
    named = {COUNT: (COUNT, "sum"), **{k: (col, op) for k, (op, col) in spec.items()}}
    grouped = native.groupby(keys, dropna=False, observed=True)
    out = grouped.agg(split_out=1, **named).reset_index()
    return nw.from_native(out)


def sums(values: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    return {k: ("sum", k) for k in values}


def row_encoded(
    ctx: Context, table: pd.DataFrame, names: Sequence[str], opts: Any
) -> dict[str, Encoded]:
    """Each feature encoded over the rows of a count table (one code per table row)."""
    out = {}
    for name, e in zip(names, encodings(ctx, opts, names), strict=True):
        keys = table[e.key].astype(float) if e.expr is not None else table[e.key]
        idx = e.values.get_indexer(pd.Index(keys))
        if (idx < 0).any():
            raise RuntimeError(f"engine returned a value of {name!r} not seen in its key counts")
        out[name] = replace(e.encoded, codes=e.codes[idx])
    return out


def is_label(column: str, value: Any) -> Any:
    import narwhals as nw

    return (nw.col(column) == nw.lit(plain(value))).fill_null(False)
