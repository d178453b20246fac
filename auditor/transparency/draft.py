"""``auditor card draft``: a model_card.yaml skeleton pre-filled with what the audit measured (metrics
overall and by group, PII summary, dataset fingerprint, artifact digest) and every field the chosen
standards require marked ``TODO`` with the clauses that ask for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import yaml

from .._version import __version__
from .claims_data import PII_KINDS
from .measured import artifact_metadata, column_scan, group_rows, overall_metrics
from .requirements import FieldRule
from .schema import SCHEMA, iter_leaves

if TYPE_CHECKING:
    from ..context import Context

__all__ = ["TODO", "draft_card", "measured_content"]

TODO = "TODO"
TYPES = dict(iter_leaves())


def _try(fn: Any, notes: list[str], what: str) -> Any:
    try:
        return fn()
    except Exception as exc:  # Skip included: the draft says what could not be measured
        notes.append(f"{what} not measured: {exc}")
        return None


def _round(v: Any) -> Any:
    return round(float(v), 4) if isinstance(v, float) else v


def measured_content(ctx: Context, notes: list[str]) -> dict[str, Any]:
    """Dotted key -> value measured by the audit (what the draft pre-fills)."""
    out: dict[str, Any] = {}
    info = ctx.dataset_info
    if info is not None:
        entry = {"id": info.path or "in-memory DataFrame", "sha256": info.sha256, "rows": info.rows}
        out["data.evaluation"] = [{k: v for k, v in entry.items() if v is not None}]
        if info.sha256:
            out["data.fingerprint"] = info.sha256
    overall = _try(lambda: overall_metrics(ctx), notes, "overall metrics") or {}
    values = {k: _round(v) for k, v in overall.items() if v is not None}
    if values:
        source = info.path if info and info.path else "audit data"
        out["metrics"] = [{"name": k} for k in values]
        out["results.overall"] = [
            {"metric": k, "value": v, "dataset": source} for k, v in values.items()
        ]
    groups = _try(lambda: group_rows(ctx), notes, "group metrics") if ctx.sensitive else None
    if groups:
        rows: list[dict[str, Any]] = []
        worst: dict[str, float] = {}
        for g in groups:
            for metric in ("selection_rate", "impact_ratio", "tpr", "fpr", "accuracy"):
                v = g.get(metric)
                if isinstance(v, (int, float)):
                    rows.append({"feature": str(g.get("feature")), "group": str(g.get("group")),
                                 "metric": metric, "value": _round(v), "n": g.get("n")})  # fmt: skip
            ir = g.get("impact_ratio")
            if isinstance(ir, (int, float)):
                f = str(g.get("feature"))
                worst[f] = min(worst.get(f, float("inf")), float(ir))
        out["results.by_group"] = rows
        out["fairness.claims"] = [
            {"metric": "impact_ratio", "feature": f, "value": _round(v)} for f, v in worst.items()
        ]
    scan = _try(lambda: column_scan(ctx), notes, "PII scan")
    if scan is not None:
        flagged = [r for r in scan if r.get("kind") in PII_KINDS]
        out["data.contains_pii"] = bool(flagged)
        parts = []
        for kind in (*PII_KINDS, "quasi_identifier"):
            cols = [str(r.get("column")) for r in scan if r.get("kind") == kind]
            if cols:
                parts.append(f"{kind.replace('_', ' ')}: {', '.join(cols)}")
        out["data.pii_description"] = "auditor PII scan: " + (
            "; ".join(parts) if parts else "no personal data flagged"
        )
        special = [str(r.get("column")) for r in scan if r.get("kind") == "special_category"]
        sensitive = list(dict.fromkeys([*special, *ctx.sensitive]))
        if sensitive:
            out["data.sensitive_attributes"] = sensitive
    elif ctx.sensitive:
        out["data.sensitive_attributes"] = list(ctx.sensitive)
    meta = _try(lambda: artifact_metadata(ctx), notes, "model artifact") or {}
    if meta.get("version"):
        out["model.version"] = str(meta["version"])
    if meta.get("sha256"):
        out["model.sha256"] = meta["sha256"]
    info_m = ctx.model_info
    if info_m is not None and info_m.framework and info_m.kind != "predictions":
        out["software.dependencies"] = [f"{info_m.framework} {info_m.version or ''}".strip()]
    out["card.date"] = ctx.today.isoformat()
    return out


def _empty(tp: Any) -> Any:
    if isinstance(tp, list):
        return []
    if isinstance(tp, Mapping):
        return {}
    return None if tp in ("bool", "number", "date") else TODO


def _set(tree: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = tree
    for p in parts[:-1]:
        child = node.get(p)
        if not isinstance(child, dict):
            child = node[p] = {}
        node = child
    node.setdefault(parts[-1], value)


def _emit(
    tree: Mapping[str, Any], comments: Mapping[str, str], prefix: str, indent: int
) -> list[str]:
    lines: list[str] = []
    pad = "  " * indent
    order = list(SCHEMA if not prefix else TYPES.get(prefix.rstrip("."), {}) or {})
    keys = sorted(tree, key=lambda k: order.index(k) if k in order else len(order))
    for key in keys:
        value = tree[key]
        full = f"{prefix}{key}"
        note = f"  # {comments[full]}" if full in comments else ""
        if isinstance(value, dict) and value and isinstance(TYPES.get(full), Mapping):
            lines.append(f"{pad}{key}:{note}")
            lines.extend(_emit(value, comments, f"{full}.", indent + 1))
            continue
        dumped = yaml.safe_dump(
            value, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=None
        ).rstrip("\n")
        dumped = dumped.removesuffix("\n...").rstrip()
        if isinstance(value, (list, dict)) and value and dumped[:1] in "[{" and "\n" not in dumped:
            lines.append(f"{pad}{key}: {dumped}{note}")
        elif isinstance(value, (list, dict)) and value:
            lines.append(f"{pad}{key}:{note}")
            lines.extend(f"{pad}  {ln}" for ln in dumped.splitlines())
        else:
            lines.append(f"{pad}{key}: {dumped}{note}")
    return lines


def draft_card(
    ctx: Context, rules: Sequence[FieldRule], standards: Sequence[str]
) -> tuple[str, int, int]:
    """(YAML text, number of pre-filled fields, number of fields left TODO)."""
    notes: list[str] = []
    measured = measured_content(ctx, notes)
    tree: dict[str, Any] = {"schema_version": 1}
    comments: dict[str, str] = {}
    for key, value in measured.items():
        _set(tree, key, value)
        comments[key] = "measured by auditor: check it"
    comments["card.date"] = "date of this draft"
    clauses: dict[str, list[str]] = {}
    for rule in rules:
        if rule.field.startswith("datasheet."):
            continue
        clauses.setdefault(rule.field, []).append(f"{rule.standard} {rule.clause}")
    todo = 0
    for key, cited in clauses.items():
        if key in measured:
            what = "date of this draft" if key == "card.date" else "measured by auditor: check it"
            comments[key] = f"{what}; required by {'; '.join(dict.fromkeys(cited))}"
            continue
        _set(tree, key, _empty(TYPES.get(key)))
        comments[key] = f"TODO required by {'; '.join(dict.fromkeys(cited))}"
        todo += 1
    header = [
        f"# Model card draft written by auditor {__version__} on {dt.date.today().isoformat()}.",
        f"# Standards: {', '.join(standards)}. Schema: docs/transparency.md (schema_version 1).",
        "# Values marked 'measured by auditor' come from the audit data; every TODO is a field a",
        "# standard requires: fill it in, or answer `not_applicable: {reason: ...}`.",
        *(f"# Note: {n}" for n in notes),
        "",
    ]
    text = "\n".join(header + _emit(tree, comments, "", 0)) + "\n"
    return text, len(measured), todo
