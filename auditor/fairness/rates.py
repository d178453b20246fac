"""Per-group metrics from cell counts, vectorised over any leading axes (bootstrap resamples).

Each rate is a (numerator, denominator) pair of cell sums; a zero denominator gives NaN
("undefined", reported as insufficient evidence), never 0 or 1. Definitions match fairlearn
(``selection_rate``, ``true_positive_rate``, ...) and the confusion-matrix formulas of AIF360.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["RATES", "cross_ratio", "divide", "rate", "rate_parts"]

# cell order: 0 = TN, 1 = FP, 2 = FN, 3 = TP
_Parts = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def _s(c: np.ndarray, *idx: int) -> np.ndarray:
    return np.asarray(c[..., list(idx)].sum(axis=-1))


RATES: dict[str, _Parts] = {
    "selection_rate": lambda c: (_s(c, 1, 3), _s(c, 0, 1, 2, 3)),
    "base_rate": lambda c: (_s(c, 2, 3), _s(c, 0, 1, 2, 3)),
    "tpr": lambda c: (_s(c, 3), _s(c, 2, 3)),
    "fpr": lambda c: (_s(c, 1), _s(c, 0, 1)),
    "fnr": lambda c: (_s(c, 2), _s(c, 2, 3)),
    "tnr": lambda c: (_s(c, 0), _s(c, 0, 1)),
    "precision": lambda c: (_s(c, 3), _s(c, 1, 3)),
    "npv": lambda c: (_s(c, 0), _s(c, 0, 2)),
    "accuracy": lambda c: (_s(c, 0, 3), _s(c, 0, 1, 2, 3)),
}


def divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` with NaN where ``den == 0`` (no warnings)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def rate_parts(cells: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    return RATES[name](np.asarray(cells))


def rate(cells: np.ndarray, name: str) -> np.ndarray:
    """Rate ``name`` of every group: ``cells`` has shape ``(..., G, 4)``, result ``(..., G)``."""
    return divide(*rate_parts(cells, name))


def cross_ratio(
    num_a: np.ndarray, den_a: np.ndarray, num_b: np.ndarray, den_b: np.ndarray
) -> np.ndarray:
    """``(num_a/den_a) / (num_b/den_b)`` as ``(num_a*den_b) / (den_a*num_b)``.

    With integer counts this is one correctly rounded division, so 48/100 over 60/100 is exactly
    0.8 (naive ``0.48 / 0.6`` gives 0.7999999999999999 and would wrongly fail a four-fifths test).
    Undefined (NaN) when either rate is undefined or the reference rate is 0.
    """
    num_a, den_a, num_b, den_b = (np.asarray(x, dtype=float) for x in (num_a, den_a, num_b, den_b))
    top = num_a * den_b
    bottom = den_a * num_b
    out = divide(top, bottom)
    return np.where((den_a == 0) | (den_b == 0), np.nan, out)
