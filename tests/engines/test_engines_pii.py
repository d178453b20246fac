"""PII on lazy engines: engine-side seeded sampling, and the full scan inside partitions."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from engines_data import PEOPLE as N
from engines_data import make_people

import auditor
from auditor.engines.compare import table_differences

pytest.importorskip("polars")
pytest.importorskip("dask.dataframe")

CHECKS = ("PII001", "PII002", "PII003", "PII008")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_people(tmp_path_factory.mktemp("pii"))


def _run(data: Path, engine: str, sample_size: Any) -> dict[str, Any]:
    policy = {
        "version": 1,
        "name": "pii",
        "checks": {
            c: {"options": {"sample_size": sample_size}}
            | (
                {"options": {"sample_size": sample_size, "health_data": True}}
                if c == "PII008"
                else {}
            )
            for c in CHECKS
        },
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
    # HIPAA Safe Harbor runs on the engine too when the policy says the data is health data
    pii008 = next(r for r in report["results"] if r["check"] == "PII008")
    assert pii008["status"] != "skipped" and len(pii008["tables"]["safe_harbor"]) == 18
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


FULL = ("kind", "rows_scanned", "hits", "unique_scanned")


def full_scan_matches(report: dict[str, Any], reference: dict[str, Any]) -> None:
    """A full scan inside partitions gives the in-memory counts, distinct counts included."""
    cols, ref = _columns(report), _columns(reference)
    for name in ("email", "full_name", "sex", "amount"):
        assert {k: cols[name][k] for k in FULL} == {k: ref[name][k] for k in FULL}, name
        assert (
            cols[name]["evidence"]["cells"]["analyzed_unique"]
            == ref[name]["evidence"]["cells"]["analyzed_unique"]
        )
    # each of the 2+ partitions holds every name: summed per partition they would count twice
    assert cols["full_name"]["unique_scanned"] == 30
    assert cols["email"]["unique_scanned"] == N - 1
    assert cols["email"]["evidence"]["cells"]["analyzed_unique"] == N - 1
    assert cols["email"]["evidence"]["cells"]["non_null"] == N - 1
    assert report["inputs"]["engine"]["approximations"] == []


def test_full_scan_inside_partitions(data: Path, reference: dict[str, Any]) -> None:
    report = _run(data, "dask", "all")
    full_scan_matches(report, reference)
    scan = next(r for r in report["results"] if r["check"] == "PII001")["tables"]["scan"][0]
    assert "Dask partitions" in scan["sampling"]


def test_full_scan_blank_cells_are_stated(tmp_path: Path) -> None:
    df = pd.DataFrame({"note": ["call me", "", " ", "call me", "ok"] * 40})
    (tmp_path / "n").mkdir()
    df.iloc[:100].to_parquet(tmp_path / "n" / "a.parquet")
    df.iloc[100:].to_parquet(tmp_path / "n" / "b.parquet")
    ref = _columns(_run(tmp_path / "n", "pandas", 10_000))["note"]
    report = _run(tmp_path / "n", "polars", "all")
    note = _columns(report)["note"]
    assert (note["rows_scanned"], ref["rows_scanned"]) == (120, 120)  # blanks are not scanned
    # 4 distinct non-null values on the engine, 2 distinct texts scanned: an upper bound, stated
    assert (note["unique_scanned"], ref["unique_scanned"]) == (2, 2)
    approx = report["inputs"]["engine"]["approximations"]
    assert [a["what"] for a in approx] == ["PII unique_scanned of 'note' (full scan)"]


def test_full_scan_on_two_worker_processes(data: Path, reference: dict[str, Any]) -> None:
    """A 2-process Dask cluster: the analyzer is built once per worker process, however many
    partitions each worker scans."""
    import dask.dataframe as dd

    distributed = pytest.importorskip("distributed")

    def install() -> None:  # counts analyzer builds and scanned partitions in the worker
        import auditor.pii.engine as pe
        import auditor.pii.lazy as ep

        if not hasattr(pe, "_test_builds"):
            pe._test_builds = [0, 0]  # type: ignore[attr-defined]
            build, part = pe._build, ep._scan_part

            def counting_build(options: Any) -> Any:
                pe._test_builds[0] += 1  # type: ignore[attr-defined]
                return build(options)

            def counting_part(*args: Any) -> Any:
                pe._test_builds[1] += 1  # type: ignore[attr-defined]
                return part(*args)

            pe._build = counting_build  # type: ignore[assignment]
            ep._scan_part = counting_part  # type: ignore[assignment]

    def counts() -> list[int]:
        import auditor.pii.engine as pe

        return list(pe._test_builds)  # type: ignore[attr-defined]

    files = sorted(str(p) for p in data.glob("*.parquet"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
    try:
        client.run(install)
        ddf = dd.read_parquet(files).repartition(npartitions=6)
        policy = {
            "version": 1,
            "name": "pii",
            "checks": {"PII001": {"options": {"sample_size": "all"}}},
        }
        report = json.loads(auditor.audit(ddf, policy=policy).to_json())
        full_scan_matches(report, reference)
        per_worker = client.run(counts)
    finally:
        client.close()
        cluster.close()
    assert len(per_worker) == 2
    assert sum(parts for _, parts in per_worker.values()) == 6
    for builds, parts in per_worker.values():
        assert builds == (1 if parts else 0)  # one analyzer per worker, not per partition


def test_lazy_scan_meta_has_the_in_memory_keys() -> None:
    """The engine scan's meta carries what the in-memory scan's does (max_cell_chars and what
    was not inspected), with the same values, so the PII checks read one meta on both paths."""
    import polars as pl

    from auditor.engines.source import LazySource
    from auditor.pii.lazy import scan_source
    from auditor.pii.measure import scan_frame
    from auditor.pii.settings import ScanOptions

    df = pd.DataFrame(
        {"note": ["x" * 250, "call me at 555-0100", "ok"] * 20, "code": ["a", "b", "c"] * 20}
    )
    opts = ScanOptions(tier="patterns", sample_size=10_000, max_cell_chars=100)
    source = LazySource("polars", pl.from_pandas(df).lazy(), "memory", df.iloc[:0])
    lazy, memory = scan_source(source, opts).meta, scan_frame(df, opts).meta
    shared = ("max_cell_chars", "binary_cells", "cells_truncated", "chars_not_scanned")
    assert {k: lazy[k] for k in shared} == {k: memory[k] for k in shared}
    assert lazy["max_cell_chars"] == 100
    assert lazy["cells_truncated"] == {"note": 20}
    assert lazy["chars_not_scanned"] == 20 * 150
    assert set(memory) - {"duration_s"} <= set(lazy)
