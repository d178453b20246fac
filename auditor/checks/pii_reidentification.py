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
from typing import TYPE_CHECKING, Annotated

from ..check import Skip, check
from ..errors import InputError
from ..findings import Finding, Severity, Table
from ..options import Range, Share
from ..pii.settings import ScanOptions

if TYPE_CHECKING:
    from ..context import Context
    from ..pii.reid import KAnon, LDiv


@dataclass(frozen=True)
class Options(ScanOptions):
    """``quasi_identifiers``: columns (default: detected); ``k``: minimum class size; ``l``:
    minimum distinct sensitive values per class; ``max_share_below_k``: tolerated share of
    records below k; ``sensitive_columns``: for l-diversity (default: special categories)."""

    quasi_identifiers: tuple[str, ...] = ()
    sensitive_columns: tuple[str, ...] = ()
    k: Annotated[int, Range(ge=2)] = 5
    l: Annotated[int, Range(ge=1)] = 2  # noqa: E741 - the standard name of the parameter
    max_share_below_k: Share = 0.0
    # combinations of up to this many quasi-identifiers (the full set is always grouped too)
    max_combination: Annotated[int, Range(ge=1, le=5)] = 2


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
    from ..pii.fallback import tier_fallback
    from ..pii.measure import scan_table
    from ..pii.reid import k_anonymity, l_diversity, qi_combinations, reidentification_location

    df = ctx.dataset
    for col in (*options.quasi_identifiers, *options.sensitive_columns):
        if col not in df.columns:
            raise InputError(f"PII004: column {col!r} is not in the dataset")
    result = scan_table(ctx, options)
    qis = list(options.quasi_identifiers) or [
        r["column"] for r in result.rows if r["kind"] == "quasi_identifier"
    ]
    if not qis:
        raise Skip(
            "no quasi-identifiers found or given (--set PII004.quasi_identifiers=[COL,...], or "
            "quasi_identifiers in the policy)"
        )
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
    where = reidentification_location(qis)
    if full.share_below_k > options.max_share_below_k:
        yield _k_finding(qis, full, options, where)
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
            yield _l_finding(sens, qis, ld, full.records, options, where)
    if lrows:
        yield Table(
            "l_diversity", tuple(lrows), f"Distinct sensitive values per class (l {options.l})"
        )
    yield from tier_fallback(ctx, "PII004", options, result.meta)


def _facts(qis: list[str]) -> str:
    return "this fact" if len(qis) == 1 else f"these {len(qis)} facts"


def _k_finding(qis: list[str], full: KAnon, options: Options, where: str) -> Finding:
    from ..pii.wording import join, pct

    k, n = options.k, full.records
    below, unique = full.records_below_k, full.unique_records
    alone = (
        f"{unique:,} records are the only one with their combination"
        if unique != 1
        else "1 record is the only one with its combination"
    )
    group = f"fewer than {k} records with the same values (k-anonymity; {alone})"
    if below == n:
        message = (
            f"All {n:,} records are unique or nearly unique on {join(qis)}: every record is in "
            f"a group of {group}, so anyone who knows {_facts(qis)} about a person can find "
            "their record."
        )
    else:
        message = (
            f"{pct(full.share_below_k)} of {n:,} records ({below:,}) are unique or nearly unique "
            f"on {join(qis)}: each is in a group of {group}, so anyone who knows {_facts(qis)} "
            "about such a person can find their record."
        )
    return Finding(
        message=message,
        location=where,
        evidence={
            "quasi_identifiers": qis,
            "k_threshold": k,
            "min_k": full.min_k,
            "records_below_k": below,
            "share_below_k": round(full.share_below_k, 4),
            "unique_records": unique,
            "classes": full.classes,
            "records": n,
        },
        discriminator="k-anonymity",
        recommendation=(
            f"Generalise {join(qis)} (e.g. 3-digit ZIP codes, birth years, age bands) or "
            f"suppress rare combinations until every combination is shared by at least {k} "
            "records; the k_anonymity table shows which pairs of columns already single people "
            "out on their own."
        ),
        detail=(
            f"k-anonymity over {'+'.join(qis)} (all {n:,} records): {full.classes:,} equivalence "
            f"classes, minimum k {full.min_k}, median k {full.median_k:g}; {below:,} records "
            f"({full.share_below_k:.1%}) in classes below k={k}, {unique:,} unique; "
            f"max_share_below_k {options.max_share_below_k:g}"
        ),
    )


def _l_finding(
    sens: str, qis: list[str], ld: LDiv, records: int, options: Options, where: str
) -> Finding:
    from ..pii.wording import join, pct

    same = (
        f"all share the same {sens!r} value"
        if ld.min_l == 1 and options.l == 2
        else f"hold fewer than {options.l} different {sens!r} values"
    )
    return Finding(
        message=(
            f"For {pct(ld.share_below_l)} of {records:,} records ({ld.records_below_l:,}), the "
            f"records with the same {join(qis)} {same}, so knowing {_facts(qis)} about a person "
            f"reveals their {sens} (l-diversity)."
        ),
        location=f"column:{sens}",
        evidence={
            "min_l": ld.min_l,
            "l_threshold": options.l,
            "records_below_l": ld.records_below_l,
            "share_below_l": round(ld.share_below_l, 4),
            "quasi_identifiers": qis,
        },
        discriminator="l-diversity",
        severity=Severity.MEDIUM,
        recommendation=(
            f"Generalise {join(qis)} further or suppress the groups whose records all share one "
            f"{sens!r} value, until each group holds at least {options.l} different values; "
            "fixing k-anonymity (PII004's other finding) usually fixes most of it."
        ),
        detail=(
            f"distinct l-diversity of special-category column {sens} over {'+'.join(qis)}: "
            f"minimum l {ld.min_l} (l={options.l} required); {ld.records_below_l:,} records "
            f"({ld.share_below_l:.1%}) in classes below l"
        ),
        relates_to=(where,),
    )
