"""Spark local[*]: one session for the module; same tables as pandas, native DataFrames in place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engines_data import ROWS, make_dataset, result, run

from auditor.engines.compare import table_differences

pytest.importorskip("pyspark")

CHECKS = ("FAIR001", "FAIR002", "FAIR004", "FAIR007")
POLICY: dict[str, Any] = {
    "version": 1,
    "name": "spark-test",
    "checks": {
        "FAIR001": {"options": {"n_boot": 100, "sample_weight": "weight"}},
        "FAIR002": {"options": {"n_boot": 100}},
        "FAIR004": {"options": {"n_boot": 100}},
        "FAIR007": {"options": {"n_boot": 100}},
        "PII001": {"options": {"sample_size": 10000}},
    },
}


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from auditor.engines.backends import spark_session

    session = spark_session()
    yield session
    session.stop()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("spark"))


def test_spark_matches_pandas(spark: Any, data: Path) -> None:
    reference = run(data, "pandas", POLICY)
    report = run(data, "spark", POLICY)
    assert table_differences(reference, report, checks=CHECKS) == []
    info = report["inputs"]["engine"]
    assert info["name"] == "spark"
    assert info["rows_counted"] == ROWS
    # PII: with a sample larger than the data the engine returns every value: same verdicts
    ref_cols = result(reference, "PII001")["tables"]["columns"]
    cols = result(report, "PII001")["tables"]["columns"]
    assert [(c["column"], c["kind"], c["hits"], c["rows_scanned"]) for c in cols] == [
        (c["column"], c["kind"], c["hits"], c["rows_scanned"]) for c in ref_cols
    ]
    # a Spark DataFrame audited in place through the API
    sdf = spark.read.parquet(*sorted(str(p) for p in data.glob("*.parquet")))
    native = run(sdf, None, POLICY)
    assert native["inputs"]["engine"]["name"] == "spark"
    assert native["inputs"]["dataset"]["rows"] == ROWS
    assert table_differences(reference, native, checks=CHECKS) == []
