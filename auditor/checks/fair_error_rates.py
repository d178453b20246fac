"""FAIR002 error-rate-parity: equalized odds, equal opportunity, average odds and predictive parity.

What: with ground-truth labels, compares per-group true/false positive and negative rates,
precision and accuracy (``groups`` table) and reports fairlearn's ``equalized_odds_difference`` and
``_ratio`` (worst case, plus ``_mean`` variants), ``equal_opportunity_difference``/``_ratio``,
AIF360's ``average_odds_difference`` (against the reference group), predictive parity (precision)
and accuracy differences/ratios, each with a bootstrap interval (``disparities`` table).

Why: a model can select groups at equal rates and still make far more mistakes for one of them
(missed qualified candidates, wrongly flagged applicants). Error-rate parity is what separation-
based fairness criteria (Hardt et al. 2016) require.

Passes: every metric within its threshold (differences at most 0.10, ratios at least 0.80 by
default; boundary values pass). A group with no positive labels has an undefined TPR (0/0): it is
left out of that metric and listed as insufficient evidence, never counted as 0.

Fails example: TPR 0.90 for men and 0.60 for women gives equal_opportunity_difference 0.30 > 0.10.

One finding per feature or intersection names the metrics beyond their thresholds (worst first)
and leads with the plainest of them ("Of the people with the favourable label (qualified = 1),
43.0% of women are selected against 62.3% of men (true positive rate; ...)"). Each metric's
evidence comes from its bootstrap standard error (one-sided test against the threshold, Holm over
the check's metrics); a ratio pulled to 0 by a group with no false positives is ``degenerate``
and names that group and cell. Under ``decide_on: evidence`` (default) only significant breaches
fail. ``average_odds_difference`` is signed (a group's rates minus the reference's): its absolute
value is compared with the threshold.

Options: ``metrics``, ``thresholds`` (per metric, null = report only), ``method``
(between_groups | to_overall), ``insufficient_evidence_severity`` (as FAIR001) and the grouping
options of FAIR001.

References: Hardt, Price, Srebro (2016) Equality of Opportunity in Supervised Learning;
fairlearn.metrics.equalized_odds_difference; AIF360 ClassificationMetric.average_odds_difference.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..check import check
from ..fairness.options import GroupOptions, SeverityName, Thresholds
from ..findings import Finding, Severity, Table

if TYPE_CHECKING:
    from ..context import Context

ERROR_METRICS = (
    "equalized_odds_difference",
    "equalized_odds_ratio",
    "equalized_odds_difference_mean",
    "equalized_odds_ratio_mean",
    "equal_opportunity_difference",
    "equal_opportunity_ratio",
    "average_odds_difference",
    "predictive_parity_difference",
    "predictive_parity_ratio",
    "accuracy_score_difference",
    "accuracy_score_ratio",
)


@dataclass(frozen=True)
class Options(GroupOptions):
    metrics: tuple[str, ...] = ERROR_METRICS
    thresholds: Thresholds = field(default_factory=dict)
    method: Literal["between_groups", "to_overall"] = "between_groups"
    report_insufficient: bool = True
    insufficient_evidence_severity: SeverityName = "low"


def _validate(ctx: Context, options: Options) -> None:
    from ..fairness.engine import validate_group_options
    from ..fairness.runner import checked_thresholds

    validate_group_options(ctx, options)
    checked_thresholds({**{m: None for m in options.metrics}, **options.thresholds})


@check(
    "FAIR002",
    "error-rate-parity",
    severity=Severity.HIGH,
    options=Options,
    references=(
        "https://arxiv.org/abs/1610.02413",
        "https://fairlearn.org/main/api_reference/generated/fairlearn.metrics.equalized_odds_difference.html",
    ),
    requires=("predictions", "target", "sensitive"),
    validate=_validate,
    lazy=True,  # runs on lazy engine sources (auditor.engines)
)
def error_rate_parity(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..fairness.findings import Wording
    from ..fairness.runner import checked_thresholds, compare, emit, spec_from

    thresholds = checked_thresholds(options.thresholds)
    spec = spec_from(ctx, options, threshold=None)
    cmp = compare(ctx, options, spec, options.metrics, thresholds, method=options.method)
    if not cmp.outcomes.has_labels:
        from ..check import Skip

        raise Skip("the target is not binary: error rates need binary labels (see FAIR004)")
    yield from emit(
        cmp,
        spec=spec,
        wording=Wording(
            "errors",
            reference=options.reference,
            target=ctx.target,
            positive=ctx.positive_label,
            mitigation=(
                "weigh the cost of each kind of error for the people concerned, consider "
                "group-aware thresholds (fairlearn ThresholdOptimizer) or retraining, check "
                "whether the labels themselves are biased (FAIR007), and document the fairness "
                "criterion chosen; then re-run the audit."
            ),
        ),
        describe=(
            f"Per-group confusion-matrix rates (positive = {ctx.positive_label!r}); impact ratio "
            f"of the selection rate vs the {options.reference} reference"
        ),
        report_insufficient=options.report_insufficient,
        inconclusive_severity=Severity.parse(options.insufficient_evidence_severity),
    )
