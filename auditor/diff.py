"""Compare two canonical reports: what appeared, disappeared and moved, with numbers.

Findings are matched on their stable id. Measured metrics are compared row by row in the tables
both runs share (see :mod:`auditor.baseline`); the regression rules of the newer report's policy
are evaluated too, so ``auditor diff`` shows exactly what ``--baseline`` would gate on: numbers
within the relative tolerance are the same, seed-dependent values of runs with different seeds
are a note (not changes), and the findings of checks that did not run in the newer report are
"not evaluated" (by check, with the reason), not "resolved".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeGuard

from .baseline import (
    RAN,
    compare_reports,
    finding_changes,
    findings_by_id,
    noise_between,
    parse_regressions,
)
from .baseline import format_value as _g
from .render.view import SEVERITY_ORDER
from .text import md_escape, visible_text

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


def diff_reports(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """What appeared, disappeared (both by severity) and moved. Finding states come from
    :func:`auditor.baseline.compare_reports`, the comparison ``--baseline`` gates on: a finding
    is changed exactly when the baseline would call it ``updated`` (severity, status, message or
    any evidence value, lists included)."""
    a, b = findings_by_id(old), findings_by_id(new)
    cmp = compare_reports(old, new, parse_regressions(_rules(new), "regressions"))
    noise = noise_between(old, new)
    changed = []
    for fid in sorted(
        (i for i, state in cmp["states"].items() if state == "updated"),
        key=lambda i: _by_severity(b[i]),
    ):
        fa, fb = a[fid], b[fid]
        ch = finding_changes(fa, fb, noise)  # the comparison that called it "updated"
        changed.append(
            {"id": fid, "check": fb["check"], "location": fb["location"],
             "discriminator": fb.get("discriminator") or "", "severity": fb.get("severity"),
             "changes": ch.moves, "deltas": ch.deltas, "evidence": ch.evidence}
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
        "not_evaluated": cmp["not_evaluated"],
        "notes": cmp["notes"],
        "changed": changed,
        "status_changes": status_moves,
        "metrics": cmp["deltas"],
        "metrics_total": cmp["deltas_total"],
        "regressions": cmp["regressions"],
    }  # fmt: skip


def _md(text: Any) -> str:
    """A value of either report as Markdown text (never a link, image, HTML or table cell)."""
    return md_escape(text)


def _disc(f: Mapping[str, Any], esc: Any) -> str:
    """`` [demographic_parity_ratio]``: what tells findings at the same location apart."""
    disc = str(f.get("discriminator") or "")
    return f" [{esc(disc)}]" if disc else ""


def _why(c: Mapping[str, Any], esc: Any) -> str:
    """``skipped (no model card: give --card PATH); missing input: card; blocks the gate; 2 findings
    of the baseline not evaluated``."""
    if c["status"] == "not run":
        status = f"not run: {esc(c['reason'])}"
    elif c["status"] in RAN:
        status = f"ran, but {esc(c['reason'])}"
    else:
        status = f"{esc(c['status'])} ({esc(c['reason'])})"
    parts = [status]
    if c["inputs"]:
        parts.append(f"missing input: {esc(', '.join(c['inputs']))}")
    for dropped in c.get("dropped") or []:
        parts.append(
            f"dropped on purpose by the policy ({esc(dropped.get('input'))}: "
            f"{esc(dropped.get('reason'))})"
        )
    if c["blocking"]:
        parts.append("blocks the gate")
    n = len(c["findings"])
    parts.append(f"{n} finding{'s' if n != 1 else ''} of the baseline not evaluated")
    return "; ".join(parts)


def format_diff(d: Mapping[str, Any], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(d, indent=2, ensure_ascii=False) + "\n"
    md = fmt == "md"
    esc = _md if md else visible_text  # a report's values are untrusted: escape every one
    bullet = "- " if md else "  "
    failed = [r for r in d["regressions"] if r["failed"]]
    unevaluated = d.get("not_evaluated") or []
    n_uneval = sum(len(c["findings"]) for c in unevaluated)
    lines = [
        f"{'## ' if md else ''}auditor diff: verdict {esc(d['old']['verdict'])} -> "
        f"{esc(d['new']['verdict'])}",
        "",
        f"{len(d['appeared'])} new, {len(d['disappeared'])} resolved"
        f"{f', {n_uneval} not evaluated' if unevaluated else ''} and {len(d['changed'])} changed "
        f"findings; {d['metrics_total']} metric changes; {len(failed)} regressions beyond tolerance "
        f"(runs {esc(d['old']['run'])} -> {esc(d['new']['run'])})",
    ]
    for note in d.get("notes") or []:
        lines.append(f"{'> ' if md else ''}Note: {esc(note)}")
    blocking = [c for c in unevaluated if c["blocking"]]
    if blocking:
        names = ", ".join(sorted({i for c in blocking for i in c["inputs"]}))
        lines.append(
            f"{'**' if md else ''}{len(blocking)} check{'s' if len(blocking) != 1 else ''} "
            f"lost an input {'they' if len(blocking) != 1 else 'it'} had in the baseline "
            f"({esc(names)}): not evaluated, which fails a baseline gate unless the policy lists "
            f"the input under dropped_inputs{'**' if md else ''}"
        )
    for title, key in (("New", "appeared"), ("Resolved", "disappeared")):
        if d[key]:
            lines += ["", f"{'### ' if md else ''}{title} findings:"]
            lines += [
                f"{bullet}[{esc(f['severity'])}] {esc(f['check'])} {esc(f['location'])}"
                f"{_disc(f, esc)}: {esc(f['message'])}"
                for f in d[key]
            ]
    if unevaluated:
        lines += [
            "",
            f"{'### ' if md else ''}Not evaluated (an input is missing or the check did not run):",
        ]
        for c in unevaluated:
            lines.append(f"{bullet}{esc(c['check'])} {_why(c, esc)}")
            lines += [
                f"{'  ' + bullet}[{esc(f['severity'])}] {esc(f['location'])}: {esc(f['message'])}"
                for f in c["findings"]
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
                f"{bullet}[{esc(c['severity'])}] {esc(c['check'])} {esc(c['location'])}"
                f"{_disc(c, esc)}: "
                f"{'; '.join(parts)}"
            )
    if failed:
        lines += ["", f"{'### ' if md else ''}Regressions beyond tolerance:"]
        lines += [
            f"{bullet}{esc(r['check'])} {esc(r['subject'])}: {esc(r['metric'])} {_g(r['old'])} -> "
            f"{_g(r['new'])} ({r['delta']:+.6g}; allowed {esc(r['rule'])})"
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
                    f"| {esc(m['check'])} | {esc(m['table'])} | {esc(m['subject'])} | {esc(m['metric'])} "
                    f"| {_g(m['old'])} | {_g(m['new'])} | {m['delta']:+.6g} |"
                )
            else:
                lines.append(
                    f"{bullet}{esc(m['check'])} {esc(m['table'])} {esc(m['subject'])}: {esc(m['metric'])} "
                    f"{_g(m['old'])} -> {_g(m['new'])} ({m['delta']:+.6g})"
                )
        if d["metrics_total"] > MAX_METRIC_LINES:
            lines.append(
                f"{bullet}... {d['metrics_total'] - MAX_METRIC_LINES} more (--format json)"
            )
    if d["status_changes"]:
        lines += ["", f"{'### ' if md else ''}Check status:"]
        lines += [
            f"{bullet}{esc(s['check'])}: {esc(s['old'] or 'not run')} -> {esc(s['new'] or 'not run')}"
            for s in d["status_changes"]
        ]
    return "\n".join(lines) + "\n"
