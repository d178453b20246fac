"""TRN206 card-model-version: the card describes the model artifact that was audited.

What: compares the card's ``model.version`` with the version the artifact records about itself (ONNX
``metadata_props`` version or ``model_version``; a ``model_version``/``version`` attribute of the model
object; ``metadata: {model_version: ...}`` in audit.yaml; a version in the file name such as
``screener-v2.1.onnx``), and the card's ``model.sha256`` with the artifact's digest. ``v2.1`` equals
``2.1.0``. Without an artifact version the claim is listed as unverifiable.

Why: Annex IV 1(a) asks for the version "reflecting its relation to previous versions"; a card written
for v2.0 shipped with v2.3 documents a different model.

Passes: card ``version: 2.1`` and ``screener-v2.1.onnx``.
Fails: card ``version: 2.0`` at ``card:model_card.yaml:5`` and ONNX metadata ``version=2.3``.

References: EU AI Act Annex IV 1(a), IV 6; NIST AI RMF GOVERN 1.6.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..check import NoOptions, check
from ..findings import Finding, Severity, Table

if TYPE_CHECKING:
    from ..context import Context


@check(
    "TRN206",
    "card-model-version",
    severity=Severity.HIGH,
    requires=("card", "data"),
    references=("https://artificialintelligenceact.eu/annex/4/",),
)
def card_model_version(ctx: Context, options: NoOptions) -> Iterator[Finding | Table]:
    from ..transparency.report import claim_results

    yield from claim_results(ctx, "model_version")
