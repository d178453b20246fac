"""Markdown sections (ATX headings, code fences skipped), bold-label bullets and plain-language claims,
all with 1-based line numbers. Shared by the Hugging Face card and the Markdown datasheet loaders."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Section",
    "blank_comments",
    "bullet_fields",
    "normalise_heading",
    "pii_statements",
    "split_sections",
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


def normalise_heading(title: str) -> str:
    t = re.sub(r"\[optional\]|\(optional\)", "", title, flags=re.I)
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
    out = []
    for n, (i, level, title) in enumerate(heads):
        nxt = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        end = next((j for j, lv, _ in heads[n + 1 :] if lv <= level), len(lines))
        out.append(
            Section(
                level=level,
                title=title,
                line=first_line + i,
                own="\n".join(lines[i + 1 : nxt]),
                full="\n".join(lines[i + 1 : end]),
            )
        )
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
