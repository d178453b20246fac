"""TRN207 card-license-valid: the card's license is a valid SPDX id, a Hub id, or linked custom terms.

What: validates the card's license against the SPDX License List shipped with auditor (case-insensitive;
SPDX expressions are parsed by the grammar of the SPDX spec, annex D: AND/OR/WITH, exceptions, ``+``
and balanced parentheses, so ``(MIT`` fails; a deprecated id passes with its real replacement named,
``GPL-3.0+`` -> ``GPL-3.0-or-later``), the Hugging Face Hub's own license ids
(``openrail``, ``llama3``, ...), or a custom license given with a name or text and a link (Hub:
``license: other`` + ``license_name`` + ``license_link``; ours: ``{name, link}``). Model Card Toolkit
license objects are read in every card format: ``{identifier: Apache-2.0}`` is the SPDX id,
``{identifier: proprietary}`` the MCT schema's value for a model under no license, and ``custom_text``
passes as an SPDX id written there, the full terms, or text linking to them. Each license of a list is
judged on its own line. Typos get a did-you-mean (``Apach-2.0`` -> ``Apache-2.0``), and the fix names
the card's own place (``model_details.licenses[].identifier`` in an MCT card).

Why: a license nobody can identify gives no usage rights a legal team can rely on; the Hub verifies
``license`` on push and NIST AI RMF GOVERN 6.1 covers third-party IP risk.

Passes: ``license: apache-2.0``; ``MIT OR Apache-2.0``; ``{id: other, name: Acme EULA, link: https://...}``;
MCT ``"licenses": [{"custom_text": "Apache-2.0"}]``.
Fails: ``license: Apache 2`` -> "'Apache' is not an SPDX license id (did you mean 'Apache-2.0'?)";
``license: proprietary`` without a link; MCT ``{"custom_text": "See our terms."}``.

References: https://spdx.org/licenses/; huggingface hub-docs repositories-licenses.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..check import NoOptions, check
from ..findings import Finding, Severity, Table

if TYPE_CHECKING:
    from ..context import Context


@check(
    "TRN207",
    "card-license-valid",
    severity=Severity.MEDIUM,
    requires=("card",),
    references=("https://spdx.org/licenses/",),
)
def card_license_valid(ctx: Context, options: NoOptions) -> Iterator[Finding | Table]:
    from ..transparency.report import claim_results

    yield from claim_results(ctx, "license")
