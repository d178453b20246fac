"""Shared small data for the engine tests (seeded; a few thousand rows in three Parquet files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import auditor
from auditor.engines.synthetic import write_parquet

ROWS = 6000
FAIR_CHECKS = ("FAIR001", "FAIR002", "FAIR003", "FAIR004", "FAIR007")
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
