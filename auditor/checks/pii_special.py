"""PII002 special-categories: columns holding GDPR Art. 9 or Art. 10 data.

What: from the column scan (PII001's options), lists columns whose name (lexicon) or values
(vocabularies, ICD-10 codes, offence descriptions, criminal-statute citations) reveal racial or
ethnic origin, political opinions, religious or philosophical beliefs, trade-union membership,
genetic or biometric data, health, sex life or sexual orientation (Art. 9(1)), or criminal
convictions and offences (Art. 10: charges, offences, convictions, arrests, sentences, e.g.
``Aggravated Assault w/Firearm``, ``Possession of Cannabis``, ``§ 242 StGB``,
``18 U.S.C. § 1341``). Table ``special_categories`` gives the category, the article, whether
the name, the values or both gave the evidence, and the values that matched: count, share and
95 % Wilson interval. These are also candidate sensitive features for the fairness checks
(same lexicon: ``auditor.pii.lexicon.special_category_of``).

A name alone counts only when the values could be the attribute (a few codes or labels,
yes/no for ``is_union_member``, text), not for continuous numbers (``faith_score``),
identifier-like values (``race_id``) or many distinct integers; compound names whose keyword
does not describe a person (``race_time``, ``eu_union_member_state``, ``prison_capacity``,
``crime_rate``) are not special categories. Everyday words in the vocabularies (``White``,
``Black``: colours too; ``Battery``, ``Fraud``) count only next to an unambiguous value or under
a naming column. Names that only may hold offences (``charge_desc``, ``statute``, ``sentence``)
count only when at least 30 % of the values are offence descriptions or citations.

A column the audit itself declared as a sensitive attribute for fairness testing (``sensitive``)
is expected there: it is reported as processed for bias testing (low), with the legal basis it
needs (GDPR Art. 9(2)(g); for high-risk AI systems EU AI Act Art. 10(5)) and the safeguards to
document; high again when the model also uses it as a feature. Any other special-category
column is high. The evidence says ``declared_for_bias_testing`` and ``model_feature``.

Why: processing special-category data is prohibited unless an Art. 9(2) condition applies;
Art. 10 data needs official authority or a legal basis. A reviewer must see every such column.

Passes: no column named or valued like a special category; ``race_time`` holding seconds;
``color`` holding White/Black/Brown/Green.
Fails: ``religion`` with values ``Christian``/``Muslim``; ``icd10`` with ``E11.9``;
``prior_convictions`` with yes/no values; ``charge_desc`` with ``Petit Theft`` (Art. 10);
``is_union_member`` with True/False (high);
``race_ethnicity`` declared for bias testing (low: document the legal basis and safeguards).

References: GDPR Art. 9 and Art. 10; EU AI Act Art. 10(5); CPRA 1798.140(ae).
"""

from __future__ import annotations

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
    """Scan options (shared with PII001)."""


@check(
    "PII002",
    "special-categories",
    severity=Severity.HIGH,
    options=Options,
    references=(
        "https://gdpr-info.eu/art-9-gdpr/",
        "https://gdpr-info.eu/art-10-gdpr/",
        "https://artificialintelligenceact.eu/article/10/",
    ),
    lazy=True,  # runs on lazy engine sources (auditor.pii.lazy)
)
def special_categories(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..pii.fallback import tier_fallback
    from ..pii.lexicon import special_category_of
    from ..pii.measure import scan_table
    from ..pii.stats import wilson

    result = scan_table(ctx, options)
    declared = set(ctx.sensitive)
    features = _model_features(ctx)
    rows = []
    for row in result.rows:
        if row["kind"] != "special_category":
            continue
        sc = row["evidence"]["special_category"] or {}
        category = sc.get("category") or ""
        by_name = bool(sc.get("named", special_category_of(row["column"]) == category))
        by_values = bool(sc.get("rows"))
        k, n = int(sc.get("rows", 0)), int(row["rows_scanned"])
        lo, hi = wilson(k, n)
        sc = {**sc, "share": round(k / n, 4) if n else 0.0, "ci": (round(lo, 4), round(hi, 4))}
        source = "name and values" if by_name and by_values else ("name" if by_name else "values")
        article = "Art. 10" if category.startswith("criminal") else "Art. 9(1)"
        for_bias = row["column"] in declared
        in_model = row["column"] in features
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
                "share_in_vocabulary": sc["share"],
                "ci_low": sc["ci"][0],
                "ci_high": sc["ci"][1],
                "regulations": row["regulations"],
                "declared_for_bias_testing": for_bias,
            }
        )
        yield _finding(row, category, article, source, sc, for_bias, in_model)
    yield Table("special_categories", tuple(rows), "GDPR Art. 9/10 columns")
    yield from tier_fallback(ctx, "PII002", options, result.meta)


def _model_features(ctx: Context) -> set[str]:
    """The model's features when known (config ``features``, else the model's own names)."""
    if ctx.features is not None:
        return set(ctx.features)
    if ctx.model_info is not None and ctx.model_info.feature_names:
        return set(ctx.model_info.feature_names)
    return set()


def _finding(
    row: dict[str, Any],
    category: str,
    article: str,
    source: str,
    sc: dict[str, Any],
    for_bias: bool,
    in_model: bool,
) -> Finding:
    from ..pii.wording import category_name, interval, pct

    col = row["column"]
    criminal = article == "Art. 10"
    k, n = int(sc.get("rows", 0)), int(row["rows_scanned"])
    matched = (
        f" ({k:,} of {n:,} scanned values are offence descriptions or statute citations, "
        f"{pct(sc['share'])}; {interval(*sc['ci'])})"
        if k
        else ""
    )
    what = (
        f"{category_name(category)}{matched}, which may be processed only under official "
        "authority or where Union or Member State law allows it (GDPR Art. 10)"
        if criminal
        else f"{category_name(category)}, a special category of personal data (GDPR Art. 9(1))"
    )
    detail = (
        f"{col}: special category {category} (GDPR {article}); evidence from the column's "
        f"{source}; likelihood {row['likelihood']} (score {row['score']:.2f}); "
        f"{sc.get('rows', 0):,} of {row['rows_scanned']:,} scanned values in the category's "
        f"vocabulary ({pct(sc['share'])}, {interval(*sc['ci'])}); tags: {', '.join(row['regulations'])}"
    )
    evidence = {
        "category": category,
        "article": article,
        "evidence": source,
        "score": row["score"],
        "rows_in_vocabulary": sc.get("rows", 0),
        "rows_scanned": row["rows_scanned"],
        "share_in_vocabulary": sc["share"],
        "ci": list(sc["ci"]),
        "regulations": row["regulations"],
        "declared_for_bias_testing": for_bias,
        "model_feature": in_model,
    }
    keep_out = f"keep {col!r} out of the model's features"
    if for_bias and not in_model:
        basis = (
            "a legal basis in Union or Member State law (GDPR Art. 10)"
            if criminal
            else "a legal basis (GDPR Art. 9(2)(g); for high-risk AI systems EU AI Act Art. 10(5))"
        )
        return Finding(
            message=(
                f"Column {col!r} holds {what}; it is declared for bias testing, which needs "
                f"{basis} and safeguards."
            ),
            location=f"column:{col}",
            evidence=evidence,
            discriminator=category,
            severity=Severity.LOW,
            recommendation=(
                f"Document the legal basis for processing {col!r} to test for bias and the "
                + ("safeguards" if criminal else "safeguards EU AI Act Art. 10(5) asks for")
                + ": use it only to detect and correct bias, pseudonymise it and restrict who "
                "can access it, do not pass it on to others, delete it once the bias testing is "
                f"done, and {keep_out}."
            ),
            detail=detail + "; declared as a sensitive attribute of this audit (bias testing)",
        )
    if for_bias:  # declared for bias testing, but the model also uses it
        return Finding(
            message=(
                f"Column {col!r} holds {what}; it is declared for bias testing, but the model "
                "also uses it as a feature, which bias testing does not justify."
            ),
            location=f"column:{col}",
            evidence=evidence,
            discriminator=category,
            recommendation=(
                f"Retrain without {col!r} (and check for close proxies of it, FAIR009), then "
                "document the legal basis and safeguards for keeping it for bias testing only "
                "(GDPR Art. 9(2)(g), EU AI Act Art. 10(5))."
            ),
            detail=detail + "; declared as a sensitive attribute of this audit and a model feature",
        )
    return Finding(
        message=(
            f"Column {col!r} holds {what}."
            if criminal
            else f"Column {col!r} holds {what}; processing it is prohibited unless an exception "
            "of GDPR Art. 9(2) applies."
        ),
        location=f"column:{col}",
        evidence=evidence,
        discriminator=category,
        recommendation=(
            f"Drop {col!r} unless there is a documented legal basis for it "
            + ("(GDPR Art. 10). " if criminal else "(GDPR Art. 9(2)). ")
            + f"If it is kept to test the model for bias, declare it as a sensitive attribute of "
            f"the audit (sensitive: [{col}]) and document that basis; in any case {keep_out}."
        ),
        detail=detail,
    )
