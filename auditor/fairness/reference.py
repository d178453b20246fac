"""Reference-group strategies for impact ratios: max_rate, privileged, majority, overall."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ConfigError
from .names import STRATEGIES

__all__ = ["STRATEGIES", "choose_reference"]


def choose_reference(
    strategy: str,
    groups: Sequence[str],
    rates: np.ndarray,
    n: np.ndarray,
    eligible: np.ndarray,
    privileged: str | None = None,
    feature: str = "",
) -> int | None:
    """Index of the reference group, or None (``overall``, or no eligible group).

    ``max_rate``: the eligible group with the highest rate (EEOC 1607.4(D), LL144; ties go to the
    larger group); ``majority``: the largest eligible group (Aequitas ``maj``); ``privileged``:
    the named group; ``overall``: no group, the rate of all rows with a known group.
    """
    rates = np.asarray(rates, dtype=float)
    ok = np.asarray(eligible, dtype=bool) & np.isfinite(rates)
    if strategy == "overall":
        return None
    if strategy == "privileged":
        if privileged is None:
            raise ConfigError(
                f"reference: privileged needs the option privileged: {{{feature}: VALUE}}"
            )
        if privileged not in groups:
            raise ConfigError(
                f"privileged.{feature}: group {privileged!r} does not occur "
                f"(groups: {', '.join(groups[:20])})"
            )
        return list(groups).index(privileged)
    if not ok.any():
        return None
    idx = np.flatnonzero(ok)
    if strategy == "max_rate":
        best = max(idx, key=lambda i: (rates[i], n[i], -i))
        return int(best)
    if strategy == "majority":
        return int(max(idx, key=lambda i: (n[i], -i)))
    raise ConfigError(f"reference: expected one of {', '.join(STRATEGIES)}, got {strategy!r}")
