"""Shared small data for the engine tests (seeded; a few thousand rows in three Parquet files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

import auditor
from auditor.engines.synthetic import decisions, write_parquet

ROWS = 6000
#: the bundled ``fairness`` pack (rules/fairness.yaml): every FAIR check runs on every engine
FAIR_CHECKS = tuple(f"FAIR00{i}" for i in range(1, 10))
SUBJECT: dict[str, Any] = {
    "prediction": "prediction",
    "target": "label",
    "score": "score",
    "sensitive": ["sex", "race", "age_band"],
}
POLICY: dict[str, Any] = {
    "version": 1,
    "name": "engines-test",
    "checks": {
        "FAIR": {"options": {"n_boot": 200, "sample_weight": "weight"}},
        "FAIR003": {"options": {"n_boot": 200}},
        "FAIR005": {},
    },
}


def make_dataset(root: Path) -> Path:
    out = root / "decisions"
    write_parquet(out, ROWS, files=3, chunk=1000, seed=11)
    return out


def run(
    data: Any, engine: str | None, policy: dict[str, Any] | None = None, **kw: Any
) -> dict[str, Any]:
    args = {**SUBJECT, **kw}
    report = auditor.audit(data, engine=engine, policy=policy or POLICY, **args)
    out: dict[str, Any] = json.loads(report.to_json())  # to_json validates against the schema
    return out


def result(report: dict[str, Any], check: str) -> dict[str, Any]:
    return next(r for r in report["results"] if r["check"] == check)


def frame(path: Path) -> pd.DataFrame:
    return pd.concat(
        [pd.read_parquet(f) for f in sorted(path.glob("*.parquet"))], ignore_index=True
    )


def numeric_age(root: Path) -> Path:
    rng = np.random.default_rng(5)
    n = 3000
    df = pd.DataFrame(
        {
            "age": rng.integers(18, 80, n).astype(float),
            "prediction": (rng.random(n) < 0.4).astype(np.int64),
            "score": rng.random(n).round(4),
        }
    )
    df.loc[:9, "age"] = np.nan
    out = root / "age"
    out.mkdir()
    df.iloc[:1500].to_parquet(out / "a.parquet")
    df.iloc[1500:].to_parquet(out / "b.parquet")
    return out


RICH = 3000
RICH_SUBJECT: dict[str, Any] = {
    "prediction": "decision",
    "target": "outcome",
    "score": "score",
    "sensitive": ["sex", "race"],
    "positive_label": "hire",
}


def rich_frame(seed: int = 21) -> pd.DataFrame:
    """Three-class decisions with proxy candidates: a zip code tied to race (40 levels, so
    FAIR009 keeps the top 19 + other), a high-cardinality income, an identifier-like id, a
    boolean and a few-valued numeric column."""
    rng = np.random.default_rng(seed)
    n = RICH
    race = rng.choice(["asian", "black", "white", "other"], n, p=[0.2, 0.2, 0.5, 0.1])
    sex = rng.choice(["female", "male"], n)
    # 40 zip codes with distinct counts (no ties at FAIR009's top-19 cut), tied to race
    counts = [30 + 2 * j for j in range(40)]
    counts[0] += n - sum(counts)
    zips = np.empty(n, dtype=object)
    zips[np.argsort(race, kind="stable")] = np.repeat([f"1{j:04d}" for j in range(40)], counts)
    score = rng.beta(2, 3, n).round(5)
    decision = np.where(score > 0.55, "hire", np.where(score > 0.3, "interview", "reject"))
    flip = rng.random(n) < 0.2
    outcome = np.where(flip, rng.choice(["hire", "interview", "reject"], n), decision)
    df = pd.DataFrame(
        {
            "sex": sex,
            "race": race,
            "decision": decision,
            "outcome": outcome,
            "score": score,
            "zip": zips,
            "income": rng.lognormal(10, 0.5, n).round(2),
            "applicant": [f"A{i:06d}" for i in range(n)],
            "member": rng.random(n) < 0.3,
            "dependants": rng.integers(0, 4, n),
        }
    )
    df.loc[rng.choice(n, 15, replace=False), "outcome"] = None
    df.loc[rng.choice(n, 15, replace=False), "income"] = np.nan
    df.loc[rng.choice(n, 10, replace=False), "race"] = None
    return df


def make_rich(root: Path) -> Path:
    out = root / "rich"
    out.mkdir()
    df = rich_frame()
    for i, part in enumerate(np.array_split(np.arange(len(df)), 3)):
        df.iloc[part].to_parquet(out / f"part-{i}.parquet")
    return out


PEOPLE = 2400


def make_people(root: Path) -> Path:
    """People with e-mail addresses (one missing), 30 distinct names, sex and an amount; two files."""
    n = PEOPLE
    rng = np.random.default_rng(3)
    first = ["Alice", "Bruno", "Carla", "Dmitri", "Elena", "Farid"]
    last = ["Smith", "Jones", "Garcia", "Ivanova", "Khan"]
    df = pd.DataFrame(
        {
            "email": [
                f"{first[i % 6].lower()}.{last[i % 5].lower()}{i}@example.com" for i in range(n)
            ],
            "full_name": [f"{first[i % 6]} {last[i % 5]}" for i in range(n)],
            "sex": rng.choice(["female", "male"], n),
            "amount": rng.normal(100, 10, n).round(2),
        }
    )
    df.loc[7, "email"] = None
    out = root / "people"
    out.mkdir()
    df.iloc[: n // 2].to_parquet(out / "a.parquet")
    df.iloc[n // 2 :].to_parquet(out / "b.parquet")
    return out


def corrupt_pages(path: Path, column: str) -> None:
    """Overwrite the pages of ``column`` in the first row group; the footer stays readable."""
    meta = pq.ParquetFile(path).metadata
    col = meta.row_group(0).column(meta.schema.names.index(column))
    begin = col.dictionary_page_offset or col.data_page_offset
    start, end = col.data_page_offset + 20, begin + col.total_compressed_size - 5
    raw = bytearray(path.read_bytes())
    raw[start:end] = b"\xab" * (end - start)
    path.write_bytes(bytes(raw))
    assert pq.ParquetFile(path).metadata.num_rows > 0  # the footer is fine


def drift_dataset(root: Path) -> Path:
    """Two files: the second lacks ``region`` and adds ``channel``; ``visits`` is an integer in
    the first and a float in the second. None of them is named by the audit."""
    root.mkdir()
    a = decisions(300, seed=1)
    a["region"] = ["north", "south", "east"] * 100
    a["visits"] = np.arange(300, dtype=np.int64)
    a.to_parquet(root / "part-0.parquet")
    b = decisions(200, seed=2)
    b["channel"] = ["web", "phone"] * 100
    b["visits"] = np.linspace(0, 9, 200)
    b.to_parquet(root / "part-1.parquet")
    return root


DRIFT_NOTES = [
    "schema drift: column 'channel' is missing from 1 of 2 files (part-0.parquet; 300 rows), "
    "read as null there",
    "schema drift: column 'region' is missing from 1 of 2 files (part-1.parquet; 200 rows), "
    "read as null there",
    "schema drift: column 'visits' is double / int64 across the files, read as double",
]
DRIFT_POLICY: dict[str, Any] = {
    "version": 1,
    "name": "drift",
    "checks": {
        "FAIR001": {"options": {"n_boot": 100}},
        "PII001": {"options": {"sample_size": 1000}},
    },
}


def drift_report(root: Path, engine: str) -> dict[str, Any]:
    report = auditor.audit(
        root, engine=engine, policy=DRIFT_POLICY, prediction="prediction", sensitive=["sex", "race"]
    )
    out: dict[str, Any] = json.loads(report.to_json())
    return out


def drift_columns(report: dict[str, Any]) -> dict[str, tuple[int, int]]:
    res = next(r for r in report["results"] if r["check"] == "PII001")
    return {
        r["column"]: (r["evidence"]["cells"]["non_null"], r["rows_scanned"])
        for r in res["tables"]["columns"]
    }
