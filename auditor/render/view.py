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
    "compact_tables",
    "context_rows",
    "documentation_scope",
    "engine_view",
    "evidence_items",
    "findings_of",
    "gate_text",
    "problems_of",
    "report_digest",
    "subject_label",
    "table_columns",
    "top_problems",
    "verdict_label",
]

SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"]
FAMILY_TITLES = {
    "pii": "PII exposure",
    "fairness": "Fairness across groups",
    "transparency": "Transparency and documentation",
    "generative": "Generative models",
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
TOP_LIMIT = 5
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
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            continue  # per-group / per-metric rows: shown as their own table
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
        feature = feature.replace("×", " × ")
        return f"{feature}: {group}" if group else feature
    kind, sep, value = location.partition(":")
    if sep and kind == "column":
        return f"column {value}"
    return value if sep and kind == "dataset" else location


def subject_label(location: str) -> str:
    """The subject of a finding for people: ``sex × race_ethnicity``, ``column email``,
    ``model_card.yaml line 24``, ``dataset``."""
    return _where(str(location or "")) or "dataset"


def _blocking_ids(data: Mapping[str, Any]) -> dict[str, str]:
    return {
        str(b.get("finding")): str(b.get("reason"))
        for b in (data.get("gate") or {}).get("blocking", [])
        if b.get("finding")
    }


FAMILY_ORDER = ("fairness", "pii", "transparency", "run")
EVIDENCE_ORDER = {"significant": 0, None: 1, "inconclusive": 2, "degenerate": 3}


def _problem_order(f: Mapping[str, Any]) -> tuple[Any, ...]:
    fam = f["family"]
    return (
        not f["blocking"],
        f["status"] != "failed",
        SEVERITY_ORDER.index(f["severity"]) if f["severity"] in SEVERITY_ORDER else 9,
        EVIDENCE_ORDER.get(f.get("evidence_level"), 1),
        FAMILY_ORDER.index(fam) if fam in FAMILY_ORDER else len(FAMILY_ORDER),
        f["check"],
        str(f["location"]),
    )


def problems_of(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every finding as a problem for people: the finding, its check, its subject, whether it
    blocks the gate (and why), its related findings (other checks, same subject) by headline;
    blocking first, then by severity, evidence and area."""
    blocking = _blocking_ids(data)
    out = findings_of(data)
    by_id = {f["id"]: f for f in out}
    for f in out:
        f.setdefault("detail", "")  # schema 1 reports have neither detail nor related
        f.setdefault("related", [])
        f["subject"] = subject_label(str(f.get("location") or ""))
        f["blocking"] = f["id"] in blocking
        f["blocking_reason"] = blocking.get(f["id"])
        f["evidence_level"] = f.get("evidence_level")
        f["related_views"] = [
            {"id": r, "check": by_id[r]["check"], "check_name": by_id[r]["check_name"],
             "subject": subject_label(str(by_id[r]["location"])),
             "message": by_id[r]["message"], "status": by_id[r]["status"]}
            for r in f.get("related") or ()
            if r in by_id
        ]  # fmt: skip
        groups = (f.get("evidence") or {}).get("groups")
        f["group_rows"], f["group_value"] = _group_rows(groups if isinstance(groups, list) else [])
        metrics = (f.get("evidence") or {}).get("metrics")
        f["metric_rows"] = metrics if isinstance(metrics, list) else []
    out.sort(key=_problem_order)
    return out


#: the compared number of a finding's per-group rows, with its column title
_GROUP_VALUES = (
    ("impact_ratio", "impact_ratio_ci", "Ratio"),
    ("ece", ("ece_ci_low", "ece_ci_high"), "ECE"),
    ("representation_ratio", ("ci_low", "ci_high"), "Representation ratio"),
)


def _group_rows(groups: Sequence[Any]) -> tuple[list[dict[str, str]], str]:
    """A finding's per-group evidence as display rows (every cell a string) and the title of
    the compared value's column."""
    from ._jinja import fmt_cell, fmt_num, fmt_p

    rows = [g for g in groups if isinstance(g, Mapping)]
    key, ci_key, title = next(
        (v for v in _GROUP_VALUES if any(v[0] in g for g in rows)), ("", "", "Value")
    )
    out = []
    for g in rows:
        ref = g.get("reference_group")
        ref_text = "" if ref is None else str(ref)
        if ref is not None and g.get("reference_rate") is not None:
            ref_text += f" ({fmt_cell('rate', g.get('reference_rate'))}"
            ref_text += f", n {fmt_num(g['reference_n'])})" if g.get("reference_n") else ")"
        if isinstance(ci_key, tuple):
            lo, hi = g.get(ci_key[0]), g.get(ci_key[1])
        else:
            ci = g.get(ci_key) or [None, None]
            lo, hi = (ci[0], ci[1]) if len(ci) == 2 else (None, None)
        rate = g.get("rate", g.get("share"))
        out.append(
            {
                "group": str(g.get("group")),
                "n": str(fmt_num(g.get("n"))),
                "rate": fmt_cell("rate", rate) if rate is not None else "—",
                "reference": ref_text,
                "value": str(fmt_num(g.get(key))) if key else "—",
                "ci": f"{fmt_num(lo)}–{fmt_num(hi)}" if lo is not None and hi is not None else "—",
                "p": fmt_p(g.get("p_adjusted")),
                "evidence": str(g.get("evidence") or ""),
                "note": str(g.get("would_settle") or g.get("reason") or ""),
            }
        )
    return out, title


def top_problems(
    problems: Sequence[Mapping[str, Any]], limit: int = TOP_LIMIT
) -> list[dict[str, Any]]:
    """The first screen's problems: the blocking ones (else the open ones), at most ``limit``,
    each presented once: a finding related to one already listed is named under it ("also seen
    by FAIR004") instead of being listed again."""
    pool = [f for f in problems if f["blocking"]] or [
        f for f in problems if f["status"] == "failed"
    ]
    shown: list[dict[str, Any]] = []
    taken: set[str] = set()
    for f in pool:
        if f["id"] in taken:
            continue
        also = [r for r in f["related_views"] if r["status"] == "failed"]
        taken.add(f["id"])
        taken.update(r["id"] for r in also)
        by_check = {r["check"]: r for r in reversed(also)}  # one entry per check, its first
        shown.append({**f, "also": [by_check[c] for c in dict.fromkeys(r["check"] for r in also)]})
        if len(shown) == limit:
            break
    return shown


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


#: the columns people read, per (check, table): the metric family of the table, nothing else
#: (every column stays in audit.json and in the appendix of the HTML document)
COMPACT_COLUMNS: dict[tuple[str, str], tuple[str, ...]] = {
    ("FAIR001", "groups"): ("feature", "group", "n", "selected", "selection_rate", "impact_ratio",
                            "ir_ci_low", "ir_ci_high", "p_adjusted", "evidence", "status"),
    ("FAIR002", "groups"): ("feature", "group", "n", "base_rate", "tpr", "fpr", "precision",
                            "accuracy", "status"),
    ("FAIR002", "disparities"): ("feature", "metric", "value", "ci_low", "ci_high", "threshold",
                                 "p_adjusted", "evidence", "status"),
    ("FAIR003", "groups"): ("feature", "group", "n", "selected", "above_median", "selection_rate",
                            "scoring_rate", "impact_ratio", "status"),
    ("FAIR004", "groups"): ("feature", "group", "n", "above_median", "scoring_rate",
                            "impact_ratio", "ir_ci_low", "ir_ci_high", "p_adjusted", "evidence",
                            "status"),
    ("FAIR005", "calibration"): ("feature", "group", "n", "ece", "ece_ci_low", "ece_ci_high",
                                 "mean_score", "observed_rate", "p_adjusted", "evidence", "status"),
    ("FAIR007", "groups"): ("feature", "group", "n", "base_rate", "impact_ratio", "ir_ci_low",
                            "ir_ci_high", "p_adjusted", "evidence", "status"),
    ("FAIR008", "representation"): ("feature", "group", "n", "share", "ci_low", "ci_high",
                                    "expected_share", "representation_ratio", "status"),
    ("FAIR009", "proxies"): ("feature", "sensitive", "cramers_v", "cramers_v_corrected",
                             "uncertainty_coefficient", "p_adjusted", "status"),
    ("PII001", "columns"): ("column", "kind", "entity_types", "likelihood", "hit_rate",
                            "rows_scanned"),
}  # fmt: skip
#: a generic table: at most this many columns are shown compactly (the rest in the appendix)
COMPACT_MAX = 8
#: compact tables: rows shown before the rest is left to the appendix / audit.json
COMPACT_ROWS = 40


#: the compact tables the printed document (PDF) keeps: the legal evidence (impact ratios, the
#: personal-data columns); the others are in audit.html and audit.json
PRINT_TABLES = {("FAIR001", "groups"), ("FAIR003", "groups"), ("FAIR004", "groups"),
                ("FAIR007", "groups"), ("FAIR008", "representation"), ("PII001", "columns")}  # fmt: skip
#: tables that only the appendix shows (per-bin detail)
COMPACT_SKIP = {("FAIR005", "reliability"), ("PII001", "scan")}
_CI_PAIRS = (("ir_ci_low", "ir_ci_high", "ir_ci"), ("ece_ci_low", "ece_ci_high", "ece_ci"),
             ("ci_low", "ci_high", "ci"))  # fmt: skip


def _merge_intervals(columns: list[str]) -> list[str]:
    out = list(columns)
    for low, high, merged in _CI_PAIRS:
        if low in out and high in out:
            out[out.index(low)] = merged
            out.remove(high)
    return out


def _cell(row: Mapping[str, Any], col: str) -> str:
    from ._jinja import fmt_cell

    for low, high, merged in _CI_PAIRS:
        if col == merged:
            a, b = row.get(low), row.get(high)
            if a is None or b is None:
                return "—"
            rate_like = merged == "ci" and not any(k in row for k in ("impact_ratio", "ece"))
            key = "share" if rate_like or "share" in row else "value"
            return f"{fmt_cell(key, a)}–{fmt_cell(key, b)}"
    return fmt_cell(col, row.get(col))


def compact_tables(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The result's tables cut to the columns of their metric family (:data:`COMPACT_COLUMNS`,
    else the first :data:`COMPACT_MAX` columns), split by feature (one small table each, the
    feature as its caption), intervals in one column, at most :data:`COMPACT_ROWS` rows per
    table, values formatted for people (percentages, ratios, p-values as ``< 0.001``)."""
    out = []
    check = str(result.get("check"))
    for name, rows in (result.get("tables") or {}).items():
        if not rows or (check, name) in COMPACT_SKIP:
            continue
        cols = table_columns(rows)
        wanted = COMPACT_COLUMNS.get((check, name))
        keep = [c for c in wanted if c in cols] if wanted else cols[:COMPACT_MAX]
        present = [c for c in keep if any(r.get(c) is not None for r in rows)]
        hidden = len(cols) - len(present)
        by_feature: dict[str, list[Mapping[str, Any]]] = {}
        if "feature" in present:
            for r in rows:
                by_feature.setdefault(str(r.get("feature")), []).append(r)
            present = [c for c in present if c != "feature"]
        else:
            by_feature[""] = list(rows)
        columns = _merge_intervals(present)
        for feature, frows in by_feature.items():
            shown = frows[:COMPACT_ROWS]
            out.append(
                {
                    "name": f"{name}: {feature.replace('×', ' × ')}" if feature else name,
                    "columns": columns,
                    "rows": [{c: _cell(r, c) for c in columns} for r in shown],
                    "total": len(frows),
                    "hidden_columns": hidden,
                    "print": (check, name) in PRINT_TABLES,
                }
            )
    return out


#: metadata keys of audit.yaml shown in the scope, with their labels (in this order); any other
#: scalar key is shown after them under its own name
CONTEXT_KEYS = (
    (("system", "aedt"), "System audited"),
    (("system_version", "model_version"), "System version"),
    (("employer", "deployer", "organisation", "organization"), "Organisation using the system"),
    (("provider",), "Provider of the system"),
    (("purpose", "intended_use"), "Purpose"),
    (("data_source", "data_source_description"), "Data source"),
    (("data_source_explanation", "data_explanation"), "About the data"),
    (("data_period", "period"), "Period the data covers"),
    (("label_provenance", "labels"), "Where the labels come from"),
    (("auditor", "independent_auditor"), "Auditor"),
    (("audit_date",), "Audit date"),
    (("aedt_distribution_date", "distribution_date"), "Distributed since"),
)
_NOT_CONTEXT = {"title", "signoff", "limitations", "classification", "audit_type", "ll144"}


def context_rows(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The audit config's ``metadata:`` as (label, value) rows for the scope section."""
    raw = (data.get("subject") or {}).get("metadata") or {}
    meta: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    out: list[tuple[str, str]] = []
    used: set[str] = set()
    for keys, label in CONTEXT_KEYS:
        for k in keys:
            if meta.get(k) not in (None, "") and not isinstance(meta.get(k), (Mapping, list)):
                out.append((label, str(meta[k])))
                used.update(keys)
                break
    for k, v in meta.items():
        if k in used or k in _NOT_CONTEXT or v in (None, "") or isinstance(v, (Mapping, list)):
            continue
        out.append((str(k).replace("_", " ").capitalize(), str(v)))
    return out


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
    dropped: dict[str, Mapping[str, Any]] = {}
    for item in base.get("not_evaluated") or []:
        for x in item.get("dropped") or []:
            dropped.setdefault(str(x.get("input")), x)
    return {
        **base,
        "failed_regressions": [r for r in base.get("regressions", []) if r.get("failed")],
        # a report of an older auditor has none of these: empty, so templates need no guards
        "counts": {"not_evaluated": 0, **(base.get("counts") or {})},
        "not_evaluated": [
            {"inputs": [], "dropped": [], "findings": [], "name": None, **x}
            for x in base.get("not_evaluated") or []
        ],
        "notes": list(base.get("notes") or []),
        # the policy's dropped_inputs that excused a check not evaluated (shown once, with why)
        "dropped_inputs": [{"approved_by": None, "ticket": None, **x} for x in dropped.values()],
    }


#: how a report's ``inputs.documents[].kind`` reads in a sentence
DOCUMENT_KINDS = {"model_card": "model card", "datasheet": "datasheet"}


def _file_name(path: Any) -> str:
    """The last part of a recorded path (``/a/b/README.md`` and ``a\\b\\README.md`` ->
    ``README.md``)."""
    text = str(path or "").replace("\\", "/").rstrip("/")
    return text.rsplit("/", 1)[-1] or text


def documentation_scope(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """A documentation-only audit (``inputs.scope`` ``documentation``: a model card and/or a
    datasheet and no dataset), for readers: ``title`` ("Documentation review of README.md"),
    ``documents`` (role, name, path, sha256), ``skipped`` (the checks skipped because there was
    no data) and ``reason``, and ``sentence`` saying all of it. ``None`` for an audit of data."""
    inputs = data.get("inputs") or {}
    if not isinstance(inputs, Mapping) or inputs.get("scope") != "documentation":
        return None
    docs = [
        {
            "role": DOCUMENT_KINDS.get(str(d.get("kind")), str(d.get("kind") or "document")),
            "name": _file_name(d.get("path")),
            "path": d.get("path"),
            "sha256": d.get("sha256"),
        }
        for d in inputs.get("documents") or []
        if isinstance(d, Mapping)
    ]
    skipped = [
        r
        for r in data.get("results", [])
        if r.get("status") == "skipped" and "data" in (r.get("missing_inputs") or ())
    ]
    names = " and ".join(str(d["name"]) for d in docs) or "the documentation"
    what = " and ".join(f"the {d['role']} {d['name']}" for d in docs) or "the documentation"
    n = len(skipped)
    sentence = f"Documentation review of {what}: no dataset or model was given"
    if n:
        sentence += (
            f", so the {n} check{'s' if n != 1 else ''} that need{'s' if n == 1 else ''} data "
            "(fairness, personal data, claims checked against measurement) "
            f"{'was' if n == 1 else 'were'} skipped"
        )
    sentence += "; the verdict covers what the documents state, not how the system behaves."
    return {
        "title": f"Documentation review of {names}",
        "documents": docs,
        "skipped": [str(r["check"]) for r in skipped],
        "reason": next(iter(str(skipped[0].get("detail") or "").splitlines()), "")
        if skipped
        else "",
        "sentence": sentence,
    }


def attention_groups(results: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Skipped and errored checks grouped by status and reason (the first line of the detail),
    in report order: ``{status, reason, checks}``; 23 checks skipped because no dataset was given
    are one line, not 23."""
    groups: dict[tuple[str, str], list[str]] = {}
    for r in results:
        if r.get("status") not in ("errored", "skipped"):
            continue
        lines = str(r.get("detail") or r.get("summary") or "").splitlines()
        key = (str(r["status"]), lines[0] if lines else "")
        groups.setdefault(key, []).append(str(r["check"]))
    return [
        {"status": status, "reason": reason, "checks": checks}
        for (status, reason), checks in groups.items()
    ]


def build_view(data: Mapping[str, Any], max_rows: int | None = None) -> dict[str, Any]:
    results = list(data.get("results", []))
    problems = problems_of(data)
    findings = problems  # every finding, problem-ordered (kept under both names for templates)
    families: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        item = {**r, "table_list": _tables(r, max_rows), "criteria": check_summary(r),
                "compact_tables": compact_tables(r)}  # fmt: skip
        item["finding_list"] = [f for f in problems if f["check"] == r["check"]]
        item["recommendations"] = list(
            dict.fromkeys(
                f["recommendation"] for f in item["finding_list"] if f.get("recommendation")
            )
        )
        families.setdefault(r["family"], []).append(item)
    attention = [r for r in results if r["status"] in ("errored", "skipped")]
    key, label = verdict_label(data)
    open_findings = [f for f in problems if f["status"] == "failed"]
    blocking = [f for f in problems if f["blocking"]]
    gate = data.get("gate") or {}
    fam_views = []
    for k in sorted(families, key=lambda x: FAMILY_ORDER.index(x) if x in FAMILY_ORDER else 9):
        v = families[k]
        fam_findings = [f for r in v for f in r["finding_list"]]
        fam_views.append(
            {
                "key": k,
                "title": FAMILY_TITLES.get(k, k),
                "results": v,
                "problems": [f for f in fam_findings if f["status"] == "failed"],
                "open": sum(1 for f in fam_findings if f["status"] == "failed"),
                "blocking": sum(1 for f in fam_findings if f["blocking"]),
                "waived": sum(1 for f in fam_findings if f["status"] == "waived"),
                "statuses": {s: sum(1 for r in v if r["status"] == s) for s in _STATUSES},
                # every check of the area skipped because no dataset was given (a review of the
                # documents alone): the area is "not assessed", not a table of identical skips
                "no_data": all(
                    r["status"] == "skipped" and "data" in (r.get("missing_inputs") or ())
                    for r in v
                ),
            }
        )
    blocking_items = list(gate.get("blocking", []))
    return {
        "data": data,
        "verdict_key": key,
        "verdict_label": label,
        "verdict_text": VERDICT_TEXT.get(key, ""),
        "recommendation": RECOMMENDATION.get(key, ""),
        "findings": findings,
        "problems": problems,
        "open_findings": open_findings,
        "blocking_findings": blocking,
        "not_blocking": [f for f in open_findings if not f["blocking"]],
        "top_problems": top_problems(problems),
        "blocking_ids": {f["id"] for f in blocking},
        "blocking_count": len(blocking_items),
        "blocking_other": [b for b in blocking_items if not b.get("finding")],
        "gate_text": gate_text(data),
        "waived_findings": [f for f in problems if f["status"] == "waived"],
        "families": fam_views,
        "attention": attention,
        "severity_order": SEVERITY_ORDER,
        "baseline": _baseline(data),
        "engine": engine_view(data),
        "context": context_rows(data),
        "documentation_only": _documentation_view(data, attention),
    }


def _documentation_view(
    data: Mapping[str, Any], attention: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """:func:`documentation_scope` plus ``not_run``: the checks that did not run, grouped by
    reason (:func:`attention_groups`)."""
    scope = documentation_scope(data)
    return {**scope, "not_run": attention_groups(attention)} if scope else None


def gate_text(data: Mapping[str, Any]) -> str:
    """``fail on high and above`` (``, new findings only`` with a baseline gate)."""
    gate = data.get("gate") or {}
    text = f"fail on {gate.get('fail_on', 'high')} and above"
    if gate.get("mode") == "new":
        text += ", findings new since the baseline only"
    return text


_STATUSES = ("passed", "failed", "waived", "skipped", "errored")
