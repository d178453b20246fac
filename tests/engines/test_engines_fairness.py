"""Fairness on lazy engines: the same tables as pandas (counts exact, floats to 1e-12)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from engines_data import FAIR_CHECKS, ROWS, frame, make_dataset, numeric_age, result, run

from auditor.engines.compare import table_differences

pytest.importorskip("polars")
pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("engines"))


@pytest.fixture(scope="module")
def reference(data: Path) -> dict[str, Any]:
    return run(data, "pandas")


@pytest.fixture(scope="module")
def dask_cluster() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        )
        client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_pandas_reference_counts_every_row(data: Path, reference: dict[str, Any]) -> None:
    df = frame(data)
    groups = result(reference, "FAIR001")["tables"]["groups"]
    female = next(r for r in groups if r["feature"] == "sex" and r["group"] == "female")
    kept = df["prediction"].notna() & df["label"].notna() & df["weight"].notna()
    assert female["n"] == int(((df["sex"] == "female") & kept).sum())
    assert reference["inputs"]["engine"] == {"name": "pandas", "lazy": False, "approximations": []}


@pytest.mark.parametrize("engine", ["polars", "dask"])
def test_parquet_directory_matches_pandas(
    engine: str, data: Path, reference: dict[str, Any], dask_cluster: Any
) -> None:
    report = run(data, engine)
    assert table_differences(reference, report, checks=FAIR_CHECKS) == []
    info = report["inputs"]["engine"]
    assert info["name"] == engine
    assert info["lazy"] is True
    assert info["rows_counted"] == ROWS == info["rows_metadata"]
    assert info["files"] == 3
    assert info["approximations"] == []
    assert report["inputs"]["dataset"]["rows"] == ROWS
    # the weighted exclusions are counted by the engine exactly as in memory
    ex = result(report, "FAIR001")["tables"]["exclusions"]
    assert ex == result(reference, "FAIR001")["tables"]["exclusions"]
    assert {r["reason"] for r in ex} >= {"prediction missing"}
    # calibration needs rows: skipped with the reason, never computed on partial data
    cal = result(report, "FAIR005")
    assert cal["status"] == "skipped"
    assert f"lazy {engine} engine" in cal["detail"]


def test_native_frames_through_the_api(
    data: Path, reference: dict[str, Any], dask_cluster: Any
) -> None:
    import dask.dataframe as dd
    import polars as pl

    files = sorted(str(p) for p in data.glob("*.parquet"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        ddf = dd.read_parquet(files)
    for native, name in ((pl.scan_parquet(files), "polars"), (ddf, "dask")):
        report = run(native, None)
        assert report["inputs"]["engine"]["name"] == name
        assert report["inputs"]["dataset"]["format"] == name
        assert report["inputs"]["dataset"]["rows"] == ROWS
        assert table_differences(reference, report, checks=FAIR_CHECKS) == []
    # engine pandas collects a native frame into memory
    report = run(pl.scan_parquet(files), "pandas")
    assert report["inputs"]["engine"]["name"] == "pandas"
    assert table_differences(reference, report, checks=FAIR_CHECKS) == []


def test_glob_and_auto_engine(
    data: Path, reference: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    report = run(str(data / "part-*.parquet"), "auto")
    assert report["inputs"]["engine"]["name"] == "pandas"  # 6000 rows fit
    monkeypatch.setenv("AUDITOR_PANDAS_MAX_BYTES", "1000")
    report = run(str(data / "part-*.parquet"), None)
    info = report["inputs"]["engine"]
    assert info["name"] == "polars"
    assert info["reason"].startswith("auto: estimated")
    assert table_differences(reference, report, checks=FAIR_CHECKS) == []


def test_scoring_median_is_exact(data: Path, reference: dict[str, Any]) -> None:
    from auditor.config import AuditConfig
    from auditor.engines import quantile
    from auditor.engines.select import open_data

    scores = frame(data)["score"].dropna().to_numpy()
    _, _, source = open_data(AuditConfig(data=data, engine="polars"))
    assert source is not None
    for q in (0.5, 0.1, 0.97):
        assert quantile.exact_quantile(source, "score", q) == float(np.quantile(scores, q))
    # force the histogram passes (few rows fetched at a time): still exact
    old = quantile.FETCH_ROWS, quantile.BINS
    quantile.FETCH_ROWS, quantile.BINS = 50, 16
    try:
        _, _, fresh = open_data(AuditConfig(data=data, engine="dask"))
        assert fresh is not None
        assert quantile.exact_quantile(fresh, "score", 0.5) == float(np.quantile(scores, 0.5))
        assert fresh.passes >= 3
        assert fresh.approximations == []
    finally:
        quantile.FETCH_ROWS, quantile.BINS = old
    report = run(data, "polars")
    assert table_differences(reference, report, checks=["FAIR003", "FAIR004"]) == []
    assert (
        result(report, "FAIR003")["tables"]["ll144_summary"]
        == result(reference, "FAIR003")["tables"]["ll144_summary"]
    )


@pytest.mark.parametrize("bins", [4, [18, 30, 45, 65, 100]])
def test_binned_numeric_feature(tmp_path: Path, bins: Any) -> None:
    path = numeric_age(tmp_path)
    policy = {
        "version": 1,
        "name": "b",
        "checks": {"FAIR001": {"options": {"bins": {"age": bins}, "n_boot": 50}}},
    }
    kw: dict[str, Any] = {
        "prediction": "prediction",
        "target": None,
        "score": None,
        "sensitive": ["age"],
    }
    ref = run(path, "pandas", policy, **kw)
    lazy = run(path, "dask", policy, **kw)
    assert table_differences(ref, lazy, checks=["FAIR001"]) == []
    groups = [r["group"] for r in result(lazy, "FAIR001")["tables"]["groups"]]
    df = pd.concat([pd.read_parquet(f) for f in sorted(path.glob("*.parquet"))])
    edges = [float(e) for e in bins] if isinstance(bins, list) else None
    cut = pd.qcut(df["age"], 4) if edges is None else pd.cut(df["age"], edges, right=False)
    assert [g for g in groups if g != "(missing)"] == [
        str(c) for c in cut.cat.categories if (cut == c).any()
    ]
