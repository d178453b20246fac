"""TRN203 card-sensitive-attributes: the declared sensitive attributes cover what the data holds.

What: compares ``data.sensitive_attributes`` (MCT: ``sensitive.sensitive_data``; Hugging Face: a
``- **Sensitive attributes:**`` line) with the special-category columns the PII scan finds (race or
ethnicity, religion, health, sexual orientation, union membership, biometrics, political opinion,
criminal data) and with the sensitive features the audit was configured with. Names match through
synonyms (gender = sex, ethnicity = race, ...). Every sensitive column not covered by the declaration is
listed. An explicit "no sensitive data" (``data.contains_special_category: false``, or a datasheet
Composition answer "No") is contradicted by any sensitive column.

Why: EU AI Act Art. 10(5) and GDPR Art. 9 treat special-category data specially; a card that omits them
hides the fairness and privacy obligations that follow.

Passes: declared ``[sex, race/ethnicity]``; found ``gender``, ``ethnicity``.
Fails: declared ``[sex]``; found ``ethnicity`` (special_category) and ``religion`` (special_category);
the finding relates to ``column:ethnicity`` and ``column:religion`` (PII002's findings there).

References: GDPR Art. 9; EU AI Act Art. 10(5); ISO/IEC 42001 A.7.4.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..check import NoOptions, check
from ..findings import Finding, Severity, Table

if TYPE_CHECKING:
    from ..context import Context


@check(
    "TRN203",
    "card-sensitive-attributes",
    severity=Severity.HIGH,
    requires=("card", "data"),
    references=("https://gdpr-info.eu/art-9-gdpr/",),
)
def card_sensitive_attributes(ctx: Context, options: NoOptions) -> Iterator[Finding | Table]:
    from ..transparency.report import claim_results

    yield from claim_results(ctx, "sensitive")
