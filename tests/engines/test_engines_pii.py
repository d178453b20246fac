"""PII on lazy engines: engine-side seeded sampling, and the full scan inside partitions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import auditor
from auditor.engines.compare import table_differences

pytest.importorskip("polars")
pytest.importorskip("dask.dataframe")

CHECKS = ("PII001", "PII002", "PII003", "PII008")
N = 2400


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(3)
    first = ["Alice", "Bruno", "Carla", "Dmitri", "Elena", "Farid"]
    last = ["Smith", "Jones", "Garcia", "Ivanova", "Khan"]
    df = pd.DataFrame(
        {
            "email": [
                f"{first[i % 6].lower()}.{last[i % 5].lower()}{i}@example.com" for i in range(N)
            ],
            "full_name": [f"{first[i % 6]} {last[i % 5]}" for i in range(N)],
            "sex": rng.choice(["female", "male"], N),
            "amount": rng.normal(100, 10, N).round(2),
        }
    )
    df.loc[7, "email"] = None
    out = tmp_path_factory.mktemp("pii") / "people"
    out.mkdir()
    df.iloc[: N // 2].to_parquet(out / "a.parquet")
    df.iloc[N // 2 :].to_parquet(out / "b.parquet")
    return out


def _run(data: Path, engine: str, sample_size: Any) -> dict[str, Any]:
    policy = {
        "version": 1,
        "name": "pii",
        "checks": {c: {"options": {"sample_size": sample_size}} for c in CHECKS},
    }
    out: dict[str, Any] = json.loads(auditor.audit(data, engine=engine, policy=policy).to_json())
    return out


def _columns(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    res = next(r for r in report["results"] if r["check"] == "PII001")
    return {r["column"]: r for r in res["tables"]["columns"]}


@pytest.fixture(scope="module")
def reference(data: Path) -> dict[str, Any]:
    return _run(data, "pandas", 10_000)


@pytest.mark.parametrize("engine", ["polars", "dask"])
def test_sample_covering_the_data_matches_pandas(
    engine: str, data: Path, reference: dict[str, Any]
) -> None:
    report = _run(data, engine, 10_000)
    diffs = [d for d in table_differences(reference, report, checks=CHECKS) if ".scan[0]" not in d]
    assert diffs == []
    cols = _columns(report)
    assert cols["email"]["kind"] == "direct_identifier"
    assert cols["email"]["hits"] == N - 1
    scan = next(r for r in report["results"] if r["check"] == "PII001")["tables"]["scan"][0]
    assert scan["engine"] == engine
    assert scan["rows"] == N
    assert scan["distinct_values"]["sex"] == 2
    assert scan["distinct_values"]["email"] == N - 1


def test_seeded_engine_sample(data: Path) -> None:
    a, b = _run(data, "polars", 300), _run(data, "polars", 300)
    cols = _columns(a)
    assert cols["email"]["rows_scanned"] == 300
    assert cols["email"]["kind"] == "direct_identifier"
    assert cols["full_name"]["rows_scanned"] == 300
    # same seed, same sample, same report tables
    assert [d for d in table_differences(a, b, checks=CHECKS) if "duration_s" not in d] == []
    # evidence carries the engine's counts of the whole column
    assert cols["email"]["evidence"]["cells"]["non_null"] == N - 1


def test_full_scan_inside_partitions(data: Path, reference: dict[str, Any]) -> None:
    report = _run(data, "dask", "all")
    cols, ref = _columns(report), _columns(reference)
    for name in ("email", "full_name", "sex", "amount"):
        assert cols[name]["kind"] == ref[name]["kind"]
        assert cols[name]["rows_scanned"] == ref[name]["rows_scanned"]
        assert cols[name]["hits"] == ref[name]["hits"]
    assert cols["email"]["evidence"]["cells"]["non_null"] == N - 1
    approx = report["inputs"]["engine"]["approximations"]
    assert [a["what"] for a in approx] == ["PII unique_scanned (full scan)"]
    scan = next(r for r in report["results"] if r["check"] == "PII001")["tables"]["scan"][0]
    assert "Dask partitions" in scan["sampling"]
