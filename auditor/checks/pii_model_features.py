"""PII005 pii-model-features: personal data used as model features.

What: compares the model's features (the ``features`` of the audit config, else the model's
``feature_names_in_``) with the column scan. Every feature classified as a direct identifier,
quasi-identifier, special category or free text with PII is a finding; table
``pii_features`` lists them with their entity types and regulation tags.

Why: a model trained on identifiers can memorise and reveal them, and a model fed special
categories (or close proxies) processes Art. 9 data and risks discriminating on them. Data
minimisation (GDPR Art. 5(1)(c)) asks for features that are necessary, not merely available.

Passes: a model on ``income``, ``tenure`` and ``num_products``.
Fails: a model whose ``feature_names_in_`` include ``zip`` (quasi-identifier, medium) or
``ethnicity`` (special category, high).

References: GDPR Art. 5(1)(c), Art. 9, Art. 25; EDPB Guidelines 4/2019 (data protection by
design).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..check import Skip, check
from ..findings import Finding, Severity, Table
from ..pii.settings import ScanOptions

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options(ScanOptions):
    """Scan options (shared with PII001)."""


_SEV = {
    "direct_identifier": Severity.HIGH,
    "special_category": Severity.HIGH,
    "free_text_pii": Severity.HIGH,
    "quasi_identifier": Severity.MEDIUM,
}


_SOURCE = {
    "config features": "audit config's features",
    "model feature_names_in_": "model's feature_names_in_",
}


def _what(row: dict[str, Any]) -> str:
    from ..pii.wording import category_name, entities_phrase

    kind, types = row["kind"], row["entity_types"]
    if kind == "special_category":
        sc = (row.get("evidence") or {}).get("special_category") or {}
        name = category_name(str(sc.get("category") or ""))
        return f"holds {name}, a special category of personal data"
    if kind == "quasi_identifier":
        return f"holds {entities_phrase(types)}, which can help single people out"
    if kind == "free_text_pii":
        return f"is free text containing {entities_phrase(types, 'or')}"
    return f"holds people's {entities_phrase(types)}"


def _recommend(feat: str, kind: str) -> str:
    if kind == "special_category":
        return (
            f"Retrain without {feat!r} (and check for close proxies of it, FAIR009); keep it, "
            "if at all, for bias testing only, with a documented legal basis (GDPR Art. 9(2))."
        )
    if kind == "quasi_identifier":
        return (
            f"Replace {feat!r} with a coarser version the model needs (e.g. 3-digit ZIP, age "
            "band) or drop it, if it does not improve the model enough to justify it (GDPR "
            "Art. 5(1)(c), data minimisation)."
        )
    return (
        f"Retrain without {feat!r}: a model can memorise and repeat identifiers and free text "
        "it was trained on, and it needs neither to decide."
    )


@check(
    "PII005",
    "pii-model-features",
    severity=Severity.HIGH,
    options=Options,
    references=("https://gdpr-info.eu/art-5-gdpr/", "https://gdpr-info.eu/art-25-gdpr/"),
)
def pii_model_features(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..pii.fallback import tier_fallback
    from ..pii.measure import scan_table

    if ctx.features is not None:
        features, source = list(ctx.features), "config features"
    elif ctx.model_info is not None and ctx.model_info.feature_names:
        features, source = list(ctx.model_info.feature_names), "model feature_names_in_"
    else:
        raise Skip(
            "no model features known: give --features COL,... (or `features:` in the config) "
            "or a model with feature_names_in_",
            inputs=("features",),
        )
    result = scan_table(ctx, options)
    rows = []
    for feat in features:
        row = result.row(feat)
        if row is None or row["kind"] not in _SEV:
            continue
        rows.append(
            {
                "feature": feat,
                "kind": row["kind"],
                "entity_types": row["entity_types"],
                "likelihood": row["likelihood"],
                "regulations": row["regulations"],
            }
        )
        yield Finding(
            message=(
                f"The model uses column {feat!r} as a feature, and it {_what(row)} (features "
                f"from the {_SOURCE.get(source, source)})."
            ),
            detail=(
                f"model feature {feat!r} is a {row['kind'].replace('_', ' ')} "
                f"({', '.join(row['entity_types']) or 'by name'}; from {source}); likelihood "
                f"{row['likelihood']}; tags: {', '.join(row['regulations'])}"
            ),
            relates_to=(f"column:{feat}",),
            location=f"feature:{feat}",
            evidence={
                "kind": row["kind"],
                "entity_types": row["entity_types"],
                "likelihood": row["likelihood"],
                "features_source": source,
                "regulations": row["regulations"],
            },
            discriminator=row["kind"],
            severity=_SEV[row["kind"]],
            recommendation=_recommend(feat, row["kind"]),
        )
    yield Table("pii_features", tuple(rows), f"Model features holding personal data ({source})")
    yield from tier_fallback(ctx, "PII005", options, result.meta)
