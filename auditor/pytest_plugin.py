"""pytest plugin (entry point ``pytest11``): assert that an audit passes inside your own test suite.

    def test_model_is_fair(auditor_audit):
        report = auditor_audit("data/applicants.csv", prediction="hired",
                               sensitive=["sex", "race"], policy="nyc-ll144")
        assert_audit_passes(report)          # or: report.verdict == "pass"

``auditor_audit`` takes the arguments of :func:`auditor.audit` and returns the :class:`Report`;
with ``--auditor-report-dir DIR`` every audit run through it also writes its JSON, HTML and
Markdown reports to a folder keyed by the test's node id, ``DIR/<module path>/<test name>/``
(``tests/test_model.py::test_fair`` -> ``DIR/tests/test_model/test_fair/``; a second audit in
the same test goes to ``test_fair-2/``), so two tests with one name in two modules never
overwrite each other (upload ``DIR`` as a CI artifact).
:func:`assert_audit_passes` fails the test with the blocking findings listed, one per line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .report import Report

__all__ = ["AuditFailed", "assert_audit_passes", "auditor_audit", "report_folder"]


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
        help="write the reports of audits run through the auditor_audit fixture to "
        "DIR/<module path>/<test name>/ (keyed by the test's node id)",
    )


def _part(text: str) -> str:
    """One path component: letters, digits and ``_.-[]=`` kept, the rest ``_``; never ``.``/``..``
    nor empty; a long one cut, with a digest of the whole so two long names stay apart."""
    safe = re.sub(r"[^A-Za-z0-9_.\-\[\]=]+", "_", text).strip(".") or "_"
    if len(safe) > 80:
        safe = f"{safe[:63]}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"
    return safe


def report_folder(nodeid: str) -> tuple[str, ...]:
    """The folder (as path parts under ``--auditor-report-dir``) of a test's reports, keyed by its
    node id: ``tests/fair/test_model.py::TestHiring::test_passes[v2]`` ->
    ``("tests", "fair", "test_model", "TestHiring", "test_passes[v2]")``, so two tests with one
    name in two modules (or classes) never share a folder."""
    path, _, rest = nodeid.partition("::")
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    if parts and parts[-1].endswith(".py"):
        parts[-1] = parts[-1][:-3]
    names = rest.split("::") if rest else []
    return tuple(_part(p) for p in [*parts, *names]) or ("_",)


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
            folder = report_folder(request.node.nodeid)
            target = Path(out_root).joinpath(
                *folder[:-1], folder[-1] + ("" if count == 1 else f"-{count}")
            )
            report.write(target, ("json", "html", "md"))
        return report

    return run
