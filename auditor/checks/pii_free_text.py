"""PII003 free-text-pii: share of free-text rows containing personal data, with an interval.

What: for every free-text column (more than 5 words per value on average, or the columns
given in ``columns``), the share of scanned rows in which Presidio (plus auditor's recognizers)
finds an identifying entity (e-mail, phone, SSN, card, names from the gazetteer or NER,
street lines, secrets, ...; dates, URLs and cities alone do not count), its 95 % Wilson
interval and the rows per entity type. Table ``free_text``. A finding when the share exceeds
``max_share``.

Why: free text (support tickets, clinical notes, chat logs) carries personal data in a fraction
of rows that no column name reveals; a reviewer needs the rate and its uncertainty, not a yes/no.

Passes: product descriptions without personal data.
Fails: ``notes`` where 12 of 200 sampled rows contain an e-mail address (6.0 %, CI 3.5-10.2 %).

References: CPRA 1798.140(ae)(1)(E) (contents of mail, e-mail and text messages);
Wilson (1927) score interval.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..check import Skip, check
from ..findings import Finding, Severity, Table
from ..options import Share
from ..pii.settings import ScanOptions

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options(ScanOptions):
    """``columns``: free-text columns to report (default: detected); ``max_share``: tolerated
    share of rows with PII (0 = any row fails)."""

    columns: tuple[str, ...] = ()
    max_share: Share = 0.0


@check(
    "PII003",
    "free-text-pii",
    severity=Severity.MEDIUM,
    options=Options,
    references=("https://cppa.ca.gov/regulations/",),
    lazy=True,  # runs on lazy engine sources (auditor.pii.lazy)
)
def free_text_pii(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..pii.entities import ENTITIES, IDENTIFYING
    from ..pii.fallback import tier_fallback
    from ..pii.measure import scan_table
    from ..pii.stats import wilson

    result = scan_table(ctx, options)
    missing = [c for c in options.columns if c not in result.scans]
    if missing:
        raise Skip(f"columns not in the dataset (or excluded): {', '.join(missing)}")
    names = list(options.columns) or [c for c, s in result.scans.items() if s.is_free_text]
    if not names:
        raise Skip("no free-text columns (none averages more than 5 words per value)")
    rows = []
    for name in names:
        sc = result.scans[name]
        n, k = sc.rows_scanned, sc.rows_with_pii
        lo, hi = wilson(k, n)
        counts = {
            e: h.rows
            for e, h in sorted(sc.entities.items(), key=lambda kv: -kv[1].rows)
            if e in IDENTIFYING or e not in ENTITIES
        }
        examples = [ex for e in counts for ex in sc.entities[e].examples][:3]
        share = k / n if n else 0.0
        row = {
            "column": name,
            "rows_scanned": n,
            "rows_with_pii": k,
            "share": round(share, 4),
            "ci_low": round(lo, 4),
            "ci_high": round(hi, 4),
            "entity_rows": counts,
            "masked_examples": examples,
            "truncated_cells": sc.cells.truncated,
        }
        rows.append(row)
        if k and share > options.max_share:
            yield _finding(name, row, sc.non_null, options.max_share, lo)
    yield Table("free_text", tuple(rows), "Rows with personal data per free-text column")
    yield from tier_fallback(ctx, "PII003", options, result.meta)


def _finding(name: str, row: dict[str, Any], non_null: int, max_share: float, lo: float) -> Finding:
    from ..pii.wording import entities_phrase, interval, pct

    n, k, counts = row["rows_scanned"], row["rows_with_pii"], row["entity_rows"]
    rows = f"{n:,} sampled rows" if n < non_null else f"{n:,} rows"
    tolerated = f"; the policy tolerates {pct(max_share)}" if max_share > 0 else ""
    return Finding(
        message=(
            f"In {pct(row['share'])} of {rows} ({k:,} rows; "
            f"{interval(row['ci_low'], row['ci_high'])}) the free-text column {name!r} contains "
            f"{entities_phrase(list(counts), 'or')}{tolerated}."
        ),
        location=f"column:{name}",
        evidence={k2: v for k2, v in row.items() if k2 != "column"},
        discriminator="free-text",
        severity=Severity.HIGH if lo > 0.01 else None,
        recommendation=(
            f"Redact the {entities_phrase(list(counts))} in {name!r} before the text is used for "
            "training or shared (replace them with placeholders such as <EMAIL_ADDRESS>, e.g. "
            "with Presidio's anonymizer), or drop the column; "
            + (
                "the scan read a sample, so redact every row (about "
                f"{round(row['share'] * non_null):,} of the {non_null:,} non-empty rows at this "
                "rate), then scan again with sample_size: all to confirm none is left."
                if n < non_null
                else "then scan again to confirm none is left."
            )
        ),
        detail=(
            f"{name}: {k:,} of {n:,} scanned rows ({row['share']:.2%}) hold an identifying "
            f"entity (Wilson 95% interval {row['ci_low']:.2%}-{row['ci_high']:.2%}); rows per "
            "entity type: "
            + ", ".join(f"{e} {c:,}" for e, c in counts.items())
            + f"; max_share {max_share:g}; {non_null:,} non-empty rows in the column"
        ),
    )
