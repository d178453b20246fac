"""Loader for datasheets (Gebru et al., "Datasheets for Datasets", v7 questions) in YAML or Markdown.

Each of the seven sections becomes ``datasheet.<section>``; answers that the model card fields and the
cross-checks use are mapped too: collection -> ``data.provenance``, consent question -> ``data.consent``,
"does it identify individuals / contain personal data?" -> ``data.contains_pii``, "sensitive data?" ->
``data.contains_special_category``, preprocessing -> ``data.preprocessing``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .document import Builder, Document
from .markdown import blank_comments, normalise_heading, pii_statements, split_sections
from .yamlnodes import YamlProblem, parse_with_lines

__all__ = ["SECTIONS", "load_datasheet_markdown", "load_datasheet_yaml"]

SECTIONS: dict[str, str] = {
    "motivation": r"^motivation",
    "composition": r"^composition",
    "collection": r"^collection( process)?|^data collection",
    "preprocessing": r"^preprocessing|^cleaning|^labell?ing",
    "uses": r"^uses?$|^intended uses?",
    "distribution": r"^distribution",
    "maintenance": r"^maintenance",
}
_YES = re.compile(r"^\W*(yes|true)\b", re.I)
_NO = re.compile(r"^\W*(no|false|none)\b", re.I)
# (question pattern, field, kind): "bool" answers are read as yes/no
QUESTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("composition", r"identif(y|ies|iable)|personal (data|information)|\bpii\b|confidential", "data.contains_pii", "bool"),
    ("composition", r"sensitive", "data.contains_special_category", "bool"),
    ("composition", r"representative|sample of|subpopulation", "data.representativeness", "text"),
    ("collection", r"consent", "data.consent", "text"),
    ("preprocessing", r"label", "data.labelling", "text"),
    ("distribution", r"licen[cs]e|terms of use", "datasheet.license", "text"),
    ("maintenance", r"contact|reach|email", "datasheet.contact", "text"),
)  # fmt: skip
SECTION_FIELDS = {"collection": "data.provenance", "preprocessing": "data.preprocessing"}


def _section_of(title: str) -> str | None:
    t = normalise_heading(title).replace("_", " ")
    return next((name for name, pat in SECTIONS.items() if re.search(pat, t)), None)


def _answer(b: Builder, section: str, question: str, answer: Any, line: int | None) -> None:
    q = question.lower().replace("_", " ")
    question = question if len(question) <= 70 else question[:69].rsplit(" ", 1)[0] + "…"
    for sec, pattern, field, kind in QUESTIONS:
        if sec != section or not re.search(pattern, q):
            continue
        if kind == "bool":
            text = str(answer).strip() if not isinstance(answer, bool) else ""
            value = answer if isinstance(answer, bool) else (
                True if _YES.match(text) else False if _NO.match(text) else None
            )  # fmt: skip
            if value is not None:
                b.add(field, value, line, f"datasheet {section}: {question[:80]!r}")
        else:
            b.add(field, answer, line, f"datasheet {section}: {question[:80]!r}")
        return


def load_datasheet_yaml(text: str, path: str) -> Document:
    b = Builder(path, "datasheet-yaml", "datasheet")
    try:
        parsed = parse_with_lines(text)
    except YamlProblem as exc:
        b.issue(str(exc), exc.line, fatal=True)
        return b.build()
    for dotted, at, value, why in parsed.bad_dates:
        b.issue(f"{dotted}: impossible date {value!r} ({why}); read as text", at, dotted)
    if not isinstance(parsed.data, Mapping) or not parsed.data:
        b.issue(
            "expected a mapping of datasheet sections (motivation, composition, ...)", 1, fatal=True
        )
        return b.build()
    for key, value in parsed.data.items():
        section = _section_of(str(key))
        line = parsed.line((key,))
        if section is None:
            b.issue(
                f"unknown datasheet section {key!r} (expected: {', '.join(SECTIONS)})",
                line,
                str(key),
            )
            continue
        b.add(f"datasheet.{section}", value, line, f"section {key}")
        if section in SECTION_FIELDS:
            b.add(SECTION_FIELDS[section], value, line, f"datasheet section {key}")
        if isinstance(value, Mapping):
            for q, a in value.items():
                _answer(b, section, str(q), a, parsed.line((key, q)))
    return b.build()


def load_datasheet_markdown(text: str, path: str) -> Document:
    b = Builder(path, "datasheet-md", "datasheet")
    lines = blank_comments(text.lstrip("\ufeff")).split("\n")
    sections = split_sections(lines, 1)
    current: tuple[str, int] | None = None
    found = False
    for s in sections:
        name = _section_of(s.title)
        if name is not None and (current is None or s.level <= current[1]):
            current = (name, s.level)
            found = True
            b.add(f"datasheet.{name}", s.full, s.line, f"section '{s.title}'")
            if name in SECTION_FIELDS:
                b.add(SECTION_FIELDS[name], s.full, s.line, f"datasheet section '{s.title}'")
            _questions_in_text(b, name, s.own, s.line + 1)
        elif current is not None and s.level > current[1]:
            _answer(b, current[0], s.title, s.own, s.line)
        else:
            current = None
    if not found:
        b.issue(
            "no datasheet sections found (expected headings such as '## Motivation', '## Composition', "
            "'## Collection Process', '## Uses', '## Distribution', '## Maintenance')",
            1,
            fatal=True,
        )
    for contains, sentence, ln in pii_statements(lines, 1):
        b.add("data.contains_pii", contains, ln, f"statement {sentence!r}")
    return b.build()


_QUESTION = re.compile(
    r"^\s*(?:[-+]\s+|\*\s+|\d+\.\s+)?(?:\*\*|__)?(?P<q>[^?\n]{3,300}\?)\s*(?:\*\*|__)?:?\s*(?P<inline>.*)$"
)


def _question(line: str) -> tuple[str, str] | None:
    m = _QUESTION.match(line)
    if m is None:
        return None
    return m.group("q").strip().strip("*_ "), m.group("inline").strip().strip("*_ ")


def _questions_in_text(b: Builder, section: str, text: str, first_line: int) -> None:
    """Questions written as lines with a '?' (bulleted or bold), answered inline or by the next lines."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        found = _question(lines[i])
        if found is None:
            i += 1
            continue
        question, inline = found
        answer = [inline] if inline else []
        j = i + 1
        while j < len(lines) and _question(lines[j]) is None:
            if lines[j].strip():
                answer.append(lines[j].strip().lstrip("-*+> ").strip())
            j += 1
        _answer(b, section, question, "\n".join(answer), first_line + i)
        i = j
