"""Spark local[*]: one session for the module; the bundled fairness pack, LL144's FAIR003, the
PII sample and full scan give the same tables as pandas; schema drift, a corrupt partition and
the one-line error of a failing run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engines_data import (
    DRIFT_NOTES,
    FAIR_CHECKS,
    PEOPLE,
    RICH_SUBJECT,
    ROWS,
    corrupt_pages,
    drift_columns,
    drift_dataset,
    drift_report,
    make_dataset,
    make_people,
    make_rich,
    result,
    run,
)

import auditor
from auditor.cli import main
from auditor.engines.compare import table_differences
from auditor.engines.synthetic import decisions

pytest.importorskip("pyspark")

PII_CHECKS = ("PII001", "PII002", "PII003", "PII008")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from auditor.engines.backends import spark_session

    old = os.environ.get("AUDITOR_SPARK_PARTITIONS")
    os.environ["AUDITOR_SPARK_PARTITIONS"] = "2"  # small data: fewer shuffle tasks per pass
    try:
        session = spark_session()
        yield session
        session.stop()
    finally:
        if old is None:
            os.environ.pop("AUDITOR_SPARK_PARTITIONS", None)
        else:
            os.environ["AUDITOR_SPARK_PARTITIONS"] = old


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("spark"))


def _statuses(report: dict[str, Any]) -> dict[str, str]:
    return {r["check"]: r["status"] for r in report["results"] if r["check"] in FAIR_CHECKS}


def test_fairness_pack_matches_pandas(spark: Any, tmp_path: Path) -> None:
    rich = make_rich(tmp_path)
    reference = run(rich, "pandas", "fairness", **RICH_SUBJECT)
    report = run(rich, "spark", "fairness", **RICH_SUBJECT)
    assert table_differences(reference, report, checks=FAIR_CHECKS) == []
    statuses = _statuses(report)
    assert statuses == _statuses(reference)
    assert all(s in ("passed", "failed") for s in statuses.values())  # every check ran
    info = report["inputs"]["engine"]
    assert (info["name"], info["rows_counted"], info["approximations"]) == ("spark", 3000, [])
    strong = [r for r in result(report, "FAIR009")["tables"]["proxies"] if r["status"] == "strong"]
    assert [(r["feature"], r["sensitive"]) for r in strong] == [("zip", "race")]
    assert {r["class"] for r in result(report, "FAIR006")["tables"]["class_groups"]} == {
        "hire", "interview", "reject",
    }  # fmt: skip


def test_ll144_and_pii_sample_match_pandas(spark: Any, data: Path) -> None:
    policy: dict[str, Any] = {
        "version": 1,
        "name": "spark-test",
        "extends": ["nyc-ll144"],
        "checks": {"PII001": {"options": {"sample_size": 10000}}},
    }
    kw = {"prediction": None}  # scoring rates: the exact full-sample median on the engine
    reference = run(data, "pandas", policy, **kw)
    report = run(data, "spark", policy, **kw)
    assert table_differences(reference, report, checks=["FAIR003"]) == []
    assert result(report, "FAIR003")["tables"] == result(reference, "FAIR003")["tables"]
    assert report["inputs"]["engine"]["rows_counted"] == ROWS
    # PII: with a sample larger than the data the engine returns every value: same verdicts
    ref_cols = result(reference, "PII001")["tables"]["columns"]
    cols = result(report, "PII001")["tables"]["columns"]
    assert [(c["column"], c["kind"], c["hits"], c["rows_scanned"]) for c in cols] == [
        (c["column"], c["kind"], c["hits"], c["rows_scanned"]) for c in ref_cols
    ]
    # a Spark DataFrame audited in place through the API
    sdf = spark.read.parquet(*sorted(str(p) for p in data.glob("*.parquet")))
    native = run(sdf, None, {"version": 1, "name": "n", "checks": {"FAIR001": {}, "FAIR008": {}}})
    assert native["inputs"]["engine"]["name"] == "spark"
    assert native["inputs"]["dataset"]["rows"] == ROWS
    ref = run(data, "pandas", {"version": 1, "name": "n", "checks": {"FAIR001": {}, "FAIR008": {}}})
    assert table_differences(ref, native, checks=["FAIR001", "FAIR008"]) == []


def test_pii_full_scan_matches_pandas(spark: Any, tmp_path: Path) -> None:
    people = make_people(tmp_path)

    def scan(engine: str, size: Any) -> dict[str, dict[str, Any]]:
        policy = {
            "version": 1,
            "name": "p",
            "checks": {"PII001": {"options": {"sample_size": size}}},
        }
        report = json.loads(auditor.audit(people, engine=engine, policy=policy).to_json())
        if engine == "spark":
            assert report["inputs"]["engine"]["approximations"] == []
            sampling = result(report, "PII001")["tables"]["scan"][0]["sampling"]
            assert "Spark partitions (mapInPandas" in sampling
        return {r["column"]: r for r in result(report, "PII001")["tables"]["columns"]}

    ref, cols = scan("pandas", 10_000), scan("spark", "all")
    for name in ("email", "full_name", "sex", "amount"):
        for key in ("kind", "hits", "rows_scanned", "unique_scanned"):
            assert cols[name][key] == ref[name][key], (name, key)
    assert cols["full_name"]["unique_scanned"] == 30  # not 30 per partition
    assert cols["email"]["evidence"]["cells"]["analyzed_unique"] == PEOPLE - 1


def test_schema_drift_on_spark(spark: Any, tmp_path: Path) -> None:
    root = drift_dataset(tmp_path / "d")
    report = drift_report(root, "spark")
    assert sorted(report["inputs"]["engine"]["notes"][1:]) == DRIFT_NOTES
    cols = drift_columns(report)
    assert (cols["region"], cols["channel"], cols["visits"]) == ((300, 300), (200, 200), (500, 500))
    ref = drift_report(root, "pandas")
    diffs = table_differences(ref, report, checks=["FAIR001", "PII001"])
    assert [d for d in diffs if ".scan[0]" not in d] == []


def _corrupt(root: Path) -> Path:
    root.mkdir()
    decisions(300, seed=1).to_parquet(root / "part-0.parquet")
    path = root / "part-1.parquet"
    decisions(3000, seed=3).to_parquet(path)
    corrupt_pages(path, "score")
    return path


ARGS = ["--prediction", "prediction", "--score", "score", "--sensitive", "sex,race"]


def test_corrupt_partition_names_the_file(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _corrupt(tmp_path / "bad")
    out = tmp_path / "o"
    code = main(["run", "--data", str(path.parent), "--engine", "spark", *ARGS, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        f"auditor: error: {path}: unreadable Parquet partition (engine spark: non-null counts "
        "failed: FAILED_READ_FILE.NO_HINT)\n"
    )


def test_failing_spark_run_prints_one_line(tmp_path: Path) -> None:
    """A Spark session auditor starts itself keeps the JVM's log and stack traces off stderr."""
    path = _corrupt(tmp_path / "bad")
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "run", "--data", str(path.parent), "--engine", "spark",
         *ARGS, "--out", str(tmp_path / "o")],
        env={**os.environ, "AUDITOR_SPARK_MASTER": "local[1]"}, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"auditor: error: {path}: unreadable Parquet partition (engine spark: non-null counts "
        "failed: FAILED_READ_FILE.NO_HINT)"
    ]


def test_auto_prefers_the_active_session(
    spark: Any, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITOR_PANDAS_MAX_BYTES", "1000")  # "too large for memory"
    policy: dict[str, Any] = {"version": 1, "name": "a", "checks": {"FAIR008": {}}}
    info = run(data, "auto", policy)["inputs"]["engine"]
    assert info["name"] == "spark"  # not polars, the first installed lazy engine
    assert info["reason"].endswith("; using an active SparkSession (master local[*])")
