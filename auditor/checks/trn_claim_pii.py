"""TRN202 card-pii-claim-true: a "no personal data" statement holds against the PII scan.

What: reads what the card or datasheet says about personal data (``data.contains_pii: false``; a
datasheet's Composition answer "No" to "does it identify individuals / contain confidential data?";
prose such as "The training data does not contain personal data" or "PII was removed"; a quoted
``contains_pii: "no"`` is read as the answer ``false``) and compares it
with the PII engine's column classification. A "no personal data" statement is contradicted when any
column is classified ``direct_identifier``, ``free_text_pii`` or ``special_category``; the finding names
the columns and their kinds (never values). Quasi-identifiers alone do not contradict it (they are shown
in the PII checks).

Why: a false "no personal data" statement skips the GDPR impact assessment and data-protection review
the data needs; NIST AI RMF MEASURE 2.10 asks for privacy risk to be examined and documented.

Passes: ``contains_pii: true`` and the scan flags ``email``; or ``false`` and nothing is flagged.
Fails: ``contains_pii: false`` at ``card:model_card.yaml:31`` while ``email`` (direct_identifier) and
``notes`` (free_text_pii) are flagged -> "The model card says the data contains no personal data, but
the audit found personal data in 2 columns: email and notes.", related to ``column:email`` and
``column:notes`` (the PII findings there).

References: GDPR Art. 4(1), 9, 35; NIST AI RMF MEASURE 2.10; Gebru et al. §3.2 (Composition).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..check import NoOptions, check
from ..findings import Finding, Severity, Table

if TYPE_CHECKING:
    from ..context import Context


@check(
    "TRN202",
    "card-pii-claim-true",
    severity=Severity.HIGH,
    requires=("card", "data"),
    references=("https://gdpr-info.eu/art-4-gdpr/", "https://gdpr-info.eu/art-9-gdpr/"),
)
def card_pii_claim_true(ctx: Context, options: NoOptions) -> Iterator[Finding | Table]:
    from ..transparency.report import claim_results

    yield from claim_results(ctx, "pii")
