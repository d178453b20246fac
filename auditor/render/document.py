"""The audit-document sections of the HTML/PDF report, shaped from the canonical report data.

Cover, scope and criteria, methodology, accepted risks, completeness matrix, limitations,
sign-off and appendices. Free-form identification comes from ``subject.metadata`` (the
``metadata:`` block of ``audit.yaml``): ``title``, ``system``, ``system_version``, ``provider``,
``audit_type``, ``classification``, ``limitations`` and ``signoff`` (``prepared_by``,
``reviewed_by``, ``approved_by``: a name or ``{name, role, date}``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .charts import (
    FOUR_FIFTHS,
    chart_rows,
    impact_ratio_chart,
    pii_columns_chart,
    selection_rate_chart,
)
from .clauses import clause_labels
from .view import FAMILY_TITLES, check_summary, report_digest, table_columns

__all__ = ["CARD_IDENTITY", "METRIC_DEFINITIONS", "build_document", "card_identity"]

METRIC_DEFINITIONS = {
    "selection_rate": "Selection rate: share of the group that received the positive outcome.",
    "impact_ratio": (
        "Impact ratio: the group's selection rate divided by the reference group's rate (the "
        "highest rate unless a reference group is configured); below 0.80 fails the EEOC "
        "four-fifths rule of thumb."
    ),
    "base_rate": "Base rate: share of the group whose true label is the positive label.",
    "tpr": "True positive rate (recall): positives correctly selected / actual positives.",
    "fpr": "False positive rate: negatives wrongly selected / actual negatives.",
    "fnr": "False negative rate: positives wrongly rejected / actual positives.",
    "tnr": "True negative rate: negatives correctly rejected / actual negatives.",
    "precision": "Precision: actual positives among those selected.",
    "npv": "Negative predictive value: actual negatives among those not selected.",
    "accuracy": "Accuracy: share of correct predictions in the group.",
    "ci_low": "Interval bounds (ci_low, ci_high): the confidence interval reported by the check.",
    "p_value": "p-value: probability of a difference at least this large if groups were equal.",
    "hit_rate": "Hit rate: share of scanned values in which personal data was detected.",
    "likelihood": "Likelihood: the detector's confidence tier that the column holds the entity.",
    "unique_scanned": "Unique scanned: distinct values scanned (values are de-duplicated first).",
}
FAMILY_LIMITS = {
    "fairness": (
        "Fairness metrics cover only the sensitive attributes supplied (and their intersections); "
        "proxy detection (FAIR009) measures association with those attributes only, so a proxy for "
        "an attribute that was not supplied goes unnoticed; small groups give wide intervals and are "
        "reported as insufficient evidence rather than passed."
    ),
    "pii": (
        "PII detection is pattern- and model-based: it can miss personal data in unusual formats "
        "or languages, and it samples large columns (see methodology for the stated guarantees)."
    ),
    "transparency": (
        "Documentation checks verify that fields are present and consistent with what was "
        "measured; they cannot verify that the statements in the documentation are true."
    ),
}
GENERAL_LIMITS = (
    "The audit covers the data, predictions and documents supplied for this run only; behaviour "
    "in production, on other populations or after retraining is not covered."
)
_METHOD_KEY = re.compile(r"(sample|seed|boot|tier|engine|nlp|language|confidence|significance)")
_DECISION = re.compile(
    r"(threshold|tolerance|alpha|confidence|min_|max_diff|max_ratio|ratio|difference|share|"
    r"quantile|decide_on|reference|privileged|k_anon|^k$|^l$|score|severity)"
)
_IDENTITY_KEYS = ("feature", "group", "column", "field", "category", "metric", "name")


def _meta(data: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = (data.get("subject") or {}).get("metadata") or {}
    return meta if isinstance(meta, Mapping) else {}


def _text(value: Any, default: str = "") -> str:
    return default if value in (None, "") else str(value)


#: card fields (as the TRN field checks read them) that identify the audited system
CARD_IDENTITY = ("model.name", "model.version", "provider.name")


def card_identity(data: Mapping[str, Any]) -> dict[str, str]:
    """``{model.name, model.version, provider.name}`` as read from the model card by the
    transparency checks (their ``fields`` tables), from the report data only."""
    out: dict[str, str] = {}
    for r in data.get("results", []):
        if r.get("family") != "transparency":
            continue
        for row in (r.get("tables") or {}).get("fields", []):
            name = str(row.get("field"))
            value = row.get("value_excerpt")
            if (
                name in CARD_IDENTITY
                and name not in out
                and value not in (None, "")
                and row.get("status") in ("present", "contradicted")
                and str(row.get("location") or "card:").startswith("card:")
            ):
                out[name] = str(value)
    return out


def _cover(data: Mapping[str, Any]) -> dict[str, Any]:
    """Identification: ``metadata:`` of audit.yaml first, then the model card's own fields,
    then the input file names."""
    meta = _meta(data)
    inputs = data.get("inputs") or {}
    model = inputs.get("model") or {}
    dataset = inputs.get("dataset") or {}
    card = card_identity(data)
    system = (
        meta.get("system")
        or card.get("model.name")
        or (model.get("path") if model.get("kind") != "predictions" else None)
        or dataset.get("path")
        or "unnamed system"
    )
    version = meta.get("system_version") or meta.get("model_version")
    card_version = card.get("model.version")
    if version in (None, ""):
        version_text = _text(card_version or model.get("version"), "not stated")
        version_source = (
            "model card" if card_version else ("model file" if model.get("version") else "")
        )
    else:
        version_text = str(version)
        key = "system_version" if meta.get("system_version") else "model_version"
        version_source = f"audit config metadata.{key}"
        if card_version and str(card_version) != version_text:
            version_source += f"; the model card states {card_version}"
    return {
        "title": _text(meta.get("title"), "Responsible-AI audit report"),
        "report_id": _text((data.get("run") or {}).get("id")),
        "version": f"schema {data.get('schema_version')}, {data['tool']['name']} "
        f"{data['tool']['version']}",
        "date": _text((data.get("run") or {}).get("finished_at")),
        "system": _text(system),
        "system_version": version_text,
        "version_source": version_source,
        "provider": _text(meta.get("provider") or card.get("provider.name"), "not stated"),
        "provider_source": (
            "audit config metadata.provider"
            if meta.get("provider")
            else ("model card provider.name" if card.get("provider.name") else "")
        ),
        "data": _text(dataset.get("path"), "in-memory data"),
        "audit_type": _text(
            meta.get("audit_type"), "CI gate" if data.get("baseline") else "pre-release review"
        ),
        "classification": _text(meta.get("classification"), "Confidential"),
    }


def _threshold_source(data: Mapping[str, Any], check: str, option: str) -> str:
    overrides = (data.get("run") or {}).get("overrides") or {}
    if f"{check}.{option}" in overrides:
        return "run override (--set / audit.yaml set:)"
    policy = data.get("policy") or {}
    resolved = (policy.get("resolved") or {}).get("checks") or {}
    matches = [k for k in resolved if check == k or (k.isalpha() and check.startswith(k))]
    for key in sorted(matches, key=len, reverse=True):
        if option in ((resolved[key] or {}).get("options") or {}):
            return f"policy {policy.get('name', '?')} (checks.{key})"
    return "check default"


def _show(value: Any, limit: int = 120) -> str:
    if isinstance(value, (list, dict, tuple)):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, float):
        text = f"{value:g}"
    elif isinstance(value, bool) or value is None:
        text = json.dumps(value)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _options(data: Mapping[str, Any], only_decisions: bool) -> list[dict[str, Any]]:
    """Options grouped by (check, who set them): ``{check, source, items: [(key, value)]}``."""
    out = []
    for r in data.get("results", []):
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, value in (r.get("options") or {}).items():
            source = _threshold_source(data, r["check"], key)
            empty = value in (None, "", [], {})
            if (
                only_decisions
                and source == "check default"
                and (empty or not _DECISION.search(key))
            ):
                continue
            groups.setdefault(source, []).append((key, _show(value)))
        out += [
            {"check": r["check"], "source": src, "items": items} for src, items in groups.items()
        ]
    return _merge(out)


def _merge(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows with the same parameters and source become one row naming all their checks."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = (row.get("source"), tuple(row["items"]))
        if key in merged:
            merged[key]["check"] += f", {row['check']}"
        else:
            merged[key] = {**row, "items": list(row["items"])}
    return list(merged.values())


def _scope(data: Mapping[str, Any]) -> dict[str, Any]:
    results = data.get("results", [])
    crosswalk = []
    for r in results:
        crosswalk.append(
            {
                "check": r["check"],
                "name": r["name"],
                "family": FAMILY_TITLES.get(r["family"], r["family"]),
                "criteria": check_summary(r) or "—",
                "clauses": clause_labels(r.get("references", [])),
                "status": r["status"],
            }
        )
    thresholds = _options(data, only_decisions=True)
    excluded = [
        {"check": r["check"], "name": r["name"], "reason": r.get("detail") or r["summary"]}
        for r in results
        if r["status"] == "skipped"
    ]
    for r in results:
        for name, rows in (r.get("tables") or {}).items():
            for row in rows:
                if row.get("excluded"):
                    ident = ", ".join(
                        f"{k}={row[k]}" for k in _IDENTITY_KEYS if row.get(k) is not None
                    )
                    excluded.append(
                        {
                            "check": r["check"],
                            "name": f"{name}: {ident}",
                            "reason": _text(row.get("note"), "excluded by the check"),
                        }
                    )
    return {"thresholds": thresholds, "crosswalk": crosswalk, "excluded": excluded}


def _methodology(data: Mapping[str, Any]) -> dict[str, Any]:
    metrics: list[str] = []
    references: list[dict[str, Any]] = []
    params = []
    for r in data.get("results", []):
        for name, rows in (r.get("tables") or {}).items():
            for c in table_columns(rows):
                if c in METRIC_DEFINITIONS and c not in metrics:
                    metrics.append(c)
            if name == "groups":
                seen = set()
                for row in rows:
                    key = (row.get("feature"), row.get("reference_group"))
                    if row.get("reference_group") is not None and key not in seen:
                        seen.add(key)
                        references.append(
                            {"check": r["check"], "feature": key[0], "reference": key[1]}
                        )
        items = [
            (key, _show(value))
            for key, value in (r.get("options") or {}).items()
            if _METHOD_KEY.search(key) and value not in (None, "", [], {})
        ]
        if items:
            params.append({"check": r["check"], "items": items})
    subject = data.get("subject") or {}
    return {
        "definitions": [METRIC_DEFINITIONS[m] for m in metrics],
        "reference_groups": references,
        "parameters": _merge(params),
        "seed": (data.get("run") or {}).get("seed"),
        "positive_label": subject.get("positive_label"),
        "positive_label_source": subject.get("positive_label_source"),
        "sensitive": list(subject.get("sensitive") or []),
    }


def _charts(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One chart per distinct picture; identical charts from several checks name all of them.
    A chart is drawn once per distinct input (FAIR001 and FAIR002 chart the same groups)."""
    charts: dict[str, dict[str, Any]] = {}
    drawn: dict[tuple[Any, ...], str | None] = {}

    def draw(key: tuple[Any, ...], chart: Callable[..., str | None], *args: Any) -> str | None:
        if key not in drawn:
            drawn[key] = chart(*args)
        return drawn[key]

    def add(r: Mapping[str, Any], svg: str | None) -> None:
        if svg is None:
            return
        if svg in charts:
            charts[svg]["checks"].append(r["check"])
        else:
            charts[svg] = {"checks": [r["check"]], "family": r["family"], "svg": svg}

    for r in data.get("results", []):
        tables = r.get("tables") or {}
        groups = tables.get("groups")
        if groups:
            features: list[str] = []
            for row in groups:
                if str(row.get("feature")) not in features:
                    features.append(str(row.get("feature")))
            threshold = (r.get("options") or {}).get("threshold")
            if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
                threshold = FOUR_FIFTHS
            rows = chart_rows(groups)
            text = json.dumps(rows, sort_keys=True, default=str)
            for feature in features:
                add(r, draw(("rate", text, feature), selection_rate_chart, rows, feature))
                add(r, draw(("ratio", text, feature, float(threshold)), impact_ratio_chart,
                            rows, feature, None, float(threshold)))  # fmt: skip
        columns = tables.get("columns")
        if columns and r["family"] == "pii":
            add(r, pii_columns_chart(columns))
    return list(charts.values())


def _risks(data: Mapping[str, Any], findings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    run_date = str((data.get("run") or {}).get("finished_at", ""))[:10]
    try:
        today = dt.date.fromisoformat(run_date)
    except ValueError:
        today = None
    waived = []
    used_sources = set()
    for f in findings:
        if f["status"] != "waived":
            continue
        w = f.get("waiver") or {}
        used_sources.add(w.get("source"))
        days = None
        try:
            if today is not None:
                days = (dt.date.fromisoformat(str(w.get("expires"))) - today).days
        except ValueError:
            days = None
        waived.append({**f, "w": w, "days_left": days})
    waivers = []
    for w in data.get("waivers", []):
        try:
            expired = today is not None and dt.date.fromisoformat(str(w["expires"])) < today
        except ValueError:
            expired = False
        state = (
            "expired" if expired else ("in use" if w.get("source") in used_sources else "unused")
        )
        waivers.append({**w, "state": state})
    return {"waived": waived, "waivers": waivers}


def _completeness(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for r in data.get("results", []):
        rows = (r.get("tables") or {}).get("fields")
        if rows:
            out.append({"check": r["check"], "name": r["name"], "columns": table_columns(rows),
                        "rows": rows})  # fmt: skip
    return out


def _limitations(data: Mapping[str, Any]) -> list[str]:
    out = [GENERAL_LIMITS]
    families = {r["family"] for r in data.get("results", [])}
    out += [FAMILY_LIMITS[f] for f in ("fairness", "pii", "transparency") if f in families]
    absent = [FAMILY_TITLES[f] for f in ("fairness", "pii", "transparency") if f not in families]
    if absent:
        out.append(f"Not assessed in this run: {', '.join(absent)}.")
    for r in data.get("results", []):
        if r["status"] == "skipped":
            out.append(f"{r['check']} {r['name']} did not run: {r.get('detail') or r['summary']}")
        if r["status"] == "errored":
            out.append(f"{r['check']} {r['name']} crashed; its area is not covered by this audit.")
    out += [f"Input warning: {w}" for w in data.get("warnings", [])]
    extra = _meta(data).get("limitations")
    if isinstance(extra, list):
        out += [str(x) for x in extra]
    elif extra:
        out.append(str(extra))
    return out


def _signoff(data: Mapping[str, Any]) -> list[dict[str, str]]:
    raw = _meta(data).get("signoff")
    signoff = raw if isinstance(raw, Mapping) else {}
    out = []
    for role, title in (
        ("prepared_by", "Prepared by"),
        ("reviewed_by", "Reviewed by"),
        ("approved_by", "Approved by"),
    ):
        v = signoff.get(role)
        if isinstance(v, Mapping):
            out.append({"role": title, "name": _text(v.get("name")), "title": _text(v.get("role")),
                        "date": _text(v.get("date"))})  # fmt: skip
        else:
            out.append({"role": title, "name": _text(v), "title": "", "date": ""})
    return out


def _inputs(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    inputs = data.get("inputs") or {}
    out = []
    ds = inputs.get("dataset")
    if ds:
        out.append({"role": "dataset", "path": ds.get("path") or "in-memory DataFrame",
                    "sha256": ds.get("sha256"),
                    "detail": f"{ds.get('rows')} rows × {len(ds.get('columns', []))} columns"})  # fmt: skip
    model = inputs.get("model")
    if model:
        out.append({"role": f"model ({model.get('kind')})", "path": model.get("path"),
                    "sha256": model.get("sha256"), "detail": model.get("loader") or ""})  # fmt: skip
    for d in inputs.get("documents", []):
        out.append({"role": d.get("kind"), "path": d.get("path"), "sha256": d.get("sha256"),
                    "detail": ""})  # fmt: skip
    for p in (data.get("policy") or {}).get("packs", []):
        out.append({"role": "policy pack", "path": p.get("path"), "sha256": p.get("sha256"),
                    "detail": f"{p.get('name')} v{p.get('version')}"})  # fmt: skip
    base = data.get("baseline")
    if isinstance(base, Mapping):
        out.append({"role": "baseline report", "path": base.get("path"), "sha256": base.get("sha256"),
                    "detail": f"run {base.get('run_id')}"})  # fmt: skip
    return out


def _sources(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every reference of the checks that ran: clause label, the source as text, the checks."""
    out: dict[str, dict[str, Any]] = {}
    for r in data.get("results", []):
        for item in clause_labels(r.get("references", [])):
            entry = out.setdefault(item["source"], {**item, "checks": []})
            entry["checks"].append(r["check"])
    return sorted(out.values(), key=lambda e: e["label"].lower())


def build_document(
    data: Mapping[str, Any], findings: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Everything the audit document needs beyond :func:`view.build_view`."""
    return {
        "cover": _cover(data),
        "scope": _scope(data),
        "method": _methodology(data),
        "charts": _charts(data),
        "risks": _risks(data, findings),
        "completeness": _completeness(data),
        "limitations": _limitations(data),
        "signoff": _signoff(data),
        "input_hashes": _inputs(data),
        "all_options": _options(data, only_decisions=False),
        "resolved_policy": json.dumps(
            (data.get("policy") or {}).get("resolved") or {}, indent=2, ensure_ascii=False
        ),
        "digest": report_digest(data),
        "sources": _sources(data),
        "consequences": CONSEQUENCES,
    }


CONSEQUENCES = {
    "fairness": (
        "Groups may be treated unequally by the system's decisions, exposing the organisation to "
        "discrimination claims (e.g. Title VII disparate impact, NYC LL144, EU AI Act Art. 10)."
    ),
    "pii": (
        "Personal data may be processed or disclosed without a lawful basis or safeguards "
        "(GDPR Art. 5, 6 and 32; CCPA), and may leak through the model or its outputs."
    ),
    "transparency": (
        "The system's documentation does not meet the documentation duties it is audited against "
        "(e.g. EU AI Act Art. 11 and Annex IV, NIST AI RMF MAP/MEASURE), weakening accountability."
    ),
    "run": "The audit's own evidence may be incomplete or unreliable for the affected area.",
}
