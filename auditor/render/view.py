"""Plain-Python shaping of report data for templates (templates only loop and branch)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["FAMILY_TITLES", "build_view", "table_columns"]

SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"]
FAMILY_TITLES = {
    "pii": "PII exposure",
    "fairness": "Fairness across groups",
    "transparency": "Transparency and documentation",
    "run": "Run integrity",
}
VERDICT_TEXT = {
    "pass": "PASS: no unwaived finding at or above the gate level, and every check ran.",
    "fail": "FAIL: at least one unwaived finding is at or above the gate level.",
    "error": "ERROR: at least one check crashed; the audit is incomplete and the gate fails.",
}


def table_columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        for key in row:
            if key != "_nonfinite" and key not in cols:
                cols.append(key)
    return cols


def build_view(data: Mapping[str, Any], max_rows: int | None = None) -> dict[str, Any]:
    results = list(data.get("results", []))
    findings = []
    for r in results:
        for f in r.get("findings", []):
            findings.append({**f, "check": r["check"], "check_name": r["name"], "family": r["family"]})
    findings.sort(key=lambda f: (SEVERITY_ORDER.index(f["severity"]), f["status"] != "failed", f["check"]))
    families: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        tables = []
        for name, rows in (r.get("tables") or {}).items():
            shown = rows if max_rows is None else rows[:max_rows]
            tables.append(
                {"name": name, "columns": table_columns(rows), "rows": shown, "total": len(rows)}
            )
        families.setdefault(r["family"], []).append({**r, "table_list": tables})
    attention = [r for r in results if r["status"] in ("errored", "skipped")]
    return {
        "data": data,
        "verdict_text": VERDICT_TEXT.get(data.get("verdict", ""), ""),
        "findings": findings,
        "open_findings": [f for f in findings if f["status"] == "failed"],
        "waived_findings": [f for f in findings if f["status"] == "waived"],
        "families": [
            {"key": k, "title": FAMILY_TITLES.get(k, k), "results": v} for k, v in families.items()
        ],
        "attention": attention,
        "severity_order": SEVERITY_ORDER,
    }
