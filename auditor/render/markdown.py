"""GitHub-flavoured Markdown report (PR comment / step summary), at most 60,000 characters."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._jinja import environment
from .view import build_view

__all__ = ["MAX_CHARS", "render_markdown"]

MAX_CHARS = 60_000


def render_markdown(data: Mapping[str, Any], templates: Path | None = None, max_rows: int = 50) -> str:
    env = environment(templates)
    text = env.get_template("report.md.j2").render(**build_view(data, max_rows=max_rows))
    if len(text) > MAX_CHARS:
        note = (
            "\n\n---\n**Truncated** to fit a pull-request comment: the full report is in "
            "`audit.html` / `audit.json` next to this file.\n"
        )
        cut = text.rfind("\n", 0, MAX_CHARS - len(note))
        text = text[: max(cut, 0)] + note
    return text
