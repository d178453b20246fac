"""Exact quantiles on an engine without sorting: histogram passes narrow the range until the
order statistics sit among few enough rows to fetch their value counts; then numpy's linear
interpolation is applied locally (same formula as ``np.quantile``, so results are identical).

Several quantiles of one column share every pass: each pass histograms all the value ranges
still holding a wanted order statistic at once (one engine query), so ``k`` quantile bins cost
about as many passes as one median.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from .source import COUNT, LazySource

__all__ = ["exact_quantile", "exact_quantiles", "linear_quantiles", "qcut_probabilities"]

FETCH_ROWS = 200_000  # rows in range below which the value counts are fetched
FETCH_BATCH = 5  # windows fetched together hold at most FETCH_BATCH * FETCH_ROWS rows
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


def qcut_probabilities(q: int) -> list[float]:
    """The probabilities ``pandas.qcut(x, q)`` asks ``Series.quantile`` for (rounded up when
    not representable in base 2, as pandas does)."""
    quantiles = np.linspace(0, 1, q + 1)
    np.putmask(quantiles, q * quantiles != np.arange(q + 1), np.nextafter(quantiles, 1))
    return [float(x) for x in (quantiles * 100.0) / 100.0]


def exact_quantile(source: LazySource, column: str, q: float, what: str = "score column") -> float:
    """The ``q`` quantile of the finite values of ``column`` (cached per column and q)."""
    return exact_quantiles(source, column, [q], what)[0]


def exact_quantiles(
    source: LazySource, column: str, qs: Sequence[float], what: str = "score column"
) -> list[float]:
    """The ``qs`` quantiles of the finite values of ``column``, sharing the engine passes."""
    key = f"quantiles|{column}|{tuple(float(q) for q in qs)!r}"
    return source.cached(key, lambda: _exact(source, column, [float(q) for q in qs], what))


@dataclass
class _Window:
    """A value range [lo, hi] holding ``count`` rows, ``offset`` rows below it, and the order
    statistics (0-based ranks) still to be found in it."""

    lo: float
    hi: float
    offset: int
    count: int
    ranks: list[int]


def _in(s: Any, w: _Window) -> Any:
    return (s >= w.lo) & (s <= w.hi)


def _any_in(s: Any, windows: Sequence[_Window]) -> Any:
    cond = _in(s, windows[0])
    for w in windows[1:]:
        cond = cond | _in(s, w)
    return cond


def _batches(windows: Sequence[_Window], limit: int) -> list[list[_Window]]:
    out: list[list[_Window]] = []
    size = limit + 1
    for w in windows:
        if size + w.count > limit:
            out.append([])
            size = 0
        out[-1].append(w)
        size += w.count
    return out


def _fetch(
    source: LazySource, frame: Any, column: str, windows: Sequence[_Window], found: dict[int, float]
) -> None:
    """Value counts of the rows in ``windows`` (one query); the ranks read off locally."""
    import narwhals as nw

    s = nw.col("__s")
    vc = source.collect(
        frame.filter(_any_in(s, windows)).group_by("__s").agg(nw.len().alias(COUNT)).sort("__s"),
        f"values of {column!r} near the quantile",
    )
    values = vc["__s"].to_numpy(dtype=float)
    counts = vc[COUNT].to_numpy(dtype=np.int64)
    for w in windows:
        sel = (values >= w.lo) & (values <= w.hi)
        cum = np.cumsum(counts[sel]) + w.offset
        v = values[sel]
        for k in w.ranks:
            found[k] = float(v[int(np.searchsorted(cum, k, side="right"))])


def _histogram(
    source: LazySource, frame: Any, column: str, windows: Sequence[_Window]
) -> list[_Window]:
    """One histogram of every window (``BINS`` bins each, one query): the narrower windows."""
    import narwhals as nw

    s = nw.col("__s")
    expr: Any = None
    for j, w in enumerate(windows):
        scale = BINS / (w.hi - w.lo)
        code = ((s - w.lo) * scale).floor().clip(0, BINS - 1).cast(nw.Int64) + j * BINS
        expr = nw.when(_in(s, w)).then(code) if expr is None else expr.when(_in(s, w)).then(code)
    hist = source.collect(
        frame.filter(_any_in(s, windows))
        .with_columns(expr.alias("__b"))
        .group_by("__b")
        .agg(nw.len().alias(COUNT), s.min().alias("lo"), s.max().alias("hi")),
        f"histogram of {column!r}",
    ).sort_values("__b")
    bins = hist["__b"].to_numpy(dtype=np.int64)
    counts = hist[COUNT].to_numpy(dtype=np.int64)
    los, his = hist["lo"].to_numpy(dtype=float), hist["hi"].to_numpy(dtype=float)
    out: list[_Window] = []
    for j, w in enumerate(windows):
        sel = (bins >= j * BINS) & (bins < (j + 1) * BINS)
        c, lo, hi = counts[sel], los[sel], his[sel]
        cum = np.cumsum(c) + w.offset
        by_bin: dict[int, _Window] = {}
        for k in w.ranks:
            i = int(np.searchsorted(cum, k, side="right"))
            if i not in by_bin:
                below = int(cum[i - 1]) if i > 0 else w.offset
                by_bin[i] = _Window(float(lo[i]), float(hi[i]), below, int(c[i]), [])
            by_bin[i].ranks.append(k)
        out.extend(by_bin[i] for i in sorted(by_bin))
    return out


def _exact(source: LazySource, column: str, qs: Sequence[float], what: str) -> list[float]:
    import narwhals as nw

    s = nw.col("__s")
    frame = source.frame().select(nw.col(column).cast(nw.Float64).alias("__s"))
    frame = frame.filter(s.is_finite().fill_null(False))
    stats = source.collect(
        frame.select(nw.len().alias(COUNT), s.min().alias("lo"), s.max().alias("hi")),
        f"range of {column!r}",
    )
    n = int(stats[COUNT].iloc[0])
    if n == 0:
        raise InputError(f"{what} {column!r} has no numeric values")
    positions = [_positions(n, q) for q in qs]
    ranks = sorted({k for k0, k1, _ in positions for k in (k0, k1)})
    lo, hi = float(stats["lo"].iloc[0]), float(stats["hi"].iloc[0])
    windows = [_Window(lo, hi, 0, n, ranks)]
    found: dict[int, float] = {}
    for _ in range(MAX_PASSES):
        for w in windows:
            if w.lo == w.hi:
                found.update(dict.fromkeys(w.ranks, w.lo))
        pending = [w for w in windows if w.lo != w.hi]
        small = [w for w in pending if w.count <= FETCH_ROWS]
        for batch in _batches(small, FETCH_BATCH * FETCH_ROWS):
            _fetch(source, frame, column, batch, found)
        windows = [w for w in pending if w.count > FETCH_ROWS]
        if not windows:
            break
        windows = _histogram(source, frame, column, windows)
    out = []
    for q, (k0, k1, gamma) in zip(qs, positions, strict=True):
        if k0 in found and k1 in found:
            out.append(_lerp(found[k0], found[k1], gamma))
            continue
        a = found[k0] if k0 in found else next(w.lo for w in windows if k0 in w.ranks)
        b = found[k1] if k1 in found else next(w.hi for w in windows if k1 in w.ranks)
        source.approximate(
            f"quantile {q:g} of {column!r}",
            f"histogram refinement stopped after {MAX_PASSES} passes",
            f"absolute error <= {b - a:.3g} (the remaining range)",
        )
        out.append(_lerp(a, b, gamma))
    return out
