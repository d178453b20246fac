"""Bad input: bytes, nested JSON, 1 MB cells, all-null, mixed types, non-UTF-8 CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import auditor
from auditor.checks.pii_columns import pii_columns
from auditor.testing import make_context, run_check


def _rows(df: pd.DataFrame) -> dict[str, dict]:
    res = run_check(pii_columns, make_context(df))
    assert res.status.value in ("passed", "failed"), res.detail
    return {r["column"]: r for r in res.tables["columns"]}


def test_bytes_nested_json_huge_null_and_mixed_columns() -> None:
    n = 40
    big = ("lorem ipsum dolor sit amet " * 40_000)[:1_000_000] + " contact x.y@example.com"
    df = pd.DataFrame(
        {
            "blob": [bytes([0, 159, 146, 150, i % 256]) for i in range(n)],
            "utf8_bytes": [f"user{i}@example.com".encode() for i in range(n)],
            "payload": [
                {"user": {"email": f"p{i}@example.net", "tags": ["a", i]}} for i in range(n)
            ],
            "body": [
                big if i == 0 else f"short note number {i} about nothing at all here"
                for i in range(n)
            ],
            "empty": [None] * n,
            "mixed": [
                i if i % 3 == 0 else (f"m{i}@example.com" if i % 3 == 1 else 2.5) for i in range(n)
            ],
            "nan_floats": [np.nan] * n,
        }
    )
    rows = _rows(df)
    assert rows["blob"]["kind"] == "none"
    assert rows["blob"]["evidence"]["cells"]["binary"] == n
    assert rows["utf8_bytes"]["entity_types"] == ["EMAIL_ADDRESS"]
    assert rows["payload"]["evidence"]["cells"]["nested_json"] == n
    assert "EMAIL_ADDRESS" in rows["payload"]["entity_types"]
    assert rows["body"]["evidence"]["cells"]["truncated"] == 1  # scanned on its first 10,000 chars
    assert rows["empty"]["rows_scanned"] == 0
    assert rows["empty"]["kind"] == "none"
    assert rows["nan_floats"]["rows_scanned"] == 0
    mixed = rows["mixed"]["evidence"]["cells"]["mixed_types"]
    assert mixed == {"float": 13, "int": 14, "str": 13}


def test_non_utf8_csv(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    lines = ["name,email,city"] + [f"José Müller,jose{i}@example.de,Köln" for i in range(30)]
    path.write_bytes("\n".join(lines).encode("cp1252"))
    report = auditor.audit(
        path, policy={"version": 1, "name": "t", "checks": {"PII001": {}, "RUN001": {}}}
    )
    cols = {r["column"]: r for r in report.result("PII001").tables["columns"]}
    assert cols["email"]["kind"] == "direct_identifier"
    assert cols["name"]["kind"] == "direct_identifier"
    assert any("not valid UTF-8" in f.message for f in report.result("RUN001").findings)


def test_a_failing_column_is_reported_not_fatal(monkeypatch) -> None:
    import auditor.pii.measure as measure

    real = measure.scan_column

    def boom(engine, s, column, *a, **k):
        if column == "email":
            raise ValueError("secret value alice@example.com in the message")
        return real(engine, s, column, *a, **k)

    monkeypatch.setattr(measure, "scan_column", boom)
    df = pd.DataFrame({"email": ["alice@example.com"] * 5, "zip": ["94110"] * 5})
    res = run_check(pii_columns, make_context(df))
    rows = {r["column"]: r for r in res.tables["columns"]}
    assert rows["email"]["evidence"]["error"] == "scan failed: ValueError"
    assert res.tables["scan"][0]["column_errors"] == {"email": "ValueError"}
    assert "alice@example.com" not in repr(res)
