"""Compare two canonical reports: findings that appeared, disappeared or changed, and status moves."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["diff_reports", "format_diff"]


def _findings(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f["id"]: {**f, "check": r["check"]}
        for r in data.get("results", [])
        for f in r.get("findings", [])
    }


def diff_reports(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    a, b = _findings(old), _findings(new)
    changed = []
    for fid in sorted(set(a) & set(b)):
        fa, fb = a[fid], b[fid]
        moves = {k: [fa.get(k), fb.get(k)] for k in ("severity", "status", "message") if fa.get(k) != fb.get(k)}
        deltas = {}
        for key, vb in (fb.get("evidence") or {}).items():
            va = (fa.get("evidence") or {}).get(key)
            if isinstance(va, (int, float)) and isinstance(vb, (int, float)) and va != vb:
                deltas[key] = {"old": va, "new": vb, "delta": vb - va}
        if moves or deltas:
            changed.append({"id": fid, "check": fb["check"], "location": fb["location"], "changes": moves, "deltas": deltas})
    old_status = {r["check"]: r["status"] for r in old.get("results", [])}
    status_moves = [
        {"check": r["check"], "old": old_status.get(r["check"]), "new": r["status"]}
        for r in new.get("results", [])
        if old_status.get(r["check"]) != r["status"]
    ]
    return {
        "old": {"run": old.get("run", {}).get("id"), "verdict": old.get("verdict")},
        "new": {"run": new.get("run", {}).get("id"), "verdict": new.get("verdict")},
        "appeared": [b[i] for i in sorted(set(b) - set(a))],
        "disappeared": [a[i] for i in sorted(set(a) - set(b))],
        "changed": changed,
        "status_changes": status_moves,
    }


def format_diff(d: Mapping[str, Any], fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(d, indent=2) + "\n"
    bullet = "- " if fmt == "md" else "  "
    lines = [
        f"{'## ' if fmt == 'md' else ''}verdict {d['old']['verdict']} -> {d['new']['verdict']}",
        f"{len(d['appeared'])} new, {len(d['disappeared'])} resolved, {len(d['changed'])} changed findings",
    ]
    for title, key in (("New", "appeared"), ("Resolved", "disappeared")):
        if d[key]:
            lines.append(f"{title}:")
            lines += [f"{bullet}[{f['severity']}] {f['check']} {f['location']}: {f['message']}" for f in d[key]]
    if d["changed"]:
        lines.append("Changed:")
        for c in d["changed"]:
            parts = [f"{k} {v[0]} -> {v[1]}" for k, v in c["changes"].items()]
            parts += [f"{k} {v['old']:.6g} -> {v['new']:.6g} ({v['delta']:+.6g})" for k, v in c["deltas"].items()]
            lines.append(f"{bullet}{c['check']} {c['location']}: {'; '.join(parts)}")
    if d["status_changes"]:
        lines.append("Check status:")
        lines += [f"{bullet}{s['check']}: {s['old']} -> {s['new']}" for s in d["status_changes"]]
    return "\n".join(lines) + "\n"
