"""The one jinja2 Environment: autoescaped HTML, strict undefined, templates from ``reports/``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..resources import templates_dir

__all__ = ["clip", "css_class", "css_string", "environment", "md_cell", "md_text"]


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


def clip(value: Any, limit: int = 400) -> str:
    """At most ``limit`` characters of ``value`` as text, an ellipsis marking the cut."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def css_string(value: Any) -> Markup:
    """Text for a CSS string literal inside ``<style>`` (``content: "..."``): anything but plain
    letters, digits and ``._-:/ `` becomes a CSS escape, so no quote or ``</style>`` gets through."""
    out = []
    for ch in "" if value is None else str(value):
        out.append(ch if ch.isascii() and (ch.isalnum() or ch in "._-:/ ") else f"\\{ord(ch):06x}")
    return Markup("".join(out))  # noqa: S704 - every unsafe character is escaped above


def css_class(value: Any) -> str:
    """A value reduced to a safe class-name suffix (``present``, ``n-a``)."""
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")[:40]


def environment(templates: Path | None = None, strict: bool = True) -> jinja2.Environment:
    search = [str(templates)] if templates else []
    search.append(str(templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "html.j2", "xml"), default=False
        ),
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_cell"] = md_cell
    env.filters["md_text"] = md_text
    env.filters["num"] = fmt_num
    env.filters["css_string"] = css_string
    env.filters["css_class"] = css_class
    env.filters["clip"] = clip
    return env
