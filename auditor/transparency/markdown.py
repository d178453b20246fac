"""Markdown sections (ATX headings, code fences skipped), bold-label bullets and plain-language claims,
all with 1-based line numbers. Shared by the Hugging Face card and the Markdown datasheet loaders."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Label",
    "Section",
    "Table",
    "blank_comments",
    "bullet_fields",
    "code_lines",
    "labels",
    "normalise_heading",
    "pii_statements",
    "split_sections",
    "strip_html",
    "tables",
]

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BULLET = re.compile(
    r"^\s*(?:[-*+]|\d+\.)\s*(?:\*\*|__)(?P<label>[^*_\n]{1,80}?):?\s*(?:\*\*|__):?\s*(?P<value>.*)$"
)
_NEGATIVE_PII = re.compile(
    r"(\b(no|not|never|without|free of)\b[^.\n]{0,40}?"
    r"\b(personal(ly)?[ -]identifi\w*( information| data)?|personal (data|information)|pii)\b)"
    r"|(\b(personal data|personal information|pii|personally identifiable information)\b[^.\n]{0,40}?"
    r"\b(was|were|has been|have been|is|are)\s+(removed|stripped|excluded|anonymi[sz]ed|scrubbed)\b)",
    re.I,
)
_POSITIVE_PII = re.compile(
    r"\b(contains?|includes?|holds?|processes)\b[^.\n]{0,30}?\b(personal (data|information)|pii|"
    r"personally identifiable information)\b",
    re.I,
)


@dataclass(frozen=True)
class Section:
    level: int
    title: str
    line: int  # 1-based line of the heading
    own: str  # text up to the next heading of any level
    full: str  # text up to the next heading of the same or a higher level


def blank_comments(text: str) -> str:
    """Replace HTML comments by blank text of the same line count (keeps line numbers right)."""
    return re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?/?>")
_HTML_HEADING = re.compile(r"^\s*<h([1-6])\b[^>]*>(.*?)</h\1>\s*$", re.I)


def strip_html(text: str) -> str:
    """HTML remnants turned into the Markdown they stand for, one output line per input line (so line
    numbers stay right): ``<h2>X</h2>`` -> ``## X``, ``<b>X</b>`` -> ``**X**``, ``<summary>X</summary>`` ->
    ``X``, ``<br>``, ``<details>``, ``<p>``, ``<div>``, ``<img>`` and other tags -> nothing; ``<a href>t</a>`` -> t."""
    out = []
    for ln in text.split("\n"):
        if "<" not in ln:
            out.append(ln)
            continue
        h = _HTML_HEADING.match(ln)
        if h:
            out.append("#" * int(h.group(1)) + " " + _TAG.sub("", h.group(2)).strip())
            continue
        ln = re.sub(r"</?(b|strong)>", "**", ln, flags=re.I)
        ln = re.sub(r"<br\s*/?>", " ", ln, flags=re.I)
        out.append(_TAG.sub(lambda m: "" if m.group(1).lower() != "li" else "- ", ln).rstrip())
    return "\n".join(out)


def normalise_heading(title: str) -> str:
    t = re.sub(r"\[optional\]|\(optional\)", "", title, flags=re.I)
    t = re.sub(r"(?<=\w)_(?=\w)", " ", t)  # snake_case keys: dataset_name
    t = re.sub(r"[*_`]", "", t)
    t = re.sub(r"^\s*(\d+(\.\d+)*\.?|[ivx]+\.)\s+", "", t, flags=re.I)
    t = re.sub(r"[^\w&,/()' -]", " ", t)
    return " ".join(t.lower().split()).strip(" :")


def split_sections(lines: list[str], first_line: int) -> list[Section]:
    """Sections of ``lines`` (which start at file line ``first_line``)."""
    heads: list[tuple[int, int, str]] = []  # (index, level, title)
    fence: str | None = None
    for i, ln in enumerate(lines):
        m = _FENCE.match(ln)
        if m:
            marker = m.group(1)[0]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence:
            continue
        h = _HEADING.match(ln)
        if h:
            heads.append((i, len(h.group(1)), h.group(2)))
        elif _is_setext(lines, i):
            heads.append((i, 1 if lines[i + 1].strip()[0] == "=" else 2, ln.strip()))
    # where each section ends: the next heading of the same or a higher level (a stack: linear time,
    # so a card of thousands of headings is read in one pass)
    ends = [len(lines)] * len(heads)
    stack: list[int] = []
    for n, (i, level, _title) in enumerate(heads):
        while stack and heads[stack[-1]][1] >= level:
            ends[stack.pop()] = i
        stack.append(n)
    out = []
    for n, (i, level, title) in enumerate(heads):
        nxt = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        end = ends[n]
        start = i + 2 if not _HEADING.match(lines[i]) else i + 1  # a setext underline is not text
        out.append(
            Section(
                level=level,
                title=title,
                line=first_line + i,
                own="\n".join(lines[start:nxt]),
                full="\n".join(lines[start:end]),
            )
        )
    return out


_SETEXT = re.compile(r"^ {0,3}(=+|-{2,})\s*$")
_NOT_PARAGRAPH = re.compile(r"^\s*([-*+>|]|\d+[.)]\s|#|```|~~~|<)|^\s{4,}")


def _is_setext(lines: list[str], i: int) -> bool:
    """``Title`` underlined with ``===`` or ``---``: a one-line paragraph (blank line or start before it)
    that is not a list item, quote, table or HTML."""
    if i + 1 >= len(lines) or not lines[i].strip() or not _SETEXT.match(lines[i + 1]):
        return False
    if _NOT_PARAGRAPH.match(lines[i]) or len(lines[i].strip()) > 120:
        return False
    return i == 0 or not lines[i - 1].strip()


def code_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside fenced code blocks (the fences included)."""
    inside: set[int] = set()
    fence: str | None = None
    for i, ln in enumerate(lines):
        m = _FENCE.match(ln)
        if m:
            marker = m.group(1)[0]
            inside.add(i)
            fence = None if fence == marker else (fence or marker)
            continue
        if fence:
            inside.add(i)
    return inside


@dataclass(frozen=True)
class Label:
    """``**License** MIT``, ``- Model type: text classifier``, ``| Developed by | Acme |``, a definition
    list ``Term`` / ``: definition``: the normalised label, the value (with continuation lines when the
    label stands alone) and the 1-based line."""

    label: str
    value: str
    line: int
    raw: str


_BOLD_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?P<m>\*\*|__)(?P<label>[^*_\n]{1,80}?)\s*:?\s*(?P=m)\s*[:\-–—]?\s*(?P<value>.*)$"
)
_ITALIC_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?P<m>[*_])(?P<label>[^*_\n]{1,60}?)\s*(?::\s*(?P=m)|(?P=m)\s*:)\s*(?P<value>.*)$"
)
_PLAIN_BULLET = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])\s+(?P<label>[A-Za-z][\w ()/&,'’.\-]{0,70}?)\s*[:：]\s+(?P<value>\S.*)$"
)
_PLAIN_LINE = re.compile(r"^(?P<label>[A-Z][\w ()/&'’\-]{0,40}?)\s*:\s+(?P<value>\S.*)$")
_ROW = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def labels(lines: list[str], first_line: int, skip: set[int] | None = None) -> list[Label]:
    """Every label/value pair in ``lines`` (which start at file line ``first_line``); lines whose index
    is in ``skip`` (code) are ignored. A label with no value on its line takes the following lines up
    to a blank line, a heading or the next label."""
    skip = skip or set()
    out: list[Label] = []
    n = len(lines)
    for i, ln in enumerate(lines):
        if i in skip or not ln.strip() or _HEADING.match(ln):
            continue
        m = (
            _BOLD_LABEL.match(ln)
            or _ITALIC_LABEL.match(ln)
            or _PLAIN_BULLET.match(ln)
            or _PLAIN_LINE.match(ln)
        )
        if m is None:
            row = _ROW.match(ln)
            if row and not _SEPARATOR.match(ln):
                cells = [c.strip() for c in row.group("cells").split("|")]
                header = i + 1 < n and bool(_SEPARATOR.match(lines[i + 1]))
                if len(cells) == 2 and cells[0] and len(cells[0]) <= 60 and not header:
                    out.append(
                        Label(normalise_heading(cells[0]), cells[1], first_line + i, cells[0])
                    )
                continue
            # a definition list: "Term" then ": definition"
            if i + 1 < n and lines[i + 1].startswith(": ") and len(ln.strip()) <= 60:
                out.append(
                    Label(
                        normalise_heading(ln), lines[i + 1][2:].strip(), first_line + i, ln.strip()
                    )
                )
            continue
        raw = m.group("label").strip()
        value = m.group("value").strip()
        if not value:  # "**Model Architecture**" alone: the next paragraph is its value
            more: list[str] = []
            for j in range(i + 1, min(n, i + 40)):
                nxt = lines[j]
                if j in skip and not more:
                    continue
                if not nxt.strip():
                    if more:
                        break
                    continue
                if _HEADING.match(nxt) or _BOLD_LABEL.match(nxt) or _ROW.match(nxt) or j in skip:
                    break
                more.append(nxt.strip())
            value = " ".join(more)
        out.append(Label(normalise_heading(raw), value, first_line + i, raw))
    return out


@dataclass(frozen=True)
class Table:
    """A pipe table: header cells, body rows (cells) and the 1-based line of the header."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    line: int
    text: str


def tables(lines: list[str], first_line: int) -> list[Table]:
    """Pipe tables (a header row followed by a ``|---|`` separator)."""
    out = []
    i = 0
    while i + 1 < len(lines):
        head = _ROW.match(lines[i]) or (
            re.match(r"^\s*(?P<cells>[^|\n]*\|.*?)\s*$", lines[i]) if "|" in lines[i] else None
        )
        if head and _SEPARATOR.match(lines[i + 1]):
            header = tuple(c.strip() for c in head.group("cells").strip("|").split("|"))
            rows = []
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                rows.append(tuple(c.strip() for c in lines[j].strip().strip("|").split("|")))
                j += 1
            out.append(Table(header, tuple(rows), first_line + i, "\n".join(lines[i:j])))
            i = j
            continue
        i += 1
    return out


def bullet_fields(lines: list[str], first_line: int) -> list[tuple[str, str, int]]:
    """``- **Developed by:** Acme`` -> ``("developed by", "Acme", line)``."""
    out = []
    for i, ln in enumerate(lines):
        m = _BULLET.match(ln)
        if m:
            label = normalise_heading(m.group("label"))
            out.append((label, m.group("value").strip(), first_line + i))
    return out


def pii_statements(lines: list[str], first_line: int) -> list[tuple[bool, str, int]]:
    """Plain-language statements about personal data: ``(contains, sentence, line)``.

    "does not contain personal data" / "PII was removed" -> contains False; "contains personal data" -> True.
    """
    out = []
    for i, ln in enumerate(lines):
        neg = _NEGATIVE_PII.search(ln)
        if neg:
            out.append((False, ln.strip()[:160], first_line + i))
        elif _POSITIVE_PII.search(ln):
            out.append((True, ln.strip()[:160], first_line + i))
    return out
