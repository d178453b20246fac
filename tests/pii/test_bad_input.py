"""Bad input: bytes, nested JSON, 1 MB cells, all-null, mixed types, non-UTF-8 CSV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import auditor
from auditor.checks.pii_columns import pii_columns
from auditor.checks.pii_free_text import free_text_pii
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
    cells = rows["body"]["evidence"]["cells"]
    # 1,000,024 characters: scanned in windows up to the 1,000,000 cap, 24 characters left out
    assert (cells["truncated"], cells["chars_not_scanned"], cells["windowed"]) == (1, 24, 1)
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
    import auditor.pii.table as table

    real = table.scan_column

    def boom(engine, s, column, *a, **k):
        if column == "email":
            raise ValueError("secret value alice@example.com in the message")
        return real(engine, s, column, *a, **k)

    monkeypatch.setattr(table, "scan_column", boom)
    df = pd.DataFrame({"email": ["alice@example.com"] * 5, "zip": ["94110"] * 5})
    res = run_check(pii_columns, make_context(df))
    rows = {r["column"]: r for r in res.tables["columns"]}
    assert rows["email"]["evidence"]["error"] == "scan failed: ValueError"
    assert res.tables["scan"][0]["column_errors"] == {"email": "ValueError"}
    assert "alice@example.com" not in repr(res)


_FILLER = "lorem ipsum dolor sit amet " * 40_000


def test_long_cells_are_scanned_in_windows_beyond_ten_thousand_chars() -> None:
    # three 1 MB cells, each with an e-mail address well after the first 10,000 characters
    cells = [
        _FILLER[: 12_345 + 250_000 * i] + f" write to person{i}@example.com please "
        + _FILLER[: 1_000_000 - 12_345 - 250_000 * i - 40]
        for i in range(3)
    ]  # fmt: skip
    assert all(len(c) <= 1_000_000 for c in cells)
    df = pd.DataFrame({"body": cells + ["a short note about nothing in particular today"] * 7})
    ctx = make_context(df)
    res = run_check(pii_columns, ctx)
    row = {r["column"]: r for r in res.tables["columns"]}["body"]
    assert (row["kind"], row["entity_types"], row["hits"]) == (
        "free_text_pii",
        ["EMAIL_ADDRESS"],
        3,
    )
    assert row["masked_examples"] == ["p***@e***.com"]
    assert row["evidence"]["cells"]["windowed"] == 3
    scan = res.tables["scan"][0]
    assert (scan["cells_truncated"], scan["chars_not_scanned"], scan["cells_windowed"]) == (
        {},
        0,
        3,
    )
    assert not [f for f in res.findings if f.discriminator == "cells-truncated"]
    ft = run_check(free_text_pii, ctx).tables["free_text"][0]
    assert (ft["rows_with_pii"], ft["rows_scanned"], ft["entity_rows"]) == (
        3,
        10,
        {"EMAIL_ADDRESS": 3},
    )


def test_characters_beyond_the_cap_are_counted_and_reported() -> None:
    early = _FILLER[:15_000] + " a.b@example.com " + _FILLER[:20_000]  # 35,017 chars
    late = _FILLER[:45_000] + " c.d@example.com"  # the address lies beyond a 30,000 cap
    df = pd.DataFrame({"body": [early, late, early], "id": [1, 2, 3]})
    res = run_check(pii_columns, make_context(df), {"max_cell_chars": 30_000})
    row = {r["column"]: r for r in res.tables["columns"]}["body"]
    assert row["hits"] == 2
    cells = row["evidence"]["cells"]
    assert (cells["truncated"], cells["chars_not_scanned"]) == (3, 2 * 5_017 + 15_016)
    scan = res.tables["scan"][0]
    assert scan["cells_truncated"] == {"body": 3}
    assert scan["chars_not_scanned"] == 25_050
    assert scan["max_cell_chars"] == 30_000
    low = [f for f in res.findings if f.discriminator == "cells-truncated"]
    assert len(low) == 1 and low[0].severity is not None and low[0].severity.label == "low"
    assert low[0].evidence == {
        "cells_truncated": {"body": 3},
        "chars_not_scanned": 25_050,
        "max_cell_chars": 30_000,
    }
    assert "25,050 characters were not scanned" in low[0].message


def test_windowed_counts_the_cells_as_scanned_after_the_cap() -> None:
    from auditor.pii.textify import to_text

    # 20,000 / 12,000 / 9,000 characters: a cap of 5,000 leaves one window per cell
    cells = [_FILLER[:20_000], _FILLER[:12_000], _FILLER[:9_000]]
    for dtype in (object, "string"):
        s = pd.Series(cells, dtype=dtype)
        counts = {}
        for cap in (5_000, 15_000, 1_000_000):
            st = to_text(s, cap)[1]
            counts[cap] = (st.windowed, st.truncated, st.chars_not_scanned)
        assert counts == {
            5_000: (0, 3, 15_000 + 7_000 + 4_000),
            15_000: (2, 1, 5_000),
            1_000_000: (2, 0, 0),
        }, dtype
    df = pd.DataFrame({"body": [_FILLER[:20_000], "a short note"], "id": [1, 2]})
    res = run_check(pii_columns, make_context(df), {"max_cell_chars": 5_000})
    row = {r["column"]: r for r in res.tables["columns"]}["body"]
    assert (row["evidence"]["cells"]["windowed"], row["evidence"]["cells"]["truncated"]) == (0, 1)
    assert res.tables["scan"][0]["cells_windowed"] == 0
    res = run_check(pii_columns, make_context(df), {"max_cell_chars": 15_000})
    assert res.tables["scan"][0]["cells_windowed"] == 1
