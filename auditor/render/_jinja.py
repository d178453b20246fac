"""The one jinja2 Environment: autoescaped HTML, strict undefined, templates from ``reports/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from ..resources import templates_dir

__all__ = ["environment", "md_cell"]


def md_cell(value: Any) -> str:
    """Escape a value for a GitHub-flavoured Markdown table cell."""
    if value is None:
        return "—"
    text = str(value)
    for ch in ("\\", "|", "`", "*", "_", "[", "]", "<", ">", "#"):
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def md_text(value: Any) -> str:
    """Escape free text for Markdown prose (HTML-like text must not become markup)."""
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fmt_num(value: Any, digits: int = 3) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.4g}"
    return str(value)


def environment(templates: Path | None = None, strict: bool = True) -> jinja2.Environment:
    search = [str(templates)] if templates else []
    search.append(str(templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2", "xml"), default=False),
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_cell"] = md_cell
    env.filters["md_text"] = md_text
    env.filters["num"] = fmt_num
    return env
