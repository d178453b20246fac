"""Uncertainty: Wilson intervals, two-proportion z and Fisher exact tests, count bootstrap."""

from __future__ import annotations

import zlib
from collections.abc import Callable

import numpy as np
from scipy import stats

from .rates import divide

__all__ = [
    "bootstrap_cells",
    "fisher_p",
    "percentile_interval",
    "rng_for",
    "wilson",
    "z_test_p",
]


def wilson(k: np.ndarray, n: np.ndarray, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``k`` successes out of ``n`` (NaN where n == 0).

    ``n`` may be an effective sample size (Kish) for weighted data.
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    p = divide(k, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def z_test_p(k1: float, n1: float, k2: float, n2: float) -> float:
    """Two-sided pooled two-proportion z-test p-value (NaN when undefined)."""
    if n1 <= 0 or n2 <= 0:
        return float("nan")
    pooled = (k1 + k2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if var <= 0:
        return 1.0 if k1 / n1 == k2 / n2 else float("nan")
    z = (k1 / n1 - k2 / n2) / np.sqrt(var)
    return float(2 * stats.norm.sf(abs(z)))


def fisher_p(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided Fisher exact p-value of the 2x2 table (selected / not selected by group)."""
    if n1 <= 0 or n2 <= 0:
        return float("nan")
    table = [[int(k1), int(n1 - k1)], [int(k2), int(n2 - k2)]]
    return float(stats.fisher_exact(table, alternative="two-sided").pvalue)


def rng_for(seed: int, *parts: str) -> np.random.Generator:
    """A generator seeded by the run seed and a label (feature, metric), stable across runs."""
    key = zlib.crc32("\x1f".join(parts).encode("utf-8"))
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, key])


def bootstrap_cells(counts: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """``n_boot`` row-bootstrap replicates of a ``(G, 4)`` count table, shape ``(n_boot, G, 4)``.

    Drawing N rows with replacement and counting them per cell is exactly a multinomial draw
    with the observed cell shares, so no row is touched.
    """
    counts = np.asarray(counts)
    total = int(counts.sum())
    shape = counts.shape
    if total == 0:
        return np.zeros((n_boot, *shape))
    p = counts.ravel().astype(float) / total
    draws = rng.multinomial(total, p, size=n_boot)
    return draws.reshape(n_boot, *shape).astype(float)


def percentile_interval(
    replicates: np.ndarray, confidence: float = 0.95, max_undefined: float = 0.05
) -> tuple[float | None, float | None]:
    """Percentile interval of bootstrap replicates (1-D); None when too many are undefined."""
    reps = np.asarray(replicates, dtype=float)
    finite = reps[np.isfinite(reps)]
    if reps.size == 0 or finite.size < (1 - max_undefined) * reps.size:
        return None, None
    alpha = (1 - confidence) / 2
    low, high = np.quantile(finite, [alpha, 1 - alpha])
    return float(low), float(high)


Stat = Callable[[np.ndarray], np.ndarray]
