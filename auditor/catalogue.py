"""The check catalogue, generated from check docstrings (``auditor checks``, ``auditor explain``, docs/checks.md)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .check import Check
from .options import options_schema

__all__ = ["catalogue_json", "catalogue_markdown", "catalogue_rows", "catalogue_text", "explain"]


def catalogue_rows(checks: Mapping[str, Check[Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "name": c.name,
            "family": c.family,
            "severity": c.severity.label,
            "summary": c.summary,
            "requires": list(c.requires),
            "references": list(c.references),
            "options": options_schema(c.options_type),
        }
        for c in sorted(checks.values(), key=lambda c: c.id)
    ]


def catalogue_json(checks: Mapping[str, Check[Any]]) -> str:
    return json.dumps(catalogue_rows(checks), indent=2, default=str) + "\n"


def catalogue_text(checks: Mapping[str, Check[Any]]) -> str:
    rows = catalogue_rows(checks)
    width = max((len(r["name"]) for r in rows), default=4)
    lines = [f"{r['id']:<8} {r['name']:<{width}}  {r['severity']:<8} {r['summary']}" for r in rows]
    return "\n".join(lines) + "\n"


def _options_md(c: Check[Any]) -> list[str]:
    schema = options_schema(c.options_type)
    if not schema:
        return ["Options: none."]
    lines = ["| option | type | allowed | default |", "|---|---|---|---|"]
    for name, spec in schema.items():
        allowed = f"`{spec['range']}`" if spec.get("range") else ""
        lines.append(
            f"| `{name}` | `{spec['type']}` | {allowed} | "
            f"`{json.dumps(spec['default'], default=str)}` |"
        )
    return lines


def explain(c: Check[Any]) -> str:
    head = f"{c.id} {c.name} (family {c.family}, default severity {c.severity.label})"
    parts = [head, "=" * len(head), "", c.doc.strip(), ""]
    if c.requires:
        parts += [f"Requires: {', '.join(c.requires)}", ""]
    parts += _options_md(c)
    if c.references:
        parts += ["", "References:", *[f"- {r}" for r in c.references]]
    return "\n".join(parts) + "\n"


def catalogue_markdown(checks: Mapping[str, Check[Any]]) -> str:
    out = [
        "# Check catalogue",
        "",
        "Generated from the check docstrings by `auditor checks --format md`; do not edit by hand.",
        "",
        "| id | name | family | severity | summary |",
        "|---|---|---|---|---|",
    ]
    for c in sorted(checks.values(), key=lambda c: c.id):
        out.append(
            f"| [{c.id}](#{c.id.lower()}) | {c.name} | {c.family} | {c.severity.label} | {c.summary} |"
        )
    for c in sorted(checks.values(), key=lambda c: c.id):
        out += [
            "",
            f"## {c.id}",
            "",
            f"**{c.name}**, family `{c.family}`, default severity `{c.severity.label}`",
        ]
        if c.requires:
            out.append(f"; requires {', '.join(c.requires)}")
        out += ["", c.doc.strip(), "", *_options_md(c)]
        if c.references:
            out += ["", "References:", "", *[f"- {r}" for r in c.references]]
    return "\n".join(out) + "\n"
