"""TRN205 card-dataset-hash: the evaluation dataset the card names is the data that was audited.

What: compares the dataset hashes/revisions the card declares (``data.evaluation[].sha256`` or
``.revision``, ``data.fingerprint``, a ``model-index`` dataset ``revision``) with the sha256 the audit
recorded for its dataset (the file's bytes; for an in-memory DataFrame, a hash of its values). A 64-hex
value, a ``sha256:`` prefix, or a field named sha256/fingerprint with at least 12 hex digits is compared;
a git revision or tag cannot be compared and is listed as unverifiable. One matching declaration is
enough (the others describe other datasets).

Why: results only mean something for the data they were measured on; Annex IV 2(g) asks for the test
data's characteristics, and reproducibility needs its fingerprint.

Passes: ``sha256: 4f1c...`` equal to the audited file's digest.
Fails: ``revision: sha256:9b0e...`` at ``card:README.md:22`` while the audited file hashes to 4f1c...

References: EU AI Act Annex IV 2(g), IV 6; NIST AI RMF MEASURE 2.1; ISO/IEC 42001 A.7.5.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..check import NoOptions, check
from ..findings import Finding, Severity, Table

if TYPE_CHECKING:
    from ..context import Context


@check(
    "TRN205",
    "card-dataset-hash",
    severity=Severity.MEDIUM,
    requires=("card", "data"),
    references=("https://artificialintelligenceact.eu/annex/4/",),
)
def card_dataset_hash(ctx: Context, options: NoOptions) -> Iterator[Finding | Table]:
    from ..transparency.report import claim_results

    yield from claim_results(ctx, "dataset")
