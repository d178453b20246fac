"""Report values as words for every renderer and ``auditor diff``: metric values, and the sentence
of a baseline regression entry (``baseline.regressions`` of the report data).

The renderers read only the report data: this lives with them, and :mod:`auditor.baseline`
(which builds those entries) imports it from here, never the other way round.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["format_value", "regression_text"]


def format_value(x: Any) -> str:
    """A metric value for people: floats to 6 significant digits (``0.617413``), else ``str``."""
    return f"{x:.6g}" if isinstance(x, float) else str(x)


def regression_text(reg: Mapping[str, Any]) -> str:
    """``impact_ratio for feature=g, group=B fell 0.9 -> 0.84 (-0.06); allowed: drop ≤ 0.02``."""
    delta = float(reg.get("delta") or 0.0)
    verb = "fell" if delta < 0 else "rose"
    return (
        f"{reg['metric']} for {reg['subject']} {verb} {format_value(reg['old'])} -> "
        f"{format_value(reg['new'])} ({delta:+.6g}) since the baseline; allowed by the regression "
        f"rule: {reg['rule']}"
    )
