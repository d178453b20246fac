"""Self-contained HTML report (inline CSS, no script, no external URL), autoescaped."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._jinja import environment
from .view import build_view

__all__ = ["render_html"]


def render_html(data: Mapping[str, Any], templates: Path | None = None, max_rows: int = 500) -> str:
    env = environment(templates)
    return env.get_template("report.html.j2").render(**build_view(data, max_rows=max_rows))
