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
from .markdown import (
    blank_comments,
    normalise_heading,
    pii_statements,
    split_sections,
    strip_html,
)
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
    ("composition", r"representative|sample of|\bsample\b|all possible instances", "data.representativeness", "text"),
    ("composition", r"subpopulation", "data.sensitive_attributes", "text"),
    ("collection", r"consent", "data.consent", "text"),
    ("preprocessing", r"label", "data.labelling", "text"),
    ("composition", r"label or target|labels?\b.*associated", "data.labelling", "text"),
    ("distribution", r"licen[cs]e|terms of use", "datasheet.license", "text"),
    ("maintenance", r"contact|reach|email", "datasheet.contact", "text"),
)  # fmt: skip
SECTION_FIELDS = {"collection": "data.provenance", "preprocessing": "data.preprocessing"}
# the fields each section's questions answer (QUESTIONS, plus the datasheet's splits, versions and
# personal-data description), for the location of a missing answer in a YAML datasheet
YAML_ANCHORS: dict[str, tuple[str, ...]] = {
    "composition": ("data.contains_pii", "data.pii_description", "data.contains_special_category",
                    "data.sensitive_attributes", "data.representativeness", "data.training",
                    "data.evaluation"),
    "collection": ("data.consent", "data.provenance"),
    "preprocessing": ("data.labelling", "data.preprocessing"),
    "distribution": ("datasheet.license",),
    "maintenance": ("datasheet.contact", "data.fingerprint"),
}  # fmt: skip


def _section_of(title: str) -> str | None:
    t = normalise_heading(title).replace("_", " ")
    return next((name for name, pat in SECTIONS.items() if re.search(pat, t)), None)


# Gebru et al.: "Does the dataset relate to people? If not, you may skip the remaining questions": after a
# "No" there, a bare N/A to a question about the people in the data is a complete answer
_PEOPLE_QUESTION = re.compile(
    r"relate[sd]? to (people|persons|individuals|humans)|human subjects", re.I
)
_ABOUT_PEOPLE = re.compile(
    r"consent|individuals?|people|persons?|identif|subpopulation|sensitive|personal|notified|revoke|"
    r"impact analysis|data protection|confidential",
    re.I,
)
_BARE_NA = re.compile(r"^\W*(n/?a|not applicable|none|no|-+|—)\W*$", re.I)


def _answer(
    b: Builder,
    section: str,
    question: str,
    answer: Any,
    line: int | None,
    no_people: int | None = None,
) -> None:
    """Map a question's answer to the fields it gives. ``no_people`` is the line where the datasheet said
    the dataset does not relate to people: a bare N/A to a question about people is then applicable-no."""
    q = question.lower().replace("_", " ")
    if (
        no_people is not None
        and isinstance(answer, str)
        and _BARE_NA.match(answer)
        and _ABOUT_PEOPLE.search(q)
    ):
        answer = {
            "not_applicable": {
                "reason": f"the datasheet says the dataset does not relate to people (line {no_people})"
            }
        }
    question = question if len(question) <= 70 else question[:69].rsplit(" ", 1)[0] + "…"
    for sec, pattern, field, kind in QUESTIONS:
        if sec != section or not re.search(pattern, q):
            continue
        if kind == "bool" and isinstance(answer, Mapping):
            b.add(field, answer, line, f"datasheet {section}: {question[:80]!r}")
        elif kind == "bool":
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
        # an unanswered question belongs in its section: a missing consent answer points at the
        # collection section's line, not line 1
        for field in YAML_ANCHORS.get(section, ()):
            b.anchor(field, line)
        if isinstance(value, Mapping):
            for q, a in value.items():
                _answer(b, section, str(q), a, parsed.line((key, q)))
    return b.build()


def _no_people(lines: list[str]) -> int | None:
    """The line of a "No" answer to "Does the dataset relate to people?" (inline or on the next lines)."""
    for i, ln in enumerate(lines):
        if not _PEOPLE_QUESTION.search(ln):
            continue
        tail = ln.split("?", 1)[1] if "?" in ln else ""
        candidates = [tail, *[x for x in lines[i + 1 : i + 6] if x.strip()][:1]]
        for j, cand in enumerate(candidates):
            cand = cand.strip().lstrip("-*+> ").strip("*_ ")
            if cand and j == 0 and not _NO.match(cand):
                continue
            if cand and _NO.match(cand):
                return i + 1
            if cand:
                break
    return None


_TEMPLATE_NOTE = re.compile(r"^([_*])(?!\1).*$|^>\s")
_SETEXT_RULE = re.compile(r"^\s*(=+|-{2,})\s*$")


def _first_answer_line(lines: list[str], heading: int) -> int:
    """The first line after the section heading (1-based ``heading``) that answers something: not a
    heading, an underline or a question; the heading's line when there is none before the next section."""
    for i in range(heading, min(len(lines), heading + 200)):
        text = lines[i].strip()
        if not text or _SETEXT_RULE.match(text):
            continue
        if text.startswith("#") and text.rstrip("#* ").endswith("?"):
            continue  # a question written as a sub-heading: its answer follows
        if text.startswith("#") or (i + 1 < len(lines) and _SETEXT_RULE.match(lines[i + 1])):
            return heading
        if _TEMPLATE_NOTE.match(text):
            continue  # the template's own italic guidance ("_The questions in this section ..._")
        found = _question(lines[i])
        if found is not None:
            if found[1]:  # answered on the question's own line
                return i + 1
            continue
        return i + 1
    return heading


def load_datasheet_markdown(text: str, path: str) -> Document:
    b = Builder(path, "datasheet-md", "datasheet")
    lines = strip_html(blank_comments(text.lstrip("\ufeff"))).split("\n")
    no_people = _no_people(lines)
    sections = split_sections(lines, 1)
    current: tuple[str, int] | None = None
    found = False
    for s in sections:
        name = _section_of(s.title)
        if name is not None and (current is None or s.level <= current[1]):
            current = (name, s.level)
            found = True
            at = _first_answer_line(lines, s.line)
            b.add(f"datasheet.{name}", s.full, at, f"section '{s.title}'")
            if name in SECTION_FIELDS:
                b.add(SECTION_FIELDS[name], s.full, at, f"datasheet section '{s.title}'")
            _questions_in_text(b, name, s.own, s.line + 1, no_people)
        elif current is not None and s.level > current[1]:
            _answer(b, current[0], s.title, s.own.strip(), s.line, no_people)
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
    if not b.has(
        "datasheet.preprocessing"
    ):  # labelling answered elsewhere (Composition: "label or target?")
        for fv in b.values("data.labelling"):
            b.add("datasheet.preprocessing", fv.value, fv.line, fv.source)
    return b.build()


_QUESTION = re.compile(
    r"^\s*(?:[-+]\s+|\*\s+|\d+\.\s+)?(?:\*\*|__)?(?P<q>[^?\n]{3,300}\?)\s*(?:\*\*|__)?:?\s*(?P<inline>.*)$"
)


_MORE_QUESTION = re.compile(
    r"^(if (so|not|yes|no|any)\b|please (describe|provide|specify|list|explain)|was there|were there|"
    r"(e\.g\.|for example)\b)",
    re.I,
)


def _question(line: str) -> tuple[str, str] | None:
    m = _QUESTION.match(line)
    if m is None:
        return None
    inline = m.group("inline").strip().strip("*_ ")
    if _MORE_QUESTION.match(inline) or inline.endswith("?"):
        inline = ""  # the template's follow-up ("If so, please describe ..."), not an answer
    return m.group("q").strip().strip("*_ "), inline


def _questions_in_text(
    b: Builder, section: str, text: str, first_line: int, no_people: int | None = None
) -> None:
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
        _answer(b, section, question, "\n".join(answer), first_line + i, no_people)
        i = j
