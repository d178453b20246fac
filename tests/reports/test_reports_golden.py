"""Golden files for every output format, rendered from the deterministic canonical report and
from the pinned real run of the hiring example (``hiring_fixture``).

Regenerate after an intended change with ``AUDITOR_UPDATE_GOLDEN=1 python -m pytest tests/reports``
(this also re-runs the hiring example and re-pins its reports) and review the diff of
``tests/reports/golden/`` and ``tests/reports/data/`` like code.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from unittest import mock

import pytest
from hiring_fixture import hiring_report, regenerate
from reports_fixture import baseline_pair, canonical_report, validate_report

from auditor.diff import diff_reports, format_diff
from auditor.render import render

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("AUDITOR_UPDATE_GOLDEN") == "1"


#: a CI job's variables change where the Markdown points to: goldens render outside CI
NO_CI = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}


@functools.lru_cache(maxsize=1)
def outputs() -> dict[str, str]:
    if UPDATE:
        regenerate()
    with mock.patch.dict(os.environ, NO_CI, clear=True):
        return _outputs()


def _outputs() -> dict[str, str]:
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
    hiring, ll144 = hiring_report("hiring"), hiring_report("hiring-ll144")
    out["hiring.md"] = render(hiring, "md")
    out["hiring.html"] = render(hiring, "html")
    out["hiring-ll144.md"] = render(ll144, "ll144-md")
    out["hiring-ll144.html"] = render(ll144, "ll144-html")
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
    for name in ("hiring", "hiring-ll144"):
        pinned = hiring_report(name)
        validate_report(pinned)
        assert pinned["run"]["started_at"] == "2026-11-20T09:00:00+00:00"
        assert {r["duration_s"] for r in pinned["results"]} == {0.25}
        assert "/work/" not in json.dumps(pinned)  # repository-relative paths only
