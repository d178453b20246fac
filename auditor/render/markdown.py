"""GitHub-flavoured Markdown report (PR comment / step summary), at most 60,000 characters."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._jinja import environment
from .view import build_view

__all__ = ["MAX_CHARS", "render_markdown", "truncate_markdown"]

MAX_CHARS = 60_000
NOTE = (
    "\n\n---\n**Truncated** to fit a pull-request comment ({limit:,} characters): the full report "
    "is in `audit.html` and `audit.json` next to this file (the CI run's report artifact).\n"
)


def truncate_markdown(text: str, limit: int = MAX_CHARS) -> str:
    """Cut at a line boundary, close any open ``<details>``, and say where the full report is."""
    if len(text) <= limit:
        return text
    note = NOTE.format(limit=limit)
    budget = limit - len(note) - len("\n</details>") * 4
    cut = text.rfind("\n", 0, budget)
    kept = text[: max(cut, 0)]
    open_details = kept.count("<details>") - kept.count("</details>")
    kept += "\n\n</details>" * max(open_details, 0)
    return kept + note


def render_markdown(
    data: Mapping[str, Any], templates: Path | None = None, max_rows: int = 50,
    limit: int = MAX_CHARS,
) -> str:  # fmt: skip
    env = environment(templates)
    text = env.get_template("report.md.j2").render(**build_view(data, max_rows=max_rows))
    return truncate_markdown(text, limit)
