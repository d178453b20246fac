"""PII001 pii-columns: which columns hold personal data, with per-factor evidence.

What: scans every column (a seeded sample of ``sample_size`` rows per column, or ``all``),
deduplicates values, runs Presidio offline (tier ``patterns``, ``context`` or ``ner``) with the
column name as context, adds recognizers Presidio lacks (US ZIP, VIN, IMEI, MRN, ages over 89,
lat/long, street lines, secrets, names from a gazetteer) and combines name, structure and value
evidence into a verdict per column: ``direct_identifier``, ``quasi_identifier``,
``special_category``, ``free_text_pii`` or ``none``, with entity types, a 5-level likelihood
and the GDPR / HIPAA Safe Harbor / CCPA-CPRA tags. Table ``columns`` (one row per column) and
table ``scan`` (tier, seed, sample size, exclusions). Special categories are reported by PII002.

Nothing is skipped silently: cells longer than 10,000 characters are scanned in overlapping
windows up to ``max_cell_chars`` (1,000,000) characters per cell; cells cut there are counted
(``cells_truncated`` per column, ``chars_not_scanned``) and reported as a low finding, and
binary cells (images, templates), which are not inspected, are counted per column
(``binary_cells``) and reported as an info finding.

Why: a privacy reviewer must know which columns carry personal data before a dataset trains a
model; a CI job must block a training set with unmasked identifiers.

Passes: a table of order ids, SKUs, prices and status codes.
Fails: a column ``email`` (direct identifier, high); ``zip`` (quasi-identifier, low);
a ``notes`` column where 10 % of rows contain phone numbers (free text with PII, high).

References: GDPR Art. 4(1); 45 CFR 164.514(b)(2); Cal. Civ. Code 1798.140(v), (ae);
Presidio analyzer documentation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..check import check
from ..context import Context
from ..findings import Finding, Severity, Table
from ..pii.measure import scan_table
from ..pii.settings import ScanOptions


@dataclass(frozen=True)
class Options(ScanOptions):
    """Scan options (see docs/pii.md); findings for ``quasi_identifier`` columns are low."""


_SEVERITY = {
    "direct_identifier": Severity.HIGH,
    "free_text_pii": Severity.HIGH,
    "quasi_identifier": Severity.LOW,
}
_RECOMMEND = {
    "direct_identifier": "Drop, tokenise or pseudonymise the column before training or release.",
    "free_text_pii": "Redact the entities in the text (or drop the column) before use.",
    "quasi_identifier": "Generalise (e.g. 3-digit ZIP, birth year) and check k-anonymity (PII004).",
}


@check(
    "PII001",
    "pii-columns",
    severity=Severity.HIGH,
    options=Options,
    references=(
        "https://gdpr-info.eu/art-4-gdpr/",
        "https://www.ecfr.gov/current/title-45/part-164/section-164.514",
        "https://microsoft.github.io/presidio/analyzer/",
    ),
    lazy=True,  # runs on lazy engine sources (auditor.engines.pii)
)
def pii_columns(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    result = scan_table(ctx, options)
    yield Table("columns", result.rows, "Personal-data verdict per column (masked examples only)")
    # the scan meta holds what was not inspected (measure.not_scanned), on both scan paths
    yield Table(
        "scan",
        (dict(result.meta),),
        "How the columns were scanned (tier, seed, sample size, what was not inspected)",
    )
    yield from _not_inspected(result.meta, options.max_cell_chars)
    tags: Counter[str] = Counter()
    for row in result.rows:
        for tag in row["regulations"]:
            tags[tag] += 1
    yield Table(
        "regulations",
        tuple({"regulation": t, "columns": n} for t, n in sorted(tags.items())),
        "Columns per regulation category",
    )
    for row in result.rows:
        kind = row["kind"]
        if kind not in _SEVERITY:
            continue
        label = kind.replace("_", " ")
        if kind == "free_text_pii":
            message = (
                f"column {row['column']!r} is free text containing personal data "
                f"({', '.join(row['entity_types'])}) in {row['hit_rate']:.1%} of scanned rows"
            )
        else:
            message = (
                f"column {row['column']!r} is a {label} ({', '.join(row['entity_types'])}, "
                f"{row['likelihood'].lower().replace('_', ' ')}, score {row['score']:.2f})"
            )
        yield Finding(
            message=message,
            location=f"column:{row['column']}",
            evidence={
                "kind": kind,
                "entity_types": row["entity_types"],
                "likelihood": row["likelihood"],
                "score": row["score"],
                "hits": row["hits"],
                "hit_rate": row["hit_rate"],
                "rows_scanned": row["rows_scanned"],
                "regulations": row["regulations"],
                "masked_examples": row["masked_examples"],
            },
            discriminator=kind,
            severity=_SEVERITY[kind],
            recommendation=_RECOMMEND[kind],
        )


def _not_inspected(skipped: dict[str, Any], cap: int) -> Iterator[Finding]:
    binary: dict[str, int] = skipped["binary_cells"]
    if binary:
        cols = ", ".join(f"{c!r} ({n} cells)" for c, n in binary.items())
        yield Finding(
            message=f"binary cells were not inspected for personal data: {cols}",
            location="dataset",
            evidence={"binary_cells": binary},
            discriminator="binary-not-inspected",
            severity=Severity.INFO,
            recommendation=(
                "Review binary columns (images, audio, templates) by hand: a face photograph "
                "or fingerprint is a Safe Harbor identifier and GDPR biometric data."
            ),
        )
    truncated: dict[str, int] = skipped["cells_truncated"]
    if truncated:
        cols = ", ".join(f"{c!r} ({n} cells)" for c, n in truncated.items())
        yield Finding(
            message=(
                f"{sum(truncated.values())} cell(s) longer than max_cell_chars ({cap:,}) were "
                f"scanned on their first {cap:,} characters; {skipped['chars_not_scanned']:,} "
                f"characters were not scanned: {cols}"
            ),
            location="dataset",
            evidence={
                "cells_truncated": truncated,
                "chars_not_scanned": skipped["chars_not_scanned"],
                "max_cell_chars": cap,
            },
            discriminator="cells-truncated",
            severity=Severity.LOW,
            recommendation="Raise max_cell_chars to scan the whole cells, or split the documents.",
        )
