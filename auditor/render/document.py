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
)
from .clauses import clause_labels
from .view import (
    FAMILY_TITLES,
    check_summary,
    context_rows,
    documentation_scope,
    report_digest,
    table_columns,
)

__all__ = ["CARD_IDENTITY", "METRIC_DEFINITIONS", "build_document", "card_identity"]

METRIC_DEFINITIONS = {
    "selection_rate": "Selection rate: share of the group that received the favourable outcome.",
    "scoring_rate": (
        "Scoring rate: share of the group whose score is above the cut (the median of all "
        "scores unless stated), as NYC Local Law 144 defines it for score outputs."
    ),
    "impact_ratio": (
        "Impact ratio: the group's rate divided by the reference group's rate (the highest rate "
        "among groups large enough to assess, unless a reference group is configured); below "
        "0.80 fails the EEOC four-fifths rule of thumb (29 CFR 1607.4(D))."
    ),
    "base_rate": (
        "Base rate: share of the group whose true label is the favourable one (in hiring data "
        "often a past human decision, not a neutral truth)."
    ),
    "tpr": (
        "True positive rate (recall, equal opportunity): of the people with the favourable "
        "label, the share the model selected."
    ),
    "fpr": (
        "False positive rate: of the people without the favourable label, the share the model "
        "selected anyway."
    ),
    "fnr": "False negative rate: of the people with the favourable label, the share rejected.",
    "tnr": "True negative rate: of the people without the favourable label, the share rejected.",
    "precision": "Precision: of the people selected, the share with the favourable label.",
    "npv": "Negative predictive value: of the people not selected, the share without the label.",
    "accuracy": "Accuracy: share of the group for whom the prediction equals the label.",
    "demographic_parity_difference": (
        "Demographic parity difference: highest minus lowest selection rate across the groups "
        "(fairlearn)."
    ),
    "demographic_parity_ratio": (
        "Demographic parity ratio: lowest divided by highest selection rate across the groups "
        "(fairlearn); with the highest-rate reference it equals the smallest impact ratio."
    ),
    "equalized_odds_difference": (
        "Equalized odds difference: the larger of the true-positive-rate gap and the "
        "false-positive-rate gap between groups (fairlearn; _mean: their average)."
    ),
    "equalized_odds_ratio": (
        "Equalized odds ratio: the smaller of the true-positive-rate ratio and the "
        "false-positive-rate ratio between groups (fairlearn; _mean: their average)."
    ),
    "equal_opportunity_difference": "Equal opportunity difference: gap in true positive rate between groups.",
    "equal_opportunity_ratio": "Equal opportunity ratio: lowest over highest true positive rate.",
    "average_odds_difference": (
        "Average odds difference (AIF360): the average of a group's true and false positive rate "
        "gaps to the reference group, the largest in absolute value."
    ),
    "predictive_parity_difference": "Predictive parity difference: gap in precision between groups.",
    "predictive_parity_ratio": "Predictive parity ratio: lowest over highest precision.",
    "accuracy_score_difference": "Accuracy difference: gap in accuracy between groups.",
    "accuracy_score_ratio": "Accuracy ratio: lowest over highest accuracy.",
    "base_rate_difference": "Base-rate difference: gap in the share with the favourable label.",
    "scoring_rate_parity_difference": "Scoring-rate parity difference: highest minus lowest scoring rate.",
    "ece": (
        "Expected calibration error (ECE): how far, on average over score bins, a score is from "
        "the share of people at that score who actually have the favourable label."
    ),
    "brier": "Brier score: mean squared difference between the score and the 0/1 label.",
    "cramers_v": (
        "Cramér's V: strength of association between a feature and a sensitive attribute, 0 "
        "(none) to 1 (the feature determines the attribute); bias-corrected: Bergsma (2013)."
    ),
    "uncertainty_coefficient": (
        "Uncertainty coefficient: the share of the uncertainty about a sensitive attribute that "
        "knowing the feature removes."
    ),
    "representation_ratio": "Representation ratio: the group's share of the data over its share of the reference population.",
    "ci_low": (
        "Interval (95% unless stated): Wilson score interval for a rate; bootstrap percentile "
        "interval for ratios and disparity metrics (basic bootstrap for ECE)."
    ),
    "p_value": (
        "p-value: two-sided test that the group's rate equals the reference group's "
        "(two-proportion z-test, Fisher's exact test for small groups)."
    ),
    "p_threshold": (
        "p (threshold): one-sided test that the true value is on the passing side of the "
        "threshold (Farrington-Manning score test for an impact ratio; bootstrap standard error "
        "for a disparity metric)."
    ),
    "p_adjusted": (
        "Adjusted p: the threshold test's p-value after Holm's correction for all the "
        "comparisons the check made; below 0.05 the gap is statistically significant."
    ),
    "hit_rate": "Hit rate: share of scanned values in which personal data was detected.",
    "likelihood": "Likelihood: the detector's confidence tier that the column holds the entity.",
    "unique_scanned": "Unique scanned: distinct values scanned (values are de-duplicated first).",
    "k": (
        "k-anonymity: every record shares its quasi-identifier values (zip code, birth date, "
        "...) with at least k - 1 others; a record in a smaller class can be singled out."
    ),
    "l": "l-diversity: every k-anonymity class holds at least l different values of a sensitive attribute.",
}
METRIC_DEFINITIONS["k_anonymity"] = METRIC_DEFINITIONS["k"]
METRIC_DEFINITIONS["l_diversity"] = METRIC_DEFINITIONS["l"]
#: terms every report uses
GLOSSARY_TERMS = (
    ("Finding", "One problem a person must act on: one per check and subject (a feature, a "
     "column, a document field), with a stable id across runs."),
    ("Blocking", "A finding that fails the gate: unwaived, at or above the gate's severity and, "
     "for statistical findings, backed by evidence (or decided on the estimate by a rule pack)."),
    ("Significant", "The gap is beyond the threshold, its interval lies beyond the threshold, and "
     "it is statistically significant after correcting for every comparison the check made "
     "(Holm, alpha 0.05)."),
    ("Inconclusive", "The estimate is beyond the threshold, but the interval reaches the "
     "threshold, the test is not significant after the correction, or the group is too small "
     "(below min_group_size); reported and visible, not blocking under the default pack."),
    ("Degenerate", "A ratio is 0 or infinite only because a count is zero (a group with no "
     "false positives); the finding names the group and the empty cell."),
    ("Severity", "critical, high, medium, low, info: how serious the problem is if real; the "
     "gate blocks on findings at or above its level."),
    ("Waiver", "An accepted risk: a finding kept visible but not blocking, with a reason, an "
     "approver and an expiry."),
    ("Baseline", "A previous report this run is compared with: new, updated, unchanged and "
     "resolved findings."),
    ("Reference group", "The group others are compared with: by default the group with the "
     "highest rate among those with at least min_group_size people (EEOC 1607.4(D))."),
)  # fmt: skip
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
                and row.get("confidence") != "low"  # a sentence in prose does not name the system
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
    docs_only = documentation_scope(data)
    system = (
        meta.get("system")
        or card.get("model.name")
        or (model.get("path") if model.get("kind") != "predictions" else None)
        or dataset.get("path")
        or (docs_only["documents"][0]["name"] if docs_only and docs_only["documents"] else None)
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
    if docs_only:  # no dataset: say what was read instead ("in-memory data" would be false)
        data_audited = "none: documentation-only audit of " + ", ".join(
            f"{d['role']} {d['name']}" for d in docs_only["documents"]
        )
    else:
        data_audited = _text(dataset.get("path"), "in-memory data")
    return {
        "title": _text(
            meta.get("title"),
            docs_only["title"] if docs_only else "Responsible-AI audit report",
        ),
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
        "data": data_audited,
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
    docs_only = documentation_scope(data)
    no_data = set(docs_only["skipped"]) if docs_only else set()
    excluded = [
        {"check": r["check"], "name": r["name"], "reason": r.get("detail") or r["summary"]}
        for r in results
        if r["status"] == "skipped" and r["check"] not in no_data
    ]
    if docs_only and no_data:  # one row for every check skipped because there was no data
        excluded.insert(
            0,
            {
                "check": ", ".join(docs_only["skipped"]),
                "name": "every check that needs the data",
                "reason": docs_only["reason"],
            },
        )
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
    return {
        "thresholds": thresholds,
        "crosswalk": crosswalk,
        "excluded": excluded,
        "context": context_rows(data),
    }


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


#: statuses of a groups row judged against a threshold
JUDGED = ("pass", "fail", "inconclusive", "below_eeoc_four_fifths")


def _judged(rows: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a ``groups`` table's impact ratios were judged against a threshold."""
    return any(row.get("status") in JUDGED for row in rows)


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
            # a table without a threshold (error rates: its impact ratios are "reported") has
            # no ratio to judge; they are FAIR001's
            if not _judged(rows):
                continue
            text = json.dumps(rows, sort_keys=True, default=str)
            for feature in features:
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


#: a reference group smaller than this makes every ratio against it uncertain (stated)
SMALL_REFERENCE = 100


def _fairness_limits(data: Mapping[str, Any]) -> list[str]:
    """Limitations generated from what the fairness checks measured: small or shifting reference
    groups, inconclusive and unassessed groups, the multiple-comparison correction, labels."""
    out: list[str] = []
    refs: dict[str, dict[str, list[str]]] = {}
    small: dict[tuple[str, int], list[str]] = {}
    inconclusive: dict[str, int] = {}
    unassessed: dict[str, set[str]] = {}
    tests: list[str] = []
    for r in data.get("results", []):
        if r.get("family") != "fairness" or r.get("status") in ("skipped", "errored"):
            continue
        tables = r.get("tables") or {}
        n_tests = 0
        for name, rows in tables.items():
            for row in rows:
                if row.get("p_adjusted") is not None:
                    n_tests += 1
                if row.get("status") == "inconclusive":
                    inconclusive[r["check"]] = inconclusive.get(r["check"], 0) + 1
                if (
                    name in ("groups", "calibration")
                    and row.get("status") == "insufficient_evidence"
                ):
                    unassessed.setdefault(
                        f"{row.get('feature')}={row.get('group')} (n={row.get('n')})", set()
                    ).add(r["check"])
            if name == "groups" and _judged(rows):
                for row in rows:
                    if row.get("status") == "reference":
                        feat = str(row.get("feature"))
                        refs.setdefault(feat, {}).setdefault(str(row.get("group")), []).append(
                            r["check"]
                        )
                        n = int(row.get("n") or 0)
                        if n < SMALL_REFERENCE:
                            small.setdefault((f"{feat}: {row.get('group')}", n), []).append(
                                r["check"]
                            )
        if n_tests:
            tests.append(f"{r['check']} {n_tests}")
    for (what, n), checks in sorted(small.items()):
        out.append(
            f"Small reference group: {', '.join(sorted(set(checks)))} compare{'s' if len(set(checks)) == 1 else ''} "
            f"the groups of {what.split(':')[0]} with {what.split(': ', 1)[1]}, a group of only {n} "
            "people (the highest rate among groups large enough to assess); its own rate is "
            "uncertain, and so is every ratio against it."
        )
    for feat, by_ref in refs.items():
        if len(by_ref) > 1:
            listed = "; ".join(f"{g} ({', '.join(sorted(set(c)))})" for g, c in by_ref.items())
            out.append(
                f"Shifting reference group: the reference for {feat} differs between checks "
                f"({listed}), because each check compares a different rate; ratios of "
                "different checks are not directly comparable."
            )
    if inconclusive:
        total = sum(inconclusive.values())
        per = ", ".join(f"{c}: {n}" for c, n in sorted(inconclusive.items()))
        out.append(
            f"{total} comparison{'s' if total != 1 else ''} beyond a threshold could not be "
            f"settled ({per}): they are reported as inconclusive, not as failures; each finding "
            "says how much more data would settle it."
        )
    if unassessed:
        names = sorted(unassessed)
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        out.append(
            f"{len(names)} group{'s' if len(names) != 1 else ''} could not be assessed (too few "
            f"people or an undefined rate): {shown}. They are neither passed nor failed."
        )
    if tests:
        out.append(
            "Multiple comparisons: each fairness check tests many groups and metrics at once; "
            "its p-values are corrected with Holm's step-down method over all of its tests "
            f"(alpha 0.05; tests per check: {', '.join(tests)})."
        )
    subject = data.get("subject") or {}
    target = subject.get("target")
    meta = _meta(data)
    labels = meta.get("label_provenance") or meta.get("labels")
    uses_labels = any(
        r.get("check") in ("FAIR002", "FAIR005", "FAIR007")
        and r.get("status") not in ("skipped", "errored")
        for r in data.get("results", [])
    )
    if target and uses_labels:
        if labels:
            out.append(
                f"Labels: the target '{target}' records {labels}. The error-rate and calibration "
                "checks (FAIR002, FAIR005) treat it as the truth, so any bias in how the labels "
                "were made is invisible to them; FAIR007 shows how the labels differ by group."
            )
        else:
            out.append(
                f"Labels: the report does not say where the target '{target}' comes from (set "
                "metadata label_provenance). If it records past human decisions, the error-rate "
                "and calibration checks inherit their bias; FAIR007 shows how the labels differ "
                "by group."
            )
    return out


#: the limits of a review of the documents alone (no dataset, no model)
DOCUMENTATION_ONLY_LIMITS = (
    "Documentation-only audit: no dataset, predictions or model were given. The report says "
    "whether the documents answer what the standards ask and are internally consistent; it does "
    "not say whether the system is fair, handles personal data lawfully or performs as the "
    "documents claim. Those checks were skipped and need an audit with the data."
)


def _limitations(data: Mapping[str, Any]) -> list[str]:
    docs_only = documentation_scope(data)
    out = [DOCUMENTATION_ONLY_LIMITS if docs_only else GENERAL_LIMITS]
    ran = [r for r in data.get("results", []) if r["status"] not in ("skipped", "errored")]
    families = {r["family"] for r in (ran if docs_only else data.get("results", []))}
    out += [FAMILY_LIMITS[f] for f in ("fairness", "pii", "transparency") if f in families]
    if "fairness" in families:
        out += _fairness_limits(data)
    absent = [FAMILY_TITLES[f] for f in ("fairness", "pii", "transparency") if f not in families]
    if absent:
        out.append(f"Not assessed in this run: {', '.join(absent)}.")
    if docs_only and docs_only["skipped"]:
        skipped = docs_only["skipped"]
        out.append(
            f"{len(skipped)} check{'s' if len(skipped) != 1 else ''} did not run "
            f"({', '.join(skipped)}): {docs_only['reason']}."
        )
    for r in data.get("results", []):
        if docs_only and r["check"] in docs_only["skipped"]:
            continue
        if r["status"] == "skipped":
            out.append(f"{r['check']} {r['name']} did not run: {r.get('detail') or r['summary']}")
        if r["status"] == "errored":
            out.append(f"{r['check']} {r['name']} crashed; its area is not covered by this audit.")
    eng = (data.get("inputs") or {}).get("engine")
    if isinstance(eng, Mapping):
        for a in eng.get("approximations") or []:
            if isinstance(a, Mapping):
                out.append(
                    f"Engine approximation ({eng.get('name')}): {a.get('what')}: {a.get('method')} "
                    f"(error bound: {a.get('error_bound')})."
                )
    out += [f"Input warning: {w}" for w in data.get("warnings", [])]
    extra = _meta(data).get("limitations")
    if isinstance(extra, list):
        out += [str(x) for x in extra]
    elif extra:
        out.append(str(extra))
    return out


def _glossary(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every metric the report uses (a table column, an evidence key or a metric name in a
    table), defined once, after the general terms."""
    seen: list[str] = []
    for r in data.get("results", []):
        for name in r.get("tables") or {}:
            if name in METRIC_DEFINITIONS and METRIC_DEFINITIONS[name] not in (
                METRIC_DEFINITIONS[m] for m in seen
            ):
                seen.append(name)
        for rows in (r.get("tables") or {}).values():
            for c in table_columns(rows):
                if c in METRIC_DEFINITIONS and c not in seen:
                    seen.append(c)
            for row in rows:
                m = row.get("metric")
                for key in (m, str(m or "").removesuffix("_mean")):
                    if key in METRIC_DEFINITIONS and key not in seen:
                        seen.append(str(key))
        for f in r.get("findings", []):
            for k in f.get("evidence") or {}:
                if k in METRIC_DEFINITIONS and k not in seen:
                    seen.append(k)
    terms = list(GLOSSARY_TERMS)
    terms += [
        (METRIC_DEFINITIONS[m].split(":", 1)[0], METRIC_DEFINITIONS[m].split(":", 1)[1].strip())
        for m in seen
    ]
    return terms


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
        "glossary": _glossary(data),
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
