"""Compare two canonical reports: what appeared, disappeared and moved, with numbers.

Findings are matched on their stable id. Measured metrics are compared row by row in the tables
both runs share (see :mod:`auditor.baseline`); the regression rules of the newer report's policy
are evaluated too, so ``auditor diff`` shows exactly what ``--baseline`` would gate on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeGuard

from .baseline import compare_reports, findings_by_id, parse_regressions
from .baseline import format_value as _g
from .render.view import SEVERITY_ORDER

__all__ = ["diff_reports", "format_diff"]

MAX_METRIC_LINES = 30


def _rules(new: Mapping[str, Any]) -> dict[str, Any]:
    raw = ((new.get("policy") or {}).get("resolved") or {}).get("regressions") or []
    out: dict[str, Any] = {}
    for item in raw:
        if isinstance(item, Mapping) and "key" in item:
            out[str(item["key"])] = {k: v for k, v in item.items() if k != "key"}
    return out


def _by_severity(f: Mapping[str, Any]) -> tuple[Any, ...]:
    sev = f.get("severity")
    rank = SEVERITY_ORDER.index(sev) if sev in SEVERITY_ORDER else len(SEVERITY_ORDER)
    return (rank, str(f.get("check")), str(f.get("location")), str(f.get("id")))


def _short(value: Any, limit: int = 80) -> str:
    text = (
        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(value: Any) -> Any:
    """A number or a list of numbers as people read it: ``0.0878446``, ``[0.335159, 0.666689]``."""
    if _is_number(value):
        return _g(value)
    if isinstance(value, list) and value and all(_is_number(v) for v in value):
        return "[" + ", ".join(_g(v) for v in value) + "]"
    return value


def _is_number(x: Any) -> TypeGuard[float]:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


ROW = object()  # the marker of an evidence row in :func:`_flat`
#: what names a row of a per-group / per-metric evidence list (``groups[Female].impact_ratio``)
ROW_KEYS = ("group", "metric", "feature", "column", "field", "entity", "name")


def _flat(evidence: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A finding's evidence as flat ``key -> value`` pairs, so a change inside its per-group or
    per-metric rows shows as that row's number: ``groups[Female].impact_ratio`` (rows named by
    :data:`ROW_KEYS`, else their index; ``groups[Female]`` itself marks that the row is there),
    ``gap.ece`` for a nested mapping, a non-finite number by its name (``nan``). Lists of
    plain values stay whole."""
    out: dict[str, Any] = {}
    flags = evidence.get("_nonfinite")
    for key, value in evidence.items():
        if key == "_nonfinite":
            continue
        name = f"{prefix}.{key}" if prefix else str(key)
        if value is None and isinstance(flags, Mapping) and isinstance(flags.get(key), str):
            value = flags[key]  # a non-finite number: "nan", "inf", "-inf"
        if isinstance(value, Mapping):
            out.update(_flat(value, name))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            seen: set[str] = set()
            for i, row in enumerate(value):
                by = next((k for k in ROW_KEYS if row.get(k) is not None), None)
                ident = str(row[by]) if by else str(i)
                if ident in seen:
                    ident = f"{ident}#{i}"
                seen.add(ident)
                out[f"{name}[{ident}]"] = ROW
                out.update(_flat({k: v for k, v in row.items() if k != by}, f"{name}[{ident}]"))
        else:
            out[name] = value
    return out


def diff_reports(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """What appeared, disappeared (both by severity) and moved. Finding states come from
    :func:`auditor.baseline.compare_reports`, the comparison ``--baseline`` gates on: a finding
    is changed exactly when the baseline would call it ``updated`` (severity, status, message or
    any evidence value, lists included)."""
    a, b = findings_by_id(old), findings_by_id(new)
    cmp = compare_reports(old, new, parse_regressions(_rules(new), "regressions"))
    changed = []
    for fid in sorted(
        (i for i, state in cmp["states"].items() if state == "updated"),
        key=lambda i: _by_severity(b[i]),
    ):
        fa, fb = a[fid], b[fid]
        moves = {
            k: [fa.get(k), fb.get(k)]
            for k in ("severity", "status", "message")
            if fa.get(k) != fb.get(k)
        }
        ev_a, ev_b = _flat(fa.get("evidence") or {}), _flat(fb.get("evidence") or {})
        deltas: dict[str, Any] = {}
        evidence: dict[str, Any] = {}
        keys = [*ev_b, *(k for k in ev_a if k not in ev_b)]
        # a row only one run has is one change ("absent -> present"), not one per number in it
        lone = {k for k in keys if (ev_a.get(k) is ROW) != (ev_b.get(k) is ROW)}
        for key in keys:
            va, vb = ev_a.get(key), ev_b.get(key)
            if va == vb or any(key.startswith(f"{row}.") for row in lone):
                continue
            if key in lone:
                evidence[key] = ["present" if va is ROW else "absent",
                                 "present" if vb is ROW else "absent"]  # fmt: skip
                continue
            if _is_number(va) and _is_number(vb):
                deltas[key] = {"old": va, "new": vb, "delta": vb - va}
            else:
                evidence[key] = [va, vb]
        changed.append(
            {"id": fid, "check": fb["check"], "location": fb["location"],
             "discriminator": fb.get("discriminator") or "", "severity": fb.get("severity"),
             "changes": moves, "deltas": deltas, "evidence": evidence}
        )  # fmt: skip
    old_status = {r["check"]: r["status"] for r in old.get("results", [])}
    status_moves = [
        {"check": r["check"], "old": old_status.get(r["check"]), "new": r["status"]}
        for r in new.get("results", [])
        if old_status.get(r["check"]) != r["status"]
    ]
    new_ids = {r["check"] for r in new.get("results", [])}
    status_moves += [
        {"check": c, "old": s, "new": None} for c, s in old_status.items() if c not in new_ids
    ]
    return {
        "old": {"run": (old.get("run") or {}).get("id"), "verdict": old.get("verdict"),
                "started_at": (old.get("run") or {}).get("started_at")},
        "new": {"run": (new.get("run") or {}).get("id"), "verdict": new.get("verdict"),
                "started_at": (new.get("run") or {}).get("started_at")},
        "counts": cmp["counts"],
        "appeared": sorted(
            (b[i] for i, state in cmp["states"].items() if state == "new"), key=_by_severity
        ),
        "disappeared": sorted((a[f["id"]] for f in cmp["absent"]), key=_by_severity),
        "changed": changed,
        "status_changes": status_moves,
        "metrics": cmp["deltas"],
        "metrics_total": cmp["deltas_total"],
        "regressions": cmp["regressions"],
    }  # fmt: skip


def _md(text: Any) -> str:
    s = str(text)
    for ch in ("\\", "|", "`", "*", "_", "[", "]", "<", ">"):
        s = s.replace(ch, "\\" + ch)
    return " ".join(s.split())


def _disc(f: Mapping[str, Any], esc: Any) -> str:
    """`` [demographic_parity_ratio]``: what tells findings at the same location apart."""
    disc = str(f.get("discriminator") or "")
    return f" [{esc(disc)}]" if disc else ""


def format_diff(d: Mapping[str, Any], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(d, indent=2, ensure_ascii=False) + "\n"
    md = fmt == "md"
    esc = _md if md else str
    bullet = "- " if md else "  "
    failed = [r for r in d["regressions"] if r["failed"]]
    lines = [
        f"{'## ' if md else ''}auditor diff: verdict {d['old']['verdict']} -> {d['new']['verdict']}",
        "",
        f"{len(d['appeared'])} new, {len(d['disappeared'])} resolved and {len(d['changed'])} changed "
        f"findings; {d['metrics_total']} metric changes; {len(failed)} regressions beyond tolerance "
        f"(runs {d['old']['run']} -> {d['new']['run']})",
    ]
    for title, key in (("New", "appeared"), ("Resolved", "disappeared")):
        if d[key]:
            lines += ["", f"{'### ' if md else ''}{title} findings:"]
            lines += [
                f"{bullet}[{f['severity']}] {f['check']} {esc(f['location'])}"
                f"{_disc(f, esc)}: {esc(f['message'])}"
                for f in d[key]
            ]
    if d["changed"]:
        lines += ["", f"{'### ' if md else ''}Changed findings:"]
        for c in d["changed"]:
            parts = [f"{k} {esc(v[0])} -> {esc(v[1])}" for k, v in c["changes"].items()]
            parts += [
                f"{esc(k)} {_g(v['old'])} -> {_g(v['new'])} ({v['delta']:+.6g})"
                for k, v in c["deltas"].items()
            ]
            parts += [
                f"{esc(k)} {esc(_short(_plain(v[0])))} -> {esc(_short(_plain(v[1])))}"
                for k, v in c.get("evidence", {}).items()
            ]
            lines.append(
                f"{bullet}[{c['severity']}] {c['check']} {esc(c['location'])}{_disc(c, esc)}: "
                f"{'; '.join(parts)}"
            )
    if failed:
        lines += ["", f"{'### ' if md else ''}Regressions beyond tolerance:"]
        lines += [
            f"{bullet}{r['check']} {esc(r['subject'])}: {r['metric']} {_g(r['old'])} -> "
            f"{_g(r['new'])} ({r['delta']:+.6g}; allowed {r['rule']})"
            for r in failed
        ]
    if d["metrics"]:
        lines += ["", f"{'### ' if md else ''}Metric changes (largest first):"]
        if md:
            lines += ["", "| Check | Table | Subject | Metric | Old | New | Change |",
                      "|---|---|---|---|---:|---:|---:|"]  # fmt: skip
        for m in d["metrics"][:MAX_METRIC_LINES]:
            if md:
                lines.append(
                    f"| {m['check']} | {esc(m['table'])} | {esc(m['subject'])} | {esc(m['metric'])} "
                    f"| {_g(m['old'])} | {_g(m['new'])} | {m['delta']:+.6g} |"
                )
            else:
                lines.append(
                    f"{bullet}{m['check']} {m['table']} {m['subject']}: {m['metric']} "
                    f"{_g(m['old'])} -> {_g(m['new'])} ({m['delta']:+.6g})"
                )
        if d["metrics_total"] > MAX_METRIC_LINES:
            lines.append(
                f"{bullet}... {d['metrics_total'] - MAX_METRIC_LINES} more (--format json)"
            )
    if d["status_changes"]:
        lines += ["", f"{'### ' if md else ''}Check status:"]
        lines += [
            f"{bullet}{s['check']}: {s['old'] or 'not run'} -> {s['new'] or 'not run'}"
            for s in d["status_changes"]
        ]
    return "\n".join(lines) + "\n"
