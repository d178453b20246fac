"""The shared body of the group-comparison checks: counts -> groups/disparities tables -> findings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..context import Context
from ..findings import Finding, Severity, Table
from .assess import Breach, assess
from .counts import GroupCounts
from .engine import grouped
from .findings import Wording, subject_findings
from .options import GroupOptions, thresholds_for
from .outcomes import Outcomes
from .tables import GroupDetail, TableSpec, disparity_rows, group_rows, replicates

__all__ = ["Comparison", "compare", "emit", "spec_from"]


@dataclass(frozen=True)
class Comparison:
    """Everything one check measured over its groupings, and the breaches weighed (``tests``:
    how many comparisons the Holm correction was over)."""

    groups: list[dict[str, Any]]
    disparities: list[dict[str, Any]]
    details: list[GroupDetail]
    counts: list[GroupCounts]
    outcomes: Outcomes
    breaches: list[Breach]
    tests: int


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
    quiet: Sequence[str] = (),
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
    breaches, tests = assess(groups, details, disparities, spec, quiet)
    return Comparison(groups, disparities, details, counts, out, breaches, tests)


def emit(
    cmp: Comparison,
    *,
    spec: TableSpec,
    wording: Wording,
    describe: str,
    report_insufficient: bool = True,
    inconclusive_severity: Severity = Severity.LOW,
    scoring_words: tuple[str, str, str] | None = None,
) -> Iterator[Finding | Table]:
    """Yield the tables, then one finding per subject (see :mod:`auditor.fairness.findings`);
    a breach that does not count under ``decide_on`` (inconclusive, degenerate) and a subject
    that could not be assessed get ``inconclusive_severity``."""
    yield Table("groups", tuple(cmp.groups), describe)
    if cmp.disparities:
        yield Table(
            "disparities",
            tuple(cmp.disparities),
            "Disparity metrics per feature (fairlearn definitions, between_groups unless stated); "
            "ratios breach when strictly below the threshold, differences when strictly above; "
            f"bootstrap {spec.n_boot} resamples, {spec.confidence:.0%} percentile intervals; "
            "p_threshold: one-sided test against the threshold, p_adjusted: Holm over the check",
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
    yield from subject_findings(
        cmp.breaches,
        cmp.groups,
        cmp.disparities,
        wording=wording,
        tests=cmp.tests,
        confidence=spec.confidence,
        decide_on=spec.decide_on,
        threshold=spec.threshold,
        inconclusive_severity=inconclusive_severity,
        report_insufficient=report_insufficient,
        scoring_words=scoring_words,
        min_group_size=spec.min_group_size,
    )


def checked_thresholds(overrides: Mapping[str, float | None]) -> dict[str, float | None]:
    try:
        return thresholds_for(overrides)
    except ValueError as exc:
        from ..errors import ConfigError

        raise ConfigError(str(exc)) from None
