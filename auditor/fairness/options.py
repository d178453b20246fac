"""Options shared by the FAIR checks (a family-level ``FAIR: {options: ...}`` reaches all of them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from .disparity import DISPARITY_METRICS
from .encode import DEFAULT_UNKNOWN
from .reference import STRATEGIES

__all__ = ["DEFAULT_THRESHOLDS", "GroupOptions", "SeverityName", "thresholds_for"]

#: A severity by name (read with ``Severity.parse``): the type of the checks' severity options,
#: such as ``insufficient_evidence_severity``.
SeverityName: TypeAlias = Literal["info", "low", "medium", "high", "critical"]

#: Ratios fail when strictly below, differences when strictly above (EEOC: 0.80 itself passes).
DEFAULT_THRESHOLDS: dict[str, float] = {
    **{m: 0.8 for m in DISPARITY_METRICS if m.endswith(("_ratio", "_ratio_mean"))},
    **{m: 0.1 for m in DISPARITY_METRICS if not m.endswith(("_ratio", "_ratio_mean"))},
}


@dataclass(frozen=True)
class GroupOptions:
    """Grouping and uncertainty options common to the group-comparison checks."""

    intersections: Literal["none", "all", "full"] | tuple[tuple[str, ...], ...] = "all"
    min_group_size: int = 30
    bins: Mapping[str, int | tuple[float, ...]] = field(default_factory=dict)
    max_groups: int = 50
    missing_values: tuple[str, ...] = DEFAULT_UNKNOWN
    reference: Literal["max_rate", "privileged", "majority", "overall"] = "max_rate"
    privileged: Mapping[str, str] = field(default_factory=dict)
    confidence: float = 0.95
    n_boot: int = 1000
    significance_test: Literal["auto", "z", "fisher"] = "auto"
    decide_on: Literal["evidence", "estimate"] = "evidence"
    sample_weight: str | None = None

    def __post_init__(self) -> None:
        if self.min_group_size < 0:
            raise ValueError(f"min_group_size must be >= 0, got {self.min_group_size}")
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be between 0 and 1, got {self.confidence}")
        if self.n_boot < 0 or self.n_boot > 100_000:
            raise ValueError(f"n_boot must be between 0 and 100000, got {self.n_boot}")
        if self.max_groups < 1:
            raise ValueError(f"max_groups must be >= 1, got {self.max_groups}")
        assert self.reference in STRATEGIES


def thresholds_for(overrides: Mapping[str, float | None]) -> dict[str, float | None]:
    """Default thresholds with the policy's per-metric overrides (null = report only)."""
    unknown = [m for m in overrides if m not in DISPARITY_METRICS]
    if unknown:
        from ..errors import suggest

        raise ValueError(
            f"thresholds: unknown metric {unknown[0]!r}{suggest(unknown[0], DISPARITY_METRICS)}"
        )
    out: dict[str, float | None] = dict(DEFAULT_THRESHOLDS)
    out.update(overrides)
    return out
