"""Plain-Python shaping of report data for templates (templates only loop and branch).

Everything here reads the canonical report data (parsed JSON) and nothing else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..findings import DOCUMENT_ROLES
from .clauses import clause_labels

__all__ = [
    "DOC_LOCATION",
    "FAMILY_TITLES",
    "SEVERITY_ORDER",
    "build_view",
    "check_summary",
    "engine_view",
    "evidence_items",
    "findings_of",
    "report_digest",
    "table_columns",
    "top_findings",
    "verdict_label",
]

SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"]
FAMILY_TITLES = {
    "pii": "PII exposure",
    "fairness": "Fairness across groups",
    "transparency": "Transparency and documentation",
    "run": "Run integrity",
}
VERDICT_TEXT = {
    "pass": "PASS: no unwaived finding at or above the gate level, and every check ran.",
    "pass-risks": (
        "PASS WITH ACCEPTED RISKS: no unwaived finding at or above the gate level; some findings "
        "are accepted under a waiver (see Accepted risks)."
    ),
    "fail": "FAIL: at least one unwaived finding is at or above the gate level.",
    "error": "ERROR: at least one check crashed; the audit is incomplete and the gate fails.",
}
RECOMMENDATION = {
    "pass": "Go: nothing blocks release under the configured gate.",
    "pass-risks": (
        "Go with accepted risks: release is allowed; each waiver listed below must be tracked to "
        "its expiry by its approver."
    ),
    "fail": (
        "No-go: do not release until every blocking finding is remediated or formally accepted "
        "by an authorised approver."
    ),
    "error": (
        "No-go: the audit is incomplete because a check crashed; fix the error and rerun before "
        "any release decision."
    ),
}
#: the consequence of a family's open finding, in one plain sentence (executive summary)
CONSEQUENCE_SHORT = {
    "fairness": (
        "groups are treated unequally by the system's decisions, a discrimination "
        "(disparate-impact) risk for the organisation"
    ),
    "pii": (
        "personal data is exposed without adequate safeguards, a privacy-law risk "
        "(GDPR, CCPA, HIPAA)"
    ),
    "transparency": (
        "the documentation omits or misstates what the audit measured, so readers and "
        "regulators cannot rely on it"
    ),
    "run": "part of the audit's own evidence is missing or unreliable",
}
TOP_LIMIT = 7
ACRONYMS = {"pii": "PII", "ll144": "LL144", "eu": "EU", "ai": "AI", "spdx": "SPDX", "k": "k"}
_SUMMARY_PREFIX = re.compile(r"^(?:\d+ findings?|passed|skipped|errored): ")


def verdict_label(data: Mapping[str, Any]) -> tuple[str, str]:
    """``("pass-risks", "PASS WITH ACCEPTED RISKS")`` style key and label for the verdict."""
    verdict = str(data.get("verdict", "error"))
    waived = int((data.get("summary") or {}).get("waived", 0) or 0)
    key = "pass-risks" if verdict == "pass" and waived else verdict
    return key, {"pass-risks": "PASS WITH ACCEPTED RISKS"}.get(key, verdict.upper())


def report_digest(data: Mapping[str, Any]) -> str:
    """sha256 of ``audit.json`` as written (same serialisation as ``Report.to_json``)."""
    import hashlib

    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_summary(result: Mapping[str, Any]) -> str:
    """The check's one-sentence summary without the runner's ``3 findings:`` prefix ("" for a
    skipped or errored check, whose summary is its reason, not its criterion)."""
    if result.get("status") in ("skipped", "errored"):
        return ""
    return _SUMMARY_PREFIX.sub("", str(result.get("summary", "")), count=1)


def table_columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        for key in row:
            if key != "_nonfinite" and key not in cols:
                cols.append(key)
    return cols


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        from ._jinja import fmt_num

        return ", ".join(str(fmt_num(_scalar(v))) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def evidence_items(evidence: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Evidence as ``(key, scalar)`` pairs; non-finite markers shown as their name."""
    flags = evidence.get("_nonfinite") or {}
    out = []
    for key, value in evidence.items():
        if key == "_nonfinite":
            continue
        out.append((str(key), flags.get(key) if value is None and key in flags else _scalar(value)))
    return out


def findings_of(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every finding with its check's id, name, family, summary and clauses; sorted for reading."""
    out = []
    for r in data.get("results", []):
        for f in r.get("findings", []):
            out.append(
                {
                    **f,
                    "check": r["check"],
                    "check_name": r["name"],
                    "family": r["family"],
                    "family_title": FAMILY_TITLES.get(r["family"], r["family"]),
                    "criteria": check_summary(r),
                    "clauses": clause_labels(r.get("references", [])),
                    "options": dict(r.get("options") or {}),
                    "evidence_items": evidence_items(f.get("evidence") or {}),
                }
            )
    out.sort(
        key=lambda f: (
            SEVERITY_ORDER.index(f["severity"]) if f["severity"] in SEVERITY_ORDER else 9,
            f["status"] != "failed",
            f["check"],
            f["location"],
        )
    )
    return out


#: a finding location in a transparency document: ``card:a/model_card.yaml:12``
DOC_LOCATION = re.compile(rf"^(?:{'|'.join(DOCUMENT_ROLES)}):(?P<file>.+?):(?P<line>\d+)$")


def _where(location: str) -> str:
    """``feature:race/group:Black`` -> ``race: Black``; ``card:a/model_card.yaml:12`` ->
    ``model_card.yaml line 12``; ``column:email`` -> ``email``."""
    doc = DOC_LOCATION.match(location)
    if doc:
        return f"{doc['file'].rsplit('/', 1)[-1]} line {doc['line']}"
    if location.startswith("feature:"):
        feature, _, group = location[len("feature:") :].partition("/group:")
        return f"{feature}: {group}" if group else feature
    kind, sep, value = location.partition(":")
    return value if sep and kind in ("column", "dataset") else location


def _headline(f: Mapping[str, Any]) -> str:
    words = str(f.get("check_name", "")).replace("_", " ").replace("-", " ").split()
    name = " ".join(ACRONYMS.get(w.lower(), w) for w in words)
    where = _where(str(f.get("location") or ""))
    return f"{name[:1].upper()}{name[1:]}" + (f" ({where})" if where else "")


def top_findings(
    findings: Sequence[Mapping[str, Any]], limit: int = TOP_LIMIT
) -> list[dict[str, Any]]:
    """The most important open findings for the executive summary: the worst finding of each
    check (at most ``limit``), every family's worst one first, then by severity. Each carries a
    plain sentence: ``headline``, ``condition`` (what was observed) and ``consequence``."""
    worst: dict[str, Mapping[str, Any]] = {}
    per_check: dict[str, int] = {}
    for f in findings:  # already sorted by severity
        if f.get("status") != "failed":
            continue
        per_check[f["check"]] = per_check.get(f["check"], 0) + 1
        worst.setdefault(f["check"], f)
    candidates = list(worst.values())
    picked: list[Mapping[str, Any]] = []
    families: set[str] = set()
    for f in candidates:
        if f["family"] not in families:
            families.add(f["family"])
            picked.append(f)
    picked += [f for f in candidates if f not in picked]
    order = {id(f): i for i, f in enumerate(candidates)}
    chosen = sorted(picked[:limit], key=lambda f: order[id(f)])
    return [
        {
            **f,
            "headline": _headline(f),
            "condition": str(f.get("message", "")),
            "consequence": CONSEQUENCE_SHORT.get(str(f["family"]), CONSEQUENCE_SHORT["run"]),
            "others": per_check[f["check"]] - 1,
        }
        for f in chosen
    ]


def _tables(result: Mapping[str, Any], max_rows: int | None) -> list[dict[str, Any]]:
    tables = []
    for name, rows in (result.get("tables") or {}).items():
        shown = rows if max_rows is None else rows[:max_rows]
        cols = table_columns(rows)
        tables.append(
            {
                "name": name,
                "columns": cols,
                "rows": [{c: _scalar(row.get(c)) for c in cols if c in row} for row in shown],
                "total": len(rows),
            }
        )
    return tables


def _approximation(item: Any) -> str:
    if isinstance(item, Mapping):
        what = str(item.get("what") or "").strip()
        method = str(item.get("method") or "").strip()
        bound = str(item.get("error_bound") or "").strip()
        text = ": ".join(x for x in (what, method) if x)
        if bound:
            text += f" (error bound: {bound})"
        if text:
            return text
        return json.dumps(dict(item), ensure_ascii=False, sort_keys=True)
    return str(item)


def engine_view(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """``inputs.engine`` for readers: ``summary``, ``details`` (label, value) rows,
    ``approximations`` and ``notes`` as sentences. ``None`` when the report has no engine block."""
    eng = (data.get("inputs") or {}).get("engine")
    if not isinstance(eng, Mapping) or not eng.get("name"):
        return None
    from ._jinja import fmt_num

    name = str(eng["name"])
    lazy = bool(eng.get("lazy"))
    mode = "lazy: data stays in the engine, only aggregates are collected" if lazy else "in memory"
    details: list[tuple[str, str]] = [("Engine", f"{name} ({mode})")]
    if eng.get("reason"):
        details.append(("Why this engine", str(eng["reason"])))
    for key, label in (
        ("source", "Source"),
        ("files", "Source files"),
        ("rows_metadata", "Rows (file metadata)"),
        ("rows_counted", "Rows counted by the engine"),
        ("passes", "Passes over the data"),
        ("engine_seconds", "Engine time (s)"),
    ):
        if eng.get(key) not in (None, ""):
            details.append((label, str(fmt_num(eng[key]))))
    approximations = [_approximation(a) for a in eng.get("approximations") or []]
    notes = [str(n) for n in eng.get("notes") or []]
    summary = name + (" (lazy" if lazy else " (in memory")
    if eng.get("rows_counted") is not None:
        summary += f", {fmt_num(eng['rows_counted'])} rows counted"
    if eng.get("passes"):
        summary += f", {fmt_num(eng['passes'])} passes"
    summary += ")"
    summary += (
        f"; {len(approximations)} approximation{'s' if len(approximations) != 1 else ''}"
        if approximations
        else "; exact (no approximation)"
    )
    return {"name": name, "summary": summary, "details": details,
            "approximations": approximations, "notes": notes}  # fmt: skip


def _baseline(data: Mapping[str, Any]) -> dict[str, Any] | None:
    base = data.get("baseline")
    if not isinstance(base, Mapping):
        return None
    return {
        **base,
        "failed_regressions": [r for r in base.get("regressions", []) if r.get("failed")],
    }


def build_view(data: Mapping[str, Any], max_rows: int | None = None) -> dict[str, Any]:
    results = list(data.get("results", []))
    findings = findings_of(data)
    families: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        item = {**r, "table_list": _tables(r, max_rows), "criteria": check_summary(r)}
        item["finding_list"] = [f for f in findings if f["check"] == r["check"]]
        item["recommendations"] = list(
            dict.fromkeys(
                f["recommendation"] for f in item["finding_list"] if f.get("recommendation")
            )
        )
        families.setdefault(r["family"], []).append(item)
    attention = [r for r in results if r["status"] in ("errored", "skipped")]
    key, label = verdict_label(data)
    open_findings = [f for f in findings if f["status"] == "failed"]
    blocking_ids = {b.get("finding") for b in (data.get("gate") or {}).get("blocking", [])}
    fam_views = []
    for k, v in families.items():
        fam_findings = [f for r in v for f in r["finding_list"]]
        fam_views.append(
            {
                "key": k,
                "title": FAMILY_TITLES.get(k, k),
                "results": v,
                "open": sum(1 for f in fam_findings if f["status"] == "failed"),
                "waived": sum(1 for f in fam_findings if f["status"] == "waived"),
                "statuses": {s: sum(1 for r in v if r["status"] == s) for s in _STATUSES},
            }
        )
    return {
        "data": data,
        "verdict_key": key,
        "verdict_label": label,
        "verdict_text": VERDICT_TEXT.get(key, ""),
        "recommendation": RECOMMENDATION.get(key, ""),
        "findings": findings,
        "open_findings": open_findings,
        "top_findings": top_findings(open_findings),
        "blocking_ids": blocking_ids,
        "waived_findings": [f for f in findings if f["status"] == "waived"],
        "families": fam_views,
        "attention": attention,
        "severity_order": SEVERITY_ORDER,
        "baseline": _baseline(data),
        "engine": engine_view(data),
    }


_STATUSES = ("passed", "failed", "waived", "skipped", "errored")
