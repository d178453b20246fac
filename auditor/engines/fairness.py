"""Fairness on a lazy source: the engine groups by the raw sensitive values and the outcome
flags and returns one small count table; the GroupCounts built from it are the ones the
in-memory path builds, so every metric, interval and test downstream is unchanged.

Hooks (called from :mod:`auditor.fairness` when ``ctx.source`` is set): :func:`encoded`,
:func:`grouped`, :func:`score_counts`, :func:`score_threshold`, :func:`non_null`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ..context import Context
from ..errors import ConfigError, InputError
from ..fairness.counts import GroupCounts, count_groupings
from ..fairness.encode import Encoded, encode_feature
from ..fairness.outcomes import Outcomes, check_prediction_values
from .quantile import exact_quantile, linear_quantiles
from .source import COUNT, LazySource

__all__ = ["encoded", "grouped", "non_null", "score_counts", "score_threshold"]


@dataclass(frozen=True, eq=False)
class _Encoding:
    """A feature's encoding over its distinct values (``values[i]`` has code ``codes[i]``)."""

    encoded: Encoded  # levels as the in-memory path has them; ``codes`` left empty
    values: pd.Index
    codes: np.ndarray


def _source(ctx: Context) -> LazySource:
    assert ctx.source is not None
    src: LazySource = ctx.source
    return src


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _qcut(values: pd.Series, counts: np.ndarray, q: int, name: str) -> pd.Series:
    """``pd.qcut(column, q)`` computed from the column's value counts (same edges and labels)."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise ConfigError(
            f"bins.{name}: feature {name!r} is not numeric ({values.dtype}); only numeric features are binned"
        )
    if q < 2:
        raise ConfigError(f"bins.{name}: expected at least 2 quantile bins, got {q}")
    present = values.notna().to_numpy()
    order = np.argsort(values.to_numpy(dtype=float)[present], kind="stable")
    v = values.to_numpy(dtype=float)[present][order]
    c = counts[present][order]
    quantiles = np.linspace(0, 1, q + 1)  # as pandas.qcut: rounded up when not representable
    np.putmask(quantiles, q * quantiles != np.arange(q + 1), np.nextafter(quantiles, 1))
    edges = linear_quantiles(v, c, [float(x) for x in (quantiles * 100.0) / 100.0])
    out: pd.Series = pd.cut(values, bins=pd.Index(edges), include_lowest=True, duplicates="drop")
    return out


def _encoding(
    ctx: Context, name: str, spec: Any, unknown: Iterable[str], max_groups: int
) -> _Encoding:
    src = _source(ctx)
    vc = src.value_counts(name)
    values: pd.Series = vc[name]
    counts = vc[COUNT].to_numpy(dtype=np.int64)
    if isinstance(spec, int):
        enc = encode_feature(
            _qcut(values, counts, spec, name), name=name, unknown=unknown, max_groups=max_groups
        )
        enc = replace(enc, binned=f"{spec} quantile bins")
    else:
        enc = encode_feature(values, name=name, unknown=unknown, bins=spec, max_groups=max_groups)
    codes = enc.codes
    missing = int(counts[codes < 0].sum())
    return _Encoding(
        encoded=replace(enc, codes=np.zeros(0, dtype=np.int64), missing=missing),
        values=pd.Index(values),
        codes=codes,
    )


def _key(name: str, spec: Any, unknown: Iterable[str], max_groups: int) -> str:
    return f"engines.encode|{name}|{spec!r}|{tuple(unknown)!r}|{max_groups}"


def encoding(
    ctx: Context, name: str, spec: Any, unknown: Iterable[str], max_groups: int
) -> _Encoding:
    unknown = tuple(unknown)
    return ctx.measure(
        _key(name, spec, unknown, max_groups),
        lambda: _encoding(ctx, name, spec, unknown, max_groups),
    )


def encoded(ctx: Context, name: str, spec: Any, unknown: Iterable[str], max_groups: int) -> Encoded:
    """The feature's :class:`Encoded` (levels, missing count) from engine-side value counts."""
    return encoding(ctx, name, spec, unknown, max_groups).encoded


def non_null(ctx: Context, name: str) -> int:
    return _source(ctx).non_null(name)


def score_threshold(ctx: Context, quantile: float) -> float:
    """``np.quantile`` of the present scores, computed exactly on the engine."""
    assert ctx.score is not None
    return exact_quantile(_source(ctx), ctx.score, quantile)


def _row_encoded(
    ctx: Context, table: pd.DataFrame, names: Sequence[str], opts: Any
) -> dict[str, Encoded]:
    out = {}
    for name in names:
        e = encoding(ctx, name, opts.bins.get(name), opts.missing_values, opts.max_groups)
        idx = e.values.get_indexer(pd.Index(table[name]))
        if (idx < 0).any():
            raise RuntimeError(f"engine returned a value of {name!r} not seen in its value counts")
        out[name] = replace(e.encoded, codes=e.codes[idx])
    return out


def _flags(
    ctx: Context, positive: str, use_labels: bool, weight: str | None, threshold: float | None
) -> tuple[dict[str, Any], list[tuple[str, str]], bool]:
    """Engine expressions mirroring :func:`auditor.fairness.outcomes.outcomes`: the positive and
    label bits, and one flag per exclusion reason (in the same order)."""
    import narwhals as nw

    exprs: dict[str, Any] = {}
    reasons: list[tuple[str, str]] = []
    label_value = _plain(ctx.positive_label)

    def is_label(col: str) -> Any:
        return (nw.col(col) == nw.lit(label_value)).fill_null(False)

    if positive == "prediction":
        assert ctx.prediction is not None, "lazy sources have no model predictions"
        check_prediction_values(_distinct_ctx(ctx, ctx.prediction))
        exprs["__pos"] = is_label(ctx.prediction)
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
        _require_binary(ctx)
        assert ctx.target is not None
        exprs["__pos"] = is_label(ctx.target)
        exprs["__x_label"] = nw.col(ctx.target).is_null()
        reasons.append(("__x_label", "label missing"))
    else:
        raise ValueError(positive)
    has_labels = use_labels and ctx.target is not None and positive != "label"
    if has_labels and ctx.positive_label is None:
        has_labels = False  # continuous target: label metrics are not defined here
    if has_labels:
        assert ctx.target is not None
        exprs["__lab"] = is_label(ctx.target)
        exprs["__x_label"] = nw.col(ctx.target).is_null()
        reasons.append(("__x_label", "label missing"))
    if weight is not None:
        w = nw.col(weight).cast(nw.Float64)
        bad = ~(w.is_finite().fill_null(False) & (w >= 0).fill_null(False))
        exprs["__x_weight"] = bad
        exprs["__w"] = nw.when(~bad).then(w).otherwise(nw.lit(0.0))
        reasons.append(
            ("__x_weight", f"sample weight {weight!r} missing, negative or not a number")
        )
    return exprs, reasons, has_labels


def _require_binary(ctx: Context) -> None:
    if ctx.positive_label is None:
        raise InputError(
            f"target column {ctx.target!r} is not binary and no positive label is set; give "
            "--positive-label VALUE (continuous targets are audited by FAIR004 score-parity)"
        )


def _distinct_ctx(ctx: Context, column: str) -> Context:
    """A stand-in context whose dataset holds the column's distinct values (for value checks)."""
    frame = pd.DataFrame({column: _source(ctx).values(column)})
    return replace(ctx, dataset=frame, source=None, _cache={})


def _count_table(
    ctx: Context, names: Sequence[str], exprs: Mapping[str, Any], sums: Sequence[str], what: str
) -> pd.DataFrame:
    import narwhals as nw

    src = _source(ctx)
    lf = src.frame().with_columns(**exprs)
    keys = [*names, *(k for k in exprs if k not in sums)]
    aggs = [nw.len().alias(COUNT), *(nw.col(k).sum().alias(k) for k in sums)]
    table = src.collect(lf.group_by(*keys, drop_null_keys=False).agg(*aggs), what)
    table[COUNT] = table[COUNT].astype("int64")
    src.count_rows_from(int(table[COUNT].sum()))
    return table


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
    names = list(dict.fromkeys(c for g in groups for c in g))
    for name in names:  # levels first: too many groups fails before the big aggregation
        encoding(ctx, name, opts.bins.get(name), opts.missing_values, opts.max_groups)
    exprs, reasons, has_labels = _flags(ctx, positive, use_labels, opts.sample_weight, threshold)
    sums = ["__w"] if "__w" in exprs else []
    table = _count_table(ctx, names, exprs, sums, "per-group counts")
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
    weight = np.where(keep, table["__w"].to_numpy(dtype=float), 0.0) if sums else None
    enc = _row_encoded(ctx, table, names, opts)
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
    names = list(dict.fromkeys(c for g in groups for c in g))
    s = nw.col(ctx.score).cast(nw.Float64)
    ok = s.is_finite().fill_null(False)
    if regression:
        assert ctx.target is not None
        y = nw.col(ctx.target).cast(nw.Float64)
        ok = ok & y.is_finite().fill_null(False)
        err = s - y.fill_null(0.0)
    exprs: dict[str, Any] = {"__ok": ok, "__score": nw.when(ok).then(s).otherwise(nw.lit(0.0))}
    if regression:
        exprs["__abs_err"] = nw.when(ok).then(err.abs()).otherwise(nw.lit(0.0))
        exprs["__sq_err"] = nw.when(ok).then(err * err).otherwise(nw.lit(0.0))
    sums = [k for k in exprs if k != "__ok"]
    table = _count_table(ctx, names, exprs, sums, "per-group score sums")
    cell = np.where(table["__ok"].to_numpy(dtype=bool), 0, -1)
    values = {k[2:]: table[k].to_numpy(dtype=float) for k in sums}
    enc = _row_encoded(ctx, table, names, opts)
    return count_groupings(
        enc, list(groups), cell, values=values, multiplicity=table[COUNT].to_numpy(np.int64)
    )
