"""PII002 special-categories: columns holding GDPR Art. 9 or Art. 10 data.

What: from the column scan (PII001's options), lists columns whose name (lexicon) or values
(vocabularies, ICD-10 codes) reveal racial or ethnic origin, political opinions, religious or
philosophical beliefs, trade-union membership, genetic or biometric data, health, sex life or
sexual orientation (Art. 9(1)), or criminal convictions and offences (Art. 10). Table
``special_categories`` gives the category, the article and whether the name, the values or both
gave the evidence. These are also candidate sensitive features for the fairness checks
(same lexicon: ``auditor.pii.lexicon.special_category_of``).

A name alone counts only when the values could be the attribute (a few codes or labels,
yes/no for ``is_union_member``, text), not for continuous numbers (``faith_score``),
identifier-like values (``race_id``) or many distinct integers; compound names whose keyword
does not describe a person (``race_time``, ``eu_union_member_state``, ``prison_capacity``,
``crime_rate``) are not special categories. Everyday words in the vocabularies (``White``,
``Black``: colours too) count only next to an unambiguous value or under a naming column.

Why: processing special-category data is prohibited unless an Art. 9(2) condition applies;
Art. 10 data needs official authority or a legal basis. A reviewer must see every such column.

Passes: no column named or valued like a special category; ``race_time`` holding seconds;
``color`` holding White/Black/Brown/Green.
Fails: ``religion`` with values ``Christian``/``Muslim``; ``icd10`` with ``E11.9``;
``prior_convictions`` with yes/no values; ``is_union_member`` with True/False.

References: GDPR Art. 9 and Art. 10; CPRA 1798.140(ae).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..check import check
from ..context import Context
from ..findings import Finding, Severity, Table
from ..pii.lexicon import special_category_of
from ..pii.measure import scan_table
from ..pii.settings import ScanOptions


@dataclass(frozen=True)
class Options(ScanOptions):
    """Scan options (shared with PII001)."""


@check(
    "PII002",
    "special-categories",
    severity=Severity.HIGH,
    options=Options,
    references=("https://gdpr-info.eu/art-9-gdpr/", "https://gdpr-info.eu/art-10-gdpr/"),
    lazy=True,  # runs on lazy engine sources (auditor.engines.pii)
)
def special_categories(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    result = scan_table(ctx, options)
    rows = []
    for row in result.rows:
        if row["kind"] != "special_category":
            continue
        sc = row["evidence"]["special_category"] or {}
        category = sc.get("category") or ""
        by_name = special_category_of(row["column"]) == category
        by_values = bool(sc.get("rows"))
        source = "name and values" if by_name and by_values else ("name" if by_name else "values")
        article = "Art. 10" if category.startswith("criminal") else "Art. 9(1)"
        rows.append(
            {
                "column": row["column"],
                "category": category,
                "article": f"GDPR {article}",
                "evidence": source,
                "score": row["score"],
                "likelihood": row["likelihood"],
                "rows_in_vocabulary": sc.get("rows", 0),
                "rows_scanned": row["rows_scanned"],
                "regulations": row["regulations"],
            }
        )
        yield Finding(
            message=(
                f"column {row['column']!r} holds special-category data "
                f"({category.replace('_', ' ')}, GDPR {article}; evidence: {source})"
            ),
            location=f"column:{row['column']}",
            evidence={
                "category": category,
                "article": article,
                "evidence": source,
                "score": row["score"],
                "regulations": row["regulations"],
            },
            discriminator=category,
            recommendation=(
                "Document the Art. 9(2) / Art. 10 legal basis, minimise or drop the column; "
                "if it is used to test fairness, keep it out of the model's features."
            ),
        )
    yield Table("special_categories", tuple(rows), "GDPR Art. 9/10 columns")
