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

from ..check import Skip, check
from ..context import Context
from ..findings import Finding, Severity, Table
from ..pii.entities import ENTITIES, IDENTIFYING
from ..pii.measure import scan_table
from ..pii.settings import ScanOptions
from ..pii.stats import wilson


@dataclass(frozen=True)
class Options(ScanOptions):
    """``columns``: free-text columns to report (default: detected); ``max_share``: tolerated
    share of rows with PII (0 = any row fails)."""

    columns: tuple[str, ...] = ()
    max_share: float = 0.0


@check(
    "PII003",
    "free-text-pii",
    severity=Severity.MEDIUM,
    options=Options,
    references=("https://cppa.ca.gov/regulations/",),
    lazy=True,  # runs on lazy engine sources (auditor.engines.pii)
)
def free_text_pii(ctx: Context, options: Options) -> Iterator[Finding | Table]:
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
            yield Finding(
                message=(
                    f"{share:.1%} of scanned rows of free-text column {name!r} contain personal "
                    f"data (95% CI {lo:.1%}-{hi:.1%}; {', '.join(counts)})"
                ),
                location=f"column:{name}",
                evidence={k2: v for k2, v in row.items() if k2 != "column"},
                discriminator="free-text",
                severity=Severity.HIGH if lo > 0.01 else None,
                recommendation="Redact entities in the text before training or sharing it.",
            )
    yield Table("free_text", tuple(rows), "Rows with personal data per free-text column")
