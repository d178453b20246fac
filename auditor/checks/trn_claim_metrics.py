"""TRN201 card-metrics-true: the metric values the card reports match what the audit measured.

What: every overall result the card states (``results.overall`` in model_card.yaml, ``model-index``
metrics in a Hugging Face README, ``performance_metrics`` without a slice in MCT JSON) is compared with
the same metric measured on the audit data (accuracy, precision, recall/TPR, FPR, F1, selection rate, base
rate, ROC AUC, Brier); per-group results (``results.by_group``, MCT slices such as ``sex=F``) are compared
with the fairness engine's ``groups`` table. A claim is contradicted when the difference exceeds
``tolerance`` (absolute) and, when the card gives a confidence interval, the measured value lies outside
it widened by the tolerance. With ``only_audited_dataset``, a claim whose dataset (name or revision)
is not the audited data (by file name, stem or sha256) is listed as unverifiable instead of compared.
Values in (1, 100] for a [0, 1] metric are read as percentages and restated as written ("card claims
f1 68.2 (read as 68.2%)"; the compared number is ``claimed_fraction`` in the evidence). MCT slices are
read as ``sex=F``, ``sex:F`` or ``sex_F`` (when ``sex`` is an audited sensitive feature). Metric
names are matched through synonyms (``recall`` = ``tpr``, ``AUC`` = ``roc_auc``). The ``claims`` table
shows every claim with claimed and measured values, including consistent and unverifiable ones.

Why: a card that says 0.91 when the model scores 0.86 on the audited data misleads every reader; EU AI
Act Art. 13(3)(b)(ii) requires the declared level of accuracy to be the real one.

Passes: card accuracy 0.861, measured 0.8605 (tolerance 0.02).
Fails: card accuracy 0.93 at ``card:README.md:17``, measured 0.861 -> "The model card claims an
accuracy of 0.93; the audit measured 0.861 on 2,000 rows (tolerance 0.02)." (detail: "differs by
-0.069, beyond the tolerance 0.02"). A per-group claim relates to ``feature:<feature>``, where the
fairness checks report that feature, so the findings are linked.

References: EU AI Act Art. 13(3)(b)(ii), Annex IV 3; NIST AI RMF MEASURE 2.3; Mitchell et al. 2019
(Quantitative Analyses).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from ..check import check
from ..findings import Finding, Severity, Table
from ..options import Range, check_domains

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options:
    # absolute difference allowed between claimed and measured values
    tolerance: Annotated[float, Range(ge=0, lt=1)] = 0.02
    only_audited_dataset: bool = False  # claims naming another dataset are unverifiable, not false

    def __post_init__(self) -> None:
        check_domains(self)


@check(
    "TRN201",
    "card-metrics-true",
    severity=Severity.MEDIUM,
    options=Options,
    requires=("card", "predictions"),
    references=("https://artificialintelligenceact.eu/article/13/",),
)
def card_metrics_true(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..transparency.report import claim_results

    yield from claim_results(ctx, "metrics", options.tolerance, options.only_audited_dataset)
