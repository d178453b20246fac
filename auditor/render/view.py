"""Plain-Python shaping of report data for templates (templates only loop and branch).

Everything here reads the canonical report data (parsed JSON) and nothing else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "FAMILY_TITLES",
    "SEVERITY_ORDER",
    "build_view",
    "check_summary",
    "evidence_items",
    "findings_of",
    "report_digest",
    "table_columns",
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
    """Every finding with its check's id, name, family, summary and references; sorted for reading."""
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
                    "references": list(r.get("references", [])),
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
        "top_findings": open_findings[:5],
        "blocking_ids": blocking_ids,
        "waived_findings": [f for f in findings if f["status"] == "waived"],
        "families": fam_views,
        "attention": attention,
        "severity_order": SEVERITY_ORDER,
        "baseline": _baseline(data),
    }


_STATUSES = ("passed", "failed", "waived", "skipped", "errored")
