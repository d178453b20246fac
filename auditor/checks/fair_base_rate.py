"""FAIR007 label-base-rate: disparity of the favourable label across groups in the data (no model needed).

What: the share of each group with the favourable label (base rate), its Wilson interval, the
base-rate ratio against the highest-rate group with a p-value (``groups`` table: ``base_rate``,
``impact_ratio``), and the base-rate difference and ratio with bootstrap intervals
(``disparities``).

Why: a model trained on labels that already differ strongly by group learns that difference
(historical bias in the labels). Seeing it before training, or next to the model's selection
rates, tells the reviewer whether the model widens or narrows the gap.

Passes: every eligible group's base-rate ratio is at least ``threshold`` (0.80). One finding per
feature or intersection, with each group's evidence as in FAIR001 (significant, inconclusive,
degenerate; only significant breaches fail under ``decide_on: evidence``).

Groups smaller than ``min_group_size`` or with an undefined rate are never passed: listed in the
feature's finding, or in a "could not be assessed" finding (low severity unless
``insufficient_evidence_severity`` says otherwise; ``report_insufficient: false`` leaves it out). A family-level ``FAIR: {options: {insufficient_evidence_severity: medium}}``
reaches this check as it reaches FAIR001-FAIR004.

A continuous target (regression audit, no positive label) skips the check with the reason.

Fails example: UCI Adult, income > 50K: women 10.9%, men 30.6%: ratio 0.358.

References: Kamiran & Calders (2012) data preprocessing for discrimination prevention; AIF360
BinaryLabelDatasetMetric.disparate_impact.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..check import check
from ..fairness.options import GroupOptions, SeverityName, Thresholds
from ..findings import Finding, Severity, Table
from ..options import Ratio

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options(GroupOptions):
    threshold: Ratio | None = 0.8
    thresholds: Thresholds = field(default_factory=dict)
    report_insufficient: bool = True
    insufficient_evidence_severity: SeverityName = "low"


def _validate(ctx: Context, options: Options) -> None:
    from ..fairness.engine import validate_group_options
    from ..fairness.runner import checked_thresholds

    validate_group_options(ctx, options)
    checked_thresholds(options.thresholds)


@check(
    "FAIR007",
    "label-base-rate",
    severity=Severity.MEDIUM,
    options=Options,
    references=("https://doi.org/10.1007/s10115-011-0463-8",),
    requires=("target", "sensitive"),
    validate=_validate,
    lazy=True,  # runs on lazy engine sources (auditor.engines)
)
def label_base_rate(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..fairness.findings import Wording
    from ..fairness.outcomes import require_binary_target
    from ..fairness.runner import checked_thresholds, compare, emit, spec_from

    require_binary_target(ctx, "the label base rate")
    thresholds = checked_thresholds(options.thresholds)
    spec = spec_from(ctx, options, threshold=options.threshold, rate="base_rate")
    cmp = compare(
        ctx,
        options,
        spec,
        ("base_rate_difference", "base_rate_ratio"),
        thresholds,
        positive="label",
        quiet=("base_rate_ratio",),
    )
    yield from emit(
        cmp,
        spec=spec,
        wording=Wording(
            "base_rate",
            reference=options.reference,
            target=ctx.target,
            positive=ctx.positive_label,
            mitigation=(
                "check how the labels were produced (past decisions carry past bias) and "
                "whether they measure the same thing for every group; consider reweighing or "
                "better labels before training, and read the error-rate checks with this in mind."
            ),
        ),
        describe=(
            f"Favourable-label rate (target == {ctx.positive_label!r}) per group; ratio vs the "
            f"{options.reference} reference; ci = Wilson interval of the base rate"
        ),
        report_insufficient=options.report_insufficient,
        inconclusive_severity=Severity.parse(options.insufficient_evidence_severity),
    )
