"""Small helpers for the sentences findings are written in (shared by every family), and the one
place that knows how untrusted text is made safe to show: :func:`visible_text` (control and bidi
characters made visible) and :func:`md_escape` / :func:`md_code` (text that stays text in
CommonMark and GitHub-flavoured Markdown)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "HIDDEN_CHARS", "join", "md_code", "md_escape", "plural", "short_text", "visible_text",
]  # fmt: skip


def join(items: Iterable[str], conj: str = "and") -> str:
    """``a``; ``a and b``; ``a, b and c``."""
    xs = [str(x) for x in items]
    if len(xs) <= 1:
        return "".join(xs)
    return f"{', '.join(xs[:-1])} {conj} {xs[-1]}"


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``1 column``, ``2,000 rows``."""
    return f"{n:,} {noun if n == 1 else (many or noun + 's')}"


#: what :func:`visible_text` replaces: C0 controls but tab, line feed and carriage return; DEL;
#: C1 controls; the bidi formatting characters (ALM U+061C, LRM/RLM U+200E/F, the embeddings and
#: overrides U+202A–U+202E, the isolates U+2066–U+2069); lone surrogates (not encodable as UTF-8)
HIDDEN_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible_text(value: Any) -> str:
    """``value`` as text in which no character hides or reorders what a reader sees: every
    character of :data:`HIDDEN_CHARS` becomes its escape, shown as text (NUL -> ``\\x00``,
    RIGHT-TO-LEFT OVERRIDE -> ``\\u202e``), so a reviewer sees that it was there. Tabs and line
    breaks are kept (the output format decides what they mean)."""
    text = "" if value is None else str(value)
    return HIDDEN_CHARS.sub(_shown, text) if HIDDEN_CHARS.search(text) else text


#: how long :func:`short_text` makes a mapping or a list shown in one line (a table cell)
SHORT_TEXT = 160


def _flat(value: Any) -> str:
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return ", ".join(_flat(v) for v in items)
    return "—" if value is None else str(value)


def short_text(value: Any, limit: int = SHORT_TEXT) -> str:
    """A value as one short line of text for a table cell: a mapping as ``key: value; …``
    (nested ones in turn), a list as ``a, b, c``, anything else as ``str``; longer than ``limit``
    characters it is cut with ``…``. Never a JSON or Python literal with braces and quotes,
    which makes a Markdown table row grow to many lines."""
    text = "" if value is None else _flat(value)
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


# -- Markdown --------------------------------------------------------------------------------------

#: escaped wherever they appear: raw HTML and angle autolinks (``< >``) and entities (``&``) as
#: HTML entities (``&lt;``), which read as text both in Markdown and inside an HTML block such as
#: ``<summary>…</summary>``, where backslash escapes do not apply; links and images (``[ ]``),
#: emphasis and strike-through (``* _ ~``), code spans (`````), table cells (``|``), the escape
#: itself and math (``$``) with a backslash. ``@`` and ``#`` as the entities ``&#64;`` and
#: ``&#35;``: GitHub links a mention (``@user``, and in a masked e-mail ``j***@e***.com``, ``@e``)
#: and an issue reference (``#123``, ``owner/repo#1``) after the Markdown is rendered, where a
#: backslash escape is already gone; an entity renders as the character and is not linked (the
#: same holds for ``GH-123``, whose ``-`` becomes ``&#45;``), nor is it a heading or an e-mail
#: autolink. Backslash-escaped where they would make a bare autolink (GFM's extended autolinks,
#: linkify-it's links and fuzzy links): a ``.`` before a letter (``www.x``, ``evil.example``,
#: ``generate.py``) and a ``/`` before ``/`` (``https://``, a protocol-relative ``//host``);
#: with ``@`` escaped that leaves no scheme link, e-mail or ``mailto:`` one. ``0.62``,
#: ``feature:sex`` and ``e.g. this`` stay as they are.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|~&$#@]|\.(?=[^\W\d_])|/(?=/)|(?<=\bGH)-(?=\d)", re.I)
#: a value that starts a line must not start a block: a heading, a block quote and a thematic
#: break start with a character escaped anyway (``#``, ``>``, ``*``, ``_``); these are the rest:
#: a list item (``+ x``, ``- x``, ``1. x``, ``1) x``) and a setext underline (``===``, ``---``)
_MD_ORDERED = re.compile(r" ?\d{1,9}(?=[.)](?:\s|$))")
_MD_BULLET = re.compile(r" ?(?=[+=]|-(?:[-\s]|$))")
_SPACES = re.compile(r"\s+")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;", "#": "&#35;", "-": "&#45;"}


def _md_char(match: re.Match[str]) -> str:
    ch = match.group()
    return _ENTITIES.get(ch) or "\\" + ch


def md_escape(value: Any) -> str:
    """Untrusted text (from data, a config, a card, a waiver or a loaded report) as Markdown
    that renders as exactly that text, in prose, a heading or a table cell, under CommonMark and
    GitHub-flavoured Markdown: no link, image, autolink (``<…>``, ``https://…``, ``www.…``,
    ``user@host``), HTML, entity, emphasis, code span, strike-through, math or table cell can
    start inside it, and no block (heading, list, quote) at its start; inside a raw HTML block
    of a Markdown document it is text as well. A mapping or a list is shown as
    :func:`short_text` (``key: value; …``, cut short), never as a JSON blob. Hidden characters
    are made visible
    (:func:`visible_text`); a line break or a run of white space becomes one space. ``None`` is
    ``—``."""
    if value is None:
        return "—"
    if isinstance(value, (Mapping, list, tuple, set, frozenset)):
        value = short_text(value)
    text = _SPACES.sub(" ", visible_text(value))
    escaped = _MD_SPECIAL.sub(_md_char, text)
    block = _MD_ORDERED.match(escaped) or _MD_BULLET.match(escaped)
    if block:  # "1. x" -> "1\. x", "- x" -> "\- x", "===" -> "\==="
        return f"{block.group()}\\{escaped[block.end() :]}"
    return escaped


def md_code(value: Any) -> str:
    """Untrusted text as a Markdown code span (an identifier such as a check id or a digest):
    a fence longer than any run of backticks in it, padded when it starts or ends with a
    backtick, so it cannot close early; hidden characters made visible and white space folded.
    Text with a ``|`` (which would split a table cell even inside a code span) or empty text
    falls back to :func:`md_escape`."""
    if value is None:
        return "—"
    text = " ".join(visible_text(value).split())
    if not text or "|" in text:
        return md_escape(text)
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
