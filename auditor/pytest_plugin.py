"""pytest plugin (entry point ``pytest11``): assert that an audit passes inside your own test suite.

    def test_model_is_fair(auditor_audit):
        report = auditor_audit("data/applicants.csv", prediction="hired",
                               sensitive=["sex", "race"], policy="nyc-ll144")
        assert_audit_passes(report)          # or: report.verdict == "pass"

``auditor_audit`` takes the arguments of :func:`auditor.audit` and returns the :class:`Report`;
with ``--auditor-report-dir DIR`` every audit run through it also writes its JSON, HTML and
Markdown reports to ``DIR/<test name>/`` (upload that folder as a CI artifact).
:func:`assert_audit_passes` fails the test with the blocking findings listed, one per line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .report import Report

__all__ = ["AuditFailed", "assert_audit_passes", "auditor_audit"]


class AuditFailed(AssertionError):
    """The audit's gate failed; the message lists every blocking finding."""


def _describe(report: Report) -> str:
    data = report.to_dict()
    messages = {
        f["id"]: (r["check"], f["location"], f["message"])
        for r in data["results"]
        for f in r["findings"]
    }
    details = {r["check"]: r.get("detail", "") for r in data["results"]}
    lines = [
        f"audit {data['verdict'].upper()} (report {data['run']['id']}, gate fail on "
        f"{data['gate']['fail_on']}): {len(data['gate']['blocking'])} blocking"
    ]
    for b in data["gate"]["blocking"]:
        if b["reason"] == "errored":
            lines.append(f"  [errored] {b['check']}: {details.get(b['check'], '')}")
        elif b["reason"] == "regression":
            lines.append(f"  [regression] {b['check']} {b.get('subject')}: {b.get('metric')}")
        else:
            check, location, message = messages.get(b["finding"], (b["check"], "", ""))
            lines.append(f"  [{b['severity']}] {check} {location}: {message}")
    return "\n".join(lines)


def assert_audit_passes(report: Report) -> None:
    """Raise :class:`AuditFailed` (an ``AssertionError``) unless ``report.verdict == "pass"``."""
    if report.verdict != "pass":
        raise AuditFailed(_describe(report))


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("auditor", "responsible-AI audits (auditor)")
    group.addoption(
        "--auditor-report-dir",
        default=None,
        metavar="DIR",
        help="write the reports of audits run through the auditor_audit fixture to DIR/<test>/",
    )


@pytest.fixture
def auditor_audit(request: pytest.FixtureRequest) -> Callable[..., Report]:
    """Run :func:`auditor.audit` with its arguments; reports go to ``--auditor-report-dir``."""
    from .api import audit

    out_root = request.config.getoption("--auditor-report-dir")
    count = 0

    def run(data: Any, /, **kwargs: Any) -> Report:
        nonlocal count
        report = audit(data, **kwargs)
        if out_root:
            count += 1
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            target = Path(out_root) / (name if count == 1 else f"{name}-{count}")
            report.write(target, ("json", "html", "md"))
        return report

    return run
