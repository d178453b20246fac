from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from auditor.report import Report
from auditor.resources import schema_path

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(schema_path().read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def validate_report(data: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        raise AssertionError(
            "report violates the JSON schema:\n"
            + "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10])
        )


@pytest.fixture(autouse=True)
def _validate_every_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every report produced in any test (API or CLI, in process) is validated against the schema."""
    original = Report.to_json

    def checked(self: Report, indent: int | None = 2) -> str:
        text = original(self, indent)
        validate_report(json.loads(text))
        return text

    monkeypatch.setattr(Report, "to_json", checked)


@pytest.fixture
def small_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sex": ["F", "M", "F", "M", "F", "M", "F", "M"],
            "y": [1, 0, 1, 1, 0, 1, 0, 1],
            "p": [1, 0, 0, 1, 0, 1, 1, 1],
            "s": [0.9, 0.1, 0.4, 0.8, 0.3, 0.7, 0.6, 0.95],
        }
    )


@pytest.fixture
def csv_file(tmp_path: Path, small_frame: pd.DataFrame) -> Path:
    path = tmp_path / "data.csv"
    small_frame.to_csv(path, index=False)
    return path


PLUGIN_SOURCE = '''
"""Third-party checks used by the test suite (an installed plugin distribution)."""
from __future__ import annotations

from dataclasses import dataclass

from auditor import Finding, Severity, Table, check


@dataclass(frozen=True)
class RowOptions:
    min_rows: int = 10


@check("ACME001", "min-rows", severity=Severity.HIGH, options=RowOptions)
def min_rows(ctx, options):
    """ACME001 min-rows: the dataset has at least ``min_rows`` rows.

    Passes: 100 rows with min_rows 10. Fails: 8 rows with min_rows 10.
    """
    n = len(ctx.dataset)
    yield Table("size", ({"rows": n, "min_rows": options.min_rows},))
    if n < options.min_rows:
        yield Finding(f"only {n} rows (< {options.min_rows})", location="dataset", evidence={"rows": n})


@check("ACME002", "always-crashes", severity=Severity.LOW)
def crashes(ctx, options):
    """ACME002 always-crashes: a check with a bug, to show crashes fail closed."""
    raise RuntimeError("boom in plugin")
    yield


not_a_check = object()
'''


def install_fake_plugin(root: Path, entry_points: str) -> Path:
    """Write an installed distribution (module + dist-info with entry points) under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "acme_audit_checks.py").write_text(PLUGIN_SOURCE)
    dist = root / "acme_audit_checks-1.2.0.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: acme-audit-checks\nVersion: 1.2.0\n"
    )
    (dist / "entry_points.txt").write_text(textwrap.dedent(entry_points))
    return root


@pytest.fixture
def acme_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = install_fake_plugin(
        tmp_path / "site",
        """
        [auditor.checks]
        ACME001 = acme_audit_checks:min_rows
        ACME002 = acme_audit_checks:crashes
        """,
    )
    monkeypatch.syspath_prepend(str(root))
    yield root
    sys.modules.pop("acme_audit_checks", None)
