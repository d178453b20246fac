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
