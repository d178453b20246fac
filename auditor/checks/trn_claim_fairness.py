"""TRN204 card-fairness-claims-true: the card's fairness claims match the measured group metrics.

What: each claim in ``fairness.claims`` (``{metric, feature, group?, value, operator?}``; also fairness
metrics in a Hugging Face ``model-index`` or MCT slices, ``sex``, ``sex=F`` or ``sex_F``) is recomputed
from the fairness engine's
``groups`` table: ``impact_ratio`` for a feature is its lowest group's ratio (the EEOC/NYC LL144 reading),
for a group that group's; ``demographic_parity_ratio`` = min/max selection rate;
``demographic_parity_difference`` = max - min selection rate; ``equal_opportunity_difference`` (TPR) and
``equalized_odds_difference`` (max of TPR and FPR gaps); per-group ``selection_rate``, ``tpr``, ``fpr``,
... An ``==`` claim is contradicted beyond ``tolerance``; ``>=``/``<=`` claims ("impact ratio at least
0.8") are contradicted when the measured value breaks the inequality.

Why: a claimed impact ratio is what an employer's counsel or a regulator reads; if the data says
otherwise the card is false, whatever the fairness checks conclude about the threshold.

Passes: claim ``impact_ratio`` for ``sex`` 0.85, measured 0.848.
Fails: claim ``impact_ratio >= 0.8`` for ``race`` at ``card:model_card.yaml:52``, measured 0.62 -> "The
model card claims an impact ratio of at least 0.8 for race; the audit measured 0.62 for the Black
group against the White group (301 and 1,142 rows).", related to ``feature:race`` (the fairness
findings there).

References: EU AI Act Annex IV 2(g) ("potentially discriminatory impacts"), Art. 13(3)(b)(v); NIST AI
RMF MEASURE 2.11; 29 CFR 1607.4(D).
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
    tolerance: Annotated[float, Range(ge=0, lt=1)] = 0.02  # absolute difference for '==' claims

    def __post_init__(self) -> None:
        check_domains(self)


@check(
    "TRN204",
    "card-fairness-claims-true",
    severity=Severity.HIGH,
    options=Options,
    requires=("card", "predictions", "sensitive"),
    references=("https://www.ecfr.gov/current/title-29/part-1607/section-1607.4",),
)
def card_fairness_claims_true(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..transparency.report import claim_results

    yield from claim_results(ctx, "fairness", options.tolerance)
