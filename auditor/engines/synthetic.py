"""Seeded synthetic decisions (sex, race, age band, label, prediction, score, weight) for tests
and the scale benchmark; written in chunks so any size fits in a small memory budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["decisions", "decisions_table", "write_parquet"]

SEX = ("female", "male", "nonbinary", "unknown")
RACE = ("asian", "black", "hispanic", "white", "other")
AGE = ("18-24", "25-39", "40-54", "55+")
CATEGORIES = {"sex": SEX, "race": RACE, "age_band": AGE}
NULLABLE = ("sex", "race", "score", "prediction", "label", "weight")


def _arrays(
    n: int, seed: int, missing: bool
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    sex = rng.choice(4, size=n, p=[0.48, 0.48, 0.02, 0.02])
    race = rng.choice(5, size=n, p=[0.12, 0.14, 0.18, 0.5, 0.06])
    age = rng.choice(4, size=n, p=[0.15, 0.4, 0.3, 0.15])
    base = -0.4 + 0.35 * (sex == 1) - 0.25 * (race == 1) + 0.1 * (age == 1)
    score = np.round(1.0 / (1.0 + np.exp(-(base + rng.normal(0.0, 1.0, size=n)))), 6)
    cols = {
        "sex": sex,
        "race": race,
        "age_band": age,
        "label": (rng.random(n) < score).astype(np.float64),
        "prediction": (score > 0.5).astype(np.float64),
        "score": score,
        "weight": np.round(rng.uniform(0.5, 2.0, size=n), 3),
    }
    nulls: dict[str, np.ndarray] = {}
    if missing and n >= 20:
        for col in NULLABLE:
            mask = np.zeros(n, dtype=bool)
            mask[rng.choice(n, size=max(1, n // 500), replace=False)] = True
            nulls[col] = mask
    return cols, nulls


def decisions(n: int, seed: int = 0, *, missing: bool = True) -> pd.DataFrame:
    """``n`` rows with group-dependent selection rates; with ``missing`` a few nulls everywhere."""
    cols, nulls = _arrays(n, seed, missing)
    data: dict[str, Any] = {}
    for name, values in cols.items():
        if name in CATEGORIES:
            out = np.asarray(CATEGORIES[name], dtype=object)[values]
        else:
            out = values.astype(np.float64) if name in nulls else values
        if name in nulls:
            out = out.copy()
            out[nulls[name]] = None if out.dtype == object else np.nan
        data[name] = out
    df: pd.DataFrame = pd.DataFrame(data)
    for name in CATEGORIES:
        df[name] = df[name].astype("str")
    return df


def decisions_table(n: int, seed: int = 0, *, missing: bool = True) -> Any:
    """The same rows as :func:`decisions` as a pyarrow Table (fast: no Python strings)."""
    import pyarrow as pa

    cols, nulls = _arrays(n, seed, missing)
    arrays = []
    for name, values in cols.items():
        mask = nulls.get(name)
        if name in CATEGORIES:
            idx = pa.array(values.astype(np.int32), mask=mask)
            arr = pa.DictionaryArray.from_arrays(idx, pa.array(CATEGORIES[name])).cast(pa.string())
        else:
            arr = pa.array(values, mask=mask)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, names=list(cols))


def write_parquet(
    out: str | Path, rows: int, *, files: int = 1, chunk: int = 5_000_000, seed: int = 0
) -> list[Path]:
    """Write ``rows`` rows as ``files`` Parquet files under ``out`` (a directory), chunk by chunk."""
    import pyarrow.parquet as pq

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    per_file = -(-rows // files)
    written = 0
    for f in range(files):
        path = out / f"part-{f:05d}.parquet"
        n_file = min(per_file, rows - written)
        writer = None
        done = 0
        while done < n_file:
            n = min(chunk, n_file - done)
            table = decisions_table(n, seed=seed * 100_003 + f * 10_007 + done)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table, row_group_size=1_000_000)
            done += n
        if writer is not None:
            writer.close()
        written += n_file
        paths.append(path)
    return paths
