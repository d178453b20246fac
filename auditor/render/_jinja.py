"""The one jinja2 Environment: autoescaped HTML, strict undefined, templates from ``reports/``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..resources import templates_dir

__all__ = [
    "clip", "css_class", "css_string", "environment", "fmt_cell", "fmt_p", "md_cell", "md_inline",
    "md_text",
]  # fmt: skip


def md_cell(value: Any) -> str:
    """Escape a value for a GitHub-flavoured Markdown table cell."""
    if value is None:
        return "—"
    text = str(value)
    for ch in ("\\", "|", "`", "*", "_", "[", "]", "<", ">", "#"):
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def md_inline(value: Any) -> str:
    """Untrusted text inside Markdown prose (a list item, a heading): every character that could
    start a link or an image (``[``, ``]``), an autolink or HTML (``<``, ``>``), emphasis, code, a
    table cell or strike-through is backslash-escaped, a leading ``#``/``-``/``+``/``=`` too, and
    line breaks are folded, so the text stays text."""
    if value is None:
        return "—"
    text = " ".join(str(value).split())
    out = ["\\" if text[:1] in ("#", "-", "+", "=") else ""]
    for ch in text:
        if ch in "\\`*_[]<>|~":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


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


def fmt_p(value: Any) -> str:
    """A p-value for people: ``< 0.001`` below one in a thousand, never ``0``."""
    if value is None:
        return "—"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "< 0.001" if value < 0.001 else f"{value:.3f}"
    return str(value)


_PCT_COLUMNS = (
    "share", "selection_rate", "scoring_rate", "base_rate", "tpr", "fpr", "fnr", "tnr",
    "precision", "npv", "accuracy", "hit_rate", "expected_share", "observed_rate", "rate",
    "reference_rate",
)  # fmt: skip


def fmt_cell(column: str, value: Any) -> str:
    """A table cell for people: rates and shares as percentages (one decimal), p-values as
    ``< 0.001``, other numbers by :func:`fmt_num`, lists joined."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(fmt_cell(column, v) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value) if not isinstance(value, dict) else str(fmt_num(value))
    if column.startswith("p_") or column == "p_value":
        return fmt_p(value)
    if column in _PCT_COLUMNS or column.endswith(("_rate_ci_low", "_rate_ci_high")):
        return f"{100 * value:.1f}%"
    return fmt_num(value)


HEADERS = {
    "n": "n", "p_adjusted": "adj. p", "p_value": "p", "p_threshold": "p (threshold)",
    "ir_ci": "ratio 95% CI", "ci": "95% CI", "ece_ci": "ECE 95% CI", "tpr": "TPR", "fpr": "FPR",
    "ece": "ECE", "cramers_v": "Cramér's V", "cramers_v_corrected": "V corrected",
    "base_rate": "base rate", "impact_ratio": "impact ratio",
}  # fmt: skip


def header(column: Any) -> str:
    """A table column for people: ``selection_rate`` -> ``selection rate``, ``p_adjusted`` ->
    ``adj. p``."""
    text = str(column)
    return HEADERS.get(text, text.replace("_", " "))


def cell_of(column: Any, value: Any) -> str:
    """``"rate" | cell_of(x)`` in a template: :func:`fmt_cell` for a named column."""
    return fmt_cell(str(column), value)


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
    env.filters["md_inline"] = md_inline
    env.filters["pval"] = fmt_p
    env.filters["cell"] = fmt_cell
    env.filters["cell_of"] = cell_of
    env.filters["header"] = header
    return env
