"""NYC Local Law 144 public bias-audit summary (HTML and Markdown) from the ``nyc-ll144`` results.

6 RCNY §5-303 asks the published summary for: the date of the most recent audit, the source and
explanation of the data, the number of individuals in an unknown category, the number of
applicants, selection (or scoring) rates and impact ratios for every category, and the AEDT's
distribution date. Categories excluded under the <2% rule are listed with the justification.

Values come first from the FAIR003 ``ll144_summary`` table (the fields the check used and
measured: audit date, data source and its explanation, distribution date, data type,
unknown-category count, assessed individuals), then ``subject.metadata.ll144`` (also ``employer``,
``aedt``, ``auditor``, ``data_period``), then top-level ``subject.metadata`` keys, then the options
of the LL144 checks. Each field also accepts the aliases in :data:`ALIASES` (``data_source_explanation``
for ``data_explanation``, ``aedt_distribution_date`` for ``distribution_date``, ...). Without an
``aedt`` key the tool is named from the model card (name and version) when the report has it.
The 0.80 flag is the EEOC four-fifths rule of thumb: information, not a verdict. The data engine
(and any approximation it made) is stated at the foot of the summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ._jinja import environment
from .view import engine_view

__all__ = [
    "LL144_FIELDS",
    "LL144_FORMATS",
    "check_ll144_formats",
    "ll144_available",
    "ll144_view",
    "render_ll144_html",
    "render_ll144_md",
]

LL144_FIELDS = (
    "audit_date", "employer", "aedt", "auditor", "data_type", "data_source", "data_explanation",
    "test_data_explanation", "data_period", "distribution_date", "unknown_count", "applicants",
)  # fmt: skip
#: fields of the FAIR003 ``ll144_summary`` table (what the check itself used) -> summary keys
SUMMARY_TABLE = {"unknown_category": "unknown_count", "assessed_individuals": "applicants"}
#: summary field -> every metadata key accepted for it, in order of preference
ALIASES: dict[str, tuple[str, ...]] = {
    "audit_date": ("audit_date", "bias_audit_date"),
    "employer": ("employer", "employer_name", "employment_agency"),
    "aedt": ("aedt", "aedt_name", "tool_name"),
    "auditor": ("auditor", "independent_auditor", "auditor_name"),
    "data_source": ("data_source", "data_source_description"),
    "data_explanation": ("data_explanation", "data_source_explanation"),
    "distribution_date": ("distribution_date", "aedt_distribution_date"),
}
PACK = "nyc-ll144"
MISSING = {"(missing)", "unknown", "(unknown)", "not disclosed", "declined"}
TITLES = {"sex": "Sex", "gender": "Sex", "race": "Race/Ethnicity", "ethnicity": "Race/Ethnicity",
          "race_ethnicity": "Race/Ethnicity", "race/ethnicity": "Race/Ethnicity"}  # fmt: skip


def _is_ll144(result: Mapping[str, Any]) -> bool:
    keys = [*(result.get("options") or {}), *(result.get("tables") or {}), str(result.get("name"))]
    return any("ll144" in str(k).lower() for k in keys)


def _results(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    with_groups = [
        r
        for r in data.get("results", [])
        if r.get("status") not in ("skipped", "errored") and (r.get("tables") or {}).get("groups")
    ]
    marked = [r for r in with_groups if _is_ll144(r)]
    if marked:
        return marked
    packs = {p.get("name") for p in (data.get("policy") or {}).get("packs", [])}
    return with_groups if PACK in packs else []


def ll144_available(data: Mapping[str, Any]) -> bool:
    return bool(_results(data))


LL144_FORMATS = ("ll144-html", "ll144-md")


def check_ll144_formats(
    formats: Sequence[str], planned: Iterable[tuple[str, str]], policy: str
) -> None:
    """Plan-time: refuse ``ll144-*`` formats (exit 2, before anything runs) when no planned check
    produces LL144 results (FAIR003 ll144-bias-audit, or a plugin named ``*ll144*``).
    ``planned`` holds the ``(check id, check name)`` of every check the policy will run."""
    asked = [f for f in formats if f in LL144_FORMATS]
    if not asked:
        return
    if any(cid == "FAIR003" or "ll144" in name.lower() for cid, name in planned):
        return
    raise UsageError(
        f"--format {','.join(asked)}: the NYC LL144 summary needs the FAIR003 ll144-bias-audit "
        f"check, which policy {policy!r} does not run; use --policy nyc-ll144 (or enable FAIR003 "
        "in the policy), or drop these formats"
    )


def _meta(data: Mapping[str, Any], results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    meta: Mapping[str, Any] = (data.get("subject") or {}).get("metadata") or {}
    raw = meta.get("ll144")
    block: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    table: dict[str, Any] = {}
    for r in results:
        for row in (r.get("tables") or {}).get("ll144_summary", []):
            key = SUMMARY_TABLE.get(str(row.get("field")), str(row.get("field")))
            if row.get("value") not in (None, "") and key not in table:
                table[key] = row["value"]
    out: dict[str, Any] = {}
    for key in LL144_FIELDS:
        out[key] = None
        for source in (table, block, meta, *[r.get("options") or {} for r in results]):
            found = next(
                (source[k] for k in ALIASES.get(key, (key,)) if source.get(k) not in (None, "")),
                None,
            )
            if found is not None:
                out[key] = found
                break
    out["aedt_source"] = None
    if out["aedt"] is None:
        from .document import card_identity

        card = card_identity(data)
        version = meta.get("model_version") or card.get("model.version")
        if card.get("model.name"):
            out["aedt"] = card["model.name"] + (f" {version}" if version else "")
            out["aedt_source"] = "model card"
    return out


def _title(feature: str) -> str:
    if "×" in feature:
        return "Intersectional: " + " × ".join(TITLES.get(p.lower(), p) for p in feature.split("×"))
    return TITLES.get(feature.lower(), feature)


def _noun(feature: str) -> str:
    """The dimension in a sentence: ``race/ethnicity``, ``sex or race/ethnicity``."""
    parts = [TITLES.get(p.lower(), p).lower() for p in feature.split("×")]
    return " or ".join(parts)


def _dimension(feature: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    scoring = any(r.get("scoring_rate") is not None for r in rows) and not any(
        r.get("selection_rate") is not None for r in rows
    )
    cats: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    unknown = 0
    for r in rows:
        group = str(r.get("group"))
        if group.lower() in MISSING:
            unknown += int(r.get("n") or 0)
            continue
        ratio = r.get("impact_ratio")
        item = {
            "category": group,
            "applicants": r.get("n"),
            "selected": r.get("above_median" if scoring else "selected"),
            "rate": r.get("scoring_rate" if scoring else "selection_rate"),
            "impact_ratio": ratio,
            "reference": group == r.get("reference_group"),
            "flag": isinstance(ratio, (int, float)) and ratio < 0.8,
            "note": r.get("note"),
        }
        (excluded if r.get("excluded") else cats).append(item)
    return {
        "feature": feature,
        "title": _title(feature),
        "noun": _noun(feature),
        "scoring": scoring,
        "categories": cats,
        "excluded": excluded,
        "unknown": unknown,
        "applicants": sum(int(r.get("n") or 0) for r in rows),
    }


def ll144_view(data: Mapping[str, Any]) -> dict[str, Any]:
    results = _results(data)
    if not results:
        raise UsageError(
            "this report has no NYC LL144 results (a groups table from the nyc-ll144 pack); "
            "run with --policy nyc-ll144"
        )
    by_feature: dict[str, list[Mapping[str, Any]]] = {}
    for r in results:
        seen = set(by_feature)
        for row in r["tables"]["groups"]:
            feature = str(row.get("feature"))
            if feature not in seen:
                by_feature.setdefault(feature, []).append(row)
    dims = [_dimension(f, rows) for f, rows in by_feature.items()]
    dims.sort(key=lambda d: "×" in d["feature"])  # single attributes first, data order kept
    meta = _meta(data, results)
    unknown = meta["unknown_count"]
    if unknown is None:
        unknown = max((d["unknown"] for d in dims), default=0)
    applicants = meta["applicants"]
    if applicants is None:
        applicants = max((d["applicants"] for d in dims), default=0)
    parts = [str(meta[k]).strip() for k in ("data_source", "data_explanation") if meta[k]]
    data_text = " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in parts)
    return {
        "data": data,
        "meta": meta,
        "data_text": data_text,
        "dimensions": dims,
        "unknown": unknown,
        "applicants": applicants,
        "scoring": any(d["scoring"] for d in dims),
        "checks": [r["check"] for r in results],
        "engine": engine_view(data),
    }


def render_ll144_html(data: Mapping[str, Any], templates: Path | None = None) -> str:
    return environment(templates).get_template("ll144.html.j2").render(**ll144_view(data))


def render_ll144_md(data: Mapping[str, Any], templates: Path | None = None) -> str:
    return environment(templates).get_template("ll144.md.j2").render(**ll144_view(data))
