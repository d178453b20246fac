"""Options shared by the FAIR checks (a family-level ``FAIR: {options: ...}`` reaches all of them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Literal, TypeAlias

from ..options import Finite, Level, Range, Share, check_domains
from .names import DEFAULT_UNKNOWN, DISPARITY_METRICS, STRATEGIES

__all__ = [
    "DEFAULT_THRESHOLDS",
    "Bins",
    "Boot",
    "GroupOptions",
    "MaxGroups",
    "MinGroupSize",
    "SeverityName",
    "Thresholds",
    "check_threshold_values",
    "thresholds_for",
]

#: A severity by name (read with ``Severity.parse``): the type of the checks' severity options,
#: such as ``insufficient_evidence_severity``.
SeverityName: TypeAlias = Literal["info", "low", "medium", "high", "critical"]

#: Domains of the options the FAIR checks share (see :class:`auditor.options.Range`).
#: ``min_group_size``: 0 = no minimum (a group of 0 rows never exists, so 0 and 1 act alike).
MinGroupSize = Annotated[int, Range(ge=0)]
#: ``max_groups``: a comparison needs at least two groups.
MaxGroups = Annotated[int, Range(ge=2)]
#: ``n_boot``: 0 turns bootstrap intervals off; otherwise enough resamples for a percentile interval.
Boot = Annotated[int, Range(ge=100, le=100_000, also=(0,))]
#: ``bins``: a number of quantile bins (at least 2), or bin edges.
Bins = Mapping[str, Annotated[int, Range(ge=2, le=1000)] | tuple[Finite, ...]]
#: per-metric thresholds: a difference in [0, 1], a ratio in (0, 1] (checked by
#: :func:`thresholds_for`); null = report only.
Thresholds = Mapping[str, Share | None]

#: Ratios fail when strictly below, differences when strictly above (EEOC: 0.80 itself passes).
DEFAULT_THRESHOLDS: dict[str, float] = {
    **{m: 0.8 for m in DISPARITY_METRICS if m.endswith(("_ratio", "_ratio_mean"))},
    **{m: 0.1 for m in DISPARITY_METRICS if not m.endswith(("_ratio", "_ratio_mean"))},
}


@dataclass(frozen=True)
class GroupOptions:
    """Grouping and uncertainty options common to the group-comparison checks."""

    intersections: Literal["none", "all", "full"] | tuple[tuple[str, ...], ...] = "all"
    min_group_size: MinGroupSize = 30
    bins: Bins = field(default_factory=dict)
    max_groups: MaxGroups = 50
    missing_values: tuple[str, ...] = DEFAULT_UNKNOWN
    reference: Literal["max_rate", "privileged", "majority", "overall"] = "max_rate"
    privileged: Mapping[str, str] = field(default_factory=dict)
    confidence: Level = 0.95
    n_boot: Boot = 1000
    significance_test: Literal["auto", "z", "fisher"] = "auto"
    decide_on: Literal["evidence", "estimate"] = "evidence"
    sample_weight: str | None = None

    def __post_init__(self) -> None:
        check_domains(self)  # every field's declared range, this class's and a subclass's
        thresholds = getattr(self, "thresholds", None)  # a subclass's per-metric thresholds
        if isinstance(thresholds, Mapping):
            check_threshold_values(thresholds)
        assert self.reference in STRATEGIES


def check_threshold_values(thresholds: Mapping[str, float | None]) -> None:
    """ValueError for a per-metric threshold outside its metric's domain: a ratio (``*_ratio``,
    ``*_ratio_mean``) in (0, 1], a difference in [0, 1]; null (report only) is always allowed."""
    for metric, value in thresholds.items():
        ratio = str(metric).endswith(("_ratio", "_ratio_mean"))
        domain = Range(gt=0, le=1) if ratio else Range(ge=0, le=1)
        if value is not None and not domain.contains(value):
            kind = "a ratio threshold" if ratio else "a difference threshold"
            raise ValueError(
                f"thresholds.{metric}: {value:g} is out of range ({kind}: "
                f"{domain.describe(str(metric))})"
            )


def thresholds_for(overrides: Mapping[str, float | None]) -> dict[str, float | None]:
    """Default thresholds with the policy's per-metric overrides (null = report only)."""
    unknown = [m for m in overrides if m not in DISPARITY_METRICS]
    if unknown:
        from ..errors import suggest

        raise ValueError(
            f"thresholds: unknown metric {unknown[0]!r}{suggest(unknown[0], DISPARITY_METRICS)}"
        )
    check_threshold_values(overrides)
    out: dict[str, float | None] = dict(DEFAULT_THRESHOLDS)
    out.update(overrides)
    return out
