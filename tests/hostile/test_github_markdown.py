"""Markdown for GitHub (issue 14, item 5): what a pull-request comment or a job summary shows of
the data pings nobody and links no issue, and a table cell holds a short line, never a JSON blob.

GitHub links ``@user`` / ``@org/team`` mentions and ``#123`` / ``GH-123`` / ``owner/repo#1``
references in rendered Markdown, where a backslash escape is already gone; an HTML entity
(``&#64;``, ``&#35;``, ``&#45;``) renders as the character and is not linked. So the escaped
Markdown source must not hold any of GitHub's patterns outside an entity, and a real CommonMark
renderer must still show the original text.
"""

from __future__ import annotations

import copy
import html
import re
from typing import Any

import pytest
from markdown_it import MarkdownIt

from auditor.render import render
from auditor.render.sample import sample_report
from auditor.text import md_escape

MD = MarkdownIt("commonmark")
ENTITY = re.compile(r"&#\d+;|&[a-z]+;")
#: what GitHub turns into a mention or a reference (its own rules, on the rendered text)
MENTION = re.compile(r"(?<![A-Za-z0-9`])@[A-Za-z0-9][A-Za-z0-9-]*")
REFERENCE = re.compile(r"(?<![A-Za-z0-9])#\d+|\bGH-\d+|[\w.-]+/[\w.-]+#\d+", re.I)

GITHUB = [
    "j***@e***.com",  # a masked e-mail: @e would ping the user "e"
    "m***@i***.org and a***@m***.net",
    "@user",
    "cc @org/team, thanks",
    "see #123",
    "#7 at the start",
    "fixed in GH-123 and gh-9",
    "owner/repo#1",
]


def _linked(markdown: str) -> list[str]:
    """GitHub's mentions and references in the Markdown source (entities do not count)."""
    text = ENTITY.sub(" ", markdown)
    return MENTION.findall(text) + REFERENCE.findall(text)


def _shown(markdown: str) -> str:
    """The text a reader sees once the Markdown is rendered."""
    rendered = MD.render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@pytest.mark.parametrize("value", GITHUB)
def test_md_escape_leaves_no_mention_or_reference(value: str) -> None:
    escaped = md_escape(value)
    assert _linked(value)  # the raw value would link
    assert _linked(escaped) == [], escaped
    assert _shown(escaped) == value  # and it still reads as the value


def test_md_escape_examples_for_github() -> None:
    assert md_escape("j***@e***.com") == r"j\*\*\*&#64;e\*\*\*\.com"
    assert md_escape("#123 and owner/repo#1") == "&#35;123 and owner/repo&#35;1"
    assert md_escape("GH-123, not a-b or GH-x") == "GH&#45;123, not a-b or GH-x"
    assert md_escape("# not a heading") == "&#35; not a heading"


def _report(**edit: Any) -> dict[str, Any]:
    data = copy.deepcopy(sample_report())
    blocking = {b["finding"] for b in data["gate"]["blocking"]}
    f = next(f for r in data["results"] for f in r["findings"] if f["id"] in blocking)
    f.update(edit)
    return data


def test_a_report_with_masked_emails_pings_nobody() -> None:
    data = _report(
        message="column 'contact' holds e-mail addresses such as j***@e***.com (see #12, GH-3)",
        location="column:@admin",
    )
    md = render(data, "md")
    assert "j\\*\\*\\*&#64;e\\*\\*\\*\\.com (see &#35;12, GH&#45;3)" in md
    assert _linked(md) == []
    assert "j***@e***.com (see #12, GH-3)" in _shown(md)


def test_a_mapping_in_a_table_cell_is_short_text_not_json() -> None:
    """A loaded report whose waiver reason and approver are objects (as a hand-edited
    ``audit.json`` may have them): each cell is ``key: value; …``, on one row, cut short."""
    data = copy.deepcopy(sample_report())
    waived = next(f for r in data["results"] for f in r["findings"] if f.get("waiver"))
    waived["waiver"]["reason"] = {
        "ticket": "RISK-42",
        "why": "pilot cohort",
        "history": [{"by": "dana", "note": "x" * 300}],
    }
    waived["waiver"]["approved_by"] = ["Dana Ruiz", "Model Risk"]
    md = render(data, "md")
    row = next(ln for ln in md.splitlines() if "RISK" in ln)
    assert row.startswith("| ") and row.endswith(" |")
    assert "ticket: RISK-42; why: pilot cohort; history: by: dana; note: xxx" in row
    assert "(Dana Ruiz, Model Risk, until" in row
    cell = row.split(" | ")[2]
    assert cell.startswith("ticket: RISK-42")
    assert "{" not in cell and '"' not in cell and "'" not in cell
    assert "…" in cell and len(row) < 400


def test_short_text() -> None:
    from auditor.text import short_text

    assert short_text({"a": 1, "b": [1, 2], "c": {"d": None}}) == "a: 1; b: 1, 2; c: d: —"
    assert short_text(["x", "y"]) == "x, y"
    assert short_text({"k": "v" * 50}, limit=10) == "k: vvvvvv…"
    assert md_escape({"email": "j***@e***.com"}) == r"email: j\*\*\*&#64;e\*\*\*\.com"
