from __future__ import annotations

import re
from pathlib import Path

from auditor.catalogue import catalogue_markdown
from auditor.check import FAMILIES, ID_PATTERN
from auditor.registry import load_checks

REPO = Path(__file__).resolve().parent.parent


def test_every_check_is_documented() -> None:
    checks = load_checks()
    names = [c.name for c in checks.values()]
    assert len(names) == len(set(names)), "check names must be unique"
    for c in checks.values():
        assert ID_PATTERN.match(c.id)
        assert re.match(r"^[A-Z]+", c.id).group(0) in FAMILIES, c.id
        assert re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", c.name), c.name
        doc = c.doc
        assert doc.startswith(f"{c.id} {c.name}: "), c.id
        assert "Passes" in doc and "Fails" in doc, f"{c.id} docstring needs Passes/Fails examples"
        assert c.summary and c.summary[0].isalnum(), c.id


def test_catalogue_file_is_current() -> None:
    expected = catalogue_markdown(load_checks())
    actual = (REPO / "docs" / "checks.md").read_text()
    assert actual == expected, "regenerate with: auditor checks --format md > docs/checks.md"
