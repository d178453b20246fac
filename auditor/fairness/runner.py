"""The shared body of the group-comparison checks: counts -> groups/disparities tables -> findings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..context import Context
from ..findings import Finding, Severity, Table
from .counts import GroupCounts
from .engine import grouped
from .findings import disparity_findings, impact_findings, insufficient_findings
from .options import GroupOptions, thresholds_for
from .outcomes import Outcomes
from .tables import GroupDetail, TableSpec, disparity_rows, group_rows, replicates

__all__ = ["Comparison", "compare", "emit", "spec_from"]


@dataclass(frozen=True)
class Comparison:
    """Everything one check measured over its groupings."""

    groups: list[dict[str, Any]]
    disparities: list[dict[str, Any]]
    details: list[GroupDetail]
    counts: list[GroupCounts]
    outcomes: Outcomes


def spec_from(
    ctx: Context, opts: GroupOptions, *, threshold: float | None, **changes: Any
) -> TableSpec:
    base: dict[str, Any] = {
        "reference": opts.reference,
        "privileged": dict(opts.privileged),
        "min_group_size": opts.min_group_size,
        "threshold": threshold,
        "decide_on": opts.decide_on,
        "confidence": opts.confidence,
        "n_boot": opts.n_boot,
        "significance_test": opts.significance_test,
        "seed": ctx.seed,
    }
    base.update(changes)
    return TableSpec(**base)


def compare(
    ctx: Context,
    opts: GroupOptions,
    spec: TableSpec,
    metrics: Sequence[str],
    thresholds: Mapping[str, float | None],
    *,
    method: str = "between_groups",
    positive: str = "prediction",
    threshold: float | None = None,
    features: Sequence[tuple[str, ...]] | None = None,
) -> Comparison:
    counts, out = grouped(ctx, opts, positive=positive, threshold=threshold, features=features)
    from dataclasses import replace

    spec = replace(spec, has_labels=out.has_labels)
    groups: list[dict[str, Any]] = []
    disparities: list[dict[str, Any]] = []
    details: list[GroupDetail] = []
    for gc in counts:
        reps = replicates(gc, spec)
        rows, det, ref = group_rows(gc, spec, reps)
        groups.extend(rows)
        details.extend(det)
        disparities.extend(
            disparity_rows(gc, metrics, spec, thresholds, method=method, reps=reps, reference=ref)
        )
    return Comparison(groups, disparities, details, counts, out)


def emit(
    cmp: Comparison,
    *,
    spec: TableSpec,
    rate_label: str,
    reference_label: str,
    recommendation: str,
    describe: str,
    impact: bool = True,
    report_insufficient: bool = True,
    impact_severity: Severity | None = None,
    quiet_metrics: Sequence[str] = (),
    insufficient_severity: Severity = Severity.LOW,
) -> Iterator[Finding | Table]:
    """Yield the tables and findings; ``quiet_metrics`` fail in the table without a finding
    (e.g. the demographic parity ratio, already reported per group as impact ratios);
    ``insufficient_severity`` is the severity of the "could not be assessed" findings."""
    yield Table("groups", tuple(cmp.groups), describe)
    if cmp.disparities:
        yield Table(
            "disparities",
            tuple(cmp.disparities),
            "Disparity metrics per feature (fairlearn definitions, between_groups unless stated); "
            "ratios fail when strictly below the threshold, differences when strictly above; "
            f"bootstrap {spec.n_boot} resamples, {spec.confidence:.0%} percentile intervals",
        )
    yield Table(
        "exclusions",
        tuple(cmp.outcomes.exclusion_rows())
        + tuple(
            {"reason": f"{gc.feature} missing or unknown", "rows": gc.n_missing}
            for gc in cmp.counts
            if gc.n_missing
        ),
        "Rows left out, with the reason (missing-group rows also appear as the (missing) group)",
    )
    if impact and spec.threshold is not None:
        yield from impact_findings(
            cmp.details,
            fail_status=spec.fail_status,
            rate_label=rate_label,
            threshold=spec.threshold,
            reference_label=reference_label,
            recommendation=recommendation,
            severity=impact_severity,
        )
    yield from disparity_findings(
        [r for r in cmp.disparities if r["metric"] not in quiet_metrics], recommendation
    )
    if report_insufficient:
        yield from insufficient_findings(cmp.groups, "groups", insufficient_severity)
        yield from insufficient_findings(
            cmp.disparities, "disparity metrics", insufficient_severity
        )


def checked_thresholds(overrides: Mapping[str, float | None]) -> dict[str, float | None]:
    try:
        return thresholds_for(overrides)
    except ValueError as exc:
        from ..errors import ConfigError

        raise ConfigError(str(exc)) from None
