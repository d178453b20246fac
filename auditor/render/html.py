"""Self-contained HTML audit document (inline CSS and SVG, no script, no external URL), autoescaped.

``render_html`` is the full document for legal readers (and the PDF); ``render_html_fragment`` is
the compact summary a notebook shows for ``Report._repr_html_``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._jinja import environment, render_template
from .document import build_document
from .view import build_view

__all__ = ["MAX_HTML_ROWS", "render_html", "render_html_fragment"]

MAX_HTML_ROWS = 1000


def render_html(
    data: Mapping[str, Any],
    templates: Path | None = None,
    max_rows: int = MAX_HTML_ROWS,
    medium: str = "html",
) -> str:
    """The audit document; ``medium="pdf"`` words the row-cap notes for the printed copy."""
    env = environment(templates)
    view = build_view(data, max_rows=max_rows)
    doc = build_document(data, view["findings"])
    return render_template(env, "report.html.j2", **view, doc=doc, medium=medium)


def render_html_fragment(data: Mapping[str, Any], templates: Path | None = None) -> str:
    env = environment(templates)
    return render_template(env, "report.fragment.html.j2", **build_view(data, max_rows=20))
