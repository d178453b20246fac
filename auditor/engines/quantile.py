"""Exact quantiles on an engine without sorting: histogram passes narrow the range until the
order statistics sit among few enough rows to fetch their value counts; then numpy's linear
interpolation is applied locally (same formula as ``np.quantile``, so results are identical)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import InputError
from .source import COUNT, LazySource

__all__ = ["exact_quantile", "linear_quantiles"]

FETCH_ROWS = 200_000  # rows in range below which the value counts are fetched
BINS = 4096
MAX_PASSES = 8


def _order_stat(values: np.ndarray, cum: np.ndarray, k: int) -> Any:
    return values[int(np.searchsorted(cum, k, side="right"))]


def _lerp(a: float, b: float, t: float) -> float:
    diff = b - a
    return float(b - diff * (1 - t)) if t >= 0.5 else float(a + diff * t)


def _positions(n: int, q: float) -> tuple[int, int, float]:
    """numpy 'linear': virtual index (n-1)*q, floor/next clipped to [0, n-1], gamma."""
    virtual = np.float64(n - 1) * np.float64(q)
    prev = math.floor(virtual)
    gamma = float(virtual - prev)
    if virtual >= n - 1:
        return n - 1, n - 1, gamma
    if prev < 0:
        return 0, 0, gamma
    return prev, prev + 1, gamma


def linear_quantiles(values: np.ndarray, counts: np.ndarray, qs: Sequence[float]) -> list[float]:
    """Quantiles of the multiset ``values`` x ``counts`` (values sorted ascending, no NaN),
    exactly as ``np.quantile(expanded, q)`` would give them."""
    cum = np.cumsum(counts)
    n = int(cum[-1])
    out = []
    for q in qs:
        k0, k1, gamma = _positions(n, q)
        a = float(_order_stat(values, cum, k0))
        b = float(_order_stat(values, cum, k1))
        out.append(_lerp(a, b, gamma))
    return out


def exact_quantile(source: LazySource, column: str, q: float) -> float:
    """The ``q`` quantile of the finite values of ``column`` (cached per column and q)."""
    return source.cached(f"quantile|{column}|{q!r}", lambda: _exact(source, column, q))


def _exact(source: LazySource, column: str, q: float) -> float:
    import narwhals as nw

    s = nw.col("__s")
    lf = source.frame().select(nw.col(column).cast(nw.Float64).alias("__s"))
    lf = lf.filter(s.is_finite().fill_null(False))
    stats = source.collect(
        lf.select(nw.len().alias(COUNT), s.min().alias("lo"), s.max().alias("hi")),
        f"range of {column!r}",
    )
    n = int(stats[COUNT].iloc[0])
    if n == 0:
        raise InputError(f"score column {column!r} has no numeric values")
    k0, k1, gamma = _positions(n, q)
    lo, hi = float(stats["lo"].iloc[0]), float(stats["hi"].iloc[0])
    offset, in_range, frame = 0, n, lf
    for _ in range(MAX_PASSES):
        if lo == hi:
            return _lerp(lo, hi, gamma)
        if in_range <= FETCH_ROWS:
            vc = source.collect(
                frame.group_by("__s").agg(nw.len().alias(COUNT)).sort("__s"),
                f"values of {column!r} near the quantile",
            )
            values = vc["__s"].to_numpy(dtype=float)
            cum = np.cumsum(vc[COUNT].to_numpy(dtype=np.int64)) + offset
            a = float(values[int(np.searchsorted(cum, k0, side="right"))])
            b = float(values[int(np.searchsorted(cum, k1, side="right"))])
            return _lerp(a, b, gamma)
        scale = BINS / (hi - lo)
        binned = frame.with_columns(
            ((s - lo) * scale).floor().clip(0, BINS - 1).cast(nw.Int64).alias("__b")
        )
        hist = source.collect(
            binned.group_by("__b").agg(
                nw.len().alias(COUNT), s.min().alias("lo"), s.max().alias("hi")
            ),
            f"histogram of {column!r}",
        ).sort_values("__b")
        cum = np.cumsum(hist[COUNT].to_numpy(dtype=np.int64)) + offset
        i0 = int(np.searchsorted(cum, k0, side="right"))
        i1 = int(np.searchsorted(cum, k1, side="right"))
        b0, b1 = int(hist["__b"].iloc[i0]), int(hist["__b"].iloc[i1])
        offset = int(cum[i0 - 1]) if i0 > 0 else offset
        in_range = int(hist[COUNT].iloc[i0 : i1 + 1].sum())
        lo, hi = float(hist["lo"].iloc[i0]), float(hist["hi"].iloc[i1])
        bcol = nw.col("__b")
        frame = binned.filter((bcol >= b0) & (bcol <= b1)).select("__s")
    source.approximate(
        f"quantile {q:g} of {column!r}",
        f"histogram refinement stopped after {MAX_PASSES} passes",
        f"absolute error <= {hi - lo:.3g} (the remaining range)",
    )
    return _lerp(lo, hi, gamma)
