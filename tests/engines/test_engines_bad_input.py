"""Bad input on the engines: schema drift, unreadable partitions, an engine that cannot start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from engines_data import DRIFT_NOTES, corrupt_pages, drift_columns, drift_dataset, drift_report

from auditor.cli import main
from auditor.engines.synthetic import decisions

pytest.importorskip("polars")

ARGS = ["--prediction", "prediction", "--sensitive", "sex,race", "--format", "json"]


def _two_files(root: Path) -> Path:
    root.mkdir()
    decisions(300, seed=1).to_parquet(root / "part-0.parquet")
    return root


def test_schema_drift_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _two_files(tmp_path / "drift")
    decisions(300, seed=2).drop(columns=["race"]).to_parquet(root / "part-1.parquet")
    code = main(
        ["run", "--data", str(root), "--engine", "polars", *ARGS, "--out", str(tmp_path / "o")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"{root / 'part-1.parquet'}: sensitive column 'race' is missing in this file" in err
    assert "schema drift" in err
    assert not (tmp_path / "o" / "audit.json").exists()


def test_type_drift_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _two_files(tmp_path / "types")
    bad = decisions(300, seed=2)
    bad["score"] = bad["score"].astype(str)
    bad.to_parquet(root / "part-1.parquet")
    assert (
        main(["run", "--data", str(root), "--engine", "dask", *ARGS, "--out", str(tmp_path / "o")])
        == 2
    )
    err = capsys.readouterr().err
    assert f"{root / 'part-1.parquet'}: column 'score' is large_string here but double in" in err


def test_unreadable_footer_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _two_files(tmp_path / "footer")
    (root / "part-1.parquet").write_bytes(b"PAR1 not really parquet")
    assert (
        main(["run", "--data", str(root), "--engine", "dask", *ARGS, "--out", str(tmp_path / "o")])
        == 2
    )
    err = capsys.readouterr().err
    assert f"{root / 'part-1.parquet'}: unreadable Parquet partition" in err


@pytest.mark.parametrize(
    ("engine", "column"), [("polars", "sex"), ("polars", "score"), ("dask", "score")]
)
def test_corrupt_pages_name_the_file(
    engine: str, column: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _two_files(tmp_path / "pages")
    path = root / "part-1.parquet"
    decisions(3000, seed=3).to_parquet(path)
    corrupt_pages(path, column)
    args = [*ARGS, "--score", "score"]
    code = main(
        ["run", "--data", str(root), "--engine", engine, *args, "--out", str(tmp_path / "o")]
    )
    err = capsys.readouterr().err
    assert code == 2  # a non-sensitive column too: read at load, not an errored check later
    assert err.startswith(f"auditor: error: {path}: unreadable Parquet partition (")
    assert f"engine {engine}" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o" / "audit.json").exists()


@pytest.mark.parametrize("engine", ["pandas", "polars", "dask"])
def test_schema_drift_in_unnamed_columns(engine: str, tmp_path: Path) -> None:
    from auditor.engines.compare import table_differences

    root = drift_dataset(tmp_path / "d")
    report = drift_report(root, engine)
    if engine == "pandas":
        notes = report["inputs"]["dataset"]["notes"]
    else:
        notes = report["inputs"]["engine"]["notes"][1:]
    assert sorted(notes) == DRIFT_NOTES
    cols = drift_columns(report)
    assert cols["region"] == (300, 300)
    assert cols["channel"] == (200, 200)
    assert cols["visits"] == (500, 500)
    assert report["inputs"]["dataset"]["rows"] == 500
    if engine != "pandas":  # the engine-side scan table (engine, sampling) differs by design
        ref = drift_report(root, "pandas")
        diffs = table_differences(ref, report, checks=["FAIR001", "PII001"])
        assert [d for d in diffs if ".scan[0]" not in d] == []


def test_spark_that_cannot_start(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    root = _two_files(tmp_path / "ok")
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java"), "PATH": "/usr/local/bin:/bin"}
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "run", "--data", str(root), "--engine", "spark", *ARGS,
         "--out", str(tmp_path / "o")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 2
    assert (
        "auditor: error: engine spark: cannot start a Spark session (master local[*])"
        in proc.stderr
    )
    assert "Java runtime" in proc.stderr


def test_engine_flag_and_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "d.csv"
    decisions(100, seed=1).to_csv(csv, index=False)
    assert (
        main(["run", "--data", str(csv), "--engine", "dask", *ARGS, "--out", str(tmp_path / "o")])
        == 2
    )
    err = capsys.readouterr().err
    assert "engine dask" in err
    assert "lazy engines read Parquet" in err
    cfg = tmp_path / "audit.yaml"
    cfg.write_text("data: d.csv\nengine: hadoop\nprediction: prediction\n")
    assert main(["run", "--config", str(cfg), "--out", str(tmp_path / "o")]) == 2
    assert (
        f"{cfg}: engine: expected one of auto, pandas, polars, dask, spark"
        in capsys.readouterr().err
    )
    root = _two_files(tmp_path / "cfg")
    cfg.write_text(f"data: {root.name}\nengine: polars\nprediction: prediction\nsensitive: [sex]\n")
    code = main(["run", "--config", str(cfg), "--format", "json", "--out", str(tmp_path / "o2")])
    assert code in (0, 1)  # the gate's verdict; the run itself worked
    report = json.loads((tmp_path / "o2" / "audit.json").read_text())
    assert report["inputs"]["engine"]["name"] == "polars"
    assert report["inputs"]["engine"]["rows_counted"] == 300
