"""Golden files for every output format, rendered from the deterministic canonical report.

Regenerate after an intended change with ``AUDITOR_UPDATE_GOLDEN=1 python -m pytest tests/reports``
and review the diff of ``tests/reports/golden/`` like code.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest
from reports_fixture import baseline_pair, canonical_report, validate_report

from auditor.diff import diff_reports, format_diff
from auditor.render import render

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("AUDITOR_UPDATE_GOLDEN") == "1"


@functools.lru_cache(maxsize=1)
def outputs() -> dict[str, str]:
    data = canonical_report()
    old, new = baseline_pair()
    out = {f"report.{ext}": render(data, fmt) for fmt, ext in (
        ("json", "json"), ("md", "md"), ("html", "html"), ("junit", "junit.xml"),
        ("sarif", "sarif"), ("ll144-html", "ll144.html"), ("ll144-md", "ll144.md"),
    )}  # fmt: skip
    out["errored.junit.xml"] = render(canonical_report(errored=True), "junit")
    out["baseline.md"] = render(new, "md")
    out["baseline.sarif"] = render(new, "sarif")
    out["diff.txt"] = format_diff(diff_reports(old, new), "text")
    out["diff.md"] = format_diff(diff_reports(old, new), "md")
    return out


@pytest.mark.parametrize("name", sorted(outputs()))
def test_golden(name: str) -> None:
    text = outputs()[name]
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"{path} missing: run with AUDITOR_UPDATE_GOLDEN=1 to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if intended, regenerate with AUDITOR_UPDATE_GOLDEN=1"
    )


def test_golden_input_is_deterministic_and_schema_valid() -> None:
    a, b = canonical_report(), canonical_report()
    assert json.dumps(a) == json.dumps(b)
    validate_report(a)
    validate_report(baseline_pair()[1])
    validate_report(canonical_report(errored=True))
