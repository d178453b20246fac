"""The one jinja2 environment: the report sandbox (:mod:`.sandbox`), strict undefined, templates
from the user's folder (``--templates``) then the bundled ``reports/``, and the filters below."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.utils import pass_eval_context
from markupsafe import Markup

from ..resources import templates_dir
from ..text import md_code, md_escape, short_text
from .sandbox import (
    MARKDOWN_SUFFIXES,
    ReportSandbox,
    TemplatesLoader,
    guard_filter,
    markdown_mode,
    render_template,
)

__all__ = [
    "FILTERS", "clip", "css_class", "css_string", "environment", "fmt_cell", "fmt_p", "md_cell",
    "md_inline", "md_text", "render_template",
]  # fmt: skip


def md_inline(value: Any) -> str:
    """Untrusted text in Markdown prose, a heading or a table cell: :func:`auditor.text.md_escape`
    (the one Markdown escaping function; ``md_cell`` and ``md_text`` are the same)."""
    return md_escape(value)


md_cell = md_text = md_inline


def _markdown_filter(func: Any) -> Any:
    """A Markdown escaping filter: its output is final Markdown (not escaped again) in a
    Markdown document, and plain text (HTML-escaped as usual) in an HTML one."""

    @pass_eval_context
    def apply(eval_ctx: Any, value: Any) -> Any:
        text = func(value)
        return Markup(text) if markdown_mode(eval_ctx) else text  # noqa: S704 - escaped Markdown

    apply.__name__ = apply.__qualname__ = getattr(func, "__name__", "md")
    apply.__doc__ = func.__doc__
    return apply


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
    """At most ``limit`` characters of ``value`` as text, an ellipsis marking the cut; a mapping
    or a list as :func:`auditor.text.short_text` (``key: value; …``), never a JSON blob."""
    if isinstance(value, (Mapping, list, tuple, set, frozenset)):
        return short_text(value, limit)
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


#: the filters every template gets (with jinja2's built-in ones)
FILTERS: dict[str, Any] = {}


def environment(templates: Path | None = None, strict: bool = True) -> jinja2.Environment:
    """The sandboxed environment: templates from ``templates`` (when given) then the bundled
    ones; every filter counted against a user template's render budget."""
    env = ReportSandbox(
        loader=TemplatesLoader(templates, templates_dir()),
        autoescape=lambda name: not str(name or "").lower().endswith(MARKDOWN_SUFFIXES),
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    for name, func in list(env.filters.items()):
        if not name.startswith("_auditor_"):
            env.filters[name] = guard_filter(name, func)
    return env


FILTERS.update(
    md=_markdown_filter(md_escape),
    md_inline=_markdown_filter(md_escape),
    md_cell=_markdown_filter(md_escape),
    md_text=_markdown_filter(md_escape),
    md_code=_markdown_filter(md_code),
    num=fmt_num,
    css_string=css_string,
    css_class=css_class,
    clip=clip,
    pval=fmt_p,
    cell=fmt_cell,
    cell_of=cell_of,
    header=header,
)
