"""FAIR001 selection-rate-parity: each group's selection rate against a reference group (impact ratio).

What: for every sensitive feature and intersection (``sex``, ``race``, ``sex×race``), the share of
each group that receives the favourable prediction (the positive label), its Wilson interval, the
impact ratio = rate / reference rate (reference: the highest-rate group by default, as in EEOC
29 CFR 1607.4(D) and NYC LL144), a two-proportion z-test / Fisher exact p-value against the
reference, and the demographic parity difference and ratio (fairlearn definitions) with bootstrap
intervals. Tables: ``groups``, ``disparities``, ``exclusions``.

Why: a selection procedure whose rate for one group is well below another's is the first evidence
of adverse impact regulators and counsel ask for; the interval and p-value show whether it is noise.

Passes: every eligible group's impact ratio is at least ``threshold`` (0.80 by default; exactly
0.80 passes, because the rule is "less than four-fifths"). One finding per feature or
intersection (``feature:sex``) names the groups below the threshold, worst first, in a plain
sentence ("Women are selected at 62% of men's rate (21.8% vs 35.4%; 95% CI 53-70%; 962 women,
1,038 men); the four-fifths guideline is 80%."), with each group's evidence: ``significant`` (the
Farrington-Manning test of ratio < threshold rejects after Holm's correction over every
comparison of the check, and the bootstrap interval of the ratio lies below the threshold),
``inconclusive`` (with how many more people would settle it) or ``degenerate`` (a ratio of 0 from
an empty cell). With ``decide_on: evidence`` (default) only a significant breach fails and the
finding has the check's severity; otherwise it is reported at ``insufficient_evidence_severity``
(low) and does not block. ``decide_on: estimate`` fails on the point estimate (the
eeoc-four-fifths pack). Groups smaller than ``min_group_size`` are never passed or failed:
``inconclusive`` when their estimate is below the threshold, else ``insufficient_evidence``. When
the reference group itself is not eligible (e.g. ``privileged: {sex: M}`` with 10 men), every
group compared with it is ``insufficient_evidence`` ("reference group 'M' has n=10 <
min_group_size 30"): no pass or fail against a rate that small.

Fails example: 48 of 80 White and 12 of 40 Black applicants selected: 0.30 / 0.60 = 0.50 < 0.80
(EEOC technical assistance, 2023).

Options: ``reference`` (max_rate | privileged | majority | overall), ``privileged``
(``{sex: M}``), ``threshold`` (null: report only), ``thresholds`` per disparity metric,
``min_group_size``, ``intersections`` (none | all | full | ``[[sex, race]]``), ``bins`` for numeric
features, ``n_boot``, ``confidence``, ``significance_test`` (auto | z | fisher), ``decide_on``
(evidence | estimate), ``sample_weight`` (column), ``method`` (between_groups | to_overall; the
overall rate is that of every row with a known group, as fairlearn's), and
``insufficient_evidence_severity`` (low: the severity of an inconclusive or degenerate finding and
of the "could not be assessed" finding; a pack that wants them to block its gate raises it to the
gate level, e.g. medium with fail_on medium).

References: 29 CFR 1607.4(D) (UGESP four-fifths rule); EEOC technical assistance on AI in
employment selection (18 May 2023); fairlearn.metrics.demographic_parity_ratio.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

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
    metrics: tuple[str, ...] = ("demographic_parity_difference", "demographic_parity_ratio")
    method: Literal["between_groups", "to_overall"] = "between_groups"
    report_insufficient: bool = True
    insufficient_evidence_severity: SeverityName = "low"


def _validate(ctx: Context, options: Options) -> None:
    from ..fairness.engine import validate_group_options
    from ..fairness.runner import checked_thresholds

    validate_group_options(ctx, options)
    checked_thresholds({**{m: None for m in options.metrics}, **options.thresholds})


@check(
    "FAIR001",
    "selection-rate-parity",
    severity=Severity.HIGH,
    options=Options,
    references=(
        "https://www.ecfr.gov/current/title-29/subtitle-B/chapter-XIV/part-1607/section-1607.4",
        "https://fairlearn.org/main/api_reference/generated/fairlearn.metrics.demographic_parity_ratio.html",
    ),
    requires=("predictions", "sensitive"),
    validate=_validate,
    lazy=True,  # runs on lazy engine sources (auditor.engines)
)
def selection_rate_parity(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..fairness.findings import Wording
    from ..fairness.runner import checked_thresholds, compare, emit, spec_from

    thresholds = checked_thresholds(options.thresholds)
    spec = spec_from(ctx, options, threshold=options.threshold)
    quiet = ("demographic_parity_ratio",) if options.reference == "max_rate" else ()
    cmp = compare(
        ctx, options, spec, options.metrics, thresholds, method=options.method, quiet=quiet
    )
    yield from emit(
        cmp,
        spec=spec,
        wording=Wording(
            "selection",
            reference=options.reference,
            target=ctx.prediction,
            positive=ctx.positive_label,
        ),
        describe=(
            f"Selection rate (prediction == {ctx.positive_label!r}) per group; impact ratio vs "
            f"{options.reference} reference (ir_ci: bootstrap interval); ci = Wilson "
            f"{options.confidence:.0%} interval of the selection rate; p_value: two-sided test "
            "vs the reference; p_threshold: one-sided test of the ratio against the threshold; "
            "p_adjusted: Holm over the check's tests"
        ),
        report_insufficient=options.report_insufficient,
        inconclusive_severity=Severity.parse(options.insufficient_evidence_severity),
    )
