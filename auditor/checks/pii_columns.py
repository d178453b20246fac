"""PII001 pii-columns: which columns hold personal data, with per-factor evidence.

What: scans every column (a seeded sample of ``sample_size`` rows per column, or ``all``),
deduplicates values, runs Presidio offline (tier ``patterns``, ``context`` or ``ner``) with the
column name as context, adds recognizers Presidio lacks (US ZIP, VIN, IMEI, MRN, ages over 89,
lat/long, street lines, secrets, names from a gazetteer) and combines name, structure and value
evidence into a verdict per column: ``direct_identifier``, ``quasi_identifier``,
``special_category``, ``free_text_pii`` or ``none``, with entity types, a 5-level likelihood
and the GDPR / HIPAA Safe Harbor / CCPA-CPRA tags. Table ``columns`` (one row per column) and
table ``scan`` (tier, seed, sample size, exclusions). Special categories are reported by PII002.

Findings: one per direct-identifier column and one per free-text column with personal data
(``column:<name>``, high), and ONE for all quasi-identifier columns together
(``dataset:quasi-identifiers``, low): they single people out in combination, which PII004
measures (the finding relates to PII004's ``dataset:<col>+<col>...`` location).

Nothing is skipped silently: cells longer than 10,000 characters are scanned in overlapping
windows up to ``max_cell_chars`` (1,000,000) characters per cell; cells cut there are counted
(``cells_truncated`` per column, ``chars_not_scanned``) and reported as a low finding, and
binary cells (images, templates), which are not inspected, are counted per column
(``binary_cells``) and reported as an info finding.

Why: a privacy reviewer must know which columns carry personal data before a dataset trains a
model; a CI job must block a training set with unmasked identifiers.

Passes: a table of order ids, SKUs, prices and status codes.
Fails: a column ``email`` (direct identifier, high); ``zip`` and ``birth_date`` (one
quasi-identifier finding naming both, low); a ``notes`` column where 10 % of rows contain
phone numbers (free text with PII, high).

References: GDPR Art. 4(1); 45 CFR 164.514(b)(2); Cal. Civ. Code 1798.140(v), (ae);
Presidio analyzer documentation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..check import check
from ..findings import Finding, Severity, Table
from ..pii.settings import ScanOptions

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options(ScanOptions):
    """Scan options (see docs/pii.md); findings for ``quasi_identifier`` columns are low."""


_SEVERITY = {
    "direct_identifier": Severity.HIGH,
    "free_text_pii": Severity.HIGH,
    "quasi_identifier": Severity.LOW,
}
# how to generalise a quasi-identifier, by the entity type the column holds
_GENERALISE = {
    "US_ZIP": "keep only the first 3 digits",
    "DATE_OF_BIRTH": "keep only the year of birth",
    "EVENT_DATE": "keep only the month or the year",
    "DATE_TIME": "keep only the month or the year",
    "AGE": "use 5- or 10-year bands",
    "AGE_OVER_89": "put every age over 89 in one band (90 or older)",
    "LOCATION": "use a larger area (region or state)",
    "GENDER": "keep it only where it is needed",
    "NRP": "use broader groups",
}
QUASI_LOCATION = "dataset:quasi-identifiers"


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
    lazy=True,  # runs on lazy engine sources (auditor.pii.lazy)
)
def pii_columns(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..pii.fallback import tier_fallback
    from ..pii.measure import scan_table

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
        if row["kind"] == "direct_identifier":
            yield _direct(row)
        elif row["kind"] == "free_text_pii":
            yield _free_text(row)
    quasi = [row for row in result.rows if row["kind"] == "quasi_identifier"]
    if quasi:
        yield _quasi(ctx, options, quasi)
    yield from tier_fallback(ctx, "PII001", options, result.meta)


def _seen(row: dict[str, Any]) -> str:
    """``1,000 of 1,000 sampled rows`` (hits of the rows scanned)."""
    from ..pii.wording import rows_phrase

    non_null = (row.get("evidence") or {}).get("cells", {}).get("non_null")
    return f"{row['hits']:,} of {rows_phrase(row['rows_scanned'], non_null)}"


def _technical(row: dict[str, Any]) -> str:
    non_null = (row.get("evidence") or {}).get("cells", {}).get("non_null")
    sample = (
        f"a sample of {row['rows_scanned']:,} of {non_null:,} non-empty rows"
        if isinstance(non_null, int) and row["rows_scanned"] < non_null
        else f"all {row['rows_scanned']:,} non-empty rows"
    )
    return (
        f"{row['column']}: {row['kind']}; entity types {', '.join(row['entity_types']) or 'none'}; "
        f"likelihood {row['likelihood']} (score {row['score']:.2f}); hits {row['hits']:,} "
        f"({row['hit_rate']:.1%}) in {sample}; tags: {', '.join(row['regulations']) or 'none'}"
    )


def _row_evidence(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": row["kind"],
        "entity_types": row["entity_types"],
        "likelihood": row["likelihood"],
        "score": row["score"],
        "hits": row["hits"],
        "hit_rate": row["hit_rate"],
        "rows_scanned": row["rows_scanned"],
        "regulations": row["regulations"],
        "masked_examples": row["masked_examples"],
    }


def _direct(row: dict[str, Any]) -> Finding:
    from ..pii.wording import entities_phrase, likelihood_name

    col = row["column"]
    what = entities_phrase(row["entity_types"])
    if "CREDENTIAL" in row["entity_types"]:
        recommend = (
            f"Revoke and rotate the secrets found in column {col!r} (they must be treated as "
            "leaked), then drop the column: secrets do not belong in a dataset."
        )
    else:
        recommend = (
            f"Drop column {col!r} from the data used for training, evaluation and sharing: a "
            f"model does not need people's {what}. If records must stay linkable, replace it "
            "with a keyed pseudonym (e.g. HMAC-SHA256 with a secret key kept apart), not a plain "
            "hash, which can be reversed by trying likely values."
        )
    return Finding(
        message=(
            f"Column {col!r} holds people's {what} (found in {_seen(row)}; detector confidence: "
            f"{likelihood_name(row['likelihood'])})."
        ),
        location=f"column:{col}",
        evidence=_row_evidence(row),
        discriminator="direct_identifier",
        severity=_SEVERITY["direct_identifier"],
        recommendation=recommend,
        detail=_technical(row),
    )


def _free_text(row: dict[str, Any]) -> Finding:
    from ..pii.wording import entities_phrase, pct

    col = row["column"]
    return Finding(
        message=(
            f"The free-text column {col!r} contains "
            f"{entities_phrase(row['entity_types'], 'or')} in {_seen(row)} "
            f"({pct(row['hit_rate'])})."
        ),
        location=f"column:{col}",
        evidence=_row_evidence(row),
        discriminator="free_text_pii",
        severity=_SEVERITY["free_text_pii"],
        recommendation=(
            f"Redact the {entities_phrase(row['entity_types'])} in {col!r} (replace them with "
            "placeholders such as <EMAIL_ADDRESS>, e.g. with Presidio's anonymizer) before the "
            "text is used for training or shared, or drop the column; keep such details in "
            "their own fields, not in free text."
        ),
        detail=_technical(row),
    )


def _pii004_location(ctx: Context, options: Options, columns: list[str]) -> str | None:
    """Where PII004 reports the re-identification risk of these columns, when it can be known
    without scanning again: PII004 is not in the run (the location it would use), it names its
    quasi-identifiers, or it scans with the same settings as this check (so finds the same)."""
    from ..pii.reid import reidentification_location

    other = ctx.check_options.get("PII004")
    if other is None:
        return reidentification_location(columns)
    given = tuple(getattr(other, "quasi_identifiers", ()) or ())
    if given:
        return reidentification_location(given)
    if isinstance(other, ScanOptions) and other.scan_only().key() == options.scan_only().key():
        return reidentification_location(columns)
    return None


def _quasi(ctx: Context, options: Options, rows: list[dict[str, Any]]) -> Finding:
    from ..pii.wording import entities_phrase, join

    cols = [str(r["column"]) for r in rows]
    types = {c: list(r["entity_types"]) for c, r in zip(cols, rows, strict=True)}
    has_age = any("AGE" in t for t in types.values())
    steps = []
    for c in cols:
        entity = next((e for e in types[c] if e in _GENERALISE), None)
        if entity == "DATE_OF_BIRTH" and has_age:
            steps.append(f"{c}: drop it (an age column is kept) or keep only the year of birth")
        elif entity is not None:
            steps.append(f"{c}: {_GENERALISE[entity]}")
        else:
            steps.append(f"{c}: coarsen or drop it")
    link = _pii004_location(ctx, options, cols)
    see = (
        "; see PII004 for how unique they make each record" if "PII004" in ctx.check_options else ""
    )
    if len(cols) == 1:
        message = (
            f"Column {cols[0]!r} holds {entities_phrase(types[cols[0]])}, which can help single "
            f"people out when combined with other data{see.replace('they make', 'it makes')}."
        )
    else:
        message = f"{len(cols)} columns together can single people out: {join(cols)}{see}."
    tags = list(dict.fromkeys(t for r in rows for t in r["regulations"]))
    return Finding(
        message=message,
        location=QUASI_LOCATION,
        evidence={
            "kind": "quasi_identifier",
            "quasi_identifiers": cols,
            "columns": [{"column": c, **_row_evidence(r)} for c, r in zip(cols, rows, strict=True)],
            "regulations": tags,
        },
        discriminator="quasi_identifier",
        severity=_SEVERITY["quasi_identifier"],
        recommendation=(
            f"Generalise before training or release ({'; '.join(steps)}), then check again that "
            "every combination of these columns is shared by at least k records (PII004)."
        ),
        detail="quasi-identifiers: " + " | ".join(_technical(r) for r in rows),
        relates_to=(link,) if link else (),
    )


def _not_inspected(skipped: dict[str, Any], cap: int) -> Iterator[Finding]:
    binary: dict[str, int] = skipped["binary_cells"]
    if binary:
        cols = ", ".join(f"{c!r} ({n} cells)" for c, n in binary.items())
        yield Finding(
            message=f"Binary cells (images, files) were not inspected for personal data: {cols}.",
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
                f"{sum(truncated.values()):,} very long cell(s) were scanned only on their first "
                f"{cap:,} characters, so {skipped['chars_not_scanned']:,} characters were not "
                f"scanned for personal data: {cols}."
            ),
            detail=f"cells over max_cell_chars ({cap:,}) per column: {cols}",
            location="dataset",
            evidence={
                "cells_truncated": truncated,
                "chars_not_scanned": skipped["chars_not_scanned"],
                "max_cell_chars": cap,
            },
            discriminator="cells-truncated",
            severity=Severity.LOW,
            recommendation=(
                f"Raise max_cell_chars above {cap:,} (PII001.max_cell_chars) to scan the whole "
                f"cells of {', '.join(repr(c) for c in truncated)}, or split the documents."
            ),
        )
