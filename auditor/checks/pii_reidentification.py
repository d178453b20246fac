"""PII004 reidentification-risk: k-anonymity of quasi-identifiers and l-diversity.

What: takes the quasi-identifiers (columns the scan classifies as ``quasi_identifier``: ZIP,
birth date, age, sex, city, ..., or the ``quasi_identifiers`` option) and groups all records
(not a sample) into equivalence classes for every combination of up to ``max_combination``
of them and for the full set. Table ``k_anonymity``: classes, minimum and median class size k,
records in classes with k below ``k``, unique records. For every special-category column,
table ``l_diversity``: distinct sensitive values per class of the full combination.
A finding when records of the full combination fall below ``k`` more than ``max_share_below_k``
allows, and when a special-category column has classes with fewer than ``l`` distinct values.

Why: Sweeney showed ZIP, birth date and sex identify 87 % of Americans. Removing names does not
anonymise a table whose quasi-identifier combinations are unique; homogeneous classes disclose
the sensitive value even when k is large.

Passes: ``zip3`` and ``birth_year`` with every class holding at least 5 records.
Fails: ``zip`` + ``dob`` + ``sex`` where 96 % of records are unique (k = 1).

References: Sweeney, k-anonymity (2002); Machanavajjhala et al., l-diversity (2007);
EDPB/WP29 Opinion 05/2014 on anonymisation techniques.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..check import Skip, check
from ..context import Context
from ..errors import InputError
from ..findings import Finding, Severity, Table
from ..pii.measure import scan_table
from ..pii.reid import k_anonymity, l_diversity, qi_combinations
from ..pii.settings import ScanOptions


@dataclass(frozen=True)
class Options(ScanOptions):
    """``quasi_identifiers``: columns (default: detected); ``k``: minimum class size; ``l``:
    minimum distinct sensitive values per class; ``max_share_below_k``: tolerated share of
    records below k; ``sensitive_columns``: for l-diversity (default: special categories)."""

    quasi_identifiers: tuple[str, ...] = ()
    sensitive_columns: tuple[str, ...] = ()
    k: int = 5
    l: int = 2  # noqa: E741 - the standard name of the parameter
    max_share_below_k: float = 0.0
    max_combination: int = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.k < 2 or self.l < 1 or self.max_combination < 1:
            raise ValueError("k must be >= 2, l >= 1 and max_combination >= 1")


@check(
    "PII004",
    "reidentification-risk",
    severity=Severity.HIGH,
    options=Options,
    references=(
        "https://dataprivacylab.org/dataprivacy/projects/kanonymity/kanonymity.pdf",
        "https://ec.europa.eu/justice/article-29/documentation/opinion-recommendation/files/2014/wp216_en.pdf",
    ),
)
def reidentification_risk(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    df = ctx.dataset
    for col in (*options.quasi_identifiers, *options.sensitive_columns):
        if col not in df.columns:
            raise InputError(f"PII004: column {col!r} is not in the dataset")
    result = scan_table(ctx, options)
    qis = list(options.quasi_identifiers) or [
        r["column"] for r in result.rows if r["kind"] == "quasi_identifier"
    ]
    if not qis:
        raise Skip("no quasi-identifiers found or given (quasi_identifiers option)")
    sensitive = list(options.sensitive_columns) or [
        r["column"] for r in result.rows if r["kind"] == "special_category"
    ]
    rows = []
    full = None
    for combo in qi_combinations(qis, options.max_combination):
        ka = k_anonymity(df, combo, options.k)
        if len(combo) == len(qis):
            full = ka
        rows.append(
            {
                "quasi_identifiers": list(combo),
                "records": ka.records,
                "classes": ka.classes,
                "min_k": ka.min_k,
                "median_k": ka.median_k,
                "records_below_k": ka.records_below_k,
                "share_below_k": round(ka.share_below_k, 4),
                "unique_records": ka.unique_records,
            }
        )
    if full is None:  # more QIs than max_combination: the full set is the last combination
        full = k_anonymity(df, qis, options.k)
    yield Table("k_anonymity", tuple(rows), f"Equivalence classes (k threshold {options.k})")
    if full.share_below_k > options.max_share_below_k:
        yield Finding(
            message=(
                f"{full.share_below_k:.1%} of records ({full.records_below_k} of {full.records}) "
                f"are in classes smaller than k={options.k} over {', '.join(qis)} "
                f"(minimum k {full.min_k}, {full.unique_records} unique records)"
            ),
            location="dataset:" + "+".join(qis),
            evidence={
                "quasi_identifiers": qis,
                "k_threshold": options.k,
                "min_k": full.min_k,
                "records_below_k": full.records_below_k,
                "share_below_k": round(full.share_below_k, 4),
                "unique_records": full.unique_records,
                "classes": full.classes,
            },
            discriminator="k-anonymity",
            recommendation=(
                "Generalise quasi-identifiers (3-digit ZIP, birth year, age bands) or suppress "
                "rare combinations until every class has at least k records."
            ),
        )
    lrows = []
    for sens in sensitive:
        if sens in qis:
            continue
        ld = l_diversity(df, qis, sens, options.l)
        lrows.append(
            {
                "sensitive": sens,
                "quasi_identifiers": qis,
                "min_l": ld.min_l,
                "records_below_l": ld.records_below_l,
                "share_below_l": round(ld.share_below_l, 4),
            }
        )
        if ld.min_l < options.l:
            yield Finding(
                message=(
                    f"special-category column {sens!r} has classes with {ld.min_l} distinct "
                    f"value(s) over {', '.join(qis)} (l={options.l} required; "
                    f"{ld.share_below_l:.1%} of records)"
                ),
                location=f"column:{sens}",
                evidence={
                    "min_l": ld.min_l,
                    "l_threshold": options.l,
                    "records_below_l": ld.records_below_l,
                    "share_below_l": round(ld.share_below_l, 4),
                },
                discriminator="l-diversity",
                severity=Severity.MEDIUM,
                recommendation="Generalise the quasi-identifiers further or suppress those classes.",
            )
    if lrows:
        yield Table(
            "l_diversity", tuple(lrows), f"Distinct sensitive values per class (l {options.l})"
        )
